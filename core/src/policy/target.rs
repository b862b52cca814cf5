//! What an action lands on, and what that thing says about itself.
//!
//! Why a separate step: the planner names an element by its short id, but the guard must judge
//! the node behind it with everything the snapshot knows: its own text and content description,
//! its resource id, its password flag, its window's package, and, for a button that only says
//! "OK", the dialog around it ("Delete 3 photos?"). The encoded label alone is not enough: it
//! folds a row's texts together, may be shortened, and for a field shows what the user typed.

use crate::action::Point;
use crate::screen::{Element, ElementId, EncodedScreen, Node, Rect, Snapshot, Window, is_visible};

use super::cues::{CueMatch, Cues};

/// How many ancestors up a generic "OK" button looks for its dialog's question.
const MAX_DIALOG_LEVELS: usize = 4;
/// An ancestor holding more texts than this is a page, not a dialog: stop looking.
const MAX_DIALOG_TEXTS: usize = 15;

/// The element an action names, with its node and window when the snapshot still has them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub element: &'a Element,
    pub window: Option<&'a Window>,
    pub node: Option<&'a Node>,
}

/// A cue found on a target, and the dialog text it came from when the target only said "OK".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub cue: CueMatch,
    pub dialog: Option<String>,
}

impl<'a> Target<'a> {
    /// The element `id` of `screen` and its node in `snapshot`.
    pub fn resolve(
        screen: &'a EncodedScreen,
        snapshot: &'a Snapshot,
        id: ElementId,
    ) -> Option<Self> {
        let element = screen.element(id)?;
        Some(Self::of(element, snapshot))
    }

    fn of(element: &'a Element, snapshot: &'a Snapshot) -> Self {
        let (window, node) = match snapshot.find(&element.node_key) {
            Some((window, node)) => (Some(window), Some(node)),
            None => (None, None),
        };
        Target {
            element,
            window,
            node,
        }
    }

    /// The element under `point`: the one in the topmost window, the smallest if several
    /// overlap (a button inside a clickable card).
    pub fn at_point(
        screen: &'a EncodedScreen,
        snapshot: &'a Snapshot,
        point: Point,
    ) -> Option<Self> {
        screen
            .elements
            .iter()
            .filter(|element| contains(&element.bounds, point))
            .max_by_key(|element| {
                let layer = window_index(snapshot, element.window_id);
                (layer, std::cmp::Reverse(element.bounds.area()))
            })
            .map(|element| Self::of(element, snapshot))
    }

    /// The package the target belongs to: the node's own when a dump gives one, else its
    /// window's.
    pub fn package(&self) -> &'a str {
        match (self.node, self.window) {
            (Some(node), _) if !node.package.is_empty() => &node.package,
            (_, Some(window)) => &window.package,
            _ => &self.element.package,
        }
    }

    /// Whether the target is a password field.
    pub fn is_password(&self) -> bool {
        self.node.is_some_and(|node| node.password)
    }

    /// Whether the target is a text field (its text is what the user typed, not a label).
    fn is_editable(&self) -> bool {
        self.element.affordances.edit
            || self.node.is_some_and(|node| node.editable || node.password)
    }

    /// The label to quote to the user: the encoded label, else the node's description or hint.
    pub fn display_label(&self) -> String {
        let candidates = [
            Some(self.element.label.as_str()),
            self.node.map(|node| node.content_description.as_str()),
            self.node.map(|node| node.hint.as_str()),
        ];
        let label = candidates
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|text| !text.is_empty())
            .unwrap_or_default();
        quote(label)
    }

    /// The cue of tapping (or long-pressing) the target.
    pub fn tap_cue(&self, cues: &Cues) -> Option<Found> {
        let mut best: Option<CueMatch> = None;
        if let Some(node) = self.node {
            if !self.is_editable() {
                keep_longer(&mut best, cues.in_label(&node.text));
            } else {
                keep_longer(&mut best, cues.in_label(&node.hint));
            }
            keep_longer(&mut best, cues.in_label(&node.content_description));
            keep_longer(&mut best, cues.in_identifier(&node.resource_id));
        }
        if !self.is_editable() {
            let mut parts = self.element.label.split(" | ");
            if let Some(first) = parts.next() {
                keep_longer(&mut best, cues.in_label(first));
            }
            for part in parts {
                keep_longer(&mut best, cues.exactly(part));
            }
        }
        if let Some(cue) = best {
            return Some(Found { cue, dialog: None });
        }
        if self.is_editable() {
            return None;
        }
        let own = self.node.map_or(self.element.label.as_str(), |node| {
            if node.text.trim().is_empty() {
                node.content_description.as_str()
            } else {
                node.text.as_str()
            }
        });
        let first_part = self.element.label.split(" | ").next().unwrap_or_default();
        if Cues::is_affirmative(own) || Cues::is_affirmative(first_part) {
            return self.dialog_cue(cues);
        }
        None
    }

    /// The cue of typing into the target and pressing Enter: the field's own cues, or a
    /// message box where Enter sends.
    pub fn enter_cue(&self, cues: &Cues) -> Option<CueMatch> {
        let texts: Vec<&str> = match self.node {
            Some(node) => vec![
                node.hint.as_str(),
                node.content_description.as_str(),
                node.resource_id.as_str(),
            ],
            None => vec![self.element.label.as_str()],
        };
        let mut best = None;
        if let Some(node) = self.node {
            keep_longer(&mut best, cues.in_label(&node.hint));
            keep_longer(&mut best, cues.in_label(&node.content_description));
            keep_longer(&mut best, cues.in_identifier(&node.resource_id));
        }
        if best.is_none() && cues.sends() && texts.iter().any(|text| Cues::enter_sends(text)) {
            best = Some(CueMatch {
                category: super::Category::Send,
                cue: "enter in a message field".to_owned(),
            });
        }
        best
    }

    /// For a button that only affirms ("OK", "确定"): the cue in the dialog around it.
    fn dialog_cue(&self, cues: &Cues) -> Option<Found> {
        let window = self.window?;
        let root = window.root.as_ref()?;
        let mut path = Vec::new();
        if !path_to(root, &self.element.node_key, &mut path) {
            return None;
        }
        for level in 1..=MAX_DIALOG_LEVELS {
            let Some(index) = path.len().checked_sub(level + 1) else {
                break;
            };
            let ancestor = path[index];
            let mut texts = Vec::new();
            collect_texts(ancestor, &self.element.node_key, &mut texts);
            if texts.len() > MAX_DIALOG_TEXTS {
                break;
            }
            for text in texts {
                if let Some(cue) = cues.in_context(text) {
                    return Some(Found {
                        cue,
                        dialog: Some(quote(text)),
                    });
                }
            }
        }
        None
    }
}

/// Keeps the longer cue; the earlier one on a tie.
fn keep_longer(best: &mut Option<CueMatch>, found: Option<CueMatch>) {
    if let Some(found) = found {
        let longer = best
            .as_ref()
            .is_none_or(|current| found.cue.chars().count() > current.cue.chars().count());
        if longer {
            *best = Some(found);
        }
    }
}

/// Fills `path` with the nodes from `node` down to the node with `key`.
fn path_to<'a>(node: &'a Node, key: &str, path: &mut Vec<&'a Node>) -> bool {
    path.push(node);
    if node.key == key || node.children.iter().any(|child| path_to(child, key, path)) {
        return true;
    }
    path.pop();
    false
}

/// The texts of a dialog: those of `node`'s subtree outside the target and outside other
/// controls (their labels are the other answers, "Cancel", not the question).
fn collect_texts<'a>(node: &'a Node, target: &str, texts: &mut Vec<&'a str>) {
    let control = node.clickable || node.long_clickable || node.editable || node.checkable;
    if node.key == target || control || node.password || !is_visible(node, None) {
        return;
    }
    for text in [node.text.trim(), node.content_description.trim()] {
        if !text.is_empty() {
            texts.push(text);
        }
    }
    for child in &node.children {
        collect_texts(child, target, texts);
    }
}

fn window_index(snapshot: &Snapshot, window_id: i32) -> usize {
    snapshot
        .windows
        .iter()
        .position(|window| window.id == window_id)
        .unwrap_or(0)
}

/// Whether `point` lies inside `rect` (right and bottom exclusive).
pub(crate) fn contains(rect: &Rect, point: Point) -> bool {
    let (x, y) = (i64::from(point.x), i64::from(point.y));
    i64::from(rect.left) <= x
        && x < i64::from(rect.right)
        && i64::from(rect.top) <= y
        && y < i64::from(rect.bottom)
}

/// The topmost window whose bounds contain `point`.
pub(crate) fn window_at(snapshot: &Snapshot, point: Point) -> Option<&Window> {
    snapshot.windows.iter().rev().find(|window| {
        window
            .bounds
            .as_ref()
            .or_else(|| window.root.as_ref().and_then(|root| root.bounds.as_ref()))
            .is_some_and(|bounds| contains(bounds, point))
    })
}

/// A label in quotes for the user's confirmation dialog, shortened to one line.
pub(crate) fn quote(label: &str) -> String {
    const MAX_CHARS: usize = 60;
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    match label.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("\"{}…\"", label[..cut].trim_end()),
        None => format!("\"{label}\""),
    }
}
