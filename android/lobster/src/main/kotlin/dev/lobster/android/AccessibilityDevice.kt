package dev.lobster.android

import dev.lobster.android.appactions.AppActionDirectory
import dev.lobster.android.perform.ActionPerformer
import dev.lobster.android.reader.ScreenReader
import dev.lobster.android.snapshot.SnapshotEncoder
import dev.lobster.android.tools.AndroidAbilities
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
 * Each `observe` reads every interactive window and keeps where the node behind each of the
 * snapshot's keys is ([NodeLocator]), not the nodes themselves; `perform` fetches the one node
 * it acts on. The screen size is the display's ([DisplaySize]). A service that is gone (the
 * user switched it off) throws `DeviceException.Unavailable`, which ends the task cleanly.
 * The catalog's tools are those the phone can run now (`tools/AndroidAbilities`,
 * `toolcatalog/ToolAvailability`), asked before each task; the platform-call tools run in
 * `tools/ToolRunner`. Apps' declared actions (the SDK's providers) are discovered and called
 * through [AppActionDirectory], one per device, which keeps what it read between tasks.
 *
 * @param privileged whether the agent runs as a privileged (system) app, which may read the
 *   clipboard from the background; false for an app from a store.
 */
class AccessibilityDevice internal constructor(
    private val service: () -> LobsterAccessibilityService?,
    private val privileged: Boolean = false,
) : Device {
    private val reader = ScreenReader()
    @Volatile private var directory: AppActionDirectory? = null
    @Volatile private var targets: Map<String, NodeLocator> = emptyMap()

    /** A device over the running [LobsterAccessibilityService]; [privileged] for a system agent. */
    @JvmOverloads
    constructor(privileged: Boolean = false) : this({ LobsterAccessibilityService.instance }, privileged = privileged)

    private fun connected(): LobsterAccessibilityService =
        service() ?: throw DeviceException.Unavailable("the Lobster accessibility service is not enabled")

    override fun observe(): ByteArray {
        val service = connected()
        val windows = service.windows.map { AndroidWindow(it) }
        val (width, height) = DisplaySize.of(service)
        val reading = reader.read<AndroidNode>(windows, width, height, System.currentTimeMillis())
        targets = reading.nodes.mapValues { (_, node) -> NodeLocator.of(node) }
        return SnapshotEncoder.encode(reading.snapshot)
    }

    /** How many nodes the last reading can act on (each kept as a [NodeLocator]). */
    internal fun targetCount(): Int = targets.size

    override fun perform(action: DeviceAction): ActionOutcome {
        val service = connected()
        val screen = { DisplaySize.of(service) }
        val performer = ActionPerformer(
            node = { key -> targets[key]?.find(service.windows) },
            gestures = AndroidGestures(service, screen),
            system = AndroidSystemActions(service, screen, directory(service)::call, privileged),
        )
        return performer.perform(action)
    }

    override fun launchApp(label: String): ActionOutcome = InstalledApps(connected()).launch(label)

    override fun installedApps(): List<AppInfo> = InstalledApps(connected()).list()

    override fun appActions(): List<AppActionInfo> = directory(connected()).actions()

    private fun directory(service: LobsterAccessibilityService): AppActionDirectory =
        directory ?: synchronized(this) {
            directory ?: AppActionDirectory(service.applicationContext ?: service).also { directory = it }
        }

    override fun availableTools(): List<String> = AndroidAbilities.availableTools(connected(), privileged)

    override fun settle(maxMs: Long) {
        connected().settle.awaitQuiet(maxMs)
    }
}
