package dev.lobster.android.framework

import dev.lobster.android.AndroidNode
import dev.lobster.android.AndroidWindow
import dev.lobster.android.reader.ScreenReader
import dev.lobster.android.snapshot.NodeData
import dev.lobster.android.snapshot.WindowKind
import android.view.accessibility.AccessibilityWindowInfo
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The screen reader on real widgets' real accessibility nodes (API 35 framework). */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35], qualifiers = "w360dp-h800dp")
class ScreenReaderFrameworkTest {
    private fun NodeData.all(): List<NodeData> = listOf(this) + children.flatMap { it.all() }

    private fun read(vararg windows: android.view.accessibility.AccessibilityWindowInfo) =
        ScreenReader().read<AndroidNode>(windows.map { AndroidWindow(it) }, 1080, 2400, 0)

    private fun List<NodeData>.field(hint: String) = single { it.hint == hint }

    @Test
    fun anEmptyFieldIsEmptyAndItsHintIsAHint() {
        val screen = RealScreen()
        // The framework itself reports the hint as the text of an empty field (API 26+).
        val raw = screen.search.createAccessibilityNodeInfo()
        assertEquals("Search", raw.text?.toString())
        assertTrue(raw.isShowingHintText)

        val nodes = read(screen.appWindow()).snapshot.windows.single().root!!.all()
        val search = nodes.field("Search")
        assertEquals("", search.text, "an empty field's hint was read as its text")
        assertTrue(search.editable)
        assertEquals("Buy milk", nodes.field("Note").text)
    }

    @Test
    fun anEmptyPasswordFieldReadsEmptyAndAFilledOneAsBullets() {
        val nodes = read(RealScreen().appWindow()).snapshot.windows.single().root!!.all()
        val empty = nodes.field("Password")
        assertTrue(empty.password)
        assertEquals("", empty.text, "an empty password field reads as filled")
        val filled = nodes.field("PIN")
        assertTrue(filled.password)
        assertEquals("\u2022".repeat(7), filled.text)
        assertTrue(nodes.none { "hunter2" in it.text })
    }

    @Test
    fun switchesCheckboxesButtonsAndListRowsAreReadWithTheirState() {
        val reading = read(RealScreen().appWindow())
        val nodes = reading.snapshot.windows.single().root!!.all()
        val wifi = nodes.single { it.text == "Wi-Fi" }
        assertTrue(wifi.checkable && wifi.checked && wifi.clickable)
        val urgent = nodes.single { it.text == "Urgent" }
        assertTrue(urgent.checkable && !urgent.checked)
        assertTrue(nodes.single { it.text.equals("Add", ignoreCase = true) }.clickable)
        val list = nodes.single { it.className == "android.widget.ListView" }
        assertTrue(list.scrollable, "the list scrolls")
        assertNotNull(list.collection, "the list reports its collection info")
        assertTrue(list.children.any { it.text == "Item 1" })
        assertTrue(list.children.none { it.text == "Item 40" }, "rows below the fold are not views yet")
        assertEquals(nodes.size, reading.nodes.size, "every node has a key")
    }

    @Test
    fun systemAndOverlayWindowsKeepTheirKindAndTheForegroundStaysTheApps() {
        val screen = RealScreen()
        val app = screen.appWindow()
        val (systemDialog, _) = screen.dialog()
        val system = RealScreen.window(systemDialog.window!!.decorView, id = 5, type = AccessibilityWindowInfo.TYPE_SYSTEM, layer = 9)
        val overlay = RealScreen.window(
            screen.keyboardView(), id = 6, type = AccessibilityWindowInfo.TYPE_ACCESSIBILITY_OVERLAY, layer = 10,
        )
        val snapshot = read(overlay, system, app).snapshot
        assertEquals(
            listOf(WindowKind.APPLICATION, WindowKind.SYSTEM, WindowKind.ACCESSIBILITY_OVERLAY),
            snapshot.windows.map { it.kind },
        )
        assertEquals(listOf(1, 5, 6), snapshot.windows.map { it.id })
        assertEquals(screen.activity.packageName, snapshot.foregroundPackage)
    }

    @Test
    fun windowsAreReadBottomFirstWithTheirKinds() {
        val screen = RealScreen()
        val app = screen.appWindow()
        val (_, dialog) = screen.dialog()
        val keyboard = screen.keyboard()
        // getWindows() lists the top window first.
        val snapshot = read(keyboard, dialog, app).snapshot
        assertEquals(
            listOf(WindowKind.APPLICATION, WindowKind.APPLICATION, WindowKind.INPUT_METHOD),
            snapshot.windows.map { it.kind },
        )
        // Buttons report their text as drawn (the theme's all-caps transformation applied).
        val dialogTexts = snapshot.windows[1].root!!.all().map { it.text.lowercase() }
        assertTrue("delete the list?" in dialogTexts && "delete" in dialogTexts && "cancel" in dialogTexts, "$dialogTexts")
        val keys = snapshot.windows[2].root!!.all()
        assertTrue(keys.any { it.contentDescription == "Enter" && it.clickable })
        assertEquals(screen.activity.packageName, snapshot.foregroundPackage)
    }
}
