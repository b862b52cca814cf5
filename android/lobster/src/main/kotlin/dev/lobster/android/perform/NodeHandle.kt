package dev.lobster.android.perform

/**
 * A node of the last reading, as the performer acts on it: the few `AccessibilityNodeInfo`
 * calls it needs. On Android `AccessibilityNodes.kt` implements it; tests use fakes.
 */
interface NodeHandle {
    /** `refresh()`: whether the node is still on screen (its info is updated if so). */
    fun refresh(): Boolean

    /** The node's current text (`getText()`), for appending. */
    val currentText: String?

    /** Performs [command] (`performAction`); whether the node accepted it. */
    fun perform(command: NodeCommand): Boolean
}

/** An accessibility action on a node. */
sealed interface NodeCommand {
    /** `ACTION_CLICK`. */
    data object Click : NodeCommand
    /** `ACTION_LONG_CLICK`. */
    data object LongClick : NodeCommand
    /** `ACTION_FOCUS`. */
    data object Focus : NodeCommand
    /** `ACTION_SET_TEXT` with `ACTION_ARGUMENT_SET_TEXT_CHARSEQUENCE`. */
    data class SetText(val text: String) : NodeCommand
    /** `ACTION_IME_ENTER` (API 30). */
    data object ImeEnter : NodeCommand
    /** `ACTION_SCROLL_UP`/`DOWN`/`LEFT`/`RIGHT` (API 23). */
    data class ScrollDirectional(val direction: dev.lobster.ffi.ScrollDirection) : NodeCommand
    /** `ACTION_SCROLL_FORWARD`. */
    data object ScrollForward : NodeCommand
    /** `ACTION_SCROLL_BACKWARD`. */
    data object ScrollBackward : NodeCommand
}

/** Gestures (`dispatchGesture`); each returns whether the gesture completed. */
interface Gestures {
    /** A tap at (x, y). */
    fun tap(x: Int, y: Int): Boolean

    /** A long press at (x, y). */
    fun longPress(x: Int, y: Int): Boolean

    /** A straight stroke. */
    fun swipe(fromX: Int, fromY: Int, toX: Int, toY: Int, durationMs: Long): Boolean
}

/** The system side of actions: global actions, intents, apps, app actions. */
interface SystemActions {
    /** `performGlobalAction`; whether it was accepted. */
    fun global(action: dev.lobster.ffi.GlobalAction): Boolean

    /** Starts a catalog intent if some app handles it. */
    fun startIntent(intent: dev.lobster.ffi.IntentSpec): dev.lobster.ffi.ActionOutcome

    /** Calls an app-declared action. */
    fun callAppAction(name: String, argsJson: String): dev.lobster.ffi.ActionOutcome

    /** Runs a catalog tool that is a platform call, not an activity. */
    fun runTool(call: dev.lobster.ffi.ToolCall): dev.lobster.ffi.ActionOutcome

    /** Screen size in pixels, for screen-wide scrolls. */
    fun screenSize(): Pair<Int, Int>
}
