package dev.lobster.android

import android.accessibilityservice.AccessibilityService
import android.content.Intent
import android.view.accessibility.AccessibilityEvent
import dev.lobster.android.settle.SettleWaiter

/**
 * Lobster's accessibility service: the agent's eyes and hands.
 *
 * It only reads windows and acts when a task asks ([AccessibilityDevice]); it changes no
 * system setting, requests no touch exploration and filters no key events, so a screen reader
 * or switch access enabled beside it works as before. Its configuration is
 * `res/xml/lobster_accessibility_service.xml`. Events only feed [settle], the detector of a
 * quiet screen.
 */
class LobsterAccessibilityService : AccessibilityService() {
    /** Learns when the screen is quiet after an action. */
    internal val settle = SettleWaiter()

    override fun onServiceConnected() {
        instance = this
    }

    override fun onAccessibilityEvent(event: AccessibilityEvent) {
        settle.onEvent()
    }

    override fun onInterrupt() {}

    override fun onUnbind(intent: Intent): Boolean {
        instance = null
        return super.onUnbind(intent)
    }

    override fun onDestroy() {
        instance = null
        super.onDestroy()
    }

    companion object {
        /** The connected service, or null while the user has not enabled it. */
        @Volatile
        @JvmStatic
        var instance: LobsterAccessibilityService? = null
            private set
    }
}
