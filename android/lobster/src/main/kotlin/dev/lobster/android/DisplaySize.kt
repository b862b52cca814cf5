package dev.lobster.android

import android.content.Context
import android.hardware.display.DisplayManager
import android.util.DisplayMetrics
import android.view.Display
import android.view.WindowManager

/**
 * The screen's size in pixels as the display reports it now (rotation included), for the
 * snapshot's screen size, screen-wide scrolls and clipping gestures.
 *
 * Why not the windows' bounds or a guess: a screen whose windows do not cover it (a dialog, a
 * split screen) would look smaller, and a guessed 1080×2400 sends gestures off a smaller
 * screen and misses most of a bigger one.
 */
internal object DisplaySize {
    /** Width and height of the default display, in pixels. */
    fun of(context: Context): Pair<Int, Int> {
        if (Platform.atLeast(30)) {
            val windows = checkNotNull(context.getSystemService(WindowManager::class.java)) { "no window service" }
            val bounds = windows.maximumWindowMetrics.bounds
            return bounds.width() to bounds.height()
        }
        val displays = checkNotNull(context.getSystemService(DisplayManager::class.java)) { "no display service" }
        val display = checkNotNull(displays.getDisplay(Display.DEFAULT_DISPLAY)) { "no default display" }
        val metrics = DisplayMetrics()
        @Suppress("DEPRECATION")
        display.getRealMetrics(metrics)
        return metrics.widthPixels to metrics.heightPixels
    }
}
