//! Settings (`com.lobster.sim.settings`): a long main list and nested pages laid out like
//! Android 14's Settings, so an agent has to scroll for the lower entries and go two pages deep
//! for Bluetooth, Wi-Fi networks or Do Not Disturb.
//!
//! Every page is a toolbar over one `RecyclerView` of preference rows; a row that shows a switch
//! is clickable as a whole and its `switch_widget` only shows the state, as in AOSP. The Wi-Fi
//! row of "Network & internet" is the exception AOSP also has: the row opens the Wi-Fi page and
//! a switch of its own toggles the radio.

use std::rc::Rc;

use super::{AppView, DialogView, Frame, act, open, up};
use crate::nav::{Dialog, Page as AnyPage, World};
use crate::state::{SimState, Toggle};
use crate::ui::{
    FieldSpec, ListSpec, OnTap, RowSpec, STATUS_BAR_BOTTOM, TOOLBAR_BOTTOM, Ui, class, layout,
    rect, text,
};
use lobster_core::screen::Node;

const PACKAGE: &str = "com.lobster.sim.settings";

/// A page of Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    /// The main list.
    Main,
    /// Search.
    Search {
        /// The query typed.
        query: String,
    },
    /// Network & internet.
    Network,
    /// Wi-Fi networks.
    Wifi,
    /// Connected devices.
    ConnectedDevices,
    /// Bluetooth.
    Bluetooth,
    /// Display.
    Display,
    /// Sound & vibration.
    Sound,
    /// Do Not Disturb.
    DoNotDisturb,
    /// Battery.
    Battery,
    /// Location.
    Location,
    /// About phone.
    About,
    /// A page with nothing to change, only information.
    Info(Info),
}

/// The information-only pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Info {
    /// Apps.
    Apps,
    /// Notifications.
    Notifications,
    /// Storage.
    Storage,
    /// Wallpaper & style.
    Wallpaper,
    /// Accessibility.
    Accessibility,
    /// Security & privacy.
    Security,
    /// Safety & emergency.
    Safety,
    /// Passwords & accounts.
    Accounts,
    /// Digital Wellbeing.
    Wellbeing,
    /// System.
    System,
    /// Mobile network.
    MobileNetwork,
    /// Hotspot & tethering.
    Hotspot,
    /// Data Saver, VPN, Private DNS.
    NetworkMore,
    /// Bluetooth pairing and saved devices.
    Devices,
    /// Display and sound details.
    Details,
}

impl Info {
    fn content(self) -> (&'static str, &'static [(&'static str, &'static str)]) {
        match self {
            Info::Apps => (
                "Apps",
                &[
                    ("Recently opened apps", "Messages, Clock, Notes"),
                    ("Default apps", "Shop, Messages, Lobster Launcher"),
                    ("Screen time", "1 hr 12 min today"),
                ],
            ),
            Info::Notifications => (
                "Notifications",
                &[
                    ("App notifications", "All apps can send notifications"),
                    ("Notification history", "Off"),
                    ("Conversations", "No priority conversations"),
                ],
            ),
            Info::Storage => (
                "Storage",
                &[
                    ("Used", "52.7 GB of 128 GB"),
                    ("Apps", "21.4 GB"),
                    ("Images", "18.9 GB"),
                    ("System", "12.4 GB"),
                ],
            ),
            Info::Wallpaper => (
                "Wallpaper & style",
                &[("Wallpaper", "Tide pools"), ("Wallpaper colours", "Coral")],
            ),
            Info::Accessibility => (
                "Accessibility",
                &[
                    ("Display size and text", "Default"),
                    ("TalkBack", "Off"),
                    ("Select to Speak", "Off"),
                ],
            ),
            Info::Security => (
                "Security & privacy",
                &[
                    ("Device unlock", "PIN"),
                    ("App security", "No issues found"),
                    (
                        "Privacy dashboard",
                        "No apps used sensitive permissions today",
                    ),
                ],
            ),
            Info::Safety => (
                "Safety & emergency",
                &[("Emergency SOS", "Off"), ("Medical information", "Not set")],
            ),
            Info::Accounts => (
                "Passwords & accounts",
                &[
                    ("Password manager", "12 saved passwords"),
                    ("Accounts", "lobster.sim@example.com"),
                ],
            ),
            Info::Wellbeing => (
                "Digital Wellbeing & parental controls",
                &[
                    ("Screen time", "1 hr 12 min today"),
                    ("Bedtime mode", "Off"),
                ],
            ),
            Info::System => (
                "System",
                &[
                    ("Languages", "English (United States)"),
                    ("Date & time", "GMT-08:00 Pacific Standard Time"),
                    ("Gestures", "Gesture navigation"),
                    ("Backup", "On"),
                ],
            ),
            Info::MobileNetwork => (
                "Mobile network",
                &[
                    ("Carrier", "Lobster Mobile"),
                    ("Mobile data", "On"),
                    ("Roaming", "Off"),
                ],
            ),
            Info::Hotspot => (
                "Hotspot & tethering",
                &[("Wi-Fi hotspot", "Off"), ("USB tethering", "Not connected")],
            ),
            Info::NetworkMore => (
                "Network details",
                &[
                    ("Data Saver", "Off"),
                    ("VPN", "None"),
                    ("Private DNS", "Automatic"),
                ],
            ),
            Info::Devices => (
                "Saved devices",
                &[
                    ("Pixel Buds Pro", "Not connected"),
                    ("Car Audio", "Not connected"),
                ],
            ),
            Info::Details => (
                "Details",
                &[(
                    "Nothing to change here",
                    "This setting is managed by the system",
                )],
            ),
        }
    }
}

/// One item of a settings list.
enum Item {
    /// A row that opens a page or does something.
    Link {
        key: String,
        title: String,
        summary: Option<String>,
        icon: bool,
        on_tap: OnTap,
    },
    /// A row whose switch shows a setting; tapping the row toggles it.
    Switch {
        key: &'static str,
        title: String,
        summary: Option<String>,
        toggle: Toggle,
    },
    /// A row that opens a page, with a switch of its own beside it.
    LinkAndSwitch {
        key: &'static str,
        title: String,
        summary: String,
        page: Page,
        toggle: Toggle,
    },
    /// A row that only shows information.
    Static {
        key: String,
        title: String,
        summary: String,
    },
    /// A category title.
    Header { key: &'static str, title: String },
    /// A paragraph.
    Paragraph { key: &'static str, text: String },
    /// The brightness level with its slider.
    Brightness,
    /// A button.
    Button {
        key: &'static str,
        label: String,
        on_tap: OnTap,
    },
}

impl Item {
    fn height(&self) -> i32 {
        match self {
            Item::Header { .. } => 120,
            Item::Paragraph { .. } => 200,
            Item::Brightness => 300,
            Item::Button { .. } => 180,
            _ => 220,
        }
    }
}

/// A node-key-safe form of a name: `Cafe Lumen` → `cafe_lumen`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn page(page: Page) -> AnyPage {
    AnyPage::Settings(page)
}

fn link(key: &str, title: &str, summary: &str, target: Page) -> Item {
    Item::Link {
        key: key.into(),
        title: title.into(),
        summary: (!summary.is_empty()).then(|| summary.into()),
        icon: false,
        on_tap: open(page(target)),
    }
}

fn switch(key: &'static str, toggle: Toggle, title: &str, summary: &str) -> Item {
    Item::Switch {
        key,
        title: title.into(),
        summary: (!summary.is_empty()).then(|| summary.into()),
        toggle,
    }
}

fn flip(toggle: Toggle) -> OnTap {
    act(move |world| {
        let on = world.state.settings.get(toggle);
        world.state.settings.set(toggle, !on);
    })
}

fn on_off(on: bool) -> &'static str {
    if on { "On" } else { "Off" }
}

/// The entries of the main list: (key, title, summary, page).
fn main_entries(state: &SimState) -> Vec<(&'static str, &'static str, String, Page)> {
    let settings = &state.settings;
    let location = if settings.location {
        "On - 3 apps have access to location".to_owned()
    } else {
        "Off".to_owned()
    };
    vec![
        (
            "network",
            "Network & internet",
            "Wi-Fi, mobile, data usage, hotspot".into(),
            Page::Network,
        ),
        (
            "devices",
            "Connected devices",
            "Bluetooth, pairing".into(),
            Page::ConnectedDevices,
        ),
        (
            "apps",
            "Apps",
            "Assistant, recent apps, default apps".into(),
            Page::Info(Info::Apps),
        ),
        (
            "notifications",
            "Notifications",
            "Notification history, conversations".into(),
            Page::Info(Info::Notifications),
        ),
        (
            "battery",
            "Battery",
            format!("{}% - about 1 day left", settings.battery_percent),
            Page::Battery,
        ),
        (
            "storage",
            "Storage",
            "41% used - 75.3 GB free".into(),
            Page::Info(Info::Storage),
        ),
        (
            "sound",
            "Sound & vibration",
            "Volume, vibration, Do Not Disturb".into(),
            Page::Sound,
        ),
        (
            "display",
            "Display",
            "Dark theme, font size, brightness".into(),
            Page::Display,
        ),
        (
            "wallpaper",
            "Wallpaper & style",
            "Colours, themed icons, app grid".into(),
            Page::Info(Info::Wallpaper),
        ),
        (
            "accessibility",
            "Accessibility",
            "Display, interaction, audio".into(),
            Page::Info(Info::Accessibility),
        ),
        (
            "security",
            "Security & privacy",
            "App security, device lock, permissions".into(),
            Page::Info(Info::Security),
        ),
        ("location", "Location", location, Page::Location),
        (
            "safety",
            "Safety & emergency",
            "Emergency SOS, medical info, alerts".into(),
            Page::Info(Info::Safety),
        ),
        (
            "accounts",
            "Passwords & accounts",
            "Saved passwords, autofill, synced accounts".into(),
            Page::Info(Info::Accounts),
        ),
        (
            "wellbeing",
            "Digital Wellbeing & parental controls",
            "Screen time, app timers, bedtime schedules".into(),
            Page::Info(Info::Wellbeing),
        ),
        (
            "system",
            "System",
            "Languages, gestures, time, backup".into(),
            Page::Info(Info::System),
        ),
        (
            "about",
            "About phone",
            state.about.model.clone(),
            Page::About,
        ),
    ]
}

/// What search finds: (title, where it is, page).
const SEARCHABLE: &[(&str, &str, Page)] = &[
    ("Wi-Fi", "Network & internet", Page::Wifi),
    ("Airplane mode", "Network & internet", Page::Network),
    ("Bluetooth", "Connected devices", Page::Bluetooth),
    ("Brightness level", "Display", Page::Display),
    ("Dark theme", "Display", Page::Display),
    ("Do Not Disturb", "Sound & vibration", Page::DoNotDisturb),
    ("Battery Saver", "Battery", Page::Battery),
    ("Location", "Settings", Page::Location),
    ("Model", "About phone", Page::About),
    ("Android version", "About phone", Page::About),
];

/// Renders a Settings page.
pub(crate) fn render(
    current: &Page,
    dialog: Option<&Dialog>,
    state: &SimState,
    frame: Frame,
    ui: &mut Ui,
) -> AppView {
    let settings = &state.settings;
    let (scope, title, items): (&str, &str, Vec<Item>) = match current {
        Page::Main => return render_main(state, frame, ui),
        Page::Search { query } => return render_search(query, frame, ui),
        Page::Network => (
            "network",
            "Network & internet",
            vec![
                Item::LinkAndSwitch {
                    key: "wifi",
                    title: "Wi-Fi".into(),
                    summary: match (&settings.wifi_network, settings.wifi) {
                        (Some(network), true) => network.clone(),
                        (None, true) => "Not connected".into(),
                        _ => "Off".into(),
                    },
                    page: Page::Wifi,
                    toggle: Toggle::Wifi,
                },
                link(
                    "mobile",
                    "Mobile network",
                    "Lobster Mobile",
                    Page::Info(Info::MobileNetwork),
                ),
                switch("airplane", Toggle::AirplaneMode, "Airplane mode", ""),
                link(
                    "hotspot",
                    "Hotspot & tethering",
                    "Off",
                    Page::Info(Info::Hotspot),
                ),
                link(
                    "data_saver",
                    "Data Saver",
                    "Off",
                    Page::Info(Info::NetworkMore),
                ),
                link("vpn", "VPN", "None", Page::Info(Info::NetworkMore)),
                link(
                    "private_dns",
                    "Private DNS",
                    "Automatic",
                    Page::Info(Info::NetworkMore),
                ),
            ],
        ),
        Page::Wifi => ("wifi", "Wi-Fi", wifi_items(state)),
        Page::ConnectedDevices => (
            "devices",
            "Connected devices",
            vec![
                link("pair", "Pair new device", "", Page::Info(Info::Devices)),
                link(
                    "bluetooth",
                    "Bluetooth",
                    on_off(settings.bluetooth),
                    Page::Bluetooth,
                ),
                link(
                    "saved",
                    "Saved devices",
                    "Pixel Buds Pro, Car Audio",
                    Page::Info(Info::Devices),
                ),
                link(
                    "preferences",
                    "Connection preferences",
                    "Bluetooth, Android Auto, NFC",
                    Page::Info(Info::Details),
                ),
            ],
        ),
        Page::Bluetooth => {
            let mut items = vec![switch("use", Toggle::Bluetooth, "Use Bluetooth", "")];
            if settings.bluetooth {
                items.push(Item::Static {
                    key: "name".into(),
                    title: "Device name".into(),
                    summary: state.about.device_name.clone(),
                });
                items.push(link(
                    "pair",
                    "Pair new device",
                    "",
                    Page::Info(Info::Devices),
                ));
                items.push(Item::Header {
                    key: "saved_header",
                    title: "Saved devices".into(),
                });
                items.push(link(
                    "buds",
                    "Pixel Buds Pro",
                    "Not connected",
                    Page::Info(Info::Devices),
                ));
                items.push(link(
                    "car",
                    "Car Audio",
                    "Not connected",
                    Page::Info(Info::Devices),
                ));
            } else {
                items.push(Item::Paragraph {
                    key: "off_text",
                    text: "When Bluetooth is turned on, your device can communicate with other \
                           nearby Bluetooth devices."
                        .into(),
                });
            }
            ("bluetooth", "Bluetooth", items)
        }
        Page::Display => (
            "display",
            "Display",
            vec![
                Item::Brightness,
                switch(
                    "adaptive",
                    Toggle::AdaptiveBrightness,
                    "Adaptive brightness",
                    "Optimise brightness for ambient light",
                ),
                switch(
                    "dark",
                    Toggle::DarkTheme,
                    "Dark theme",
                    "Will never turn on automatically",
                ),
                link(
                    "timeout",
                    "Screen timeout",
                    "After 30 seconds",
                    Page::Info(Info::Details),
                ),
                link("font", "Font size", "Default", Page::Info(Info::Details)),
                switch("rotate", Toggle::AutoRotate, "Auto-rotate screen", ""),
                link("saver", "Screen saver", "Clock", Page::Info(Info::Details)),
            ],
        ),
        Page::Sound => (
            "sound",
            "Sound & vibration",
            vec![
                link(
                    "dnd",
                    "Do Not Disturb",
                    on_off(settings.do_not_disturb),
                    Page::DoNotDisturb,
                ),
                link(
                    "ringtone",
                    "Phone ringtone",
                    "Lobster Chime",
                    Page::Info(Info::Details),
                ),
                link(
                    "vibration",
                    "Vibration & haptics",
                    "On",
                    Page::Info(Info::Details),
                ),
                link("caption", "Live Caption", "Off", Page::Info(Info::Details)),
            ],
        ),
        Page::DoNotDisturb => {
            let on = settings.do_not_disturb;
            (
                "dnd",
                "Do Not Disturb",
                vec![
                    Item::Paragraph {
                        key: "status",
                        text: if on {
                            "Do Not Disturb is on".into()
                        } else {
                            "Only get notified by important people and apps".into()
                        },
                    },
                    Item::Button {
                        key: "button",
                        label: if on { "Turn off now" } else { "Turn on now" }.into(),
                        on_tap: flip(Toggle::DoNotDisturb),
                    },
                    link(
                        "people",
                        "People",
                        "Some people can interrupt",
                        Page::Info(Info::Details),
                    ),
                    link(
                        "apps",
                        "Apps",
                        "No apps can interrupt",
                        Page::Info(Info::Details),
                    ),
                    link(
                        "alarms",
                        "Alarms & other interruptions",
                        "Alarms, media",
                        Page::Info(Info::Details),
                    ),
                    link(
                        "schedules",
                        "Schedules",
                        "1 schedule set",
                        Page::Info(Info::Details),
                    ),
                ],
            )
        }
        Page::Battery => (
            "battery",
            "Battery",
            vec![
                Item::Paragraph {
                    key: "level",
                    text: format!("{}% - about 1 day left", settings.battery_percent),
                },
                link(
                    "usage",
                    "Battery usage",
                    "View usage for past 24 hours",
                    Page::Info(Info::Details),
                ),
                switch(
                    "saver",
                    Toggle::BatterySaver,
                    "Battery Saver",
                    "Extend battery life",
                ),
                link(
                    "adaptive",
                    "Adaptive Battery",
                    "On",
                    Page::Info(Info::Details),
                ),
            ],
        ),
        Page::Location => {
            let mut items = vec![switch("use", Toggle::Location, "Use location", "")];
            if settings.location {
                items.push(Item::Header {
                    key: "recent_header",
                    title: "Recent access".into(),
                });
                items.push(Item::Static {
                    key: "recent_maps".into(),
                    title: "Maps".into(),
                    summary: "2 min ago".into(),
                });
                items.push(Item::Static {
                    key: "recent_weather".into(),
                    title: "Weather".into(),
                    summary: "1 hr ago".into(),
                });
            }
            items.push(link(
                "permissions",
                "App location permissions",
                "3 of 14 apps have access to location",
                Page::Info(Info::Details),
            ));
            ("location", "Location", items)
        }
        Page::About => {
            let about = &state.about;
            let rows = [
                ("device_name", "Device name", &about.device_name),
                ("phone_number", "Phone number", &about.phone_number),
                ("model", "Model", &about.model),
                ("android_version", "Android version", &about.android_version),
                ("build", "Build number", &about.build),
            ];
            (
                "about",
                "About phone",
                rows.iter()
                    .map(|(key, title, value)| Item::Static {
                        key: (*key).into(),
                        title: (*title).into(),
                        summary: (*value).clone(),
                    })
                    .collect(),
            )
        }
        Page::Info(info) => {
            let (title, rows) = info.content();
            (
                "info",
                title,
                rows.iter()
                    .enumerate()
                    .map(|(index, (title, summary))| Item::Static {
                        key: format!("row{index}"),
                        title: (*title).into(),
                        summary: (*summary).into(),
                    })
                    .collect(),
            )
        }
    };
    let toolbar = ui.toolbar(
        &format!("settings.{scope}"),
        PACKAGE,
        title,
        Some(up()),
        Vec::new(),
    );
    let list = item_list(
        ui,
        state,
        scope,
        &items,
        rect(0, TOOLBAR_BOTTOM, 1080, frame.bottom),
    );
    let dialog = match dialog {
        Some(Dialog::WifiPassword {
            ssid,
            password,
            wrong,
        }) if *current == Page::Wifi => Some(password_dialog(ui, ssid, password, *wrong)),
        _ => None,
    };
    AppView {
        content: vec![toolbar, list],
        dialog,
    }
}

fn wifi_items(state: &SimState) -> Vec<Item> {
    let settings = &state.settings;
    let mut items = vec![switch("use", Toggle::Wifi, "Use Wi-Fi", "")];
    if !settings.wifi {
        items.push(Item::Paragraph {
            key: "off_text",
            text: "To see available networks, turn Wi-Fi on.".into(),
        });
        return items;
    }
    let mut networks: Vec<_> = settings.networks.iter().collect();
    // The connected network comes first, as on a phone.
    networks.sort_by_key(|network| Some(&network.ssid) != settings.wifi_network.as_ref());
    for network in networks {
        let connected = Some(&network.ssid) == settings.wifi_network.as_ref();
        let summary = if connected {
            "Connected"
        } else if network.saved {
            "Saved"
        } else if network.secured {
            "Secured"
        } else {
            "Open"
        };
        let ssid = network.ssid.clone();
        let secured = network.secured && !network.saved;
        let on_tap = if connected {
            open(page(Page::Info(Info::Details)))
        } else {
            act(move |world| {
                if secured {
                    world.dialog(Some(Dialog::WifiPassword {
                        ssid: ssid.clone(),
                        password: String::new(),
                        wrong: false,
                    }));
                } else {
                    world.state.settings.wifi_network = Some(ssid.clone());
                }
            })
        };
        items.push(Item::Link {
            key: format!("net_{}", slug(&network.ssid)),
            title: network.ssid.clone(),
            summary: Some(summary.into()),
            icon: true,
            on_tap,
        });
    }
    items.push(link("add", "Add network", "", Page::Info(Info::Details)));
    items
}

fn password_dialog(ui: &mut Ui, ssid: &str, password: &str, wrong: bool) -> DialogView {
    let ssid_for_text = ssid.to_owned();
    let field = ui.field(
        "settings.wifi_dialog.password",
        &format!("{PACKAGE}:id/password"),
        &FieldSpec {
            text: password,
            hint: "Password",
            password: true,
            description: "",
        },
        rect(132, 1080, 948, 1200),
        Rc::new(move |world: &mut World<'_>, typed: String| {
            if let Some(top) = world.nav.top_mut()
                && let Some(Dialog::WifiPassword { password, .. }) = &mut top.dialog
            {
                *password = typed;
            }
        }),
        None,
    );
    let ssid_owned = ssid.to_owned();
    let connect = act(move |world| {
        let Some(top) = world.nav.top_mut() else {
            return;
        };
        let Some(Dialog::WifiPassword {
            password, wrong, ..
        }) = &mut top.dialog
        else {
            return;
        };
        let typed = password.clone();
        let settings = &mut world.state.settings;
        let correct = settings
            .networks
            .iter()
            .any(|network| network.ssid == ssid_owned && network.password == typed);
        if correct {
            top.dialog = None;
            top.focus = None;
            if let Some(network) = settings
                .networks
                .iter_mut()
                .find(|network| network.ssid == ssid_owned)
            {
                network.saved = true;
            }
            settings.wifi_network = Some(ssid_owned.clone());
        } else {
            *wrong = true;
        }
    });
    let cancel = act(|world| world.dialog(None));
    let message = if wrong { "Incorrect password" } else { "" };
    let root = ui.alert(
        "settings.wifi_dialog",
        &ssid_for_text,
        message,
        vec![field],
        vec![("Connect", connect), ("Cancel", cancel)],
    );
    DialogView {
        title: ssid.to_owned(),
        root,
    }
}

fn render_main(state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let title = text(
        "settings.main.title",
        &format!("{PACKAGE}:id/homepage_title"),
        "Settings",
        rect(63, STATUS_BAR_BOTTOM + 60, 1017, 330),
    );
    let search = ui.clickable(
        text(
            "settings.main.search",
            &format!("{PACKAGE}:id/search_action_bar"),
            "Search settings",
            rect(42, 350, 1038, 490),
        ),
        act(|world| {
            world.nav.push(page(Page::Search {
                query: String::new(),
            }));
            world.focus(Some("settings.search.field".into()));
        }),
    );
    let entries = main_entries(state);
    let items: Vec<Item> = entries
        .into_iter()
        .map(|(key, title, summary, target)| Item::Link {
            key: key.into(),
            title: title.into(),
            summary: Some(summary),
            icon: true,
            on_tap: open(page(target)),
        })
        .collect();
    let list = item_list(ui, state, "main", &items, rect(0, 520, 1080, frame.bottom));
    AppView::page(vec![title, search, list])
}

fn render_search(query: &str, frame: Frame, ui: &mut Ui) -> AppView {
    let field = ui.field(
        "settings.search.field",
        &format!("{PACKAGE}:id/search_src_text"),
        &FieldSpec {
            text: query,
            hint: "Search settings",
            password: false,
            description: "",
        },
        rect(170, 115, 1040, 231),
        Rc::new(|world: &mut World<'_>, typed: String| {
            if let Some(AnyPage::Settings(Page::Search { query })) = world.page() {
                *query = typed;
            }
        }),
        None,
    );
    let back = ui.image_button(
        "settings.search.up",
        "",
        "Navigate up",
        rect(16, 115, 142, 231),
        up(),
    );
    let bar = layout(
        "settings.search.toolbar",
        class::VIEW_GROUP,
        &format!("{PACKAGE}:id/search_bar"),
        rect(0, STATUS_BAR_BOTTOM, 1080, TOOLBAR_BOTTOM),
        vec![back, field],
    );
    let wanted = query.trim().to_lowercase();
    let results: Vec<Item> = if wanted.is_empty() {
        Vec::new()
    } else {
        SEARCHABLE
            .iter()
            .filter(|(title, _, _)| title.to_lowercase().contains(&wanted))
            .map(|(title, place, target)| Item::Link {
                key: format!("result_{}", slug(title)),
                title: (*title).into(),
                summary: Some((*place).into()),
                icon: false,
                on_tap: open(page(target.clone())),
            })
            .collect()
    };
    let list = item_list(
        ui,
        &SimState::default(),
        "search",
        &results,
        rect(0, TOOLBAR_BOTTOM, 1080, frame.bottom),
    );
    AppView::page(vec![bar, list])
}

/// The `RecyclerView` of a page's items.
fn item_list(
    ui: &mut Ui,
    state: &SimState,
    scope: &str,
    items: &[Item],
    bounds: lobster_core::screen::Rect,
) -> Node {
    let heights: Vec<i32> = items.iter().map(Item::height).collect();
    let list_key = format!("settings.{scope}.list");
    ui.list(
        &ListSpec {
            key: &list_key,
            res: &format!("{PACKAGE}:id/recycler_view"),
            bounds,
            heights: &heights,
            from_end: false,
        },
        |ui, index, bounds| render_item(ui, state, scope, &items[index], bounds),
    )
}

fn render_item(
    ui: &mut Ui,
    state: &SimState,
    scope: &str,
    item: &Item,
    bounds: lobster_core::screen::Rect,
) -> Node {
    match item {
        Item::Link {
            key,
            title,
            summary,
            icon,
            on_tap,
        } => {
            let key = format!("settings.{scope}.{key}");
            ui.row(
                &key,
                &RowSpec {
                    title,
                    summary: summary.as_deref(),
                    icon: *icon,
                    switch: None,
                    disabled: false,
                },
                bounds,
                on_tap.clone(),
            )
        }
        Item::Switch {
            key,
            title,
            summary,
            toggle,
        } => ui.row(
            &format!("settings.{scope}.{key}"),
            &RowSpec {
                title,
                summary: summary.as_deref(),
                icon: false,
                switch: Some(state.settings.get(*toggle)),
                disabled: false,
            },
            bounds,
            flip(*toggle),
        ),
        Item::LinkAndSwitch {
            key,
            title,
            summary,
            page: target,
            toggle,
        } => {
            let key = format!("settings.{scope}.{key}");
            let mut row = ui.row(
                &key,
                &RowSpec {
                    title,
                    summary: Some(summary),
                    icon: true,
                    switch: None,
                    disabled: false,
                },
                bounds,
                open(page(target.clone())),
            );
            let middle = bounds.top + bounds.height() / 2;
            let switch = ui.switch(
                &format!("{key}_switch"),
                "android:id/switch_widget",
                title,
                state.settings.get(*toggle),
                rect(911, middle - 36, 1017, middle + 36),
                flip(*toggle),
            );
            row.children.push(layout(
                &format!("{key}.widget"),
                class::LINEAR,
                "android:id/widget_frame",
                rect(880, bounds.top, 1080, bounds.bottom),
                vec![switch],
            ));
            row
        }
        Item::Static {
            key,
            title,
            summary,
        } => {
            let key = format!("settings.{scope}.{key}");
            layout(
                &key,
                class::LINEAR,
                "",
                bounds,
                vec![
                    text(
                        &format!("{key}.title"),
                        "android:id/title",
                        title,
                        rect(63, bounds.top + 30, 1017, bounds.top + 110),
                    ),
                    text(
                        &format!("{key}.summary"),
                        "android:id/summary",
                        summary,
                        rect(63, bounds.top + 110, 1017, bounds.bottom - 30),
                    ),
                ],
            )
        }
        Item::Header { key, title } => text(
            &format!("settings.{scope}.{key}"),
            "android:id/title",
            title,
            rect(63, bounds.top + 40, 1017, bounds.bottom),
        ),
        Item::Paragraph { key, text: body } => text(
            &format!("settings.{scope}.{key}"),
            "android:id/summary",
            body,
            rect(63, bounds.top + 30, 1017, bounds.bottom - 30),
        ),
        Item::Brightness => {
            let level = state.settings.brightness;
            let key = format!("settings.{scope}.brightness");
            let slider = ui.slider(
                &format!("{key}_slider"),
                "Brightness level",
                u32::from(level),
                rect(63, bounds.top + 180, 1017, bounds.bottom - 20),
                Rc::new(|world: &mut World<'_>, value: u32| {
                    world.state.settings.brightness = u8::try_from(value.min(100)).unwrap_or(100);
                }),
            );
            layout(
                &key,
                class::LINEAR,
                "",
                bounds,
                vec![
                    text(
                        &format!("{key}.title"),
                        "android:id/title",
                        "Brightness level",
                        rect(63, bounds.top + 30, 1017, bounds.top + 100),
                    ),
                    text(
                        &format!("{key}.summary"),
                        "android:id/summary",
                        &format!("{level}%"),
                        rect(63, bounds.top + 100, 1017, bounds.top + 170),
                    ),
                    slider,
                ],
            )
        }
        Item::Button { key, label, on_tap } => ui.button(
            &format!("settings.{scope}.{key}"),
            &format!("{PACKAGE}:id/zen_mode_settings_turn_on_button"),
            label,
            rect(63, bounds.top + 30, 600, bounds.bottom - 30),
            on_tap.clone(),
        ),
    }
}

/// The page an `open_settings` intent opens, if Settings has it.
pub(crate) fn page_for_intent(settings_page: lobster_core::action::SettingsPage) -> Option<Page> {
    use lobster_core::action::SettingsPage as S;
    Some(match settings_page {
        S::Main => Page::Main,
        S::Wifi => Page::Wifi,
        S::Bluetooth => Page::Bluetooth,
        S::Network | S::Airplane => Page::Network,
        S::Display => Page::Display,
        S::Sound => Page::Sound,
        S::Location => Page::Location,
        S::BatterySaver => Page::Battery,
        S::About => Page::About,
        S::Apps => Page::Info(Info::Apps),
        S::Notifications => Page::Info(Info::Notifications),
        S::Storage => Page::Info(Info::Storage),
        S::Accessibility => Page::Info(Info::Accessibility),
        S::Security | S::Privacy => Page::Info(Info::Security),
        S::DataRoaming
        | S::DataUsage
        | S::Nfc
        | S::Cast
        | S::Vpn
        | S::Date
        | S::Language
        | S::Developer => return None,
    })
}
