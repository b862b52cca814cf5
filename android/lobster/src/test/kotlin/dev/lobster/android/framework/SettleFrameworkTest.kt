package dev.lobster.android.framework

import android.view.accessibility.AccessibilityEvent
import dev.lobster.android.LobsterAccessibilityService
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/**
 * The service's event handling: real `AccessibilityEvent`s delivered to the real service's
 * `onAccessibilityEvent` feed the settle waiter. (Robolectric sends no events of its own when
 * views change: the system's accessibility manager, which would, is absent; the events here
 * are the ones a window change and a content change send.)
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class SettleFrameworkTest {
    private val service = Robolectric.setupService(LobsterAccessibilityService::class.java)

    @Test
    fun eventsKeepTheWaiterWaitingUntilTheScreenIsQuiet() {
        val pool = Executors.newSingleThreadExecutor()
        val started = System.nanoTime()
        val quiet = pool.submit<Boolean> { service.settle.awaitQuiet(3_000) }
        // An app that keeps changing for ~600 ms: a content change every 100 ms.
        repeat(6) {
            service.onAccessibilityEvent(AccessibilityEvent(AccessibilityEvent.TYPE_WINDOW_CONTENT_CHANGED))
            Thread.sleep(100)
        }
        assertTrue(quiet.get(5, TimeUnit.SECONDS), "the screen never became quiet")
        val waitedMs = (System.nanoTime() - started) / 1_000_000
        assertTrue(waitedMs >= 600, "the waiter stopped while events still arrived ($waitedMs ms)")
        assertTrue(waitedMs < 2_500, "the waiter waited past the quiet window ($waitedMs ms)")
    }

    @Test
    fun aScreenThatNeverSettlesEndsAtTheLimit() {
        val pool = Executors.newSingleThreadExecutor()
        val quiet = pool.submit<Boolean> { service.settle.awaitQuiet(400) }
        val until = System.currentTimeMillis() + 600
        while (System.currentTimeMillis() < until) {
            service.onAccessibilityEvent(AccessibilityEvent(AccessibilityEvent.TYPE_WINDOW_STATE_CHANGED))
            Thread.sleep(20)
        }
        assertFalse(quiet.get(5, TimeUnit.SECONDS))
    }
}
