package dev.lobster.android.toolcatalog

/**
 * The catalog's tools (`lobster tools`), in the catalog's order, each with what Android needs
 * to run it ([ToolNeeds]).
 *
 * Why a table here and not one from Rust: the Rust catalog names a permission, an API level and
 * a kind of app; how Android checks each (a runtime permission, a Settings access, a feature,
 * the intent `resolveActivity` must find) is the phone's business. `ToolCatalogTest` checks the
 * names, permissions, levels and privileges against `lobster tools --json`, so the two cannot
 * drift apart unnoticed.
 */
object ToolCatalog {
    /** `AlarmClock.ACTION_SET_ALARM`, `ACTION_SET_TIMER`, `ACTION_DISMISS_*` (a normal permission). */
    const val SET_ALARM = "com.android.alarm.permission.SET_ALARM"
    const val READ_CONTACTS = "android.permission.READ_CONTACTS"
    const val READ_CALENDAR = "android.permission.READ_CALENDAR"
    const val SEND_SMS = "android.permission.SEND_SMS"
    const val CALL_PHONE = "android.permission.CALL_PHONE"
    /** `ConnectivityManager` (a normal permission). */
    const val ACCESS_NETWORK_STATE = "android.permission.ACCESS_NETWORK_STATE"

    /** `PackageManager.FEATURE_CAMERA_FLASH`. */
    const val FEATURE_CAMERA_FLASH = "android.hardware.camera.flash"
    /** `PackageManager.FEATURE_TELEPHONY`. */
    const val FEATURE_TELEPHONY = "android.hardware.telephony"

    /**
     * The runtime ("dangerous") permissions among the tools' permissions, with the name of
     * their group as the permission dialog shows it. The others are normal permissions, granted
     * at install when the manifest declares them.
     */
    val runtimePermissions: Map<String, String> = mapOf(
        READ_CONTACTS to "Contacts",
        READ_CALENDAR to "Calendar",
        SEND_SMS to "SMS",
        CALL_PHONE to "Phone",
    )

    private val alarmApp = ToolNeeds(permission = SET_ALARM)

    /** Every tool's needs by name, in catalog order. */
    val needs: Map<String, ToolNeeds> = linkedMapOf(
        "set_alarm" to alarmApp.copy(handler = HandlerProbe("android.intent.action.SET_ALARM")),
        "set_timer" to alarmApp.copy(handler = HandlerProbe("android.intent.action.SET_TIMER")),
        "dial" to ToolNeeds(handler = HandlerProbe("android.intent.action.DIAL", data = "tel:")),
        "compose_sms" to ToolNeeds(handler = HandlerProbe("android.intent.action.SENDTO", data = "smsto:")),
        "compose_email" to ToolNeeds(handler = HandlerProbe("android.intent.action.SENDTO", data = "mailto:")),
        "open_settings" to ToolNeeds(),
        "web_search" to ToolNeeds(handler = HandlerProbe("android.intent.action.WEB_SEARCH")),
        "map_search" to ToolNeeds(handler = HandlerProbe("android.intent.action.VIEW", data = "geo:0,0?q=cafe")),
        "navigate" to ToolNeeds(handler = HandlerProbe("android.intent.action.VIEW", data = "google.navigation:q=cafe")),
        // A chooser: the system's own sheet shows even when no app takes the text.
        "share_text" to ToolNeeds(),
        "insert_event" to ToolNeeds(
            handler = HandlerProbe("android.intent.action.INSERT", data = "content://com.android.calendar/events"),
        ),
        "view_url" to ToolNeeds(handler = HandlerProbe("android.intent.action.VIEW", data = "https://example.com/")),
        "flashlight" to ToolNeeds(feature = FEATURE_CAMERA_FLASH),
        "ringer_mode" to ToolNeeds(access = SpecialAccess.NOTIFICATION_POLICY),
        "media_volume" to ToolNeeds(),
        "do_not_disturb" to ToolNeeds(access = SpecialAccess.NOTIFICATION_POLICY),
        "screen_brightness" to ToolNeeds(access = SpecialAccess.WRITE_SETTINGS),
        // Settings' own panels: no app to look for.
        "settings_panel" to ToolNeeds(minApi = 29),
        "media_control" to ToolNeeds(),
        "take_photo" to ToolNeeds(handler = HandlerProbe("android.media.action.STILL_IMAGE_CAMERA")),
        "record_video" to ToolNeeds(handler = HandlerProbe("android.media.action.VIDEO_CAMERA")),
        // Links of any scheme: a browser stands for "an app for the link"; a link no app takes
        // is `NoHandler` when it is opened.
        "open_link" to ToolNeeds(handler = HandlerProbe("android.intent.action.VIEW", data = "https://example.com/")),
        "show_alarms" to ToolNeeds(handler = HandlerProbe("android.intent.action.SHOW_ALARMS")),
        "next_alarm" to ToolNeeds(),
        "dismiss_alarm" to alarmApp.copy(handler = HandlerProbe("android.intent.action.DISMISS_ALARM")),
        "cancel_timer" to alarmApp.copy(minApi = 28, handler = HandlerProbe("android.intent.action.DISMISS_TIMER")),
        "find_contact" to ToolNeeds(permission = READ_CONTACTS),
        "next_event" to ToolNeeds(permission = READ_CALENDAR),
        "battery_status" to ToolNeeds(),
        "network_status" to ToolNeeds(permission = ACCESS_NETWORK_STATE),
        "current_time" to ToolNeeds(),
        // Android 10+ lets only the default keyboard and privileged apps read the clipboard from
        // the background, which is where the agent always is.
        "read_clipboard" to ToolNeeds(privileged = true),
        "copy_to_clipboard" to ToolNeeds(),
        "send_sms" to ToolNeeds(permission = SEND_SMS, feature = FEATURE_TELEPHONY),
        "call_number" to ToolNeeds(
            permission = CALL_PHONE,
            feature = FEATURE_TELEPHONY,
            handler = HandlerProbe("android.intent.action.CALL", data = "tel:"),
        ),
        "open_notifications" to ToolNeeds(),
        "open_quick_settings" to ToolNeeds(),
        "lock_screen" to ToolNeeds(minApi = 28),
        "take_screenshot" to ToolNeeds(minApi = 28),
    )
}
