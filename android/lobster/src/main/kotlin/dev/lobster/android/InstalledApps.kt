package dev.lobster.android

import android.content.Context
import android.content.Intent
import dev.lobster.android.system.AppCatalog
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.AppInfo

/**
 * The launcher's apps, through `PackageManager`: listed with a MAIN/LAUNCHER query (the
 * manifest's `<queries>` makes them visible on Android 11+), launched with their launch intent.
 */
internal class InstalledApps(private val context: Context) {
    /** Every launchable app, by label. */
    fun list(): List<AppInfo> {
        val pm = context.packageManager
        val launcher = Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_LAUNCHER)
        return pm.queryIntentActivities(launcher, 0)
            .map { AppInfo(it.loadLabel(pm).toString(), it.activityInfo.packageName) }
            .distinctBy { it.packageName }
            .sortedBy { it.label }
    }

    /** Launches the app labelled [label]. */
    fun launch(label: String): ActionOutcome {
        val pkg = AppCatalog.find(label, list()) ?: return ActionOutcome.NoHandler
        val intent = context.packageManager.getLaunchIntentForPackage(pkg) ?: return ActionOutcome.NoHandler
        intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        context.startActivity(intent)
        return ActionOutcome.Performed
    }
}
