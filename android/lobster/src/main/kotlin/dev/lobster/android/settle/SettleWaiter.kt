package dev.lobster.android.settle

import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * Waits for the screen to settle after an action: until no accessibility event has arrived
 * for [quietMs], or [maxMs] has passed, whichever comes first.
 *
 * Why events and not a fixed sleep (the peers sleep a second per step): an app that redraws in
 * 80 ms should cost 80 ms plus the quiet window, and one that animates for two seconds should
 * be waited for. The accessibility service calls [onEvent] for every window and content
 * change; `Device.settle` calls [awaitQuiet] on the task thread. The decision itself is the
 * pure [remainingMs], tested with a fake clock.
 *
 * @param clock milliseconds from a monotonic clock.
 */
class SettleWaiter(
    private val quietMs: Long = DEFAULT_QUIET_MS,
    private val clock: () -> Long = { System.nanoTime() / 1_000_000 },
) {
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private var lastEventMs = Long.MIN_VALUE

    /** An accessibility event arrived (any thread). */
    fun onEvent() {
        lock.withLock {
            lastEventMs = clock()
            changed.signalAll()
        }
    }

    /**
     * Blocks until the screen is quiet or [maxMs] passed; whether it became quiet. Quiet is
     * measured from the later of the call and the last event, so a call right after an action
     * waits at least [quietMs] for the app to start reacting.
     */
    fun awaitQuiet(maxMs: Long): Boolean {
        val start = clock()
        lock.withLock {
            while (true) {
                val wait = remainingMs(start, lastEventMs, clock(), quietMs, maxMs)
                if (wait <= 0) return clock() - maxOf(start, lastEventMs) >= quietMs
                changed.await(wait, TimeUnit.MILLISECONDS)
            }
        }
    }

    companion object {
        /** How long without events counts as settled. */
        const val DEFAULT_QUIET_MS = 250L

        /**
         * How much longer to wait at [now] for a wait that began at [start], with the last event
         * at [lastEvent]: until [quietMs] after the later of the two, but never past
         * `start + maxMs`. Zero or less: stop waiting.
         */
        fun remainingMs(start: Long, lastEvent: Long, now: Long, quietMs: Long, maxMs: Long): Long {
            val quietAt = maxOf(start, lastEvent) + quietMs
            val deadline = start + maxMs
            return minOf(quietAt, deadline) - now
        }
    }
}
