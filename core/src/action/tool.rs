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
    /// Nothing to read: the tool opens an app, a draft or a page, and the next screen shows
    /// what happened.
    Nothing,
}

impl Returns {
    /// A stable name (`nothing`), for listings and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Returns::Nothing => "nothing",
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
    };
    ToolInfo {
        kind,
        description,
        returns: Returns::Nothing,
        needs,
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
    fn every_tool_is_described_in_one_line_for_the_model() {
        let catalog = tool_catalog();
        assert_eq!(catalog.len(), IntentKind::ALL.len());
        for info in &catalog {
            let name = info.kind.name();
            assert!(!info.description.is_empty(), "{name}");
            assert!(!info.description.contains('\n'), "{name}");
            assert!(info.description.ends_with('.'), "{name}");
            assert!(info.needs.min_api >= MIN_API, "{name}");
            assert!(
                !info.needs.privileged,
                "{name}: no intent needs a system agent"
            );
        }
        assert_eq!(
            tool_info(IntentKind::SetAlarm).needs.permission,
            Some(SET_ALARM_PERMISSION)
        );
        assert_eq!(tool_info(IntentKind::Dial).needs.permission, None);
    }
}
