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
 * nothing is tapped at its old place.
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
            when {
                handle.perform(NodeCommand.Click) -> ActionOutcome.Performed
                gestures.tap(action.target.bounds.centerX, action.target.bounds.centerY) -> ActionOutcome.Performed
                else -> rejected("the element refused the click and the tap gesture failed")
            }
        }
        is DeviceAction.LongPress -> onNode(action.target.nodeKey) { handle ->
            when {
                handle.perform(NodeCommand.LongClick) -> ActionOutcome.Performed
                gestures.longPress(action.target.bounds.centerX, action.target.bounds.centerY) ->
                    ActionOutcome.Performed
                else -> rejected("the element refused the long click and the gesture failed")
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
                else -> swipeToScroll(target.bounds.toBounds(), action.direction)
            }
        }
    }

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

/** The centre of a rectangle, horizontally. */
val ScreenRect.centerX: Int get() = left + (right - left) / 2

/** The centre of a rectangle, vertically. */
val ScreenRect.centerY: Int get() = top + (bottom - top) / 2

/** As the snapshot's [Bounds]. */
fun ScreenRect.toBounds(): Bounds = Bounds(left, top, right, bottom)
