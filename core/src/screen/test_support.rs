//! Builders for hand-written snapshots in unit tests: a screen reads as a short tree of
//! `button`, `text`, `switch`… calls instead of pages of struct literals.

use super::{Affordances, Element, ElementId, Node, Rect, Snapshot, Window, WindowType};

pub fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Rect {
    Rect {
        left,
        top,
        right,
        bottom,
    }
}

/// A visible, enabled node of `class` at `bounds`.
pub fn node(key: &str, class: &str, bounds: Rect) -> Node {
    Node {
        key: key.into(),
        class_name: class.into(),
        bounds: Some(bounds),
        visible: true,
        enabled: true,
        ..Node::default()
    }
}

pub fn text(key: &str, text: &str, top: i32) -> Node {
    Node {
        text: text.into(),
        ..node(key, "android.widget.TextView", rect(0, top, 1080, top + 60))
    }
}

pub fn button(key: &str, label: &str, top: i32) -> Node {
    Node {
        text: label.into(),
        clickable: true,
        ..node(key, "android.widget.Button", rect(0, top, 1080, top + 100))
    }
}

pub fn switch(key: &str, checked: bool, top: i32) -> Node {
    Node {
        checkable: true,
        checked,
        clickable: true,
        ..node(
            key,
            "android.widget.Switch",
            rect(900, top, 1040, top + 100),
        )
    }
}

pub fn field(key: &str, text: &str, hint: &str, top: i32) -> Node {
    Node {
        text: text.into(),
        hint: hint.into(),
        editable: true,
        clickable: true,
        ..node(
            key,
            "android.widget.EditText",
            rect(0, top, 1080, top + 120),
        )
    }
}

pub fn with_children(mut parent: Node, children: Vec<Node>) -> Node {
    parent.children = children;
    parent
}

pub fn window(id: i32, kind: WindowType, package: &str, root: Node) -> Window {
    Window {
        id,
        r#type: kind as i32,
        package: package.into(),
        bounds: root.bounds,
        root: Some(root),
        ..Window::default()
    }
}

pub fn snapshot(windows: Vec<Window>) -> Snapshot {
    Snapshot {
        screen_width: 1080,
        screen_height: 2400,
        foreground_package: windows
            .first()
            .map(|window| window.package.clone())
            .unwrap_or_default(),
        windows,
        ..Snapshot::default()
    }
}

/// An element of an encoded screen with the given affordances, for grammar and validation tests.
pub fn element(id: ElementId, affordances: Affordances) -> Element {
    Element {
        id,
        node_key: format!("node-{id}"),
        window_id: 1,
        package: "com.example".into(),
        bounds: rect(0, 0, 100, 100),
        label: String::new(),
        affordances,
    }
}
