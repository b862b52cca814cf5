package dev.lobster.android.framework

import android.graphics.RectF
import dev.lobster.android.AndroidGestures
import dev.lobster.android.LobsterAccessibilityService
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/**
 * Gestures through the real `GestureDescription`/`StrokeDescription` (which reject a path with
 * a negative coordinate) and the service's `dispatchGesture`.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class GesturesFrameworkTest {
    private val service = Robolectric.setupService(LobsterAccessibilityService::class.java)
    private val gestures = AndroidGestures(service) { 480 to 800 }
    private val pool = Executors.newSingleThreadExecutor()

    /** Runs [gesture] on a task thread, completes what it dispatched; the path's bounds. */
    private fun dispatched(gesture: () -> Boolean): RectF {
        val result = pool.submit(gesture)
        val deadline = System.currentTimeMillis() + 5_000
        while (shadowOf(service).gesturesDispatched.isEmpty() && !result.isDone && System.currentTimeMillis() < deadline) {
            Thread.sleep(2)
        }
        val dispatch = shadowOf(service).gesturesDispatched.firstOrNull()
            ?: error("no gesture was dispatched (the stroke was refused: ${runCatching { result.get() }.exceptionOrNull()})")
        dispatch.callback().onCompleted(dispatch.description())
        assertTrue(result.get(5, TimeUnit.SECONDS), "the gesture did not complete")
        val stroke = dispatch.description().getStroke(0)
        @Suppress("DEPRECATION")
        return RectF().also { stroke.path.computeBounds(it, true) }
    }

    @Test
    fun aSwipeFromOffTheScreenIsClippedToIt() {
        val bounds = dispatched { gestures.swipe(-50, 100, 500, 3_000, 300) }
        assertTrue(bounds.left >= 0 && bounds.top >= 0, "negative coordinates: $bounds")
        assertTrue(bounds.right <= 479 && bounds.bottom <= 799, "past the screen: $bounds")
        assertEquals(0f, bounds.left)
        assertEquals(799f, bounds.bottom)
    }

    @Test
    fun aTapAboveTheScreenLandsOnItsEdge() {
        val bounds = dispatched { gestures.tap(100, -20) }
        assertEquals(RectF(100f, 0f, 100f, 0f), bounds)
    }
}
