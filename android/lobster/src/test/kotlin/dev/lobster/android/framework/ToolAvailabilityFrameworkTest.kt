package dev.lobster.android.framework

import android.app.Application
import android.app.NotificationManager
import android.content.ComponentName
import android.content.IntentFilter
import android.content.pm.PackageManager
import dev.lobster.android.AccessibilityDevice
import dev.lobster.android.LobsterAccessibilityService
import dev.lobster.android.toolcatalog.SpecialAccess
import dev.lobster.android.toolcatalog.ToolAvailability
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.android.tools.AndroidAbilities
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowApplication
import org.robolectric.shadows.ShadowNotificationManager
import org.robolectric.shadows.ShadowPackageManager
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/**
 * [ToolAvailability] over the real framework's answers ([AndroidAbilities]): permissions
 * granted and denied through Robolectric's application, Do Not Disturb access through the
 * notification manager, features and handling activities through the package manager. (The
 * API levels are the pure test's: Robolectric here has API 35 only.)
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ToolAvailabilityFrameworkTest {
    private val context: Application = RuntimeEnvironment.getApplication()
    private val app: ShadowApplication = Shadow.extract(context)
    private val packages: ShadowPackageManager = Shadow.extract(context.packageManager)

    @Before
    fun writeSettingsAsOnAPhone() {
        FrameworkState.writeSettingsAsOnAPhone(context)
    }

    private fun available(privileged: Boolean = false) = AndroidAbilities.availableTools(context, privileged)

    @Test
    fun aBarePhoneOffersOnlyTheToolsThatNeedNothing() {
        assertEquals(
            listOf(
                "open_settings", "share_text", "media_volume", "settings_panel", "media_control", "next_alarm",
                "battery_status", "current_time", "copy_to_clipboard", "open_notifications", "open_quick_settings",
                "lock_screen", "take_screenshot",
            ),
            available(),
        )
        assertTrue("read_clipboard" in available(privileged = true))
    }

    @Test
    fun aPermissionGrantedOffersItsToolsAndDeniedTakesThemAway() {
        app.grantPermissions(ToolCatalog.READ_CONTACTS, ToolCatalog.READ_CALENDAR, ToolCatalog.ACCESS_NETWORK_STATE)
        assertTrue(available().containsAll(listOf("find_contact", "next_event", "network_status")))
        app.denyPermissions(ToolCatalog.READ_CONTACTS)
        assertFalse("find_contact" in available())
        assertTrue("next_event" in available())
    }

    @Test
    fun smsAndCallsNeedTelephonyAndTheirPermission() {
        app.grantPermissions(ToolCatalog.SEND_SMS, ToolCatalog.CALL_PHONE)
        packages.setSystemFeature(PackageManager.FEATURE_TELEPHONY, false)
        assertFalse("send_sms" in available(), "a tablet without telephony")
        packages.setSystemFeature(PackageManager.FEATURE_TELEPHONY, true)
        assertTrue("send_sms" in available())
        assertFalse("call_number" in available(), "no phone app handles ACTION_CALL")
        handle("android.intent.action.CALL", scheme = "tel")
        assertTrue("call_number" in available())
    }

    @Test
    fun theFlashlightNeedsAFlashUnit() {
        packages.setSystemFeature(PackageManager.FEATURE_CAMERA_FLASH, false)
        assertFalse("flashlight" in available())
        packages.setSystemFeature(PackageManager.FEATURE_CAMERA_FLASH, true)
        assertTrue("flashlight" in available())
    }

    @Test
    fun activityToolsNeedAnAppThatHandlesThem() {
        app.grantPermissions(ToolCatalog.SET_ALARM)
        assertFalse("set_alarm" in available())
        handle("android.intent.action.SET_ALARM")
        handle("android.media.action.STILL_IMAGE_CAMERA")
        assertTrue(available().containsAll(listOf("set_alarm", "take_photo")))
        assertFalse("record_video" in available())
    }

    @Test
    fun settingsAccessesOfferTheirToolsAndTheSummarySaysWhatToGrant() {
        app.grantPermissions(ToolCatalog.READ_CALENDAR)
        val abilities = AndroidAbilities(context)
        val grants = ToolAvailability(abilities).grants().associate { it.text to it.tools }
        assertEquals(listOf("ringer_mode", "do_not_disturb"), grants["Grant Do Not Disturb access to enable 2 tools"])
        assertEquals(listOf("screen_brightness"), grants["Grant Modify system settings to enable 1 tool"])
        assertEquals(listOf("find_contact"), grants["Allow Contacts access to enable 1 tool"])
        assertFalse(grants.keys.any { "Calendar" in it }, "already granted")
        val dnd = ToolAvailability(abilities).grants().first()
        assertEquals("android.settings.NOTIFICATION_POLICY_ACCESS_SETTINGS", dnd.settingsAction)

        Shadow.extract<ShadowNotificationManager>(context.getSystemService(NotificationManager::class.java))
            .setNotificationPolicyAccessGranted(true)
        assertTrue(abilities.has(SpecialAccess.NOTIFICATION_POLICY))
        assertTrue(available().containsAll(listOf("ringer_mode", "do_not_disturb")))
        app.grantPermissions("android.permission.WRITE_SETTINGS")
        assertTrue("screen_brightness" in available())
    }

    @Test
    fun theDeviceReportsTheSameTools() {
        val service = Robolectric.setupService(LobsterAccessibilityService::class.java)
        app.grantPermissions(ToolCatalog.READ_CONTACTS)
        assertEquals(AndroidAbilities.availableTools(service), AccessibilityDevice({ service }).availableTools())
        assertTrue("find_contact" in AccessibilityDevice({ service }).availableTools())
    }

    /** Installs an activity handling [action] (with [scheme] data, if any). */
    private fun handle(action: String, scheme: String? = null) {
        val component = ComponentName("com.example.handler", "com.example.handler.${action.substringAfterLast('.')}")
        packages.addActivityIfNotPresent(component)
        packages.addIntentFilterForActivity(
            component,
            IntentFilter(action).apply {
                addCategory("android.intent.category.DEFAULT")
                scheme?.let { addDataScheme(it) }
            },
        )
    }
}
