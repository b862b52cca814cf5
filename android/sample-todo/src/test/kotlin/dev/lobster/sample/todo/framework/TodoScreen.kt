package dev.lobster.sample.todo.framework

import android.graphics.Rect
import android.view.View
import android.view.accessibility.AccessibilityNodeInfo
import android.view.accessibility.AccessibilityWindowInfo
import dev.lobster.sample.todo.MainActivity
import org.robolectric.Robolectric
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowAccessibilityNodeInfo
import org.robolectric.shadows.ShadowAccessibilityWindowInfo

/**
 * The to-do app's real screen ([MainActivity]) as the accessibility service's one window,
 * for the agent's readings in the whole-task tests (they act through the app's actions, not
 * the screen, so no node's actions are carried to its view; `android/lobster`'s RealScreen does
 * that). Robolectric links no node to its children and shows no window: both are done here.
 */
object TodoScreen {
    /** The activity's window, its root the decor view's real node with its real children. */
    fun window(): AccessibilityWindowInfo {
        val activity = Robolectric.buildActivity(MainActivity::class.java).setup().get()
        val decor = activity.window.decorView
        val attachInfo = View::class.java.getDeclaredField("mAttachInfo").apply { isAccessible = true }.get(decor)
            ?: error("the activity's view is not attached")
        attachInfo.javaClass.getDeclaredField("mWindowVisibility").apply { isAccessible = true }.setInt(attachInfo, View.VISIBLE)
        decor.dispatchWindowVisibilityChanged(View.VISIBLE)
        val root = decor.createAccessibilityNodeInfo().also { link(it, decor) }
        val window = AccessibilityWindowInfo()
        Shadow.extract<ShadowAccessibilityWindowInfo>(window).apply {
            setRoot(root)
            setType(AccessibilityWindowInfo.TYPE_APPLICATION)
            setId(1)
            setLayer(1)
            setBoundsInScreen(Rect().also { decor.getGlobalVisibleRect(it) })
            setFocused(true)
        }
        return window
    }

    private fun link(node: AccessibilityNodeInfo, view: View) {
        val children = ArrayList<View>()
        view.addChildrenForAccessibility(children)
        for (child in children) {
            val childNode = child.createAccessibilityNodeInfo()
            Shadow.extract<ShadowAccessibilityNodeInfo>(node).addChild(childNode)
            link(childNode, child)
        }
    }
}
