//! The screen diff: what appeared, vanished and changed between two encoded screens.
//!
//! History is where prompts grow: a peer that re-sends the previous screen in full pays for it
//! at every step. Lobster's history holds, for each step, the action taken and this diff, so the
//! second screen of a step is never sent again in full. Because the encoder keeps ids stable
//! across screens, an element whose state flipped shows up as `~ [5] … (was: …)` under the same
//! id the planner already knows, and elements that went away are named by their ids alone
//! (`- gone: [15] [16] [17]`): the planner saw their text when they appeared, and a filtered list
//! would otherwise cost more tokens going than it did coming.

use std::collections::HashMap;
use std::fmt;

use super::{ElementId, EncodedScreen};

/// The difference between the screen before and the screen after.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenDiff {
    /// Lines (as printed) that are new, in screen order.
    pub appeared: Vec<String>,
    /// Elements that are gone, in the old screen's order.
    pub vanished_ids: Vec<ElementId>,
    /// Plain lines (without an id, as printed) that are gone, in the old screen's order.
    pub vanished: Vec<String>,
    /// Elements whose line changed under the same id, in screen order.
    pub changed: Vec<ChangedElement>,
}

/// An element still on screen whose printed line changed (text, state, tags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedElement {
    /// The element's id, the same on both screens.
    pub id: ElementId,
    /// The line body before, without the id.
    pub before: String,
    /// The line body now, without the id.
    pub after: String,
}

impl ScreenDiff {
    /// Whether nothing visible changed.
    pub fn is_empty(&self) -> bool {
        self.appeared.is_empty()
            && self.vanished_ids.is_empty()
            && self.vanished.is_empty()
            && self.changed.is_empty()
    }

    /// How many lines the diff prints.
    pub fn len(&self) -> usize {
        self.appeared.len()
            + usize::from(!self.vanished_ids.is_empty())
            + self.vanished.len()
            + self.changed.len()
    }
}

/// Compares two screens of one task; `after` must have been encoded with `before` as its
/// previous screen, so that ids correspond.
pub fn diff(before: &EncodedScreen, after: &EncodedScreen) -> ScreenDiff {
    let old_elements: HashMap<ElementId, &str> = before
        .lines
        .iter()
        .filter_map(|line| Some((line.id?, line.body.as_str())))
        .collect();
    let new_elements: HashMap<ElementId, &str> = after
        .lines
        .iter()
        .filter_map(|line| Some((line.id?, line.body.as_str())))
        .collect();
    // Plain lines have no identity beyond their text: compare them as multisets.
    let mut old_texts: HashMap<&str, usize> = HashMap::new();
    for line in before.lines.iter().filter(|line| line.id.is_none()) {
        *old_texts.entry(line.body.as_str()).or_default() += 1;
    }
    let mut new_texts: HashMap<&str, usize> = HashMap::new();
    for line in after.lines.iter().filter(|line| line.id.is_none()) {
        *new_texts.entry(line.body.as_str()).or_default() += 1;
    }

    let mut result = ScreenDiff::default();
    let mut unmatched_old = old_texts.clone();
    for line in &after.lines {
        match line.id {
            Some(id) => match old_elements.get(&id) {
                None => result.appeared.push(line.render()),
                Some(before) if *before != line.body => result.changed.push(ChangedElement {
                    id,
                    before: (*before).to_owned(),
                    after: line.body.clone(),
                }),
                Some(_) => {}
            },
            None => match unmatched_old.get_mut(line.body.as_str()) {
                Some(count) if *count > 0 => *count -= 1,
                _ => result.appeared.push(line.render()),
            },
        }
    }
    let mut unmatched_new = new_texts;
    for line in &before.lines {
        match line.id {
            Some(id) if !new_elements.contains_key(&id) => result.vanished_ids.push(id),
            Some(_) => {}
            None => match unmatched_new.get_mut(line.body.as_str()) {
                Some(count) if *count > 0 => *count -= 1,
                _ => result.vanished.push(line.render()),
            },
        }
    }
    result
}

impl fmt::Display for ScreenDiff {
    /// The diff as the planner reads it: `+` appeared, `-` vanished, `~` changed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("(no visible change)");
        }
        let mut lines = Vec::with_capacity(self.len());
        lines.extend(self.appeared.iter().map(|line| format!("+ {line}")));
        if !self.vanished_ids.is_empty() {
            let ids: Vec<String> = self
                .vanished_ids
                .iter()
                .map(|id| format!("[{id}]"))
                .collect();
            lines.push(format!("- gone: {}", ids.join(" ")));
        }
        lines.extend(self.vanished.iter().map(|line| format!("- {line}")));
        lines.extend(self.changed.iter().map(|change| {
            format!(
                "~ [{}] {} (was: {})",
                change.id, change.after, change.before
            )
        }));
        f.write_str(&lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::test_support::*;
    use crate::screen::{Node, WindowType, encode};

    fn chat(messages: &[&str], draft: &str) -> crate::screen::Snapshot {
        let mut children: Vec<Node> = messages
            .iter()
            .enumerate()
            .map(|(i, message)| text(&format!("m{i}"), message, 200 + i as i32 * 80))
            .collect();
        children.push(field("input", draft, "Message", 2000));
        children.push(button("send", "Send", 2200));
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            children,
        );
        snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.chat",
            root,
        )])
    }

    #[test]
    fn diff_names_appeared_vanished_and_changed_lines() {
        let before = encode(&chat(&["Hi", "Loading…"], ""), None);
        let after = encode(&chat(&["Hi", "See you at 6"], "On my way"), Some(&before));
        let diff = diff(&before, &after);
        assert_eq!(diff.appeared, vec!["See you at 6"]);
        assert_eq!(diff.vanished, vec!["Loading…"]);
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(
            diff.to_string(),
            "+ See you at 6\n- Loading…\n~ [1] On my way (field) (was: Message (field, empty))"
        );
    }

    #[test]
    fn an_unchanged_screen_has_an_empty_diff() {
        let before = encode(&chat(&["Hi"], ""), None);
        let after = encode(&chat(&["Hi"], ""), Some(&before));
        let diff = diff(&before, &after);
        assert!(diff.is_empty());
        assert_eq!(diff.to_string(), "(no visible change)");
    }

    #[test]
    fn a_new_screen_reports_old_elements_as_vanished() {
        let before = encode(&chat(&["Hi"], ""), None);
        let root = button("ok", "OK", 300);
        let after = encode(
            &snapshot(vec![window(1, WindowType::System, "android", root)]),
            Some(&before),
        );
        let diff = diff(&before, &after);
        assert!(diff.appeared.contains(&"[3] OK".to_owned()), "{diff}");
        assert!(diff.vanished_ids.contains(&2), "{diff}");
        assert!(
            diff.appeared.contains(&"# system android".to_owned()),
            "{diff}"
        );
        // Gone elements print as one line of ids, and count as one line.
        let printed = diff.to_string();
        let gone = printed
            .lines()
            .find(|line| line.starts_with("- gone: "))
            .unwrap_or_default();
        assert!(gone.contains("[1]") && gone.contains("[2]"), "{printed}");
        assert!(!printed.contains("Send"), "{printed}");
        assert_eq!(printed.lines().count(), diff.len());
    }
}
