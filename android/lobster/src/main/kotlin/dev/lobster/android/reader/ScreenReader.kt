package dev.lobster.android.reader

import dev.lobster.android.snapshot.NodeData
import dev.lobster.android.snapshot.SnapshotData
import dev.lobster.android.snapshot.WindowData
import dev.lobster.android.snapshot.WindowKind

/**
 * Turns every interactive window into one [SnapshotData], and remembers which node each key
 * names, so the performer can act on the node the planner chose.
 *
 * The rules, each for a reason:
 * - all windows, bottom first (`getWindows()` lists them top first): the keyboard, a system
 *   dialog or an overlay is part of what the user sees, and the guard must know whose it is;
 * - positional keys `w<window index>/<child path>` (`w1/0.3.2`), the same scheme as core's
 *   importers, unique in the snapshot;
 * - password text is never copied: a field shows as filled or empty (bullets), never its text;
 * - a depth cap (core's importer caps at 60 too) and a node cap keep a pathological tree (an
 *   endless list, a WebView) from costing seconds, and nothing recurses without a bound;
 * - the foreground package is the focused application window's, else the topmost one's.
 */
class ScreenReader(
    private val maxDepth: Int = MAX_DEPTH,
    private val maxNodes: Int = MAX_NODES,
) {
    /** One reading: the snapshot, and the node behind each key. */
    class Reading<N : UiNode>(
        /** The screen. */
        val snapshot: SnapshotData,
        /** The node of each key of [snapshot]. */
        val nodes: Map<String, N>,
        /** Nodes left out by the caps. */
        val dropped: Int,
    )

    /**
     * Reads [windows] (in `getWindows()` order, top first, or any order: they are sorted by
     * layer) of a [width]×[height] screen at [nowMs].
     */
    @Suppress("UNCHECKED_CAST")
    fun <N : UiNode> read(windows: List<UiWindow>, width: Int, height: Int, nowMs: Long): Reading<N> {
        val ordered = windows.sortedBy { it.layer }
        val nodes = HashMap<String, N>()
        var budget = maxNodes
        var dropped = 0
        val data = ordered.mapIndexed { index, window ->
            val root = window.root()
            var rootData: NodeData? = null
            if (root != null && budget > 0) {
                val walk = Walk(nodes as MutableMap<String, UiNode>, budget)
                rootData = walk.node(root, "w$index/0", 0)
                budget = walk.budget
                dropped += walk.dropped
            } else if (root != null) {
                dropped++
            }
            WindowData(
                id = window.id,
                kind = window.kind,
                packageName = root?.packageName ?: "",
                layer = window.layer,
                focused = window.isFocused,
                bounds = window.bounds,
                title = window.title ?: "",
                root = rootData,
            )
        }
        val apps = data.filter { it.kind == WindowKind.APPLICATION && it.packageName.isNotEmpty() }
        val foreground = (apps.firstOrNull { it.focused } ?: apps.lastOrNull())?.packageName ?: ""
        return Reading(
            SnapshotData(
                screenWidth = width,
                screenHeight = height,
                foregroundPackage = foreground,
                timestampMs = nowMs,
                windows = data,
            ),
            nodes,
            dropped,
        )
    }

    /** One window's walk, with the node budget left. */
    private inner class Walk(val nodes: MutableMap<String, UiNode>, var budget: Int) {
        var dropped = 0

        fun node(node: UiNode, key: String, depth: Int): NodeData {
            budget--
            nodes[key] = node
            val children = ArrayList<NodeData>(node.childCount)
            if (depth < maxDepth) {
                for (index in 0 until node.childCount) {
                    if (budget <= 0) {
                        dropped += node.childCount - index
                        break
                    }
                    val child = node.child(index) ?: continue
                    children.add(node(child, "$key.${children.size}", depth + 1))
                }
            } else {
                dropped += node.childCount
            }
            val text = node.text ?: ""
            return NodeData(
                key = key,
                className = node.className ?: "",
                text = if (node.isPassword) BULLET.repeat(minOf(text.length, 16)) else text,
                contentDescription = node.contentDescription ?: "",
                hint = node.hint ?: "",
                resourceId = node.resourceId ?: "",
                bounds = node.bounds,
                clickable = node.isClickable,
                longClickable = node.isLongClickable,
                editable = node.isEditable,
                scrollable = node.isScrollable,
                checkable = node.isCheckable,
                checked = node.isChecked,
                enabled = node.isEnabled,
                focusable = node.isFocusable,
                focused = node.isFocused,
                selected = node.isSelected,
                password = node.isPassword,
                visible = node.isVisibleToUser,
                actions = node.actions,
                range = node.range,
                collection = node.collection,
                collectionItem = node.collectionItem,
                packageName = "",
                children = children,
            )
        }
    }

    companion object {
        /** Deepest node level kept (the root is 0), as core's importer. */
        const val MAX_DEPTH = 60
        /** Most nodes kept per snapshot. */
        const val MAX_NODES = 3_000
        private const val BULLET = "\u2022"
    }
}
