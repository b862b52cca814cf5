package dev.lobster.android

import dev.lobster.android.system.AppCatalog
import dev.lobster.android.system.EnabledServices
import dev.lobster.android.system.IntentExtras
import dev.lobster.ffi.AppInfo
import dev.lobster.ffi.IntentExtra
import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.IntentValue
import org.junit.Test
import java.time.ZoneId
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

class SystemTest {
    private val ours = "dev.lobster.app/dev.lobster.android.LobsterAccessibilityService"

    @Test
    fun enablingLobsterKeepsEveryOtherService() {
        val talkback = "com.google.android.marvin.talkback/.TalkBackService"
        val switch = "com.android.switchaccess/com.android.switchaccess.SwitchAccessService"
        val before = "$talkback:$switch"
        val after = EnabledServices.with(before, ours, "dev.lobster.app")
        assertEquals("$talkback:$switch:$ours", after)
        assertEquals(after, EnabledServices.with(after, ours, "dev.lobster.app"), "added once")
        assertEquals(before, EnabledServices.without(after, ours, "dev.lobster.app"))
        assertEquals(ours, EnabledServices.with(null, ours, "dev.lobster.app"))
        assertTrue(EnabledServices.contains("dev.lobster.app/dev.lobster.android.LobsterAccessibilityService", ours, "dev.lobster.app"))
        assertTrue(EnabledServices.contains("x/.Y:com.google.android.marvin.talkback/com.google.android.marvin.talkback.TalkBackService", talkback, "any"))
        assertFalse(EnabledServices.contains(before, ours, "dev.lobster.app"))
        assertFalse(EnabledServices.contains("", ours, "dev.lobster.app"))
    }

    @Test
    fun appsAreFoundByLabelExactlyOrNearlySo() {
        val apps = listOf(AppInfo("WeChat", "com.tencent.mm"), AppInfo("Caf\u00e9", "com.example.cafe"), AppInfo("Messages", "com.example.sms"))
        assertEquals("com.tencent.mm", AppCatalog.find("WeChat", apps))
        assertEquals("com.tencent.mm", AppCatalog.find(" wechat ", apps))
        assertEquals("com.example.cafe", AppCatalog.find("Cafe\u0301", apps))
        assertNull(AppCatalog.find("Message", apps), "nothing fuzzier than case and spacing")
    }

    @Test
    fun intentExtrasGetTheirJavaTypesAndLocalTimes() {
        val spec = IntentSpec(
            name = "insert_event",
            action = "android.intent.action.INSERT",
            data = "content://com.android.calendar/events",
            mimeType = null,
            extras = listOf(
                IntentExtra("title", IntentValue.Text("Dentist")),
                IntentExtra("beginTime", IntentValue.LocalDateTime(2026, 11, 21, 9, 30)),
                IntentExtra("android.intent.extra.alarm.HOUR", IntentValue.Int(7)),
                IntentExtra("android.intent.extra.EMAIL", IntentValue.TextArray(listOf("a@example.com"))),
            ),
            chooser = false,
        )
        val extras = IntentExtras.of(spec, ZoneId.of("Europe/Berlin"))
        assertEquals(
            listOf(
                "title" to IntentExtras.Extra.Text("Dentist"),
                "beginTime" to IntentExtras.Extra.Millis(1_795_249_800_000),
                "android.intent.extra.alarm.HOUR" to IntentExtras.Extra.Number(7),
                "android.intent.extra.EMAIL" to IntentExtras.Extra.Texts(listOf("a@example.com")),
            ),
            extras,
        )
    }
}
