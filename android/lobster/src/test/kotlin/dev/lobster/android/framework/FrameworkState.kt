package dev.lobster.android.framework

import android.app.AppOpsManager
import android.content.Context
import android.os.Process
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowAppOpsManager

/** Framework state Robolectric sets otherwise than a phone does. */
object FrameworkState {
    /**
     * "Modify system settings" as a fresh install has it: Robolectric allows every app op, so
     * `Settings.System.canWrite` says yes; on a phone the op is at its default and the
     * `WRITE_SETTINGS` grant (the user's switch in Settings) decides.
     */
    fun writeSettingsAsOnAPhone(context: Context) {
        Shadow.extract<ShadowAppOpsManager>(context.getSystemService(AppOpsManager::class.java))
            .setMode(AppOpsManager.OPSTR_WRITE_SETTINGS, Process.myUid(), context.packageName, AppOpsManager.MODE_DEFAULT)
    }
}
