package dev.lobster.app.framework

import android.Manifest
import dev.lobster.app.MainActivity
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull

/** The sample app's main screen under Robolectric (API 35). */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class MainActivityTest {
    @Test
    fun itAsksForNotificationsOnAndroid13AndLater() {
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        val request = assertNotNull(shadowOf(activity).lastRequestedPermission, "POST_NOTIFICATIONS was never requested")
        assertEquals(listOf(Manifest.permission.POST_NOTIFICATIONS), request.requestedPermissions.toList())
    }

    @Test
    fun itDoesNotAskAgainOnceGranted() {
        val app = org.robolectric.RuntimeEnvironment.getApplication()
        shadowOf(app).grantPermissions(Manifest.permission.POST_NOTIFICATIONS)
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        assertNull(shadowOf(activity).lastRequestedPermission)
    }
}
