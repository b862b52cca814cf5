package dev.lobster.android

import dev.lobster.android.toolcatalog.ToolArgs
import dev.lobster.android.toolcatalog.ToolText
import dev.lobster.ffi.ToolArg
import dev.lobster.ffi.ToolCall
import dev.lobster.ffi.ToolValue
import org.junit.Test
import java.time.LocalDate
import java.time.ZoneId
import java.time.ZonedDateTime
import kotlin.test.assertEquals
import kotlin.test.assertNull

class ToolTextTest {
    private val zone = ZoneId.of("Europe/Paris")
    /** Monday 2026-12-07, 14:30. */
    private val now = ZonedDateTime.of(2026, 12, 7, 14, 30, 0, 0, zone)

    @Test
    fun momentsAreSaidFromToday() {
        assertEquals("today 16:05", ToolText.moment(now.withHour(16).withMinute(5), now))
        assertEquals("tomorrow 07:00", ToolText.moment(now.plusDays(1).withHour(7).withMinute(0), now))
        assertEquals("Sunday 10:00", ToolText.moment(now.plusDays(6).withHour(10).withMinute(0), now))
        assertEquals("2026-12-14 10:00", ToolText.moment(now.plusDays(7).withHour(10).withMinute(0), now))
        assertEquals("2026-12-06", ToolText.day(LocalDate.of(2026, 12, 6), now), "a past day by its date")
        assertEquals("none", ToolText.alarm(null, now))
    }

    @Test
    fun readingsHaveOneShapeEach() {
        assertEquals("62 %, charging", ToolText.battery(62, ToolText.Charging.CHARGING))
        assertEquals("100 %, full", ToolText.battery(104, ToolText.Charging.FULL))
        assertEquals("2026-12-07 14:30 Europe/Paris (Monday)", ToolText.time(now))
        assertEquals("Wi-Fi (Cafe Lumen)", ToolText.network(ToolText.Network.WIFI, "Cafe Lumen"))
        assertEquals("Wi-Fi, VPN", ToolText.network(ToolText.Network.WIFI, " ", vpn = true))
        assertEquals("mobile data (roaming)", ToolText.network(ToolText.Network.MOBILE, roaming = true))
        assertEquals("offline", ToolText.network(ToolText.Network.OFFLINE, vpn = true))
        assertEquals(
            "next: Standup today 09:30; (no title) tomorrow 15:00",
            ToolText.events(listOf(ToolText.Event("Standup", "today 09:30"), ToolText.Event(" ", "tomorrow 15:00"))),
        )
        assertEquals("none", ToolText.events(emptyList()))
        assertEquals(
            "Ana Castillo: mobile +1 415-555-0101; ana@example.com | Bo",
            ToolText.contacts(
                listOf(
                    ToolText.Contact("Ana Castillo", listOf("mobile" to "+1 415-555-0101"), listOf("ana@example.com")),
                    ToolText.Contact("Bo", emptyList(), emptyList()),
                ),
            ),
        )
        assertEquals("none", ToolText.contacts(emptyList()))
    }

    @Test
    fun theClipboardIsCutNeverInsideACharacter() {
        assertEquals("empty", ToolText.clipboard(""))
        assertEquals("empty", ToolText.clipboard(null))
        val long = "a".repeat(ToolText.CLIPBOARD_MAX - 1) + "\uD83E\uDD9E" + "tail"
        val cut = ToolText.clipboard(long)
        assertEquals("a".repeat(ToolText.CLIPBOARD_MAX - 1) + "…", cut)
    }

    @Test
    fun argumentsAreReadByKeyAndType() {
        val call = ToolCall(
            "send_sms",
            listOf(ToolArg("to", ToolValue.Text("+15550100")), ToolArg("percent", ToolValue.Int(40)), ToolArg("state", ToolValue.Word("on"))),
        )
        assertEquals("+15550100", ToolArgs.text(call, "to"))
        assertEquals(40, ToolArgs.int(call, "percent"))
        assertEquals("on", ToolArgs.word(call, "state"))
        assertNull(ToolArgs.int(call, "to"), "another type")
        assertNull(ToolArgs.text(call, "body"), "absent")
    }
}
