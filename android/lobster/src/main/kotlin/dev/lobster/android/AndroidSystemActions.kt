package dev.lobster.android

import android.accessibilityservice.AccessibilityService
import android.content.Intent
import android.net.Uri
import android.util.Log
import android.content.pm.PackageManager
import dev.lobster.android.perform.SystemActions
import dev.lobster.android.system.IntentExtras
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.android.tools.ToolRunner
import dev.lobster.ffi.ActionOutcome
import dev.lobster.ffi.GlobalAction
import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.ToolCall

/**
 * Global actions, catalog intents and the catalog's other tools. An intent is started only
 * after `resolveActivity` found an app for it (the library's manifest declares the `<queries>`
 * that make them visible on Android 11+); otherwise the outcome is `NoHandler` and the agent
 * goes through the UI instead. A call (`ACTION_CALL`) without the phone permission is
 * `Rejected` before anything starts. The tools that are platform calls go to [ToolRunner],
 * whose global actions are the service's.
 *
 * @param appActions caller of app-declared actions (`appactions/AppActionDirectory.call`);
 *   none by default.
 * @param privileged whether the agent runs as a privileged (system) app.
 */
internal class AndroidSystemActions(
    private val service: AccessibilityService,
    private val screen: () -> Pair<Int, Int>,
    private val appActions: (String, String) -> ActionOutcome = { _, _ -> ActionOutcome.NoHandler },
    privileged: Boolean = false,
) : SystemActions {
    private val tools = ToolRunner(service, service::performGlobalAction, privileged)

    override fun global(action: GlobalAction): Boolean = service.performGlobalAction(
        when (action) {
            GlobalAction.BACK -> AccessibilityService.GLOBAL_ACTION_BACK
            GlobalAction.HOME -> AccessibilityService.GLOBAL_ACTION_HOME
            GlobalAction.RECENTS -> AccessibilityService.GLOBAL_ACTION_RECENTS
            GlobalAction.NOTIFICATIONS -> AccessibilityService.GLOBAL_ACTION_NOTIFICATIONS
        },
    )

    override fun startIntent(intent: IntentSpec): ActionOutcome {
        if (intent.action == Intent.ACTION_CALL &&
            service.checkSelfPermission(ToolCatalog.CALL_PHONE) != PackageManager.PERMISSION_GRANTED
        ) {
            return ActionOutcome.Rejected("the Phone permission is not granted")
        }
        val built = build(intent)
        if (built.resolveActivity(service.packageManager) == null) return ActionOutcome.NoHandler
        val launched = if (intent.chooser) Intent.createChooser(built, null) else built
        launched.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK)
        return try {
            service.startActivity(launched)
            ActionOutcome.Performed
        } catch (error: RuntimeException) {
            // ActivityNotFoundException or a SecurityException of the receiving app.
            Log.w(TAG, "starting intent ${intent.name} failed: ${error.javaClass.simpleName}")
            ActionOutcome.Rejected("the app refused the intent")
        }
    }

    override fun callAppAction(name: String, argsJson: String): ActionOutcome = appActions(name, argsJson)

    override fun runTool(call: ToolCall): ActionOutcome = tools.run(call)

    override fun screenSize(): Pair<Int, Int> = screen()

    private fun build(spec: IntentSpec): Intent {
        val intent = Intent(spec.action)
        val data = spec.data?.let { Uri.parse(it) }
        when {
            data != null && spec.mimeType != null -> intent.setDataAndType(data, spec.mimeType)
            data != null -> intent.setData(data)
            spec.mimeType != null -> intent.setType(spec.mimeType)
        }
        for ((key, extra) in IntentExtras.of(spec)) {
            when (extra) {
                is IntentExtras.Extra.Text -> intent.putExtra(key, extra.value)
                is IntentExtras.Extra.Number -> intent.putExtra(key, extra.value)
                is IntentExtras.Extra.Millis -> intent.putExtra(key, extra.value)
                is IntentExtras.Extra.Texts -> intent.putExtra(key, extra.values.toTypedArray())
            }
        }
        return intent
    }

    private companion object {
        const val TAG = "lobster"
    }
}
