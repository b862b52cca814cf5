//! Conversion to and from AndroidWorld's `json_action` (`android_world/env/json_action.py`), the
//! action format of the AndroidWorld benchmark and of agents and datasets built on it.
//!
//! Why: to run Lobster's planners in AndroidWorld, and to replay or learn from traces written in
//! its format, without making it our own language (its JSON costs the model several times the
//! tokens of `tap 12`). Our element id is its `index`. The mapping is exact where both sides
//! have the same action, and says where it is not:
//!
//! - `type … enter` becomes `input_text` then `keyboard_enter`; `done "…"` becomes `answer` then
//!   `status complete`. [`from_json_actions`] merges both pairs back. (AndroidWorld's own
//!   executor already presses Enter after `input_text`; the explicit `keyboard_enter` keeps the
//!   intent visible to agents and datasets that do not.)
//! - `wait N` becomes `wait` (AndroidWorld waits one second), read back as `wait 1`.
//! - `swipe` becomes AndroidWorld's full-screen `swipe` in the finger's main direction;
//!   AndroidWorld's `swipe DIR` is read back as a whole-screen scroll the opposite way (a finger
//!   swipe up scrolls down), which is what its executor does.
//! - `fail "reason"` becomes `status infeasible`; the reason has no field and is dropped.
//! - `ask`, `recents`, `notifications`, `call` and `intent` have no equivalent: an error.
//! - AndroidWorld's `double_tap`, clicks by coordinates, a lone `keyboard_enter` and `unknown`
//!   have no Lobster equivalent: an error.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::{Action, Direction};

/// The `action_type` values of AndroidWorld's `JSONAction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonActionType {
    /// `click`: tap an element (`index`) or a point (`x`, `y`).
    Click,
    /// `double_tap`.
    DoubleTap,
    /// `long_press`.
    LongPress,
    /// `input_text`: tap the element, type `text`.
    InputText,
    /// `keyboard_enter`: press Enter.
    KeyboardEnter,
    /// `scroll`: scroll an element or the screen toward `direction`.
    Scroll,
    /// `swipe`: a full-screen finger swipe toward `direction`.
    Swipe,
    /// `navigate_home`.
    NavigateHome,
    /// `navigate_back`.
    NavigateBack,
    /// `open_app`: launch `app_name`.
    OpenApp,
    /// `wait`: one second.
    Wait,
    /// `status`: the episode ends with `goal_status`.
    Status,
    /// `answer`: report `text` to the user.
    Answer,
    /// `unknown`: the agent's output could not be understood.
    Unknown,
}

impl JsonActionType {
    /// Every type, in AndroidWorld's order.
    pub const ALL: [JsonActionType; 14] = [
        JsonActionType::Click,
        JsonActionType::DoubleTap,
        JsonActionType::Scroll,
        JsonActionType::Swipe,
        JsonActionType::InputText,
        JsonActionType::NavigateHome,
        JsonActionType::NavigateBack,
        JsonActionType::KeyboardEnter,
        JsonActionType::OpenApp,
        JsonActionType::Status,
        JsonActionType::Wait,
        JsonActionType::LongPress,
        JsonActionType::Answer,
        JsonActionType::Unknown,
    ];

    /// The `action_type` string (`click`).
    pub fn as_str(self) -> &'static str {
        match self {
            JsonActionType::Click => "click",
            JsonActionType::DoubleTap => "double_tap",
            JsonActionType::LongPress => "long_press",
            JsonActionType::InputText => "input_text",
            JsonActionType::KeyboardEnter => "keyboard_enter",
            JsonActionType::Scroll => "scroll",
            JsonActionType::Swipe => "swipe",
            JsonActionType::NavigateHome => "navigate_home",
            JsonActionType::NavigateBack => "navigate_back",
            JsonActionType::OpenApp => "open_app",
            JsonActionType::Wait => "wait",
            JsonActionType::Status => "status",
            JsonActionType::Answer => "answer",
            JsonActionType::Unknown => "unknown",
        }
    }

    /// The type called `name`, if any.
    pub fn from_name(name: &str) -> Option<JsonActionType> {
        JsonActionType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// The `goal_status` of a `status` action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalStatus {
    /// The task is done.
    Complete,
    /// The task cannot be done.
    Infeasible,
}

/// AndroidWorld's `JSONAction`: one flat object whose fields depend on `action_type`. Absent
/// fields are omitted when serialized; `index` is read from a number or a numeric string, as
/// AndroidWorld accepts both. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonAction {
    /// What to do.
    pub action_type: JsonActionType,
    /// The element (our [`ElementId`](crate::screen::ElementId)).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "index_from_number_or_string"
    )]
    pub index: Option<u32>,
    /// Screen x in pixels, for actions by coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<i32>,
    /// Screen y in pixels, for actions by coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<i32>,
    /// Text to type (`input_text`) or the answer (`answer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Direction of `scroll` (content) or `swipe` (finger).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Outcome of `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_status: Option<GoalStatus>,
    /// App to launch (`open_app`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    /// An Android key code (`KEYCODE_…`); not used by Lobster, kept for fidelity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keycode: Option<String>,
    /// Clear the field before typing (`input_text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_text: Option<bool>,
}

/// Why an action cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonActionError {
    /// The Lobster action has no AndroidWorld counterpart.
    #[error("{action} has no AndroidWorld json_action equivalent")]
    NoEquivalent {
        /// The action, described.
        action: String,
    },
    /// The AndroidWorld action has no Lobster counterpart.
    #[error("{action_type} {reason}")]
    Unsupported {
        /// The `action_type`.
        action_type: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// `action_type` is not one of AndroidWorld's.
    #[error("unknown action_type {0:?}")]
    UnknownActionType(String),
    /// A field the action type needs is absent.
    #[error("{action_type} needs the field {field:?}")]
    MissingField {
        /// The `action_type`.
        action_type: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// The JSON is not a `JSONAction` object (wrong field types, not an object).
    #[error("not a json_action: {message}")]
    Malformed {
        /// What serde_json reported.
        message: String,
    },
}

impl JsonAction {
    /// An action of `action_type` with every other field absent.
    pub fn new(action_type: JsonActionType) -> JsonAction {
        JsonAction {
            action_type,
            index: None,
            x: None,
            y: None,
            text: None,
            direction: None,
            goal_status: None,
            app_name: None,
            keycode: None,
            clear_text: None,
        }
    }

    /// The Lobster action this one stands for, alone (see [`from_json_actions`] for the pairs
    /// `input_text`+`keyboard_enter` and `answer`+`status`).
    pub fn to_action(&self) -> Result<Action, JsonActionError> {
        let action_type = self.action_type.as_str();
        let missing = |field| JsonActionError::MissingField { action_type, field };
        let unsupported = |reason| JsonActionError::Unsupported {
            action_type,
            reason,
        };
        let element = || match (self.index, self.x, self.y) {
            (Some(id), _, _) => Ok(id),
            (None, Some(_), Some(_)) => Err(unsupported(
                "by coordinates has no Lobster equivalent (elements are named by id)",
            )),
            (None, _, _) => Err(missing("index")),
        };
        match self.action_type {
            JsonActionType::Click => Ok(Action::Tap { id: element()? }),
            JsonActionType::LongPress => Ok(Action::LongPress { id: element()? }),
            JsonActionType::InputText => Ok(Action::Type {
                id: element()?,
                text: self.text.clone().ok_or_else(|| missing("text"))?,
                clear: self.clear_text.unwrap_or(false),
                enter: false,
            }),
            JsonActionType::Scroll => Ok(Action::Scroll {
                target: self.index,
                direction: self.direction.ok_or_else(|| missing("direction"))?,
            }),
            JsonActionType::Swipe => Ok(Action::Scroll {
                target: None,
                direction: self
                    .direction
                    .ok_or_else(|| missing("direction"))?
                    .opposite(),
            }),
            JsonActionType::NavigateHome => Ok(Action::Home),
            JsonActionType::NavigateBack => Ok(Action::Back),
            JsonActionType::OpenApp => match &self.app_name {
                Some(name) if !name.is_empty() => Ok(Action::OpenApp { name: name.clone() }),
                _ => Err(missing("app_name")),
            },
            JsonActionType::Wait => Ok(Action::Wait { seconds: 1 }),
            JsonActionType::Status => {
                match self.goal_status.ok_or_else(|| missing("goal_status"))? {
                    GoalStatus::Complete => Ok(Action::Done {
                        answer: String::new(),
                    }),
                    GoalStatus::Infeasible => Ok(Action::Fail {
                        reason: String::new(),
                    }),
                }
            }
            JsonActionType::Answer => Ok(Action::Done {
                answer: self.text.clone().ok_or_else(|| missing("text"))?,
            }),
            JsonActionType::DoubleTap => Err(unsupported("has no Lobster equivalent")),
            JsonActionType::KeyboardEnter => Err(unsupported(
                "maps to Lobster only right after input_text (type … enter)",
            )),
            JsonActionType::Unknown => Err(unsupported("is not an action")),
        }
    }
}

fn index_from_number_or_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Index {
        Number(u32),
        Text(String),
    }
    match Option::<Index>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Index::Number(index)) => Ok(Some(index)),
        Some(Index::Text(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("index {text:?} is not a number"))),
    }
}

/// The AndroidWorld actions that perform `action` (one, or two for `type … enter` and
/// `done "answer"`), or why there are none.
pub fn to_json_actions(action: &Action) -> Result<Vec<JsonAction>, JsonActionError> {
    let with = |action_type, fill: &dyn Fn(&mut JsonAction)| {
        let mut json = JsonAction::new(action_type);
        fill(&mut json);
        json
    };
    let status = |goal| with(JsonActionType::Status, &|j| j.goal_status = Some(goal));
    let none = |action: &str| {
        Err(JsonActionError::NoEquivalent {
            action: action.into(),
        })
    };
    Ok(match action {
        Action::Tap { id } => vec![with(JsonActionType::Click, &|j| j.index = Some(*id))],
        Action::LongPress { id } => vec![with(JsonActionType::LongPress, &|j| j.index = Some(*id))],
        Action::Type {
            id,
            text,
            clear,
            enter,
        } => {
            let mut actions = vec![with(JsonActionType::InputText, &|j| {
                j.index = Some(*id);
                j.text = Some(text.clone());
                j.clear_text = Some(*clear);
            })];
            if *enter {
                actions.push(JsonAction::new(JsonActionType::KeyboardEnter));
            }
            actions
        }
        Action::Scroll { target, direction } => vec![with(JsonActionType::Scroll, &|j| {
            j.index = *target;
            j.direction = Some(*direction);
        })],
        Action::Swipe { from, to, .. } => {
            let (dx, dy) = (
                i64::from(to.x) - i64::from(from.x),
                i64::from(to.y) - i64::from(from.y),
            );
            let finger = match (dx.abs() > dy.abs(), dx > 0, dy > 0) {
                _ if dx == 0 && dy == 0 => return none("a zero-length swipe"),
                (true, true, _) => Direction::Right,
                (true, false, _) => Direction::Left,
                (false, _, true) => Direction::Down,
                (false, _, false) => Direction::Up,
            };
            vec![with(JsonActionType::Swipe, &|j| j.direction = Some(finger))]
        }
        Action::Back => vec![JsonAction::new(JsonActionType::NavigateBack)],
        Action::Home => vec![JsonAction::new(JsonActionType::NavigateHome)],
        Action::OpenApp { name } => {
            vec![with(JsonActionType::OpenApp, &|j| {
                j.app_name = Some(name.clone())
            })]
        }
        Action::Wait { .. } => vec![JsonAction::new(JsonActionType::Wait)],
        Action::Done { answer } if answer.is_empty() => vec![status(GoalStatus::Complete)],
        Action::Done { answer } => vec![
            with(JsonActionType::Answer, &|j| j.text = Some(answer.clone())),
            status(GoalStatus::Complete),
        ],
        Action::Fail { .. } => vec![status(GoalStatus::Infeasible)],
        Action::Recents
        | Action::Notifications
        | Action::Ask { .. }
        | Action::Takeover { .. }
        | Action::CallAppAction { .. }
        | Action::Intent(_) => return none(action.verb()),
    })
}

/// Reads one AndroidWorld action as a Lobster action.
pub fn from_json_action(value: &Value) -> Result<Action, JsonActionError> {
    parse_json_action(value)?.to_action()
}

/// Reads a sequence of AndroidWorld actions, merging `input_text` + `keyboard_enter` into
/// `type … enter` and `answer` + `status complete` into `done "answer"`: the inverse of
/// [`to_json_actions`] applied to each action of a trace.
pub fn from_json_actions(values: &[Value]) -> Result<Vec<Action>, JsonActionError> {
    let parsed = values
        .iter()
        .map(parse_json_action)
        .collect::<Result<Vec<_>, _>>()?;
    let mut actions = Vec::with_capacity(parsed.len());
    let mut rest = parsed.as_slice();
    while let Some((first, after)) = rest.split_first() {
        let second = after.first();
        let merged = match (first.action_type, second) {
            (JsonActionType::InputText, Some(next))
                if next.action_type == JsonActionType::KeyboardEnter =>
            {
                match first.to_action()? {
                    Action::Type {
                        id, text, clear, ..
                    } => Some(Action::Type {
                        id,
                        text,
                        clear,
                        enter: true,
                    }),
                    other => Some(other),
                }
            }
            (JsonActionType::Answer, Some(next))
                if next.action_type == JsonActionType::Status
                    && next.goal_status == Some(GoalStatus::Complete) =>
            {
                Some(first.to_action()?)
            }
            _ => None,
        };
        match merged {
            Some(action) => {
                actions.push(action);
                rest = after.get(1..).unwrap_or(&[]);
            }
            None => {
                actions.push(first.to_action()?);
                rest = after;
            }
        }
    }
    Ok(actions)
}

fn parse_json_action(value: &Value) -> Result<JsonAction, JsonActionError> {
    let Some(object) = value.as_object() else {
        return Err(JsonActionError::Malformed {
            message: "expected a JSON object".into(),
        });
    };
    let name = match object.get("action_type") {
        Some(Value::String(name)) => name,
        _ => {
            return Err(JsonActionError::MissingField {
                action_type: "json_action",
                field: "action_type",
            });
        }
    };
    if JsonActionType::from_name(name).is_none() {
        return Err(JsonActionError::UnknownActionType(name.clone()));
    }
    serde_json::from_value(value.clone()).map_err(|error| JsonActionError::Malformed {
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::action::{Point, parse_action};

    fn to_values(action: &Action) -> Vec<Value> {
        to_json_actions(action)
            .unwrap()
            .iter()
            .map(|json| serde_json::to_value(json).unwrap())
            .collect()
    }

    fn line(text: &str) -> Action {
        parse_action(text).unwrap()
    }

    #[test]
    fn actions_map_to_androidworld_json() {
        let cases = [
            ("tap 12", vec![json!({"action_type": "click", "index": 12})]),
            (
                "long_press 3",
                vec![json!({"action_type": "long_press", "index": 3})],
            ),
            (
                "type 7 \"hello\" clear enter",
                vec![
                    json!({"action_type": "input_text", "index": 7, "text": "hello", "clear_text": true}),
                    json!({"action_type": "keyboard_enter"}),
                ],
            ),
            (
                "type 7 \"hi\"",
                vec![
                    json!({"action_type": "input_text", "index": 7, "text": "hi", "clear_text": false}),
                ],
            ),
            (
                "scroll 3 down",
                vec![json!({"action_type": "scroll", "index": 3, "direction": "down"})],
            ),
            (
                "scroll left",
                vec![json!({"action_type": "scroll", "direction": "left"})],
            ),
            (
                "swipe 540 1600 540 400",
                vec![json!({"action_type": "swipe", "direction": "up"})],
            ),
            (
                "swipe 100 500 900 450 200",
                vec![json!({"action_type": "swipe", "direction": "right"})],
            ),
            ("back", vec![json!({"action_type": "navigate_back"})]),
            ("home", vec![json!({"action_type": "navigate_home"})]),
            (
                "open \"微信\"",
                vec![json!({"action_type": "open_app", "app_name": "微信"})],
            ),
            ("wait 3", vec![json!({"action_type": "wait"})]),
            (
                "done",
                vec![json!({"action_type": "status", "goal_status": "complete"})],
            ),
            (
                "done \"21°C\"",
                vec![
                    json!({"action_type": "answer", "text": "21°C"}),
                    json!({"action_type": "status", "goal_status": "complete"}),
                ],
            ),
            (
                "fail \"no\"",
                vec![json!({"action_type": "status", "goal_status": "infeasible"})],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(to_values(&line(text)), expected, "{text}");
        }
    }

    #[test]
    fn actions_without_an_equivalent_are_errors() {
        for text in [
            "recents",
            "notifications",
            "ask \"?\"",
            "call send {}",
            "intent dial number=\"1\"",
            "swipe 5 5 5 5",
        ] {
            let error = to_json_actions(&line(text)).unwrap_err();
            assert!(
                matches!(error, JsonActionError::NoEquivalent { .. }),
                "{text}: {error}"
            );
            assert!(
                error
                    .to_string()
                    .ends_with("has no AndroidWorld json_action equivalent")
            );
        }
    }

    #[test]
    fn sequences_round_trip() {
        for text in [
            "tap 12",
            "long_press 0",
            "type 7 \"hello\" clear enter",
            "type 7 \"\" clear",
            "type 7 \"x\" enter",
            "scroll 3 down",
            "scroll up",
            "back",
            "home",
            "open \"Google Maps\"",
            "wait 1",
            "done",
            "done \"It is 21°C\"",
        ] {
            let action = line(text);
            assert_eq!(
                from_json_actions(&to_values(&action)),
                Ok(vec![action]),
                "{text}"
            );
        }
        // Lossy: AndroidWorld has no seconds, no reason, no swipe coordinates.
        assert_eq!(
            from_json_actions(&to_values(&line("wait 5"))),
            Ok(vec![line("wait 1")])
        );
        assert_eq!(
            from_json_actions(&to_values(&line("fail \"x\""))),
            Ok(vec![line("fail \"\"")])
        );
        assert_eq!(
            from_json_actions(&to_values(&Action::Swipe {
                from: Point { x: 540, y: 1600 },
                to: Point { x: 540, y: 400 },
                duration_ms: None,
            })),
            Ok(vec![line("scroll down")])
        );
        // A whole trace at once.
        let trace: Vec<Value> = ["type 1 \"a\" enter", "tap 2", "done \"b\""]
            .iter()
            .flat_map(|text| to_values(&line(text)))
            .collect();
        assert_eq!(
            from_json_actions(&trace),
            Ok(vec![
                line("type 1 \"a\" enter"),
                line("tap 2"),
                line("done \"b\"")
            ])
        );
    }

    #[test]
    fn androidworld_json_reads_leniently_where_androidworld_does() {
        assert_eq!(
            from_json_action(&json!({"action_type": "click", "index": "12"})),
            Ok(Action::Tap { id: 12 })
        );
        assert_eq!(
            from_json_action(&json!({"action_type": "click", "index": 4, "reason": "extra"})),
            Ok(Action::Tap { id: 4 })
        );
        assert_eq!(
            from_json_action(&json!({"action_type": "swipe", "direction": "left"})),
            Ok(line("scroll right"))
        );
        assert_eq!(
            from_json_action(&json!({"action_type": "answer", "text": "42"})),
            Ok(line("done \"42\""))
        );
        assert_eq!(
            from_json_action(&json!({"action_type": "input_text", "index": 2, "text": "x"})),
            Ok(line("type 2 \"x\""))
        );
    }

    #[test]
    fn androidworld_json_errors() {
        let error = |value: Value| from_json_action(&value).unwrap_err();
        assert_eq!(
            error(json!({"action_type": "teleport"})),
            JsonActionError::UnknownActionType("teleport".into())
        );
        assert_eq!(
            error(json!({"index": 1})),
            JsonActionError::MissingField {
                action_type: "json_action",
                field: "action_type"
            }
        );
        assert_eq!(
            error(json!({"action_type": "click"})),
            JsonActionError::MissingField {
                action_type: "click",
                field: "index"
            }
        );
        assert!(matches!(
            error(json!({"action_type": "click", "x": 5, "y": 6})),
            JsonActionError::Unsupported {
                action_type: "click",
                ..
            }
        ));
        assert!(matches!(
            error(json!({"action_type": "double_tap", "index": 1})),
            JsonActionError::Unsupported {
                action_type: "double_tap",
                ..
            }
        ));
        assert!(matches!(
            error(json!({"action_type": "keyboard_enter"})),
            JsonActionError::Unsupported { .. }
        ));
        assert_eq!(
            error(json!({"action_type": "scroll"})),
            JsonActionError::MissingField {
                action_type: "scroll",
                field: "direction"
            }
        );
        assert_eq!(
            error(json!({"action_type": "input_text", "index": 1})),
            JsonActionError::MissingField {
                action_type: "input_text",
                field: "text"
            }
        );
        assert_eq!(
            error(json!({"action_type": "open_app", "app_name": ""})),
            JsonActionError::MissingField {
                action_type: "open_app",
                field: "app_name"
            }
        );
        assert_eq!(
            error(json!({"action_type": "status"})),
            JsonActionError::MissingField {
                action_type: "status",
                field: "goal_status"
            }
        );
        assert!(matches!(
            error(json!({"action_type": "status", "goal_status": "maybe"})),
            JsonActionError::Malformed { .. }
        ));
        assert!(matches!(
            error(json!({"action_type": "click", "index": "twelve"})),
            JsonActionError::Malformed { .. }
        ));
        assert!(matches!(
            error(json!({"action_type": "click", "index": -1})),
            JsonActionError::Malformed { .. }
        ));
        assert!(matches!(
            error(json!([1])),
            JsonActionError::Malformed { .. }
        ));
        assert!(matches!(
            error(json!({"action_type": "scroll", "direction": "sideways"})),
            JsonActionError::Malformed { .. }
        ));
    }

    #[test]
    fn every_json_action_type_has_its_androidworld_name() {
        for action_type in JsonActionType::ALL {
            let name = action_type.as_str();
            assert_eq!(JsonActionType::from_name(name), Some(action_type));
            assert_eq!(serde_json::to_value(action_type).unwrap(), json!(name));
        }
    }
}
