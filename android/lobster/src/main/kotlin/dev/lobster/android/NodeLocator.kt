package dev.lobster.android

import android.view.accessibility.AccessibilityWindowInfo

/**
 * Where a node of the last reading is, as plain numbers: its window's id, the child indexes
 * from the window's root, and what it was (class and view id), so the performer can fetch it
 * again when the planner chose it.
 *
 * Why not keep the `AccessibilityNodeInfo`s of a reading until the next one: a screen has up to
 * [dev.lobster.android.reader.ScreenReader.MAX_NODES] of them, each a copy of the node's state
 * held for a whole model call (seconds), for the one node an action uses. Fetching that node
 * again costs a few `getChild` calls, and shows whether it is still the same node: a node
 * whose class or view id changed is gone, and the action reports `TargetGone` instead of
 * acting on whatever took its place.
 */
internal class NodeLocator(
    /** `AccessibilityWindowInfo.getId()` of the node's window. */
    val windowId: Int,
    /** Child indexes from the window's root. */
    val path: IntArray,
    /** The node's class name when it was read. */
    val className: String?,
    /** The node's view id when it was read. */
    val resourceId: String?,
) {
    /** The node in [windows] (a fresh `getWindows()`), or null when it is no longer there. */
    fun find(windows: List<AccessibilityWindowInfo>): AndroidNode? {
        val window = windows.firstOrNull { it.id == windowId } ?: return null
        var info = window.root ?: return null
        for (index in path) {
            if (index >= info.childCount) return null
            info = info.getChild(index) ?: return null
        }
        val node = AndroidNode(info, windowId, path)
        return node.takeIf { it.className == className && it.resourceId == resourceId }
    }

    companion object {
        /** Where [node] is. */
        fun of(node: AndroidNode): NodeLocator =
            NodeLocator(node.windowId, node.path, node.className, node.resourceId)
    }
}
