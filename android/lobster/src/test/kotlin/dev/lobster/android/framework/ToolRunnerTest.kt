package dev.lobster.android.framework

import android.accessibilityservice.AccessibilityService
import android.app.AlarmManager
import android.app.Application
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.ClipboardManager
import android.content.Intent
import android.content.pm.PackageManager
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import android.media.AudioManager
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.os.BatteryManager
import android.provider.ContactsContract
import android.provider.Settings
import android.telephony.SmsManager
import android.view.KeyEvent
import dev.lobster.android.AndroidSystemActions
import dev.lobster.android.LobsterAccessibilityService
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.android.tools.ToolRunner
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.ToolArg
import dev.lobster.ffi.ToolCall
import dev.lobster.ffi.ToolValue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowApplication
import org.robolectric.shadows.ShadowAudioManager
import org.robolectric.shadows.ShadowCameraCharacteristics
import org.robolectric.shadows.ShadowCameraManager
import org.robolectric.shadows.ShadowConnectivityManager
import org.robolectric.shadows.ShadowNetworkCapabilities
import org.robolectric.shadows.ShadowNotificationManager
import org.robolectric.shadows.ShadowPackageManager
import org.robolectric.shadows.ShadowSmsManager
import org.robolectric.shadows.ShadowSubscriptionManager
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZonedDateTime
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * The real [ToolRunner] against Robolectric's framework: each tool changes (or reads) the state
 * of the real system service it maps to, and a missing permission or access is `Rejected`
 * with nothing changed. The contacts and calendar providers are stand-ins ([FakeProvider])
 * registered for the real authorities; the rest is the framework's.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ToolRunnerTest {
    private val context: Application = RuntimeEnvironment.getApplication()
    private val zone = ZoneId.of("Europe/Paris")
    /** Monday 2026-12-07, 14:30 in Paris. */
    private val now = ZonedDateTime.of(2026, 12, 7, 14, 30, 0, 0, zone)
    private val clock = Clock.fixed(now.toInstant(), zone)
    private val globals = mutableListOf<Int>()

    private fun runner(privileged: Boolean = false, acceptGlobal: Boolean = true) =
        ToolRunner(context, { globals.add(it); acceptGlobal }, privileged, clock)

    private fun run(name: String, vararg args: Pair<String, ToolValue>, privileged: Boolean = false): ActionOutcome =
        runner(privileged).run(ToolCall(name, args.map { (key, value) -> ToolArg(key, value) }))

    private fun word(value: String) = ToolValue.Word(value)
    private fun int(value: Int) = ToolValue.Int(value)
    private fun text(value: String) = ToolValue.Text(value)

    private fun app(): ShadowApplication = Shadow.extract(context)
    private inline fun <reified T> service(): T = context.getSystemService(T::class.java)!!

    @Test
    fun theFlashlightTogglesTheTorchOfTheBackCameraWithAFlash() {
        val cameras = service<CameraManager>()
        val front = ShadowCameraCharacteristics.newCameraCharacteristics().also {
            Shadow.extract<ShadowCameraCharacteristics>(it).set(CameraCharacteristics.FLASH_INFO_AVAILABLE, false)
            Shadow.extract<ShadowCameraCharacteristics>(it).set(CameraCharacteristics.LENS_FACING, CameraCharacteristics.LENS_FACING_FRONT)
        }
        Shadow.extract<ShadowCameraManager>(cameras).addCamera("1", front)
        assertEquals(ActionOutcome.NoHandler, run("flashlight", "state" to word("on")), "no camera with a flash unit")

        val back = ShadowCameraCharacteristics.newCameraCharacteristics().also {
            Shadow.extract<ShadowCameraCharacteristics>(it).set(CameraCharacteristics.FLASH_INFO_AVAILABLE, true)
            Shadow.extract<ShadowCameraCharacteristics>(it).set(CameraCharacteristics.LENS_FACING, CameraCharacteristics.LENS_FACING_BACK)
        }
        Shadow.extract<ShadowCameraManager>(cameras).addCamera("0", back)
        assertEquals(ActionOutcome.Performed, run("flashlight", "state" to word("on")))
        assertTrue(Shadow.extract<ShadowCameraManager>(cameras).getTorchMode("0"))
        assertEquals(ActionOutcome.Performed, run("flashlight", "state" to word("off")))
        assertFalse(Shadow.extract<ShadowCameraManager>(cameras).getTorchMode("0"))
        assertIs<ActionOutcome.Rejected>(run("flashlight", "state" to word("dim")))
    }

    @Test
    fun theRingerChangesOnlyWithDoNotDisturbAccess() {
        val audio = service<AudioManager>()
        audio.ringerMode = AudioManager.RINGER_MODE_NORMAL
        assertIs<ActionOutcome.Rejected>(run("ringer_mode", "mode" to word("silent")))
        assertEquals(AudioManager.RINGER_MODE_NORMAL, audio.ringerMode, "nothing changed")

        Shadow.extract<ShadowNotificationManager>(service<NotificationManager>()).setNotificationPolicyAccessGranted(true)
        assertEquals(ActionOutcome.Performed, run("ringer_mode", "mode" to word("silent")))
        assertEquals(AudioManager.RINGER_MODE_SILENT, audio.ringerMode)
        assertEquals(ActionOutcome.Performed, run("ringer_mode", "mode" to word("vibrate")))
        assertEquals(AudioManager.RINGER_MODE_VIBRATE, audio.ringerMode)
        assertEquals(ActionOutcome.Performed, run("ringer_mode", "mode" to word("normal")))
        assertEquals(AudioManager.RINGER_MODE_NORMAL, audio.ringerMode)
    }

    @Test
    fun theMediaVolumeIsAPercentOfTheMusicStreamsRange() {
        val audio = service<AudioManager>()
        val max = audio.getStreamMaxVolume(AudioManager.STREAM_MUSIC)
        assertTrue(max > 2, "a range to set: 0..$max")
        assertEquals(ActionOutcome.Performed, run("media_volume", "percent" to int(40)))
        assertEquals((max * 40 + 50) / 100, audio.getStreamVolume(AudioManager.STREAM_MUSIC))
        run("media_volume", "percent" to int(100))
        assertEquals(max, audio.getStreamVolume(AudioManager.STREAM_MUSIC))
        run("media_volume", "percent" to int(0))
        assertEquals(0, audio.getStreamVolume(AudioManager.STREAM_MUSIC))
    }

    @Test
    fun doNotDisturbSetsTheInterruptionFilterWhenAccessIsGranted() {
        val notifications = service<NotificationManager>()
        val before = notifications.currentInterruptionFilter
        val refused = assertIs<ActionOutcome.Rejected>(run("do_not_disturb", "state" to word("on")))
        assertEquals("Do Not Disturb access is not granted", refused.reason)
        assertEquals(before, notifications.currentInterruptionFilter, "nothing changed")

        Shadow.extract<ShadowNotificationManager>(notifications).setNotificationPolicyAccessGranted(true)
        assertEquals(ActionOutcome.Performed, run("do_not_disturb", "state" to word("on")))
        assertEquals(NotificationManager.INTERRUPTION_FILTER_PRIORITY, notifications.currentInterruptionFilter)
        assertEquals(ActionOutcome.Performed, run("do_not_disturb", "state" to word("off")))
        assertEquals(NotificationManager.INTERRUPTION_FILTER_ALL, notifications.currentInterruptionFilter)
    }

    @Test
    fun theBrightnessIsWrittenOnlyWhenSettingsMayBeModified() {
        val resolver = context.contentResolver
        Settings.System.putInt(resolver, Settings.System.SCREEN_BRIGHTNESS_MODE, Settings.System.SCREEN_BRIGHTNESS_MODE_AUTOMATIC)
        Settings.System.putInt(resolver, Settings.System.SCREEN_BRIGHTNESS, 200)
        FrameworkState.writeSettingsAsOnAPhone(context)
        assertFalse(Settings.System.canWrite(context))
        assertIs<ActionOutcome.Rejected>(run("screen_brightness", "percent" to int(50)))
        assertEquals(200, Settings.System.getInt(resolver, Settings.System.SCREEN_BRIGHTNESS), "nothing changed")
        app().grantPermissions("android.permission.WRITE_SETTINGS")
        assertTrue(Settings.System.canWrite(context))
        assertEquals(ActionOutcome.Performed, run("screen_brightness", "percent" to int(50)))
        assertEquals(128, Settings.System.getInt(resolver, Settings.System.SCREEN_BRIGHTNESS))
        assertEquals(Settings.System.SCREEN_BRIGHTNESS_MODE_MANUAL, Settings.System.getInt(resolver, Settings.System.SCREEN_BRIGHTNESS_MODE))
        run("screen_brightness", "percent" to int(0))
        assertEquals(1, Settings.System.getInt(resolver, Settings.System.SCREEN_BRIGHTNESS), "never black")
    }

    @Test
    fun mediaCommandsAreKeyPressesToTheMediaSession() {
        val audio = service<AudioManager>()
        assertEquals(ActionOutcome.Performed, run("media_control", "command" to word("pause")))
        assertEquals(ActionOutcome.Performed, run("media_control", "command" to word("next")))
        val keys = Shadow.extract<ShadowAudioManager>(audio).dispatchedMediaKeyEvents.map { it.action to it.keyCode }
        assertEquals(
            listOf(
                KeyEvent.ACTION_DOWN to KeyEvent.KEYCODE_MEDIA_PAUSE, KeyEvent.ACTION_UP to KeyEvent.KEYCODE_MEDIA_PAUSE,
                KeyEvent.ACTION_DOWN to KeyEvent.KEYCODE_MEDIA_NEXT, KeyEvent.ACTION_UP to KeyEvent.KEYCODE_MEDIA_NEXT,
            ),
            keys,
        )
    }

    @Test
    fun theBatteryIsReadFromTheStickyBroadcast() {
        @Suppress("DEPRECATION")
        context.sendStickyBroadcast(
            Intent(Intent.ACTION_BATTERY_CHANGED)
                .putExtra(BatteryManager.EXTRA_LEVEL, 31)
                .putExtra(BatteryManager.EXTRA_SCALE, 50)
                .putExtra(BatteryManager.EXTRA_STATUS, BatteryManager.BATTERY_STATUS_CHARGING),
        )
        assertEquals(ActionOutcome.Returned("62 %, charging"), run("battery_status"))
        @Suppress("DEPRECATION")
        context.sendStickyBroadcast(
            Intent(Intent.ACTION_BATTERY_CHANGED)
                .putExtra(BatteryManager.EXTRA_LEVEL, 100)
                .putExtra(BatteryManager.EXTRA_SCALE, 100)
                .putExtra(BatteryManager.EXTRA_STATUS, BatteryManager.BATTERY_STATUS_DISCHARGING),
        )
        assertEquals(ActionOutcome.Returned("100 %, not charging"), run("battery_status"))
    }

    @Test
    fun theTimeIsTheClocksInItsZone() {
        assertEquals(ActionOutcome.Returned("2026-12-07 14:30 Europe/Paris (Monday)"), run("current_time"))
    }

    @Test
    fun copiedTextIsReadBackByAPrivilegedAgentOnly() {
        assertEquals(ActionOutcome.Returned("empty"), run("read_clipboard", privileged = true))
        assertEquals(ActionOutcome.Performed, run("copy_to_clipboard", "text" to text("Gate code 4512")))
        assertEquals("Gate code 4512", service<ClipboardManager>().primaryClip?.getItemAt(0)?.text.toString())
        assertEquals(ActionOutcome.Returned("Gate code 4512"), run("read_clipboard", privileged = true))
        val refused = assertIs<ActionOutcome.Rejected>(run("read_clipboard"))
        assertFalse("4512" in refused.reason, "no clipboard text in the reason")
    }

    @Test
    fun theNextAlarmIsTheAlarmClocksOrNone() {
        assertEquals(ActionOutcome.Returned("none"), run("next_alarm"))
        val tomorrowSeven = now.plusDays(1).withHour(7).withMinute(0).toInstant().toEpochMilli()
        val show = PendingIntent.getBroadcast(context, 0, Intent("dev.lobster.test.ALARM"), PendingIntent.FLAG_IMMUTABLE)
        service<AlarmManager>().setAlarmClock(AlarmManager.AlarmClockInfo(tomorrowSeven, show), show)
        assertEquals(ActionOutcome.Returned("tomorrow 07:00"), run("next_alarm"))
    }

    @Test
    fun contactsAreFoundByNameWithTheirNumbersAndAddresses() {
        val provider = FakeProvider.contacts()
        val refused = assertIs<ActionOutcome.Rejected>(run("find_contact", "name" to text("Ana")))
        assertEquals("the Contacts permission is not granted", refused.reason)
        assertTrue(provider.queries.isEmpty(), "nothing read without the permission")

        app().grantPermissions(ToolCatalog.READ_CONTACTS)
        fun row(id: Long, name: String, mime: String, value: String, type: Int? = null) = mapOf(
            "contact_id" to id, "display_name" to name, "mimetype" to mime, "data1" to value, "data2" to type,
        )
        val phone = ContactsContract.CommonDataKinds.Phone.CONTENT_ITEM_TYPE
        val email = ContactsContract.CommonDataKinds.Email.CONTENT_ITEM_TYPE
        provider.rows += listOf(
            row(1, "Ana Castillo", phone, "+1 415-555-0101", ContactsContract.CommonDataKinds.Phone.TYPE_MOBILE),
            row(1, "Ana Castillo", phone, "+1 415-555-0199", ContactsContract.CommonDataKinds.Phone.TYPE_WORK),
            row(1, "Ana Castillo", email, "ana@example.com"),
            // The same number from a second account's raw contact.
            row(1, "Ana Castillo", phone, "+1 415-555-0101", ContactsContract.CommonDataKinds.Phone.TYPE_MOBILE),
            row(2, "Anatole Roy", phone, "+33 1 23 45 67 89", ContactsContract.CommonDataKinds.Phone.TYPE_HOME),
        )
        assertEquals(
            ActionOutcome.Returned(
                "Ana Castillo: mobile +1 415-555-0101; work +1 415-555-0199; ana@example.com | Anatole Roy: home +33 1 23 45 67 89",
            ),
            run("find_contact", "name" to text(" Ana ")),
        )
        val query = provider.queries.single()
        assertEquals("%Ana%", query.args.first())
        assertTrue(query.selection.contains("LIKE ? ESCAPE"), query.selection)
        // LIKE's wildcards in a name are taken literally.
        run("find_contact", "name" to text("50%_off"))
        assertEquals("%50\\%\\_off%", provider.queries.last().args.first())
        provider.rows.clear()
        assertEquals(ActionOutcome.Returned("none"), run("find_contact", "name" to text("Zed")))
    }

    @Test
    fun theNextEventsAreTheCalendarsInstancesOfTheComingWeek() {
        val provider = FakeProvider.calendar()
        assertIs<ActionOutcome.Rejected>(run("next_event"))
        app().grantPermissions(ToolCatalog.READ_CALENDAR)
        assertEquals(ActionOutcome.Returned("none"), run("next_event"))

        fun at(day: Long, hour: Int, minute: Int) = now.plusDays(day).withHour(hour).withMinute(minute).toInstant().toEpochMilli()
        val wednesdayUtcMidnight = Instant.parse("2026-12-09T00:00:00Z").toEpochMilli()
        val sundayUtcMidnight = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli()
        fun row(title: String, begin: Long, allDay: Int) = mapOf("title" to title, "begin" to begin, "allDay" to allDay)
        provider.rows += listOf(
            row("Yesterday's trip", sundayUtcMidnight, 1),
            row("Review", at(0, 16, 0), 0),
            row("Dentist", at(1, 15, 0), 0),
            row("Holiday", wednesdayUtcMidnight, 1),
            row("Fourth", at(4, 9, 0), 0),
        )
        assertEquals(
            ActionOutcome.Returned("next: Review today 16:00; Dentist tomorrow 15:00; Holiday Wednesday (all day)"),
            run("next_event"),
        )
        val query = provider.queries.last()
        val from = now.toInstant().toEpochMilli()
        assertEquals(listOf("instances", "when", "$from", "${from + 7 * 24 * 3600 * 1000L}"), query.uri.pathSegments)
        assertEquals("visible = 1", query.selection)
    }

    @Test
    fun theNetworkIsTheActiveOnesTransport() {
        val connectivity = service<ConnectivityManager>()
        val shadow = Shadow.extract<ShadowConnectivityManager>(connectivity)
        assertIs<ActionOutcome.Rejected>(run("network_status"))
        app().grantPermissions(ToolCatalog.ACCESS_NETWORK_STATE)

        val network = connectivity.activeNetwork!!
        val wifi = ShadowNetworkCapabilities.newInstance()
        Shadow.extract<ShadowNetworkCapabilities>(wifi).addTransportType(NetworkCapabilities.TRANSPORT_WIFI)
        Shadow.extract<ShadowNetworkCapabilities>(wifi).addCapability(NetworkCapabilities.NET_CAPABILITY_NOT_ROAMING)
        shadow.setNetworkCapabilities(network, wifi)
        assertEquals(ActionOutcome.Returned("Wi-Fi"), run("network_status"), "no name without a location permission")

        val roaming = ShadowNetworkCapabilities.newInstance()
        Shadow.extract<ShadowNetworkCapabilities>(roaming).addTransportType(NetworkCapabilities.TRANSPORT_CELLULAR)
        shadow.setNetworkCapabilities(network, roaming)
        assertEquals(ActionOutcome.Returned("mobile data (roaming)"), run("network_status"))

        shadow.clearAllNetworks()
        shadow.setActiveNetworkInfo(null)
        assertEquals(ActionOutcome.Returned("offline"), run("network_status"))
    }

    @Test
    fun anSmsIsSentDirectlyAndALongOneInParts() {
        val packages = Shadow.extract<ShadowPackageManager>(context.packageManager)
        packages.setSystemFeature(PackageManager.FEATURE_TELEPHONY, false)
        assertEquals(ActionOutcome.NoHandler, run("send_sms", "to" to text("+15550100"), "body" to text("On my way")))
        packages.setSystemFeature(PackageManager.FEATURE_TELEPHONY, true)
        assertIs<ActionOutcome.Rejected>(run("send_sms", "to" to text("+15550100"), "body" to text("On my way")))

        app().grantPermissions(ToolCatalog.SEND_SMS)
        // No SMS subscription and no SMS service: the radio takes no SMS.
        assertEquals(ActionOutcome.NoHandler, run("send_sms", "to" to text("+15550100"), "body" to text("On my way")))
        ShadowSubscriptionManager.setDefaultSmsSubscriptionId(1)
        assertEquals(ActionOutcome.Performed, run("send_sms", "to" to text("+15550100"), "body" to text("On my way")))
        val sms = Shadow.extract<ShadowSmsManager>(service<SmsManager>().createForSubscriptionId(1))
        assertEquals("+15550100", sms.lastSentTextMessageParams.destinationAddress)
        assertEquals("On my way", sms.lastSentTextMessageParams.text)

        val long = "Running late, the train is stuck between stations. ".repeat(5)
        assertEquals(ActionOutcome.Performed, run("send_sms", "to" to text("+15550100"), "body" to text(long)))
        val parts = sms.lastSentMultipartTextMessageParams.parts
        assertTrue(parts.size > 1, "${long.length} characters in ${parts.size} parts")
        assertEquals(long, parts.joinToString(""))
    }

    @Test
    fun theShadeLockAndScreenshotAreTheServicesGlobalActions() {
        for (name in listOf("open_notifications", "open_quick_settings", "lock_screen", "take_screenshot")) {
            assertEquals(ActionOutcome.Performed, run(name), name)
        }
        assertEquals(
            listOf(
                AccessibilityService.GLOBAL_ACTION_NOTIFICATIONS,
                AccessibilityService.GLOBAL_ACTION_QUICK_SETTINGS,
                AccessibilityService.GLOBAL_ACTION_LOCK_SCREEN,
                AccessibilityService.GLOBAL_ACTION_TAKE_SCREENSHOT,
            ),
            globals,
        )
        assertIs<ActionOutcome.Rejected>(runner(acceptGlobal = false).run(ToolCall("lock_screen", emptyList())))
    }

    @Test
    fun aCallWithoutThePhonePermissionIsRejectedBeforeAnythingStarts() {
        val service = Robolectric.setupService(LobsterAccessibilityService::class.java)
        val system = AndroidSystemActions(service, { 1080 to 2400 })
        val call = IntentSpec("call_number", Intent.ACTION_CALL, "tel:+15550100", null, emptyList(), false)
        assertEquals(ActionOutcome.Rejected("the Phone permission is not granted"), system.startIntent(call))
        app().grantPermissions(ToolCatalog.CALL_PHONE)
        assertEquals(ActionOutcome.NoHandler, system.startIntent(call), "no phone app installed")
        // The platform-call tools go to the runner, its global actions to the service.
        assertIs<ActionOutcome.Returned>(system.runTool(ToolCall("current_time", emptyList())))
    }

    @Test
    fun unknownToolsAndMissingArgumentsNeverThrow() {
        assertEquals(ActionOutcome.NoHandler, run("teleport"))
        assertIs<ActionOutcome.Rejected>(run("media_volume"))
        assertIs<ActionOutcome.Rejected>(run("media_volume", "percent" to word("loud")))
    }
}
