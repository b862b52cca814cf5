package dev.lobster.android

import dev.lobster.android.perform.Gestures
import dev.lobster.android.perform.NodeCommand
import dev.lobster.android.perform.NodeHandle
import dev.lobster.android.perform.SystemActions
import dev.lobster.android.reader.UiNode
import dev.lobster.android.reader.UiWindow
import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.CollectionData
import dev.lobster.android.snapshot.CollectionItemData
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.RangeData
import dev.lobster.android.snapshot.WindowKind
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.GlobalAction
import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.ToolCall

/** A node as a test describes it; also a [NodeHandle] that records commands. */
class FakeNode(
    override val className: String? = "android.view.View",
    override val text: String? = null,
    override val contentDescription: String? = null,
    override val hint: String? = null,
    override val resourceId: String? = null,
    override val packageName: String? = "com.example.app",
    override val bounds: Bounds = Bounds(0, 0, 100, 100),
    override val isClickable: Boolean = false,
    override val isEditable: Boolean = false,
    override val isPassword: Boolean = false,
    override val isVisibleToUser: Boolean = true,
    val children: List<FakeNode?> = emptyList(),
    /** Commands this node accepts. */
    val accepts: (NodeCommand) -> Boolean = { true },
    /** Whether `refresh()` finds it still on screen. */
    var alive: Boolean = true,
) : UiNode, NodeHandle {
    override val isLongClickable = false
    override val isScrollable = false
    override val isCheckable = false
    override val isChecked = false
    override val isEnabled = true
    override val isFocusable = false
    override val isFocused = false
    override val isSelected = false
    override val actions: List<NodeActionData> = emptyList()
    override val range: RangeData? = null
    override val collection: CollectionData? = null
    override val collectionItem: CollectionItemData? = null
    override val childCount: Int get() = children.size
    override fun child(index: Int): UiNode? = children[index]

    /** Commands performed, in order. */
    val performed = mutableListOf<NodeCommand>()
    override fun refresh(): Boolean = alive
    override val currentText: String? get() = text
    override fun perform(command: NodeCommand): Boolean {
        performed.add(command)
        return accepts(command)
    }
}

/** A window as a test describes it. */
class FakeWindow(
    override val id: Int,
    override val kind: WindowKind,
    override val layer: Int,
    private val rootNode: FakeNode?,
    override val isFocused: Boolean = false,
    override val bounds: Bounds = Bounds(0, 0, 1080, 2400),
    override val title: String? = null,
) : UiWindow {
    override val isActive: Boolean get() = isFocused
    override fun root(): UiNode? = rootNode
}

/** Records gestures; succeeds unless told not to. */
class FakeGestures(private val succeed: Boolean = true) : Gestures {
    val done = mutableListOf<String>()
    override fun tap(x: Int, y: Int): Boolean { done.add("tap $x $y"); return succeed }
    override fun longPress(x: Int, y: Int): Boolean { done.add("long $x $y"); return succeed }
    override fun swipe(fromX: Int, fromY: Int, toX: Int, toY: Int, durationMs: Long): Boolean {
        done.add("swipe $fromX $fromY $toX $toY")
        return succeed
    }
}

/** Records system actions. */
class FakeSystem : SystemActions {
    val globals = mutableListOf<GlobalAction>()
    val intents = mutableListOf<IntentSpec>()
    val tools = mutableListOf<ToolCall>()
    override fun global(action: GlobalAction): Boolean { globals.add(action); return true }
    override fun startIntent(intent: IntentSpec): ActionOutcome { intents.add(intent); return ActionOutcome.NoHandler }
    override fun callAppAction(name: String, argsJson: String): ActionOutcome = ActionOutcome.NoHandler
    override fun runTool(call: ToolCall): ActionOutcome { tools.add(call); return ActionOutcome.Returned("62 %, charging") }
    override fun screenSize(): Pair<Int, Int> = 1000 to 2000
}
