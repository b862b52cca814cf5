package dev.lobster.android.framework

import android.content.ContentProvider
import android.content.ContentValues
import android.database.Cursor
import android.database.MatrixCursor
import android.net.Uri
import android.provider.CalendarContract
import android.provider.ContactsContract
import org.robolectric.Robolectric

/**
 * A content provider registered under a real authority (the contacts', the calendar's) in
 * Robolectric's `ContentResolver`, which has neither: it records each query and answers the
 * [rows] it holds with the columns the query asked for, in that order, so a reader that reads
 * a column it did not ask for fails as it would on a phone. It does not filter: the tests check
 * the selection the reader sent.
 */
class FakeProvider : ContentProvider() {
    /** One query as the provider received it. */
    class Query(val uri: Uri, val selection: String, val args: List<String>)

    /** The queries, in order. */
    val queries = mutableListOf<Query>()

    /** The rows every query answers, each by column name. */
    val rows = mutableListOf<Map<String, Any?>>()

    override fun onCreate(): Boolean = true

    override fun query(
        uri: Uri,
        projection: Array<out String>?,
        selection: String?,
        selectionArgs: Array<out String>?,
        sortOrder: String?,
    ): Cursor {
        queries.add(Query(uri, selection.orEmpty(), selectionArgs?.toList().orEmpty()))
        val columns = requireNotNull(projection) { "the reader names its columns" }
        return MatrixCursor(columns).apply {
            for (row in rows) addRow(columns.map { row[it] })
        }
    }

    override fun getType(uri: Uri): String? = null

    override fun insert(uri: Uri, values: ContentValues?): Uri? = null

    override fun delete(uri: Uri, selection: String?, selectionArgs: Array<out String>?): Int = 0

    override fun update(uri: Uri, values: ContentValues?, selection: String?, selectionArgs: Array<out String>?): Int = 0

    companion object {
        /** A provider for `ContactsContract.AUTHORITY`. */
        fun contacts(): FakeProvider = Robolectric.setupContentProvider(FakeProvider::class.java, ContactsContract.AUTHORITY)

        /** A provider for `CalendarContract.AUTHORITY`. */
        fun calendar(): FakeProvider = Robolectric.setupContentProvider(FakeProvider::class.java, CalendarContract.AUTHORITY)
    }
}
