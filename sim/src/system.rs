//! System UI (`com.android.systemui`, `android`): the status bar, the notification shade with
//! quick settings, and the "app keeps stopping" dialog after a crash.
//!
//! Why: real screens always carry a status bar window, and the shade is a second way to flip
//! Wi-Fi or Do Not Disturb; both come from a package that is not the app, which the encoder
//! and the guard must tell apart. The crash dialog is what an agent sees when the `crash` fault
//! strikes.

use super::apps::{act, messages};
use super::nav::{App, Page};
use super::state::{SimState, Toggle, digits};
use super::ui::{HEIGHT, STATUS_BAR_BOTTOM, Ui, WIDTH, class, image, layout, node, rect, text};
use lobster_core::screen::Node;

/// System UI's package.
pub(crate) const PACKAGE: &str = "com.android.systemui";
/// The framework's package, owner of the crash dialog.
pub(crate) const ANDROID: &str = "android";

/// The status bar's root node: the time and the icons that reflect the settings.
pub(crate) fn status_bar(state: &SimState) -> Node {
    let settings = &state.settings;
    let mut icons = Vec::new();
    let mut describe = |key: &str, description: &str| {
        let left = 1000 - 70 * i32::try_from(icons.len()).unwrap_or(0);
        icons.push(image(
            &format!("systemui.status.{key}"),
            "",
            description,
            rect(left - 60, 20, left, 76),
        ));
    };
    describe(
        "battery",
        &format!("Battery {} percent.", settings.battery_percent),
    );
    if settings.wifi {
        describe(
            "wifi",
            if settings.wifi_network.is_some() {
                "Wi-Fi signal full."
            } else {
                "Wi-Fi, no network."
            },
        );
    }
    if settings.bluetooth {
        describe("bluetooth", "Bluetooth on.");
    }
    if settings.do_not_disturb {
        describe("dnd", "Do Not Disturb on.");
    }
    if settings.airplane_mode {
        describe("airplane", "Airplane mode on.");
    }
    if settings.battery_saver {
        describe("saver", "Battery Saver on.");
    }
    layout(
        "systemui.status",
        class::FRAME,
        &format!("{PACKAGE}:id/status_bar"),
        rect(0, 0, WIDTH, STATUS_BAR_BOTTOM),
        vec![
            text(
                "systemui.status.clock",
                &format!("{PACKAGE}:id/clock"),
                &state.system.now.clock(),
                rect(60, 20, 200, 76),
            ),
            layout(
                "systemui.status.icons",
                class::LINEAR,
                &format!("{PACKAGE}:id/system_icons"),
                rect(500, 0, WIDTH, STATUS_BAR_BOTTOM),
                icons,
            ),
        ],
    )
}

/// The notification shade's root node: quick settings tiles, brightness and notifications.
pub(crate) fn shade(state: &SimState, ui: &mut Ui) -> Node {
    let settings = &state.settings;
    let tiles = [
        ("wifi", "Wi-Fi", Toggle::Wifi),
        ("bluetooth", "Bluetooth", Toggle::Bluetooth),
        ("dnd", "Do Not Disturb", Toggle::DoNotDisturb),
        ("dark", "Dark theme", Toggle::DarkTheme),
        ("saver", "Battery Saver", Toggle::BatterySaver),
        ("airplane", "Airplane mode", Toggle::AirplaneMode),
    ];
    let mut tile_nodes = Vec::new();
    for (index, (key, label, toggle)) in tiles.into_iter().enumerate() {
        let index = i32::try_from(index).unwrap_or(0);
        let left = 42 + (index % 2) * 510;
        let top = 260 + (index / 2) * 190;
        let tile = Node {
            text: label.into(),
            checkable: true,
            checked: settings.get(toggle),
            resource_id: format!("{PACKAGE}:id/qs_tile"),
            ..node(
                &format!("systemui.shade.{key}"),
                class::SWITCH,
                rect(left, top, left + 486, top + 170),
            )
        };
        tile_nodes.push(ui.clickable(
            tile,
            act(move |world| {
                let on = world.state.settings.get(toggle);
                world.state.settings.set(toggle, !on);
            }),
        ));
    }
    let brightness = ui.slider(
        "systemui.shade.brightness",
        "Display brightness",
        u32::from(settings.brightness),
        rect(42, 860, 1038, 960),
        std::rc::Rc::new(|world: &mut super::nav::World<'_>, value: u32| {
            world.state.settings.brightness = u8::try_from(value.min(100)).unwrap_or(100);
        }),
    );
    let mut children = vec![
        text(
            "systemui.shade.clock",
            &format!("{PACKAGE}:id/clock"),
            &state.system.now.clock(),
            rect(60, 120, 400, 220),
        ),
        text(
            "systemui.shade.date",
            &format!("{PACKAGE}:id/date"),
            "Fri, Nov 21",
            rect(420, 120, 900, 220),
        ),
        layout(
            "systemui.shade.tiles",
            class::VIEW_GROUP,
            &format!("{PACKAGE}:id/quick_qs_panel"),
            rect(0, 240, WIDTH, 840),
            tile_nodes,
        ),
        brightness,
    ];
    // A notification for each of the two latest conversations whose last message is incoming.
    let mut top = 1020;
    for thread in state
        .threads
        .iter()
        .filter(|thread| thread.messages.last().is_some_and(|m| !m.outgoing))
        .take(2)
    {
        let key = format!("systemui.shade.notification{}", digits(&thread.number));
        let last = thread
            .messages
            .last()
            .map_or("", |message| message.text.as_str());
        let card = layout(
            &key,
            class::FRAME,
            &format!("{PACKAGE}:id/expandableNotificationRow"),
            rect(42, top, 1038, top + 220),
            vec![
                text(
                    &format!("{key}.app"),
                    "android:id/app_name_text",
                    "Messages",
                    rect(84, top + 20, 500, top + 70),
                ),
                text(
                    &format!("{key}.title"),
                    "android:id/title",
                    &state.display_name(&thread.number),
                    rect(84, top + 70, 1000, top + 130),
                ),
                text(
                    &format!("{key}.text"),
                    "android:id/text",
                    last,
                    rect(84, top + 130, 1000, top + 200),
                ),
            ],
        );
        let number = thread.number.clone();
        children.push(ui.clickable(
            card,
            act(move |world| {
                world.nav.push(Page::Messages(messages::Page::Thread {
                    number: number.clone(),
                    draft: String::new(),
                }));
            }),
        ));
        top += 240;
    }
    layout(
        "systemui.shade",
        class::FRAME,
        &format!("{PACKAGE}:id/notification_panel"),
        rect(0, 0, WIDTH, HEIGHT),
        children,
    )
}

/// The crash dialog's root node.
pub(crate) fn crash_dialog(app: App, ui: &mut Ui) -> Node {
    ui.alert(
        "android.crash",
        &format!("{} keeps stopping", app.label()),
        "",
        Vec::new(),
        vec![
            ("Close app", act(|world| world.nav.crash_dialog = None)),
            (
                "Open app again",
                act(move |world| {
                    world.nav.crash_dialog = None;
                    world.nav.open(app);
                }),
            ),
        ],
    )
}
