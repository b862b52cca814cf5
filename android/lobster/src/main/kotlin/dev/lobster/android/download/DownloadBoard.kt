package dev.lobster.android.download

import dev.lobster.ffi.DownloadProgress
import dev.lobster.ffi.ModelStoreException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * What the process knows of each model's download, for the screens that show it: the download
 * runs in a foreground service on a worker thread, the settings screen comes and goes. The
 * service writes each change here ([set]); observers hear it through [deliver] (the main
 * thread's handler on Android), so they may touch views. Thread-safe.
 */
class DownloadBoard(private val deliver: (Runnable) -> Unit) {
    /** Where a model's download stands. */
    sealed interface Status {
        /** Waiting for the download before it. */
        data object Queued : Status

        /** Running, this far. */
        data class Running(val progress: DownloadProgress) : Status

        /** Done and verified: the model is installed at [path]. */
        data class Installed(val path: String) : Status

        /**
         * It ended without the model: [message] says why (for the user: no path, no URL).
         * [resumable]: what arrived is kept, and downloading again resumes. [cancelled]: the
         * user stopped it.
         */
        data class Stopped(val message: String, val resumable: Boolean, val cancelled: Boolean) : Status
    }

    /** Hears every change of a model's status. */
    fun interface Observer {
        /** [name]'s download is now [status]. */
        fun onChanged(name: String, status: Status)
    }

    private val statuses = ConcurrentHashMap<String, Status>()
    private val observers = CopyOnWriteArrayList<Observer>()

    /** [name]'s status, or null when no download of it happened in this process. */
    fun status(name: String): Status? = statuses[name]

    /** Records [status] for [name] and tells the observers. */
    fun set(name: String, status: Status) {
        statuses[name] = status
        deliver(Runnable { observers.forEach { it.onChanged(name, status) } })
    }

    /** Forgets [name]'s status (its files were deleted). */
    fun forget(name: String) {
        statuses.remove(name)
    }

    /** Adds [observer]. */
    fun observe(observer: Observer) {
        observers.addIfAbsent(observer)
    }

    /** Removes [observer]. */
    fun unobserve(observer: Observer) {
        observers.remove(observer)
    }

    companion object {
        /** The status a failed download ends in. */
        fun stopped(error: ModelStoreException): Status.Stopped = Status.Stopped(
            message = error.message ?: error.javaClass.simpleName,
            resumable = error is ModelStoreException.Cancelled || error is ModelStoreException.Interrupted ||
                error is ModelStoreException.Network,
            cancelled = error is ModelStoreException.Cancelled,
        )
    }
}
