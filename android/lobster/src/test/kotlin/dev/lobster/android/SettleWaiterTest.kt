package dev.lobster.android

import dev.lobster.android.settle.SettleWaiter
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

class SettleWaiterTest {
    @Test
    fun quietMeansNoEventForTheWindowAfterTheLaterOfCallAndEvent() {
        // No event: wait the quiet window from the call.
        assertEquals(250, SettleWaiter.remainingMs(1_000, Long.MIN_VALUE, 1_000, 250, 5_000))
        assertEquals(0, SettleWaiter.remainingMs(1_000, Long.MIN_VALUE, 1_250, 250, 5_000))
        // An event at 1 100 pushes quiet to 1 350.
        assertEquals(150, SettleWaiter.remainingMs(1_000, 1_100, 1_200, 250, 5_000))
        // Never past the maximum, however busy the screen.
        assertEquals(100, SettleWaiter.remainingMs(1_000, 1_900, 1_900, 250, 1_000))
        assertTrue(SettleWaiter.remainingMs(1_000, 1_990, 2_000, 250, 1_000) <= 0)
    }

    @Test
    fun aBusyScreenIsWaitedForUpToTheMaximum() {
        val waiter = SettleWaiter(quietMs = 40)
        val busy = Thread {
            repeat(20) {
                waiter.onEvent()
                Thread.sleep(10)
            }
        }
        busy.start()
        val started = System.nanoTime()
        val quiet = waiter.awaitQuiet(100)
        val millis = (System.nanoTime() - started) / 1_000_000
        busy.join()
        assertFalse(quiet, "still busy at the maximum")
        assertTrue(millis in 90..1_000, "waited $millis ms")
        assertTrue(waiter.awaitQuiet(1_000), "quiet once the events stop")
    }
}
