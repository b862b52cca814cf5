package dev.lobster.android.reader

import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.CollectionData
import dev.lobster.android.snapshot.CollectionItemData
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.RangeData
import dev.lobster.android.snapshot.WindowKind

/**
 * What the screen reader needs from one accessibility node: the few getters of
 * `AccessibilityNodeInfo` it reads, as plain Kotlin types.
 *
 * On Android `AccessibilityNodes.kt` adapts `AccessibilityNodeInfo`; the JVM tests use fakes.
 * Keeping [ScreenReader] behind this interface is what lets its rules (keys, depth and size
 * caps, password masking, window order) be unit-tested without a phone.
 */
interface UiNode {
    /** `getClassName()`. */
    val className: String?
    /** `getText()`. */
    val text: String?
    /** `getContentDescription()`. */
    val contentDescription: String?
    /** `getHintText()` (API 26). */
    val hint: String?
    /** `getViewIdResourceName()` (needs `flagReportViewIds`). */
    val resourceId: String?
    /** `getPackageName()`. */
    val packageName: String?
    /** `getBoundsInScreen()`. */
    val bounds: Bounds
    /** `isClickable()`. */
    val isClickable: Boolean
    /** `isLongClickable()`. */
    val isLongClickable: Boolean
    /** `isEditable()`. */
    val isEditable: Boolean
    /** `isScrollable()`. */
    val isScrollable: Boolean
    /** `isCheckable()`. */
    val isCheckable: Boolean
    /** `isChecked()`. */
    val isChecked: Boolean
    /** `isEnabled()`. */
    val isEnabled: Boolean
    /** `isFocusable()`. */
    val isFocusable: Boolean
    /** `isFocused()`. */
    val isFocused: Boolean
    /** `isSelected()`. */
    val isSelected: Boolean
    /** `isPassword()`. */
    val isPassword: Boolean
    /** `isVisibleToUser()`. */
    val isVisibleToUser: Boolean
    /** `getActionList()`, mapped. */
    val actions: List<NodeActionData>
    /** `getRangeInfo()`, mapped. */
    val range: RangeData?
    /** `getCollectionInfo()`, mapped. */
    val collection: CollectionData?
    /** `getCollectionItemInfo()`, mapped. */
    val collectionItem: CollectionItemData?
    /** `getChildCount()`. */
    val childCount: Int
    /** `getChild(index)`; null when the child vanished meanwhile. */
    fun child(index: Int): UiNode?
}

/** What the reader needs from one `AccessibilityWindowInfo`. */
interface UiWindow {
    /** `getId()`. */
    val id: Int
    /** `getType()`, mapped. */
    val kind: WindowKind
    /** `getLayer()`. */
    val layer: Int
    /** `isFocused()`. */
    val isFocused: Boolean
    /** `isActive()`. */
    val isActive: Boolean
    /** `getBoundsInScreen()`. */
    val bounds: Bounds
    /** `getTitle()` (API 24). */
    val title: String?
    /** `getRoot()`; null for a window without content. */
    fun root(): UiNode?
}
