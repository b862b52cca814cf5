package dev.lobster.android.toolcatalog

/**
 * What the phone needs to run one catalog tool, in the terms Android checks them: a permission
 * (`checkSelfPermission`), a special access the user grants in Settings, an API level, a
 * hardware feature, an app that handles the tool's activity, a privileged (system) agent.
 *
 * It is the Android reading of the Rust catalog's `Needs` (`core/src/action/tool.rs`,
 * `lobster tools`): a catalog permission that Android grants as a special access
 * (`ACCESS_NOTIFICATION_POLICY`, `WRITE_SETTINGS`) is the [access] here, since
 * `checkSelfPermission` says nothing about it; [feature] is Android's alone. A framework test
 * compares the two (`ToolCatalogTest`).
 */
data class ToolNeeds(
    /** A permission `checkSelfPermission` must report granted, if any. */
    val permission: String? = null,
    /** A special access the user must have granted, if any. */
    val access: SpecialAccess? = null,
    /** The lowest API level the tool works on. */
    val minApi: Int = MIN_API,
    /** A `PackageManager` system feature the phone must have (`android.hardware.camera.flash`). */
    val feature: String? = null,
    /** The activity an app must handle, for a tool that starts one. */
    val handler: HandlerProbe? = null,
    /** Whether only a privileged (system) agent can run it. */
    val privileged: Boolean = false,
) {
    /** The permission as the Rust catalog names it: [permission], or the [access]'s. */
    val catalogPermission: String? get() = permission ?: access?.permission

    companion object {
        /** The library's `minSdk`: a tool that works everywhere needs it. */
        const val MIN_API: Int = 26
    }
}

/** An access the user grants on a page of Settings, not in a permission dialog. */
enum class SpecialAccess(
    /** The manifest permission it stands for. */
    val permission: String,
    /** How Settings calls it, for the user. */
    val label: String,
    /** The Settings page that grants it (`Settings.ACTION_*`). */
    val settingsAction: String,
) {
    /** `NotificationManager.isNotificationPolicyAccessGranted`: Do Not Disturb, the silent ringer. */
    NOTIFICATION_POLICY(
        "android.permission.ACCESS_NOTIFICATION_POLICY",
        "Do Not Disturb access",
        "android.settings.NOTIFICATION_POLICY_ACCESS_SETTINGS",
    ),

    /** `Settings.System.canWrite`: the screen brightness. */
    WRITE_SETTINGS(
        "android.permission.WRITE_SETTINGS",
        "Modify system settings",
        "android.settings.action.MANAGE_WRITE_SETTINGS",
    ),
}

/**
 * The intent that stands for a tool's activity when asking `resolveActivity` whether some app
 * handles it: the action the Rust side sends, with a data URI or MIME type of the same kind.
 */
data class HandlerProbe(
    /** The intent action. */
    val action: String,
    /** A data URI of the kind the tool sends, if it sends one. */
    val data: String? = null,
    /** A MIME type, if the tool sends one. */
    val type: String? = null,
)
