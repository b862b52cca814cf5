package dev.lobster.android

import dev.lobster.android.perform.ActionPerformer
import dev.lobster.android.perform.NodeCommand
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.GlobalAction
import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.NodeTarget
import dev.lobster.ffi.ScreenPoint
import dev.lobster.ffi.ScreenRect
import dev.lobster.ffi.ScrollDirection
import dev.lobster.ffi.ToolCall
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

class ActionPerformerTest {
    private fun target(key: String) = NodeTarget(key, 1, ScreenRect(100, 200, 300, 400))

    private fun performer(nodes: Map<String, FakeNode>, gestures: FakeGestures = FakeGestures(), system: FakeSystem = FakeSystem()) =
        ActionPerformer({ nodes[it] }, gestures, system)

    @Test
    fun aClickGoesToTheNodeFirst() {
        val node = FakeNode()
        val gestures = FakeGestures()
        assertEquals(ActionOutcome.Performed, performer(mapOf("k" to node), gestures).perform(DeviceAction.Tap(target("k"))))
        assertEquals(listOf<NodeCommand>(NodeCommand.Click), node.performed)
        assertTrue(gestures.done.isEmpty())
    }

    @Test
    fun aRefusedClickFallsBackToATapAtTheCentre() {
        val node = FakeNode(accepts = { false })
        val gestures = FakeGestures()
        assertEquals(ActionOutcome.Performed, performer(mapOf("k" to node), gestures).perform(DeviceAction.Tap(target("k"))))
        assertEquals(listOf("tap 200 300"), gestures.done)
        val failing = FakeGestures(succeed = false)
        assertIs<ActionOutcome.Rejected>(performer(mapOf("k" to node), failing).perform(DeviceAction.LongPress(target("k"))))
        assertEquals(listOf("long 200 300"), failing.done)
    }

    @Test
    fun theGestureFallbackAimsAtThePartOfTheElementOnTheScreen() {
        val node = FakeNode(accepts = { false })
        val huge = NodeTarget("k", 1, ScreenRect(Int.MIN_VALUE, 0, Int.MAX_VALUE, 10))
        val gestures = FakeGestures()
        val performer = performer(mapOf("k" to node), gestures)
        assertEquals(ActionOutcome.Performed, performer.perform(DeviceAction.Tap(huge)))
        assertEquals(ActionOutcome.Performed, performer.perform(DeviceAction.LongPress(huge)))
        val crossing = NodeTarget("k", 1, ScreenRect(-400, 1900, 200, Int.MAX_VALUE))
        assertEquals(ActionOutcome.Performed, performer.perform(DeviceAction.Tap(crossing)))
        val everything = NodeTarget("k", 1, ScreenRect(Int.MIN_VALUE, Int.MIN_VALUE, Int.MAX_VALUE, Int.MAX_VALUE))
        assertEquals(ActionOutcome.Performed, performer.perform(DeviceAction.Scroll(everything, ScrollDirection.DOWN)))
        // The fake screen is 1000 x 2000.
        assertEquals(listOf("tap 500 5", "long 500 5", "tap 100 1950", "swipe 500 1500 500 500"), gestures.done)
    }

    @Test
    fun noGestureIsMadeAtAnElementWithNoPartOnTheScreen() {
        val node = FakeNode(accepts = { false })
        val gestures = FakeGestures()
        val performer = performer(mapOf("k" to node), gestures)
        for (bounds in listOf(
            ScreenRect(-300, 0, -100, 10),
            ScreenRect(0, 2000, 100, Int.MAX_VALUE),
            ScreenRect(Int.MAX_VALUE, 0, Int.MIN_VALUE, 10),
        )) {
            val target = NodeTarget("k", 1, bounds)
            assertIs<ActionOutcome.Rejected>(performer.perform(DeviceAction.Tap(target)))
            assertIs<ActionOutcome.Rejected>(performer.perform(DeviceAction.LongPress(target)))
            assertIs<ActionOutcome.Rejected>(performer.perform(DeviceAction.Scroll(target, ScrollDirection.UP)))
        }
        assertTrue(gestures.done.isEmpty())
    }

    @Test
    fun aVanishedNodeIsNeverTappedBlindly() {
        val gone = FakeNode(alive = false)
        val gestures = FakeGestures()
        assertEquals(ActionOutcome.TargetGone, performer(mapOf("k" to gone), gestures).perform(DeviceAction.Tap(target("k"))))
        assertEquals(ActionOutcome.TargetGone, performer(emptyMap(), gestures).perform(DeviceAction.Tap(target("x"))))
        assertTrue(gestures.done.isEmpty())
        assertTrue(gone.performed.isEmpty())
    }

    @Test
    fun textIsSetOrAppended() {
        val node = FakeNode(text = "Hello")
        val performer = performer(mapOf("k" to node))
        performer.perform(DeviceAction.SetText(target("k"), " world", clear = false))
        performer.perform(DeviceAction.SetText(target("k"), "Bye", clear = true))
        assertEquals(listOf<NodeCommand>(NodeCommand.SetText("Hello world"), NodeCommand.SetText("Bye")), node.performed)
        val refusing = FakeNode(accepts = { false })
        assertIs<ActionOutcome.Rejected>(performer(mapOf("k" to refusing)).perform(DeviceAction.PressEnter(target("k"))))
        assertEquals(listOf<NodeCommand>(NodeCommand.ImeEnter), refusing.performed)
    }

    @Test
    fun scrollsTryTheDirectionalActionThenForwardThenAGesture() {
        val directional = FakeNode()
        performer(mapOf("k" to directional)).perform(DeviceAction.Scroll(target("k"), ScrollDirection.DOWN))
        assertEquals(listOf<NodeCommand>(NodeCommand.ScrollDirectional(ScrollDirection.DOWN)), directional.performed)

        val forwardOnly = FakeNode(accepts = { it == NodeCommand.ScrollForward })
        performer(mapOf("k" to forwardOnly)).perform(DeviceAction.Scroll(target("k"), ScrollDirection.RIGHT))
        assertEquals(listOf(NodeCommand.ScrollDirectional(ScrollDirection.RIGHT), NodeCommand.ScrollForward), forwardOnly.performed)

        val refusing = FakeNode(accepts = { false })
        val gestures = FakeGestures()
        performer(mapOf("k" to refusing), gestures).perform(DeviceAction.Scroll(target("k"), ScrollDirection.UP))
        assertEquals(listOf(NodeCommand.ScrollDirectional(ScrollDirection.UP), NodeCommand.ScrollBackward), refusing.performed)
        // Revealing what is above: the finger moves down, inside the node.
        assertEquals(listOf("swipe 200 250 200 350"), gestures.done)

        val screen = FakeGestures()
        performer(emptyMap(), screen).perform(DeviceAction.Scroll(null, ScrollDirection.DOWN))
        assertEquals(listOf("swipe 500 1300 500 700"), screen.done)
    }

    @Test
    fun systemActionsGoToTheSystem() {
        val system = FakeSystem()
        val gestures = FakeGestures()
        val performer = performer(emptyMap(), gestures, system)
        assertEquals(ActionOutcome.Performed, performer.perform(DeviceAction.Global(GlobalAction.HOME)))
        assertEquals(listOf(GlobalAction.HOME), system.globals)
        val intent = IntentSpec("dial", "android.intent.action.DIAL", "tel:123", null, emptyList(), false)
        assertEquals(ActionOutcome.NoHandler, performer.perform(DeviceAction.SendIntent(intent)))
        assertEquals(listOf(intent), system.intents)
        performer.perform(DeviceAction.Swipe(ScreenPoint(1, 2), ScreenPoint(3, 4), 300))
        assertEquals(listOf("swipe 1 2 3 4"), gestures.done)
        assertEquals(ActionOutcome.NoHandler, performer.perform(DeviceAction.CallAppAction("send", "{}")))
        // A tool that reads: its answer comes back as the runner gave it.
        val battery = ToolCall("battery_status", emptyList())
        assertEquals(ActionOutcome.Returned("62 %, charging"), performer.perform(DeviceAction.RunTool(battery)))
        assertEquals(listOf(battery), system.tools)
    }
}
