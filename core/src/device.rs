//! The phone as the agent sees it: observe a snapshot, perform a resolved action, launch an app.
//!
//! The planner names elements by the short ids of one encoded screen; a device knows nothing of
//! those. The agent resolves every id to a [`Target`] (node key, window, bounds) before it calls
//! the device, so the Kotlin performer, the simulator and any test double act on nodes, and can
//! say precisely when a node has vanished ([`Outcome::TargetGone`]) instead of tapping blindly.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::action::{ActionCatalog, AskPolicy, Direction, Intent, Point, SideEffect, ToolSet};
use crate::screen::{Rect, Snapshot};

/// A phone: the live accessibility service on Android, the simulator on a desktop.
pub trait Device: Send {
    /// Reads every interactive window of the screen.
    fn observe(&mut self) -> Result<Snapshot, DeviceError>;

    /// Carries out one resolved action.
    fn perform(&mut self, action: &DeviceAction) -> Result<Outcome, DeviceError>;

    /// Launches an app by the label the launcher shows.
    fn launch_app(&mut self, label: &str) -> Result<Outcome, DeviceError>;

    /// The apps installed on the device that a user can launch.
    fn installed_apps(&mut self) -> Result<Vec<AppInfo>, DeviceError>;

    /// Lets time pass for the screen to settle: returns when the device knows the screen is
    /// idle, or after `max`. The default sleeps for `max`; the Android service waits for
    /// accessibility events to go quiet, and the simulator advances its own clock.
    fn settle(&mut self, max: Duration) -> Result<(), DeviceError> {
        std::thread::sleep(max);
        Ok(())
    }

    /// The actions apps on this device declare for the agent (`call NAME {…}`).
    fn app_actions(&mut self) -> Result<Vec<AppActionInfo>, DeviceError> {
        Ok(Vec::new())
    }

    /// The catalog tools this phone can run now: the Android service leaves out those whose
    /// permission, API level or privilege it lacks. Asked once per task, before planning. The
    /// default offers the twelve standard intents, which need nothing an ordinary app lacks.
    fn available_tools(&mut self) -> Result<ToolSet, DeviceError> {
        Ok(ToolSet::STANDARD_INTENTS)
    }

    /// Whether the phone's state shows the effect of a direct route (a [`DeviceAction::SendIntent`]
    /// or [`DeviceAction::CallAppAction`]) the device reported as performed: an app can take an
    /// intent and drop it. The default cannot tell ([`RouteEffect::Unknown`]); the simulator
    /// always can, and a device that reads its alarms or settings may.
    fn route_effect(&mut self, _action: &DeviceAction) -> Result<RouteEffect, DeviceError> {
        Ok(RouteEffect::Unknown)
    }
}

/// What the phone's state says of a direct route's effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteEffect {
    /// The state shows it; the note says what was seen ("an alarm at 06:45").
    Shown(String),
    /// The state does not show it; the note says what is missing. The loop goes on through the
    /// UI.
    Missing(String),
    /// The device cannot tell.
    Unknown,
}

/// An installed app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppInfo {
    /// The label the launcher shows ("Messages").
    pub label: String,
    /// The package name ("com.example.messages").
    pub package: String,
}

/// An action an app declares for the agent to call directly.
#[derive(Debug, Clone, PartialEq)]
pub struct AppActionInfo {
    /// The name the planner writes after `call` (`notes.create_note`).
    pub name: String,
    /// The package that handles it.
    pub package: String,
    /// What it does, for the planner.
    pub description: String,
    /// Its arguments' JSON Schema; `None` when it was announced without a declaration (any
    /// object).
    pub parameters: Option<Value>,
    /// What a call does; an action announced without a declaration counts as reversible.
    pub side_effect: SideEffect,
    /// When a call asks the user (the guard asks more where the side effect or the name call
    /// for it).
    pub confirmation: AskPolicy,
}

impl AppActionInfo {
    /// An action announced by name and description only: arguments unchecked, reversible,
    /// asking only where the guard's cues say so.
    pub fn undeclared(name: &str, package: &str, description: &str) -> AppActionInfo {
        AppActionInfo {
            name: name.to_owned(),
            package: package.to_owned(),
            description: description.to_owned(),
            parameters: None,
            side_effect: SideEffect::Reversible,
            confirmation: AskPolicy::Never,
        }
    }

    /// The actions `catalog` declares, named `app.id`.
    pub fn declared(catalog: &ActionCatalog) -> Vec<AppActionInfo> {
        catalog
            .actions
            .iter()
            .map(|action| AppActionInfo {
                name: catalog.call_name(action),
                package: catalog.package.clone(),
                description: action.description.clone(),
                parameters: Some(action.parameters.clone()),
                side_effect: action.side_effect,
                confirmation: action.confirmation,
            })
            .collect()
    }
}

/// The node an action targets, resolved from an element id of the screen the planner saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The node's key in that snapshot.
    pub node_key: String,
    /// The window holding it.
    pub window_id: i32,
    /// Where it was, for gesture fallbacks.
    pub bounds: Rect,
}

/// A global action of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalAction {
    /// The Back button.
    Back,
    /// The Home button.
    Home,
    /// The recent-apps overview.
    Recents,
    /// The notification shade.
    Notifications,
}

/// One action for the device, with element ids resolved to nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceAction {
    /// Click a node (ACTION_CLICK, else a tap gesture at its centre).
    Tap(Target),
    /// Long-click a node.
    LongPress(Target),
    /// Set the text of an editable node; without `clear`, `text` is appended to what is there.
    SetText {
        /// The editable node.
        target: Target,
        /// The text to enter.
        text: String,
        /// Replace the current text instead of appending to it.
        clear: bool,
    },
    /// Press the keyboard's action key (search, send, go) in an editable node.
    PressEnter(Target),
    /// Scroll a node, or the screen when `target` is `None`.
    Scroll {
        /// The scrollable node.
        target: Option<Target>,
        /// Toward which content (`Down` reveals what is below).
        direction: Direction,
    },
    /// A raw gesture in screen pixels.
    Swipe {
        /// Where the finger goes down.
        from: Point,
        /// Where it lifts.
        to: Point,
        /// How long it takes.
        duration_ms: u32,
    },
    /// A system action.
    Global(GlobalAction),
    /// A standard Android intent.
    SendIntent(Intent),
    /// An app-declared action.
    CallAppAction {
        /// The declared name.
        name: String,
        /// Its JSON arguments.
        args: Map<String, Value>,
    },
}

/// What became of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The device carried it out (whether it had the intended effect is for verification).
    Performed,
    /// The device carried out a tool that reads something, and this is what it read, in a few
    /// words for the planner ("62 %, charging"). It is the user's data: it reaches a cloud
    /// prompt only through the redactor, like screen text.
    Returned(String),
    /// The target node is no longer on screen; nothing was done.
    TargetGone,
    /// No app handles the intent, app action or label.
    NoHandler,
    /// The device refused the action (e.g. the node does not accept it).
    Rejected(String),
}

impl Outcome {
    /// Whether the device carried the action out ([`Outcome::Performed`] or
    /// [`Outcome::Returned`]).
    pub fn performed(&self) -> bool {
        matches!(self, Outcome::Performed | Outcome::Returned(_))
    }

    /// What a tool gave back, if it read something.
    pub fn returned(&self) -> Option<&str> {
        match self {
            Outcome::Returned(data) => Some(data),
            _ => None,
        }
    }
}

/// A device failure: the device cannot be used for the moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// The connection to the device (the service, the bridge) is gone.
    #[error("device unavailable: {0}")]
    Unavailable(String),
    /// The device failed in a way it described.
    #[error("device failure: {0}")]
    Failed(String),
}
