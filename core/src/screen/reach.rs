//! Reachability: can the planner address every actionable thing a person sees?
//!
//! An encoding that drops a button is cheap and wrong. This check walks the snapshot and counts
//! the visible actionable nodes that have an id, directly or through the actionable ancestor
//! they were folded into (never a list: its items stay separate). Nodes cut by a list cap are reachable only after a scroll and are
//! counted as such.

use std::collections::HashSet;

use super::{EncodedScreen, Node, Rect, Snapshot, is_visible};

/// How many visible actionable nodes an encoding makes addressable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reachability {
    /// Visible nodes that are clickable, long-clickable, editable, scrollable or checkable.
    pub actionable: usize,
    /// Of those, the ones with an id of their own or of an actionable ancestor.
    pub reachable: usize,
    /// Keys of the actionable nodes without an id.
    pub unreachable: Vec<String>,
}

impl Reachability {
    /// Reachable share in percent (100 for a screen with nothing actionable).
    pub fn percent(&self) -> f64 {
        if self.actionable == 0 {
            100.0
        } else {
            100.0 * self.reachable as f64 / self.actionable as f64
        }
    }
}

/// Measures how many of `snapshot`'s visible actionable nodes `encoded` can address.
pub fn reachability(snapshot: &Snapshot, encoded: &EncodedScreen) -> Reachability {
    let addressed: HashSet<&str> = encoded
        .elements
        .iter()
        .map(|element| element.node_key.as_str())
        .collect();
    let screen = snapshot.screen_rect();
    let mut result = Reachability::default();
    for window in &snapshot.windows {
        if let Some(root) = &window.root {
            count(root, false, &addressed, screen.as_ref(), &mut result);
        }
    }
    result
}

fn count(
    node: &Node,
    ancestor_addressed: bool,
    addressed: &HashSet<&str>,
    screen: Option<&Rect>,
    result: &mut Reachability,
) {
    let actionable =
        node.clickable || node.long_clickable || node.editable || node.scrollable || node.checkable;
    let has_id = addressed.contains(node.key.as_str());
    if actionable && is_visible(node, screen) {
        result.actionable += 1;
        if has_id || ancestor_addressed {
            result.reachable += 1;
        } else {
            result.unreachable.push(node.key.clone());
        }
    }
    // Texts and controls fold into an addressed actionable parent, never into a list.
    let folds = ancestor_addressed || (has_id && !node.scrollable);
    for child in &node.children {
        count(child, folds, addressed, screen, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::test_support::*;
    use crate::screen::{EncodeOptions, WindowType, encode, encode_with};

    #[test]
    fn every_visible_actionable_node_of_a_screen_is_reachable() {
        let row = with_children(
            button("row", "", 100),
            vec![text("row.t", "Title", 100), switch("row.sw", true, 100)],
        );
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![row, field("f", "", "Name", 400)],
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        let reach = reachability(&screen, &encode(&screen, None));
        assert_eq!((reach.actionable, reach.reachable), (3, 3));
        assert_eq!(reach.percent(), 100.0);
    }

    #[test]
    fn a_button_at_extreme_bounds_is_reachable() {
        let mut pay = button("pay", "Pay now", 0);
        pay.bounds = Some(rect(i32::MIN, 0, i32::MAX, 10));
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![pay],
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        let reach = reachability(&screen, &encode(&screen, None));
        assert_eq!((reach.actionable, reach.reachable), (1, 1));
    }

    #[test]
    fn items_cut_by_a_list_cap_are_counted_unreachable() {
        let items = (0..10)
            .map(|i| button(&format!("i{i}"), &format!("Item {i}"), 200 + i * 100))
            .collect();
        let mut list = with_children(
            node("list", "android.widget.ListView", rect(0, 200, 1080, 2400)),
            items,
        );
        list.scrollable = true;
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            list,
        )]);
        let options = EncodeOptions {
            max_list_items: 4,
            ..EncodeOptions::default()
        };
        let encoded = encode_with(&screen, None, &options);
        let reach = reachability(&screen, &encoded);
        assert_eq!((reach.actionable, reach.reachable), (11, 5));
        assert_eq!(reach.unreachable.len(), 6);
    }
}
