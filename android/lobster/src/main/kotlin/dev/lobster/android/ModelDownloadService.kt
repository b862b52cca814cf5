package dev.lobster.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.app.Service
import android.content.Context
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Handler
import android.os.IBinder
import android.os.Looper
import android.os.SystemClock
import dev.lobster.android.download.DownloadBoard
import dev.lobster.android.download.DownloadBoard.Status
import dev.lobster.android.download.DownloadText
import dev.lobster.android.download.ProgressThrottle
import dev.lobster.ffi.DownloadListener
import dev.lobster.ffi.DownloadProgress
import dev.lobster.ffi.ModelStoreException
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/**
 * The foreground service model downloads run in.
 *
 * A model is hundreds of megabytes: the download takes minutes, and a download in an activity
 * would die with it (or be throttled in the background). Here it runs on a worker thread of a
 * foreground service of type `dataSync`, with a notification showing its progress and a Cancel
 * action. Downloads queue, one at a time. A cancelled or broken download keeps what arrived
 * and resumes when started again (the Rust store does the resuming, the SHA-256 check and the
 * install). Everyone in the process sees the state in [board].
 *
 * Start downloads with [download] and stop them with [cancel]; the store is [Models.store].
 */
class ModelDownloadService : Service() {
    private val main = Handler(Looper.getMainLooper())
    /** Runs the downloads, one at a time. */
    private val worker: ExecutorService = Executors.newSingleThreadExecutor { runnable ->
        Thread(runnable, "lobster-model-download").apply { isDaemon = true }
    }
    /** Waiting downloads (main thread only). */
    private val queue = ArrayDeque<String>()
    /** The running download (main thread only). */
    private var current: String? = null
    private var foreground = false

    override fun onCreate() {
        super.onCreate()
        Lobster.init(this)
        val channel = NotificationChannel(CHANNEL, "Model downloads", NotificationManager.IMPORTANCE_LOW)
        notifications().createNotificationChannel(channel)
    }

    override fun onBind(intent: Intent): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        val name = intent?.getStringExtra(EXTRA_NAME)
        when {
            name == null -> {}
            intent.action == ACTION_DOWNLOAD -> enqueue(name)
            intent.action == ACTION_CANCEL -> cancelDownload(name)
        }
        // A start must reach the foreground even when it brought nothing to do.
        if (current == null && queue.isEmpty()) {
            if (intent?.action == ACTION_DOWNLOAD) enterForeground(notification(name ?: "", null))
            finish()
        }
        return START_NOT_STICKY
    }

    override fun onDestroy() {
        // Killed mid-download: stop it so the partial file is synced and kept for a resume.
        current?.let { name -> runCatching { Models.store(this).use { it.cancel(name) } } }
        worker.shutdown()
        super.onDestroy()
    }

    /**
     * Android 15+ lets a `dataSync` service run 6 hours a day and then calls this: stop at once
     * (the system ends an app whose service outlives the limit). What arrived is kept; the
     * queued downloads are dropped, resumable later.
     */
    override fun onTimeout(startId: Int, fgsType: Int) {
        for (name in queue) {
            board.set(name, Status.Stopped("the system's time limit for downloads was reached", resumable = true, cancelled = false))
        }
        queue.clear()
        current?.let { name -> runCatching { Models.store(this).use { it.cancel(name) } } }
        finish()
    }

    private fun enqueue(name: String) {
        if (name == current || name in queue) {
            // Each startForegroundService must be answered by a startForeground.
            enterForeground(notification(current ?: name, null))
            return
        }
        queue.addLast(name)
        board.set(name, Status.Queued)
        enterForeground(notification(name, null))
        pump()
    }

    private fun cancelDownload(name: String) {
        if (queue.remove(name)) {
            board.set(name, Status.Stopped("download of $name was cancelled before it started", resumable = true, cancelled = true))
        } else if (name == current) {
            // The download throws Cancelled on its thread, which ends it as any end.
            runCatching { Models.store(this).use { it.cancel(name) } }
        }
    }

    /** Starts the next download if none runs; leaves the foreground when none is left. */
    private fun pump() {
        if (current != null) return
        val name = queue.removeFirstOrNull() ?: return finish()
        current = name
        worker.execute {
            val status = run(name)
            main.post {
                current = null
                board.set(name, status)
                notifications().notify(DONE_ID, finished(name, status))
                pump()
            }
        }
    }

    /** Downloads [name] on the worker thread; what it ended in. */
    private fun run(name: String): Status = try {
        Models.store(this).use { store ->
            val throttle = ProgressThrottle()
            val downloaded = store.download(name, object : DownloadListener {
                override fun onProgress(progress: DownloadProgress) {
                    board.set(name, Status.Running(progress))
                    if (throttle.due(progress, SystemClock.elapsedRealtime())) {
                        notifications().notify(PROGRESS_ID, notification(name, progress))
                    }
                }
            })
            Status.Installed(downloaded.path)
        }
    } catch (error: ModelStoreException) {
        DownloadBoard.stopped(error)
    } catch (error: RuntimeException) {
        // A failure of the binding itself: the service must still end the download.
        Status.Stopped("download of $name failed: ${error.javaClass.simpleName}", resumable = true, cancelled = false)
    }

    private fun finish() {
        if (foreground) {
            stopForeground(STOP_FOREGROUND_REMOVE)
            foreground = false
        }
        stopSelf()
    }

    private fun enterForeground(notification: Notification) {
        if (Platform.atLeast(29)) {
            startForeground(PROGRESS_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_DATA_SYNC)
        } else {
            startForeground(PROGRESS_ID, notification)
        }
        foreground = true
    }

    private fun notifications(): NotificationManager =
        checkNotNull(getSystemService(NotificationManager::class.java)) { "no notification service" }

    /** The ongoing notification of [name]'s download: its progress and a Cancel action. */
    private fun notification(name: String, progress: DownloadProgress?): Notification {
        val percent = progress?.let { DownloadText.percent(it) }
        val builder = Notification.Builder(this, CHANNEL)
            .setContentTitle("Downloading $name")
            .setContentText(progress?.let { DownloadText.progress(it) } ?: "Starting…")
            .setSmallIcon(android.R.drawable.stat_sys_download)
            .setProgress(100, percent ?: 0, percent == null)
            .setOngoing(true)
            .setOnlyAlertOnce(true)
            .addAction(Notification.Action.Builder(null, "Cancel", cancelIntent(this, name)).build())
        openApp()?.let { builder.setContentIntent(it) }
        return builder.build()
    }

    /** The notification a download leaves when it ends. */
    private fun finished(name: String, status: Status): Notification {
        val text = when (status) {
            is Status.Installed -> "Downloaded and verified"
            is Status.Stopped -> if (status.cancelled) "Cancelled; downloading it again resumes" else status.message
            else -> ""
        }
        val title = if (status is Status.Installed) "$name is ready" else "$name was not downloaded"
        val builder = Notification.Builder(this, CHANNEL)
            .setContentTitle(title)
            .setContentText(text)
            .setSmallIcon(android.R.drawable.stat_sys_download_done)
            .setAutoCancel(true)
        openApp()?.let { builder.setContentIntent(it) }
        return builder.build()
    }

    private fun openApp(): PendingIntent? = packageManager.getLaunchIntentForPackage(packageName)?.let { launch ->
        PendingIntent.getActivity(this, 0, launch, PendingIntent.FLAG_IMMUTABLE)
    }

    companion object {
        /** Downloads the model named by [EXTRA_NAME]. */
        const val ACTION_DOWNLOAD = "dev.lobster.android.action.DOWNLOAD_MODEL"
        /** Cancels the download of the model named by [EXTRA_NAME]. */
        const val ACTION_CANCEL = "dev.lobster.android.action.CANCEL_MODEL_DOWNLOAD"
        /** The model's name (a manifest name). */
        const val EXTRA_NAME = "dev.lobster.android.extra.MODEL_NAME"
        private const val CHANNEL = "lobster-model-downloads"
        private const val PROGRESS_ID = 7_101
        private const val DONE_ID = 7_102

        /** The downloads of this process; observers hear changes on the main thread. */
        @JvmStatic
        val board = DownloadBoard { Handler(Looper.getMainLooper()).post(it) }

        /** Downloads [name] in the service (call while the app is in the foreground). */
        @JvmStatic
        fun download(context: Context, name: String) {
            context.startForegroundService(intent(context, ACTION_DOWNLOAD, name))
        }

        /** Cancels [name]'s download, running or queued; what arrived is kept for a resume. */
        @JvmStatic
        fun cancel(context: Context, name: String) {
            context.startService(intent(context, ACTION_CANCEL, name))
        }

        private fun intent(context: Context, action: String, name: String): Intent =
            Intent(context, ModelDownloadService::class.java).setAction(action).putExtra(EXTRA_NAME, name)

        /** The notification's Cancel action: to the service, which cancels the download. */
        private fun cancelIntent(context: Context, name: String): PendingIntent = PendingIntent.getService(
            context,
            name.hashCode(),
            intent(context, ACTION_CANCEL, name),
            PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE,
        )
    }
}
