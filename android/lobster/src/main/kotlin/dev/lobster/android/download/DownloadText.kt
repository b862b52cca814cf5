package dev.lobster.android.download

import dev.lobster.ffi.DownloadProgress
import java.util.Locale

/** How sizes and progress read in notifications and settings. */
object DownloadText {
    /** [bytes] in MB or GB (decimal, as phones show storage), one decimal. */
    fun bytes(bytes: Long): String = when {
        bytes >= 1_000_000_000 -> String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
        bytes >= 1_000_000 -> String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
        bytes >= 1_000 -> String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
        else -> "$bytes B"
    }

    /** The whole percent [progress] is at, or null when the size is unknown. */
    fun percent(progress: DownloadProgress): Int? {
        val total = progress.totalBytes ?: return null
        if (total <= 0) return null
        return (progress.downloadedBytes.coerceIn(0, total) * 100 / total).toInt()
    }

    /** "12.3 MB of 428.7 MB (2 %)", or "12.3 MB" when the size is unknown. */
    fun progress(progress: DownloadProgress): String {
        val total = progress.totalBytes ?: return bytes(progress.downloadedBytes)
        return "${bytes(progress.downloadedBytes)} of ${bytes(total)} (${percent(progress)} %)"
    }
}

/**
 * Thins progress to what a notification should show: a notification update costs the system
 * a binder call and a redraw, and Android drops an app's updates beyond a few per second. One
 * is due when the whole percent changed and [minIntervalMs] passed, or at the end.
 */
class ProgressThrottle(private val minIntervalMs: Long = 1_000) {
    private var lastPercent: Int? = null
    private var lastAt: Long? = null

    /** Whether [progress], reported at [nowMs], should be shown; if so it counts as shown. */
    fun due(progress: DownloadProgress, nowMs: Long): Boolean {
        val percent = DownloadText.percent(progress)
        val total = progress.totalBytes
        val done = total != null && progress.downloadedBytes >= total
        val last = lastAt
        val due = last == null || done ||
            (percent != lastPercent && nowMs - last >= minIntervalMs) ||
            (percent == null && nowMs - last >= minIntervalMs)
        if (due) {
            lastPercent = percent
            lastAt = nowMs
        }
        return due
    }
}
