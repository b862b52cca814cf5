package dev.lobster.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.app.Service
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Binder
import android.os.Handler
import android.os.IBinder
import android.os.Looper
import dev.lobster.android.task.AgentSlot
import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.Device
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TakeoverReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskHandle
import dev.lobster.ffi.TaskListener
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors

/**
 * The foreground service a task runs in.
 *
 * Inference takes seconds per step and a task minutes; a background process is throttled to
 * a crawl and may be killed (ARCHITECTURE.md, decision 6), so the agent lives here, with an
 * ongoing notification that shows the current step and opens the app. An activity binds to it
 * ([LocalBinder]) and starts tasks with [startTask], which returns at once: the model is loaded
 * and the task started on a worker thread (a model load takes seconds; on the main thread it
 * is an ANR). Confirmations and questions are asked in notifications ([UserPrompts]), which
 * reach the user in whatever app the agent is driving.
 *
 * One agent, so one model, per process ([AgentSlot]): a new configuration stops the running
 * task and closes the old agent before the new one loads.
 */
class AgentService : Service() {
    /** What an activity gets when it binds. */
    inner class LocalBinder : Binder() {
        /** The service. */
        val service: AgentService get() = this@AgentService
    }

    /** Hears how [startTask] went, on the main thread. */
    interface StartListener {
        /**
         * The task runs; [handle] cancels it, waits for it, and gives its result. It is the
         * caller's to close (closing cancels the task); the service only cancels it.
         */
        fun onStarted(handle: TaskHandle)

        /**
         * The agent could not be built or the task not started (nothing runs): an
         * `AgentException` as `Agent` and `Agent.start` throw, or what else the load threw.
         */
        fun onFailed(error: Exception)
    }

    private val binder = LocalBinder()
    private val main = Handler(Looper.getMainLooper())

    /** Set in [onDestroy]: posts still queued then must not touch the dead service. */
    private var destroyed = false
    /** Asks the user; created with the service. */
    internal lateinit var prompts: UserPrompts
        private set
    @Volatile private var task: TaskHandle? = null

    /** Builds an agent (loads its model); the constructor of `Agent` unless a test replaces it. */
    internal var createAgent: (AgentConfig, Device) -> Agent = { config, device -> Agent(config, device) }

    override fun onCreate() {
        super.onCreate()
        Lobster.init(this)
        val channel = NotificationChannel(CHANNEL, "Lobster tasks", NotificationManager.IMPORTANCE_LOW)
        notifications().createNotificationChannel(channel)
        prompts = UserPrompts(this, notifications())
    }

    override fun onBind(intent: Intent): IBinder = binder

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        if (intent != null && UserPrompts.isReply(intent)) prompts.onReply(intent)
        return START_NOT_STICKY
    }

    /**
     * Starts [goal] with [config] in the foreground, and returns at once: on a worker thread the
     * running task (if any) is cancelled, the agent is loaded (or the loaded one reused while
     * [config] is the same) and the task started; [started] hears the outcome on the main
     * thread. When it fails the service leaves the foreground. Call on the main thread.
     */
    fun startTask(goal: String, config: AgentConfig, listener: TaskListener, started: StartListener) {
        startInForeground(if (slot.wouldReplace(config)) "Loading the model…" else "Starting…")
        worker.execute {
            val outcome = try {
                stopRunningTask()
                val agent = slot.get(config) { createAgent(it, AccessibilityDevice()) }
                Result.success(agent.start(goal, NotifyingListener(listener)))
            } catch (error: Exception) {
                // AgentException, or anything else: either way nothing runs, and the caller and
                // the foreground state must hear of it (an escaped exception would end the
                // worker's run silently and leave the service in the foreground).
                Result.failure(error)
            }
            outcome.onSuccess { task = it }
            main.post {
                outcome.fold(
                    onSuccess = { started.onStarted(it) },
                    onFailure = { error ->
                        leaveForeground()
                        started.onFailed(error as Exception)
                    },
                )
            }
        }
    }

    /** Cancels the running task, if any. */
    fun stopTask() {
        try {
            task?.cancel()
        } catch (closed: IllegalStateException) {
            // Closed by its owner: closing cancels.
        }
    }

    override fun onDestroy() {
        destroyed = true
        main.removeCallbacksAndMessages(null)
        val running = task
        task = null
        try {
            running?.cancel()
        } catch (closed: IllegalStateException) {
            // Closed by its owner: closing cancels.
        }
        prompts.cancelAll()
        worker.execute { slot.close() }
        super.onDestroy()
    }

    /**
     * Cancels the running task and waits for it to end, so its model can be released. The
     * handle is the caller's (the one [StartListener.onStarted] got): the service never closes
     * it, and one the caller closed already was cancelled by that.
     */
    private fun stopRunningTask() {
        val running = task ?: return
        task = null
        try {
            running.cancel()
            running.waitFor(STOP_WAIT_MS)
        } catch (closed: IllegalStateException) {
            // Closed by its owner: closing cancels.
        }
    }

    private fun notifications(): NotificationManager =
        checkNotNull(getSystemService(NotificationManager::class.java)) { "no notification service" }

    private fun notification(text: String): Notification {
        val builder = Notification.Builder(this, CHANNEL)
            .setContentTitle("Lobster is working")
            .setContentText(text)
            .setSmallIcon(android.R.drawable.ic_dialog_info)
            .setOngoing(true)
            .setOnlyAlertOnce(true)
        // Tapping the notification opens the app (its launcher activity), where the task is.
        packageManager.getLaunchIntentForPackage(packageName)?.let { launch ->
            builder.setContentIntent(PendingIntent.getActivity(this, 0, launch, PendingIntent.FLAG_IMMUTABLE))
        }
        return builder.build()
    }

    private fun startInForeground(text: String) {
        startService(Intent(this, AgentService::class.java))
        if (Platform.atLeast(34)) {
            startForeground(NOTIFICATION_ID, notification(text), ServiceInfo.FOREGROUND_SERVICE_TYPE_SPECIAL_USE)
        } else {
            startForeground(NOTIFICATION_ID, notification(text))
        }
    }

    private fun leaveForeground() {
        // A task's end is posted from the agent's thread and may arrive after onDestroy.
        if (destroyed) return
        stopForeground(STOP_FOREGROUND_REMOVE)
        stopSelf()
    }

    /** Passes events on, shows the step in the notification, asks the user in notifications. */
    private inner class NotifyingListener(private val inner: TaskListener) : TaskListener {
        override fun onEvent(event: TaskEvent) {
            when (event) {
                is TaskEvent.ActionChosen -> notifications().notify(NOTIFICATION_ID, notification("Step ${event.step}: ${event.action}"))
                is TaskEvent.NeedsConfirmation -> notifications().notify(NOTIFICATION_ID, notification("Waiting for your confirmation"))
                is TaskEvent.TakeoverRequested -> notifications().notify(NOTIFICATION_ID, notification("Your turn: ${event.reason}"))
                is TaskEvent.Finished -> main.post {
                    prompts.cancelAll()
                    leaveForeground()
                }
                else -> {}
            }
            inner.onEvent(event)
        }

        /** Asked in a notification; [inner] hears it too and may answer first (one answer counts). */
        override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {
            prompts.confirm(request.reason, allow = { reply.allow() }, deny = { reply.deny() })
            inner.onConfirmationRequest(request, reply)
        }

        /** Asked in a notification; [inner] hears it too and may answer first (one answer counts). */
        override fun onQuestion(question: String, reply: QuestionReply) {
            prompts.ask(question, answer = { reply.answer(it) }, dismiss = { reply.dismiss() })
            inner.onQuestion(question, reply)
        }

        /** Handed over in a notification; [inner] hears it too and may answer first (one answer counts). */
        override fun onTakeover(reason: String, reply: TakeoverReply) {
            prompts.takeOver(reason, done = { reply.done() }, decline = { reply.decline() })
            inner.onTakeover(reason, reply)
        }
    }

    private companion object {
        const val CHANNEL = "lobster-tasks"
        const val NOTIFICATION_ID = 7_001
        const val STOP_WAIT_MS = 10_000L

        /** The process's one agent (and model). */
        val slot = AgentSlot<AgentConfig, Agent>()

        /** Loads models and starts tasks, one at a time, off the main thread. */
        val worker: ExecutorService = Executors.newSingleThreadExecutor { runnable ->
            Thread(runnable, "lobster-agent-start").apply { isDaemon = true }
        }
    }
}
