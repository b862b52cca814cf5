//! Accessibility actions and editability, derived from the flags a dump does record.
//!
//! The live reader gets each node's action list from the platform; dumps only keep boolean
//! flags (`clickable`, `scrollable`, ...). Downstream code (encoder, grammar, performer) reads
//! one thing, the action list, so the importers derive it from the flags the same way the
//! platform would have listed it. Editability is similar: uiautomator does not record it, but a
//! text field's class says it.

use super::super::{AccessibilityAction, Node, StandardAction};

/// AccessibilityNodeInfo.ACTION_CLICK.
const ACTION_CLICK: i32 = 0x0000_0010;
/// AccessibilityNodeInfo.ACTION_LONG_CLICK.
const ACTION_LONG_CLICK: i32 = 0x0000_0020;
/// AccessibilityNodeInfo.ACTION_SCROLL_FORWARD.
const ACTION_SCROLL_FORWARD: i32 = 0x0000_1000;
/// AccessibilityNodeInfo.ACTION_SCROLL_BACKWARD.
const ACTION_SCROLL_BACKWARD: i32 = 0x0000_2000;
/// AccessibilityNodeInfo.ACTION_SET_TEXT.
const ACTION_SET_TEXT: i32 = 0x0020_0000;

/// Whether a node of class `class_name` takes typed text: EditText and its many subclasses
/// (`TextInputEditText`, `AppCompatEditText`, ...), the auto-complete fields and the search
/// box. Works with fully qualified and short names (DroidRun writes `EditText`).
pub(super) fn is_editable_class(class_name: &str) -> bool {
    let simple = class_name.rsplit(['.', '$']).next().unwrap_or(class_name);
    simple.ends_with("EditText")
        || simple.ends_with("AutoCompleteTextView")
        || simple == "SearchAutoComplete"
}

/// The standard actions a node's flags imply, in the platform's order: click, long click,
/// scroll forward and backward, set text.
pub(super) fn derive(node: &Node) -> Vec<AccessibilityAction> {
    let mut actions = Vec::new();
    let mut add = |kind: StandardAction, id: i32| {
        actions.push(AccessibilityAction {
            kind: kind as i32,
            id,
            label: String::new(),
        });
    };
    if node.clickable {
        add(StandardAction::Click, ACTION_CLICK);
    }
    if node.long_clickable {
        add(StandardAction::LongClick, ACTION_LONG_CLICK);
    }
    if node.scrollable {
        add(StandardAction::ScrollForward, ACTION_SCROLL_FORWARD);
        add(StandardAction::ScrollBackward, ACTION_SCROLL_BACKWARD);
    }
    if node.editable {
        add(StandardAction::SetText, ACTION_SET_TEXT);
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_editable() {
        for class in [
            "android.widget.EditText",
            "EditText",
            "com.google.android.material.textfield.TextInputEditText",
            "androidx.appcompat.widget.AppCompatEditText",
            "android.widget.AutoCompleteTextView",
            "android.widget.MultiAutoCompleteTextView",
            "android.widget.SearchView$SearchAutoComplete",
        ] {
            assert!(is_editable_class(class), "{class}");
        }
    }

    #[test]
    fn other_views_are_not_editable() {
        for class in [
            "android.widget.TextView",
            "android.widget.Button",
            "android.widget.EditTextPreferenceView",
            "",
        ] {
            assert!(!is_editable_class(class), "{class}");
        }
    }

    #[test]
    fn actions_follow_the_flags() {
        let node = Node {
            clickable: true,
            scrollable: true,
            editable: true,
            ..Node::default()
        };
        let kinds: Vec<_> = derive(&node).iter().map(|a| (a.kind(), a.id)).collect();
        assert_eq!(
            kinds,
            vec![
                (StandardAction::Click, 16),
                (StandardAction::ScrollForward, 4096),
                (StandardAction::ScrollBackward, 8192),
                (StandardAction::SetText, 0x0020_0000),
            ]
        );
        let long = Node {
            long_clickable: true,
            ..Node::default()
        };
        assert_eq!(derive(&long)[0].kind(), StandardAction::LongClick);
        assert!(derive(&Node::default()).is_empty());
    }
}
