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
