//! The launcher (`com.lobster.sim.launcher`): the home screen with an icon per app, and the
//! recent-apps overview.
//!
//! Why the launcher is a screen and not only `launch_app`: an agent that presses Home, or
//! lands here after a crash, must be able to read where it is and tap its way back, as on a
//! phone.

use super::act;
use crate::nav::{App, Nav};
use crate::ui::{HEIGHT, Ui, WIDTH, class, layout, node, rect, text};
use lobster_core::screen::Node;

/// The launcher's package.
pub(crate) const PACKAGE: &str = "com.lobster.sim.launcher";

/// The home screen's root node.
pub(crate) fn render_home(ui: &mut Ui) -> Node {
    let mut icons = Vec::new();
    for (index, app) in App::ALL.into_iter().enumerate() {
        let index = i32::try_from(index).unwrap_or(0);
        let (column, row) = (index % 4, index / 4);
        let left = 30 + column * 255;
        let top = 1500 + row * 320;
        let icon = Node {
            text: app.label().into(),
            content_description: app.label().into(),
            resource_id: format!("{PACKAGE}:id/icon"),
            ..node(
                &format!("launcher.home.{}", app.label().to_lowercase()),
                class::TEXT,
                rect(left, top, left + 255, top + 300),
            )
        };
        icons.push(ui.clickable(icon, act(move |world| world.nav.open(app))));
    }
    layout(
        "launcher.home",
        class::FRAME,
        "",
        rect(0, 0, WIDTH, HEIGHT),
        vec![
            text(
                "launcher.home.date",
                &format!("{PACKAGE}:id/date"),
                "Friday, 21 November",
                rect(63, 200, 1017, 300),
            ),
            layout(
                "launcher.home.workspace",
                class::VIEW_GROUP,
                &format!("{PACKAGE}:id/workspace"),
                rect(0, 1480, WIDTH, 2200),
                icons,
            ),
        ],
    )
}

/// The recent-apps overview's root node: a card per app, most recent first.
pub(crate) fn render_recents(nav: &Nav, ui: &mut Ui) -> Node {
    let mut children = Vec::new();
    if nav.recents.is_empty() {
        children.push(text(
            "launcher.recents.empty",
            &format!("{PACKAGE}:id/empty"),
            "No recent items",
            rect(63, 1100, 1017, 1200),
        ));
    }
    for (index, app) in nav.recents.iter().rev().enumerate() {
        let top = 300 + 380 * i32::try_from(index).unwrap_or(0);
        if top + 340 > 2150 {
            break;
        }
        let key = format!("launcher.recents.{}", app.label().to_lowercase());
        let card = layout(
            &key,
            class::FRAME,
            &format!("{PACKAGE}:id/snapshot"),
            rect(140, top, 940, top + 340),
            vec![text(
                &format!("{key}.label"),
                &format!("{PACKAGE}:id/title"),
                app.label(),
                rect(180, top + 20, 900, top + 100),
            )],
        );
        let app = *app;
        children.push(ui.clickable(card, act(move |world| world.nav.open(app))));
    }
    if !nav.recents.is_empty() {
        children.push(ui.button(
            "launcher.recents.clear_all",
            &format!("{PACKAGE}:id/clear_all"),
            "Clear all",
            rect(390, 2180, 690, 2300),
            act(|world| {
                world.nav.stacks.clear();
                world.nav.recents.clear();
                world.nav.home();
            }),
        ));
    }
    layout(
        "launcher.recents",
        class::FRAME,
        &format!("{PACKAGE}:id/overview_panel"),
        rect(0, 0, WIDTH, HEIGHT),
        children,
    )
}
