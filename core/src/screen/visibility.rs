//! What a person can see: the one visibility rule shared by the encoder and the token floor.
//!
//! Dumps keep nodes that are scrolled away, collapsed to zero size or flagged invisible. Those
//! are not on the screen, so the planner is not shown them and they are not counted in the
//! information floor the encoder is measured against.

use super::{Node, Rect, Snapshot, WindowType};

impl Snapshot {
    /// The screen as a rectangle, or `None` when the dump did not say how big it is.
    pub fn screen_rect(&self) -> Option<Rect> {
        (self.screen_width > 0 && self.screen_height > 0).then_some(Rect {
            left: 0,
            top: 0,
            right: i32::try_from(self.screen_width).unwrap_or(i32::MAX),
            bottom: i32::try_from(self.screen_height).unwrap_or(i32::MAX),
        })
    }

    /// The distinct non-empty texts and content descriptions of visible nodes, joined by
    /// newlines: the information floor an encoding is measured against. Password text is left
    /// out, as the encoder never prints it.
    pub fn visible_text_floor(&self) -> String {
        let screen = self.screen_rect();
        let mut seen = std::collections::HashSet::new();
        let mut texts = Vec::new();
        for window in &self.windows {
            let Some(root) = &window.root else { continue };
            walk(root, &mut |node| {
                if !is_visible(node, screen.as_ref()) {
                    return;
                }
                let text = if node.password { "" } else { node.text.trim() };
                for value in [text, node.content_description.trim()] {
                    if !value.is_empty() && seen.insert(value.to_owned()) {
                        texts.push(value.to_owned());
                    }
                }
            });
        }
        texts.join("\n")
    }
}

impl WindowType {
    /// The short word the encoder prints for a window of this type.
    pub fn label(self) -> &'static str {
        match self {
            WindowType::Application => "app",
            WindowType::InputMethod => "keyboard",
            WindowType::System => "system",
            WindowType::AccessibilityOverlay => "overlay",
            WindowType::SplitScreenDivider => "divider",
            WindowType::MagnificationOverlay => "magnifier",
            WindowType::Unknown => "window",
        }
    }
}

/// Whether a node is on screen: flagged visible, not zero-size, and inside the screen when its
/// size is known. A node whose bounds are unknown counts as visible if flagged so.
pub fn is_visible(node: &Node, screen: Option<&Rect>) -> bool {
    if !node.visible {
        return false;
    }
    match (&node.bounds, screen) {
        (Some(bounds), Some(screen)) => !bounds.is_empty() && bounds.intersects(screen),
        (Some(bounds), None) => !bounds.is_empty(),
        (None, _) => true,
    }
}

/// Visits `node` and its descendants in document order.
pub fn walk<'a>(node: &'a Node, visit: &mut impl FnMut(&'a Node)) {
    visit(node);
    for child in &node.children {
        walk(child, visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Rect {
        Rect {
            left,
            top,
            right,
            bottom,
        }
    }

    fn node(text: &str, bounds: Rect) -> Node {
        Node {
            text: text.into(),
            bounds: Some(bounds),
            visible: true,
            ..Node::default()
        }
    }

    #[test]
    fn zero_size_off_screen_and_hidden_nodes_are_not_visible() {
        let screen = rect(0, 0, 1080, 2400);
        assert!(is_visible(&node("a", rect(0, 0, 10, 10)), Some(&screen)));
        assert!(!is_visible(&node("a", rect(5, 5, 5, 50)), Some(&screen)));
        assert!(!is_visible(
            &node("a", rect(0, 2400, 100, 2500)),
            Some(&screen)
        ));
        assert!(!is_visible(&node("a", rect(-200, 0, 0, 10)), Some(&screen)));
        let hidden = Node {
            visible: false,
            ..node("a", rect(0, 0, 10, 10))
        };
        assert!(!is_visible(&hidden, Some(&screen)));
    }

    #[test]
    fn nodes_at_extreme_bounds_are_visible_where_they_cross_the_screen() {
        let (min, max) = (i32::MIN, i32::MAX);
        let screen = rect(0, 0, 1080, 2400);
        for bounds in [rect(min, 0, max, 10), rect(min, min, max, max)] {
            assert!(is_visible(&node("a", bounds), Some(&screen)), "{bounds:?}");
            assert!(is_visible(&node("a", bounds), None), "{bounds:?}");
        }
        for bounds in [
            rect(max, 0, min, 10),
            rect(min, 0, 0, 10),
            rect(max, 0, max, 10),
        ] {
            assert!(!is_visible(&node("a", bounds), Some(&screen)), "{bounds:?}");
        }
    }

    #[test]
    fn a_screen_size_beyond_i32_saturates() {
        let snapshot = Snapshot {
            screen_width: u32::MAX,
            screen_height: 2400,
            ..Default::default()
        };
        assert_eq!(snapshot.screen_rect(), Some(rect(0, 0, i32::MAX, 2400)));
    }

    #[test]
    fn floor_is_distinct_visible_texts_without_passwords() {
        let mut root = node("", rect(0, 0, 100, 100));
        root.children = vec![
            node("Hello", rect(0, 0, 50, 10)),
            node("Hello", rect(0, 10, 50, 20)),
            Node {
                content_description: "Send".into(),
                ..node("", rect(0, 20, 50, 30))
            },
            node("hidden below", rect(0, 200, 50, 300)),
            Node {
                password: true,
                ..node("hunter2", rect(0, 30, 50, 40))
            },
        ];
        let snapshot = Snapshot {
            screen_width: 100,
            screen_height: 100,
            windows: vec![super::super::Window {
                root: Some(root),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(snapshot.visible_text_floor(), "Hello\nSend");
    }
}
