package dev.lobster.android

import dev.lobster.android.reader.ScreenReader
import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.WindowKind
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue

class ScreenReaderTest {
    private val field = FakeNode(className = "android.widget.EditText", text = "hunter2", isPassword = true, isEditable = true)
    private val send = FakeNode(className = "android.widget.Button", text = "Send", isClickable = true)
    private val app = FakeNode(className = "android.widget.FrameLayout", children = listOf(field, null, send))
    private val key = FakeNode(contentDescription = "q", packageName = "com.example.keyboard")
    private val keyboard = FakeNode(packageName = "com.example.keyboard", children = listOf(key))
    private val bar = FakeNode(packageName = "com.android.systemui", text = "12:30")

    @Test
    fun windowsComeBottomFirstWithKindsAndPackages() {
        // getWindows() order: top first.
        val windows = listOf(
            FakeWindow(9, WindowKind.INPUT_METHOD, 3, keyboard, bounds = Bounds(0, 1600, 1080, 2400)),
            FakeWindow(4, WindowKind.APPLICATION, 1, app, isFocused = true, title = "Chat"),
            FakeWindow(1, WindowKind.SYSTEM, 2, bar),
        )
        val reading = ScreenReader().read<FakeNode>(windows, 1080, 2400, 42)
        val snapshot = reading.snapshot
        assertEquals(listOf(4, 1, 9), snapshot.windows.map { it.id })
        assertEquals(listOf("com.example.app", "com.android.systemui", "com.example.keyboard"), snapshot.windows.map { it.packageName })
        assertEquals("com.example.app", snapshot.foregroundPackage)
        assertEquals("Chat", snapshot.windows[0].title)
        assertEquals(42, snapshot.timestampMs)
        assertEquals(Bounds(0, 1600, 1080, 2400), snapshot.windows[2].bounds)
    }

    @Test
    fun keysArePositionalAndLeadBackToTheNodes() {
        val reading = ScreenReader().read<FakeNode>(listOf(FakeWindow(4, WindowKind.APPLICATION, 1, app, isFocused = true)), 1080, 2400, 0)
        val root = reading.snapshot.windows.single().root!!
        assertEquals("w0/0", root.key)
        // The vanished child (null) takes no key: the next one is .1.
        assertEquals(listOf("w0/0.0", "w0/0.1"), root.children.map { it.key })
        assertSame(send, reading.nodes["w0/0.1"])
        assertSame(field, reading.nodes["w0/0.0"])
    }

    @Test
    fun passwordTextNeverLeavesTheReader() {
        val reading = ScreenReader().read<FakeNode>(listOf(FakeWindow(4, WindowKind.APPLICATION, 1, app)), 1080, 2400, 0)
        val password = reading.snapshot.windows.single().root!!.children[0]
        assertTrue(password.password)
        assertFalse(password.text.contains("hunter2"))
        assertEquals("\u2022".repeat(7), password.text)
    }

    @Test
    fun depthAndNodeCapsBoundTheWalk() {
        var deep = FakeNode(text = "leaf")
        repeat(100) { deep = FakeNode(children = listOf(deep)) }
        val reading = ScreenReader(maxDepth = 10).read<FakeNode>(listOf(FakeWindow(1, WindowKind.APPLICATION, 0, deep)), 1, 1, 0)
        var node = reading.snapshot.windows.single().root
        var depth = 0
        while (node!!.children.isNotEmpty()) { node = node.children.single(); depth++ }
        assertEquals(10, depth)
        assertEquals(1, reading.dropped)

        val wide = FakeNode(children = List(50) { FakeNode() })
        val capped = ScreenReader(maxNodes = 20).read<FakeNode>(listOf(FakeWindow(1, WindowKind.APPLICATION, 0, wide)), 1, 1, 0)
        assertEquals(20, capped.nodes.size)
        assertEquals(31, capped.dropped)
    }

    @Test
    fun anEmptyScreenHasNoForegroundApp() {
        val reading = ScreenReader().read<FakeNode>(listOf(FakeWindow(1, WindowKind.SYSTEM, 0, null)), 1, 1, 0)
        assertEquals("", reading.snapshot.foregroundPackage)
        assertNull(reading.snapshot.windows.single().root)
    }
}
