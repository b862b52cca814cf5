package dev.lobster.android.snapshot

import dev.lobster.android.snapshot.ProtoWriter.Companion.boolSize
import dev.lobster.android.snapshot.ProtoWriter.Companion.floatSize
import dev.lobster.android.snapshot.ProtoWriter.Companion.int32Size
import dev.lobster.android.snapshot.ProtoWriter.Companion.int64Size
import dev.lobster.android.snapshot.ProtoWriter.Companion.messageSize
import dev.lobster.android.snapshot.ProtoWriter.Companion.stringSize
import java.util.IdentityHashMap

/**
 * Writes a [SnapshotData] as protobuf `lobster.v1.Snapshot` bytes, in two passes: the size of
 * every node first (protobuf prefixes each embedded message with its length), then the bytes
 * into one buffer of exactly the right size. Each byte is written once, whatever the depth of
 * the tree, which keeps a 500-node screen well under a millisecond.
 *
 * Field numbers are those of `core/proto/snapshot.proto`.
 */
object SnapshotEncoder {
    /** The protobuf bytes of [snapshot]. */
    fun encode(snapshot: SnapshotData): ByteArray {
        val sizes = IdentityHashMap<NodeData, Int>()
        var total = int32Size(1, snapshot.screenWidth) + int32Size(2, snapshot.screenHeight) +
            stringSize(3, snapshot.foregroundPackage) + int64Size(4, snapshot.timestampMs) +
            int32Size(6, snapshot.source.proto)
        val windowSizes = IntArray(snapshot.windows.size)
        snapshot.windows.forEachIndexed { index, window ->
            windowSizes[index] = windowSize(window, sizes)
            total += messageSize(5, windowSizes[index])
        }
        val writer = ProtoWriter(total)
        writer.int32(1, snapshot.screenWidth)
        writer.int32(2, snapshot.screenHeight)
        writer.string(3, snapshot.foregroundPackage)
        writer.int64(4, snapshot.timestampMs)
        snapshot.windows.forEachIndexed { index, window ->
            writer.message(5, windowSizes[index]) { writeWindow(writer, window, sizes) }
        }
        writer.int32(6, snapshot.source.proto)
        return writer.toByteArray()
    }

    private fun rectSize(rect: Bounds): Int =
        int32Size(1, rect.left) + int32Size(2, rect.top) + int32Size(3, rect.right) +
            int32Size(4, rect.bottom)

    private fun writeRect(writer: ProtoWriter, field: Int, rect: Bounds) {
        writer.message(field, rectSize(rect)) {
            writer.int32(1, rect.left)
            writer.int32(2, rect.top)
            writer.int32(3, rect.right)
            writer.int32(4, rect.bottom)
        }
    }

    private fun windowSize(window: WindowData, sizes: IdentityHashMap<NodeData, Int>): Int {
        var size = int32Size(1, window.id) + int32Size(2, window.kind.proto) +
            stringSize(3, window.packageName) + int32Size(4, window.layer) +
            boolSize(5, window.focused) + stringSize(7, window.title)
        window.bounds?.let { size += messageSize(6, rectSize(it)) }
        window.root?.let { size += messageSize(8, nodeSize(it, sizes)) }
        return size
    }

    private fun writeWindow(writer: ProtoWriter, window: WindowData, sizes: IdentityHashMap<NodeData, Int>) {
        writer.int32(1, window.id)
        writer.int32(2, window.kind.proto)
        writer.string(3, window.packageName)
        writer.int32(4, window.layer)
        writer.bool(5, window.focused)
        window.bounds?.let { writeRect(writer, 6, it) }
        writer.string(7, window.title)
        window.root?.let { root -> writer.message(8, sizes.getValue(root)) { writeNode(writer, root, sizes) } }
    }

    private fun actionSize(action: NodeActionData): Int =
        int32Size(1, action.kind.proto) + int32Size(2, action.id) + stringSize(3, action.label)

    private fun rangeSize(range: RangeData): Int =
        int32Size(1, range.type) + floatSize(2, range.min) + floatSize(3, range.max) +
            floatSize(4, range.current)

    private fun collectionSize(collection: CollectionData): Int =
        int32Size(1, collection.rowCount) + int32Size(2, collection.columnCount) +
            boolSize(3, collection.hierarchical)

    private fun itemSize(item: CollectionItemData): Int =
        int32Size(1, item.rowIndex) + int32Size(2, item.columnIndex) + int32Size(3, item.rowSpan) +
            int32Size(4, item.columnSpan) + boolSize(5, item.heading)

    /** The size of [node]'s message, computing (and remembering) its subtree's sizes. */
    private fun nodeSize(node: NodeData, sizes: IdentityHashMap<NodeData, Int>): Int {
        var size = stringSize(1, node.key) + stringSize(2, node.className) + stringSize(3, node.text) +
            stringSize(4, node.contentDescription) + stringSize(5, node.hint) +
            stringSize(6, node.resourceId) +
            boolSize(8, node.clickable) + boolSize(9, node.longClickable) + boolSize(10, node.editable) +
            boolSize(11, node.scrollable) + boolSize(12, node.checkable) + boolSize(13, node.checked) +
            boolSize(14, node.enabled) + boolSize(15, node.focusable) + boolSize(16, node.focused) +
            boolSize(17, node.selected) + boolSize(18, node.password) + boolSize(19, node.visible) +
            stringSize(24, node.packageName)
        node.bounds?.let { size += messageSize(7, rectSize(it)) }
        for (action in node.actions) size += messageSize(20, actionSize(action))
        node.range?.let { size += messageSize(21, rangeSize(it)) }
        node.collection?.let { size += messageSize(22, collectionSize(it)) }
        node.collectionItem?.let { size += messageSize(23, itemSize(it)) }
        for (child in node.children) size += messageSize(25, nodeSize(child, sizes))
        sizes[node] = size
        return size
    }

    private fun writeNode(writer: ProtoWriter, node: NodeData, sizes: IdentityHashMap<NodeData, Int>) {
        writer.string(1, node.key)
        writer.string(2, node.className)
        writer.string(3, node.text)
        writer.string(4, node.contentDescription)
        writer.string(5, node.hint)
        writer.string(6, node.resourceId)
        node.bounds?.let { writeRect(writer, 7, it) }
        writer.bool(8, node.clickable)
        writer.bool(9, node.longClickable)
        writer.bool(10, node.editable)
        writer.bool(11, node.scrollable)
        writer.bool(12, node.checkable)
        writer.bool(13, node.checked)
        writer.bool(14, node.enabled)
        writer.bool(15, node.focusable)
        writer.bool(16, node.focused)
        writer.bool(17, node.selected)
        writer.bool(18, node.password)
        writer.bool(19, node.visible)
        for (action in node.actions) {
            writer.message(20, actionSize(action)) {
                writer.int32(1, action.kind.proto)
                writer.int32(2, action.id)
                writer.string(3, action.label)
            }
        }
        node.range?.let { range ->
            writer.message(21, rangeSize(range)) {
                writer.int32(1, range.type)
                writer.float(2, range.min)
                writer.float(3, range.max)
                writer.float(4, range.current)
            }
        }
        node.collection?.let { collection ->
            writer.message(22, collectionSize(collection)) {
                writer.int32(1, collection.rowCount)
                writer.int32(2, collection.columnCount)
                writer.bool(3, collection.hierarchical)
            }
        }
        node.collectionItem?.let { item ->
            writer.message(23, itemSize(item)) {
                writer.int32(1, item.rowIndex)
                writer.int32(2, item.columnIndex)
                writer.int32(3, item.rowSpan)
                writer.int32(4, item.columnSpan)
                writer.bool(5, item.heading)
            }
        }
        writer.string(24, node.packageName)
        for (child in node.children) {
            writer.message(25, sizes.getValue(child)) { writeNode(writer, child, sizes) }
        }
    }
}
