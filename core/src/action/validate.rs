//! Checking an action against the current screen: the same rules the grammar enforces while
//! decoding, applied after the fact.
//!
//! Why both: the local planner decodes under [`grammar_for_screen`](super::grammar_for_screen)
//! and cannot break these rules, but a cloud planner (or a replayed trace) writes free text, and
//! the performer must never act on an id that is not on screen or type into a button. Keeping the
//! rules in one place, with the same [`GrammarContext`], guarantees that every line the grammar
//! admits also validates (the grammar tests sample thousands of lines to check it).

use super::{Action, GrammarContext, ParseError, parse_action};
use crate::screen::{Element, ElementId};

/// Why a well-formed action does not fit the current screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// No element on this screen has the id.
    #[error("there is no element {id} on this screen")]
    UnknownElement {
        /// The id named.
        id: ElementId,
    },
    /// The element does not accept the action (`type` on a button, `tap` on a plain container).
    #[error("element {id} does not accept {verb}")]
    NotAccepted {
        /// The element.
        id: ElementId,
        /// The action's verb.
        verb: &'static str,
    },
    /// The element scrolls, but not along this direction's axis.
    #[error("element {id} does not scroll {direction}")]
    WrongScrollAxis {
        /// The element.
        id: ElementId,
        /// The direction asked for.
        direction: super::Direction,
    },
    /// `open` names an app that is not in the installed list.
    #[error("no installed app is called {name:?}")]
    AppNotInstalled {
        /// The name asked for.
        name: String,
    },
    /// `call` names an app action the host did not declare.
    #[error("no app action {name:?} is declared")]
    UndeclaredAppAction {
        /// The name asked for.
        name: String,
    },
    /// `intent` names a tool this phone cannot run now (a permission or API level it lacks).
    #[error("the tool {name} is not available on this phone")]
    UnavailableTool {
        /// The tool's name.
        name: &'static str,
    },
    /// The verb is switched off in this context (`ask`, `intent`, `swipe`).
    #[error("{verb} is not enabled here")]
    Disabled {
        /// The action's verb.
        verb: &'static str,
    },
}

/// Why a planner's line was rejected: it does not parse, or it does not fit the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// The line is not an action.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The action does not fit the screen.
    #[error(transparent)]
    Invalid(#[from] ActionError),
}

/// Checks `action` against the screen's `elements` and `context`: ids must exist and accept the
/// action, `open` must name an installed app (when the list is known), `call` a declared action,
/// and `ask`, `intent` and `swipe` must be enabled.
pub fn validate(
    action: &Action,
    elements: &[Element],
    context: &GrammarContext,
) -> Result<(), ActionError> {
    let element = |id: ElementId| {
        elements
            .iter()
            .find(|element| element.id == id)
            .ok_or(ActionError::UnknownElement { id })
    };
    let require = |accepted: bool, id: ElementId| {
        if accepted {
            Ok(())
        } else {
            Err(ActionError::NotAccepted {
                id,
                verb: action.verb(),
            })
        }
    };
    let enabled = |on: bool| {
        if on {
            Ok(())
        } else {
            Err(ActionError::Disabled {
                verb: action.verb(),
            })
        }
    };
    match action {
        Action::Tap { id } => require(element(*id)?.affordances.tap, *id),
        Action::LongPress { id } => require(element(*id)?.affordances.long_press, *id),
        Action::Type { id, .. } => require(element(*id)?.affordances.edit, *id),
        Action::Scroll {
            target: Some(id),
            direction,
        } => match element(*id)?.affordances.scroll {
            None => require(false, *id),
            Some(axes) if axes.allows(direction.is_vertical()) => Ok(()),
            Some(_) => Err(ActionError::WrongScrollAxis {
                id: *id,
                direction: *direction,
            }),
        },
        Action::OpenApp { name } => match &context.installed_apps {
            Some(installed) if !installed.contains(name) => {
                Err(ActionError::AppNotInstalled { name: name.clone() })
            }
            _ => Ok(()),
        },
        Action::CallAppAction { name, .. } => {
            if context.app_actions.contains(name) {
                Ok(())
            } else {
                Err(ActionError::UndeclaredAppAction { name: name.clone() })
            }
        }
        Action::Ask { .. } | Action::Takeover { .. } => enabled(context.allow_ask),
        Action::Intent(intent) => enabled(context.allow_intents).and_then(|()| {
            let kind = intent.kind();
            if context.tools.contains(kind) {
                Ok(())
            } else {
                Err(ActionError::UnavailableTool { name: kind.name() })
            }
        }),
        Action::Swipe { .. } => enabled(context.allow_swipe),
        Action::Scroll { target: None, .. }
        | Action::Back
        | Action::Home
        | Action::Recents
        | Action::Notifications
        | Action::Wait { .. }
        | Action::Done { .. }
        | Action::Fail { .. } => Ok(()),
    }
}

/// Parses `line` and validates it against the screen: the one call a planner's answer goes
/// through.
pub fn parse_for_screen(
    line: &str,
    elements: &[Element],
    context: &GrammarContext,
) -> Result<Action, LineError> {
    let action = parse_action(line)?;
    validate(&action, elements, context)?;
    Ok(action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Direction;
    use crate::screen::test_support::element;
    use crate::screen::{Affordances, ScrollAxes};

    fn screen() -> Vec<Element> {
        vec![
            element(
                1,
                Affordances {
                    tap: true,
                    ..Default::default()
                },
            ),
            element(
                2,
                Affordances {
                    tap: true,
                    edit: true,
                    ..Default::default()
                },
            ),
            element(
                3,
                Affordances {
                    scroll: Some(ScrollAxes::Vertical),
                    ..Default::default()
                },
            ),
            element(
                4,
                Affordances {
                    long_press: true,
                    ..Default::default()
                },
            ),
        ]
    }

    fn check(line: &str, context: &GrammarContext) -> Result<Action, LineError> {
        parse_for_screen(line, &screen(), context)
    }

    #[test]
    fn ids_must_exist_and_accept_the_action() {
        let context = GrammarContext::default();
        assert!(check("tap 1", &context).is_ok());
        assert!(check("type 2 \"x\" enter", &context).is_ok());
        assert!(check("scroll 3 down", &context).is_ok());
        assert!(check("long_press 4", &context).is_ok());
        assert!(check("scroll right", &context).is_ok());
        assert_eq!(
            check("tap 9", &context),
            Err(LineError::Invalid(ActionError::UnknownElement { id: 9 }))
        );
        assert_eq!(
            check("type 1 \"x\"", &context),
            Err(LineError::Invalid(ActionError::NotAccepted {
                id: 1,
                verb: "type"
            }))
        );
        assert_eq!(
            check("scroll 1 down", &context),
            Err(LineError::Invalid(ActionError::NotAccepted {
                id: 1,
                verb: "scroll"
            }))
        );
        assert_eq!(
            check("scroll 3 left", &context),
            Err(LineError::Invalid(ActionError::WrongScrollAxis {
                id: 3,
                direction: Direction::Left
            }))
        );
        assert_eq!(
            check("long_press 1", &context),
            Err(LineError::Invalid(ActionError::NotAccepted {
                id: 1,
                verb: "long_press"
            }))
        );
        assert!(matches!(check("tap x", &context), Err(LineError::Parse(_))));
    }

    #[test]
    fn context_rules() {
        let open = GrammarContext::default();
        assert!(check("open \"Anything\"", &open).is_ok());
        assert_eq!(
            check("ask \"?\"", &open),
            Err(LineError::Invalid(ActionError::Disabled { verb: "ask" }))
        );
        assert_eq!(
            check("intent dial number=\"1\"", &open),
            Err(LineError::Invalid(ActionError::Disabled { verb: "intent" }))
        );
        assert_eq!(
            check("swipe 1 2 3 4", &open),
            Err(LineError::Invalid(ActionError::Disabled { verb: "swipe" }))
        );
        assert_eq!(
            check("call send {}", &open),
            Err(LineError::Invalid(ActionError::UndeclaredAppAction {
                name: "send".into()
            }))
        );

        let strict = GrammarContext {
            installed_apps: Some(vec!["微信".into(), "Google Maps".into()]),
            app_actions: vec!["send".into()],
            app_action_arguments: Default::default(),
            allow_ask: true,
            allow_intents: true,
            allow_swipe: true,
            tools: crate::action::ToolSet::ALL,
        };
        assert!(check("open \"微信\"", &strict).is_ok());
        assert_eq!(
            check("open \"WeChat\"", &strict),
            Err(LineError::Invalid(ActionError::AppNotInstalled {
                name: "WeChat".into()
            }))
        );
        assert!(check("call send {\"a\":1}", &strict).is_ok());
        assert!(check("ask \"?\"", &strict).is_ok());
        assert!(check("intent dial number=\"1\"", &strict).is_ok());
        assert!(check("swipe 1 2 3 4", &strict).is_ok());
    }

    #[test]
    fn error_messages_are_readable() {
        let context = GrammarContext::default();
        let message = check("type 1 \"x\"", &context).unwrap_err().to_string();
        assert_eq!(message, "element 1 does not accept type");
        let message = check("tap", &context).unwrap_err().to_string();
        assert!(message.starts_with("expected an element id"), "{message}");
    }
}
