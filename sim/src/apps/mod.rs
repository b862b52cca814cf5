//! The virtual apps: each renders its pages from the phone's state and says what its widgets do.
//!
//! Why one module per app with the same two entry points (a `Page` enum and a `render`
//! function): the device and the screen composer treat every app alike, and an app's pages,
//! layouts and behaviours read top to bottom in one file, like an app's own source would.

pub(crate) mod clock;
pub(crate) mod contacts;
pub(crate) mod launcher;
pub(crate) mod messages;
pub(crate) mod notes;
pub(crate) mod settings;
pub(crate) mod shop;

use std::rc::Rc;

use super::nav::{Page, PageEntry, World};
use super::state::SimState;
use super::ui::{OnTap, Ui};
use lobster_core::screen::Node;

/// The part of the screen an app lays out in: below the status bar, above the navigation
/// handle or the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frame {
    /// First row of pixels.
    pub top: i32,
    /// Row below the last.
    pub bottom: i32,
}

/// What an app shows for its top page.
pub(crate) struct AppView {
    /// The page's nodes, children of the app window's content view.
    pub content: Vec<Node>,
    /// A dialog or popup menu over the page, in a window of its own.
    pub dialog: Option<DialogView>,
}

/// A dialog's window.
pub(crate) struct DialogView {
    /// The window title.
    pub title: String,
    /// Its root node.
    pub root: Node,
}

impl AppView {
    /// A page without a dialog.
    pub fn page(content: Vec<Node>) -> AppView {
        AppView {
            content,
            dialog: None,
        }
    }
}

/// Renders the top page of an app.
pub(crate) fn render(entry: &PageEntry, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let dialog = entry.dialog.as_ref();
    match &entry.page {
        Page::Settings(page) => settings::render(page, dialog, state, frame, ui),
        Page::Contacts(page) => contacts::render(page, state, frame, ui),
        Page::Messages(page) => messages::render(page, state, frame, ui),
        Page::Clock(page) => clock::render(page, state, frame, ui),
        Page::Notes(page) => notes::render(page, dialog, state, frame, ui),
        Page::Shop(page) => shop::render(page, state, frame, ui),
    }
}

/// A behaviour from a closure.
pub(crate) fn act(behaviour: impl Fn(&mut World<'_>) + 'static) -> OnTap {
    Rc::new(behaviour)
}

/// "Navigate up": leave the page.
pub(crate) fn up() -> OnTap {
    act(|world| world.nav.pop())
}

/// Open `page` on top of the current one.
pub(crate) fn open(page: Page) -> OnTap {
    act(move |world| world.nav.push(page.clone()))
}
