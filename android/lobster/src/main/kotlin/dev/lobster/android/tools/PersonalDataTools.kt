package dev.lobster.android.tools

import android.app.AlarmManager
import android.content.ContentUris
import android.content.Context
import android.database.Cursor
import android.provider.CalendarContract
import android.provider.ContactsContract
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.android.toolcatalog.ToolText
import dev.lobster.ffi.ActionOutcome
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import java.time.ZonedDateTime

/**
 * `next_alarm`, `find_contact` and `next_event`: the user's own data, read for the planner
 * (`Returned`) in a few words ([ToolText]).
 *
 * - The next alarm is `AlarmManager.getNextAlarmClock`: the one the clock app shows, whichever
 *   app set it.
 * - Contacts are looked up in `ContactsContract.Data` by display name (`LIKE %name%`, `%` and `_`
 *   of the name taken literally), phone numbers and e-mail addresses in one query; at most
 *   [MAX_CONTACTS] contacts with [MAX_WAYS] numbers and addresses each, duplicates dropped.
 * - Events are `CalendarContract.Instances` (recurring events expanded) of visible calendars
 *   over the next 7 days, soonest first, at most [MAX_EVENTS]; one already under way counts.
 *
 * Contacts and the calendar need their runtime permission, checked at each call: without it
 * the tool is `Rejected`, which names the permission and nothing of the user's.
 */
internal class PersonalDataTools(private val context: Context, private val clock: Clock) {
    /** The next alarm's day and time, or "none". */
    fun nextAlarm(): ActionOutcome {
        val alarms = context.getSystemService(AlarmManager::class.java) ?: return ActionOutcome.NoHandler
        val next = alarms.nextAlarmClock?.let { ZonedDateTime.ofInstant(Instant.ofEpochMilli(it.triggerTime), clock.zone) }
        return ActionOutcome.Returned(ToolText.alarm(next, ZonedDateTime.now(clock)))
    }

    /** The contacts whose name contains [name], with their numbers and addresses. */
    fun findContact(name: String): ActionOutcome {
        if (!context.holds(ToolCatalog.READ_CONTACTS)) return ActionOutcome.Rejected("the Contacts permission is not granted")
        val wanted = name.trim()
        if (wanted.isEmpty()) return ActionOutcome.Rejected("no name to look for")
        val data = ContactsContract.Data.CONTENT_URI
        val projection = arrayOf(
            ContactsContract.Data.CONTACT_ID,
            ContactsContract.Data.DISPLAY_NAME,
            ContactsContract.Data.MIMETYPE,
            ContactsContract.Data.DATA1,
            ContactsContract.Data.DATA2,
        )
        val selection = "${ContactsContract.Data.DISPLAY_NAME} LIKE ? ESCAPE '\\' AND ${ContactsContract.Data.MIMETYPE} IN (?, ?)"
        val args = arrayOf(
            "%${escapeLike(wanted)}%",
            ContactsContract.CommonDataKinds.Phone.CONTENT_ITEM_TYPE,
            ContactsContract.CommonDataKinds.Email.CONTENT_ITEM_TYPE,
        )
        val order = "${ContactsContract.Data.DISPLAY_NAME} ASC"
        val cursor = context.contentResolver.query(data, projection, selection, args, order)
            ?: return ActionOutcome.NoHandler
        return ActionOutcome.Returned(ToolText.contacts(cursor.use { contacts(it) }))
    }

    /** The next events of the coming 7 days with their start, or "none". */
    fun nextEvents(): ActionOutcome {
        if (!context.holds(ToolCatalog.READ_CALENDAR)) return ActionOutcome.Rejected("the Calendar permission is not granted")
        val now = ZonedDateTime.now(clock)
        val from = now.toInstant().toEpochMilli()
        val uri = CalendarContract.Instances.CONTENT_URI.buildUpon().also { builder ->
            ContentUris.appendId(builder, from)
            ContentUris.appendId(builder, from + WEEK_MS)
        }.build()
        val projection = arrayOf(
            CalendarContract.Instances.TITLE,
            CalendarContract.Instances.BEGIN,
            CalendarContract.Instances.ALL_DAY,
        )
        val cursor = context.contentResolver.query(
            uri, projection, "${CalendarContract.Instances.VISIBLE} = 1", null, "${CalendarContract.Instances.BEGIN} ASC",
        ) ?: return ActionOutcome.NoHandler
        return ActionOutcome.Returned(ToolText.events(cursor.use { events(it, now) }))
    }

    /** The cursor's rows grouped into contacts, in the cursor's order. */
    private fun contacts(cursor: Cursor): List<ToolText.Contact> {
        class Found(val name: String) {
            val phones = LinkedHashMap<String, String>()
            val emails = LinkedHashSet<String>()
        }
        val found = LinkedHashMap<Long, Found>()
        val id = cursor.getColumnIndexOrThrow(ContactsContract.Data.CONTACT_ID)
        val name = cursor.getColumnIndexOrThrow(ContactsContract.Data.DISPLAY_NAME)
        val mime = cursor.getColumnIndexOrThrow(ContactsContract.Data.MIMETYPE)
        val value = cursor.getColumnIndexOrThrow(ContactsContract.Data.DATA1)
        val type = cursor.getColumnIndexOrThrow(ContactsContract.Data.DATA2)
        while (cursor.moveToNext()) {
            val key = cursor.getLong(id)
            if (key !in found && found.size == MAX_CONTACTS) continue
            val contact = found.getOrPut(key) { Found(cursor.getString(name).orEmpty()) }
            val way = cursor.getString(value)?.trim()?.takeIf { it.isNotEmpty() } ?: continue
            when (cursor.getString(mime)) {
                ContactsContract.CommonDataKinds.Phone.CONTENT_ITEM_TYPE ->
                    if (contact.phones.size < MAX_WAYS) contact.phones.putIfAbsent(way, phoneKind(if (cursor.isNull(type)) -1 else cursor.getInt(type)))
                ContactsContract.CommonDataKinds.Email.CONTENT_ITEM_TYPE ->
                    if (contact.emails.size < MAX_WAYS) contact.emails.add(way)
            }
        }
        return found.values.map { contact ->
            ToolText.Contact(contact.name, contact.phones.map { (number, kind) -> kind to number }, contact.emails.toList())
        }
    }

    /** The first [MAX_EVENTS] instances; an all-day one keeps its date (stored as UTC midnight). */
    private fun events(cursor: Cursor, now: ZonedDateTime): List<ToolText.Event> {
        val title = cursor.getColumnIndexOrThrow(CalendarContract.Instances.TITLE)
        val begin = cursor.getColumnIndexOrThrow(CalendarContract.Instances.BEGIN)
        val allDay = cursor.getColumnIndexOrThrow(CalendarContract.Instances.ALL_DAY)
        val events = mutableListOf<ToolText.Event>()
        while (events.size < MAX_EVENTS && cursor.moveToNext()) {
            val start = Instant.ofEpochMilli(cursor.getLong(begin))
            val text = if (cursor.getInt(allDay) != 0) {
                val date = start.atZone(ZoneOffset.UTC).toLocalDate()
                // The window starts now in the phone's zone; yesterday's all-day event can overlap it.
                if (date < now.toLocalDate()) continue
                "${ToolText.day(date, now)} (all day)"
            } else {
                ToolText.moment(start.atZone(now.zone), now)
            }
            events.add(ToolText.Event(cursor.getString(title).orEmpty(), text))
        }
        return events
    }

    private fun phoneKind(type: Int): String = when (type) {
        ContactsContract.CommonDataKinds.Phone.TYPE_MOBILE -> "mobile"
        ContactsContract.CommonDataKinds.Phone.TYPE_HOME -> "home"
        ContactsContract.CommonDataKinds.Phone.TYPE_WORK, ContactsContract.CommonDataKinds.Phone.TYPE_WORK_MOBILE -> "work"
        ContactsContract.CommonDataKinds.Phone.TYPE_MAIN -> "main"
        else -> "phone"
    }

    private fun escapeLike(text: String): String =
        text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    private companion object {
        const val MAX_CONTACTS = 5
        const val MAX_WAYS = 3
        const val MAX_EVENTS = 3
        const val WEEK_MS = 7L * 24 * 60 * 60 * 1000
    }
}
