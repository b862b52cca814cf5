//! Finding a node again by its key, and the window that holds it: the guard reads a target's
//! resource id and password flag, verification reads a field's text after typing, and the
//! simulator resolves the node an action names.

use super::{Node, Snapshot, Window};

impl Snapshot {
    /// The node with `key` and its window, if the snapshot has it.
    pub fn find(&self, key: &str) -> Option<(&Window, &Node)> {
        self.windows.iter().find_map(|window| {
            let root = window.root.as_ref()?;
            find_in(root, key).map(|node| (window, node))
        })
    }

    /// The node with `key`, if the snapshot has it.
    pub fn node(&self, key: &str) -> Option<&Node> {
        self.find(key).map(|(_, node)| node)
    }
}

fn find_in<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    if node.key == key {
        return Some(node);
    }
    node.children.iter().find_map(|child| find_in(child, key))
}

#[cfg(test)]
mod tests {
    use crate::screen::WindowType;
    use crate::screen::test_support::*;

    #[test]
    fn finds_nodes_in_any_window() {
        let app = with_children(
            node("a", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![button("a.ok", "OK", 100)],
        );
        let keyboard = button("k.q", "q", 2000);
        let screen = snapshot(vec![
            window(1, WindowType::Application, "com.example", app),
            window(2, WindowType::InputMethod, "com.example.ime", keyboard),
        ]);
        assert_eq!(screen.node("a.ok").map(|n| n.text.as_str()), Some("OK"));
        assert_eq!(screen.find("k.q").map(|(w, _)| w.id), Some(2));
        assert!(screen.node("missing").is_none());
    }
}
