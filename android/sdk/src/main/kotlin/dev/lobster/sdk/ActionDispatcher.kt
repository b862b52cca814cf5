package dev.lobster.sdk

import android.os.Bundle
import android.os.CancellationSignal
import android.os.SystemClock
import android.util.Log
import org.json.JSONException
import org.json.JSONObject
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutionException
import java.util.concurrent.ExecutorService
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * Turns one `ContentProvider.call` into a handler's run and its reply Bundle
 * ([LobsterProtocol]): the caller's verdict first (a denied caller gets [ErrorCode.DENIED]
 * and no handler runs), then the protocol version, the action, the arguments (a JSON object),
 * and the handler on a worker thread under the call's time limit (the agent's, at most
 * [LobsterProtocol.MAX_TIMEOUT_MS]): past it the call's signal is cancelled and the reply is
 * [ErrorCode.TIMEOUT]. [LobsterProtocol.METHOD_CANCEL] cancels a call in flight, whose reply is
 * then [ErrorCode.CANCELLED]. Never throws to the caller.
 */
class ActionDispatcher @JvmOverloads constructor(
    private val actions: LobsterActions,
    private val executor: ExecutorService = Executors.newCachedThreadPool(WorkerThreads),
) {
    private val inFlight = ConcurrentHashMap<String, CancellationSignal>()

    /** The reply to [method] called with [arg] and [extras] by a caller judged [verdict]. */
    fun dispatch(method: String, arg: String?, extras: Bundle?, verdict: CallerVerdict): Bundle {
        val caller = when (verdict) {
            is CallerVerdict.Allowed -> verdict.packageName
            is CallerVerdict.Denied -> {
                Log.w(TAG, "refused a call to $method: ${verdict.reason}")
                return reply(ActionResult.Error(ErrorCode.DENIED, "this app does not allow this agent to call its actions"))
            }
        }
        if (method == LobsterProtocol.METHOD_CANCEL) {
            val signal = extras?.getString(LobsterProtocol.EXTRA_CALL_ID)?.let { inFlight[it] }
            signal?.cancel()
            return reply(ActionResult.Success(if (signal != null) "cancelled" else null))
        }
        if (arg != LobsterProtocol.VERSION) {
            return reply(ActionResult.Error(ErrorCode.UNSUPPORTED, "this app speaks Lobster protocol ${LobsterProtocol.VERSION}"))
        }
        val handler = actions.handler(method)
            ?: return reply(ActionResult.Error(ErrorCode.UNSUPPORTED, "this app has no action $method; read its declaration again"))
        val args = try {
            JSONObject(extras?.getString(LobsterProtocol.EXTRA_ARGS) ?: "{}")
        } catch (_: JSONException) {
            return reply(ActionResult.Error(ErrorCode.INVALID_ARGUMENT, "the arguments must be one JSON object"))
        }
        val asked = extras?.getLong(LobsterProtocol.EXTRA_TIMEOUT_MS, 0L) ?: 0L
        val timeout = (if (asked > 0) asked else LobsterProtocol.DEFAULT_TIMEOUT_MS).coerceAtMost(LobsterProtocol.MAX_TIMEOUT_MS)
        val callId = extras?.getString(LobsterProtocol.EXTRA_CALL_ID)
        return reply(run(method, handler, args, caller, callId, timeout))
    }

    private fun run(method: String, handler: ActionHandler, args: JSONObject, caller: String, callId: String?, timeoutMs: Long): ActionResult {
        val signal = CancellationSignal()
        val call = CallContext(method, caller, signal, SystemClock.elapsedRealtime() + timeoutMs)
        val answer = CompletableFuture<ActionResult>()
        signal.setOnCancelListener { answer.complete(ActionResult.Error(ErrorCode.CANCELLED, "the call was cancelled")) }
        if (callId != null) inFlight[callId] = signal
        try {
            try {
                executor.execute(work(method, handler, args, call, answer))
            } catch (_: RejectedExecutionException) {
                return ActionResult.Error(ErrorCode.UNAVAILABLE, "the app is shutting down; try again")
            }
            val result = try {
                answer.get(timeoutMs, TimeUnit.MILLISECONDS)
            } catch (_: TimeoutException) {
                answer.complete(ActionResult.Error(ErrorCode.TIMEOUT, "the app did not finish $method in $timeoutMs ms; it may still complete, check before calling again"))
                answer.get()
            } catch (_: ExecutionException) {
                ActionResult.Error(ErrorCode.FAILED, "the app failed to do $method")
            } catch (_: InterruptedException) {
                Thread.currentThread().interrupt()
                ActionResult.Error(ErrorCode.CANCELLED, "the call was cancelled")
            }
            // Whatever ended the wait, a handler still running is told to stop.
            signal.cancel()
            return checked(method, result)
        } finally {
            if (callId != null) inFlight.remove(callId, signal)
        }
    }

    private fun work(method: String, handler: ActionHandler, args: JSONObject, call: CallContext, answer: CompletableFuture<ActionResult>) = Runnable {
        val result = try {
            handler.handle(args, call)
        } catch (error: Exception) {
            // The message may carry the user's data: the log gets the class only.
            Log.w(TAG, "the handler of $method threw ${error.javaClass.name}")
            ActionResult.Error(ErrorCode.FAILED, "the app failed to do $method")
        }
        answer.complete(result)
    }

    /** A result too long for the planner is the app's bug, answered as [ErrorCode.FAILED]. */
    private fun checked(method: String, result: ActionResult): ActionResult = when {
        result is ActionResult.Success && (result.data?.length ?: 0) > MAX_RESULT_CHARS ->
            ActionResult.Error(ErrorCode.FAILED, "the app answered $method with more than $MAX_RESULT_CHARS characters")
        result is ActionResult.Error && result.hint.length > MAX_HINT_CHARS ->
            ActionResult.Error(result.code, result.hint.take(MAX_HINT_CHARS))
        else -> result
    }

    /** Stops the workers (the provider's `shutdown`). */
    fun shutdown() {
        inFlight.values.forEach { it.cancel() }
        executor.shutdown()
    }

    companion object {
        /** The longest result the planner gets, in characters. */
        const val MAX_RESULT_CHARS: Int = 8_000

        /** The longest hint, in characters (longer ones are cut). */
        const val MAX_HINT_CHARS: Int = 300

        private const val TAG = "LobsterSdk"

        /** The reply Bundle for [result] ([LobsterProtocol]). */
        @JvmStatic
        fun reply(result: ActionResult): Bundle = Bundle().apply {
            when (result) {
                is ActionResult.Success -> {
                    putString(LobsterProtocol.REPLY_STATUS, LobsterProtocol.STATUS_OK)
                    result.data?.takeIf { it.isNotEmpty() }?.let { putString(LobsterProtocol.REPLY_RESULT, it) }
                }
                is ActionResult.Error -> {
                    putString(LobsterProtocol.REPLY_STATUS, LobsterProtocol.STATUS_ERROR)
                    putString(LobsterProtocol.REPLY_CODE, result.code.name)
                    putString(LobsterProtocol.REPLY_HINT, result.hint)
                }
            }
        }
    }

    /** Daemon worker threads named for the SDK. */
    private object WorkerThreads : ThreadFactory {
        override fun newThread(runnable: Runnable): Thread = Thread(runnable, "lobster-action").apply { isDaemon = true }
    }
}
