//! Verification: did the action do what it was meant to?
//!
//! A tap that lands nowhere, a field that ignored the text, a switch that did not flip: the
//! device reports "performed" for all of them. The loop compares the screens before and after
//! and tells the planner what it saw, so the next step starts from the truth, and the loop
//! detector knows an action had no effect.

use crate::action::Action;
use crate::screen::{EncodedScreen, Node, ScreenDiff, Snapshot};

/// What verification saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verification {
    /// Whether the action had the effect expected of it.
    pub effective: bool,
    /// A short note for the planner and the events.
    pub note: String,
}

/// The screens around an action: `after` was encoded with `before` as its previous screen, so
/// ids correspond.
pub(crate) struct Around<'a> {
    pub before: &'a EncodedScreen,
    pub before_snapshot: &'a Snapshot,
    pub after: &'a EncodedScreen,
    pub after_snapshot: &'a Snapshot,
    pub diff: &'a ScreenDiff,
}

/// Checks the effect of `action`; `typed` is the text actually entered (a secret's value for
/// `{secret:…}`), compared but never printed.
pub(crate) fn verify(action: &Action, typed: Option<&str>, around: &Around<'_>) -> Verification {
    match action {
        Action::Type { id, text, .. } => verify_typed(*id, text, typed.unwrap_or(text), around),
        Action::Tap { id } => {
            let toggled = around
                .before
                .element(*id)
                .filter(|element| element.affordances.toggle)
                .and_then(|element| around.before_snapshot.node(&element.node_key))
                .and_then(toggle_state);
            match toggled {
                Some(was_on) => verify_toggle(*id, was_on, around),
                None => screen_changed(around.diff),
            }
        }
        _ => screen_changed(around.diff),
    }
}

/// The on/off state an element shows: its own, or that of the switch folded into it.
fn toggle_state(node: &Node) -> Option<bool> {
    if node.checkable {
        return Some(node.checked);
    }
    node.children.iter().find_map(toggle_state)
}

fn screen_changed(diff: &ScreenDiff) -> Verification {
    if diff.is_empty() {
        Verification {
            effective: false,
            note: "no visible change".into(),
        }
    } else {
        Verification {
            effective: true,
            note: format!("screen changed ({} lines)", diff.len()),
        }
    }
}

fn verify_typed(
    id: crate::screen::ElementId,
    written: &str,
    entered: &str,
    around: &Around<'_>,
) -> Verification {
    let Some(element) = around.after.element(id) else {
        // The field is gone: typing with enter usually submits a form and leaves the page.
        return screen_changed(around.diff);
    };
    let Some(node) = around.after_snapshot.node(&element.node_key) else {
        return screen_changed(around.diff);
    };
    let holds = if node.password {
        // Password fields show dots; a non-empty field is all that can be seen.
        !node.text.is_empty()
    } else {
        node.text.contains(entered)
    };
    if holds {
        Verification {
            effective: true,
            note: format!("field {id} holds the text"),
        }
    } else if node.password || entered != written {
        Verification {
            effective: false,
            note: format!("field {id} does not hold the text"),
        }
    } else {
        Verification {
            effective: false,
            note: format!(
                "field {id} does not hold the text; it shows {:?}",
                node.text
            ),
        }
    }
}

fn verify_toggle(id: crate::screen::ElementId, was_on: bool, around: &Around<'_>) -> Verification {
    let now_on = around
        .after
        .element(id)
        .and_then(|element| around.after_snapshot.node(&element.node_key))
        .and_then(toggle_state);
    let word = |on: bool| if on { "on" } else { "off" };
    match now_on {
        Some(now_on) if now_on != was_on => Verification {
            effective: true,
            note: format!("{id} is now {}", word(now_on)),
        },
        Some(now_on) => Verification {
            effective: false,
            note: format!("{id} did not flip; still {}", word(now_on)),
        },
        // The toggle left the screen (a tap on a row that opens a page).
        None => screen_changed(around.diff),
    }
}
