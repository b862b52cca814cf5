package dev.lobster.jvmtests

import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.CollectionData
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.NodeData
import dev.lobster.android.snapshot.RangeData
import dev.lobster.android.snapshot.SnapshotData
import dev.lobster.android.snapshot.SnapshotEncoder
import dev.lobster.android.snapshot.StandardActionKind
import dev.lobster.android.snapshot.WindowData
import dev.lobster.android.snapshot.WindowKind
import dev.lobster.ffi.AgentException
import dev.lobster.ffi.inspectSnapshot
import dev.lobster.ffi.lobsterVersion
import dev.lobster.ffi.screenText
import org.junit.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The Kotlin snapshot encoder against Rust's decoder and encoder. */
class SnapshotBridgeTest {
    @Test
    fun theNotesScreenDecodesInRustAsWritten() {
        val bytes = SnapshotEncoder.encode(FakePhone.screen("Milk", saved = false))
        val stats = inspectSnapshot(bytes)
        assertEquals(1, stats.windows)
        assertEquals(5, stats.nodes)
        assertEquals(FakePhone.PACKAGE, stats.foregroundPackage)
        assertEquals(1080, stats.screenWidth)
        assertEquals(2400, stats.screenHeight)
        val screen = screenText(bytes)
        assertContains(screen.text, "[1] ")
        assertContains(screen.text, "Milk")
        assertContains(screen.text, "[2] Save")
        assertEquals(3, screen.elements)
        assertTrue(lobsterVersion().isNotEmpty())
    }

    @Test
    fun everyWindowKindAndFieldSurvivesTheCrossing() {
        val keyboard = NodeData(
            key = "w2/0",
            className = "android.inputmethodservice.KeyboardView",
            bounds = Bounds(0, 1600, 1080, 2400),
            children = listOf(
                NodeData(key = "w2/0.0", className = "android.widget.Button", contentDescription = "Enter", clickable = true,
                    bounds = Bounds(900, 2200, 1080, 2400)),
            ),
        )
        val password = NodeData(
            key = "w1/0.0",
            className = "android.widget.EditText",
            text = "\u2022\u2022\u2022\u2022",
            hint = "Password",
            password = true,
            editable = true,
            focused = true,
            bounds = Bounds(0, 300, 1080, 420),
            actions = listOf(NodeActionData(StandardActionKind.SET_TEXT, 2097152)),
        )
        val slider = NodeData(
            key = "w1/0.1",
            className = "android.widget.SeekBar",
            contentDescription = "Volume",
            bounds = Bounds(0, 500, 1080, 600),
            range = RangeData(0, 0f, 100f, 40.5f),
            actions = listOf(NodeActionData(StandardActionKind.CUSTOM, 0x7f0a0001, "Mute \u2014 \uD83D\uDD07")),
        )
        val list = NodeData(
            key = "w1/0.2",
            className = "androidx.recyclerview.widget.RecyclerView",
            scrollable = true,
            bounds = Bounds(0, 600, 1080, 1600),
            collection = CollectionData(30, 1, false),
            actions = listOf(NodeActionData(StandardActionKind.SCROLL_FORWARD, 4096)),
        )
        val snapshot = SnapshotData(
            screenWidth = 1080,
            screenHeight = 2400,
            foregroundPackage = "com.example.bank",
            timestampMs = -1,
            windows = listOf(
                WindowData(-7, WindowKind.SYSTEM, "com.android.systemui", 0, false, Bounds(0, 0, 1080, 80), "",
                    NodeData(key = "w0/0", className = "android.widget.FrameLayout", text = "12:30", bounds = Bounds(0, 0, 1080, 80))),
                WindowData(3, WindowKind.APPLICATION, "com.example.bank", 1, true, Bounds(0, 0, 1080, 2400), "Log in \u767b\u5f55",
                    NodeData(key = "w1/0", className = "android.widget.LinearLayout", bounds = Bounds(0, 0, 1080, 2400),
                        children = listOf(password, slider, list))),
                WindowData(9, WindowKind.INPUT_METHOD, "com.example.keyboard", 2, false, Bounds(0, 1600, 1080, 2400), "", keyboard),
            ),
        )
        val bytes = SnapshotEncoder.encode(snapshot)
        val stats = inspectSnapshot(bytes)
        assertEquals(3, stats.windows)
        assertEquals(7, stats.nodes)
        assertEquals("com.example.bank", stats.foregroundPackage)
        val text = screenText(bytes).text
        assertContains(text, "# keyboard com.example.keyboard")
        assertContains(text, "Volume")
        assertFalse(text.contains("\u2022\u2022\u2022\u2022"), "password text is never printed: $text")
    }

    @Test
    fun bytesThatAreNoSnapshotAreRefused() {
        assertFailsWith<AgentException.InvalidSnapshot> { inspectSnapshot(byteArrayOf(0x0a, 0x05, 'h'.code.toByte())) }
        assertFailsWith<AgentException.InvalidSnapshot> { screenText(ByteArray(0)) }
    }
}
