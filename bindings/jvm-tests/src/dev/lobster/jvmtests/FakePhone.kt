package dev.lobster.jvmtests

import dev.lobster.android.snapshot.Bounds
import dev.lobster.android.snapshot.NodeActionData
import dev.lobster.android.snapshot.NodeData
import dev.lobster.android.snapshot.SnapshotData
import dev.lobster.android.snapshot.SnapshotEncoder
import dev.lobster.android.snapshot.StandardActionKind
import dev.lobster.android.snapshot.WindowData
import dev.lobster.android.snapshot.WindowKind
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.AppActionInfo
import dev.lobster.ffi.AppInfo
import dev.lobster.ffi.Device
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.DeviceException
import java.util.Collections

/**
 * A phone with one app, Notes, implemented in Kotlin the way the accessibility service
 * implements [Device]: it encodes its screen with the Android library's own [SnapshotEncoder],
 * and acts on nodes by the keys of that snapshot. Rust sees it exactly as it sees a phone.
 *
 * Screen (ids as the encoder gives them): `[1] Title (field)`, `[2] Save`, `[3] Delete all`.
 * Of the catalog's tools it reports [tools] available (none by default: the whole-task tests
 * go through the UI, and a planner offered no tool routes no subgoal to one) and runs
 * `battery_status` ([BATTERY]); any other tool call is `NoHandler`.
 */
class FakePhone(
    /** What `observe` does after [failAfter] observations: nothing, or throw. */
    private val failure: Failure = Failure.NONE,
    private val failAfter: Int = 0,
    /** What `availableTools` answers. */
    private val tools: List<String> = emptyList(),
) : Device {
    /** How the phone breaks. */
    enum class Failure {
        /** It does not. */
        NONE,
        /**
         * `observe` throws an `IllegalStateException` (a bug in the integrator's code) whose
         * message quotes the screen: [SCREEN_TEXT].
         */
        KOTLIN_EXCEPTION,
        /** `observe` throws `DeviceException.Unavailable` (the service went away). */
        UNAVAILABLE,
    }

    @Volatile var title: String = ""
        private set
    @Volatile var saved: Boolean = false
        private set
    @Volatile private var observations = 0
    /** Every action performed, in order. */
    val performed: MutableList<DeviceAction> = Collections.synchronizedList(mutableListOf())

    override fun observe(): ByteArray {
        observations++
        if (observations > failAfter) {
            when (failure) {
                Failure.NONE -> {}
                Failure.KOTLIN_EXCEPTION -> throw IllegalStateException(SCREEN_TEXT)
                Failure.UNAVAILABLE -> throw DeviceException.Unavailable("the service disconnected")
            }
        }
        return SnapshotEncoder.encode(screen(title, saved))
    }

    override fun perform(action: DeviceAction): ActionOutcome {
        performed.add(action)
        return when (action) {
            is DeviceAction.SetText -> if (action.target.nodeKey == "w0/0.1") {
                title = if (action.clear) action.text else title + action.text
                ActionOutcome.Performed
            } else {
                ActionOutcome.TargetGone
            }
            is DeviceAction.Tap -> when (action.target.nodeKey) {
                "w0/0.2" -> { saved = true; ActionOutcome.Performed }
                "w0/0.3" -> { saved = false; title = ""; ActionOutcome.Performed }
                else -> ActionOutcome.TargetGone
            }
            is DeviceAction.Global -> ActionOutcome.Performed
            is DeviceAction.RunTool ->
                if (action.call.name == "battery_status") ActionOutcome.Returned(BATTERY) else ActionOutcome.NoHandler
            else -> ActionOutcome.Rejected("not supported by the fake phone")
        }
    }

    override fun launchApp(label: String): ActionOutcome =
        if (label == "Notes") ActionOutcome.Performed else ActionOutcome.NoHandler

    override fun installedApps(): List<AppInfo> = listOf(AppInfo("Notes", PACKAGE))

    override fun appActions(): List<AppActionInfo> = emptyList()

    override fun availableTools(): List<String> = tools

    override fun settle(maxMs: Long) {}

    companion object {
        const val PACKAGE = "com.example.notes"

        /** What `battery_status` reads. */
        const val BATTERY = "62 %, charging"

        /** Screen text the failing phone puts in its exception's message. */
        const val SCREEN_TEXT = "Pay Alice 500"

        private fun clickable(key: String, text: String, bounds: Bounds) = NodeData(
            key = key,
            className = "android.widget.Button",
            text = text,
            bounds = bounds,
            clickable = true,
            focusable = true,
            actions = listOf(NodeActionData(StandardActionKind.CLICK, 16)),
        )

        /** The Notes screen. */
        fun screen(title: String, saved: Boolean): SnapshotData {
            val root = NodeData(
                key = "w0/0",
                className = "android.widget.FrameLayout",
                bounds = Bounds(0, 0, 1080, 2400),
                children = listOf(
                    NodeData(
                        key = "w0/0.0",
                        className = "android.widget.TextView",
                        text = if (saved) "Notes (1 saved)" else "Notes",
                        bounds = Bounds(0, 100, 1080, 200),
                    ),
                    NodeData(
                        key = "w0/0.1",
                        className = "android.widget.EditText",
                        text = title,
                        hint = "Title",
                        bounds = Bounds(0, 200, 1080, 320),
                        editable = true,
                        clickable = true,
                        focusable = true,
                        actions = listOf(
                            NodeActionData(StandardActionKind.CLICK, 16),
                            NodeActionData(StandardActionKind.SET_TEXT, 2097152),
                        ),
                    ),
                    clickable("w0/0.2", "Save", Bounds(0, 400, 540, 520)),
                    clickable("w0/0.3", "Delete all", Bounds(540, 400, 1080, 520)),
                ),
            )
            return SnapshotData(
                screenWidth = 1080,
                screenHeight = 2400,
                foregroundPackage = PACKAGE,
                timestampMs = 1_763_717_000_000,
                windows = listOf(
                    WindowData(1, WindowKind.APPLICATION, PACKAGE, 0, true, Bounds(0, 0, 1080, 2400), "Notes", root),
                ),
            )
        }
    }
}
