//! What the catalog says about each tool besides its parameters: a line for the model, what the
//! tool gives back, and what the phone needs to run it.
//!
//! Why beside the parameters and not in the prompt or the Android code: the planner's prompt,
//! `lobster tools`, the guard (which reads a tool's risk from `policy::tier`) and the Android
//! executor (which reports a tool unavailable before planning when the phone lacks what it
//! needs) all describe the same tool; one declaration per tool keeps them from drifting apart.

use super::intent::IntentKind;

/// What a tool gives back to the planner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// Nothing to read: the tool changes a setting or opens an app, a draft or a page, and the
    /// phone's state or the next screen shows what happened.
    Nothing,
    /// Text for the planner (the step's result, and the task's answer when the tool answers
    /// the goal): what it says, in a few words.
    Data(&'static str),
}

impl Returns {
    /// A stable name (`nothing`, `data`), for listings and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Returns::Nothing => "nothing",
            Returns::Data(_) => "data",
        }
    }

    /// What the data says (`the battery level in percent and whether it charges`), if any.
    pub fn what(self) -> Option<&'static str> {
        match self {
            Returns::Nothing => None,
            Returns::Data(what) => Some(what),
        }
    }
}

/// What the phone needs to run a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The Android permission the agent must hold, if any (`com.android.alarm.permission.SET_ALARM`).
    pub permission: Option<&'static str>,
    /// The lowest Android API level the tool works on.
    pub min_api: u32,
    /// The kind of app that must be installed to handle it, if any ("a clock app").
    pub handler: Option<&'static str>,
    /// Whether only a privileged (system) agent can run it.
    pub privileged: bool,
}

/// The library's lowest Android API level (`minSdk`): a tool that works everywhere needs it.
pub const MIN_API: u32 = 26;

impl Needs {
    /// Nothing beyond the library's minimum API level.
    const NOTHING: Needs = Needs {
        permission: None,
        min_api: MIN_API,
        handler: None,
        privileged: false,
    };

    /// An app of the kind `handler` to handle the intent.
    const fn app(handler: &'static str) -> Needs {
        Needs {
            handler: Some(handler),
            ..Needs::NOTHING
        }
    }

    /// The permission `permission`.
    const fn permission(permission: &'static str) -> Needs {
        Needs {
            permission: Some(permission),
            ..Needs::NOTHING
        }
    }

    /// API level `min_api` or later.
    const fn api(min_api: u32) -> Needs {
        Needs {
            min_api,
            ..Needs::NOTHING
        }
    }
}

/// One tool's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToolInfo {
    /// The tool.
    pub kind: IntentKind,
    /// One line for the model, in English.
    pub description: &'static str,
    /// What it gives back.
    pub returns: Returns,
    /// What the phone needs to run it.
    pub needs: Needs,
}

/// The permission `AlarmClock.ACTION_SET_ALARM` and `ACTION_SET_TIMER` require of the caller (a
/// normal permission: granted at install).
const SET_ALARM_PERMISSION: &str = "com.android.alarm.permission.SET_ALARM";
/// Do Not Disturb, and the silent ringer while it is on, need the user to grant the app
/// notification-policy access in Settings.
const NOTIFICATION_POLICY: &str = "android.permission.ACCESS_NOTIFICATION_POLICY";

/// The description of `kind`.
pub fn tool_info(kind: IntentKind) -> ToolInfo {
    let (description, needs) = match kind {
        IntentKind::SetAlarm => (
            "Set an alarm at a time of day, with an optional label.",
            Needs {
                permission: Some(SET_ALARM_PERMISSION),
                ..Needs::app("a clock app")
            },
        ),
        IntentKind::SetTimer => (
            "Start a countdown timer, with an optional label.",
            Needs {
                permission: Some(SET_ALARM_PERMISSION),
                ..Needs::app("a clock app")
            },
        ),
        IntentKind::Dial => (
            "Open the dialer with a number filled in (it does not call).",
            Needs::app("a phone app"),
        ),
        IntentKind::ComposeSms => (
            "Open a text message draft to a number (it does not send).",
            Needs::app("a messaging app"),
        ),
        IntentKind::ComposeEmail => (
            "Open an e-mail draft to an address (it does not send).",
            Needs::app("an e-mail app"),
        ),
        IntentKind::OpenSettings => ("Open a page of the system settings.", Needs::NOTHING),
        IntentKind::WebSearch => ("Search the web.", Needs::app("a browser or search app")),
        IntentKind::MapSearch => ("Search a map for a place.", Needs::app("a maps app")),
        IntentKind::Navigate => (
            "Start turn-by-turn navigation to a destination.",
            Needs::app("a navigation app (Google Maps or compatible)"),
        ),
        IntentKind::ShareText => (
            "Open the share sheet with a text, to send it to an app or person.",
            Needs::NOTHING,
        ),
        IntentKind::InsertEvent => (
            "Open a calendar event draft with a title and a start time.",
            Needs::app("a calendar app"),
        ),
        IntentKind::ViewUrl => ("Open a web page.", Needs::app("a browser")),
        IntentKind::Flashlight => ("Turn the flashlight on or off.", Needs::NOTHING),
        IntentKind::RingerMode => (
            "Set the ringer to normal, vibrate or silent.",
            Needs::permission(NOTIFICATION_POLICY),
        ),
        IntentKind::MediaVolume => ("Set the media volume in percent.", Needs::NOTHING),
        IntentKind::DoNotDisturb => (
            "Turn Do Not Disturb on or off.",
            Needs::permission(NOTIFICATION_POLICY),
        ),
        IntentKind::ScreenBrightness => (
            "Set the screen brightness in percent.",
            Needs::permission("android.permission.WRITE_SETTINGS"),
        ),
        IntentKind::SettingsPanel => (
            "Open the internet, Wi-Fi, NFC or volume panel to flip a switch there.",
            Needs::api(29),
        ),
        IntentKind::MediaControl => (
            "Play, pause or skip the music or video that is playing.",
            Needs::NOTHING,
        ),
        IntentKind::TakePhoto => (
            "Open the camera to take a photo.",
            Needs::app("a camera app"),
        ),
        IntentKind::RecordVideo => (
            "Open the camera to record a video.",
            Needs::app("a camera app"),
        ),
        IntentKind::OpenLink => (
            "Open a deep link or an app's page (market:, geo:, https: …).",
            Needs::app("an app for the link"),
        ),
        IntentKind::ShowAlarms => ("Open the list of alarms.", Needs::app("a clock app")),
        IntentKind::NextAlarm => ("Read the time of the next alarm.", Needs::NOTHING),
        IntentKind::DismissAlarm => (
            "Switch off the alarm set for a time of day.",
            Needs {
                permission: Some(SET_ALARM_PERMISSION),
                ..Needs::app("a clock app")
            },
        ),
        IntentKind::CancelTimer => (
            "Stop the running timer.",
            Needs {
                permission: Some(SET_ALARM_PERMISSION),
                min_api: 28,
                ..Needs::app("a clock app")
            },
        ),
        IntentKind::FindContact => (
            "Look a contact up by name: their numbers and e-mail addresses.",
            Needs::permission("android.permission.READ_CONTACTS"),
        ),
        IntentKind::NextEvent => (
            "Read the next calendar events.",
            Needs::permission("android.permission.READ_CALENDAR"),
        ),
        IntentKind::BatteryStatus => (
            "Read the battery level and whether it charges.",
            Needs::NOTHING,
        ),
        IntentKind::NetworkStatus => (
            "Read which network the phone uses: Wi-Fi, mobile or none.",
            Needs::permission("android.permission.ACCESS_NETWORK_STATE"),
        ),
        IntentKind::CurrentTime => ("Read the date, time and time zone.", Needs::NOTHING),
        IntentKind::ReadClipboard => (
            "Read the text on the clipboard.",
            // Android 10+ lets only the focused app, the keyboard or a system app read it.
            Needs {
                privileged: true,
                ..Needs::NOTHING
            },
        ),
        IntentKind::CopyToClipboard => ("Put a text on the clipboard.", Needs::NOTHING),
        IntentKind::SendSms => (
            "Send a text message to a number at once.",
            Needs::permission("android.permission.SEND_SMS"),
        ),
        IntentKind::CallNumber => (
            "Call a number at once.",
            Needs {
                permission: Some("android.permission.CALL_PHONE"),
                ..Needs::app("a phone app")
            },
        ),
        IntentKind::OpenNotifications => ("Open the notification shade.", Needs::NOTHING),
        IntentKind::OpenQuickSettings => ("Open the quick settings.", Needs::NOTHING),
        IntentKind::LockScreen => ("Lock the screen.", Needs::api(28)),
        IntentKind::TakeScreenshot => ("Take a screenshot.", Needs::api(28)),
    };
    ToolInfo {
        kind,
        description,
        returns: returns(kind),
        needs,
    }
}

/// What `kind` gives back to the planner.
fn returns(kind: IntentKind) -> Returns {
    match kind {
        IntentKind::NextAlarm => Returns::Data("the next alarm's day and time, or none"),
        IntentKind::FindContact => {
            Returns::Data("the matching contacts with their numbers and e-mail addresses")
        }
        IntentKind::NextEvent => Returns::Data("the next events with their start times"),
        IntentKind::BatteryStatus => {
            Returns::Data("the battery level in percent and whether it charges")
        }
        IntentKind::NetworkStatus => Returns::Data("Wi-Fi (with its name), mobile, or offline"),
        IntentKind::CurrentTime => Returns::Data("the date, the time and the time zone"),
        IntentKind::ReadClipboard => Returns::Data("the clipboard's text, or that it is empty"),
        _ => Returns::Nothing,
    }
}

/// A set of catalog tools: those a phone can run now, those a grammar offers.
///
/// Why a set handed around and not a per-call check: a tool the phone cannot run (a permission
/// not granted, an API level too low, no privileged agent) must never reach the model's
/// choices, so the device reports the set once per task, before planning, and every grammar,
/// schema and prompt of that task is built from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ToolSet(u64);

impl ToolSet {
    /// Every tool of the catalog.
    pub const ALL: ToolSet = ToolSet((1 << IntentKind::ALL.len()) - 1);
    /// No tool.
    pub const NONE: ToolSet = ToolSet(0);
    /// The twelve standard intents (alarm to web page): activities any phone with the usual
    /// apps starts, with no permission beyond the alarm clock's normal one.
    pub const STANDARD_INTENTS: ToolSet = ToolSet((1 << 12) - 1);

    fn bit(kind: IntentKind) -> u64 {
        1 << (kind as u32)
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: IntentKind) -> bool {
        self.0 & ToolSet::bit(kind) != 0
    }

    /// The set with `kind` added.
    #[must_use]
    pub fn with(self, kind: IntentKind) -> ToolSet {
        ToolSet(self.0 | ToolSet::bit(kind))
    }

    /// The set with `kind` removed.
    #[must_use]
    pub fn without(self, kind: IntentKind) -> ToolSet {
        ToolSet(self.0 & !ToolSet::bit(kind))
    }

    /// The tools in both sets.
    #[must_use]
    pub fn intersect(self, other: ToolSet) -> ToolSet {
        ToolSet(self.0 & other.0)
    }

    /// The tools, in catalog order.
    pub fn iter(self) -> impl Iterator<Item = IntentKind> {
        IntentKind::ALL
            .into_iter()
            .filter(move |kind| self.contains(*kind))
    }

    /// How many tools the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Default for ToolSet {
    /// Every tool: what a context that says nothing of the phone admits.
    fn default() -> Self {
        ToolSet::ALL
    }
}

impl FromIterator<IntentKind> for ToolSet {
    fn from_iter<I: IntoIterator<Item = IntentKind>>(kinds: I) -> Self {
        kinds.into_iter().fold(ToolSet::NONE, ToolSet::with)
    }
}

impl std::fmt::Debug for ToolSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.iter().map(IntentKind::name))
            .finish()
    }
}

/// Every tool's description, in catalog order.
pub fn tool_catalog() -> Vec<ToolInfo> {
    IntentKind::ALL.into_iter().map(tool_info).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tool_set_holds_catalog_kinds_by_their_place() {
        for (index, kind) in IntentKind::ALL.into_iter().enumerate() {
            assert_eq!(
                kind as usize,
                index,
                "{}: ALL is in declaration order",
                kind.name()
            );
        }
        assert_eq!(ToolSet::ALL.len(), IntentKind::ALL.len());
        assert_eq!(ToolSet::ALL.iter().count(), IntentKind::ALL.len());
        let standard: Vec<IntentKind> = ToolSet::STANDARD_INTENTS.iter().collect();
        assert_eq!(standard, IntentKind::ALL[..12]);
        assert_eq!(standard.last(), Some(&IntentKind::ViewUrl));
        let set: ToolSet = [IntentKind::Flashlight, IntentKind::SetAlarm]
            .into_iter()
            .collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [IntentKind::SetAlarm, IntentKind::Flashlight]
        );
        assert!(set.contains(IntentKind::Flashlight));
        assert!(
            !set.without(IntentKind::Flashlight)
                .contains(IntentKind::Flashlight)
        );
        assert!(ToolSet::NONE.is_empty());
        assert_eq!(set.intersect(ToolSet::STANDARD_INTENTS).len(), 1);
        assert_eq!(format!("{set:?}"), r#"{"set_alarm", "flashlight"}"#);
    }

    #[test]
    fn every_tool_is_described_in_one_line_for_the_model() {
        let catalog = tool_catalog();
        assert_eq!(catalog.len(), IntentKind::ALL.len());
        for info in &catalog {
            let name = info.kind.name();
            assert!(!info.description.is_empty(), "{name}");
            assert!(!info.description.contains('\n'), "{name}");
            assert!(info.description.ends_with('.'), "{name}");
            assert!(info.needs.min_api >= MIN_API, "{name}");
        }
        assert!(catalog.len() >= 30);
        let privileged: Vec<&str> = catalog
            .iter()
            .filter(|info| info.needs.privileged)
            .map(|info| info.kind.name())
            .collect();
        assert_eq!(privileged, ["read_clipboard"]);
        let data: Vec<&str> = catalog
            .iter()
            .filter(|info| info.returns.what().is_some())
            .map(|info| info.kind.name())
            .collect();
        assert_eq!(
            data,
            [
                "next_alarm",
                "find_contact",
                "next_event",
                "battery_status",
                "network_status",
                "current_time",
                "read_clipboard"
            ]
        );
        assert_eq!(
            tool_info(IntentKind::SetAlarm).needs.permission,
            Some(SET_ALARM_PERMISSION)
        );
        assert_eq!(tool_info(IntentKind::Dial).needs.permission, None);
    }
}
