package dev.lobster.app

import android.app.Activity
import android.app.AlertDialog
import android.content.ComponentName
import android.content.Context
import android.content.Intent
import android.content.ServiceConnection
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
import dev.lobster.ffi.AgentException
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskHandle
import dev.lobster.ffi.TaskListener
import dev.lobster.ffi.TaskStatus

/**
 * The sample assistant: enable the service (onboarding), type a goal, watch the steps, answer
 * confirmations, stop. Views are built in code to keep the sample one file per screen.
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
        override fun onServiceConnected(name: ComponentName, binder: IBinder) {
            service = (binder as AgentService.LocalBinder).service
        }

        override fun onServiceDisconnected(name: ComponentName) {
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
        steps.text = ""
        task = try {
            agentService.startTask(text, AssistantSettings.load(this).toConfig(), Listener())
        } catch (error: AgentException) {
            return log("Cannot start: ${error.message}")
        }
        run.isEnabled = false
        stop.isEnabled = true
    }

    private fun log(line: String) {
        steps.append(line + "\n")
        scroll.post { scroll.fullScroll(View.FOCUS_DOWN) }
    }

    /** Called on the task's thread: every UI change is posted to the main thread. */
    private inner class Listener : TaskListener {
        override fun onEvent(event: TaskEvent) {
            val line = when (event) {
                is TaskEvent.Planned -> "Plan: " + event.subgoals.joinToString("; ") { it.description }
                is TaskEvent.ActionChosen -> "Step ${event.step}: ${event.action}  (${event.planner.planner})"
                is TaskEvent.ActionRejected -> "Step ${event.step}: rejected, ${event.error}"
                is TaskEvent.Blocked -> "Step ${event.step}: blocked, ${event.reason}"
                is TaskEvent.Verified -> if (event.effective) null else "Step ${event.step}: ${event.note}"
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

        override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {
            runOnUiThread {
                AlertDialog.Builder(this@MainActivity)
                    .setTitle("Allow this action?")
                    .setMessage(request.reason)
                    .setPositiveButton("Allow") { _, _ -> reply.allow() }
                    .setNegativeButton("Deny") { _, _ -> reply.deny() }
                    .setOnCancelListener { reply.deny() }
                    .show()
            }
        }

        override fun onQuestion(question: String, reply: QuestionReply) {
            runOnUiThread {
                val answer = EditText(this@MainActivity)
                AlertDialog.Builder(this@MainActivity)
                    .setTitle(question)
                    .setView(answer)
                    .setPositiveButton("Answer") { _, _ -> reply.answer(answer.text.toString()) }
                    .setNegativeButton("Skip") { _, _ -> reply.dismiss() }
                    .setOnCancelListener { reply.dismiss() }
                    .show()
            }
        }
    }
}
