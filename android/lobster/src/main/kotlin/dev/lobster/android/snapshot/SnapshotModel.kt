package dev.lobster.android.snapshot

/**
 * The screen as the Kotlin reader produces it: a plain mirror of `Snapshot` in
 * `core/proto/snapshot.proto` (package `lobster.v1`), one class per message, no Android types.
 *
 * The reader fills it from accessibility nodes, the JVM tests from fakes; [SnapshotEncoder]
 * turns it into the bytes `Device.observe()` returns.
 */
data class SnapshotData(
    /** Screen width in pixels. */
    val screenWidth: Int,
    /** Screen height in pixels. */
    val screenHeight: Int,
    /** Package of the app the user is in. */
    val foregroundPackage: String,
    /** Capture time, milliseconds since the epoch. */
    val timestampMs: Long,
    /** Windows in z-order, bottom first. */
    val windows: List<WindowData>,
    /** Where the snapshot came from. */
    val source: SnapshotSource = SnapshotSource.ACCESSIBILITY,
)

/** `SourceFormat` of the proto. */
enum class SnapshotSource(val proto: Int) {
    /** Read live by the accessibility service. */
    ACCESSIBILITY(1),
    /** Made by a test. */
    UNSPECIFIED(0),
}

/** `WindowType` of the proto: Android's `AccessibilityWindowInfo` types. */
enum class WindowKind(val proto: Int) {
    /** Unknown. */
    UNKNOWN(0),
    /** `TYPE_APPLICATION`. */
    APPLICATION(1),
    /** `TYPE_INPUT_METHOD`: the keyboard. */
    INPUT_METHOD(2),
    /** `TYPE_SYSTEM`: status bar, navigation bar, system dialogs. */
    SYSTEM(3),
    /** `TYPE_ACCESSIBILITY_OVERLAY`. */
    ACCESSIBILITY_OVERLAY(4),
    /** `TYPE_SPLIT_SCREEN_DIVIDER`. */
    SPLIT_SCREEN_DIVIDER(5),
    /** `TYPE_MAGNIFICATION_OVERLAY`. */
    MAGNIFICATION_OVERLAY(6),
}

/**
 * A rectangle in screen pixels; right and bottom are exclusive.
 *
 * Any edges are possible (an app can report `Int.MIN_VALUE..Int.MAX_VALUE`), so sizes and
 * centres are computed in `Long` and never overflow, as in the Rust core's `Rect`.
 */
data class Bounds(val left: Int, val top: Int, val right: Int, val bottom: Int) {
    /** Horizontal centre; [left] when inverted. */
    val centerX: Int get() = midpoint(left, right)
    /** Vertical centre; [top] when inverted. */
    val centerY: Int get() = midpoint(top, bottom)
    /** Width: 0 when inverted, `Int.MAX_VALUE` when wider than an `Int` holds. */
    val width: Int get() = span(left, right)
    /** Height: 0 when inverted, `Int.MAX_VALUE` when taller than an `Int` holds. */
    val height: Int get() = span(top, bottom)
    /** Whether it covers no pixel. */
    val isEmpty: Boolean get() = right <= left || bottom <= top

    /** The part inside a `width` x `height` screen, or null when no pixel of it is on screen. */
    fun clippedTo(width: Int, height: Int): Bounds? {
        val clipped = Bounds(
            left.coerceAtLeast(0),
            top.coerceAtLeast(0),
            right.coerceAtMost(width),
            bottom.coerceAtMost(height),
        )
        return clipped.takeUnless { it.isEmpty }
    }

    private companion object {
        /** The exact distance from [low] up to [high], 0 when [high] is not above it. */
        fun distance(low: Int, high: Int): Long = (high.toLong() - low.toLong()).coerceAtLeast(0L)

        fun span(low: Int, high: Int): Int = distance(low, high).coerceAtMost(Int.MAX_VALUE.toLong()).toInt()

        /** Halfway from [low] to [high], rounded towards [low]; always between them. */
        fun midpoint(low: Int, high: Int): Int = (low + distance(low, high) / 2).toInt()
    }
}

/** One window with its node tree. */
data class WindowData(
    /** The platform's window id. */
    val id: Int,
    /** The window's type. */
    val kind: WindowKind,
    /** Package owning the content. */
    val packageName: String,
    /** Z-order layer; higher is on top. */
    val layer: Int,
    /** Whether it has input focus. */
    val focused: Boolean,
    /** Where it is. */
    val bounds: Bounds?,
    /** Its title, when the platform gives one. */
    val title: String,
    /** Root of the node tree; null for an empty window. */
    val root: NodeData?,
)

/** `StandardAction` of the proto. */
enum class StandardActionKind(val proto: Int) {
    /** An app's custom action. */
    CUSTOM(0),
    /** `ACTION_CLICK`. */
    CLICK(1),
    /** `ACTION_LONG_CLICK`. */
    LONG_CLICK(2),
    /** `ACTION_SET_TEXT`. */
    SET_TEXT(3),
    /** `ACTION_SCROLL_FORWARD`. */
    SCROLL_FORWARD(4),
    /** `ACTION_SCROLL_BACKWARD`. */
    SCROLL_BACKWARD(5),
    /** `ACTION_SCROLL_UP`. */
    SCROLL_UP(6),
    /** `ACTION_SCROLL_DOWN`. */
    SCROLL_DOWN(7),
    /** `ACTION_SCROLL_LEFT`. */
    SCROLL_LEFT(8),
    /** `ACTION_SCROLL_RIGHT`. */
    SCROLL_RIGHT(9),
    /** `ACTION_FOCUS`. */
    FOCUS(10),
    /** `ACTION_SELECT`. */
    SELECT(11),
    /** `ACTION_EXPAND`. */
    EXPAND(12),
    /** `ACTION_COLLAPSE`. */
    COLLAPSE(13),
    /** `ACTION_DISMISS`. */
    DISMISS(14),
    /** `ACTION_IME_ENTER`. */
    IME_ENTER(15),
    /** `ACTION_SET_PROGRESS`. */
    SET_PROGRESS(16),
    /** `ACTION_COPY`. */
    COPY(17),
    /** `ACTION_PASTE`. */
    PASTE(18),
}

/** An action a node accepts. */
data class NodeActionData(
    /** Which standard action, or custom. */
    val kind: StandardActionKind,
    /** The platform's action id; 0 when unknown. */
    val id: Int,
    /** Label of a custom or relabelled action. */
    val label: String = "",
)

/** `RangeInfo` of a slider or progress bar. */
data class RangeData(
    /** 0 int, 1 float, 2 percent (`RangeInfo.RANGE_TYPE_*`). */
    val type: Int,
    /** Minimum. */
    val min: Float,
    /** Maximum. */
    val max: Float,
    /** Current value. */
    val current: Float,
)

/** `CollectionInfo` of a list or grid. */
data class CollectionData(
    /** Rows. */
    val rowCount: Int,
    /** Columns. */
    val columnCount: Int,
    /** Whether it is a tree. */
    val hierarchical: Boolean,
)

/** `CollectionItemInfo` of an item in a list or grid. */
data class CollectionItemData(
    /** Row index. */
    val rowIndex: Int,
    /** Column index. */
    val columnIndex: Int,
    /** Rows spanned. */
    val rowSpan: Int,
    /** Columns spanned. */
    val columnSpan: Int,
    /** Whether it is a heading. */
    val heading: Boolean,
)

/** One accessibility node. */
data class NodeData(
    /** Key unique in the snapshot; the performer finds the node by it. */
    val key: String,
    /** View class, e.g. `android.widget.Button`. */
    val className: String = "",
    /** Text (masked for password fields). */
    val text: String = "",
    /** Content description. */
    val contentDescription: String = "",
    /** Hint of an editable field. */
    val hint: String = "",
    /** Resource id, e.g. `com.android.settings:id/switch_widget`. */
    val resourceId: String = "",
    /** Where it is on screen. */
    val bounds: Bounds? = null,
    /** Accepts clicks. */
    val clickable: Boolean = false,
    /** Accepts long clicks. */
    val longClickable: Boolean = false,
    /** Editable text. */
    val editable: Boolean = false,
    /** Scrollable. */
    val scrollable: Boolean = false,
    /** Checkable. */
    val checkable: Boolean = false,
    /** Checked. */
    val checked: Boolean = false,
    /** Enabled. */
    val enabled: Boolean = true,
    /** Focusable. */
    val focusable: Boolean = false,
    /** Focused. */
    val focused: Boolean = false,
    /** Selected. */
    val selected: Boolean = false,
    /** A password field. */
    val password: Boolean = false,
    /** Visible to the user. */
    val visible: Boolean = true,
    /** Actions it accepts. */
    val actions: List<NodeActionData> = emptyList(),
    /** Range, for sliders. */
    val range: RangeData? = null,
    /** Collection shape, for lists. */
    val collection: CollectionData? = null,
    /** Position in the parent collection. */
    val collectionItem: CollectionItemData? = null,
    /** The node's package when it differs from its window's. */
    val packageName: String = "",
    /** Children in drawing order. */
    val children: List<NodeData> = emptyList(),
)
