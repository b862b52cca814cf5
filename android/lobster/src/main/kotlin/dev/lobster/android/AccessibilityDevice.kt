package dev.lobster.android

import dev.lobster.android.perform.ActionPerformer
import dev.lobster.android.reader.ScreenReader
import dev.lobster.android.snapshot.SnapshotEncoder
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.AppActionInfo
import dev.lobster.ffi.AppInfo
import dev.lobster.ffi.Device
import dev.lobster.ffi.DeviceAction
import dev.lobster.ffi.DeviceException

/**
 * The phone, as the Rust agent sees it (the generated `Device` interface), on top of
 * [LobsterAccessibilityService]. Called on the agent's task thread.
 *
 * Each `observe` reads every interactive window and keeps the nodes behind the snapshot's
 * keys; `perform` acts on those nodes. A service that is gone (the user switched it off)
 * throws `DeviceException.Unavailable`, which ends the task cleanly.
 */
class AccessibilityDevice internal constructor(
    private val service: () -> LobsterAccessibilityService?,
    private val declaredActions: () -> List<AppActionInfo> = { emptyList() },
) : Device {
    private val reader = ScreenReader()
    @Volatile private var nodes: Map<String, AndroidNode> = emptyMap()
    @Volatile private var screen: Pair<Int, Int> = 1080 to 2400

    /** A device over the running [LobsterAccessibilityService]. */
    constructor() : this({ LobsterAccessibilityService.instance })

    private fun connected(): LobsterAccessibilityService =
        service() ?: throw DeviceException.Unavailable("the Lobster accessibility service is not enabled")

    override fun observe(): ByteArray {
        val service = connected()
        val windows = service.windows.orEmpty().map { AndroidWindow(it) }
        val width = windows.maxOfOrNull { it.bounds.right } ?: screen.first
        val height = windows.maxOfOrNull { it.bounds.bottom } ?: screen.second
        screen = width to height
        val reading = reader.read<AndroidNode>(windows, width, height, System.currentTimeMillis())
        nodes = reading.nodes
        return SnapshotEncoder.encode(reading.snapshot)
    }

    override fun perform(action: DeviceAction): ActionOutcome {
        val service = connected()
        val performer = ActionPerformer(
            node = { key -> nodes[key] },
            gestures = AndroidGestures(service),
            system = AndroidSystemActions(service, { screen }),
        )
        return performer.perform(action)
    }

    override fun launchApp(label: String): ActionOutcome = InstalledApps(connected()).launch(label)

    override fun installedApps(): List<AppInfo> = InstalledApps(connected()).list()

    override fun appActions(): List<AppActionInfo> = declaredActions()

    override fun settle(maxMs: Long) {
        connected().settle.awaitQuiet(maxMs)
    }
}
