package dev.lobster.android.tools

import android.app.NotificationManager
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.provider.Settings
import dev.lobster.android.toolcatalog.HandlerProbe
import dev.lobster.android.toolcatalog.PhoneAbilities
import dev.lobster.android.toolcatalog.SpecialAccess
import dev.lobster.android.toolcatalog.ToolAvailability

/**
 * The phone's answers to [PhoneAbilities], from the platform: `checkSelfPermission`, the
 * notification-policy access, `Settings.System.canWrite`, `PackageManager.hasSystemFeature`
 * and `resolveActivity` (the library's manifest declares the `<queries>` that make the
 * handlers visible on Android 11+).
 *
 * An app shows what the user could grant with `ToolAvailability(AndroidAbilities(context)).grants()`.
 *
 * @param privileged whether the agent runs as a privileged (system) app: only then is
 *   `read_clipboard` offered, as Android 10+ lets no other background app read the clipboard.
 */
class AndroidAbilities(
    private val context: Context,
    override val privileged: Boolean = false,
) : PhoneAbilities {
    override val sdk: Int get() = Build.VERSION.SDK_INT

    override fun holds(permission: String): Boolean = context.holds(permission)

    override fun has(access: SpecialAccess): Boolean = when (access) {
        SpecialAccess.NOTIFICATION_POLICY ->
            context.getSystemService(NotificationManager::class.java)?.isNotificationPolicyAccessGranted == true
        SpecialAccess.WRITE_SETTINGS -> Settings.System.canWrite(context)
    }

    override fun hasFeature(feature: String): Boolean = context.packageManager.hasSystemFeature(feature)

    override fun handles(probe: HandlerProbe): Boolean {
        val intent = Intent(probe.action)
        val data = probe.data?.let { Uri.parse(it) }
        when {
            data != null && probe.type != null -> intent.setDataAndType(data, probe.type)
            data != null -> intent.setData(data)
            probe.type != null -> intent.setType(probe.type)
        }
        return intent.resolveActivity(context.packageManager) != null
    }

    companion object {
        /** The tools [context]'s phone can run now (`Device.availableTools`). */
        fun availableTools(context: Context, privileged: Boolean = false): List<String> =
            ToolAvailability(AndroidAbilities(context, privileged)).available()
    }
}

/** Whether the app holds [permission]. */
internal fun Context.holds(permission: String): Boolean =
    checkSelfPermission(permission) == PackageManager.PERMISSION_GRANTED
