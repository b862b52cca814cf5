package dev.lobster.android.tools

import android.app.NotificationManager
import android.content.Context
import android.media.AudioManager
import android.view.KeyEvent
import dev.lobster.ffi.ActionOutcome

/**
 * `ringer_mode`, `media_volume`, `do_not_disturb` and `media_control` through `AudioManager` and
 * `NotificationManager`.
 *
 * The ringer and Do Not Disturb need the user's Do Not Disturb access (Android 7+ refuses a
 * ringer change that toggles Do Not Disturb without it, and the filter always): without it they
 * are `Rejected` before anything changes. Do Not Disturb "on" is the priority filter, the one
 * the quick setting turns on, with the user's own exceptions. The media volume is the music
 * stream's, a percent of its range, with no volume panel shown (it would cover the next
 * reading). Media keys go to the active media session as a key press (down, up).
 */
internal class SoundTools(private val context: Context) {
    private val audio: AudioManager? get() = context.getSystemService(AudioManager::class.java)
    private val notifications: NotificationManager? get() = context.getSystemService(NotificationManager::class.java)

    /** Sets the ringer to `normal`, `vibrate` or `silent`. */
    fun ringer(mode: String): ActionOutcome {
        val ringer = when (mode) {
            "normal" -> AudioManager.RINGER_MODE_NORMAL
            "vibrate" -> AudioManager.RINGER_MODE_VIBRATE
            "silent" -> AudioManager.RINGER_MODE_SILENT
            else -> return unknown("mode")
        }
        val audio = audio ?: return ActionOutcome.NoHandler
        if (!policyAccess()) return noPolicyAccess()
        audio.ringerMode = ringer
        return ActionOutcome.Performed
    }

    /** Sets the media volume to [percent] of its range. */
    fun mediaVolume(percent: Int): ActionOutcome {
        val audio = audio ?: return ActionOutcome.NoHandler
        // The index is of 0..max; the system raises one below the stream's minimum (0 for music on
        // most phones) to it.
        val max = audio.getStreamMaxVolume(AudioManager.STREAM_MUSIC)
        val index = ((max * percent.coerceIn(0, 100) + 50) / 100).coerceIn(0, max)
        audio.setStreamVolume(AudioManager.STREAM_MUSIC, index, 0)
        return ActionOutcome.Performed
    }

    /** Turns Do Not Disturb on (the priority filter) or off. */
    fun doNotDisturb(on: Boolean): ActionOutcome {
        val notifications = notifications ?: return ActionOutcome.NoHandler
        if (!notifications.isNotificationPolicyAccessGranted) return noPolicyAccess()
        notifications.setInterruptionFilter(
            if (on) NotificationManager.INTERRUPTION_FILTER_PRIORITY else NotificationManager.INTERRUPTION_FILTER_ALL,
        )
        return ActionOutcome.Performed
    }

    /** Presses the media key for `play`, `pause`, `next` or `previous`. */
    fun mediaKey(command: String): ActionOutcome {
        val code = when (command) {
            "play" -> KeyEvent.KEYCODE_MEDIA_PLAY
            "pause" -> KeyEvent.KEYCODE_MEDIA_PAUSE
            "next" -> KeyEvent.KEYCODE_MEDIA_NEXT
            "previous" -> KeyEvent.KEYCODE_MEDIA_PREVIOUS
            else -> return unknown("command")
        }
        val audio = audio ?: return ActionOutcome.NoHandler
        audio.dispatchMediaKeyEvent(KeyEvent(KeyEvent.ACTION_DOWN, code))
        audio.dispatchMediaKeyEvent(KeyEvent(KeyEvent.ACTION_UP, code))
        return ActionOutcome.Performed
    }

    private fun policyAccess() = notifications?.isNotificationPolicyAccessGranted == true

    private fun noPolicyAccess() = ActionOutcome.Rejected("Do Not Disturb access is not granted")

    private fun unknown(what: String) = ActionOutcome.Rejected("unknown $what")
}
