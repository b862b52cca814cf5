package dev.lobster.android

import dev.lobster.android.download.DownloadBoard
import dev.lobster.android.download.DownloadBoard.Status
import dev.lobster.android.download.DownloadText
import dev.lobster.android.download.ProgressThrottle
import dev.lobster.ffi.DownloadProgress
import dev.lobster.ffi.ModelStoreException
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The download state the service shares with the screens, and how progress reads. */
class DownloadBoardTest {
    private fun progress(done: Long, total: Long?) = DownloadProgress(downloadedBytes = done, totalBytes = total, resumedFromBytes = 0)

    @Test
    fun observersHearChangesThroughTheDeliveryAndNotAfterLeaving() {
        val delivered = mutableListOf<Runnable>()
        val board = DownloadBoard { delivered += it }
        val heard = mutableListOf<Pair<String, Status>>()
        val observer = DownloadBoard.Observer { name, status -> heard += name to status }
        board.observe(observer)
        board.set("m", Status.Queued)
        assertEquals(Status.Queued, board.status("m"))
        assertTrue(heard.isEmpty(), "observers hear on the delivery thread, not the caller's")
        delivered.forEach { it.run() }
        assertEquals(listOf<Pair<String, Status>>("m" to Status.Queued), heard)
        board.unobserve(observer)
        board.set("m", Status.Installed("/p"))
        delivered.forEach { it.run() }
        assertEquals(1, heard.size)
        board.forget("m")
        assertNull(board.status("m"))
    }

    @Test
    fun cancelledAndBrokenDownloadsResumeRejectedOnesDoNot() {
        val cancelled = DownloadBoard.stopped(ModelStoreException.Cancelled("download of m was cancelled after 5 bytes"))
        assertTrue(cancelled.cancelled && cancelled.resumable)
        assertEquals("download of m was cancelled after 5 bytes", cancelled.message)
        val cut = DownloadBoard.stopped(ModelStoreException.Interrupted("cut"))
        assertTrue(cut.resumable && !cut.cancelled)
        val rejected = DownloadBoard.stopped(ModelStoreException.Rejected("wrong SHA-256"))
        assertFalse(rejected.resumable || rejected.cancelled)
    }

    @Test
    fun sizesAndProgressRead() {
        assertEquals("428.7 MB", DownloadText.bytes(428_730_208))
        assertEquals("1.9 GB", DownloadText.bytes(1_894_532_128))
        assertEquals("512 B", DownloadText.bytes(512))
        assertEquals("21.4 MB of 428.7 MB (5 %)", DownloadText.progress(progress(21_436_511, 428_730_208)))
        assertEquals("3.0 MB", DownloadText.progress(progress(3_000_000, null)))
        assertNull(DownloadText.percent(progress(1, null)))
        assertEquals(100, DownloadText.percent(progress(9, 9)))
        assertEquals(100, DownloadText.percent(progress(10, 9)), "never above 100")
    }

    @Test
    fun theNotificationIsUpdatedOncePerPercentAtMostOncePerIntervalAndAtTheEnd() {
        val throttle = ProgressThrottle(minIntervalMs = 1_000)
        val total = 1_000_000L
        assertTrue(throttle.due(progress(0, total), nowMs = 0), "the first report shows")
        assertFalse(throttle.due(progress(5_000, total), nowMs = 2_000), "same percent")
        assertFalse(throttle.due(progress(20_000, total), nowMs = 500), "too soon")
        assertTrue(throttle.due(progress(20_000, total), nowMs = 1_000))
        assertFalse(throttle.due(progress(990_000, total), nowMs = 1_100), "too soon")
        assertTrue(throttle.due(progress(total, total), nowMs = 1_200), "the end always shows")
        val unknown = ProgressThrottle(minIntervalMs = 1_000)
        assertTrue(unknown.due(progress(1, null), nowMs = 0))
        assertFalse(unknown.due(progress(2, null), nowMs = 999))
        assertTrue(unknown.due(progress(3, null), nowMs = 1_000))
    }
}
