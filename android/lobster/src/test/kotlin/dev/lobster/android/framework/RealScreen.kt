package dev.lobster.android.framework

import android.app.Activity
import android.app.AlertDialog
import android.graphics.Rect
import android.os.Handler
import android.os.Looper
import android.text.InputType
import android.view.View
import android.view.accessibility.AccessibilityNodeInfo
import android.view.accessibility.AccessibilityWindowInfo
import android.widget.ArrayAdapter
import android.widget.Button
import android.widget.CheckBox
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ListView
import android.widget.Switch
import android.widget.TextView
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowAccessibilityNodeInfo
import org.robolectric.shadows.ShadowAccessibilityWindowInfo
import java.util.concurrent.FutureTask
import java.util.concurrent.TimeUnit

/**
 * A real screen for the framework tests: real widgets in a real `Activity` under Robolectric
 * (the API 35 framework code), and the accessibility windows over them whose nodes are the
 * views' real `AccessibilityNodeInfo`s (each built by its view's own
 * `onInitializeAccessibilityNodeInfo`), with their actions carried to the views ([bridge]).
 *
 * What Robolectric cannot give, and so is made here: the window list (`getWindows()` comes from
 * the system's window manager, absent here; each window info is built with its type, layer
 * and bounds, its root a real view tree's real node, the window marked shown), and an input method (no keyboard
 * app runs: the keyboard window is a real view tree in a window typed `TYPE_INPUT_METHOD`).
 */
class RealScreen {
    /** The activity the widgets live in. */
    val activity: Activity = Robolectric.buildActivity(Activity::class.java).setup().get()
    /** A title. */
    val title = TextView(activity).apply { text = "Shopping list" }
    /** An empty field with a hint. */
    val search = EditText(activity).apply { hint = "Search" }
    /** A filled field with a hint. */
    val note = EditText(activity).apply { hint = "Note"; setText("Buy milk") }
    /** An empty password field with a hint. */
    val emptyPassword = EditText(activity).apply {
        hint = "Password"
        inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
    }
    /** A filled password field. */
    val password = EditText(activity).apply {
        hint = "PIN"
        inputType = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
        setText("hunter2")
    }
    /** A switch, on. */
    val wifi = Switch(activity).apply { text = "Wi-Fi"; isChecked = true }
    /** A checkbox, off. */
    val urgent = CheckBox(activity).apply { text = "Urgent" }
    /** How often [add] was clicked. */
    var addClicks = 0
        private set
    /** A button. */
    val add = Button(activity).apply { text = "Add"; setOnClickListener { addClicks++ } }
    /** A list of 40 rows, most of them below the fold. */
    val list = ListView(activity).apply {
        adapter = ArrayAdapter(activity, android.R.layout.simple_list_item_1, (1..40).map { "Item $it" })
    }
    /** The content view. */
    val content = LinearLayout(activity).apply {
        orientation = LinearLayout.VERTICAL
        listOf(title, search, note, emptyPassword, password, wifi, urgent, add).forEach { addView(it) }
        addView(list, LinearLayout.LayoutParams(LinearLayout.LayoutParams.MATCH_PARENT, 200))
    }

    init {
        activity.setContentView(content)
        idle()
    }

    /** Runs what the main looper has queued (layout, clicks, posted work). */
    fun idle() = shadowOf(Looper.getMainLooper()).idle()

    /** The application window of [activity]. */
    fun appWindow(): AccessibilityWindowInfo =
        window(activity.window.decorView, id = 1, type = AccessibilityWindowInfo.TYPE_APPLICATION, layer = 1)

    /** A dialog over the activity, and its window. */
    fun dialog(): Pair<AlertDialog, AccessibilityWindowInfo> {
        val dialog = AlertDialog.Builder(activity).setTitle("Delete the list?")
            .setPositiveButton("Delete", null).setNegativeButton("Cancel", null).show()
        idle()
        return dialog to window(dialog.window!!.decorView, id = 2, type = AccessibilityWindowInfo.TYPE_APPLICATION, layer = 2)
    }

    /** A keyboard: a real view tree (a row of keys) in a window typed as the input method's. */
    fun keyboard(): AccessibilityWindowInfo =
        window(keyboardView(), id = 3, type = AccessibilityWindowInfo.TYPE_INPUT_METHOD, layer = 3)

    /** A row of keys shown in a window of its own; its root view. */
    fun keyboardView(): View {
        val keys = LinearLayout(activity).apply {
            listOf("q", "w", "e").forEach { key -> addView(Button(activity).apply { text = key }) }
            addView(Button(activity).apply { contentDescription = "Enter" })
        }
        val dialog = AlertDialog.Builder(activity).setView(keys).show()
        idle()
        return dialog.window!!.decorView
    }

    companion object {
        /**
         * Links [node] (the real node of [view]) to the real nodes of the view's children for
         * accessibility (`addChildrenForAccessibility`, the views the framework names as the
         * node's children), and carries the actions performed on every one of them to its view,
         * as the system's accessibility connection does on a phone: `View.performAccessibilityAction`
         * on the main thread, whatever thread acts (the agent's, in the tests), so the framework's
         * own action handling runs (`ACTION_SET_TEXT` sets the text, `ACTION_CLICK` clicks).
         *
         * Why: the nodes are the framework's own, but what links them (the interaction
         * controller behind the binder connection) is absent under Robolectric, whose node
         * shadow keeps a child list of its own and records `performAction` instead of sending it
         * to a view (the platform's in-process connection, `setQueryFromAppProcessEnabled`,
         * returns no children under Robolectric 4.17). Copies of a node (`getChild`,
         * `getRoot`) share its children and its bridge.
         */
        fun bridge(node: AccessibilityNodeInfo, view: View) {
            val shadow = Shadow.extract<ShadowAccessibilityNodeInfo>(node)
            shadow.setOnPerformActionListener { action, arguments -> onMain { view.performAccessibilityAction(action, arguments) } }
            val children = ArrayList<View>()
            view.addChildrenForAccessibility(children)
            for (child in children) {
                val childNode = child.createAccessibilityNodeInfo()
                shadow.addChild(childNode)
                bridge(childNode, child)
            }
        }

        /**
         * Marks [view]'s window visible, as the system does when it shows a window: Robolectric
         * leaves the window visibility `GONE` (no window manager shows it), and the framework
         * reports no view of a hidden window as visible to the user.
         */
        private fun shown(view: View) {
            val attachInfo = View::class.java.getDeclaredField("mAttachInfo").apply { isAccessible = true }.get(view)
                ?: error("the view is not attached to a window")
            attachInfo.javaClass.getDeclaredField("mWindowVisibility").apply { isAccessible = true }.setInt(attachInfo, View.VISIBLE)
            view.dispatchWindowVisibilityChanged(View.VISIBLE)
        }

        /** [work] on the main thread: at once there, else posted and waited for. */
        private fun <T> onMain(work: () -> T): T {
            if (Looper.myLooper() == Looper.getMainLooper()) return work()
            val task = FutureTask(work)
            Handler(Looper.getMainLooper()).post(task)
            return task.get(10, TimeUnit.SECONDS)
        }


        /**
         * A window of [type] whose root is [view]'s real node, [bridge]d to the views below.
         */
        fun window(view: View, id: Int, type: Int, layer: Int): AccessibilityWindowInfo {
            shown(view)
            val root = view.createAccessibilityNodeInfo()
            bridge(root, view)
            val bounds = Rect().also { view.getGlobalVisibleRect(it) }
            val window = AccessibilityWindowInfo()
            Shadow.extract<ShadowAccessibilityWindowInfo>(window).apply {
                setRoot(root)
                setType(type)
                setId(id)
                setLayer(layer)
                setBoundsInScreen(bounds)
                setFocused(type == AccessibilityWindowInfo.TYPE_APPLICATION)
            }
            return window
        }
    }
}
