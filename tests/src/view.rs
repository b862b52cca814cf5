//! Reading an encoded screen as the solver needs to: find an element by the simulator's node
//! key, read a line or a field, and tell which app and page are in front.
//!
//! Why node keys: the solver is a test double that must be right every time, so it looks
//! elements up by the simulator's stable keys instead of guessing from labels; a key re-rendered
//! by the `vanishing_node` fault (`…~1`) is the same element. Everything else it reads is what
//! the planner reads: the encoded text.

use lobster_core::screen::{Element, ElementId, EncodedScreen};
use lobster_sim::App;

/// Where the screen is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// The home screen.
    Launcher,
    /// The notification shade or the recent-apps overview covers everything.
    Overlay,
    /// An app's page.
    App {
        /// The app.
        app: App,
        /// The page, as the second part of the node keys (`settings.wifi.use` → `wifi`).
        page: String,
    },
}

/// An encoded screen with lookups.
pub(crate) struct View<'a> {
    screen: &'a EncodedScreen,
}

/// The app whose node keys start with `prefix`.
fn app_for_prefix(prefix: &str) -> Option<App> {
    App::ALL
        .into_iter()
        .find(|app| app.label().eq_ignore_ascii_case(prefix))
}

impl<'a> View<'a> {
    /// A view of `screen`.
    pub fn new(screen: &'a EncodedScreen) -> Self {
        View { screen }
    }

    /// The encoded text.
    pub fn text(&self) -> &'a str {
        &self.screen.text
    }

    /// The element whose node is `key` (or `key` re-rendered under a new key).
    pub fn element(&self, key: &str) -> Option<&'a Element> {
        self.screen.elements.iter().find(|element| {
            element.node_key == key
                || element
                    .node_key
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('~'))
        })
    }

    /// The id of the element whose node is `key`.
    pub fn id(&self, key: &str) -> Option<ElementId> {
        self.element(key).map(|element| element.id)
    }

    /// The first element whose key starts with `prefix` and whose label satisfies `matches`.
    pub fn find(&self, prefix: &str, matches: impl Fn(&str) -> bool) -> Option<&'a Element> {
        self.screen
            .elements
            .iter()
            .find(|element| element.node_key.starts_with(prefix) && matches(&element.label))
    }

    /// Whether any element's key starts with `prefix`.
    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.screen
            .elements
            .iter()
            .any(|element| element.node_key.starts_with(prefix))
    }

    /// The printed line of an element, without its `[id] `.
    pub fn line(&self, id: ElementId) -> Option<&'a str> {
        let prefix = format!("[{id}] ");
        self.screen
            .text
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
    }

    /// The plain lines (no element id), in order.
    fn plain_lines(&self) -> Vec<&'a str> {
        self.screen.text.lines().collect()
    }

    /// Whether a line reads exactly `text`.
    pub fn has_line(&self, text: &str) -> bool {
        self.plain_lines().iter().any(|line| line.trim() == text)
    }

    /// The line right after the line reading exactly `text`.
    pub fn line_after(&self, text: &str) -> Option<&'a str> {
        let lines = self.plain_lines();
        let index = lines.iter().position(|line| line.trim() == text)?;
        lines.get(index + 1).copied()
    }

    /// The line right before the line reading exactly `text`.
    pub fn line_before(&self, text: &str) -> Option<&'a str> {
        let lines = self.plain_lines();
        let index = lines.iter().position(|line| line.trim() == text)?;
        lines.get(index.checked_sub(1)?).copied()
    }

    /// The text a field shows: empty for an empty field, else its label without a trailing
    /// ` | description`.
    pub fn field_value(&self, key: &str) -> Option<String> {
        let element = self.element(key)?;
        let line = self.line(element.id).unwrap_or_default();
        if line.contains("(field, empty") {
            return Some(String::new());
        }
        let value = element
            .label
            .split(" | ")
            .next()
            .unwrap_or_default()
            .to_owned();
        Some(value)
    }

    /// The scroll direction a list's line says there is more in, if it says.
    pub fn more(&self, list_key: &str) -> (bool, bool) {
        let Some(line) = self.id(list_key).and_then(|id| self.line(id)) else {
            return (false, false);
        };
        let below = line.contains("more below");
        let above = line.contains("more above");
        if below || above {
            (below, above)
        } else {
            // A list that scrolls both ways prints no hint.
            (true, true)
        }
    }

    /// Which app and page are in front.
    pub fn location(&self) -> Location {
        if self.has_prefix("systemui.shade.") || self.has_prefix("launcher.recents.") {
            return Location::Overlay;
        }
        for element in &self.screen.elements {
            let mut parts = element.node_key.split('.');
            let (Some(prefix), Some(page)) = (parts.next(), parts.next()) else {
                continue;
            };
            if let Some(app) = app_for_prefix(prefix) {
                return Location::App {
                    app,
                    page: page.to_owned(),
                };
            }
        }
        Location::Launcher
    }
}
