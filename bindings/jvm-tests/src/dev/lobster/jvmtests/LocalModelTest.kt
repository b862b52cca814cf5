package dev.lobster.jvmtests

import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.Budgets
import dev.lobster.ffi.LocalPlannerConfig
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.Policy
import dev.lobster.ffi.RoutingConfig
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskStatus
import org.junit.Assume
import org.junit.Before
import org.junit.Test
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The on-device planner through the FFI: the real llama.cpp on the tiny random-weight model that
 * `bindings/jvm-tests/run` generates (`lobster models generate tiny`), alone and under the
 * hybrid router with a real cloud server on 127.0.0.1.
 */
class LocalModelTest {
    private val waitMs = 120_000L

    private val tinyModel: String by lazy {
        System.getProperty("lobster.tinyModel")?.takeIf { File(it).isFile }
            ?: throw IllegalStateException("-Dlobster.tinyModel must name the generated tiny model")
    }

    @Before
    fun needsTheModelPlanners() {
        Assume.assumeTrue("built without the model planners", PlannerModes.modelPlanners)
    }

    private fun local() = LocalPlannerConfig(modelPath = tinyModel, threads = 2, contextTokens = 2048)

    /**
     * A hybrid agent whose router sends goals about notes to [server], which has the script
     * that saves the note, with [policy] and [budgets].
     */
    private fun hybridConfig(server: ScriptedOpenAiServer, policy: Policy = Policy(), budgets: Budgets = Budgets()): AgentConfig {
        server.script(listOf("type 1 \"Milk\"", "tap 2", "done \"saved\""))
        return AgentConfig(
            planner = PlannerConfig.Hybrid(local(), PlannerModes.cloud(server), RoutingConfig(cloudGoalPatterns = listOf("note"))),
            policy = policy,
            budgets = budgets,
        )
    }

    @Test
    fun theLocalPlannerChoosesGrammaticalActionsStepAfterStep() {
        val listener = RecordingListener(RecordingListener.Answer.ALLOW)
        val config = AgentConfig(planner = PlannerConfig.Local(local()), budgets = Budgets(maxSteps = 4))
        Agent(config, FakePhone()).use { agent ->
            assertEquals("local", agent.plannerMode())
            agent.start("Save a note called Milk", listener).use { handle ->
                val result = assertNotNull(handle.waitFor(waitMs), "the task ended")
                assertTrue(result.steps in 1..4, "${result.steps} steps")
            }
        }
        assertEquals("Planned", listener.kinds().first())
        val finished = assertIs<TaskEvent.Finished>(listener.events.last())
        // Random weights reach no goal; the task ends by the step budget, the model's own
        // `done`/`fail`, or the loop detector, never by a planner or engine error.
        val status = finished.result.status
        assertTrue(status !is TaskStatus.Cancelled, "$status")
        if (status is TaskStatus.Failed) {
            for (word in listOf("llama", "llguidance", "grammar", "planner", "internal")) {
                assertTrue(word !in status.reason, "$status")
            }
        }
        val chosen = listener.events.filterIsInstance<TaskEvent.ActionChosen>()
        assertTrue(chosen.isNotEmpty())
        for (event in chosen) {
            assertEquals("local", event.planner.planner)
            assertTrue(event.planner.promptTokens > 0 || event.planner.cachedTokens > 0, "$event")
            assertTrue(event.planner.generatedTokens > 0, "$event")
            assertNotNull(event.planner.confidence)
        }
        // The grammar holds: nothing the model wrote was rejected.
        assertTrue(listener.events.none { it is TaskEvent.ActionRejected }, "${listener.kinds()}")
        if (chosen.size > 1) {
            // The second step reuses the first step's prompt from the KV cache.
            assertTrue(chosen[1].planner.cachedTokens > 0, "${chosen[1]}")
        }
    }

    /**
     * With a prompt cache directory, the first agent saves its evaluated system prompts there
     * and a new agent (a cold start) loads them: its first step finds its prompt cached. The
     * phone's memory picks the options (a 3.5 GiB phone: the 2,048-token tier).
     */
    @Test
    fun aPromptCacheDirectoryIsFilledAndAColdStartLoadsIt() {
        val dir = kotlin.io.path.createTempDirectory("lobster-prompts").toFile()
        try {
            val local = LocalPlannerConfig(
                modelPath = tinyModel,
                threads = 2,
                deviceRamBytes = 7L shl 29,
                promptCacheDir = File(dir, "prompts").path,
            )
            val firstSteps = (1..2).map {
                val listener = RecordingListener(RecordingListener.Answer.ALLOW)
                val config = AgentConfig(planner = PlannerConfig.Local(local), budgets = Budgets(maxSteps = 1))
                Agent(config, FakePhone()).use { agent ->
                    agent.start("Save a note called Milk", listener).use { handle ->
                        assertNotNull(handle.waitFor(waitMs), "the task ended")
                    }
                }
                listener.events.filterIsInstance<TaskEvent.ActionChosen>().first()
            }
            val saved = File(dir, "prompts").listFiles().orEmpty().filter { it.name.endsWith(".kv") }
            assertTrue(saved.isNotEmpty(), "nothing saved in $dir")
            // The first agent evaluated its step prompt (at most a few tokens shared with the
            // planning prompt before it); the second loaded the saved system prompt.
            assertTrue(firstSteps[0].planner.cachedTokens < 16, "${firstSteps[0]}")
            assertTrue(firstSteps[1].planner.cachedTokens >= 100, "${firstSteps[1]}")
        } finally {
            dir.deleteRecursively()
        }
        val relative = LocalPlannerConfig(modelPath = tinyModel, promptCacheDir = "prompts")
        val error = kotlin.runCatching {
            Agent(AgentConfig(planner = PlannerConfig.Local(relative)), FakePhone()).close()
        }.exceptionOrNull()
        assertTrue(error != null && "promptCacheDir" in error.toString(), "$error")
    }

    @Test
    fun aGoalThatNeedsTheCloudGoesToTheCloudAndOnlyTheHeaderCarriesTheKey() {
        ScriptedOpenAiServer().use { server ->
            val config = hybridConfig(server)
            val phone = FakePhone()
            val listener = RecordingListener()
            Agent(config, phone).use { agent ->
                assertEquals("hybrid", agent.plannerMode())
                agent.start("Save a note called Milk", listener).use { handle ->
                    assertEquals(TaskStatus.Succeeded("saved"), handle.waitFor(waitMs)?.status)
                }
            }
            assertEquals("Milk", phone.title)
            assertTrue(phone.saved)
            val chosen = listener.events.filterIsInstance<TaskEvent.ActionChosen>()
            assertEquals(listOf("cloud", "cloud", "cloud"), chosen.map { it.planner.planner })
            assertTrue(chosen.all { "goal" in it.planner.routing }, "${chosen.map { it.planner.routing }}")
            assertEquals(3, server.requests.size)
            for (request in server.requests) {
                assertEquals("Bearer ${PlannerModes.CLOUD_KEY}", request.authorization)
                assertTrue(PlannerModes.CLOUD_KEY !in request.body)
                assertTrue("\"model\":\"scripted\"" in request.body.replace(" ", ""))
            }
        }
    }

    @Test
    fun aCloudDeniedAppStaysOnTheDeviceEvenWhenTheGoalAsksForTheCloud() {
        ScriptedOpenAiServer().use { server ->
            val config = hybridConfig(
                server,
                policy = Policy(cloudDeniedPackages = listOf(FakePhone.PACKAGE)),
                budgets = Budgets(maxSteps = 3),
            )
            val listener = RecordingListener(RecordingListener.Answer.DENY)
            Agent(config, FakePhone()).use { agent ->
                agent.start("Save a note called Milk", listener).use { handle ->
                    assertNotNull(handle.waitFor(waitMs))
                }
            }
            val chosen = listener.events.filterIsInstance<TaskEvent.ActionChosen>()
            assertTrue(chosen.isNotEmpty())
            assertTrue(chosen.all { it.planner.planner == "local" }, "${chosen.map { it.planner.planner }}")
            assertTrue(chosen.all { "private app" in it.planner.routing }, "${chosen.map { it.planner.routing }}")
            assertEquals(0, server.requests.size, "nothing from the Notes screen reached the cloud")
        }
    }
}
