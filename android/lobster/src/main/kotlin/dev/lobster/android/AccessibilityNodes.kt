package dev.lobster.android

import android.graphics.Rect
import android.os.Bundle
import android.view.accessibility.AccessibilityNodeInfo
import android.view.accessibility.AccessibilityWindowInfo
import dev.lobster.android.perform.NodeCommand
import dev.lobster.android.perform.NodeHandle
import dev.lobster.android.reader.UiNode
import dev.lobster.android.reader.UiWindow
import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.CollectionData
import dev.lobster.android.snapshot.CollectionItemData
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.RangeData
import dev.lobster.android.snapshot.StandardActionKind
import dev.lobster.android.snapshot.WindowKind
import dev.lobster.ffi.ScrollDirection

/**
 * `AccessibilityNodeInfo` and `AccessibilityWindowInfo` behind the reader's and performer's
 * small interfaces. Only this file (with the service) touches the accessibility node API, so
 * the rules above it stay plain Kotlin, tested on the JVM.
 *
 * An empty text field's `getText()` returns its hint on API 26+ (`isShowingHintText()`): such
 * a node's text is null here, so the hint is never read as typed text (an empty "Search" field
 * is empty, `type` does not append to "Search", an empty password field reads as empty).
 *
 * @param windowId the id of the window the node is in.
 * @param path the child indexes (`getChild`) from the window's root to the node, to find it
 *   again in a later reading ([NodeLocator]) without keeping the node object.
 */
internal class AndroidNode(
    val info: AccessibilityNodeInfo,
    val windowId: Int,
    val path: IntArray,
) : UiNode, NodeHandle {
    override val className: String? get() = info.className?.toString()
    override val text: String? get() = if (info.isShowingHintText) null else info.text?.toString()
    override val contentDescription: String? get() = info.contentDescription?.toString()
    override val hint: String? get() = info.hintText?.toString()
    override val resourceId: String? get() = info.viewIdResourceName
    override val packageName: String? get() = info.packageName?.toString()
    override val bounds: Bounds
        get() = Rect().also { info.getBoundsInScreen(it) }.let { Bounds(it.left, it.top, it.right, it.bottom) }
    override val isClickable: Boolean get() = info.isClickable
    override val isLongClickable: Boolean get() = info.isLongClickable
    override val isEditable: Boolean get() = info.isEditable
    override val isScrollable: Boolean get() = info.isScrollable
    override val isCheckable: Boolean get() = info.isCheckable
    // Deprecated in API 36 for the tri-state `getChecked()`; true still means checked.
    @Suppress("DEPRECATION")
    override val isChecked: Boolean get() = info.isChecked
    override val isEnabled: Boolean get() = info.isEnabled
    override val isFocusable: Boolean get() = info.isFocusable
    override val isFocused: Boolean get() = info.isFocused
    override val isSelected: Boolean get() = info.isSelected
    override val isPassword: Boolean get() = info.isPassword
    override val isVisibleToUser: Boolean get() = info.isVisibleToUser
    override val actions: List<NodeActionData>
        get() = info.actionList.orEmpty().map { action ->
            NodeActionData(standardKind(action.id), action.id, action.label?.toString() ?: "")
        }
    override val range: RangeData?
        get() = info.rangeInfo?.let { RangeData(it.type, it.min, it.max, it.current) }
    override val collection: CollectionData?
        get() = info.collectionInfo?.let { CollectionData(it.rowCount, it.columnCount, it.isHierarchical) }
    @Suppress("DEPRECATION")
    override val collectionItem: CollectionItemData?
        get() = info.collectionItemInfo?.let {
            CollectionItemData(it.rowIndex, it.columnIndex, it.rowSpan, it.columnSpan, it.isHeading)
        }
    override val childCount: Int get() = info.childCount
    override fun child(index: Int): UiNode? = info.getChild(index)?.let { AndroidNode(it, windowId, path + index) }

    override fun refresh(): Boolean = info.refresh()
    override val currentText: String? get() = if (info.isPassword) null else text

    override fun perform(command: NodeCommand): Boolean = when (command) {
        NodeCommand.Click -> info.performAction(AccessibilityNodeInfo.ACTION_CLICK)
        NodeCommand.LongClick -> info.performAction(AccessibilityNodeInfo.ACTION_LONG_CLICK)
        NodeCommand.Focus -> info.performAction(AccessibilityNodeInfo.ACTION_FOCUS)
        is NodeCommand.SetText -> info.performAction(
            AccessibilityNodeInfo.ACTION_SET_TEXT,
            Bundle().apply {
                putCharSequence(AccessibilityNodeInfo.ACTION_ARGUMENT_SET_TEXT_CHARSEQUENCE, command.text)
            },
        )
        NodeCommand.ImeEnter -> Platform.atLeast(30) &&
            info.performAction(AccessibilityNodeInfo.AccessibilityAction.ACTION_IME_ENTER.id)
        is NodeCommand.ScrollDirectional -> {
            val action = when (command.direction) {
                ScrollDirection.UP -> AccessibilityNodeInfo.AccessibilityAction.ACTION_SCROLL_UP
                ScrollDirection.DOWN -> AccessibilityNodeInfo.AccessibilityAction.ACTION_SCROLL_DOWN
                ScrollDirection.LEFT -> AccessibilityNodeInfo.AccessibilityAction.ACTION_SCROLL_LEFT
                ScrollDirection.RIGHT -> AccessibilityNodeInfo.AccessibilityAction.ACTION_SCROLL_RIGHT
            }
            info.actionList.orEmpty().any { it.id == action.id } && info.performAction(action.id)
        }
        NodeCommand.ScrollForward -> info.performAction(AccessibilityNodeInfo.ACTION_SCROLL_FORWARD)
        NodeCommand.ScrollBackward -> info.performAction(AccessibilityNodeInfo.ACTION_SCROLL_BACKWARD)
    }

    private companion object {
        /** Platform action ids of the standard actions (`AccessibilityNodeInfo.ACTION_*` and
         * the `android.R.id.accessibilityAction*` ids). */
        val STANDARD = mapOf(
            16 to StandardActionKind.CLICK,
            32 to StandardActionKind.LONG_CLICK,
            2097152 to StandardActionKind.SET_TEXT,
            4096 to StandardActionKind.SCROLL_FORWARD,
            8192 to StandardActionKind.SCROLL_BACKWARD,
            1 to StandardActionKind.FOCUS,
            4 to StandardActionKind.SELECT,
            262144 to StandardActionKind.EXPAND,
            524288 to StandardActionKind.COLLAPSE,
            1048576 to StandardActionKind.DISMISS,
            16384 to StandardActionKind.COPY,
            32768 to StandardActionKind.PASTE,
            0x01020038 to StandardActionKind.SCROLL_UP,
            0x0102003a to StandardActionKind.SCROLL_DOWN,
            0x01020039 to StandardActionKind.SCROLL_LEFT,
            0x0102003b to StandardActionKind.SCROLL_RIGHT,
            0x0102003d to StandardActionKind.SET_PROGRESS,
            0x01020054 to StandardActionKind.IME_ENTER,
        )

        fun standardKind(id: Int): StandardActionKind = STANDARD[id] ?: StandardActionKind.CUSTOM
    }
}

/** `AccessibilityWindowInfo` as the reader sees it. */
internal class AndroidWindow(private val info: AccessibilityWindowInfo) : UiWindow {
    override val id: Int get() = info.id
    override val kind: WindowKind
        get() = when (info.type) {
            AccessibilityWindowInfo.TYPE_APPLICATION -> WindowKind.APPLICATION
            AccessibilityWindowInfo.TYPE_INPUT_METHOD -> WindowKind.INPUT_METHOD
            AccessibilityWindowInfo.TYPE_SYSTEM -> WindowKind.SYSTEM
            AccessibilityWindowInfo.TYPE_ACCESSIBILITY_OVERLAY -> WindowKind.ACCESSIBILITY_OVERLAY
            AccessibilityWindowInfo.TYPE_SPLIT_SCREEN_DIVIDER -> WindowKind.SPLIT_SCREEN_DIVIDER
            AccessibilityWindowInfo.TYPE_MAGNIFICATION_OVERLAY -> WindowKind.MAGNIFICATION_OVERLAY
            else -> WindowKind.UNKNOWN
        }
    override val layer: Int get() = info.layer
    override val isFocused: Boolean get() = info.isFocused
    override val isActive: Boolean get() = info.isActive
    override val bounds: Bounds
        get() = Rect().also { info.getBoundsInScreen(it) }.let { Bounds(it.left, it.top, it.right, it.bottom) }
    override val title: String? get() = info.title?.toString()
    override fun root(): UiNode? = info.root?.let { AndroidNode(it, info.id, IntArray(0)) }
}
