package dev.lobster.android.appactions

import android.os.Bundle
import android.util.Log
import dev.lobster.ffi.ActionOutcome
import dev.lobster.sdk.ErrorCode
import dev.lobster.sdk.LobsterProtocol

/**
 * An app's reply ([LobsterProtocol]) as the agent's outcome: a result is `Returned(data)`
 * (`Performed` when the app reported nothing), an error `Rejected("CODE: hint")` with the
 * code one of [ErrorCode]'s names. What the platform throws is mapped too.
 */
internal object CallReplies {
    private const val TAG = "lobster"

    /** The outcome of the reply [reply] (null: the app answered nothing). */
    fun outcome(reply: Bundle?): ActionOutcome {
        if (reply == null) return ActionOutcome.Rejected("UNAVAILABLE: the app did not answer; it may have stopped")
        return when (reply.getString(LobsterProtocol.REPLY_STATUS)) {
            LobsterProtocol.STATUS_OK -> reply.getString(LobsterProtocol.REPLY_RESULT)
                ?.takeIf { it.isNotBlank() }
                ?.let { ActionOutcome.Returned(it) }
                ?: ActionOutcome.Performed
            LobsterProtocol.STATUS_ERROR -> {
                val code = reply.getString(LobsterProtocol.REPLY_CODE)
                    ?.takeIf { name -> ErrorCode.entries.any { it.name == name } }
                    ?: ErrorCode.FAILED.name
                val hint = reply.getString(LobsterProtocol.REPLY_HINT).orEmpty().take(MAX_HINT_CHARS).ifBlank { "the app gave no reason" }
                ActionOutcome.Rejected("$code: $hint")
            }
            else -> ActionOutcome.Rejected("FAILED: the app's answer is not Lobster's protocol")
        }
    }

    /** The outcome when the call threw [error] (in the platform, before or after the app). */
    fun failure(name: String, error: Throwable): ActionOutcome {
        Log.w(TAG, "calling $name threw ${error.javaClass.simpleName}")
        return when (error) {
            // The provider's permission is not held (or the app refused at the binder).
            is SecurityException -> ActionOutcome.Rejected("DENIED: the app does not let this agent call it")
            // No provider under that authority any more: the app was removed.
            is IllegalArgumentException -> ActionOutcome.NoHandler
            else -> ActionOutcome.Rejected("FAILED: the call to the app failed")
        }
    }

    private const val MAX_HINT_CHARS = 300
}
