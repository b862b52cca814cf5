package dev.lobster.android.perform

import dev.lobster.android.snapshot.Bounds
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.ScreenRect
import dev.lobster.ffi.ScrollDirection

/**
 * Carries out one [DeviceAction]: the accessibility action on the node first, a gesture at its
 * bounds as fallback (ARCHITECTURE.md, decision 6).
 *
 * `performAction` acts on the node itself, wherever it is drawn and whatever covers it, and
 * fails visibly when the node refuses; a gesture lands on whatever is at the coordinates. So
 * the gesture is only the fallback, for custom views that draw buttons without accepting
 * ACTION_CLICK. A node that is gone (its `refresh()` fails) is reported as `TargetGone`, and
 * nothing is tapped at its old place. A gesture aims at the part of the node on the screen,
 * and is not made at all when no part of it is there.
 *
 * @param node the node of the last reading under a key, or null.
 */
class ActionPerformer(
    private val node: (String) -> NodeHandle?,
    private val gestures: Gestures,
    private val system: SystemActions,
) {
    /** Performs [action]. */
    fun perform(action: DeviceAction): ActionOutcome = when (action) {
        is DeviceAction.Tap -> onNode(action.target.nodeKey) { handle ->
            if (handle.perform(NodeCommand.Click)) {
                ActionOutcome.Performed
            } else {
                pressOnScreen(action.target.bounds, gestures::tap, "the element refused the click and the tap gesture failed")
            }
        }
        is DeviceAction.LongPress -> onNode(action.target.nodeKey) { handle ->
            if (handle.perform(NodeCommand.LongClick)) {
                ActionOutcome.Performed
            } else {
                pressOnScreen(action.target.bounds, gestures::longPress, "the element refused the long click and the gesture failed")
            }
        }
        is DeviceAction.SetText -> onNode(action.target.nodeKey) { handle ->
            val text = if (action.clear) action.text else (handle.currentText ?: "") + action.text
            if (handle.perform(NodeCommand.SetText(text))) {
                ActionOutcome.Performed
            } else {
                rejected("the field did not accept the text")
            }
        }
        is DeviceAction.PressEnter -> onNode(action.target.nodeKey) { handle ->
            if (handle.perform(NodeCommand.ImeEnter)) {
                ActionOutcome.Performed
            } else {
                rejected("the field has no keyboard action (needs Android 11)")
            }
        }
        is DeviceAction.Scroll -> scroll(action)
        is DeviceAction.Swipe -> if (gestures.swipe(
                action.from.x, action.from.y, action.to.x, action.to.y, action.durationMs.toLong(),
            )
        ) {
            ActionOutcome.Performed
        } else {
            rejected("the swipe gesture was cancelled")
        }
        is DeviceAction.Global -> if (system.global(action.action)) {
            ActionOutcome.Performed
        } else {
            rejected("the system refused the global action")
        }
        is DeviceAction.SendIntent -> system.startIntent(action.intent)
        is DeviceAction.CallAppAction -> system.callAppAction(action.name, action.argsJson)
        is DeviceAction.RunTool -> system.runTool(action.call)
    }

    private fun scroll(action: DeviceAction.Scroll): ActionOutcome {
        val target = action.target
        if (target == null) {
            val (width, height) = system.screenSize()
            return swipeToScroll(Bounds(0, height / 5, width, height * 4 / 5), action.direction)
        }
        return onNode(target.nodeKey) { handle ->
            val fallback = if (action.direction == ScrollDirection.DOWN || action.direction == ScrollDirection.RIGHT) {
                NodeCommand.ScrollForward
            } else {
                NodeCommand.ScrollBackward
            }
            when {
                handle.perform(NodeCommand.ScrollDirectional(action.direction)) -> ActionOutcome.Performed
                handle.perform(fallback) -> ActionOutcome.Performed
                else -> onScreen(target.bounds)?.let { swipeToScroll(it, action.direction) } ?: offScreen()
            }
        }
    }

    /**
     * The gesture fallback of a tap or long press: [press] at the centre of the part of
     * [bounds] on the screen, so the finger never lands off-screen or at a wrapped-around
     * place; no gesture at all when no part of the element is on the screen.
     */
    private fun pressOnScreen(bounds: ScreenRect, press: (Int, Int) -> Boolean, failure: String): ActionOutcome {
        val area = onScreen(bounds) ?: return offScreen()
        return if (press(area.centerX, area.centerY)) ActionOutcome.Performed else rejected(failure)
    }

    /** The part of [bounds] on the screen, or null when none is. */
    private fun onScreen(bounds: ScreenRect): Bounds? {
        val (width, height) = system.screenSize()
        return bounds.toBounds().clippedTo(width, height)
    }

    private fun offScreen() = rejected("the element refused the action and no part of it is on the screen to gesture at")

    private fun swipeToScroll(area: Bounds, direction: ScrollDirection): ActionOutcome {
        val stroke = Strokes.scroll(area, direction)
            ?: return rejected("the area is too small to scroll by gesture")
        return if (gestures.swipe(stroke.fromX, stroke.fromY, stroke.toX, stroke.toY, Strokes.SCROLL_MS)) {
            ActionOutcome.Performed
        } else {
            rejected("the scroll gesture was cancelled")
        }
    }

    private inline fun onNode(key: String, act: (NodeHandle) -> ActionOutcome): ActionOutcome {
        val handle = node(key) ?: return ActionOutcome.TargetGone
        if (!handle.refresh()) return ActionOutcome.TargetGone
        return act(handle)
    }

    private fun rejected(reason: String) = ActionOutcome.Rejected(reason)
}

/** As the snapshot's [Bounds]. */
fun ScreenRect.toBounds(): Bounds = Bounds(left, top, right, bottom)
