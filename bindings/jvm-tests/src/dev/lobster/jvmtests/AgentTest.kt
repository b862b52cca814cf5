package dev.lobster.jvmtests

import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.AgentException
import dev.lobster.ffi.Budgets
import dev.lobster.ffi.CloudPlannerConfig
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.LocalPlannerConfig
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.RoutingConfig
import dev.lobster.ffi.SensitiveCategory
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskStatus
import dev.lobster.ffi.ToolCall
import org.junit.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Whole tasks through the FFI: a Kotlin phone, a Kotlin listener, the Rust agent. */
class AgentTest {
    private val waitMs = 20_000L

    @Test
    fun aWholeTaskRunsAndReportsItsEventsInOrder() {
        for (mode in PlannerModes.all) {
            val phone = FakePhone()
            val listener = RecordingListener()
            Agent(mode.config(listOf("type 1 \"Milk\"", "tap 2", "done \"saved\"")), phone).use { agent ->
                assertEquals(mode.name, agent.plannerMode())
                agent.start("Save a note called Milk", listener).use { handle ->
                    val result = assertNotNull(handle.waitFor(waitMs), mode.name)
                    assertEquals(TaskStatus.Succeeded("saved"), result.status, mode.name)
                    assertEquals(3, result.steps)
                    assertTrue(handle.isFinished())
                }
            }
            assertEquals("Milk", phone.title)
            assertTrue(phone.saved)
            val step = listOf("StepStarted", "Observed", "ActionChosen", "Acted", "Verified")
            assertEquals(
                listOf("Planned") + step + step + listOf("StepStarted", "Observed", "ActionChosen", "Finished"),
                listener.kinds(),
                mode.name,
            )
            val chosen = listener.events.filterIsInstance<TaskEvent.ActionChosen>()
            assertEquals(listOf("type 1 \"Milk\"", "tap 2", "done \"saved\""), chosen.map { it.action })
            val typed = phone.performed.first()
            assertIs<DeviceAction.SetText>(typed)
            assertEquals("w0/0.1", typed.target.nodeKey)
            assertEquals(1, typed.target.windowId)
            val finished = assertIs<TaskEvent.Finished>(listener.events.last())
            assertEquals(TaskStatus.Succeeded("saved"), finished.result.status)
        }
    }

    @Test
    fun aToolThatReadsAnswersThroughKotlinAndOnlyAvailableToolsRun() {
        for (mode in PlannerModes.all) {
            val phone = FakePhone(tools = listOf("battery_status"))
            val listener = RecordingListener()
            Agent(mode.config(listOf("intent battery_status", "done \"62 %\"")), phone).use { agent ->
                agent.start("How full is my battery?", listener).use { handle ->
                    assertEquals(TaskStatus.Succeeded("62 %"), handle.waitFor(waitMs)?.status, mode.name)
                }
            }
            val call = assertIs<DeviceAction.RunTool>(phone.performed.single(), mode.name).call
            assertEquals(ToolCall("battery_status", emptyList()), call)
            val acted = listener.events.filterIsInstance<TaskEvent.Acted>().single()
            assertContains(acted.outcome, FakePhone.BATTERY, message = mode.name)

            // A phone that does not report the tool never gets the call.
            val without = FakePhone()
            Agent(mode.config(listOf("intent battery_status", "done")), without).use { agent ->
                agent.start("How full is my battery?", RecordingListener()).use { handle ->
                    assertNotNull(handle.waitFor(waitMs), mode.name)
                }
            }
            assertTrue(without.performed.none { it is DeviceAction.RunTool }, mode.name)
        }
    }

    @Test
    fun aTakeoverWaitsForTheUserAndADeclinedOneEndsTheTask() {
        val handingBack = RecordingListener(RecordingListener.Answer.ALLOW)
        Agent(AgentConfig(planner = PlannerConfig.Script(listOf("takeover \"Sign in to the bank\"", "done"))), FakePhone()).use { agent ->
            agent.start("Check my balance", handingBack).use { handle ->
                assertIs<TaskStatus.Succeeded>(handle.waitFor(waitMs)?.status)
            }
        }
        assertEquals(listOf("Sign in to the bank"), handingBack.takeovers.toList())
        assertTrue(handingBack.events.contains(TaskEvent.TakeoverRequested(1, "Sign in to the bank")))
        assertTrue(handingBack.events.contains(TaskEvent.TakeoverEnded(1, true)))

        val declining = RecordingListener(RecordingListener.Answer.DENY)
        Agent(AgentConfig(planner = PlannerConfig.Script(listOf("takeover \"Solve the captcha\"", "done"))), FakePhone()).use { agent ->
            agent.start("Buy tickets", declining).use { handle ->
                val status = handle.waitFor(waitMs)?.status
                assertIs<TaskStatus.Failed>(status)
                assertEquals("the user did not take the phone over", status.reason)
            }
        }
    }

    @Test
    fun aConfirmationIsAnsweredFromKotlin() {
        for (mode in PlannerModes.all) {
            // Allowed: the sensitive tap happens.
            val allowing = RecordingListener(RecordingListener.Answer.ALLOW)
            val phone = FakePhone()
            Agent(mode.config(listOf("type 1 \"x\"", "tap 3", "done")), phone).use { agent ->
                agent.start("Delete all notes", allowing).use { handle ->
                    assertNotNull(handle.waitFor(waitMs))
                }
            }
            val request = allowing.requests.single()
            assertEquals(SensitiveCategory.DELETE, request.category)
            assertEquals("tap 3", request.action)
            assertTrue(allowing.events.contains(TaskEvent.Confirmed(2, true)))
            assertTrue(phone.performed.any { it is DeviceAction.Tap && it.target.nodeKey == "w0/0.3" })
            assertEquals("", phone.title)

            // Denied: it does not, and the task goes on.
            val denying = RecordingListener(RecordingListener.Answer.DENY)
            val untouched = FakePhone()
            Agent(mode.config(listOf("tap 3", "done")), untouched).use { agent ->
                agent.start("Delete all notes", denying).use { handle ->
                    assertIs<TaskStatus.Succeeded>(handle.waitFor(waitMs)?.status)
                }
            }
            assertTrue(denying.events.contains(TaskEvent.Confirmed(1, false)))
            assertTrue(untouched.performed.isEmpty())
        }
    }

    @Test
    fun cancelFromKotlinStopsTheTask() {
        for (mode in PlannerModes.all) {
            // While it waits for a confirmation nobody answers.
            val listener = RecordingListener(RecordingListener.Answer.NEVER)
            Agent(mode.config(listOf("tap 3", "done")), FakePhone()).use { agent ->
                val handle = agent.start("Delete all notes", listener)
                assertTrue(listener.awaitConfirmationRequest())
                assertNull(handle.waitFor(50), "still waiting for the user")
                assertTrue(agent.isBusy())
                assertFailsWith<AgentException.Busy> { agent.start("Another goal", RecordingListener()) }
                handle.cancel()
                assertEquals(TaskStatus.Cancelled, handle.waitFor(waitMs)?.status)
                handle.close()
                assertFalse(agent.isBusy())
            }
            // While it waits on the phone: closing the handle cancels too.
            val waiting = RecordingListener()
            Agent(mode.config(listOf("wait 10", "done")), FakePhone()).use { agent ->
                val started = System.nanoTime()
                agent.start("Wait a while", waiting).close()
                while (agent.isBusy()) Thread.sleep(5)
                val millis = (System.nanoTime() - started) / 1_000_000
                assertTrue(millis < 5_000, "cancelled after $millis ms")
                val finished = assertIs<TaskEvent.Finished>(waiting.events.last())
                assertEquals(TaskStatus.Cancelled, finished.result.status)
            }
        }
    }

    @Test
    fun aKotlinExceptionInTheDeviceFailsTheTaskNotTheProcess() {
        for (mode in PlannerModes.all) {
            val listener = RecordingListener()
            Agent(mode.config(listOf("tap 2", "done")), FakePhone(FakePhone.Failure.KOTLIN_EXCEPTION)).use { agent ->
                agent.start("Save", listener).use { handle ->
                    val status = assertIs<TaskStatus.Failed>(handle.waitFor(waitMs)?.status)
                    assertEquals(
                        "device failure: the Kotlin device threw java.lang.IllegalStateException",
                        status.reason,
                    )
                }
            }
            assertIs<TaskEvent.Finished>(listener.events.last())
            // The exception's message quoted the screen; nothing the app is given repeats it.
            val seen = listener.events.joinToString("\n") { it.toString() }
            assertFalse(seen.contains("Alice"), seen)

            Agent(mode.config(listOf("tap 2", "done")), FakePhone(FakePhone.Failure.UNAVAILABLE, failAfter = 1)).use { agent ->
                agent.start("Save", RecordingListener()).use { handle ->
                    val status = assertIs<TaskStatus.Failed>(handle.waitFor(waitMs)?.status)
                    assertContains(status.reason, "device unavailable: the service disconnected")
                }
            }
        }
    }

    @Test
    fun aListenerThatThrowsLosesEventsAndDeniesButTheTaskGoesOn() {
        val throwing = object : dev.lobster.ffi.TaskListener {
            override fun onEvent(event: TaskEvent): Unit = throw IllegalStateException("UI gone")
            override fun onConfirmationRequest(request: dev.lobster.ffi.ConfirmationRequest, reply: dev.lobster.ffi.ConfirmationReply): Unit =
                throw IllegalStateException("no dialog")
            override fun onQuestion(question: String, reply: dev.lobster.ffi.QuestionReply): Unit = throw IllegalStateException("no")
            override fun onTakeover(reason: String, reply: dev.lobster.ffi.TakeoverReply): Unit = throw IllegalStateException("no")
        }
        val phone = FakePhone()
        Agent(AgentConfig(planner = PlannerConfig.Script(listOf("tap 3", "tap 2", "done"))), phone).use { agent ->
            agent.start("Delete, then save", throwing).use { handle ->
                assertIs<TaskStatus.Succeeded>(handle.waitFor(waitMs)?.status)
            }
        }
        // The sensitive tap was denied (its listener threw); the next one ran.
        assertEquals(listOf("w0/0.2"), phone.performed.map { (it as DeviceAction.Tap).target.nodeKey })
    }

    @Test
    fun aBudgetStopsATaskThatDoesNotConverge() {
        val config = AgentConfig(
            planner = PlannerConfig.Script(listOf("type 1 \"a\"", "type 1 \"b\"", "type 1 \"c\"")),
            budgets = Budgets(maxSteps = 2),
        )
        Agent(config, FakePhone()).use { agent ->
            agent.start("Type forever", RecordingListener()).use { handle ->
                assertEquals(TaskStatus.BudgetExhausted("steps"), handle.waitFor(waitMs)?.status)
            }
        }
    }

    @Test
    fun absurdNumbersFromKotlinAreRefusedNamingTheField() {
        val phone = FakePhone()
        val script = PlannerConfig.Script(listOf("done"))
        val local = LocalPlannerConfig("/no/such/model.gguf")
        val cloud = CloudPlannerConfig(endpoint = "https://api.example.com/v1", model = "m", apiKey = "k")
        val cases = listOf(
            "budgets.maxSteps" to AgentConfig(planner = script, budgets = Budgets(maxSteps = Int.MAX_VALUE)),
            "budgets.maxDurationMs" to AgentConfig(planner = script, budgets = Budgets(maxDurationMs = Long.MAX_VALUE)),
            "budgets.maxTokens" to AgentConfig(planner = script, budgets = Budgets(maxTokens = Long.MAX_VALUE)),
            "confirmationTimeoutMs" to AgentConfig(planner = script, confirmationTimeoutMs = Long.MAX_VALUE),
            "local.threads" to AgentConfig(planner = PlannerConfig.Local(local.copy(threads = 1_000_000))),
            "local.contextTokens" to AgentConfig(planner = PlannerConfig.Local(local.copy(contextTokens = Int.MAX_VALUE))),
            "local.contextTokens" to AgentConfig(planner = PlannerConfig.Local(local.copy(contextTokens = 1_000_000))),
            "cloud.stepDeadlineMs" to AgentConfig(planner = PlannerConfig.Cloud(cloud.copy(stepDeadlineMs = Long.MAX_VALUE))),
            "routing.failuresBeforeEscalation" to AgentConfig(
                planner = PlannerConfig.Hybrid(local, cloud, RoutingConfig(failuresBeforeEscalation = Int.MAX_VALUE)),
            ),
            "routing.cloudTokenBudget" to AgentConfig(
                planner = PlannerConfig.Hybrid(local, cloud, RoutingConfig(cloudTokenBudget = Long.MAX_VALUE)),
            ),
        )
        for ((field, config) in cases) {
            val error = assertFailsWith<AgentException.InvalidConfig>(field) { Agent(config, phone) }
            assertContains(error.message ?: "", "$field must be between", message = field)
        }
        // The largest allowed values are accepted.
        val most = AgentConfig(
            planner = script,
            budgets = Budgets(maxSteps = 1_000, maxDurationMs = 86_400_000, maxTokens = 100_000_000),
            confirmationTimeoutMs = 3_600_000,
        )
        Agent(most, phone).close()
    }

    @Test
    fun badConfigurationsThrowAgentExceptions() {
        val phone = FakePhone()
        val invalid = assertFailsWith<AgentException.InvalidConfig> {
            Agent(AgentConfig(planner = PlannerConfig.Script(listOf("fly to the moon"))), phone)
        }
        assertContains(invalid.message ?: "", "script line 1")
        assertFailsWith<AgentException.InvalidConfig> {
            Agent(AgentConfig(planner = PlannerConfig.Script(listOf("done")), budgets = Budgets(maxSteps = 0)), phone)
        }
        // Without llama.cpp in the build the mode is unavailable; with it, the missing file fails.
        val noModel = assertFailsWith<AgentException> {
            Agent(AgentConfig(planner = PlannerConfig.Local(LocalPlannerConfig("/no/such/model.gguf"))), phone)
        }
        when (noModel) {
            is AgentException.PlannerUnavailable -> assertContains(noModel.message ?: "", "llama")
            is AgentException.PlannerFailed -> assertContains(noModel.message ?: "", "no model file")
            else -> throw AssertionError("unexpected $noModel")
        }
        Agent(AgentConfig(planner = PlannerConfig.Script(listOf("done"))), phone).use { agent ->
            assertFailsWith<AgentException.InvalidConfig> { agent.start("   ", RecordingListener()) }
        }
    }
}
