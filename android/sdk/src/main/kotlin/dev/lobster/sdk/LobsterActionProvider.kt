package dev.lobster.sdk

import android.content.ComponentName
import android.content.ContentProvider
import android.content.ContentValues
import android.content.Context
import android.content.pm.PackageManager
import android.content.pm.ProviderInfo
import android.database.Cursor
import android.net.Uri
import android.os.Binder
import android.os.Bundle
import android.util.Log

/**
 * The app's end of Lobster's call path: an exported `ContentProvider` whose `call(method =
 * action id, arg = protocol version, extras = {args})` runs the action's handler and answers
 * a Bundle ([LobsterProtocol]). Subclass it, register the handlers in [registerActions], and
 * declare the subclass in the manifest (android/sdk/README.md has the snippet) with the
 * discovery `<intent-filter>`, the declaration `<meta-data>` and the allowed agents.
 *
 * Every call is checked before any handler runs ([CallerCheck]): the calling package must be
 * on the app's allow list ([allowedAgents]) and signed with the listed certificate; any other
 * caller is answered [ErrorCode.DENIED]. The provider serves no data: query, insert, update
 * and delete do nothing.
 */
abstract class LobsterActionProvider : ContentProvider() {
    @Volatile private var component: ComponentName? = null
    private val actions: LobsterActions by lazy { LobsterActions().also { registerActions(it) } }
    private val dispatcher: ActionDispatcher by lazy { ActionDispatcher(actions) }
    private val callers: CallerCheck by lazy { CallerCheck(checkNotNull(context) { "the provider is not attached" }.packageManager) { allowedAgents() } }

    /** Registers the app's handlers, once, before the first call: `actions.register("add_task") { args, call -> … }`. */
    protected abstract fun registerActions(actions: LobsterActions)

    /**
     * The agents that may call, each with its certificate's digest. By default the provider's
     * `<meta-data android:name="dev.lobster.sdk.ALLOWED_AGENTS">` (`android:value`, comma
     * separated, or `android:resource`, a string array), read on each call so an update of the
     * app takes effect at once; entries that do not read are logged and skipped. Override to
     * configure in code. An empty list refuses every caller.
     */
    protected open fun allowedAgents(): List<AllowedAgent> {
        val context = context ?: return emptyList()
        val self = component ?: ComponentName(context, javaClass)
        val pm = context.packageManager
        val meta = try {
            pm.getProviderInfo(self, PackageManager.GET_META_DATA).metaData
        } catch (_: PackageManager.NameNotFoundException) {
            null
        } ?: return emptyList()
        if (!meta.containsKey(LobsterProtocol.META_ALLOWED_AGENTS)) return emptyList()
        // android:value="a:…,b:…" is a String; android:resource="@array/…" an Int.
        val text = meta.getString(LobsterProtocol.META_ALLOWED_AGENTS)
        val entries = if (text != null) {
            text.split(',', ';', ' ', '\n', '\t').filter { it.isNotBlank() }
        } else {
            try {
                pm.getResourcesForApplication(self.packageName)
                    .getStringArray(meta.getInt(LobsterProtocol.META_ALLOWED_AGENTS)).toList()
            } catch (error: Exception) {
                Log.w(TAG, "the allowed agents resource does not read: ${error.javaClass.simpleName}")
                emptyList()
            }
        }
        return entries.mapNotNull { entry ->
            AllowedAgent.parse(entry) ?: null.also { Log.w(TAG, "skipped an allowed agent that is not package:sha256") }
        }
    }

    override fun attachInfo(context: Context, info: ProviderInfo) {
        component = ComponentName(info.packageName, info.name)
        super.attachInfo(context, info)
    }

    override fun onCreate(): Boolean = true

    override fun call(method: String, arg: String?, extras: Bundle?): Bundle {
        val verdict = try {
            callers.check(callingPackage, Binder.getCallingUid())
        } catch (error: SecurityException) {
            CallerVerdict.Denied("the calling package did not verify: ${error.javaClass.simpleName}")
        }
        return dispatcher.dispatch(method, arg, extras, verdict)
    }

    override fun shutdown() {
        dispatcher.shutdown()
        super.shutdown()
    }

    override fun query(uri: Uri, projection: Array<out String>?, selection: String?, selectionArgs: Array<out String>?, sortOrder: String?): Cursor? = null

    override fun getType(uri: Uri): String? = null

    override fun insert(uri: Uri, values: ContentValues?): Uri? = null

    override fun delete(uri: Uri, selection: String?, selectionArgs: Array<out String>?): Int = 0

    override fun update(uri: Uri, values: ContentValues?, selection: String?, selectionArgs: Array<out String>?): Int = 0

    private companion object {
        const val TAG = "LobsterSdk"
    }
}
