package dev.lobster.android.appactions

import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.content.pm.ProviderInfo
import android.net.Uri
import android.os.Bundle
import android.util.Log
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.AppActionInfo
import dev.lobster.ffi.DeclarationException
import dev.lobster.ffi.readActionDeclaration
import dev.lobster.sdk.LobsterProtocol
import dev.lobster.sdk.SigningCertificates
import java.util.UUID
import java.util.concurrent.ExecutionException
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * The apps' declared actions on this phone and the way to call them (the agent's half of the
 * SDK, android/sdk).
 *
 * Discovery: the exported providers that answer [LobsterProtocol.DISCOVER_ACTION]
 * (`queryIntentContentProviders`; the library's `<queries>` makes them visible on Android
 * 11+) and carry the [LobsterProtocol.META_ACTIONS] `<meta-data>`. Each one's declaration
 * resource is read from the app's resources (the app does not run) and checked by the Rust
 * reader ([readActionDeclaration], the same rules as `lobster actions check`). A declaration
 * that does not read, or that names another package than the provider's, is skipped with its
 * errors logged; the others stay. Results are kept per provider under its package, version
 * code, last update time and signing digests, and every [actions] call re-checks those (a
 * package added, replaced or removed shows at the next task) without reading resources again.
 *
 * Calls: [call] sends `ContentResolver.call(content://AUTHORITY, action id, protocol version,
 * {args, call id, timeout})` on a worker thread and waits at most [timeoutMs]; past it the
 * app is asked to cancel and the outcome is `Rejected("TIMEOUT: …")`. The reply maps to an
 * outcome by [CallReplies]. It never throws.
 *
 * Android 16's platform app functions come second, from [functions] ([AppFunctionSource]: API
 * 36+ with `EXECUTE_APP_FUNCTIONS` only): listed after the declared actions, called through the
 * platform with the same time limit. A name both declare is the declared action's.
 */
class AppActionDirectory @JvmOverloads constructor(
    private val context: Context,
    private val timeoutMs: Long = DEFAULT_TIMEOUT_MS,
    private val reader: (String) -> List<AppActionInfo> = ::readActionDeclaration,
    private val functions: AppFunctionSource = AppFunctionSource(context, timeoutMs),
) {
    /** Where an action is called. */
    private class Endpoint(val authority: String, val actionId: String)

    /** What one provider declared, under the key it was read with. */
    private class Entry(val key: String, val authority: String, val actions: List<AppActionInfo>)

    private val lock = Any()
    private val entries = HashMap<String, Entry>()
    @Volatile private var endpoints: Map<String, Endpoint> = emptyMap()
    @Volatile private var current: List<AppActionInfo> = emptyList()
    private val workers: ExecutorService = Executors.newCachedThreadPool { runnable ->
        Thread(runnable, "lobster-app-action").apply { isDaemon = true }
    }

    /** Every declared action of the installed apps (`todo.add_task`), then the app functions. */
    fun actions(): List<AppActionInfo> {
        refresh()
        val declared = current
        val names = declared.mapTo(HashSet()) { it.name }
        val functionActions = functions.actions().filter { function ->
            (function.name !in names).also { free ->
                if (!free) Log.w(TAG, "skipped app function ${function.name} of ${function.packageName}: an app declares that name")
            }
        }
        return declared + functionActions
    }

    /** Calls the action [name] (`app.id`) with [argsJson]; never throws. */
    fun call(name: String, argsJson: String): ActionOutcome {
        val endpoint = endpoints[name] ?: run { refresh(); endpoints[name] }
            ?: return functions.call(name, argsJson) ?: ActionOutcome.NoHandler
        val callId = UUID.randomUUID().toString()
        val extras = Bundle().apply {
            putString(LobsterProtocol.EXTRA_ARGS, argsJson)
            putString(LobsterProtocol.EXTRA_CALL_ID, callId)
            // The app gets a little less time than the agent waits, so its own TIMEOUT arrives.
            putLong(LobsterProtocol.EXTRA_TIMEOUT_MS, (timeoutMs - REPLY_MARGIN_MS).coerceAtLeast(timeoutMs / 2))
        }
        val reply = try {
            workers.submit<Bundle?> { send(endpoint.authority, endpoint.actionId, extras) }
        } catch (error: RuntimeException) {
            Log.w(TAG, "calling $name failed to start: ${error.javaClass.simpleName}")
            return ActionOutcome.Rejected("FAILED: the agent could not call the app")
        }
        return try {
            CallReplies.outcome(reply.get(timeoutMs, TimeUnit.MILLISECONDS))
        } catch (_: TimeoutException) {
            reply.cancel(true)
            cancel(endpoint.authority, callId)
            ActionOutcome.Rejected("TIMEOUT: the app did not answer in $timeoutMs ms; the action may still complete, check before calling again")
        } catch (error: ExecutionException) {
            CallReplies.failure(name, error.cause ?: error)
        } catch (_: InterruptedException) {
            Thread.currentThread().interrupt()
            reply.cancel(true)
            cancel(endpoint.authority, callId)
            ActionOutcome.Rejected("CANCELLED: the task was stopped during the call")
        }
    }

    private fun send(authority: String, method: String, extras: Bundle): Bundle? =
        context.contentResolver.call(Uri.parse("content://$authority"), method, LobsterProtocol.VERSION, extras)

    /** Asks the app to cancel the call [callId], without waiting long for its answer. */
    private fun cancel(authority: String, callId: String) {
        val extras = Bundle().apply { putString(LobsterProtocol.EXTRA_CALL_ID, callId) }
        try {
            workers.submit { send(authority, LobsterProtocol.METHOD_CANCEL, extras) }.get(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS)
        } catch (_: Exception) {
            // The app is gone or stuck: nothing more to do.
        }
    }

    /** Re-reads what changed since the last look. */
    private fun refresh() {
        val pm = context.packageManager
        val found = try {
            pm.queryIntentContentProviders(Intent(LobsterProtocol.DISCOVER_ACTION), PackageManager.GET_META_DATA)
        } catch (error: RuntimeException) {
            Log.w(TAG, "listing action providers failed: ${error.javaClass.simpleName}")
            return
        }
        val providers = found.mapNotNull { it.providerInfo }
            .filter { it.exported && it.authority != null && it.metaData?.getInt(LobsterProtocol.META_ACTIONS, 0) != 0 }
            .sortedWith(compareBy({ it.packageName }, { it.name }))
        synchronized(lock) {
            val seen = HashSet<String>()
            for (provider in providers) {
                val id = "${provider.packageName}/${provider.name}"
                val authority = provider.authority?.substringBefore(';') ?: continue
                // Listed but no longer installed (removed meanwhile): its actions go.
                val info = SigningCertificates.packageInfo(pm, provider.packageName) ?: continue
                seen += id
                val resource = provider.metaData.getInt(LobsterProtocol.META_ACTIONS)
                val key = listOf(
                    SigningCertificates.versionCode(info), info.lastUpdateTime,
                    SigningCertificates.digests(info).joinToString(","), authority, resource,
                ).joinToString("|")
                if (entries[id]?.key == key) continue
                entries[id] = Entry(key, authority, read(pm, provider, resource))
            }
            entries.keys.retainAll(seen)
            publish()
        }
    }

    /** The actions of one provider's declaration; none when it does not read (logged). */
    private fun read(pm: PackageManager, provider: ProviderInfo, resource: Int): List<AppActionInfo> {
        val pkg = provider.packageName
        val text = try {
            pm.getResourcesForApplication(pkg).openRawResource(resource).use { stream ->
                val bytes = stream.readNBytesCompat(MAX_DECLARATION_BYTES + 1)
                if (bytes.size > MAX_DECLARATION_BYTES) {
                    Log.w(TAG, "skipped $pkg's action declaration: over $MAX_DECLARATION_BYTES bytes")
                    return emptyList()
                }
                bytes.decodeToString()
            }
        } catch (error: Exception) {
            Log.w(TAG, "skipped $pkg's action declaration: the resource does not read (${error.javaClass.simpleName})")
            return emptyList()
        }
        val actions = try {
            reader(text)
        } catch (error: DeclarationException.Invalid) {
            Log.w(TAG, "skipped $pkg's action declaration, ${error.errors.size} error(s):")
            error.errors.forEach { Log.w(TAG, "  $it") }
            return emptyList()
        } catch (error: RuntimeException) {
            Log.w(TAG, "skipped $pkg's action declaration: ${error.javaClass.simpleName}")
            return emptyList()
        }
        val foreign = actions.filter { it.packageName != pkg }
        if (foreign.isNotEmpty()) {
            Log.w(TAG, "skipped $pkg's action declaration: it declares actions of package ${foreign.first().packageName}")
            return emptyList()
        }
        return actions
    }

    /** The actions and endpoints of all entries; an action name taken by an earlier app stays its. */
    private fun publish() {
        val names = LinkedHashMap<String, Pair<AppActionInfo, Endpoint>>()
        for (entry in entries.values.sortedBy { it.authority }) {
            for (action in entry.actions) {
                val actionId = action.name.substringAfter('.')
                if (names.containsKey(action.name)) {
                    Log.w(TAG, "skipped ${action.name} of ${action.packageName}: another app declares it")
                    continue
                }
                names[action.name] = action to Endpoint(entry.authority, actionId)
            }
        }
        current = names.values.map { it.first }
        endpoints = names.mapValues { it.value.second }
    }

    companion object {
        /** How long a call may take by default, in milliseconds. */
        const val DEFAULT_TIMEOUT_MS: Long = 15_000

        /** The largest declaration read, in bytes. */
        const val MAX_DECLARATION_BYTES: Int = 256 * 1024

        private const val REPLY_MARGIN_MS = 2_000L
        private const val CANCEL_WAIT_MS = 1_000L
        private const val TAG = "lobster"
    }
}

/** Up to [limit] bytes of the stream (`readNBytes` is API 33). */
private fun java.io.InputStream.readNBytesCompat(limit: Int): ByteArray {
    val out = java.io.ByteArrayOutputStream()
    val buffer = ByteArray(8192)
    while (out.size() < limit) {
        val n = read(buffer, 0, minOf(buffer.size, limit - out.size()))
        if (n < 0) break
        out.write(buffer, 0, n)
    }
    return out.toByteArray()
}
