package dev.lobster.android.framework

import android.hardware.display.DisplayManager
import android.util.DisplayMetrics
import android.view.Display
import dev.lobster.android.AccessibilityDevice
import dev.lobster.android.LobsterAccessibilityService
import dev.lobster.ffi.inspectSnapshot
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import kotlin.test.assertEquals

/** The snapshot's screen size is the display's, not a guess nor the windows' extent. */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], qualifiers = "w360dp-h640dp-xxhdpi")
class DisplaySizeTest {
    @Test
    fun theSnapshotCarriesTheRealDisplaySize() {
        val screen = RealScreen()
        val service = Robolectric.setupService(LobsterAccessibilityService::class.java)
        // A dialog-sized window only: the windows do not cover the screen.
        val (_, dialog) = screen.dialog()
        shadowOf(service).setWindows(listOf(dialog))
        val stats = inspectSnapshot(AccessibilityDevice({ service }).observe())
        val metrics = DisplayMetrics()
        @Suppress("DEPRECATION")
        service.getSystemService(DisplayManager::class.java)!!.getDisplay(Display.DEFAULT_DISPLAY).getRealMetrics(metrics)
        assertEquals(1080, metrics.widthPixels, "the qualifiers give a 1080-pixel-wide display")
        assertEquals(metrics.widthPixels to metrics.heightPixels, stats.screenWidth to stats.screenHeight)
    }
}
