//! What the Kotlin side is asked to do, and what it answers.
//!
//! The agent resolves every element id to a node before it calls the device, so Kotlin gets a
//! node key (from the snapshot it sent), the window and the bounds for a gesture fallback, and
//! never has to understand the action language. Each core type converts with `From`.

use lobster_core::action::{Direction, Point};
use lobster_core::device::{self as core, GlobalAction as CoreGlobal};
use lobster_core::screen::Rect;

use crate::intent::IntentSpec;
use crate::tool_call::ToolCall;

/// One action for the phone, with its target resolved to a node.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum DeviceAction {
    /// Click the node (`ACTION_CLICK`; a tap gesture at its centre when the node refuses).
    Tap {
        /// The node.
        target: NodeTarget,
    },
    /// Long-click the node (`ACTION_LONG_CLICK`; a long-press gesture as fallback).
    LongPress {
        /// The node.
        target: NodeTarget,
    },
    /// Set the text of an editable node (`ACTION_SET_TEXT`).
    SetText {
        /// The editable node.
        target: NodeTarget,
        /// The text to enter (a secret already substituted).
        text: String,
        /// Replace the current text; when false, append `text` to it.
        clear: bool,
    },
    /// Press the keyboard's action key in an editable node (`ACTION_IME_ENTER`).
    PressEnter {
        /// The editable node.
        target: NodeTarget,
    },
    /// Scroll a node, or the screen when `target` is null.
    Scroll {
        /// The scrollable node.
        target: Option<NodeTarget>,
        /// Which content to reveal: `Down` shows what is below.
        direction: ScrollDirection,
    },
    /// A raw swipe gesture in screen pixels.
    Swipe {
        /// Where the finger goes down.
        from: ScreenPoint,
        /// Where it lifts.
        to: ScreenPoint,
        /// How long the stroke takes, in milliseconds.
        duration_ms: i32,
    },
    /// A system action (`performGlobalAction`).
    Global {
        /// Which one.
        action: GlobalAction,
    },
    /// Start a standard intent, if some app handles it.
    SendIntent {
        /// The intent, ready to build.
        intent: IntentSpec,
    },
    /// Run a catalog tool that is not an activity (a platform API or an accessibility global
    /// action); a tool that reads something answers `Returned`.
    RunTool {
        /// The tool and its arguments.
        call: ToolCall,
    },
    /// Call an action an app declared for the agent.
    CallAppAction {
        /// The declared name.
        name: String,
        /// Its arguments as a JSON object.
        args_json: String,
    },
}

/// The node an action targets.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NodeTarget {
    /// The node's key in the snapshot the Kotlin reader produced.
    pub node_key: String,
    /// The window holding it.
    pub window_id: i32,
    /// Where it was, for a gesture fallback.
    pub bounds: ScreenRect,
}

/// A rectangle in screen pixels; right and bottom are exclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct ScreenRect {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge (exclusive).
    pub right: i32,
    /// Bottom edge (exclusive).
    pub bottom: i32,
}

/// A point in screen pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ScreenPoint {
    /// Pixels from the left edge.
    pub x: i32,
    /// Pixels from the top edge.
    pub y: i32,
}

/// Which content a scroll reveals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ScrollDirection {
    /// The content above.
    Up,
    /// The content below.
    Down,
    /// The content to the left.
    Left,
    /// The content to the right.
    Right,
}

/// A global action of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum GlobalAction {
    /// `GLOBAL_ACTION_BACK`.
    Back,
    /// `GLOBAL_ACTION_HOME`.
    Home,
    /// `GLOBAL_ACTION_RECENTS`.
    Recents,
    /// `GLOBAL_ACTION_NOTIFICATIONS`.
    Notifications,
}

/// What became of an action on the phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ActionOutcome {
    /// It was carried out (whether it had the intended effect is checked on the next screen).
    Performed,
    /// The target node is gone from the screen; nothing was done.
    TargetGone,
    /// No app handles the intent, app action or label.
    NoHandler,
    /// A tool that reads something ran, and this is what it read, in a few words for the
    /// planner ("62 %, charging"). The library redacts it like screen text before any cloud
    /// prompt.
    Returned {
        /// What was read.
        data: String,
    },
    /// The phone refused the action.
    Rejected {
        /// Why, in words for the planner (no screen text needed).
        reason: String,
    },
}

impl From<&core::DeviceAction> for DeviceAction {
    fn from(action: &core::DeviceAction) -> Self {
        match action {
            core::DeviceAction::Tap(target) => DeviceAction::Tap {
                target: target.into(),
            },
            core::DeviceAction::LongPress(target) => DeviceAction::LongPress {
                target: target.into(),
            },
            core::DeviceAction::SetText {
                target,
                text,
                clear,
            } => DeviceAction::SetText {
                target: target.into(),
                text: text.clone(),
                clear: *clear,
            },
            core::DeviceAction::PressEnter(target) => DeviceAction::PressEnter {
                target: target.into(),
            },
            core::DeviceAction::Scroll { target, direction } => DeviceAction::Scroll {
                target: target.as_ref().map(NodeTarget::from),
                direction: (*direction).into(),
            },
            core::DeviceAction::Swipe {
                from,
                to,
                duration_ms,
            } => DeviceAction::Swipe {
                from: (*from).into(),
                to: (*to).into(),
                duration_ms: i32::try_from(*duration_ms).unwrap_or(i32::MAX),
            },
            core::DeviceAction::Global(action) => DeviceAction::Global {
                action: (*action).into(),
            },
            core::DeviceAction::SendIntent(intent) => match IntentSpec::for_intent(intent) {
                Some(spec) => DeviceAction::SendIntent { intent: spec },
                None => DeviceAction::RunTool {
                    call: intent.into(),
                },
            },
            core::DeviceAction::CallAppAction { name, args } => DeviceAction::CallAppAction {
                name: name.clone(),
                args_json: serde_json::Value::Object(args.clone()).to_string(),
            },
        }
    }
}

impl From<&core::Target> for NodeTarget {
    fn from(target: &core::Target) -> Self {
        NodeTarget {
            node_key: target.node_key.clone(),
            window_id: target.window_id,
            bounds: target.bounds.into(),
        }
    }
}

impl From<Rect> for ScreenRect {
    fn from(rect: Rect) -> Self {
        ScreenRect {
            left: rect.left,
            top: rect.top,
            right: rect.right,
            bottom: rect.bottom,
        }
    }
}

impl From<Point> for ScreenPoint {
    fn from(point: Point) -> Self {
        ScreenPoint {
            x: i32::try_from(point.x).unwrap_or(i32::MAX),
            y: i32::try_from(point.y).unwrap_or(i32::MAX),
        }
    }
}

impl From<Direction> for ScrollDirection {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::Up => ScrollDirection::Up,
            Direction::Down => ScrollDirection::Down,
            Direction::Left => ScrollDirection::Left,
            Direction::Right => ScrollDirection::Right,
        }
    }
}

impl From<CoreGlobal> for GlobalAction {
    fn from(action: CoreGlobal) -> Self {
        match action {
            CoreGlobal::Back => GlobalAction::Back,
            CoreGlobal::Home => GlobalAction::Home,
            CoreGlobal::Recents => GlobalAction::Recents,
            CoreGlobal::Notifications => GlobalAction::Notifications,
        }
    }
}

impl From<ActionOutcome> for core::Outcome {
    fn from(outcome: ActionOutcome) -> Self {
        match outcome {
            ActionOutcome::Performed => core::Outcome::Performed,
            ActionOutcome::TargetGone => core::Outcome::TargetGone,
            ActionOutcome::NoHandler => core::Outcome::NoHandler,
            ActionOutcome::Returned { data } => core::Outcome::Returned(data),
            ActionOutcome::Rejected { reason } => core::Outcome::Rejected(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use lobster_core::action::Intent;
    use serde_json::json;

    use super::*;

    fn target() -> core::Target {
        core::Target {
            node_key: "w0/0.3".into(),
            window_id: 7,
            bounds: Rect {
                left: 10,
                top: 20,
                right: 110,
                bottom: 80,
            },
        }
    }

    fn ffi_target() -> NodeTarget {
        NodeTarget {
            node_key: "w0/0.3".into(),
            window_id: 7,
            bounds: ScreenRect {
                left: 10,
                top: 20,
                right: 110,
                bottom: 80,
            },
        }
    }

    #[test]
    fn node_actions_keep_their_target() {
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::Tap(target())),
            DeviceAction::Tap {
                target: ffi_target()
            }
        );
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::LongPress(target())),
            DeviceAction::LongPress {
                target: ffi_target()
            }
        );
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::PressEnter(target())),
            DeviceAction::PressEnter {
                target: ffi_target()
            }
        );
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::SetText {
                target: target(),
                text: "hi".into(),
                clear: true
            }),
            DeviceAction::SetText {
                target: ffi_target(),
                text: "hi".into(),
                clear: true
            }
        );
    }

    #[test]
    fn scrolls_swipes_and_globals_convert() {
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::Scroll {
                target: None,
                direction: Direction::Down
            }),
            DeviceAction::Scroll {
                target: None,
                direction: ScrollDirection::Down
            }
        );
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::Scroll {
                target: Some(target()),
                direction: Direction::Left
            }),
            DeviceAction::Scroll {
                target: Some(ffi_target()),
                direction: ScrollDirection::Left
            }
        );
        for (core, ffi) in [
            (Direction::Up, ScrollDirection::Up),
            (Direction::Right, ScrollDirection::Right),
        ] {
            assert_eq!(ScrollDirection::from(core), ffi);
        }
        assert_eq!(
            DeviceAction::from(&core::DeviceAction::Swipe {
                from: Point { x: 1, y: 2 },
                to: Point { x: 3, y: u32::MAX },
                duration_ms: 300
            }),
            DeviceAction::Swipe {
                from: ScreenPoint { x: 1, y: 2 },
                to: ScreenPoint { x: 3, y: i32::MAX },
                duration_ms: 300
            }
        );
        for (core, ffi) in [
            (CoreGlobal::Back, GlobalAction::Back),
            (CoreGlobal::Home, GlobalAction::Home),
            (CoreGlobal::Recents, GlobalAction::Recents),
            (CoreGlobal::Notifications, GlobalAction::Notifications),
        ] {
            assert_eq!(
                DeviceAction::from(&core::DeviceAction::Global(core)),
                DeviceAction::Global { action: ffi }
            );
        }
    }

    #[test]
    fn intents_and_app_actions_convert() {
        let intent = Intent::Dial {
            number: "+1 555".into(),
        };
        let DeviceAction::SendIntent { intent: spec } =
            DeviceAction::from(&core::DeviceAction::SendIntent(intent))
        else {
            panic!("not an intent");
        };
        assert_eq!(spec.action, "android.intent.action.DIAL");
        let DeviceAction::RunTool { call } =
            DeviceAction::from(&core::DeviceAction::SendIntent(Intent::Flashlight {
                on: true,
            }))
        else {
            panic!("the flashlight is not an activity");
        };
        assert_eq!(call.name, "flashlight");
        assert_eq!(
            core::Outcome::from(ActionOutcome::Returned {
                data: "62 %, charging".into()
            }),
            core::Outcome::Returned("62 %, charging".into())
        );
        let args = json!({"to": "Mom", "text": "late"});
        let action = core::DeviceAction::CallAppAction {
            name: "send_message".into(),
            args: args.as_object().unwrap().clone(),
        };
        let DeviceAction::CallAppAction { name, args_json } = DeviceAction::from(&action) else {
            panic!("not an app action");
        };
        assert_eq!(name, "send_message");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&args_json).unwrap(),
            args
        );
    }

    #[test]
    fn outcomes_convert_back() {
        assert_eq!(
            core::Outcome::from(ActionOutcome::Performed),
            core::Outcome::Performed
        );
        assert_eq!(
            core::Outcome::from(ActionOutcome::TargetGone),
            core::Outcome::TargetGone
        );
        assert_eq!(
            core::Outcome::from(ActionOutcome::NoHandler),
            core::Outcome::NoHandler
        );
        assert_eq!(
            core::Outcome::from(ActionOutcome::Rejected {
                reason: "not editable".into()
            }),
            core::Outcome::Rejected("not editable".into())
        );
    }
}
