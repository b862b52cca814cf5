package dev.lobster.app

import android.Manifest
import android.app.Activity
import android.content.ComponentName
import android.content.Context
import android.content.Intent
import android.content.ServiceConnection
import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.os.IBinder
import android.view.View
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import dev.lobster.android.AccessibilitySwitch
import dev.lobster.android.AgentService
import dev.lobster.android.Models
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TakeoverReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskHandle
import dev.lobster.ffi.TaskListener
import dev.lobster.ffi.TaskStatus
import java.io.File

/**
 * The sample assistant: enable the service (onboarding), type a goal, watch the steps, stop.
 * Views are built in code to keep the sample one file per screen.
 *
 * Confirmations and questions are not asked here: the agent drives other apps while this
 * activity is hidden (or destroyed), so `AgentService` asks them in notifications, which is
 * why the app asks for `POST_NOTIFICATIONS` (Android 13+) when it opens. Starting a task
 * returns at once; the model loads on the service's worker thread.
 */
class MainActivity : Activity() {
    private lateinit var onboarding: LinearLayout
    private lateinit var goal: EditText
    private lateinit var run: Button
    private lateinit var stop: Button
    private lateinit var steps: TextView
    private lateinit var scroll: ScrollView
    private var service: AgentService? = null
    private var task: TaskHandle? = null

    private val connection = object : ServiceConnection {
        override fun onServiceConnected(name: ComponentName?, binder: IBinder?) {
            service = (binder as? AgentService.LocalBinder)?.service
        }

        override fun onServiceDisconnected(name: ComponentName?) {
            service = null
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setTitle("Lobster")
        val root = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(32, 32, 32, 32)
        }
        onboarding = LinearLayout(this).apply { orientation = LinearLayout.VERTICAL }
        onboarding.addView(TextView(this).apply {
            text = "Lobster acts on your screen through an accessibility service. " +
                "Enable \"Lobster\" in the accessibility settings; other services stay as they are."
        })
        onboarding.addView(Button(this).apply {
            text = "Open accessibility settings"
            setOnClickListener { startActivity(AccessibilitySwitch.settingsIntent()) }
        })
        root.addView(onboarding)
        goal = EditText(this).apply { hint = "What should I do? e.g. Turn on Do Not Disturb" }
        root.addView(goal)
        val buttons = LinearLayout(this).apply { orientation = LinearLayout.HORIZONTAL }
        run = Button(this).apply { text = "Run"; setOnClickListener { startTask() } }
        stop = Button(this).apply { text = "Stop"; isEnabled = false; setOnClickListener { task?.cancel() } }
        val settings = Button(this).apply {
            text = "Settings"
            setOnClickListener { startActivity(Intent(this@MainActivity, SettingsActivity::class.java)) }
        }
        buttons.addView(run)
        buttons.addView(stop)
        buttons.addView(settings)
        root.addView(buttons)
        steps = TextView(this)
        scroll = ScrollView(this).apply { addView(steps) }
        root.addView(scroll)
        setContentView(root)
        bindService(Intent(this, AgentService::class.java), connection, Context.BIND_AUTO_CREATE)
        requestNotifications()
    }

    /**
     * Android 13+ shows no notification of an app without `POST_NOTIFICATIONS`, granted at run
     * time: neither the task's progress nor its confirmations, which the user must answer.
     */
    private fun requestNotifications() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), NOTIFICATIONS_REQUEST)
        }
    }

    override fun onResume() {
        super.onResume()
        onboarding.visibility = if (AccessibilitySwitch.isEnabled(this)) View.GONE else View.VISIBLE
    }

    override fun onDestroy() {
        unbindService(connection)
        super.onDestroy()
    }

    private fun startTask() {
        val agentService = service ?: return log("The agent service is not ready yet.")
        if (!AccessibilitySwitch.isConnected()) return log("Enable the Lobster accessibility service first.")
        val text = goal.text.toString().trim()
        if (text.isEmpty()) return
        val settings = AssistantSettings.load(this)
        val modelPath = if (settings.usesLocalModel) settings.modelPath(this) else ""
        if (modelPath == null) return log("Download a model in Settings first.")
        steps.text = ""
        run.isEnabled = false
        log("Starting…")
        agentService.startTask(
            text,
            settings.toConfig(
                modelPath,
                ToolGrants(this).granted(),
                Models.totalRamBytes(this),
                File(cacheDir, "lobster-prompts").path,
            ),
            Listener(),
            object : AgentService.StartListener {
                override fun onStarted(handle: TaskHandle) {
                    if (isDestroyed) return handle.close()
                    task = handle
                    stop.isEnabled = true
                }

                override fun onFailed(error: Exception) {
                    if (isDestroyed) return
                    run.isEnabled = true
                    log("Cannot start: ${error.message}")
                }
            },
        )
    }

    private fun log(line: String) {
        steps.append(line + "\n")
        scroll.post { scroll.fullScroll(View.FOCUS_DOWN) }
    }

    /** Called on the task's thread: every UI change is posted to the main thread. */
    private inner class Listener : TaskListener {
        /** The tool the confirmation being asked would remember, if the user says yes. */
        @Volatile private var toRemember: String? = null

        override fun onEvent(event: TaskEvent) {
            when (event) {
                is TaskEvent.NeedsConfirmation -> toRemember = event.request.remember
                is TaskEvent.Confirmed -> {
                    toRemember?.let { tool -> if (event.allowed) ToolGrants(this@MainActivity).remember(tool) }
                    toRemember = null
                }
                else -> {}
            }
            val line = when (event) {
                is TaskEvent.Planned -> "Plan: " + event.subgoals.joinToString("; ") { it.description }
                is TaskEvent.ActionChosen -> "Step ${event.step}: ${event.action}  (${event.planner.planner})"
                is TaskEvent.ActionRejected -> "Step ${event.step}: rejected, ${event.error}"
                is TaskEvent.Blocked -> "Step ${event.step}: blocked, ${event.reason}"
                is TaskEvent.Verified -> if (event.effective) null else "Step ${event.step}: ${event.note}"
                is TaskEvent.NeedsConfirmation -> "Waiting for your answer in the notification."
                is TaskEvent.TakeoverRequested -> "Your turn: ${event.reason}. Tap \"I'm done\" in the notification after."
                is TaskEvent.TakeoverEnded -> if (event.resumed) "Back to the agent." else null
                is TaskEvent.Finished -> when (val status = event.result.status) {
                    is TaskStatus.Succeeded -> "Done. ${status.answer}"
                    is TaskStatus.Failed -> "Failed: ${status.reason}"
                    is TaskStatus.Cancelled -> "Stopped."
                    is TaskStatus.BudgetExhausted -> "Gave up: the ${status.budget} budget ran out."
                }
                else -> null
            }
            runOnUiThread {
                line?.let { log(it) }
                if (event is TaskEvent.Finished) {
                    run.isEnabled = true
                    stop.isEnabled = false
                    task?.close()
                    task = null
                }
            }
        }

        /** Asked by the service in a notification; nothing to do here. */
        override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {}

        /** Asked by the service in a notification; nothing to do here. */
        override fun onQuestion(question: String, reply: QuestionReply) {}

        /** Handed over by the service in a notification; nothing to do here. */
        override fun onTakeover(reason: String, reply: TakeoverReply) {}
    }

    private companion object {
        const val NOTIFICATIONS_REQUEST = 1
    }
}
