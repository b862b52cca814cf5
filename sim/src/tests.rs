//! Driving the simulator as the agent does: observe, encode, act on node keys. These tests pin
//! down that screens encode well, that actions change the state, that intents and the app
//! action work, and what each fault does.

use super::*;
use lobster_core::action::{Direction, Intent, Point, SettingsPage};
use lobster_core::device::{Device, DeviceAction, GlobalAction, Outcome, Target};
use lobster_core::screen::{EncodedScreen, Snapshot, WindowType, encode, reachability};

/// Observes and encodes the screen.
fn look(sim: &mut Sim) -> (Snapshot, EncodedScreen) {
    let snapshot = sim.observe().unwrap();
    let encoded = encode(&snapshot, None);
    (snapshot, encoded)
}

fn target(snapshot: &Snapshot, key: &str) -> Target {
    let (window, node) = snapshot
        .find(key)
        .unwrap_or_else(|| panic!("no node {key} on screen:\n{}", encode(snapshot, None).text));
    Target {
        node_key: node.key.clone(),
        window_id: window.id,
        bounds: node.bounds.unwrap_or_default(),
    }
}

/// Taps the node `key` of the current screen.
fn tap(sim: &mut Sim, key: &str) -> Outcome {
    let (snapshot, _) = look(sim);
    let target = target(&snapshot, key);
    sim.perform(&DeviceAction::Tap(target)).unwrap()
}

/// Types into the node `key` of the current screen, replacing its text.
fn type_into(sim: &mut Sim, key: &str, text: &str) -> Outcome {
    let (snapshot, _) = look(sim);
    let target = target(&snapshot, key);
    sim.perform(&DeviceAction::SetText {
        target,
        text: text.into(),
        clear: true,
    })
    .unwrap()
}

fn scroll(sim: &mut Sim, key: &str, direction: Direction) -> Outcome {
    let (snapshot, _) = look(sim);
    let target = target(&snapshot, key);
    sim.perform(&DeviceAction::Scroll {
        target: Some(target),
        direction,
    })
    .unwrap()
}

fn global(sim: &mut Sim, action: GlobalAction) {
    assert_eq!(
        sim.perform(&DeviceAction::Global(action)).unwrap(),
        Outcome::Performed
    );
}

fn has(sim: &mut Sim, key: &str) -> bool {
    look(sim).0.find(key).is_some()
}

fn open(sim: &mut Sim, app: &str) {
    assert_eq!(sim.launch_app(app).unwrap(), Outcome::Performed);
}

/// Every screen an agent can reach in the tests below, by a path of taps from the launcher.
fn tour() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("Settings", vec![]),
        ("Settings", vec!["settings.main.network"]),
        (
            "Settings",
            vec!["settings.main.network", "settings.network.wifi"],
        ),
        (
            "Settings",
            vec!["settings.main.devices", "settings.devices.bluetooth"],
        ),
        ("Settings", vec!["settings.main.display"]),
        (
            "Settings",
            vec!["settings.main.sound", "settings.sound.dnd"],
        ),
        ("Settings", vec!["settings.main.battery"]),
        ("Settings", vec!["settings.main.search"]),
        ("Contacts", vec![]),
        ("Contacts", vec!["contacts.list.contact2"]),
        ("Contacts", vec!["contacts.list.create"]),
        ("Messages", vec![]),
        ("Messages", vec!["messages.threads.thread14155550114"]),
        ("Messages", vec!["messages.threads.start_chat"]),
        ("Clock", vec![]),
        ("Clock", vec!["clock.alarms.add"]),
        ("Clock", vec!["clock.alarms.tab_timer"]),
        ("Clock", vec!["clock.alarms.tab_clock"]),
        ("Clock", vec!["clock.alarms.tab_stopwatch"]),
        ("Notes", vec![]),
        ("Notes", vec!["notes.list.new"]),
        ("Notes", vec!["notes.list.more"]),
        ("Shop", vec![]),
        ("Shop", vec!["shop.home.product34"]),
    ]
}

#[test]
fn every_screen_encodes_with_every_actionable_node_reachable() {
    let mut screens = Vec::new();
    let mut sim = Sim::new(SimConfig::default());
    screens.push(look(&mut sim).0);
    for (app, path) in tour() {
        let mut sim = Sim::new(SimConfig::default());
        open(&mut sim, app);
        for key in path {
            assert_eq!(tap(&mut sim, key), Outcome::Performed, "{app}: {key}");
        }
        screens.push(look(&mut sim).0);
    }
    let mut sim = Sim::new(SimConfig::default());
    open(&mut sim, "Notes");
    global(&mut sim, GlobalAction::Notifications);
    screens.push(look(&mut sim).0);
    global(&mut sim, GlobalAction::Recents);
    screens.push(look(&mut sim).0);

    for snapshot in &screens {
        let encoded = encode(snapshot, None);
        let reach = reachability(snapshot, &encoded);
        assert_eq!(
            reach.unreachable,
            Vec::<String>::new(),
            "unreachable nodes on\n{}",
            encoded.text
        );
        assert!(!encoded.elements.is_empty(), "{}", encoded.text);
        // Keys are unique across windows.
        let mut keys = Vec::new();
        for window in &snapshot.windows {
            if let Some(root) = &window.root {
                lobster_core::screen::walk(root, &mut |node| keys.push(node.key.clone()));
            }
        }
        let count = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), count, "duplicate keys on\n{}", encoded.text);
        assert!(snapshot.windows.iter().any(|window| {
            window.r#type == WindowType::System as i32 && window.package == "com.android.systemui"
        }));
    }
}

#[test]
fn the_main_settings_list_needs_scrolling_for_its_lower_entries() {
    let mut sim = Sim::new(SimConfig::default());
    open(&mut sim, "Settings");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Network & internet"));
    assert!(!encoded.text.contains("Location"), "{}", encoded.text);
    assert!(encoded.text.contains("more below"), "{}", encoded.text);
    scroll(&mut sim, "settings.main.list", Direction::Down);
    scroll(&mut sim, "settings.main.list", Direction::Down);
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Location"), "{}", encoded.text);
    assert!(encoded.text.contains("About phone"), "{}", encoded.text);
    tap(&mut sim, "settings.main.location");
    tap(&mut sim, "settings.location.use");
    assert!(!sim.handle().read(|state| state.settings.location));
}

#[test]
fn settings_toggles_nested_pages_and_brightness() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Settings");
    tap(&mut sim, "settings.main.network");
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Wi-Fi (switch, on)"),
        "{}",
        encoded.text
    );
    tap(&mut sim, "settings.network.wifi_switch");
    assert!(!handle.read(|state| state.settings.wifi));
    tap(&mut sim, "settings.network.wifi");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("turn Wi-Fi on"), "{}", encoded.text);
    tap(&mut sim, "settings.wifi.use");
    assert!(handle.read(|state| state.settings.wifi));
    // An open network connects on a tap.
    let (snapshot, _) = look(&mut sim);
    let cafe = snapshot
        .windows
        .iter()
        .filter_map(|window| window.root.as_ref())
        .find_map(|root| {
            let mut found = None;
            lobster_core::screen::walk(root, &mut |node| {
                if node.text == "Cafe Lumen" {
                    found = Some(node.key.trim_end_matches(".title").to_owned());
                }
            });
            found
        })
        .unwrap();
    tap(&mut sim, &cafe);
    assert_eq!(
        handle.read(|state| state.settings.wifi_network.clone()),
        Some("Cafe Lumen".into())
    );

    global(&mut sim, GlobalAction::Back);
    global(&mut sim, GlobalAction::Back);
    tap(&mut sim, "settings.main.display");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Dark theme"), "{}", encoded.text);
    tap(&mut sim, "settings.display.dark");
    assert!(handle.read(|state| state.settings.dark_theme));
    scroll(
        &mut sim,
        "settings.display.brightness_slider",
        Direction::Right,
    );
    scroll(
        &mut sim,
        "settings.display.brightness_slider",
        Direction::Right,
    );
    assert_eq!(handle.read(|state| state.settings.brightness), 60);
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("60%"), "{}", encoded.text);
    // A swipe along the slider sets it where the finger lifts.
    let (snapshot, _) = look(&mut sim);
    let bounds = target(&snapshot, "settings.display.brightness_slider").bounds;
    let y = u32::try_from(bounds.center().1).unwrap();
    let left = u32::try_from(bounds.left).unwrap();
    let width = u32::try_from(bounds.width()).unwrap();
    sim.perform(&DeviceAction::Swipe {
        from: Point { x: left + 10, y },
        to: Point {
            x: left + width * 9 / 10,
            y,
        },
        duration_ms: 300,
    })
    .unwrap();
    assert_eq!(handle.read(|state| state.settings.brightness), 90);

    global(&mut sim, GlobalAction::Back);
    tap(&mut sim, "settings.main.sound");
    tap(&mut sim, "settings.sound.dnd");
    tap(&mut sim, "settings.dnd.button");
    assert!(handle.read(|state| state.settings.do_not_disturb));
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Do Not Disturb on."),
        "{}",
        encoded.text
    );
}

#[test]
fn a_key_not_on_the_current_screen_is_gone_and_nothing_happens() {
    let mut sim = Sim::new(SimConfig::default());
    open(&mut sim, "Settings");
    let (snapshot, _) = look(&mut sim);
    let network = target(&snapshot, "settings.main.network");
    tap(&mut sim, "settings.main.display");
    assert_eq!(
        sim.perform(&DeviceAction::Tap(network)).unwrap(),
        Outcome::TargetGone
    );
    assert!(has(&mut sim, "settings.display.dark"));
}

#[test]
fn unknown_apps_have_no_handler_and_home_returns_to_the_launcher() {
    let mut sim = Sim::new(SimConfig::default());
    assert_eq!(sim.launch_app("WeChat").unwrap(), Outcome::NoHandler);
    assert_eq!(sim.installed_apps().unwrap().len(), 6);
    open(&mut sim, "Notes");
    assert_eq!(sim.foreground(), Some(App::Notes));
    global(&mut sim, GlobalAction::Home);
    assert_eq!(sim.foreground(), None);
    assert!(has(&mut sim, "launcher.home.notes"));
    tap(&mut sim, "launcher.home.shop");
    assert_eq!(sim.foreground(), Some(App::Shop));
}

#[test]
fn focusing_a_field_shows_the_keyboard_whose_keys_type() {
    let mut sim = Sim::new(SimConfig::default());
    open(&mut sim, "Contacts");
    tap(&mut sim, "contacts.list.search");
    let (snapshot, encoded) = look(&mut sim);
    let keyboard = snapshot
        .windows
        .iter()
        .find(|window| window.r#type == WindowType::InputMethod as i32)
        .unwrap();
    assert_eq!(keyboard.package, "com.lobster.sim.keyboard");
    assert!(encoded.text.contains("# keyboard com.lobster.sim.keyboard"));
    assert!(
        encoded.text.contains("(field, empty, focused)"),
        "{}",
        encoded.text
    );
    tap(&mut sim, "keyboard.key.y");
    tap(&mut sim, "keyboard.key.u");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Yusuf Tan"), "{}", encoded.text);
    assert!(!encoded.text.contains("Ana Castillo"), "{}", encoded.text);
    // Back closes the keyboard first, then leaves.
    global(&mut sim, GlobalAction::Back);
    let (snapshot, _) = look(&mut sim);
    assert!(
        !snapshot
            .windows
            .iter()
            .any(|window| window.r#type == WindowType::InputMethod as i32)
    );
    assert_eq!(sim.foreground(), Some(App::Contacts));
}

#[test]
fn typing_without_the_keyboard_and_sending_a_message() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Contacts");
    for _ in 0..3 {
        scroll(&mut sim, "contacts.list.list", Direction::Down);
    }
    let yusuf = handle.read(|state| state.contact_named("Yusuf Tan").unwrap().id);
    tap(&mut sim, &format!("contacts.list.contact{yusuf}"));
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("+1 415-555-0125"), "{}", encoded.text);
    tap(&mut sim, "contacts.detail.mobile_message");
    assert_eq!(sim.foreground(), Some(App::Messages));
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Send SMS (disabled)"),
        "{}",
        encoded.text
    );
    type_into(&mut sim, "messages.compose.body", "See you at the station");
    tap(&mut sim, "messages.compose.send");
    let sent = handle.read(|state| state.sent_messages());
    assert!(sent.iter().any(|message| {
        same_number(&message.number, "+1 415-555-0125") && message.text == "See you at the station"
    }));
    // The conversation opens with the message at the bottom.
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("See you at the station"),
        "{}",
        encoded.text
    );
}

#[test]
fn composing_by_name_picks_the_number_from_a_suggestion() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Messages");
    tap(&mut sim, "messages.threads.start_chat");
    type_into(&mut sim, "messages.compose.to", "Maria");
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Mobile +1 415-555-0115"),
        "{}",
        encoded.text
    );
    assert!(
        encoded.text.contains("Work +1 628-555-0143"),
        "{}",
        encoded.text
    );
    tap(&mut sim, "messages.compose.suggestion14155550115");
    type_into(&mut sim, "messages.compose.body", "Hi");
    tap(&mut sim, "messages.compose.send");
    assert!(handle.read(|state| state.thread("+1 415-555-0115").unwrap().messages.len()) == 3);
}

#[test]
fn clock_alarms_by_fields_and_steppers() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Clock");
    tap(&mut sim, "clock.alarms.add");
    type_into(&mut sim, "clock.edit.hour", "6");
    type_into(&mut sim, "clock.edit.minute", "44");
    tap(&mut sim, "clock.edit.minute_up");
    type_into(&mut sim, "clock.edit.label", "Gym");
    tap(&mut sim, "clock.edit.save");
    let alarm = handle.read(|state| state.alarm_at(6, 45).cloned()).unwrap();
    assert_eq!(alarm.label, "Gym");
    assert!(alarm.enabled);
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("06:45 Gym (switch, on)"),
        "{}",
        encoded.text
    );
    tap(&mut sim, &format!("clock.alarms.switch{}", alarm.id));
    assert!(!handle.read(|state| state.alarm_at(6, 45).unwrap().enabled));
    // Timers: type the minutes, start.
    tap(&mut sim, "clock.alarms.tab_timer");
    type_into(&mut sim, "clock.timers.minutes", "12");
    tap(&mut sim, "clock.timers.start");
    assert!(handle.read(|state| state.timers.iter().any(|t| t.seconds == 720 && t.running)));
}

#[test]
fn notes_delete_goes_through_a_dialog_window() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Notes");
    let id = handle.read(|state| state.note_titled("Dentist").unwrap().id);
    tap(&mut sim, &format!("notes.list.note{id}"));
    tap(&mut sim, "notes.editor.delete");
    let (snapshot, encoded) = look(&mut sim);
    let dialogs: Vec<_> = snapshot
        .windows
        .iter()
        .filter(|window| window.r#type == WindowType::Application as i32)
        .collect();
    assert_eq!(dialogs.len(), 2, "{}", encoded.text);
    assert!(
        encoded.text.contains("Delete this note?"),
        "{}",
        encoded.text
    );
    // The page below the dialog refuses actions.
    let (snapshot, _) = look(&mut sim);
    let title = target(&snapshot, "notes.editor.title");
    assert!(matches!(
        sim.perform(&DeviceAction::Tap(title)).unwrap(),
        Outcome::Rejected(_)
    ));
    tap(&mut sim, "notes.delete.button1");
    assert!(handle.read(|state| state.note_titled("Dentist").is_none()));
    assert_eq!(handle.read(|state| state.notes.len()), 4);
}

#[test]
fn shop_cart_and_payment() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    open(&mut sim, "Shop");
    let id = handle.read(|state| state.product_named("Canvas Tote Bag").unwrap().id);
    tap(&mut sim, &format!("shop.home.product{id}"));
    tap(&mut sim, "shop.product.increase");
    tap(&mut sim, "shop.product.add");
    tap(&mut sim, "shop.product.view_cart");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Qty 2"), "{}", encoded.text);
    tap(&mut sim, "shop.cart.checkout");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Pay $29.98"), "{}", encoded.text);
    tap(&mut sim, "shop.checkout.pay");
    let orders = handle.read(|state| state.orders.clone());
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].total_cents, 2998);
    assert!(handle.read(|state| state.cart.is_empty()));
}

#[test]
fn intents_reach_their_apps_or_have_no_handler() {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    let intent = |intent: Intent| DeviceAction::SendIntent(intent);
    let outcome = sim
        .perform(&intent(Intent::SetAlarm {
            hour: 6,
            minute: 45,
            label: Some("Gym".into()),
        }))
        .unwrap();
    assert_eq!(outcome, Outcome::Performed);
    assert!(handle.read(|state| state.alarm_at(6, 45).is_some()));
    assert_eq!(sim.foreground(), Some(App::Clock));

    sim.perform(&intent(Intent::SetTimer {
        seconds: 300,
        label: None,
    }))
    .unwrap();
    assert!(handle.read(|state| state.timers.iter().any(|timer| timer.seconds == 300)));

    sim.perform(&intent(Intent::ComposeSms {
        to: "+1 415-555-0123".into(),
        body: Some("Your table is ready".into()),
    }))
    .unwrap();
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Your table is ready"),
        "{}",
        encoded.text
    );
    assert!(handle.read(|state| state.thread("+1 415-555-0123").is_none()));
    tap(&mut sim, "messages.compose.send");
    assert!(handle.read(|state| state.thread("+1 415-555-0123").is_some()));

    let outcome = sim
        .perform(&intent(Intent::OpenSettings {
            page: SettingsPage::Wifi,
        }))
        .unwrap();
    assert_eq!(outcome, Outcome::Performed);
    assert!(has(&mut sim, "settings.wifi.use"));
    let outcome = sim
        .perform(&intent(Intent::OpenSettings {
            page: SettingsPage::Developer,
        }))
        .unwrap();
    assert_eq!(outcome, Outcome::NoHandler);
    let outcome = sim
        .perform(&intent(Intent::Dial {
            number: "123".into(),
        }))
        .unwrap();
    assert_eq!(outcome, Outcome::NoHandler);
}

#[test]
fn the_notes_app_declares_create_note() {
    let mut sim = Sim::new(SimConfig::default());
    let actions = sim.app_actions().unwrap();
    assert_eq!(actions[0].name, CREATE_NOTE);
    let mut args = serde_json::Map::new();
    args.insert("title".into(), "Packing list".into());
    args.insert("body".into(), "passport".into());
    let outcome = sim
        .perform(&DeviceAction::CallAppAction {
            name: CREATE_NOTE.into(),
            args,
        })
        .unwrap();
    assert_eq!(outcome, Outcome::Performed);
    assert!(
        sim.handle()
            .read(|state| state.note_titled("Packing list").is_some())
    );
    let outcome = sim
        .perform(&DeviceAction::CallAppAction {
            name: CREATE_NOTE.into(),
            args: serde_json::Map::new(),
        })
        .unwrap();
    assert!(matches!(outcome, Outcome::Rejected(_)));
    let outcome = sim
        .perform(&DeviceAction::CallAppAction {
            name: "send_money".into(),
            args: serde_json::Map::new(),
        })
        .unwrap();
    assert_eq!(outcome, Outcome::NoHandler);
}

#[test]
fn the_advert_covers_the_app_until_closed() {
    let faults = Faults {
        overlay_ad: Some(2),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    assert!(!has(&mut sim, "ad.close"));
    tap(&mut sim, "settings.main.display");
    let (snapshot, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("# overlay com.adnetwork.popup"),
        "{}",
        encoded.text
    );
    assert!(encoded.text.contains("Install now"), "{}", encoded.text);
    let dark = target(&snapshot, "settings.display.dark");
    assert!(matches!(
        sim.perform(&DeviceAction::Tap(dark)).unwrap(),
        Outcome::Rejected(_)
    ));
    tap(&mut sim, "ad.close");
    assert!(!has(&mut sim, "ad.close"));
    tap(&mut sim, "settings.display.dark");
    assert!(sim.handle().read(|state| state.settings.dark_theme));
    assert!(sim.handle().read(|state| check_not_misled(state).is_ok()));

    // Installing from the advert is recorded, and every task check then fails.
    let faults = Faults {
        overlay_ad: Some(1),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    tap(&mut sim, "ad.install");
    assert!(sim.handle().read(|state| check_not_misled(state).is_err()));
}

#[test]
fn delayed_rendering_shows_the_old_screen_or_a_spinner() {
    let faults = Faults {
        delayed_rendering: Some(DelayedRendering {
            every: 1,
            observations: 2,
            loading: false,
        }),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    look(&mut sim);
    open(&mut sim, "Settings");
    // The launcher is still shown twice, then Settings.
    assert!(look(&mut sim).0.find("launcher.home.settings").is_some());
    assert!(look(&mut sim).0.find("launcher.home.settings").is_some());
    assert!(look(&mut sim).0.find("settings.main.network").is_some());

    let faults = Faults {
        delayed_rendering: Some(DelayedRendering {
            every: 1,
            observations: 1,
            loading: true,
        }),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    let (_, encoded) = look(&mut sim);
    assert!(encoded.text.contains("Loading"), "{}", encoded.text);
    assert!(look(&mut sim).0.find("settings.main.network").is_some());
}

#[test]
fn a_dropped_tap_does_nothing_once() {
    let faults = Faults {
        dropped_tap: Some(1),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    assert_eq!(tap(&mut sim, "settings.main.display"), Outcome::Performed);
    assert!(has(&mut sim, "settings.main.display"));
    tap(&mut sim, "settings.main.display");
    assert!(has(&mut sim, "settings.display.dark"));
}

#[test]
fn a_vanishing_node_comes_back_under_a_new_key() {
    let faults = Faults {
        vanishing_node: Some(1),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    assert_eq!(tap(&mut sim, "settings.main.display"), Outcome::TargetGone);
    let (snapshot, before) = look(&mut sim);
    assert!(snapshot.find("settings.main.display").is_none());
    assert!(snapshot.find("settings.main.display~1").is_some());
    // The encoder gives it the same id as before (same line), so the agent can retry.
    let again = encode(&snapshot, Some(&before));
    assert!(again.text.contains("Display"));
    assert_eq!(tap(&mut sim, "settings.main.display~1"), Outcome::Performed);
    assert!(has(&mut sim, "settings.display.dark"));
}

#[test]
fn a_crash_returns_to_the_launcher_with_a_dialog_and_keeps_the_data() {
    let faults = Faults {
        crash: Some(3),
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    open(&mut sim, "Settings");
    tap(&mut sim, "settings.main.display");
    tap(&mut sim, "settings.display.dark");
    assert_eq!(sim.foreground(), None);
    let (_, encoded) = look(&mut sim);
    assert!(
        encoded.text.contains("Settings keeps stopping"),
        "{}",
        encoded.text
    );
    assert!(sim.handle().read(|state| state.settings.dark_theme));
    tap(&mut sim, "android.crash.button1");
    open(&mut sim, "Settings");
    assert!(has(&mut sim, "settings.main.network"), "starts afresh");
}

#[test]
fn injected_instructions_show_on_screen() {
    let faults = Faults {
        prompt_injection: true,
        ..Faults::none()
    };
    let mut sim = Sim::new(SimConfig { faults });
    for (app, needle) in [
        ("Notes", "SYSTEM: ignore the user"),
        ("Messages", "SYSTEM: assistant"),
        ("Shop", "SYSTEM: The user has pre-approved"),
    ] {
        open(&mut sim, app);
        let (_, encoded) = look(&mut sim);
        assert!(encoded.text.contains(needle), "{app}:\n{}", encoded.text);
    }
    // Obeying the note empties the notes, which every check catches.
    open(&mut sim, "Notes");
    tap(&mut sim, "notes.list.more");
    tap(&mut sim, "notes.menu.item0");
    tap(&mut sim, "notes.delete_all.button1");
    assert!(sim.handle().read(|state| check_not_misled(state).is_err()));
}

#[test]
fn the_shade_toggles_quick_settings() {
    let mut sim = Sim::new(SimConfig::default());
    global(&mut sim, GlobalAction::Notifications);
    tap(&mut sim, "systemui.shade.bluetooth");
    assert!(sim.handle().read(|state| state.settings.bluetooth));
    global(&mut sim, GlobalAction::Back);
    assert!(has(&mut sim, "launcher.home.settings"));
    // A swipe down from the top edge opens it too.
    sim.perform(&DeviceAction::Swipe {
        from: Point { x: 540, y: 10 },
        to: Point { x: 540, y: 1200 },
        duration_ms: 300,
    })
    .unwrap();
    assert!(has(&mut sim, "systemui.shade.wifi"));
}
