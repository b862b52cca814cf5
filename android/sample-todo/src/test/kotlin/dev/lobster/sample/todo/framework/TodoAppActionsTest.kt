package dev.lobster.sample.todo.framework

import android.app.Application
import android.content.ComponentName
import android.content.IntentFilter
import android.content.pm.ProviderInfo
import android.os.Bundle
import android.os.Looper
import dev.lobster.android.AccessibilityDevice
import dev.lobster.android.LobsterAccessibilityService
import dev.lobster.android.appactions.AppActionDirectory
import dev.lobster.ffi.ActionConfirmation
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.ActionSideEffect
import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TakeoverReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskListener
import dev.lobster.ffi.TaskResult
import dev.lobster.ffi.TaskStatus
import dev.lobster.sample.todo.TodoActionProvider
import dev.lobster.sample.todo.TodoStore
import dev.lobster.sdk.LobsterProtocol
import dev.lobster.sdk.testing.AppResources
import dev.lobster.sdk.testing.TestPackages
import org.json.JSONObject
import org.junit.After
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ContentProviderController
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBinder
import org.robolectric.shadows.ShadowContentProvider
import org.robolectric.shadows.ShadowPackageManager
import java.io.File
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The sample to-do app and the agent, each through its real half: the app installed with its
 * provider (`TodoActionProvider`), its `<intent-filter>` and `<meta-data>` as the manifest
 * declares them, its declaration resource (the very file `res/raw/lobster_actions.json`) and a
 * signing certificate; the agent ("dev.lobster.app", its own certificate) discovering it with
 * [AppActionDirectory] (the Rust reader through the FFI) and calling it through the platform's
 * `ContentResolver.call` as the calling package of the binder call. The whole-task tests run a
 * scripted Rust agent ([Agent] through the FFI) whose `call todo.…` lines reach the app's handlers.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class TodoAppActionsTest {
    private val context: Application = RuntimeEnvironment.getApplication()
    private val packages: ShadowPackageManager = Shadow.extract(context.packageManager)
    private val agentCert = TestPackages.certificate("lobster agent")
    private val store: TodoStore get() = TodoStore.of(context)
    private lateinit var provider: TodoActionProvider
    private lateinit var resources: AppResources

    @Before
    fun installTheApps() {
        val info = installTodo(versionCode = 1)
        resources = AppResources(context.resources, raw = mapOf(RAW_ACTIONS to declaration().readBytes()))
        ShadowPackageManager.resources[TODO] = resources
        provider = ContentProviderController.of(TodoActionProvider()).create(info).get()
        // The binder call comes from the agent's process.
        ShadowBinder.setCallingUid(AGENT_UID)
        Shadow.extract<ShadowContentProvider>(provider).setCallingPackage(AGENT)
    }

    /** The app's package with its provider as the manifest declares it. */
    private fun installTodo(versionCode: Long): ProviderInfo {
        TestPackages.install(packages, TODO, TODO_UID, TestPackages.certificate("todo developer"), versionCode)
        val info = ProviderInfo().apply {
            authority = AUTHORITY
            name = TodoActionProvider::class.java.name
            packageName = TODO
            exported = true
            readPermission = LobsterProtocol.PERMISSION
            writePermission = LobsterProtocol.PERMISSION
            metaData = Bundle().apply {
                putInt(LobsterProtocol.META_ACTIONS, RAW_ACTIONS)
                putString(LobsterProtocol.META_ALLOWED_AGENTS, "$AGENT:${TestPackages.digest(agentCert)}")
            }
        }
        packages.addOrUpdateProvider(info)
        packages.addIntentFilterForProvider(ComponentName(TODO, info.name), IntentFilter(LobsterProtocol.DISCOVER_ACTION))
        return info
    }

    @After
    fun binder() {
        ShadowBinder.reset()
    }

    private fun installAgent(certificate: ByteArray = agentCert) {
        TestPackages.install(packages, AGENT, AGENT_UID, certificate)
    }

    @Test
    fun theAgentsDiscoveryReadsTheSampleAppsDeclaration() {
        installAgent()
        val actions = AppActionDirectory(context).actions()
        assertEquals(listOf("todo.add_task", "todo.clear_completed", "todo.complete_task", "todo.list_tasks"), actions.map { it.name }.sorted())
        assertTrue(actions.all { it.packageName == TODO })
        val byName = actions.associateBy { it.name }
        assertEquals(ActionSideEffect.NONE, byName.getValue("todo.list_tasks").sideEffect)
        assertEquals(ActionSideEffect.IRREVERSIBLE, byName.getValue("todo.clear_completed").sideEffect)
        assertEquals(ActionConfirmation.ALWAYS, byName.getValue("todo.clear_completed").confirmation)
        assertEquals(ActionConfirmation.NEVER, byName.getValue("todo.add_task").confirmation)
        val schema = JSONObject(assertNotNull(byName.getValue("todo.add_task").parametersJson))
        assertEquals("title", schema.getJSONArray("required").getString(0))
    }

    @Test
    fun callsReachTheHandlersWithResultsAndTypedErrors() {
        installAgent()
        val directory = AppActionDirectory(context)
        val added = directory.call("todo.add_task", """{"title":"Buy milk"}""")
        assertEquals(ActionOutcome.Returned("""{"id":1,"title":"Buy milk"}"""), added)
        assertEquals(listOf("Buy milk"), store.tasks().map { it.title })
        val listed = assertIs<ActionOutcome.Returned>(directory.call("todo.list_tasks", "{}"))
        assertEquals("""{"tasks":[{"title":"Buy milk","done":false}]}""", listed.data)
        assertEquals(ActionOutcome.Performed, directory.call("todo.complete_task", """{"title":"buy milk"}"""))
        assertTrue(store.tasks().single().done)
        val missing = assertIs<ActionOutcome.Rejected>(directory.call("todo.complete_task", """{"title":"Walk the dog"}"""))
        assertTrue(missing.reason.startsWith("NOT_FOUND: "), missing.reason)
        assertTrue("Walk the dog" !in missing.reason, "the hint repeats the user's data")
        assertEquals(ActionOutcome.Returned("""{"removed":1}"""), directory.call("todo.clear_completed", "{}"))
        assertTrue(store.tasks().isEmpty())
        assertEquals(ActionOutcome.NoHandler, directory.call("todo.water_plants", "{}"))
    }

    @Test
    fun anAgentSignedWithAnotherCertificateIsRefusedAndTheListIsUntouched() {
        installAgent(TestPackages.certificate("someone else"))
        val outcome = assertIs<ActionOutcome.Rejected>(AppActionDirectory(context).call("todo.add_task", """{"title":"Buy milk"}"""))
        assertTrue(outcome.reason.startsWith("DENIED: "), outcome.reason)
        assertTrue(store.tasks().isEmpty(), "the handler ran for a refused caller")
    }

    @Test
    fun aScriptedAgentAddsATaskThroughTheFfiTheDiscoveryAndTheSdk() {
        installAgent()
        val (result, events) = runTask(
            "add buy milk to my to-do list",
            """call todo.add_task {"title":"Buy milk"}""",
            """done "added"""",
        )
        assertIs<TaskStatus.Succeeded>(result.status, events.joinToString("\n"))
        assertEquals(listOf("Buy milk"), store.tasks().map { it.title })
        val acted = events.filterIsInstance<TaskEvent.Acted>().single()
        assertTrue("returned" in acted.outcome && "Buy milk" in acted.outcome, acted.outcome)
    }

    @Test
    fun aReadingActionAnswersTheTaskAndTheIrreversibleOneAsksFirst() {
        installAgent()
        store.add("Buy milk")
        store.add("Call mum")
        store.complete("Call mum")
        val asked = CopyOnWriteArrayList<ConfirmationRequest>()
        val (result, events) = runTask(
            "what is on my list, then clear the done ones",
            """call todo.list_tasks {}""",
            """call todo.clear_completed {}""",
            """done "cleared"""",
            confirmations = asked,
        )
        assertIs<TaskStatus.Succeeded>(result.status, events.joinToString("\n"))
        val acted = events.filterIsInstance<TaskEvent.Acted>()
        assertTrue("Buy milk" in acted.first().outcome, acted.first().outcome)
        assertEquals(1, asked.size, "clear_completed is irreversible: the user is asked (and only for it)")
        assertEquals(listOf("Buy milk"), store.tasks().map { it.title })
    }

    @Test
    fun theDeviceOffersTheDiscoveredActionsAndCallsThem() {
        installAgent()
        val device = AccessibilityDevice({ service() })
        assertEquals(4, device.appActions().size)
        val outcome = device.perform(DeviceAction.CallAppAction("todo.add_task", """{"title":"Buy milk"}"""))
        assertIs<ActionOutcome.Returned>(outcome)
        assertEquals(1, store.tasks().size)
    }

    @Test
    fun theDeclarationIsReadOncePerVersionAndAgainAfterAnUpdate() {
        installAgent()
        val directory = AppActionDirectory(context)
        repeat(3) { assertEquals(4, directory.actions().size) }
        assertEquals(1, resources.opened[RAW_ACTIONS])
        // The app is updated: a new version code (and install time).
        installTodo(versionCode = 2)
        assertEquals(4, directory.actions().size)
        assertEquals(2, resources.opened[RAW_ACTIONS])
    }

    private var service: LobsterAccessibilityService? = null

    private fun service(): LobsterAccessibilityService =
        service ?: Robolectric.setupService(LobsterAccessibilityService::class.java).also {
            shadowOf(it).setWindows(listOf(TodoScreen.window()))
            service = it
        }

    /** Runs [goal] with a scripted planner on the accessibility device; the user allows every confirmation. */
    private fun runTask(goal: String, vararg lines: String, confirmations: MutableList<ConfirmationRequest> = mutableListOf()): Pair<TaskResult, List<TaskEvent>> {
        // The service is made here: Robolectric creates services on the test's thread only.
        val connected = service()
        val device = AccessibilityDevice({ connected })
        val events = CopyOnWriteArrayList<TaskEvent>()
        val listener = object : TaskListener {
            override fun onEvent(event: TaskEvent) {
                events += event
            }

            override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {
                confirmations += request
                reply.allow()
            }

            override fun onQuestion(question: String, reply: QuestionReply) = reply.dismiss()

            override fun onTakeover(reason: String, reply: TakeoverReply) = reply.decline()
        }
        Agent(AgentConfig(planner = PlannerConfig.Script(lines.toList())), device).use { agent ->
            agent.start(goal, listener).use { handle ->
                val deadline = System.currentTimeMillis() + 60_000
                while (!handle.isFinished() && System.currentTimeMillis() < deadline) {
                    shadowOf(Looper.getMainLooper()).idle()
                    Thread.sleep(5)
                }
                return assertNotNull(handle.result(), "the task did not end in time") to events.toList()
            }
        }
    }

    /** The app's declaration resource, from the repository (the run script's or Gradle's working directory). */
    private fun declaration(): File =
        listOf("android/sample-todo/src/main/res/raw/lobster_actions.json", "src/main/res/raw/lobster_actions.json")
            .map(::File).firstOrNull { it.isFile } ?: error("res/raw/lobster_actions.json not found from ${File(".").absolutePath}")

    private companion object {
        const val TODO = "dev.lobster.sample.todo"
        const val TODO_UID = 10_150
        const val AUTHORITY = "dev.lobster.sample.todo.lobster"
        const val AGENT = "dev.lobster.app"
        const val AGENT_UID = 10_250
        const val RAW_ACTIONS = 0x7f0f0001
    }
}
