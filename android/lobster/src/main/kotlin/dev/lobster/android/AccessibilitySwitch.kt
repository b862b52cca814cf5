package dev.lobster.android

import android.content.ComponentName
import android.content.Context
import android.content.Intent
import android.provider.Settings
import dev.lobster.android.system.EnabledServices

/**
 * Whether Lobster's accessibility service is enabled, and how to get it enabled.
 *
 * An app sends the user to the system's accessibility settings ([settingsIntent]); only the
 * user can switch a service on. A privileged OEM build holding `WRITE_SECURE_SETTINGS` may
 * [enableAsSystem] instead, which appends Lobster to the enabled services and keeps every other
 * one (see [EnabledServices]).
 */
object AccessibilitySwitch {
    private fun component(context: Context): ComponentName =
        ComponentName(context, LobsterAccessibilityService::class.java)

    /** Whether the user enabled the service (it may still be connecting). */
    @JvmStatic
    fun isEnabled(context: Context): Boolean {
        val setting = Settings.Secure.getString(context.contentResolver, Settings.Secure.ENABLED_ACCESSIBILITY_SERVICES)
        return EnabledServices.contains(setting, component(context).flattenToString(), context.packageName)
    }

    /** Whether the service is connected and ready for a task. */
    @JvmStatic
    fun isConnected(): Boolean = LobsterAccessibilityService.instance != null

    /** The system screen where the user enables the service. */
    @JvmStatic
    fun settingsIntent(): Intent =
        Intent(Settings.ACTION_ACCESSIBILITY_SETTINGS).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)

    /** Enables the service without the user (privileged apps only), keeping the others. */
    @JvmStatic
    fun enableAsSystem(context: Context): Boolean {
        val resolver = context.contentResolver
        val current = Settings.Secure.getString(resolver, Settings.Secure.ENABLED_ACCESSIBILITY_SERVICES)
        val updated = EnabledServices.with(current, component(context).flattenToString(), context.packageName)
        return Settings.Secure.putString(resolver, Settings.Secure.ENABLED_ACCESSIBILITY_SERVICES, updated) &&
            Settings.Secure.putInt(resolver, Settings.Secure.ACCESSIBILITY_ENABLED, 1)
    }
}
