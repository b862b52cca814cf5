//! The intent catalog: the standard Android intents the model may fire directly
//! (`intent set_alarm hour=7 minute=30`) instead of driving an app's UI tap by tap.
//!
//! Why a closed, typed catalog: one intent replaces a dozen taps, each a model step of seconds
//! on device, but free-form action strings and extras would let a small model invent intents that
//! do not exist. Each entry names the Android action it maps to and declares its parameters once
//! ([`IntentKind::params`]); the parser, the printer and the grammar all read that one
//! declaration, so they cannot drift apart. Values are checked here ([`ParamKind::check`]) so
//! every intent that parses can be built on the Android side.

use std::fmt;

use super::choice::{
    Choice, MediaCommand, RingerMode, SettingsPanel, Worded, switch_from_word, switch_word,
};

/// One standard Android intent with its typed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Set an alarm: `android.intent.action.SET_ALARM` (`AlarmClock.ACTION_SET_ALARM`) with
    /// `AlarmClock.EXTRA_HOUR`, `AlarmClock.EXTRA_MINUTES` and `AlarmClock.EXTRA_MESSAGE`.
    SetAlarm {
        /// Hour of day, 0–23.
        hour: u8,
        /// Minute, 0–59.
        minute: u8,
        /// The alarm's label.
        label: Option<String>,
    },
    /// Start a countdown timer: `android.intent.action.SET_TIMER` (`AlarmClock.ACTION_SET_TIMER`)
    /// with `AlarmClock.EXTRA_LENGTH` and `AlarmClock.EXTRA_MESSAGE`.
    SetTimer {
        /// Length in seconds, 1–86400 (the range `EXTRA_LENGTH` accepts).
        seconds: u32,
        /// The timer's label.
        label: Option<String>,
    },
    /// Open the dialer with a number filled in (it does not place the call):
    /// `android.intent.action.DIAL` (`Intent.ACTION_DIAL`) with data `tel:NUMBER`.
    Dial {
        /// The phone number.
        number: String,
    },
    /// Open an SMS draft (it does not send): `android.intent.action.SENDTO`
    /// (`Intent.ACTION_SENDTO`) with data `smsto:NUMBER` and the `sms_body` extra.
    ComposeSms {
        /// The recipient's phone number.
        to: String,
        /// The message text.
        body: Option<String>,
    },
    /// Open an email draft (it does not send): `android.intent.action.SENDTO` with data
    /// `mailto:` and `Intent.EXTRA_EMAIL`, `Intent.EXTRA_SUBJECT`, `Intent.EXTRA_TEXT`.
    ComposeEmail {
        /// The recipient's address.
        to: String,
        /// The subject line.
        subject: Option<String>,
        /// The message text.
        body: Option<String>,
    },
    /// Open a page of the system settings: the page's `android.provider.Settings` action, e.g.
    /// `android.settings.WIFI_SETTINGS` (`Settings.ACTION_WIFI_SETTINGS`).
    OpenSettings {
        /// Which page.
        page: SettingsPage,
    },
    /// Search the web: `android.intent.action.WEB_SEARCH` (`Intent.ACTION_WEB_SEARCH`) with
    /// `SearchManager.QUERY`.
    WebSearch {
        /// What to search for.
        query: String,
    },
    /// Search a map: `android.intent.action.VIEW` with data `geo:0,0?q=QUERY`.
    MapSearch {
        /// The place or kind of place.
        query: String,
    },
    /// Start turn-by-turn navigation: `android.intent.action.VIEW` with data
    /// `google.navigation:q=DESTINATION` (handled by Google Maps and compatible apps).
    Navigate {
        /// Where to go.
        destination: String,
    },
    /// Open the share sheet with text: `android.intent.action.SEND` (`Intent.ACTION_SEND`),
    /// type `text/plain`, with `Intent.EXTRA_TEXT`.
    ShareText {
        /// The text to share.
        text: String,
    },
    /// Open a calendar event draft: `android.intent.action.INSERT` (`Intent.ACTION_INSERT`) on
    /// `CalendarContract.Events.CONTENT_URI` with `Events.TITLE`,
    /// `CalendarContract.EXTRA_EVENT_BEGIN_TIME`, `CalendarContract.EXTRA_EVENT_END_TIME` and
    /// `Events.EVENT_LOCATION`.
    InsertEvent {
        /// The event's title.
        title: String,
        /// When it starts (device-local time).
        begin: LocalDateTime,
        /// When it ends (device-local time); the calendar app picks a default when absent.
        end: Option<LocalDateTime>,
        /// Where it takes place.
        location: Option<String>,
    },
    /// Open a web page: `android.intent.action.VIEW` (`Intent.ACTION_VIEW`) with an `http` or
    /// `https` URL as data.
    ViewUrl {
        /// The URL (`http://` or `https://`).
        url: String,
    },
    /// Turn the flashlight on or off: `CameraManager.setTorchMode`.
    Flashlight {
        /// On or off.
        on: bool,
    },
    /// Set the ringer: `AudioManager.setRingerMode` (silent needs notification-policy access).
    RingerMode {
        /// The mode.
        mode: RingerMode,
    },
    /// Set the media volume: `AudioManager.setStreamVolume(STREAM_MUSIC, …)`.
    MediaVolume {
        /// Percent of the stream's maximum, 0–100.
        percent: u8,
    },
    /// Turn Do Not Disturb on or off: `NotificationManager.setInterruptionFilter` (needs
    /// notification-policy access).
    DoNotDisturb {
        /// On or off.
        on: bool,
    },
    /// Set the screen brightness: `Settings.System.SCREEN_BRIGHTNESS` (needs WRITE_SETTINGS).
    ScreenBrightness {
        /// Percent, 0–100.
        percent: u8,
    },
    /// Open a settings panel over the current app (API 29+), where the user or the agent flips
    /// a switch apps may not flip directly: `Settings.Panel.ACTION_…`.
    SettingsPanel {
        /// Which panel.
        panel: SettingsPanel,
    },
    /// Play, pause or skip the active media session: a media key event through `AudioManager`.
    MediaControl {
        /// The command.
        command: MediaCommand,
    },
    /// Open the camera for a photo: `MediaStore.INTENT_ACTION_STILL_IMAGE_CAMERA`.
    TakePhoto,
    /// Open the camera for a video: `MediaStore.INTENT_ACTION_VIDEO_CAMERA`.
    RecordVideo,
    /// Open a deep link or an app's page: `Intent.ACTION_VIEW` with the URI as data.
    OpenLink {
        /// The URI (`market://details?id=…`, `geo:…`, `https://…`); not `javascript:`, `file:`,
        /// `content:` or `intent:`.
        uri: String,
    },
    /// Open the clock's alarm list: `AlarmClock.ACTION_SHOW_ALARMS`.
    ShowAlarms,
    /// Read the next alarm: `AlarmManager.getNextAlarmClock` (returns its time).
    NextAlarm,
    /// Switch off the alarm at a time: `AlarmClock.ACTION_DISMISS_ALARM` with
    /// `ALARM_SEARCH_MODE_TIME`.
    DismissAlarm {
        /// Hour of day, 0–23.
        hour: u8,
        /// Minute, 0–59.
        minute: u8,
    },
    /// Stop the running timer: `AlarmClock.ACTION_DISMISS_TIMER` (API 28+).
    CancelTimer,
    /// Look a contact up by name: `ContactsContract` (needs READ_CONTACTS; returns the
    /// contact's numbers and e-mail addresses).
    FindContact {
        /// The name or part of it.
        name: String,
    },
    /// Read the next calendar events: `CalendarContract.Instances` (needs READ_CALENDAR;
    /// returns them).
    NextEvent,
    /// Read the battery level and whether it charges: `BatteryManager`.
    BatteryStatus,
    /// Read the network the phone uses: `ConnectivityManager` (returns Wi-Fi, mobile or none).
    NetworkStatus,
    /// Read the phone's date, time and time zone.
    CurrentTime,
    /// Read the clipboard: `ClipboardManager.getPrimaryClip` (Android 10+ lets only the focused
    /// app or a system agent read it).
    ReadClipboard,
    /// Put text on the clipboard: `ClipboardManager.setPrimaryClip`.
    CopyToClipboard {
        /// The text.
        text: String,
    },
    /// Send a text message at once: `SmsManager.sendTextMessage` (needs SEND_SMS; asks every
    /// time).
    SendSms {
        /// The recipient's phone number.
        to: String,
        /// The message text.
        body: String,
    },
    /// Place a call at once: `Intent.ACTION_CALL` (needs CALL_PHONE; asks every time).
    CallNumber {
        /// The phone number.
        number: String,
    },
    /// Open the notification shade: `GLOBAL_ACTION_NOTIFICATIONS`.
    OpenNotifications,
    /// Open the quick settings: `GLOBAL_ACTION_QUICK_SETTINGS`.
    OpenQuickSettings,
    /// Lock the screen: `GLOBAL_ACTION_LOCK_SCREEN` (API 28+).
    LockScreen,
    /// Take a screenshot: `GLOBAL_ACTION_TAKE_SCREENSHOT` (API 28+).
    TakeScreenshot,
}

/// The name of a catalog entry, without arguments: what `intent NAME …` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntentKind {
    /// [`Intent::SetAlarm`], `set_alarm`.
    SetAlarm,
    /// [`Intent::SetTimer`], `set_timer`.
    SetTimer,
    /// [`Intent::Dial`], `dial`.
    Dial,
    /// [`Intent::ComposeSms`], `compose_sms`.
    ComposeSms,
    /// [`Intent::ComposeEmail`], `compose_email`.
    ComposeEmail,
    /// [`Intent::OpenSettings`], `open_settings`.
    OpenSettings,
    /// [`Intent::WebSearch`], `web_search`.
    WebSearch,
    /// [`Intent::MapSearch`], `map_search`.
    MapSearch,
    /// [`Intent::Navigate`], `navigate`.
    Navigate,
    /// [`Intent::ShareText`], `share_text`.
    ShareText,
    /// [`Intent::InsertEvent`], `insert_event`.
    InsertEvent,
    /// [`Intent::ViewUrl`], `view_url`.
    ViewUrl,
    /// [`Intent::Flashlight`], `flashlight`.
    Flashlight,
    /// [`Intent::RingerMode`], `ringer_mode`.
    RingerMode,
    /// [`Intent::MediaVolume`], `media_volume`.
    MediaVolume,
    /// [`Intent::DoNotDisturb`], `do_not_disturb`.
    DoNotDisturb,
    /// [`Intent::ScreenBrightness`], `screen_brightness`.
    ScreenBrightness,
    /// [`Intent::SettingsPanel`], `settings_panel`.
    SettingsPanel,
    /// [`Intent::MediaControl`], `media_control`.
    MediaControl,
    /// [`Intent::TakePhoto`], `take_photo`.
    TakePhoto,
    /// [`Intent::RecordVideo`], `record_video`.
    RecordVideo,
    /// [`Intent::OpenLink`], `open_link`.
    OpenLink,
    /// [`Intent::ShowAlarms`], `show_alarms`.
    ShowAlarms,
    /// [`Intent::NextAlarm`], `next_alarm`.
    NextAlarm,
    /// [`Intent::DismissAlarm`], `dismiss_alarm`.
    DismissAlarm,
    /// [`Intent::CancelTimer`], `cancel_timer`.
    CancelTimer,
    /// [`Intent::FindContact`], `find_contact`.
    FindContact,
    /// [`Intent::NextEvent`], `next_event`.
    NextEvent,
    /// [`Intent::BatteryStatus`], `battery_status`.
    BatteryStatus,
    /// [`Intent::NetworkStatus`], `network_status`.
    NetworkStatus,
    /// [`Intent::CurrentTime`], `current_time`.
    CurrentTime,
    /// [`Intent::ReadClipboard`], `read_clipboard`.
    ReadClipboard,
    /// [`Intent::CopyToClipboard`], `copy_to_clipboard`.
    CopyToClipboard,
    /// [`Intent::SendSms`], `send_sms`.
    SendSms,
    /// [`Intent::CallNumber`], `call_number`.
    CallNumber,
    /// [`Intent::OpenNotifications`], `open_notifications`.
    OpenNotifications,
    /// [`Intent::OpenQuickSettings`], `open_quick_settings`.
    OpenQuickSettings,
    /// [`Intent::LockScreen`], `lock_screen`.
    LockScreen,
    /// [`Intent::TakeScreenshot`], `take_screenshot`.
    TakeScreenshot,
}

/// One parameter of a catalog entry: `key=value` in the text syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The key in the text syntax (`hour`).
    pub key: &'static str,
    /// What values it takes.
    pub kind: ParamKind,
    /// Whether it must be given; optional parameters may be left out.
    pub required: bool,
    /// Where the value goes on Android: the extra's key (`android.intent.extra.alarm.HOUR`), or
    /// the data URI it is written into (`tel:`).
    pub android_name: &'static str,
}

/// The type of a parameter's value, and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A decimal integer in `min..=max`, unquoted: `hour=7`.
    Int {
        /// Smallest value.
        min: u32,
        /// Largest value.
        max: u32,
    },
    /// Non-empty quoted text: `label="Gym"`. `max_chars` bounds it in the grammar only.
    Text {
        /// The grammar's length cap, in characters.
        max_chars: usize,
    },
    /// A quoted phone number: digits with optional `+`, `*`, `#`, spaces, dashes, parentheses.
    PhoneNumber,
    /// A quoted email address: `local@domain`, no spaces.
    Email,
    /// A quoted `http://` or `https://` URL, no spaces.
    Url,
    /// A quoted device-local date and time: `"2026-11-21T09:30"`.
    DateTime,
    /// An unquoted settings page word: `page=wifi`.
    SettingsPage,
    /// An unquoted word of a closed set: `state=on`, `mode=silent`.
    Choice(Choice),
    /// A quoted URI of a scheme an app may handle (`market://…`, `geo:…`, `https://…`), no
    /// spaces; never `javascript:`, `file:`, `content:` or `intent:`.
    Link,
}

/// A parameter's value, as parsed or as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentArg {
    /// For [`ParamKind::Int`].
    Int(u32),
    /// For [`ParamKind::Text`], [`ParamKind::PhoneNumber`], [`ParamKind::Email`],
    /// [`ParamKind::Url`] and [`ParamKind::Link`].
    Text(String),
    /// For [`ParamKind::DateTime`].
    DateTime(LocalDateTime),
    /// For [`ParamKind::SettingsPage`].
    SettingsPage(SettingsPage),
    /// For [`ParamKind::Choice`]: the word.
    Choice(&'static str),
}

/// Why a list of arguments does not make an [`Intent`] (the parser checks the values first, so
/// this only reports arguments built by hand).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntentArgError {
    /// A required parameter is missing.
    #[error("missing required parameter {0:?}")]
    Missing(&'static str),
    /// A value does not fit its parameter.
    #[error("invalid value for {key:?}: {reason}")]
    Invalid {
        /// The parameter's key.
        key: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

const LABEL: usize = 80;
const QUERY: usize = 120;
const BODY: usize = 200;

/// An alarm's hour, as `SET_ALARM` and `DISMISS_ALARM` take it.
const ALARM_HOUR: Param = required(
    "hour",
    ParamKind::Int { min: 0, max: 23 },
    "android.intent.extra.alarm.HOUR",
);
/// An alarm's minute.
const ALARM_MINUTE: Param = required(
    "minute",
    ParamKind::Int { min: 0, max: 59 },
    "android.intent.extra.alarm.MINUTES",
);
const SET_ALARM: &[Param] = &[
    ALARM_HOUR,
    ALARM_MINUTE,
    optional(
        "label",
        ParamKind::Text { max_chars: LABEL },
        "android.intent.extra.alarm.MESSAGE",
    ),
];
const SET_TIMER: &[Param] = &[
    required(
        "seconds",
        ParamKind::Int {
            min: 1,
            max: 86_400,
        },
        "android.intent.extra.alarm.LENGTH",
    ),
    optional(
        "label",
        ParamKind::Text { max_chars: LABEL },
        "android.intent.extra.alarm.MESSAGE",
    ),
];
const DIAL: &[Param] = &[required("number", ParamKind::PhoneNumber, "tel:")];
const COMPOSE_SMS: &[Param] = &[
    required("to", ParamKind::PhoneNumber, "smsto:"),
    optional("body", ParamKind::Text { max_chars: BODY }, "sms_body"),
];
const COMPOSE_EMAIL: &[Param] = &[
    required("to", ParamKind::Email, "android.intent.extra.EMAIL"),
    optional(
        "subject",
        ParamKind::Text { max_chars: QUERY },
        "android.intent.extra.SUBJECT",
    ),
    optional(
        "body",
        ParamKind::Text { max_chars: BODY },
        "android.intent.extra.TEXT",
    ),
];
const OPEN_SETTINGS: &[Param] = &[required(
    "page",
    ParamKind::SettingsPage,
    "(the page's action)",
)];
const WEB_SEARCH: &[Param] = &[required(
    "query",
    ParamKind::Text { max_chars: QUERY },
    "query",
)];
const MAP_SEARCH: &[Param] = &[required(
    "query",
    ParamKind::Text { max_chars: QUERY },
    "geo:0,0?q=",
)];
const NAVIGATE: &[Param] = &[required(
    "destination",
    ParamKind::Text { max_chars: QUERY },
    "google.navigation:q=",
)];
const SHARE_TEXT: &[Param] = &[required(
    "text",
    ParamKind::Text { max_chars: BODY },
    "android.intent.extra.TEXT",
)];
const INSERT_EVENT: &[Param] = &[
    required("title", ParamKind::Text { max_chars: QUERY }, "title"),
    required("begin", ParamKind::DateTime, "beginTime"),
    optional("end", ParamKind::DateTime, "endTime"),
    optional(
        "location",
        ParamKind::Text { max_chars: QUERY },
        "eventLocation",
    ),
];
const SWITCH: &[Param] = &[required(
    "state",
    ParamKind::Choice(Choice::Switch),
    "(on or off)",
)];
const PERCENT: &[Param] = &[required(
    "percent",
    ParamKind::Int { min: 0, max: 100 },
    "(percent of the maximum)",
)];
const RINGER_MODE: &[Param] = &[required(
    "mode",
    ParamKind::Choice(Choice::Ringer),
    "AudioManager.RINGER_MODE_*",
)];
const SETTINGS_PANEL: &[Param] = &[required(
    "panel",
    ParamKind::Choice(Choice::Panel),
    "(the panel's action)",
)];
const MEDIA_CONTROL: &[Param] = &[required(
    "command",
    ParamKind::Choice(Choice::Media),
    "KeyEvent.KEYCODE_MEDIA_*",
)];
const OPEN_LINK: &[Param] = &[required("uri", ParamKind::Link, "(the intent's data)")];
const ALARM_TIME: &[Param] = &[ALARM_HOUR, ALARM_MINUTE];
const FIND_CONTACT: &[Param] = &[required(
    "name",
    ParamKind::Text { max_chars: LABEL },
    "(ContactsContract filter)",
)];
const COPY_TO_CLIPBOARD: &[Param] = &[required(
    "text",
    ParamKind::Text { max_chars: BODY },
    "(the clip's text)",
)];
const SEND_SMS: &[Param] = &[
    required("to", ParamKind::PhoneNumber, "(destination address)"),
    required(
        "body",
        ParamKind::Text { max_chars: BODY },
        "(message text)",
    ),
];
const VIEW_URL: &[Param] = &[required("url", ParamKind::Url, "(the intent's data)")];

const fn required(key: &'static str, kind: ParamKind, android_name: &'static str) -> Param {
    Param {
        key,
        kind,
        required: true,
        android_name,
    }
}

const fn optional(key: &'static str, kind: ParamKind, android_name: &'static str) -> Param {
    Param {
        key,
        kind,
        required: false,
        android_name,
    }
}

impl IntentKind {
    /// Every entry of the catalog, in the order the grammar lists them.
    pub const ALL: [IntentKind; 39] = [
        IntentKind::SetAlarm,
        IntentKind::SetTimer,
        IntentKind::Dial,
        IntentKind::ComposeSms,
        IntentKind::ComposeEmail,
        IntentKind::OpenSettings,
        IntentKind::WebSearch,
        IntentKind::MapSearch,
        IntentKind::Navigate,
        IntentKind::ShareText,
        IntentKind::InsertEvent,
        IntentKind::ViewUrl,
        IntentKind::Flashlight,
        IntentKind::RingerMode,
        IntentKind::MediaVolume,
        IntentKind::DoNotDisturb,
        IntentKind::ScreenBrightness,
        IntentKind::SettingsPanel,
        IntentKind::MediaControl,
        IntentKind::TakePhoto,
        IntentKind::RecordVideo,
        IntentKind::OpenLink,
        IntentKind::ShowAlarms,
        IntentKind::NextAlarm,
        IntentKind::DismissAlarm,
        IntentKind::CancelTimer,
        IntentKind::FindContact,
        IntentKind::NextEvent,
        IntentKind::BatteryStatus,
        IntentKind::NetworkStatus,
        IntentKind::CurrentTime,
        IntentKind::ReadClipboard,
        IntentKind::CopyToClipboard,
        IntentKind::SendSms,
        IntentKind::CallNumber,
        IntentKind::OpenNotifications,
        IntentKind::OpenQuickSettings,
        IntentKind::LockScreen,
        IntentKind::TakeScreenshot,
    ];

    /// The name in the text syntax (`set_alarm`).
    pub fn name(self) -> &'static str {
        match self {
            IntentKind::SetAlarm => "set_alarm",
            IntentKind::SetTimer => "set_timer",
            IntentKind::Dial => "dial",
            IntentKind::ComposeSms => "compose_sms",
            IntentKind::ComposeEmail => "compose_email",
            IntentKind::OpenSettings => "open_settings",
            IntentKind::WebSearch => "web_search",
            IntentKind::MapSearch => "map_search",
            IntentKind::Navigate => "navigate",
            IntentKind::ShareText => "share_text",
            IntentKind::InsertEvent => "insert_event",
            IntentKind::ViewUrl => "view_url",
            IntentKind::Flashlight => "flashlight",
            IntentKind::RingerMode => "ringer_mode",
            IntentKind::MediaVolume => "media_volume",
            IntentKind::DoNotDisturb => "do_not_disturb",
            IntentKind::ScreenBrightness => "screen_brightness",
            IntentKind::SettingsPanel => "settings_panel",
            IntentKind::MediaControl => "media_control",
            IntentKind::TakePhoto => "take_photo",
            IntentKind::RecordVideo => "record_video",
            IntentKind::OpenLink => "open_link",
            IntentKind::ShowAlarms => "show_alarms",
            IntentKind::NextAlarm => "next_alarm",
            IntentKind::DismissAlarm => "dismiss_alarm",
            IntentKind::CancelTimer => "cancel_timer",
            IntentKind::FindContact => "find_contact",
            IntentKind::NextEvent => "next_event",
            IntentKind::BatteryStatus => "battery_status",
            IntentKind::NetworkStatus => "network_status",
            IntentKind::CurrentTime => "current_time",
            IntentKind::ReadClipboard => "read_clipboard",
            IntentKind::CopyToClipboard => "copy_to_clipboard",
            IntentKind::SendSms => "send_sms",
            IntentKind::CallNumber => "call_number",
            IntentKind::OpenNotifications => "open_notifications",
            IntentKind::OpenQuickSettings => "open_quick_settings",
            IntentKind::LockScreen => "lock_screen",
            IntentKind::TakeScreenshot => "take_screenshot",
        }
    }

    /// The entry called `name`, if any.
    pub fn from_name(name: &str) -> Option<IntentKind> {
        IntentKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The parameters, in the order they must be written.
    pub fn params(self) -> &'static [Param] {
        match self {
            IntentKind::SetAlarm => SET_ALARM,
            IntentKind::SetTimer => SET_TIMER,
            IntentKind::Dial => DIAL,
            IntentKind::ComposeSms => COMPOSE_SMS,
            IntentKind::ComposeEmail => COMPOSE_EMAIL,
            IntentKind::OpenSettings => OPEN_SETTINGS,
            IntentKind::WebSearch => WEB_SEARCH,
            IntentKind::MapSearch => MAP_SEARCH,
            IntentKind::Navigate => NAVIGATE,
            IntentKind::ShareText => SHARE_TEXT,
            IntentKind::InsertEvent => INSERT_EVENT,
            IntentKind::ViewUrl => VIEW_URL,
            IntentKind::Flashlight => SWITCH,
            IntentKind::RingerMode => RINGER_MODE,
            IntentKind::MediaVolume => PERCENT,
            IntentKind::DoNotDisturb => SWITCH,
            IntentKind::ScreenBrightness => PERCENT,
            IntentKind::SettingsPanel => SETTINGS_PANEL,
            IntentKind::MediaControl => MEDIA_CONTROL,
            IntentKind::OpenLink => OPEN_LINK,
            IntentKind::DismissAlarm => ALARM_TIME,
            IntentKind::FindContact => FIND_CONTACT,
            IntentKind::CopyToClipboard => COPY_TO_CLIPBOARD,
            IntentKind::SendSms => SEND_SMS,
            IntentKind::CallNumber => DIAL,
            IntentKind::TakePhoto
            | IntentKind::RecordVideo
            | IntentKind::ShowAlarms
            | IntentKind::NextAlarm
            | IntentKind::CancelTimer
            | IntentKind::NextEvent
            | IntentKind::BatteryStatus
            | IntentKind::NetworkStatus
            | IntentKind::CurrentTime
            | IntentKind::ReadClipboard
            | IntentKind::OpenNotifications
            | IntentKind::OpenQuickSettings
            | IntentKind::LockScreen
            | IntentKind::TakeScreenshot => &[],
        }
    }
}

impl Intent {
    /// Which catalog entry this is.
    pub fn kind(&self) -> IntentKind {
        match self {
            Intent::SetAlarm { .. } => IntentKind::SetAlarm,
            Intent::SetTimer { .. } => IntentKind::SetTimer,
            Intent::Dial { .. } => IntentKind::Dial,
            Intent::ComposeSms { .. } => IntentKind::ComposeSms,
            Intent::ComposeEmail { .. } => IntentKind::ComposeEmail,
            Intent::OpenSettings { .. } => IntentKind::OpenSettings,
            Intent::WebSearch { .. } => IntentKind::WebSearch,
            Intent::MapSearch { .. } => IntentKind::MapSearch,
            Intent::Navigate { .. } => IntentKind::Navigate,
            Intent::ShareText { .. } => IntentKind::ShareText,
            Intent::InsertEvent { .. } => IntentKind::InsertEvent,
            Intent::ViewUrl { .. } => IntentKind::ViewUrl,
            Intent::Flashlight { .. } => IntentKind::Flashlight,
            Intent::RingerMode { .. } => IntentKind::RingerMode,
            Intent::MediaVolume { .. } => IntentKind::MediaVolume,
            Intent::DoNotDisturb { .. } => IntentKind::DoNotDisturb,
            Intent::ScreenBrightness { .. } => IntentKind::ScreenBrightness,
            Intent::SettingsPanel { .. } => IntentKind::SettingsPanel,
            Intent::MediaControl { .. } => IntentKind::MediaControl,
            Intent::TakePhoto => IntentKind::TakePhoto,
            Intent::RecordVideo => IntentKind::RecordVideo,
            Intent::OpenLink { .. } => IntentKind::OpenLink,
            Intent::ShowAlarms => IntentKind::ShowAlarms,
            Intent::NextAlarm => IntentKind::NextAlarm,
            Intent::DismissAlarm { .. } => IntentKind::DismissAlarm,
            Intent::CancelTimer => IntentKind::CancelTimer,
            Intent::FindContact { .. } => IntentKind::FindContact,
            Intent::NextEvent => IntentKind::NextEvent,
            Intent::BatteryStatus => IntentKind::BatteryStatus,
            Intent::NetworkStatus => IntentKind::NetworkStatus,
            Intent::CurrentTime => IntentKind::CurrentTime,
            Intent::ReadClipboard => IntentKind::ReadClipboard,
            Intent::CopyToClipboard { .. } => IntentKind::CopyToClipboard,
            Intent::SendSms { .. } => IntentKind::SendSms,
            Intent::CallNumber { .. } => IntentKind::CallNumber,
            Intent::OpenNotifications => IntentKind::OpenNotifications,
            Intent::OpenQuickSettings => IntentKind::OpenQuickSettings,
            Intent::LockScreen => IntentKind::LockScreen,
            Intent::TakeScreenshot => IntentKind::TakeScreenshot,
        }
    }

    /// The Android intent action string (`android.intent.action.SET_ALARM`) for the entries
    /// that start an activity; `None` for the system tools the device runs through a platform
    /// API or the accessibility service (the flashlight, the battery, the clipboard …).
    pub fn android_action(&self) -> Option<&'static str> {
        Some(match self {
            Intent::SetAlarm { .. } => "android.intent.action.SET_ALARM",
            Intent::SetTimer { .. } => "android.intent.action.SET_TIMER",
            Intent::Dial { .. } => "android.intent.action.DIAL",
            Intent::ComposeSms { .. } | Intent::ComposeEmail { .. } => {
                "android.intent.action.SENDTO"
            }
            Intent::OpenSettings { page } => page.android_action(),
            Intent::WebSearch { .. } => "android.intent.action.WEB_SEARCH",
            Intent::MapSearch { .. }
            | Intent::Navigate { .. }
            | Intent::ViewUrl { .. }
            | Intent::OpenLink { .. } => "android.intent.action.VIEW",
            Intent::ShareText { .. } => "android.intent.action.SEND",
            Intent::InsertEvent { .. } => "android.intent.action.INSERT",
            Intent::SettingsPanel { panel } => panel.android_action(),
            Intent::TakePhoto => "android.media.action.STILL_IMAGE_CAMERA",
            Intent::RecordVideo => "android.media.action.VIDEO_CAMERA",
            Intent::ShowAlarms => "android.intent.action.SHOW_ALARMS",
            Intent::DismissAlarm { .. } => "android.intent.action.DISMISS_ALARM",
            Intent::CancelTimer => "android.intent.action.DISMISS_TIMER",
            Intent::CallNumber { .. } => "android.intent.action.CALL",
            Intent::Flashlight { .. }
            | Intent::RingerMode { .. }
            | Intent::MediaVolume { .. }
            | Intent::DoNotDisturb { .. }
            | Intent::ScreenBrightness { .. }
            | Intent::MediaControl { .. }
            | Intent::NextAlarm
            | Intent::FindContact { .. }
            | Intent::NextEvent
            | Intent::BatteryStatus
            | Intent::NetworkStatus
            | Intent::CurrentTime
            | Intent::ReadClipboard
            | Intent::CopyToClipboard { .. }
            | Intent::SendSms { .. }
            | Intent::OpenNotifications
            | Intent::OpenQuickSettings
            | Intent::LockScreen
            | Intent::TakeScreenshot => return None,
        })
    }

    /// The arguments that are present, in declared order, keyed as in
    /// [`IntentKind::params`].
    pub fn args(&self) -> Vec<(&'static str, IntentArg)> {
        let text = |s: &String| IntentArg::Text(s.clone());
        let args: Vec<(&'static str, Option<IntentArg>)> = match self {
            Intent::SetAlarm {
                hour,
                minute,
                label,
            } => vec![
                ("hour", Some(IntentArg::Int(u32::from(*hour)))),
                ("minute", Some(IntentArg::Int(u32::from(*minute)))),
                ("label", label.as_ref().map(text)),
            ],
            Intent::SetTimer { seconds, label } => vec![
                ("seconds", Some(IntentArg::Int(*seconds))),
                ("label", label.as_ref().map(text)),
            ],
            Intent::Dial { number } => vec![("number", Some(text(number)))],
            Intent::ComposeSms { to, body } => {
                vec![("to", Some(text(to))), ("body", body.as_ref().map(text))]
            }
            Intent::ComposeEmail { to, subject, body } => vec![
                ("to", Some(text(to))),
                ("subject", subject.as_ref().map(text)),
                ("body", body.as_ref().map(text)),
            ],
            Intent::OpenSettings { page } => vec![("page", Some(IntentArg::SettingsPage(*page)))],
            Intent::WebSearch { query } | Intent::MapSearch { query } => {
                vec![("query", Some(text(query)))]
            }
            Intent::Navigate { destination } => vec![("destination", Some(text(destination)))],
            Intent::ShareText { text: shared } => vec![("text", Some(text(shared)))],
            Intent::InsertEvent {
                title,
                begin,
                end,
                location,
            } => vec![
                ("title", Some(text(title))),
                ("begin", Some(IntentArg::DateTime(*begin))),
                ("end", end.map(IntentArg::DateTime)),
                ("location", location.as_ref().map(text)),
            ],
            Intent::ViewUrl { url } => vec![("url", Some(text(url)))],
            Intent::Flashlight { on } | Intent::DoNotDisturb { on } => {
                vec![("state", Some(IntentArg::Choice(switch_word(*on))))]
            }
            Intent::RingerMode { mode } => vec![("mode", Some(IntentArg::Choice(mode.word())))],
            Intent::MediaVolume { percent } | Intent::ScreenBrightness { percent } => {
                vec![("percent", Some(IntentArg::Int(u32::from(*percent))))]
            }
            Intent::SettingsPanel { panel } => {
                vec![("panel", Some(IntentArg::Choice(panel.word())))]
            }
            Intent::MediaControl { command } => {
                vec![("command", Some(IntentArg::Choice(command.word())))]
            }
            Intent::OpenLink { uri } => vec![("uri", Some(text(uri)))],
            Intent::DismissAlarm { hour, minute } => vec![
                ("hour", Some(IntentArg::Int(u32::from(*hour)))),
                ("minute", Some(IntentArg::Int(u32::from(*minute)))),
            ],
            Intent::FindContact { name } => vec![("name", Some(text(name)))],
            Intent::CopyToClipboard { text: copied } => vec![("text", Some(text(copied)))],
            Intent::SendSms { to, body } => {
                vec![("to", Some(text(to))), ("body", Some(text(body)))]
            }
            Intent::CallNumber { number } => vec![("number", Some(text(number)))],
            Intent::TakePhoto
            | Intent::RecordVideo
            | Intent::ShowAlarms
            | Intent::NextAlarm
            | Intent::CancelTimer
            | Intent::NextEvent
            | Intent::BatteryStatus
            | Intent::NetworkStatus
            | Intent::CurrentTime
            | Intent::ReadClipboard
            | Intent::OpenNotifications
            | Intent::OpenQuickSettings
            | Intent::LockScreen
            | Intent::TakeScreenshot => Vec::new(),
        };
        args.into_iter()
            .filter_map(|(key, value)| value.map(|value| (key, value)))
            .collect()
    }

    /// Builds the intent of `kind` from `args` (keys as in [`IntentKind::params`]), checking each
    /// value against its parameter. Unknown keys are ignored.
    pub fn from_args(
        kind: IntentKind,
        args: &[(&'static str, IntentArg)],
    ) -> Result<Intent, IntentArgError> {
        let args = Args { kind, args };
        Ok(match kind {
            IntentKind::SetAlarm => Intent::SetAlarm {
                hour: args.small_int("hour")?,
                minute: args.small_int("minute")?,
                label: args.optional_text("label")?,
            },
            IntentKind::SetTimer => Intent::SetTimer {
                seconds: args.int("seconds")?,
                label: args.optional_text("label")?,
            },
            IntentKind::Dial => Intent::Dial {
                number: args.text("number")?,
            },
            IntentKind::ComposeSms => Intent::ComposeSms {
                to: args.text("to")?,
                body: args.optional_text("body")?,
            },
            IntentKind::ComposeEmail => Intent::ComposeEmail {
                to: args.text("to")?,
                subject: args.optional_text("subject")?,
                body: args.optional_text("body")?,
            },
            IntentKind::OpenSettings => Intent::OpenSettings {
                page: args.settings_page("page")?,
            },
            IntentKind::WebSearch => Intent::WebSearch {
                query: args.text("query")?,
            },
            IntentKind::MapSearch => Intent::MapSearch {
                query: args.text("query")?,
            },
            IntentKind::Navigate => Intent::Navigate {
                destination: args.text("destination")?,
            },
            IntentKind::ShareText => Intent::ShareText {
                text: args.text("text")?,
            },
            IntentKind::InsertEvent => Intent::InsertEvent {
                title: args.text("title")?,
                begin: args.date_time("begin")?,
                end: args.optional_date_time("end")?,
                location: args.optional_text("location")?,
            },
            IntentKind::ViewUrl => Intent::ViewUrl {
                url: args.text("url")?,
            },
            IntentKind::Flashlight => Intent::Flashlight {
                on: args.switch("state")?,
            },
            IntentKind::RingerMode => Intent::RingerMode {
                mode: args.worded("mode")?,
            },
            IntentKind::MediaVolume => Intent::MediaVolume {
                percent: args.small_int("percent")?,
            },
            IntentKind::DoNotDisturb => Intent::DoNotDisturb {
                on: args.switch("state")?,
            },
            IntentKind::ScreenBrightness => Intent::ScreenBrightness {
                percent: args.small_int("percent")?,
            },
            IntentKind::SettingsPanel => Intent::SettingsPanel {
                panel: args.worded("panel")?,
            },
            IntentKind::MediaControl => Intent::MediaControl {
                command: args.worded("command")?,
            },
            IntentKind::TakePhoto => Intent::TakePhoto,
            IntentKind::RecordVideo => Intent::RecordVideo,
            IntentKind::OpenLink => Intent::OpenLink {
                uri: args.text("uri")?,
            },
            IntentKind::ShowAlarms => Intent::ShowAlarms,
            IntentKind::NextAlarm => Intent::NextAlarm,
            IntentKind::DismissAlarm => Intent::DismissAlarm {
                hour: args.small_int("hour")?,
                minute: args.small_int("minute")?,
            },
            IntentKind::CancelTimer => Intent::CancelTimer,
            IntentKind::FindContact => Intent::FindContact {
                name: args.text("name")?,
            },
            IntentKind::NextEvent => Intent::NextEvent,
            IntentKind::BatteryStatus => Intent::BatteryStatus,
            IntentKind::NetworkStatus => Intent::NetworkStatus,
            IntentKind::CurrentTime => Intent::CurrentTime,
            IntentKind::ReadClipboard => Intent::ReadClipboard,
            IntentKind::CopyToClipboard => Intent::CopyToClipboard {
                text: args.text("text")?,
            },
            IntentKind::SendSms => Intent::SendSms {
                to: args.text("to")?,
                body: args.text("body")?,
            },
            IntentKind::CallNumber => Intent::CallNumber {
                number: args.text("number")?,
            },
            IntentKind::OpenNotifications => Intent::OpenNotifications,
            IntentKind::OpenQuickSettings => Intent::OpenQuickSettings,
            IntentKind::LockScreen => Intent::LockScreen,
            IntentKind::TakeScreenshot => Intent::TakeScreenshot,
        })
    }
}

/// Typed look-up of checked arguments, for [`Intent::from_args`].
struct Args<'a> {
    kind: IntentKind,
    args: &'a [(&'static str, IntentArg)],
}

impl Args<'_> {
    /// The argument for `key`, checked against its parameter; `None` when absent.
    fn get(&self, key: &'static str) -> Result<Option<&IntentArg>, IntentArgError> {
        let Some(param) = self.kind.params().iter().find(|p| p.key == key) else {
            return Err(IntentArgError::Invalid {
                key,
                reason: "not a parameter of this intent",
            });
        };
        match self.args.iter().find(|(k, _)| *k == key) {
            None => Ok(None),
            Some((_, value)) => {
                param
                    .kind
                    .check(value)
                    .map_err(|reason| IntentArgError::Invalid { key, reason })?;
                Ok(Some(value))
            }
        }
    }

    fn optional_int(&self, key: &'static str) -> Result<Option<u32>, IntentArgError> {
        match self.get(key)? {
            None => Ok(None),
            Some(IntentArg::Int(value)) => Ok(Some(*value)),
            Some(_) => Err(IntentArgError::Invalid {
                key,
                reason: "expected an integer",
            }),
        }
    }

    fn int(&self, key: &'static str) -> Result<u32, IntentArgError> {
        self.optional_int(key)?.ok_or(IntentArgError::Missing(key))
    }

    fn small_int(&self, key: &'static str) -> Result<u8, IntentArgError> {
        u8::try_from(self.int(key)?).map_err(|_| IntentArgError::Invalid {
            key,
            reason: "out of range",
        })
    }

    fn optional_text(&self, key: &'static str) -> Result<Option<String>, IntentArgError> {
        match self.get(key)? {
            None => Ok(None),
            Some(IntentArg::Text(value)) => Ok(Some(value.clone())),
            Some(_) => Err(IntentArgError::Invalid {
                key,
                reason: "expected text",
            }),
        }
    }

    fn text(&self, key: &'static str) -> Result<String, IntentArgError> {
        self.optional_text(key)?.ok_or(IntentArgError::Missing(key))
    }

    fn optional_date_time(
        &self,
        key: &'static str,
    ) -> Result<Option<LocalDateTime>, IntentArgError> {
        match self.get(key)? {
            None => Ok(None),
            Some(IntentArg::DateTime(value)) => Ok(Some(*value)),
            Some(_) => Err(IntentArgError::Invalid {
                key,
                reason: "expected a date-time",
            }),
        }
    }

    fn date_time(&self, key: &'static str) -> Result<LocalDateTime, IntentArgError> {
        self.optional_date_time(key)?
            .ok_or(IntentArgError::Missing(key))
    }

    fn choice(&self, key: &'static str) -> Result<&'static str, IntentArgError> {
        match self.get(key)? {
            None => Err(IntentArgError::Missing(key)),
            Some(IntentArg::Choice(word)) => Ok(word),
            Some(_) => Err(IntentArgError::Invalid {
                key,
                reason: "expected a word of the parameter's list",
            }),
        }
    }

    fn switch(&self, key: &'static str) -> Result<bool, IntentArgError> {
        switch_from_word(self.choice(key)?).ok_or(IntentArgError::Invalid {
            key,
            reason: "expected on or off",
        })
    }

    fn worded<T: Worded>(&self, key: &'static str) -> Result<T, IntentArgError> {
        T::from_word(self.choice(key)?).ok_or(IntentArgError::Invalid {
            key,
            reason: "not a word of the parameter's list",
        })
    }

    fn settings_page(&self, key: &'static str) -> Result<SettingsPage, IntentArgError> {
        match self.get(key)? {
            None => Err(IntentArgError::Missing(key)),
            Some(IntentArg::SettingsPage(page)) => Ok(*page),
            Some(_) => Err(IntentArgError::Invalid {
                key,
                reason: "expected a settings page",
            }),
        }
    }
}

impl ParamKind {
    /// The values it takes, in a few words for a model or a listing (`0-23`, `https URL`).
    pub fn describe(&self) -> String {
        match self {
            ParamKind::Int { min, max } => format!("{min}-{max}"),
            ParamKind::PhoneNumber => "digits, optional leading +".into(),
            ParamKind::DateTime => "YYYY-MM-DDTHH:MM".into(),
            ParamKind::SettingsPage => "settings page word".into(),
            ParamKind::Email => "address".into(),
            ParamKind::Url => "https URL".into(),
            ParamKind::Text { .. } => "text".into(),
            ParamKind::Choice(choice) => choice.describe(),
            ParamKind::Link => "URI".into(),
        }
    }

    /// Checks that `value` is of this kind and well formed; the error says what is wrong.
    pub fn check(&self, value: &IntentArg) -> Result<(), &'static str> {
        match (self, value) {
            (ParamKind::Int { min, max }, IntentArg::Int(n)) => {
                if (*min..=*max).contains(n) {
                    Ok(())
                } else {
                    Err("out of range")
                }
            }
            (ParamKind::Text { .. }, IntentArg::Text(text)) => {
                if text.is_empty() {
                    Err("must not be empty")
                } else {
                    Ok(())
                }
            }
            (ParamKind::PhoneNumber, IntentArg::Text(text)) => check_phone_number(text),
            (ParamKind::Email, IntentArg::Text(text)) => check_email(text),
            (ParamKind::Url, IntentArg::Text(text)) => check_url(text),
            (ParamKind::Link, IntentArg::Text(text)) => check_link(text),
            (ParamKind::Choice(choice), IntentArg::Choice(word)) => {
                if choice.words().contains(word) {
                    Ok(())
                } else {
                    Err("not a word of the parameter's list")
                }
            }
            (ParamKind::Choice(_), _) => Err("expected a word of the parameter's list"),
            (ParamKind::DateTime, IntentArg::DateTime(_))
            | (ParamKind::SettingsPage, IntentArg::SettingsPage(_)) => Ok(()),
            (ParamKind::Int { .. }, _) => Err("expected an integer"),
            (ParamKind::DateTime, _) => Err("expected a date-time"),
            (ParamKind::SettingsPage, _) => Err("expected a settings page"),
            (_, _) => Err("expected a quoted string"),
        }
    }
}

fn check_phone_number(text: &str) -> Result<(), &'static str> {
    let allowed = |c: char| c.is_ascii_digit() || "+*#()- ".contains(c);
    if !text.chars().any(|c| c.is_ascii_digit()) {
        Err("a phone number needs digits")
    } else if !text.chars().all(allowed) {
        Err("a phone number has only digits, +, *, #, spaces, dashes and parentheses")
    } else {
        Ok(())
    }
}

fn check_email(text: &str) -> Result<(), &'static str> {
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '"' || c == '\\';
    match text.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(bad_char) =>
        {
            Ok(())
        }
        _ => Err("expected an email address like name@example.com"),
    }
}

fn check_url(text: &str) -> Result<(), &'static str> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        None => Err("a URL must start with http:// or https://"),
        Some("") => Err("a URL needs a host"),
        Some(_) if text.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err("a URL has no spaces")
        }
        Some(_) => Ok(()),
    }
}

/// Schemes an `open_link` may not use: script, local files and content, and `intent:` URIs
/// (which can name any component and extras).
const REFUSED_SCHEMES: [&str; 4] = ["javascript", "file", "content", "intent"];

fn check_link(text: &str) -> Result<(), &'static str> {
    let Some((scheme, rest)) = text.split_once(':') else {
        return Err("a link starts with a scheme, like https: or market:");
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    if !scheme_ok {
        Err("a link starts with a scheme, like https: or market:")
    } else if REFUSED_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
        Err("this kind of link is not allowed")
    } else if rest.is_empty() {
        Err("a link needs something after its scheme")
    } else if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        Err("a link has no spaces or quotes")
    } else {
        Ok(())
    }
}

/// A page of the system settings, each an `android.provider.Settings` activity action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingsPage {
    /// `main`: `Settings.ACTION_SETTINGS`, the top of the settings app.
    Main,
    /// `wifi`: `Settings.ACTION_WIFI_SETTINGS`.
    Wifi,
    /// `bluetooth`: `Settings.ACTION_BLUETOOTH_SETTINGS`.
    Bluetooth,
    /// `network`: `Settings.ACTION_WIRELESS_SETTINGS` (mobile network, airplane mode, VPN).
    Network,
    /// `airplane`: `Settings.ACTION_AIRPLANE_MODE_SETTINGS`.
    Airplane,
    /// `data_roaming`: `Settings.ACTION_DATA_ROAMING_SETTINGS`.
    DataRoaming,
    /// `data_usage`: `Settings.ACTION_DATA_USAGE_SETTINGS` (API 28+).
    DataUsage,
    /// `nfc`: `Settings.ACTION_NFC_SETTINGS`.
    Nfc,
    /// `cast`: `Settings.ACTION_CAST_SETTINGS`.
    Cast,
    /// `vpn`: `Settings.ACTION_VPN_SETTINGS`.
    Vpn,
    /// `display`: `Settings.ACTION_DISPLAY_SETTINGS`.
    Display,
    /// `sound`: `Settings.ACTION_SOUND_SETTINGS`.
    Sound,
    /// `location`: `Settings.ACTION_LOCATION_SOURCE_SETTINGS`.
    Location,
    /// `apps`: `Settings.ACTION_MANAGE_APPLICATIONS_SETTINGS`, the list of installed apps.
    Apps,
    /// `notifications`: `Settings.ACTION_ALL_APPS_NOTIFICATION_SETTINGS` (API 33+).
    Notifications,
    /// `battery_saver`: `Settings.ACTION_BATTERY_SAVER_SETTINGS`.
    BatterySaver,
    /// `storage`: `Settings.ACTION_INTERNAL_STORAGE_SETTINGS`.
    Storage,
    /// `date`: `Settings.ACTION_DATE_SETTINGS` (date, time, time zone).
    Date,
    /// `language`: `Settings.ACTION_LOCALE_SETTINGS`.
    Language,
    /// `accessibility`: `Settings.ACTION_ACCESSIBILITY_SETTINGS`.
    Accessibility,
    /// `security`: `Settings.ACTION_SECURITY_SETTINGS`.
    Security,
    /// `privacy`: `Settings.ACTION_PRIVACY_SETTINGS`.
    Privacy,
    /// `developer`: `Settings.ACTION_APPLICATION_DEVELOPMENT_SETTINGS`.
    Developer,
    /// `about`: `Settings.ACTION_DEVICE_INFO_SETTINGS`.
    About,
}

impl SettingsPage {
    /// Every page, in the order the grammar lists them.
    pub const ALL: [SettingsPage; 24] = [
        SettingsPage::Main,
        SettingsPage::Wifi,
        SettingsPage::Bluetooth,
        SettingsPage::Network,
        SettingsPage::Airplane,
        SettingsPage::DataRoaming,
        SettingsPage::DataUsage,
        SettingsPage::Nfc,
        SettingsPage::Cast,
        SettingsPage::Vpn,
        SettingsPage::Display,
        SettingsPage::Sound,
        SettingsPage::Location,
        SettingsPage::Apps,
        SettingsPage::Notifications,
        SettingsPage::BatterySaver,
        SettingsPage::Storage,
        SettingsPage::Date,
        SettingsPage::Language,
        SettingsPage::Accessibility,
        SettingsPage::Security,
        SettingsPage::Privacy,
        SettingsPage::Developer,
        SettingsPage::About,
    ];

    /// The word in the text syntax (`wifi`).
    pub fn word(self) -> &'static str {
        match self {
            SettingsPage::Main => "main",
            SettingsPage::Wifi => "wifi",
            SettingsPage::Bluetooth => "bluetooth",
            SettingsPage::Network => "network",
            SettingsPage::Airplane => "airplane",
            SettingsPage::DataRoaming => "data_roaming",
            SettingsPage::DataUsage => "data_usage",
            SettingsPage::Nfc => "nfc",
            SettingsPage::Cast => "cast",
            SettingsPage::Vpn => "vpn",
            SettingsPage::Display => "display",
            SettingsPage::Sound => "sound",
            SettingsPage::Location => "location",
            SettingsPage::Apps => "apps",
            SettingsPage::Notifications => "notifications",
            SettingsPage::BatterySaver => "battery_saver",
            SettingsPage::Storage => "storage",
            SettingsPage::Date => "date",
            SettingsPage::Language => "language",
            SettingsPage::Accessibility => "accessibility",
            SettingsPage::Security => "security",
            SettingsPage::Privacy => "privacy",
            SettingsPage::Developer => "developer",
            SettingsPage::About => "about",
        }
    }

    /// The page called `word`, if any.
    pub fn from_word(word: &str) -> Option<SettingsPage> {
        SettingsPage::ALL
            .into_iter()
            .find(|page| page.word() == word)
    }

    /// The `android.provider.Settings` activity action that opens this page.
    pub fn android_action(self) -> &'static str {
        match self {
            SettingsPage::Main => "android.settings.SETTINGS",
            SettingsPage::Wifi => "android.settings.WIFI_SETTINGS",
            SettingsPage::Bluetooth => "android.settings.BLUETOOTH_SETTINGS",
            SettingsPage::Network => "android.settings.WIRELESS_SETTINGS",
            SettingsPage::Airplane => "android.settings.AIRPLANE_MODE_SETTINGS",
            SettingsPage::DataRoaming => "android.settings.DATA_ROAMING_SETTINGS",
            SettingsPage::DataUsage => "android.settings.DATA_USAGE_SETTINGS",
            SettingsPage::Nfc => "android.settings.NFC_SETTINGS",
            SettingsPage::Cast => "android.settings.CAST_SETTINGS",
            SettingsPage::Vpn => "android.settings.VPN_SETTINGS",
            SettingsPage::Display => "android.settings.DISPLAY_SETTINGS",
            SettingsPage::Sound => "android.settings.SOUND_SETTINGS",
            SettingsPage::Location => "android.settings.LOCATION_SOURCE_SETTINGS",
            SettingsPage::Apps => "android.settings.MANAGE_APPLICATIONS_SETTINGS",
            SettingsPage::Notifications => "android.settings.ALL_APPS_NOTIFICATION_SETTINGS",
            SettingsPage::BatterySaver => "android.settings.BATTERY_SAVER_SETTINGS",
            SettingsPage::Storage => "android.settings.INTERNAL_STORAGE_SETTINGS",
            SettingsPage::Date => "android.settings.DATE_SETTINGS",
            SettingsPage::Language => "android.settings.LOCALE_SETTINGS",
            SettingsPage::Accessibility => "android.settings.ACCESSIBILITY_SETTINGS",
            SettingsPage::Security => "android.settings.SECURITY_SETTINGS",
            SettingsPage::Privacy => "android.settings.PRIVACY_SETTINGS",
            SettingsPage::Developer => "android.settings.APPLICATION_DEVELOPMENT_SETTINGS",
            SettingsPage::About => "android.settings.DEVICE_INFO_SETTINGS",
        }
    }
}

/// A calendar date and time of day to the minute, in the device's time zone, written
/// `2026-11-21T09:30`. Always a real date (leap years included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
}

impl LocalDateTime {
    /// The date-time, if it exists: year 1–9999, month 1–12, a day of that month, hour 0–23,
    /// minute 0–59.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8) -> Option<LocalDateTime> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour <= 23
            && minute <= 59;
        valid.then_some(LocalDateTime {
            year,
            month,
            day,
            hour,
            minute,
        })
    }

    /// Reads exactly `YYYY-MM-DDTHH:MM`.
    pub fn parse(text: &str) -> Option<LocalDateTime> {
        let bytes = text.as_bytes();
        if bytes.len() != 16
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || bytes[10] != b'T'
            || bytes[13] != b':'
        {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let digits = text.get(range)?;
            if digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse().ok()
            } else {
                None
            }
        };
        let small = |range| number(range).and_then(|n| u8::try_from(n).ok());
        LocalDateTime::new(
            number(0..4)?,
            small(5..7)?,
            small(8..10)?,
            small(11..13)?,
            small(14..16)?,
        )
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The hour, 0–23.
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0–59.
    pub fn minute(&self) -> u8 {
        self.minute
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for kind in IntentKind::ALL {
            assert_eq!(IntentKind::from_name(kind.name()), Some(kind));
        }
        for page in SettingsPage::ALL {
            assert_eq!(SettingsPage::from_word(page.word()), Some(page));
            assert!(page.android_action().starts_with("android.settings."));
        }
        assert_eq!(IntentKind::from_name("launch_missiles"), None);
    }

    #[test]
    fn required_params_come_before_optional_ones() {
        for kind in IntentKind::ALL {
            let params = kind.params();
            let first_optional = params
                .iter()
                .position(|p| !p.required)
                .unwrap_or(params.len());
            assert!(
                params[first_optional..].iter().all(|p| !p.required),
                "{kind:?}"
            );
            assert!(
                params.first().is_none_or(|param| param.required),
                "{kind:?} needs a required first parameter"
            );
        }
    }

    #[test]
    fn args_round_trip_through_from_args() {
        let begin = LocalDateTime::new(2026, 11, 21, 9, 30).unwrap();
        let intents = [
            Intent::SetAlarm {
                hour: 7,
                minute: 30,
                label: Some("Gym".into()),
            },
            Intent::SetTimer {
                seconds: 300,
                label: None,
            },
            Intent::ComposeEmail {
                to: "a@example.com".into(),
                subject: None,
                body: Some("hi".into()),
            },
            Intent::OpenSettings {
                page: SettingsPage::Wifi,
            },
            Intent::InsertEvent {
                title: "Dentist".into(),
                begin,
                end: None,
                location: None,
            },
            Intent::ViewUrl {
                url: "https://example.com".into(),
            },
            Intent::Flashlight { on: false },
            Intent::RingerMode {
                mode: RingerMode::Vibrate,
            },
            Intent::MediaVolume { percent: 30 },
            Intent::SettingsPanel {
                panel: SettingsPanel::Nfc,
            },
            Intent::MediaControl {
                command: MediaCommand::Next,
            },
            Intent::DismissAlarm { hour: 7, minute: 0 },
            Intent::SendSms {
                to: "+15550100".into(),
                body: "hi".into(),
            },
            Intent::BatteryStatus,
            Intent::OpenLink {
                uri: "market://details?id=org.example".into(),
            },
        ];
        for intent in intents {
            let rebuilt = Intent::from_args(intent.kind(), &intent.args());
            assert_eq!(rebuilt, Ok(intent));
        }
    }

    #[test]
    fn from_args_reports_missing_and_invalid_values() {
        assert_eq!(
            Intent::from_args(IntentKind::SetAlarm, &[("hour", IntentArg::Int(7))]),
            Err(IntentArgError::Missing("minute"))
        );
        assert!(matches!(
            Intent::from_args(
                IntentKind::SetAlarm,
                &[("hour", IntentArg::Int(24)), ("minute", IntentArg::Int(0))]
            ),
            Err(IntentArgError::Invalid { key: "hour", .. })
        ));
        assert!(matches!(
            Intent::from_args(
                IntentKind::ViewUrl,
                &[("url", IntentArg::Text("javascript:x".into()))]
            ),
            Err(IntentArgError::Invalid { key: "url", .. })
        ));
    }

    #[test]
    fn android_actions_are_the_platform_strings() {
        let alarm = Intent::SetAlarm {
            hour: 7,
            minute: 0,
            label: None,
        };
        assert_eq!(
            alarm.android_action(),
            Some("android.intent.action.SET_ALARM")
        );
        let wifi = Intent::OpenSettings {
            page: SettingsPage::Wifi,
        };
        assert_eq!(
            wifi.android_action(),
            Some("android.settings.WIFI_SETTINGS")
        );
        assert_eq!(SET_ALARM[0].android_name, "android.intent.extra.alarm.HOUR");
        assert_eq!(
            Intent::TakePhoto.android_action(),
            Some("android.media.action.STILL_IMAGE_CAMERA")
        );
        assert_eq!(Intent::BatteryStatus.android_action(), None);
        assert_eq!(Intent::Flashlight { on: true }.android_action(), None);
    }

    #[test]
    fn date_times_are_real_dates() {
        assert_eq!(
            LocalDateTime::parse("2026-11-21T09:30").map(|d| d.to_string()),
            Some("2026-11-21T09:30".to_string())
        );
        assert!(LocalDateTime::parse("2024-02-29T00:00").is_some());
        assert!(LocalDateTime::parse("2000-02-29T00:00").is_some());
        assert!(LocalDateTime::parse("2100-02-29T00:00").is_none());
        assert!(LocalDateTime::parse("2026-02-29T00:00").is_none());
        assert!(LocalDateTime::parse("2026-04-31T00:00").is_none());
        assert!(LocalDateTime::parse("2026-13-01T00:00").is_none());
        assert!(LocalDateTime::parse("2026-12-01T24:00").is_none());
        assert!(LocalDateTime::parse("2026-12-01T23:60").is_none());
        assert!(LocalDateTime::parse("2026-12-01 23:00").is_none());
        assert!(LocalDateTime::parse("2026-12-1T23:00").is_none());
        assert!(LocalDateTime::parse("+026-12-01T23:00").is_none());
        assert!(LocalDateTime::parse("0000-12-01T23:00").is_none());
        assert!(LocalDateTime::parse("２０２６-12-01T23:00").is_none());
    }

    #[test]
    fn value_checks() {
        let text = |s: &str| IntentArg::Text(s.into());
        assert!(
            ParamKind::PhoneNumber
                .check(&text("+1 (555) 010-0100"))
                .is_ok()
        );
        assert!(ParamKind::PhoneNumber.check(&text("Mom")).is_err());
        assert!(ParamKind::PhoneNumber.check(&text("+")).is_err());
        assert!(ParamKind::Email.check(&text("a.b@example.com")).is_ok());
        assert!(ParamKind::Email.check(&text("a@b@c")).is_err());
        assert!(ParamKind::Email.check(&text("@b")).is_err());
        assert!(ParamKind::Email.check(&text("a b@c")).is_err());
        assert!(ParamKind::Url.check(&text("http://x")).is_ok());
        assert!(ParamKind::Url.check(&text("https://")).is_err());
        assert!(ParamKind::Url.check(&text("https://a b")).is_err());
        assert!(ParamKind::Url.check(&text("intent://x")).is_err());
        assert!(
            ParamKind::Link
                .check(&text("market://details?id=org.x"))
                .is_ok()
        );
        assert!(ParamKind::Link.check(&text("geo:0,0?q=cafe")).is_ok());
        assert!(ParamKind::Link.check(&text("JavaScript:alert(1)")).is_err());
        assert!(
            ParamKind::Link
                .check(&text("intent://x#Intent;end"))
                .is_err()
        );
        assert!(ParamKind::Link.check(&text("file:///sdcard/x")).is_err());
        assert!(ParamKind::Link.check(&text("content://x")).is_err());
        assert!(ParamKind::Link.check(&text("no scheme")).is_err());
        assert!(ParamKind::Link.check(&text("1ab:x")).is_err());
        assert!(ParamKind::Link.check(&text("https:")).is_err());
        assert!(ParamKind::Link.check(&text("https://a b")).is_err());
        let switch = ParamKind::Choice(Choice::Switch);
        assert!(switch.check(&IntentArg::Choice("on")).is_ok());
        assert!(switch.check(&IntentArg::Choice("silent")).is_err());
        assert!(switch.check(&text("on")).is_err());
        assert!(ParamKind::Text { max_chars: 5 }.check(&text("")).is_err());
        assert!(
            ParamKind::Text { max_chars: 5 }
                .check(&IntentArg::Int(1))
                .is_err()
        );
        assert!(
            ParamKind::Int { min: 1, max: 2 }
                .check(&IntentArg::Int(3))
                .is_err()
        );
    }
}
