package dev.lobster.android.toolcatalog

import java.time.DayOfWeek
import java.time.LocalDate
import java.time.ZonedDateTime
import java.time.format.TextStyle
import java.time.temporal.ChronoUnit
import java.util.Locale

/**
 * The few words a reading tool gives back to the planner (`ActionOutcome.Returned`): English,
 * short, the same shape every time, so a small model can quote them in its answer ("62 %,
 * charging", "next: Standup today 09:30; Dentist tomorrow 15:00"). It is the user's data: Rust
 * redacts it before it reaches a cloud prompt. "none" when there is nothing to tell.
 */
object ToolText {
    /** What a tool that found nothing answers. */
    const val NONE = "none"

    /** The most characters of the clipboard given back. */
    const val CLIPBOARD_MAX = 500

    /** How the battery is being charged. */
    enum class Charging(val words: String) {
        CHARGING("charging"),
        FULL("full"),
        NOT_CHARGING("not charging"),
    }

    /** "62 %, charging". */
    fun battery(percent: Int, charging: Charging): String = "${percent.coerceIn(0, 100)} %, ${charging.words}"

    /** "2026-12-07 14:30 Europe/Paris (Monday)". */
    fun time(now: ZonedDateTime): String =
        "%04d-%02d-%02d %02d:%02d %s (%s)".format(
            Locale.ROOT, now.year, now.monthValue, now.dayOfMonth, now.hour, now.minute, now.zone.id, dayName(now.dayOfWeek),
        )

    /**
     * When [at] is, seen from [now] (both in the phone's zone): "today 09:30", "tomorrow 15:00",
     * "Friday 10:00" within the week, else "2026-12-20 10:00".
     */
    fun moment(at: ZonedDateTime, now: ZonedDateTime): String = "${day(at.toLocalDate(), now)} ${clock(at)}"

    /** The day of [date] seen from [now], as [moment] writes it. */
    fun day(date: LocalDate, now: ZonedDateTime): String =
        when (ChronoUnit.DAYS.between(now.toLocalDate(), date)) {
            0L -> "today"
            1L -> "tomorrow"
            in 2L..6L -> dayName(date.dayOfWeek)
            else -> "%04d-%02d-%02d".format(Locale.ROOT, date.year, date.monthValue, date.dayOfMonth)
        }

    /** The next alarm: "tomorrow 07:00", or [NONE]. */
    fun alarm(at: ZonedDateTime?, now: ZonedDateTime): String = at?.let { moment(it, now) } ?: NONE

    /** One calendar event: its title and when it starts, as [moment] or "today (all day)". */
    data class Event(val title: String, val start: String)

    /** "next: Standup today 09:30; Dentist tomorrow 15:00", or [NONE]. */
    fun events(events: List<Event>): String =
        if (events.isEmpty()) {
            NONE
        } else {
            "next: " + events.joinToString("; ") { "${it.title.trim().ifEmpty { "(no title)" }} ${it.start}" }
        }

    /** A contact: its name, its numbers with their kind ("mobile"), its e-mail addresses. */
    data class Contact(val name: String, val phones: List<Pair<String, String>>, val emails: List<String>)

    /**
     * "Ana Castillo: mobile +1 415-555-0101; ana@example.com", contacts apart by " | ", or
     * [NONE]. A contact with neither numbers nor addresses is its name alone.
     */
    fun contacts(contacts: List<Contact>): String =
        if (contacts.isEmpty()) {
            NONE
        } else {
            contacts.joinToString(" | ") { contact ->
                val ways = contact.phones.map { (kind, number) -> "$kind $number" } + contact.emails
                if (ways.isEmpty()) contact.name else "${contact.name}: ${ways.joinToString("; ")}"
            }
        }

    /** The kind of connection the phone is on now. */
    enum class Network { WIFI, MOBILE, ETHERNET, OTHER, OFFLINE }

    /** "Wi-Fi (Cafe Lumen)", "Wi-Fi", "mobile data", "mobile data (roaming)", "offline"; ", VPN" when one is on. */
    fun network(network: Network, wifiName: String? = null, roaming: Boolean = false, vpn: Boolean = false): String {
        val base = when (network) {
            Network.WIFI -> wifiName?.takeIf { it.isNotBlank() }?.let { "Wi-Fi ($it)" } ?: "Wi-Fi"
            Network.MOBILE -> if (roaming) "mobile data (roaming)" else "mobile data"
            Network.ETHERNET -> "Ethernet"
            Network.OTHER -> "connected"
            Network.OFFLINE -> return "offline"
        }
        return if (vpn) "$base, VPN" else base
    }

    /** The clipboard's text, cut to [CLIPBOARD_MAX] characters, or "empty". */
    fun clipboard(text: CharSequence?): String {
        if (text.isNullOrEmpty()) return "empty"
        if (text.length <= CLIPBOARD_MAX) return text.toString()
        // Never half a surrogate pair.
        val end = if (Character.isHighSurrogate(text[CLIPBOARD_MAX - 1])) CLIPBOARD_MAX - 1 else CLIPBOARD_MAX
        return text.substring(0, end) + "…"
    }

    private fun clock(at: ZonedDateTime) = "%02d:%02d".format(Locale.ROOT, at.hour, at.minute)

    private fun dayName(day: DayOfWeek) = day.getDisplayName(TextStyle.FULL, Locale.ENGLISH)
}
