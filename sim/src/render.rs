//! Composing the whole screen: the app (or launcher) window, a dialog, the keyboard, the status
//! bar, the shade, a crash dialog and an advert, in z-order, as one [`Snapshot`].
//!
//! Why one function renders everything from the state and the navigation: a screen is never
//! stored, so it cannot drift from the data; the device renders afresh both to show a screen
//! and to act on one, and acts only on nodes that the fresh screen has, exactly as Android
//! refuses to act on a node that is no longer attached.

use std::collections::{BTreeSet, HashMap};

use super::apps::{self, Frame, launcher};
use super::faults;
use super::keyboard;
use super::nav::{Nav, Overlay};
use super::state::SimState;
use super::system;
use super::ui::{
    Behaviour, HEIGHT, NAV_HANDLE_TOP, STATUS_BAR_BOTTOM, Ui, WIDTH, class, layout, rect,
};
use lobster_core::screen::{Node, Snapshot, SourceFormat, Window, WindowType};

/// Window ids, stable across screens.
pub(crate) mod window_id {
    /// The status bar.
    pub const STATUS_BAR: i32 = 1;
    /// The app, the launcher or recents.
    pub const APP: i32 = 2;
    /// An app's dialog or popup menu.
    pub const DIALOG: i32 = 3;
    /// The keyboard.
    pub const KEYBOARD: i32 = 4;
    /// The notification shade.
    pub const SHADE: i32 = 5;
    /// The crash dialog.
    pub const CRASH: i32 = 6;
    /// The advert.
    pub const AD: i32 = 7;
}

/// A rendered screen with what its nodes do.
pub(crate) struct Rendered {
    /// The screen.
    pub snapshot: Snapshot,
    /// Behaviours by node key.
    pub behaviours: HashMap<String, Behaviour>,
    /// Windows below this layer are covered by a modal window and refuse actions.
    pub modal_layer: i32,
}

/// What the screen is rendered from.
pub(crate) struct Input<'a> {
    /// The phone's data.
    pub state: &'a SimState,
    /// Where the user is.
    pub nav: &'a Nav,
    /// Base keys of nodes re-rendered under a new key (the `vanishing_node` fault).
    pub rekeyed: &'a BTreeSet<String>,
    /// Capture time.
    pub timestamp_ms: i64,
    /// Show the app's loading spinner instead of its page (the `delayed_rendering` fault).
    pub loading: bool,
}

/// The suffix a re-rendered node's key gets.
pub(crate) const REKEY_SUFFIX: &str = "~1";

/// A node key without the re-render suffix.
pub(crate) fn base_key(key: &str) -> &str {
    key.strip_suffix(REKEY_SUFFIX).unwrap_or(key)
}

fn window(id: i32, kind: WindowType, package: &str, layer: i32, title: &str, root: Node) -> Window {
    Window {
        id,
        r#type: kind as i32,
        package: package.to_owned(),
        layer,
        focused: false,
        bounds: root.bounds,
        title: title.to_owned(),
        root: Some(root),
    }
}

fn has_focused_field(node: &Node) -> bool {
    (node.focused && node.editable) || node.children.iter().any(has_focused_field)
}

/// Renders the screen.
pub(crate) fn render(input: &Input<'_>) -> Rendered {
    let Input { state, nav, .. } = *input;
    let mut windows = Vec::new();
    let mut behaviours = HashMap::new();
    let mut modal_layer = 0;
    let mut foreground_package = launcher::PACKAGE.to_owned();
    let mut keyboard_shown = false;

    let mut system_ui = Ui::new(None, None);
    if nav.overlay == Overlay::Recents {
        let root = launcher::render_recents(nav, &mut system_ui);
        windows.push(window(
            window_id::APP,
            WindowType::Application,
            launcher::PACKAGE,
            1,
            "Recents",
            root,
        ));
    } else if let (Some(app), Some(entry)) = (nav.foreground, nav.top()) {
        foreground_package = app.package().to_owned();
        let mut focus = entry.focus.as_deref();
        let (view, app_behaviours, frame) = loop {
            let frame = Frame {
                top: STATUS_BAR_BOTTOM,
                bottom: if focus.is_some() {
                    keyboard::TOP
                } else {
                    NAV_HANDLE_TOP
                },
            };
            let mut ui = Ui::new(focus, Some(&entry.scroll));
            let view = apps::render(entry, state, frame, &mut ui);
            let focused = view.content.iter().any(has_focused_field)
                || view
                    .dialog
                    .as_ref()
                    .is_some_and(|d| has_focused_field(&d.root));
            if focus.is_some() && !focused {
                // The focused field is not on this page any more: no keyboard.
                focus = None;
                continue;
            }
            break (view, ui.into_behaviours(), frame);
        };
        keyboard_shown = focus.is_some() && !input.loading;
        let (content, dialog) = if input.loading {
            (faults::loading(app.package()), None)
        } else {
            behaviours.extend(app_behaviours);
            (view.content, view.dialog)
        };
        let scope = app.label().to_lowercase();
        let root = layout(
            &format!("{scope}.root"),
            class::FRAME,
            "",
            rect(0, 0, WIDTH, HEIGHT),
            vec![layout(
                &format!("{scope}.content"),
                class::LINEAR,
                "android:id/content",
                rect(0, frame.top, WIDTH, frame.bottom),
                content,
            )],
        );
        let mut app_window = window(
            window_id::APP,
            WindowType::Application,
            app.package(),
            1,
            app.label(),
            root,
        );
        app_window.focused = dialog.is_none();
        windows.push(app_window);
        if let Some(dialog) = dialog {
            let mut dialog_window = window(
                window_id::DIALOG,
                WindowType::Application,
                app.package(),
                2,
                &dialog.title,
                dialog.root,
            );
            dialog_window.focused = true;
            windows.push(dialog_window);
            modal_layer = 2;
        }
    } else {
        let root = launcher::render_home(&mut system_ui);
        let mut home = window(
            window_id::APP,
            WindowType::Application,
            launcher::PACKAGE,
            1,
            "Home",
            root,
        );
        home.focused = true;
        windows.push(home);
    }
    if keyboard_shown && nav.overlay == Overlay::None {
        let root = keyboard::render(nav.keyboard, &mut system_ui);
        windows.push(window(
            window_id::KEYBOARD,
            WindowType::InputMethod,
            keyboard::PACKAGE,
            3,
            "",
            root,
        ));
    }
    if nav.overlay == Overlay::Shade {
        let root = system::shade(state, &mut system_ui);
        windows.push(window(
            window_id::SHADE,
            WindowType::System,
            system::PACKAGE,
            5,
            "Notification shade",
            root,
        ));
        modal_layer = 5;
    } else {
        windows.push(window(
            window_id::STATUS_BAR,
            WindowType::System,
            system::PACKAGE,
            4,
            "Status bar",
            system::status_bar(state),
        ));
    }
    if let Some(app) = nav.crash_dialog {
        let root = system::crash_dialog(app, &mut system_ui);
        let mut crash = window(
            window_id::CRASH,
            WindowType::System,
            system::ANDROID,
            6,
            &format!("{} keeps stopping", app.label()),
            root,
        );
        crash.focused = true;
        windows.push(crash);
        modal_layer = 6;
    }
    if nav.ad {
        let root = faults::ad(&mut system_ui);
        windows.push(window(
            window_id::AD,
            WindowType::AccessibilityOverlay,
            faults::AD_PACKAGE,
            7,
            "",
            root,
        ));
        modal_layer = 7;
    }
    behaviours.extend(system_ui.into_behaviours());

    // Nodes that "vanished" come back under a new key.
    if !input.rekeyed.is_empty() {
        for window in &mut windows {
            if let Some(root) = &mut window.root {
                rekey(root, input.rekeyed, &mut behaviours);
            }
        }
    }

    Rendered {
        snapshot: Snapshot {
            screen_width: WIDTH as u32,
            screen_height: HEIGHT as u32,
            foreground_package,
            timestamp_ms: input.timestamp_ms,
            windows,
            source: SourceFormat::Simulator as i32,
        },
        behaviours,
        modal_layer,
    }
}

fn rekey(node: &mut Node, rekeyed: &BTreeSet<String>, behaviours: &mut HashMap<String, Behaviour>) {
    if rekeyed.contains(&node.key) {
        let new_key = format!("{}{REKEY_SUFFIX}", node.key);
        if let Some(behaviour) = behaviours.remove(&node.key) {
            behaviours.insert(new_key.clone(), behaviour);
        }
        node.key = new_key;
    }
    for child in &mut node.children {
        rekey(child, rekeyed, behaviours);
    }
}
