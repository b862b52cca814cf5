package dev.lobster.android.framework

import android.app.Notification
import android.app.NotificationManager
import android.content.ComponentName
import android.content.Intent
import android.content.IntentFilter
import android.os.Bundle
import android.os.Looper
import android.app.RemoteInput
import dev.lobster.android.AgentService
import dev.lobster.android.Lobster
import dev.lobster.android.UserPrompts
import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.AgentException
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskHandle
import dev.lobster.ffi.TaskListener
import org.junit.After
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import kotlin.test.assertEquals
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The agent service under Robolectric: task start off the main thread, the foreground state,
 * the notification, and confirmations and questions asked in notifications, with the real
 * Rust agent (a scripted planner) behind it.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class AgentServiceTest {
    init {
        Lobster.assumeInitialisedForJvmTests()
    }

    private val controller = Robolectric.buildService(AgentService::class.java).create()
    private val service: AgentService = controller.get()
    private val notifications = service.getSystemService(NotificationManager::class.java)!!

    private object Quiet : TaskListener {
        override fun onEvent(event: TaskEvent) {}
        override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {}
        override fun onQuestion(question: String, reply: QuestionReply) {}
        override fun onTakeover(reason: String, reply: dev.lobster.ffi.TakeoverReply) {}
    }

    /** Every task started, to wait for in [destroy]. */
    private val started = mutableListOf<TaskHandle>()

    /** What a start came to. */
    private inner class Start : AgentService.StartListener {
        var handle: TaskHandle? = null
        var error: Exception? = null
        override fun onStarted(handle: TaskHandle) {
            this.handle = handle
            started += handle
        }

        override fun onFailed(error: Exception) {
            this.error = error
        }

        fun await(): Start {
            val deadline = System.currentTimeMillis() + 30_000
            while (handle == null && error == null && System.currentTimeMillis() < deadline) {
                shadowOf(Looper.getMainLooper()).idle()
                Thread.sleep(2)
            }
            return this
        }
    }

    /** A configuration no other test uses: the process keeps one agent per configuration. */
    private fun config(tag: String) = AgentConfig(planner = PlannerConfig.Script(listOf("done \"$tag\"")))

    /** Lets every task end and its last events arrive before the service (and the test) ends. */
    @After
    fun destroy() {
        for (handle in started) {
            handle.cancel()
            handle.waitFor(10_000)
        }
        shadowOf(Looper.getMainLooper()).idle()
        started.forEach { it.close() }
        controller.destroy()
    }

    @Test
    fun startTaskReturnsAtOnceAndLoadsTheAgentOffTheMainThread() {
        var loadedOn: Thread? = null
        service.createAgent = { config, device ->
            loadedOn = Thread.currentThread()
            Agent(config, device)
        }
        val start = Start()
        service.startTask("anything", config("off-main"), Quiet, start)
        assertNull(start.handle, "startTask waited for the start")
        start.await()
        assertNotNull(start.handle, "the task did not start: ${start.error}")
        assertNotNull(loadedOn)
        assertNotEquals(Looper.getMainLooper().thread, loadedOn, "the model was loaded on the main thread")
    }

    @Test
    fun newSettingsCloseTheLoadedAgentBeforeTheNextLoads() {
        val loaded = mutableListOf<Agent>()
        var firstWasClosed: Boolean? = null
        service.createAgent = { config, device ->
            if (loaded.isNotEmpty()) {
                // A closed agent refuses every call: is the first one gone while the second loads?
                firstWasClosed = runCatching { loaded[0].start("probe", Quiet).close() }.isFailure
            }
            Agent(config, device).also { loaded += it }
        }
        Start().also { service.startTask("a", config("settings-1"), Quiet, it) }.await()
        Start().also { service.startTask("b", config("settings-2"), Quiet, it) }.await()
        assertEquals(2, loaded.size)
        assertEquals(true, firstWasClosed, "two models were loaded at once")
    }

    @Test
    fun aFailedStartLeavesTheForeground() {
        service.createAgent = { _, _ -> throw AgentException.InvalidConfig("no model file") }
        val start = Start()
        service.startTask("anything", config("failing"), Quiet, start)
        assertTrue(shadowOf(service).isForegroundStopped.not(), "the service should be in the foreground while loading")
        start.await()
        assertNotNull(start.error)
        assertTrue(shadowOf(service).isForegroundStopped, "the foreground service outlived a failed start")
        assertTrue(shadowOf(service).isStoppedBySelf)
    }

    @Test
    fun theTaskNotificationOpensTheApp() {
        val pm = shadowOf(service.packageManager)
        val main = ComponentName(service.packageName, "dev.lobster.app.MainActivity")
        pm.addActivityIfNotPresent(main)
        pm.addIntentFilterForActivity(main, IntentFilter(Intent.ACTION_MAIN).apply { addCategory(Intent.CATEGORY_LAUNCHER) })
        service.createAgent = { config, device -> Agent(config, device) }
        service.startTask("anything", config("notification"), Quiet, Start())
        // (the start itself goes on on the worker; destroy() waits for it)
        val notification = assertNotNull(shadowOf(service).lastForegroundNotification)
        val open = assertNotNull(notification.contentIntent, "the foreground notification opens nothing")
        assertEquals(main, shadowOf(open).savedIntent.component)
    }

    @Test
    fun aConfirmationIsAHeadsUpNotificationWhoseActionsAnswerThroughTheService() {
        var answer: String? = null
        service.prompts.confirm("Send \"hi\" to Mom", allow = { answer = "allow" }, deny = { answer = "deny" })
        val posted = shadowOf(notifications).allNotifications.single()
        assertEquals(NotificationManager.IMPORTANCE_HIGH, notifications.getNotificationChannel(posted.channelId).importance)
        assertEquals(listOf("Allow", "Deny"), posted.actions.map { it.title.toString() })
        val allow = shadowOf(posted.actions[0].actionIntent)
        assertTrue(allow.isService)
        assertEquals(AgentService::class.java.name, allow.savedIntent.component?.className)
        service.onStartCommand(allow.savedIntent, 0, 1)
        assertEquals("allow", answer)
        assertTrue(shadowOf(notifications).allNotifications.isEmpty(), "the answered prompt stayed")
        assertEquals(0, service.prompts.open())
    }

    @Test
    fun swipingAConfirmationAwayDenies() {
        var answer: String? = null
        service.prompts.confirm("Delete 3 photos", allow = { answer = "allow" }, deny = { answer = "deny" })
        val posted = shadowOf(notifications).allNotifications.single()
        service.onStartCommand(shadowOf(posted.deleteIntent).savedIntent, 0, 1)
        assertEquals("deny", answer)
    }

    @Test
    fun aQuestionIsAnsweredInTheNotification() {
        var answer: String? = null
        service.prompts.ask("Which Anna?", answer = { answer = it }, dismiss = { answer = "<dismissed>" })
        val posted: Notification = shadowOf(notifications).allNotifications.single()
        val reply = posted.actions[0]
        val inputs = assertNotNull(reply.remoteInputs)
        // What the system does when the user types an answer: the text goes into the intent.
        val filled = Intent(shadowOf(reply.actionIntent).savedIntent)
        RemoteInput.addResultsToIntent(inputs, filled, Bundle().apply { putCharSequence(inputs[0].resultKey, "Anna Smith") })
        assertTrue(UserPrompts.isReply(filled))
        service.onStartCommand(filled, 0, 1)
        assertEquals("Anna Smith", answer)
    }

    @Test
    fun aTakeoverIsHandedBackOrStoppedInTheNotification() {
        var answer: String? = null
        service.prompts.takeOver("Sign in to your bank", done = { answer = "done" }, decline = { answer = "declined" })
        val posted = shadowOf(notifications).allNotifications.single()
        assertEquals(listOf("I'm done", "Stop"), posted.actions.map { it.title.toString() })
        service.onStartCommand(shadowOf(posted.actions[0].actionIntent).savedIntent, 0, 1)
        assertEquals("done", answer)
        assertEquals(0, service.prompts.open())

        service.prompts.takeOver("Solve the captcha", done = { answer = "done" }, decline = { answer = "declined" })
        val second = shadowOf(notifications).allNotifications.single()
        service.onStartCommand(shadowOf(second.deleteIntent).savedIntent, 0, 1)
        assertEquals("declined", answer)
    }
}
