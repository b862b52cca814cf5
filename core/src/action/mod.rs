//! The action language: the one short line the planner writes per step (`tap 12`,
//! `type 7 "hello" enter`, `scroll 3 down`, `open "WeChat"`, `done "It is 21°C"`).
//!
//! Why a tiny language instead of JSON or free text: the on-device model is small (0.5B–3B) and
//! every generated token costs time, so the answer must be short, and it must never be
//! unparseable or name something that is not there. Each step therefore gets a GBNF grammar
//! ([`grammar_for_screen`]) that admits only the ids present on the current screen, with the
//! actions each element accepts; the parser ([`parse_action`]) turns the line back into an
//! [`Action`], and [`validate`] applies the same rules to lines from planners that decode without
//! the grammar (a cloud model). [`to_json_actions`] / [`from_json_action`] map the language to
//! AndroidWorld's `json_action` for benchmarks and datasets.
//!
//! One concept per file: [`Action`] here, the text syntax in `syntax`, the intent catalog in
//! `intent`, screen validation in `validate`, the grammar generator in `grammar`, its
//! llguidance dialect in `lark` and the
//! AndroidWorld mapping in `json_action`.

mod choice;
mod declaration;
mod grammar;
mod intent;
mod json_action;
mod lark;
mod syntax;
mod tool;
mod validate;

#[cfg(test)]
pub(crate) mod gbnf_check;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::screen::ElementId;

pub use choice::{Choice, MediaCommand, RingerMode, SettingsPanel, Worded};
pub use declaration::{
    ActionCatalog, ActionDeclaration, ActionExample, AskPolicy, DeclarationError,
    MAX_ACTION_DESCRIPTION_CHARS, SideEffect, check_arguments, read_declarations,
};
pub use grammar::{
    GRAMMAR_MAX_WAIT_SECONDS, GrammarContext, MAX_ANSWER_CHARS, MAX_APP_NAME_CHARS,
    MAX_QUESTION_CHARS, MAX_REASON_CHARS, MAX_TYPED_CHARS, grammar_for_screen,
};
pub use intent::{
    Intent, IntentArg, IntentArgError, IntentKind, LocalDateTime, Param, ParamKind, SettingsPage,
};
pub use json_action::{
    GoalStatus, JsonAction, JsonActionError, JsonActionType, from_json_action, from_json_actions,
    to_json_actions,
};
pub use lark::{gbnf_to_lark, with_call_arguments};
pub use syntax::{
    MAX_COORDINATE, MAX_SWIPE_MS, MAX_WAIT_SECONDS, ParseError, ParseErrorKind, parse_action,
};
pub use tool::{MIN_API, Needs, Returns, ToolInfo, ToolSet, tool_catalog, tool_info};
pub use validate::{ActionError, LineError, parse_for_screen, validate};

/// One step of the agent, as the planner wrote it.
///
/// Elements are named by the [`ElementId`] the encoder printed for this screen; everything else
/// is screen-independent. The text form of each variant is given in its doc (see `syntax` for the
/// exact rules); `Display` prints it and [`parse_action`] reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Tap an element: `tap 12`.
    Tap {
        /// The element to tap.
        id: ElementId,
    },
    /// Long-press an element: `long_press 12`.
    LongPress {
        /// The element to long-press.
        id: ElementId,
    },
    /// Type text into an editable element: `type 7 "hello"`, `type 7 "hello" clear enter`.
    Type {
        /// The editable element.
        id: ElementId,
        /// The text to type (may be empty, e.g. with `clear` to empty a field).
        text: String,
        /// Clear the field's current text first (`clear`).
        clear: bool,
        /// Press Enter (IME action: search, send, go) after typing (`enter`).
        enter: bool,
    },
    /// Scroll an element or the whole screen: `scroll 3 down`, `scroll down`.
    Scroll {
        /// The element to scroll, or `None` for the whole screen.
        target: Option<ElementId>,
        /// Where to move in the content (see [`Direction`]).
        direction: Direction,
    },
    /// A raw gesture between two screen points in pixels: `swipe 540 1600 540 400`, optionally
    /// with its duration in milliseconds: `swipe 540 1600 540 400 300`.
    Swipe {
        /// Where the finger goes down.
        from: Point,
        /// Where the finger lifts.
        to: Point,
        /// How long the gesture takes; `None` lets the performer choose.
        duration_ms: Option<u32>,
    },
    /// The system Back button: `back`.
    Back,
    /// The system Home button: `home`.
    Home,
    /// The recent-apps overview: `recents`.
    Recents,
    /// Pull down the notification shade: `notifications`.
    Notifications,
    /// Launch an app by its label: `open "WeChat"`.
    OpenApp {
        /// The app's label as the launcher shows it.
        name: String,
    },
    /// Wait for the screen to settle: `wait 2`.
    Wait {
        /// Seconds to wait.
        seconds: u32,
    },
    /// Ask the user a question and wait for the answer: `ask "Which Mom?"`.
    Ask {
        /// The question shown to the user.
        question: String,
    },
    /// Hand the phone to the user for what the agent must not do itself (a login, a captcha, a
    /// payment PIN) and wait until they hand it back: `takeover "Sign in to your bank"`.
    Takeover {
        /// What the user is asked to do, shown to them.
        reason: String,
    },
    /// The task is complete: `done`, or with an answer for the user: `done "It is 21°C"`.
    Done {
        /// The answer to an information request; empty when the task asked for none.
        answer: String,
    },
    /// The task cannot be done: `fail "No Wi-Fi settings found"`.
    Fail {
        /// Why, for the user.
        reason: String,
    },
    /// Call an action the host app declared for this task:
    /// `call send_message {"to":"Mom","text":"hi"}`.
    CallAppAction {
        /// The declared name (`[a-z][a-z0-9_.]*`).
        name: String,
        /// The arguments, a JSON object (the type makes any other JSON value unrepresentable).
        args: serde_json::Map<String, serde_json::Value>,
    },
    /// Fire a standard Android intent from the catalog:
    /// `intent set_alarm hour=7 minute=30 label="Gym"`.
    Intent(Intent),
}

impl Action {
    /// The verb that starts this action's text form (`tap`, `long_press`, `intent`, …).
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Tap { .. } => "tap",
            Action::LongPress { .. } => "long_press",
            Action::Type { .. } => "type",
            Action::Scroll { .. } => "scroll",
            Action::Swipe { .. } => "swipe",
            Action::Back => "back",
            Action::Home => "home",
            Action::Recents => "recents",
            Action::Notifications => "notifications",
            Action::OpenApp { .. } => "open",
            Action::Wait { .. } => "wait",
            Action::Ask { .. } => "ask",
            Action::Takeover { .. } => "takeover",
            Action::Done { .. } => "done",
            Action::Fail { .. } => "fail",
            Action::CallAppAction { .. } => "call",
            Action::Intent(_) => "intent",
        }
    }
}

/// A scroll direction: the direction the viewport moves through the content, as in "scroll down
/// the page". `scroll down` reveals the content below (the finger moves up); `scroll right`
/// reveals the content to the right (the finger moves left). This matches AndroidWorld's
/// `scroll` action and accessibility's `SCROLL_FORWARD` for `Down`/`Right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Reveal the content above.
    Up,
    /// Reveal the content below.
    Down,
    /// Reveal the content to the left.
    Left,
    /// Reveal the content to the right.
    Right,
}

impl Direction {
    /// All four, in the order the grammar lists them.
    pub const ALL: [Direction; 4] = [
        Direction::Up,
        Direction::Down,
        Direction::Left,
        Direction::Right,
    ];

    /// The word in the text syntax (`up`, `down`, `left`, `right`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Left => "left",
            Direction::Right => "right",
        }
    }

    /// The direction named by `word`, if it is one of the four words.
    pub fn from_word(word: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == word)
    }

    /// Whether this is `Up` or `Down` (for [`ScrollAxes::allows`](crate::screen::ScrollAxes::allows)).
    pub fn is_vertical(self) -> bool {
        matches!(self, Direction::Up | Direction::Down)
    }

    /// The reverse direction (a finger swipe up scrolls down).
    pub fn opposite(self) -> Direction {
        match self {
            Direction::Up => Direction::Down,
            Direction::Down => Direction::Up,
            Direction::Left => Direction::Right,
            Direction::Right => Direction::Left,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A point on the screen in pixels, origin at the top left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Point {
    /// Pixels from the left edge.
    pub x: u32,
    /// Pixels from the top edge.
    pub y: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_words_round_trip() {
        for direction in Direction::ALL {
            assert_eq!(Direction::from_word(direction.as_str()), Some(direction));
            assert_eq!(direction.opposite().opposite(), direction);
            assert_eq!(direction.opposite().is_vertical(), direction.is_vertical());
        }
        assert_eq!(Direction::from_word("sideways"), None);
    }

    #[test]
    fn direction_serializes_as_androidworld_words() {
        assert_eq!(
            serde_json::to_value(Direction::Down).ok(),
            Some(serde_json::json!("down"))
        );
    }
}
