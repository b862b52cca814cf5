package dev.lobster.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.Service
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Binder
import android.os.IBinder
import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskHandle
import dev.lobster.ffi.TaskListener

/**
 * The foreground service a task runs in.
 *
 * Inference takes seconds per step and a task minutes; a background process is throttled to
 * a crawl and may be killed (ARCHITECTURE.md, decision 6), so the agent lives here, with an ongoing
 * notification that shows the current step. An activity binds to it ([LocalBinder]) and starts
 * tasks with [startTask]; the listener it passes gets every event, and the service also keeps
 * the notification up to date. The agent (and its model) stays loaded while the configuration
 * does not change.
 */
class AgentService : Service() {
    /** What an activity gets when it binds. */
    inner class LocalBinder : Binder() {
        /** The service. */
        val service: AgentService get() = this@AgentService
    }

    private val binder = LocalBinder()
    private var agent: Agent? = null
    private var agentConfig: AgentConfig? = null
    private var task: TaskHandle? = null

    override fun onCreate() {
        super.onCreate()
        Lobster.init(this)
        val channel = NotificationChannel(CHANNEL, "Lobster tasks", NotificationManager.IMPORTANCE_LOW)
        notifications().createNotificationChannel(channel)
    }

    override fun onBind(intent: Intent): IBinder = binder

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int = START_NOT_STICKY

    /**
     * Starts [goal] with [config] (reusing the loaded agent when the configuration is the
     * same), in the foreground. Throws `AgentException` as `Agent` and `Agent.start` do.
     */
    fun startTask(goal: String, config: AgentConfig, listener: TaskListener): TaskHandle {
        val current = agent?.takeIf { agentConfig == config } ?: Agent(config, AccessibilityDevice()).also {
            agent?.close()
            agent = it
            agentConfig = config
        }
        startInForeground("Starting…")
        val handle = current.start(goal, NotifyingListener(listener))
        task = handle
        return handle
    }

    /** Cancels the running task, if any. */
    fun stopTask() {
        task?.cancel()
    }

    override fun onDestroy() {
        task?.close()
        agent?.close()
        super.onDestroy()
    }

    private fun notifications(): NotificationManager =
        getSystemService(NotificationManager::class.java)

    private fun notification(text: String): Notification =
        Notification.Builder(this, CHANNEL)
            .setContentTitle("Lobster is working")
            .setContentText(text)
            .setSmallIcon(android.R.drawable.ic_dialog_info)
            .setOngoing(true)
            .setOnlyAlertOnce(true)
            .build()

    private fun startInForeground(text: String) {
        startService(Intent(this, AgentService::class.java))
        if (Platform.atLeast(34)) {
            startForeground(NOTIFICATION_ID, notification(text), ServiceInfo.FOREGROUND_SERVICE_TYPE_SPECIAL_USE)
        } else {
            startForeground(NOTIFICATION_ID, notification(text))
        }
    }

    /** Passes events on, and shows the step in the notification. */
    private inner class NotifyingListener(private val inner: TaskListener) : TaskListener {
        override fun onEvent(event: TaskEvent) {
            when (event) {
                is TaskEvent.ActionChosen -> notifications().notify(NOTIFICATION_ID, notification("Step ${event.step}: ${event.action}"))
                is TaskEvent.NeedsConfirmation -> notifications().notify(NOTIFICATION_ID, notification("Waiting for your confirmation"))
                is TaskEvent.Finished -> {
                    stopForeground(STOP_FOREGROUND_REMOVE)
                    stopSelf()
                }
                else -> {}
            }
            inner.onEvent(event)
        }

        override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) =
            inner.onConfirmationRequest(request, reply)

        override fun onQuestion(question: String, reply: QuestionReply) = inner.onQuestion(question, reply)
    }

    private companion object {
        const val CHANNEL = "lobster-tasks"
        const val NOTIFICATION_ID = 7_001
    }
}
