package dev.lobster.jvmtests

import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.NodeData
import dev.lobster.android.snapshot.SnapshotData
import dev.lobster.android.snapshot.SnapshotEncoder
import dev.lobster.android.snapshot.StandardActionKind
import dev.lobster.android.snapshot.WindowData
import dev.lobster.android.snapshot.WindowKind
import dev.lobster.ffi.inspectSnapshot

/**
 * How long a 500-node screen takes to cross from Kotlin into Rust: encode the snapshot in
 * Kotlin, pass the bytes through UniFFI/JNA, decode and check them in Rust (what every
 * `Device.observe()` costs on top of reading the nodes). Target: under 2 ms.
 */
object Bench {
    private const val WARMUP = 300
    private const val RUNS = 1_000

    /** A settings-like screen of exactly 500 nodes: a toolbar and a list of 124 rows. */
    fun screen(): SnapshotData {
        val rows = (0 until 124).map { index ->
            val top = 300 + index * 160
            NodeData(
                key = "w0/0.1.$index",
                className = "android.widget.LinearLayout",
                bounds = Bounds(0, top, 1080, top + 160),
                clickable = true,
                focusable = true,
                visible = top < 2400,
                actions = listOf(NodeActionData(StandardActionKind.CLICK, 16)),
                children = listOf(
                    NodeData(key = "w0/0.1.$index.0", className = "android.widget.TextView",
                        text = "Setting number $index", bounds = Bounds(48, top + 20, 800, top + 80),
                        resourceId = "com.android.settings:id/title", visible = top < 2400),
                    NodeData(key = "w0/0.1.$index.1", className = "android.widget.TextView",
                        text = "Summary of setting $index \u2014 on", bounds = Bounds(48, top + 80, 800, top + 140),
                        resourceId = "android:id/summary", visible = top < 2400),
                    NodeData(key = "w0/0.1.$index.2", className = "android.widget.Switch",
                        checkable = true, checked = index % 2 == 0, bounds = Bounds(900, top + 40, 1040, top + 120),
                        resourceId = "com.android.settings:id/switch_widget", visible = top < 2400),
                ),
            )
        }
        val root = NodeData(
            key = "w0/0",
            className = "android.widget.FrameLayout",
            bounds = Bounds(0, 0, 1080, 2400),
            children = listOf(
                NodeData(key = "w0/0.0", className = "android.widget.Toolbar", bounds = Bounds(0, 80, 1080, 280),
                    children = listOf(NodeData(key = "w0/0.0.0", className = "android.widget.TextView",
                        text = "Settings", bounds = Bounds(48, 120, 600, 240)))),
                NodeData(key = "w0/0.1", className = "androidx.recyclerview.widget.RecyclerView",
                    bounds = Bounds(0, 280, 1080, 2400), scrollable = true,
                    actions = listOf(NodeActionData(StandardActionKind.SCROLL_FORWARD, 4096)), children = rows),
            ),
        )
        return SnapshotData(1080, 2400, "com.android.settings", 1_763_717_000_000,
            listOf(WindowData(1, WindowKind.APPLICATION, "com.android.settings", 0, true, Bounds(0, 0, 1080, 2400), "Settings", root)))
    }

    private fun median(values: LongArray): Double {
        values.sort()
        return values[values.size / 2] / 1_000_000.0
    }

    /** Runs the benchmark and prints its figures. */
    fun run() {
        val snapshot = screen()
        val stats = inspectSnapshot(SnapshotEncoder.encode(snapshot))
        check(stats.nodes == 500) { "the bench screen has ${stats.nodes} nodes" }
        repeat(WARMUP) { inspectSnapshot(SnapshotEncoder.encode(snapshot)) }
        val total = LongArray(RUNS)
        val encode = LongArray(RUNS)
        var size = 0
        for (run in 0 until RUNS) {
            val start = System.nanoTime()
            val bytes = SnapshotEncoder.encode(snapshot)
            val encoded = System.nanoTime()
            inspectSnapshot(bytes)
            val end = System.nanoTime()
            total[run] = end - start
            encode[run] = encoded - start
            size = bytes.size
        }
        val p90 = total.sortedArray()[RUNS * 9 / 10] / 1_000_000.0
        println(
            "bench snapshot_500_nodes: median %.3f ms (Kotlin encode %.3f ms), p90 %.3f ms, %d bytes, %d runs"
                .format(median(total), median(encode), p90, size, RUNS),
        )
    }
}
