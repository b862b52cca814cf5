package dev.lobster.android.tools

import android.accessibilityservice.AccessibilityService
import android.content.Context
import android.util.Log
import dev.lobster.android.Platform
import dev.lobster.android.toolcatalog.ToolArgs
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.ToolCall
import java.time.Clock

/**
 * Runs the catalog tools that are calls of a platform API, not activities
 * (`DeviceAction.RunTool`; the activity tools come as `SendIntent`). Each name maps to its API,
 * grouped by what it touches:
 *
 * | tools | API |
 * |---|---|
 * | `flashlight`, `screen_brightness` | `CameraManager.setTorchMode`, `Settings.System.SCREEN_BRIGHTNESS` ([SwitchTools]) |
 * | `ringer_mode`, `media_volume`, `do_not_disturb`, `media_control` | `AudioManager`, `NotificationManager.setInterruptionFilter` ([SoundTools]) |
 * | `next_alarm`, `find_contact`, `next_event` | `AlarmManager.getNextAlarmClock`, `ContactsContract.Data`, `CalendarContract.Instances` ([PersonalDataTools]) |
 * | `battery_status`, `network_status`, `current_time` | the sticky battery broadcast, `ConnectivityManager`, the clock ([StatusTools]) |
 * | `read_clipboard`, `copy_to_clipboard` | `ClipboardManager` ([ClipboardTools]) |
 * | `send_sms` | `SmsManager` ([SmsTool]) |
 * | `open_notifications`, `open_quick_settings`, `lock_screen`, `take_screenshot` | the accessibility service's global actions |
 *
 * Every call answers an `ActionOutcome` and never throws: `Performed`; `Returned` with a few
 * words for a tool that reads; `NoHandler` where the phone lacks the feature (no flash unit,
 * no telephony, an API level too low, a tool this library does not know); `Rejected` where a
 * permission or access is missing at call time (availability is computed before the task, and
 * the user may revoke meanwhile), its reason naming the permission and never the user's data.
 * A `SecurityException` or any other runtime failure of the platform becomes `Rejected` too.
 *
 * @param globalAction the accessibility service's `performGlobalAction`.
 * @param privileged whether the agent runs as a privileged (system) app ([AndroidAbilities]).
 * @param clock the time and zone the reading tools see.
 */
class ToolRunner(
    private val context: Context,
    private val globalAction: (Int) -> Boolean,
    privileged: Boolean = false,
    clock: Clock = Clock.systemDefaultZone(),
) {
    private val switches = SwitchTools(context)
    private val sound = SoundTools(context)
    private val personal = PersonalDataTools(context, clock)
    private val status = StatusTools(context, clock)
    private val clipboard = ClipboardTools(context, privileged)
    private val sms = SmsTool(context)

    /** Runs [call]. */
    fun run(call: ToolCall): ActionOutcome = try {
        dispatch(call)
    } catch (error: SecurityException) {
        // The message may name the package or the uid, nothing of the user's; it stays in the log.
        Log.w(TAG, "${call.name}: permission denied: ${error.message}")
        ActionOutcome.Rejected("Lobster lacks a permission ${call.name} needs")
    } catch (error: RuntimeException) {
        Log.w(TAG, "${call.name} failed: ${error.javaClass.simpleName}")
        ActionOutcome.Rejected("${call.name} failed (${error.javaClass.simpleName})")
    }

    private fun dispatch(call: ToolCall): ActionOutcome {
        fun word(key: String) = ToolArgs.word(call, key)
        fun int(key: String) = ToolArgs.int(call, key)
        fun text(key: String) = ToolArgs.text(call, key)
        return when (call.name) {
            "flashlight" -> onOff(word("state"))?.let { switches.flashlight(it) }
            "screen_brightness" -> int("percent")?.let { switches.brightness(it) }
            "ringer_mode" -> word("mode")?.let { sound.ringer(it) }
            "media_volume" -> int("percent")?.let { sound.mediaVolume(it) }
            "do_not_disturb" -> onOff(word("state"))?.let { sound.doNotDisturb(it) }
            "media_control" -> word("command")?.let { sound.mediaKey(it) }
            "next_alarm" -> personal.nextAlarm()
            "find_contact" -> text("name")?.let { personal.findContact(it) }
            "next_event" -> personal.nextEvents()
            "battery_status" -> status.battery()
            "network_status" -> status.network()
            "current_time" -> status.time()
            "read_clipboard" -> clipboard.read()
            "copy_to_clipboard" -> text("text")?.let { clipboard.copy(it) }
            "send_sms" -> text("to")?.let { to -> text("body")?.let { body -> sms.send(to, body) } }
            "open_notifications" -> global(AccessibilityService.GLOBAL_ACTION_NOTIFICATIONS, 16)
            "open_quick_settings" -> global(AccessibilityService.GLOBAL_ACTION_QUICK_SETTINGS, 16)
            "lock_screen" -> global(AccessibilityService.GLOBAL_ACTION_LOCK_SCREEN, 28)
            "take_screenshot" -> global(AccessibilityService.GLOBAL_ACTION_TAKE_SCREENSHOT, 28)
            // A tool of a newer catalog than this library knows.
            else -> ActionOutcome.NoHandler
        } ?: ActionOutcome.Rejected("${call.name}: an argument is missing or of the wrong type")
    }

    /** A global action of the accessibility service, from API [since]. */
    private fun global(action: Int, since: Int): ActionOutcome = when {
        !Platform.atLeast(since) -> ActionOutcome.NoHandler
        globalAction(action) -> ActionOutcome.Performed
        else -> ActionOutcome.Rejected("the system refused the global action")
    }

    /** `on` → true, `off` → false, anything else → null (Rejected). */
    private fun onOff(state: String?): Boolean? = when (state) {
        "on" -> true
        "off" -> false
        else -> null
    }

    private companion object {
        const val TAG = "lobster"
    }
}
