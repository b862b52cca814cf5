package dev.lobster.android

import android.accessibilityservice.AccessibilityService
import android.accessibilityservice.GestureDescription
import android.graphics.Path
import dev.lobster.android.perform.Gestures
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * Gestures through `dispatchGesture`, the fallback when a node refuses its accessibility
 * action. Each call blocks the task thread (never the main thread, where the callback runs)
 * until the gesture completed or was cancelled.
 *
 * Every point is clipped to the screen ([screen], in pixels) first: `StrokeDescription` throws
 * on a path with a negative coordinate, and a point past the edge lands on nothing. The
 * performer already aims at the on-screen part of a node; this also covers a model's swipe.
 */
internal class AndroidGestures(
    private val service: AccessibilityService,
    private val screen: () -> Pair<Int, Int>,
) : Gestures {
    override fun tap(x: Int, y: Int): Boolean = stroke(x, y, x, y, TAP_MS)

    override fun longPress(x: Int, y: Int): Boolean = stroke(x, y, x, y, LONG_PRESS_MS)

    override fun swipe(fromX: Int, fromY: Int, toX: Int, toY: Int, durationMs: Long): Boolean =
        stroke(fromX, fromY, toX, toY, durationMs.coerceIn(1, GestureDescription.getMaxGestureDuration()))

    private fun stroke(fromX: Int, fromY: Int, toX: Int, toY: Int, durationMs: Long): Boolean {
        val (width, height) = screen()
        if (width <= 0 || height <= 0) return false
        val x = { value: Int -> value.coerceIn(0, width - 1).toFloat() }
        val y = { value: Int -> value.coerceIn(0, height - 1).toFloat() }
        val path = Path().apply {
            moveTo(x(fromX), y(fromY))
            lineTo(x(toX), y(toY))
        }
        val gesture = GestureDescription.Builder()
            .addStroke(GestureDescription.StrokeDescription(path, 0, durationMs))
            .build()
        val done = CountDownLatch(1)
        var completed = false
        val callback = object : AccessibilityService.GestureResultCallback() {
            override fun onCompleted(gestureDescription: GestureDescription) {
                completed = true
                done.countDown()
            }

            override fun onCancelled(gestureDescription: GestureDescription) {
                done.countDown()
            }
        }
        if (!service.dispatchGesture(gesture, callback, null)) return false
        return done.await(durationMs + GRACE_MS, TimeUnit.MILLISECONDS) && completed
    }

    private companion object {
        const val TAP_MS = 50L
        const val LONG_PRESS_MS = 800L
        const val GRACE_MS = 2_000L
    }
}
