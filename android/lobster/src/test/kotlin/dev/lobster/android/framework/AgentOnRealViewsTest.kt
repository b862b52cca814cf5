package dev.lobster.android.framework

import android.os.Looper
import dev.lobster.android.AccessibilityDevice
import dev.lobster.android.LobsterAccessibilityService
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.Agent
import dev.lobster.ffi.AgentConfig
import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.NodeTarget
import dev.lobster.ffi.PlannerConfig
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.ScreenRect
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskListener
import dev.lobster.ffi.TaskStatus
import dev.lobster.ffi.screenText
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The whole chain on real widgets: the accessibility service's windows over a real Activity →
 * [AccessibilityDevice.observe] (the reader on real nodes) → snapshot bytes → the Rust encoder
 * and agent through the FFI → a resolved action → the performer's `performAction` on the real
 * node, which the framework carries down to the view.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], qualifiers = "w360dp-h800dp")
class AgentOnRealViewsTest {
    private val screen = RealScreen()
    private val service = Robolectric.setupService(LobsterAccessibilityService::class.java).also {
        shadowOf(it).setWindows(listOf(screen.appWindow()))
    }
    private val device = AccessibilityDevice({ service })

    /** The element id the Rust encoder gave the line containing [label]. */
    private fun idOf(text: String, label: String): Int {
        val line = text.lines().firstOrNull { it.contains(label, ignoreCase = true) } ?: error("no line with $label in:\n$text")
        return Regex("""\[(\d+)]""").find(line)?.groupValues?.get(1)?.toInt() ?: error("no id in: $line")
    }

    @Test
    fun theRustEncoderSeesTheRealScreenWithHintsAsHints() {
        val text = screenText(device.observe()).text
        assertTrue("Shopping list" in text && "ADD" in text && "Wi-Fi" in text, text)
        assertTrue("hunter2" !in text, "password text left the reader")
        val searchLine = text.lines().first { "Search" in it }
        assertTrue("Searchhello" !in searchLine)
        assertTrue(device.targetCount() > 10)
    }

    @Test
    fun typingIntoAnEmptyHintedFieldGivesTheTypedTextOnly() {
        val bytes = device.observe()
        val id = idOf(screenText(bytes).text, "Search")
        assertTrue(id > 0)
        // The performer appends (clear = false) to what the field holds: nothing, not "Search".
        val key = keyOf("Search")
        val outcome = device.perform(
            DeviceAction.SetText(NodeTarget(key, 1, ScreenRect(0, 0, 10, 10)), "hello", false),
        )
        screen.idle()
        assertIs<ActionOutcome.Performed>(outcome)
        assertEquals("hello", screen.search.text.toString(), "the hint was typed into the field")
    }

    @Test
    fun aScriptedAgentTypesAndTapsThroughTheFfiOnRealViews() {
        val text = screenText(device.observe()).text
        val search = idOf(text, "Search")
        val add = idOf(text, "Add")
        val events = CopyOnWriteArrayList<TaskEvent>()
        val listener = object : TaskListener {
            override fun onEvent(event: TaskEvent) {
                events += event
            }

            override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) = reply.allow()

            override fun onQuestion(question: String, reply: QuestionReply) = reply.dismiss()

            override fun onTakeover(reason: String, reply: dev.lobster.ffi.TakeoverReply) = reply.decline()
        }
        val config = AgentConfig(planner = PlannerConfig.Script(listOf("type $search \"milk\"", "tap $add", "done \"added\"")))
        Agent(config, device).use { agent ->
            agent.start("add milk", listener).use { handle ->
                // The agent's thread reads and acts through the in-process accessibility
                // connection, which runs on the main looper: keep it turning until the end.
                val deadline = System.currentTimeMillis() + 60_000
                while (!handle.isFinished() && System.currentTimeMillis() < deadline) {
                    shadowOf(Looper.getMainLooper()).idle()
                    Thread.sleep(5)
                }
                val result = assertNotNull(handle.result(), "the task did not end in time")
                assertIs<TaskStatus.Succeeded>(result.status, events.joinToString("\n"))
            }
        }
        assertEquals("milk", screen.search.text.toString())
        assertEquals(1, screen.addClicks)
    }

    @Test
    fun theDeviceKeepsNoNodeObjectsBetweenSteps() {
        device.observe()
        assertTrue(device.targetCount() > 10)
        // What the device holds after a reading: where each node is, as plain numbers and names.
        val held = AccessibilityDevice::class.java.declaredFields.map { field ->
            field.isAccessible = true
            field.get(device)
        }
        val targets = held.filterIsInstance<Map<*, *>>().flatMap { it.values }
        assertTrue(targets.isNotEmpty())
        for (target in targets) {
            val fields = target!!.javaClass.declaredFields.map { it.type }
            assertTrue(
                fields.none { android.view.accessibility.AccessibilityNodeInfo::class.java.isAssignableFrom(it) || it.name.endsWith("AndroidNode") },
                "the device holds node objects between steps: ${target.javaClass.name} has $fields",
            )
        }
    }

    @Test
    fun aNodeReplacedSinceTheReadingIsGoneAndNothingElseIsTapped() {
        device.observe()
        val key = keyOfText("ADD")
        // The button leaves; the list takes its place in the tree.
        screen.content.removeView(screen.add)
        screen.idle()
        shadowOf(service).setWindows(listOf(screen.appWindow()))
        val outcome = device.perform(DeviceAction.Tap(NodeTarget(key, 1, ScreenRect(0, 0, 10, 10))))
        assertIs<ActionOutcome.TargetGone>(outcome)
        assertEquals(0, screen.addClicks)
    }

    /** The snapshot key of the node whose text is [text], from a fresh reading. */
    private fun keyOfText(text: String): String {
        val reading = dev.lobster.android.reader.ScreenReader()
            .read<dev.lobster.android.AndroidNode>(service.windows.map { dev.lobster.android.AndroidWindow(it) }, 1080, 2400, 0)
        fun find(node: dev.lobster.android.snapshot.NodeData): String? =
            if (node.text == text) node.key else node.children.firstNotNullOfOrNull { find(it) }
        return reading.snapshot.windows.firstNotNullOf { window -> window.root?.let { find(it) } }
    }

    /** The snapshot key of the field hinted [hint], from a fresh reading. */
    private fun keyOf(hint: String): String {
        val reading = dev.lobster.android.reader.ScreenReader()
            .read<dev.lobster.android.AndroidNode>(service.windows.map { dev.lobster.android.AndroidWindow(it) }, 1080, 2400, 0)
        fun find(node: dev.lobster.android.snapshot.NodeData): String? =
            if (node.hint == hint) node.key else node.children.firstNotNullOfOrNull { find(it) }
        return reading.snapshot.windows.firstNotNullOf { window -> window.root?.let { find(it) } }
    }
}
