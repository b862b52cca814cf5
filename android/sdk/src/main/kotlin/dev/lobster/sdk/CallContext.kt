package dev.lobster.sdk

import android.os.CancellationSignal
import android.os.SystemClock

/**
 * One call as its handler sees it: who called (an allowed agent, already verified), the call's
 * [signal] (cancelled when the agent cancels or the time is up) and its deadline. A long
 * handler checks [isCancelled] between steps, or registers on the signal; its thread is never
 * interrupted, so it decides where to stop.
 */
class CallContext(
    /** The action's id (`add_task`). */
    val actionId: String,
    /** The calling agent's package, verified against the allow list. */
    val callerPackage: String,
    /** Cancelled when the agent cancels the call or its time is up. */
    val signal: CancellationSignal,
    private val deadlineElapsedMs: Long,
) {
    /** Whether the call was cancelled or timed out: stop and return (what you return is dropped). */
    val isCancelled: Boolean get() = signal.isCanceled

    /** Milliseconds left before the call times out (0 when past). */
    fun remainingMillis(): Long = (deadlineElapsedMs - SystemClock.elapsedRealtime()).coerceAtLeast(0)
}
