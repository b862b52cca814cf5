package dev.lobster.android.perform

import dev.lobster.android.snapshot.Bounds
import dev.lobster.ffi.ScrollDirection

/**
 * Gesture geometry: where a finger goes to scroll an area.
 *
 * To reveal the content *below*, the finger moves *up*: it starts at 75% of the area and lifts
 * at 25%, inside the area so it neither starts on a neighbouring view nor flings the page.
 */
object Strokes {
    /** How long a scroll stroke takes: slow enough not to fling. */
    const val SCROLL_MS = 350L

    /** A straight stroke. */
    data class Stroke(val fromX: Int, val fromY: Int, val toX: Int, val toY: Int)

    /** The stroke that scrolls [area] to reveal the content in [direction]; null when too small. */
    fun scroll(area: Bounds, direction: ScrollDirection): Stroke? {
        if (area.width < MIN_AREA || area.height < MIN_AREA) return null
        val x = area.centerX
        val y = area.centerY
        // In Long: `length * 3` of a huge area would overflow an Int; the result lies inside it.
        val near = { start: Int, length: Int -> (start + length.toLong() / 4).toInt() }
        val far = { start: Int, length: Int -> (start + length.toLong() * 3 / 4).toInt() }
        return when (direction) {
            ScrollDirection.DOWN -> Stroke(x, far(area.top, area.height), x, near(area.top, area.height))
            ScrollDirection.UP -> Stroke(x, near(area.top, area.height), x, far(area.top, area.height))
            ScrollDirection.RIGHT -> Stroke(far(area.left, area.width), y, near(area.left, area.width), y)
            ScrollDirection.LEFT -> Stroke(near(area.left, area.width), y, far(area.left, area.width), y)
        }
    }

    private const val MIN_AREA = 8
}
