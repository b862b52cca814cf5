package dev.lobster.android.appactions

import android.Manifest
import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import android.util.Log
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.AppActionInfo

/**
 * Android 16's platform app functions (`android.app.appfunctions`) as app actions, the second
 * source beside the SDK's providers ([AppActionDirectory] merges both).
 *
 * Discovery ([actions]): the functions the system indexed in AppSearch (read through the global
 * search session), each enabled one this agent may call mapped to an [AppActionInfo] by
 * [AppFunctionIndex] (name `PACKAGE.FUNCTION`, description, parameters' JSON Schema when it can
 * be derived faithfully, side effect reversible, confirmation always). Read again at every call
 * of [actions] (once per task).
 *
 * Calls ([call]): `AppFunctionManager.executeAppFunction` with the arguments as the parameters
 * document, a `CancellationSignal` and at most [timeoutMs] (the SDK's calls' limit); the answer
 * maps to an outcome by [AppFunctionReplies]. Never throws.
 *
 * Only on API 36+ and only with `android.permission.EXECUTE_APP_FUNCTIONS` granted (a privileged
 * permission: a system agent's, never a sideloaded app's): otherwise [actions] is empty, [call]
 * answers null, and the platform is not asked anything.
 */
class AppFunctionSource internal constructor(
    private val context: Context,
    private val timeoutMs: Long,
    private val platform: () -> AppFunctionPlatform?,
) {
    /** The phone's app functions, calls waiting at most [timeoutMs]. */
    @JvmOverloads
    constructor(context: Context, timeoutMs: Long = AppActionDirectory.DEFAULT_TIMEOUT_MS) :
        this(context, timeoutMs, { if (Build.VERSION.SDK_INT >= 36) AppFunctionPlatform.of(context) else null })

    /** The functions found by the last [actions], by action name. */
    @Volatile private var entries: Map<String, AppFunctionIndex.Entry> = emptyMap()

    /** The app functions this agent can call now, as actions; empty below API 36 or without the permission. */
    fun actions(): List<AppActionInfo> {
        if (Build.VERSION.SDK_INT < 36 || !permitted()) {
            entries = emptyMap()
            return emptyList()
        }
        val platform = platform() ?: return emptyList()
        val found = try {
            AppFunctionIndex.entries(platform.documents())
        } catch (error: Exception) {
            // AppSearch failed or timed out: keep what was read last.
            Log.w(TAG, "reading the app functions' index failed: ${error.javaClass.simpleName}")
            return entries.values.map { it.info }
        }
        entries = found.associateBy { it.info.name }
        return found.map { it.info }
    }

    /**
     * Calls the app function action [name] with [argsJson]; null when no app function has that
     * name (below API 36 or without the permission, none has). Never throws.
     */
    fun call(name: String, argsJson: String): ActionOutcome? {
        if (Build.VERSION.SDK_INT < 36 || !permitted()) return null
        val entry = entries[name] ?: run {
            actions()
            entries[name]
        } ?: return null
        val platform = platform() ?: return ActionOutcome.NoHandler
        return platform.call(entry, argsJson, timeoutMs)
    }

    private fun permitted(): Boolean =
        context.checkSelfPermission(Manifest.permission.EXECUTE_APP_FUNCTIONS) == PackageManager.PERMISSION_GRANTED

    private companion object {
        const val TAG = "lobster"
    }
}
