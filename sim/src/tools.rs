//! The system tools of the catalog, run against the simulated phone's state: the flashlight,
//! the ringer, media, Do Not Disturb, brightness, alarms and timers, contacts, the calendar,
//! the battery, the network, the clock, the clipboard, direct texts and calls, the shade.
//!
//! Why in the simulator: each tool must be tested end to end (planned, guarded, run, its
//! result read by the planner, its effect checked) and a phone is not at hand; the simulator
//! runs each one as Android would on its own state, so [`effect`] can say whether it took. What
//! the simulated phone has no app for (a camera, a browser for links) answers
//! [`Outcome::NoHandler`], as Android does when no activity resolves, so the loop's fallback is
//! exercised too. Reads answer in a few words ([`Outcome::Returned`]), as the Android runner
//! does.

use lobster_core::action::{Intent, MediaCommand, SettingsPage, SettingsPanel};
use lobster_core::device::{Outcome, RouteEffect};

use super::apps::{clock, settings};
use super::nav::{App, Overlay, Page, World};
use super::state::{SimState, Toggle, on_off};

/// How many events `next_event` reads.
const EVENTS_READ: usize = 3;

/// Runs a system tool; `None` for the standard intents, which `intents::send` handles.
pub(crate) fn run(world: &mut World<'_>, intent: &Intent) -> Option<Outcome> {
    let state = &mut *world.state;
    let system = &mut state.system;
    Some(match intent {
        Intent::Flashlight { on } => {
            system.flashlight = *on;
            Outcome::Performed
        }
        Intent::RingerMode { mode } => {
            system.ringer = *mode;
            Outcome::Performed
        }
        Intent::MediaVolume { percent } => {
            system.media_volume = *percent;
            Outcome::Performed
        }
        Intent::MediaControl { command } => {
            match command {
                MediaCommand::Play => system.media_playing = true,
                MediaCommand::Pause => system.media_playing = false,
                MediaCommand::Next => system.media_track += 1,
                MediaCommand::Previous => system.media_track = system.media_track.saturating_sub(1),
            }
            Outcome::Performed
        }
        Intent::DoNotDisturb { on } => {
            state.settings.set(Toggle::DoNotDisturb, *on);
            Outcome::Performed
        }
        Intent::ScreenBrightness { percent } => {
            state.settings.brightness = *percent;
            Outcome::Performed
        }
        Intent::CopyToClipboard { text } => {
            system.clipboard = Some(text.clone());
            Outcome::Performed
        }
        Intent::ReadClipboard => Outcome::Returned(match &system.clipboard {
            Some(text) => format!("the clipboard holds: {text}"),
            None => "the clipboard is empty".into(),
        }),
        Intent::BatteryStatus => Outcome::Returned(format!(
            "{} %, {}",
            state.settings.battery_percent,
            if system.charging {
                "charging"
            } else {
                "not charging"
            }
        )),
        Intent::NetworkStatus => Outcome::Returned(network(state)),
        Intent::CurrentTime => {
            let now = system.now;
            Outcome::Returned(format!("{} {} {}", now.weekday, now.date, now.clock()))
        }
        Intent::NextAlarm => Outcome::Returned(next_alarm(state)),
        Intent::NextEvent => Outcome::Returned(next_events(state)),
        Intent::FindContact { name } => Outcome::Returned(find_contact(state, name)),
        Intent::DismissAlarm { hour, minute } => {
            match state
                .alarms
                .iter_mut()
                .find(|alarm| alarm.hour == *hour && alarm.minute == *minute)
            {
                Some(alarm) => {
                    alarm.enabled = false;
                    Outcome::Performed
                }
                None => Outcome::Rejected("no alarm is set for that time".into()),
            }
        }
        Intent::CancelTimer => {
            let running = state.timers.iter_mut().filter(|timer| timer.running);
            let mut stopped = 0;
            for timer in running {
                timer.running = false;
                stopped += 1;
            }
            if stopped == 0 {
                Outcome::Rejected("no timer is running".into())
            } else {
                Outcome::Performed
            }
        }
        Intent::SendSms { to, body } => {
            state.send_message(to, body);
            Outcome::Performed
        }
        Intent::CallNumber { number } => {
            system.calls.push(number.clone());
            Outcome::Performed
        }
        Intent::LockScreen => {
            system.locked = true;
            Outcome::Performed
        }
        Intent::TakeScreenshot => {
            system.screenshots += 1;
            Outcome::Performed
        }
        Intent::ShowAlarms => {
            world
                .nav
                .start(App::Clock, vec![Page::Clock(clock::Page::Alarms)]);
            Outcome::Performed
        }
        Intent::SettingsPanel { panel } => {
            let page = match panel {
                SettingsPanel::Internet => SettingsPage::Network,
                SettingsPanel::Wifi => SettingsPage::Wifi,
                SettingsPanel::Nfc => SettingsPage::Nfc,
                SettingsPanel::Volume => SettingsPage::Sound,
            };
            match settings::page_for_intent(page) {
                Some(page) => {
                    world.nav.start(App::Settings, vec![Page::Settings(page)]);
                    Outcome::Performed
                }
                None => Outcome::NoHandler,
            }
        }
        Intent::OpenNotifications | Intent::OpenQuickSettings => {
            world.nav.overlay = Overlay::Shade;
            Outcome::Performed
        }
        // No camera app and no app for links on the simulated phone.
        Intent::TakePhoto | Intent::RecordVideo | Intent::OpenLink { .. } => Outcome::NoHandler,
        Intent::SetAlarm { .. }
        | Intent::SetTimer { .. }
        | Intent::Dial { .. }
        | Intent::ComposeSms { .. }
        | Intent::ComposeEmail { .. }
        | Intent::OpenSettings { .. }
        | Intent::WebSearch { .. }
        | Intent::MapSearch { .. }
        | Intent::Navigate { .. }
        | Intent::ShareText { .. }
        | Intent::InsertEvent { .. }
        | Intent::ViewUrl { .. } => return None,
    })
}

/// Whether the state shows a state-changing tool's effect; `None` for the tools that only read
/// or open something, whose result is what they return or the next screen.
pub(crate) fn effect(state: &SimState, intent: &Intent) -> Option<RouteEffect> {
    let shown = |seen: bool, what: String| {
        Some(if seen {
            RouteEffect::Shown(what)
        } else {
            RouteEffect::Missing(format!("not {what}"))
        })
    };
    let system = &state.system;
    match intent {
        Intent::Flashlight { on } => shown(
            system.flashlight == *on,
            format!("flashlight {}", on_off(*on)),
        ),
        Intent::RingerMode { mode } => shown(
            system.ringer == *mode,
            format!("ringer {mode:?}").to_lowercase(),
        ),
        Intent::MediaVolume { percent } => shown(
            system.media_volume == *percent,
            format!("media volume at {percent} %"),
        ),
        Intent::DoNotDisturb { on } => shown(
            state.settings.do_not_disturb == *on,
            format!("Do Not Disturb {}", on_off(*on)),
        ),
        Intent::ScreenBrightness { percent } => shown(
            state.settings.brightness == *percent,
            format!("brightness at {percent} %"),
        ),
        Intent::CopyToClipboard { text } => shown(
            system.clipboard.as_deref() == Some(text.as_str()),
            "the text on the clipboard".into(),
        ),
        Intent::DismissAlarm { hour, minute } => shown(
            state
                .alarm_at(*hour, *minute)
                .is_some_and(|alarm| !alarm.enabled),
            format!("the {hour:02}:{minute:02} alarm off"),
        ),
        Intent::CancelTimer => shown(
            state.timers.iter().all(|timer| !timer.running),
            "no timer running".into(),
        ),
        Intent::LockScreen => shown(system.locked, "the screen locked".into()),
        _ => None,
    }
}

/// Wi-Fi with its network, mobile data, or offline (airplane mode).
fn network(state: &SimState) -> String {
    let settings = &state.settings;
    match (&settings.wifi_network, settings.airplane_mode) {
        (Some(ssid), _) if settings.wifi => format!("Wi-Fi ({ssid})"),
        (_, true) => "offline (airplane mode)".into(),
        _ => "mobile data".into(),
    }
}

/// The next enabled alarm, today or tomorrow.
fn next_alarm(state: &SimState) -> String {
    match state.next_alarm() {
        None => "no alarm is set".into(),
        Some((alarm, today)) => {
            let day = if today { "today" } else { "tomorrow" };
            format!("{day} at {:02}:{:02}", alarm.hour, alarm.minute)
        }
    }
}

/// The next events from the clock's time on.
fn next_events(state: &SimState) -> String {
    let upcoming: Vec<String> = state
        .upcoming_events()
        .take(EVENTS_READ)
        .map(|event| {
            let day = match event.day {
                0 => "today".to_owned(),
                1 => "tomorrow".to_owned(),
                days => format!("in {days} days"),
            };
            format!(
                "{} {day} {:02}:{:02}",
                event.title, event.hour, event.minute
            )
        })
        .collect();
    if upcoming.is_empty() {
        "no upcoming events".into()
    } else {
        upcoming.join("; ")
    }
}

/// The contacts whose name holds `name`, with their numbers and e-mail addresses.
pub(crate) fn find_contact(state: &SimState, name: &str) -> String {
    let wanted = name.trim().to_lowercase();
    let found: Vec<String> = state
        .contacts
        .iter()
        .filter(|contact| contact.name.to_lowercase().contains(&wanted))
        .map(|contact| {
            let mut parts = vec![format!("mobile {}", contact.mobile)];
            if let Some(work) = &contact.work {
                parts.push(format!("work {work}"));
            }
            if let Some(email) = &contact.email {
                parts.push(format!("e-mail {email}"));
            }
            format!("{}: {}", contact.name, parts.join(", "))
        })
        .collect();
    if found.is_empty() {
        "no contact matches".into()
    } else {
        found.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use lobster_core::action::{IntentKind, RingerMode};

    use super::*;
    use crate::nav::Nav;

    fn run_on(state: &mut SimState, intent: &Intent) -> Outcome {
        let mut nav = Nav::default();
        let mut world = World {
            state,
            nav: &mut nav,
        };
        run(&mut world, intent).expect("a system tool")
    }

    #[test]
    fn every_system_tool_runs_and_the_standard_intents_are_left_to_intents() {
        let mut state = SimState::seeded();
        for kind in IntentKind::ALL {
            let intent = match kind {
                IntentKind::SetAlarm
                | IntentKind::SetTimer
                | IntentKind::Dial
                | IntentKind::ComposeSms
                | IntentKind::ComposeEmail
                | IntentKind::OpenSettings
                | IntentKind::WebSearch
                | IntentKind::MapSearch
                | IntentKind::Navigate
                | IntentKind::ShareText
                | IntentKind::InsertEvent
                | IntentKind::ViewUrl => continue,
                _ => sample(kind),
            };
            let mut nav = Nav::default();
            let mut world = World {
                state: &mut state,
                nav: &mut nav,
            };
            assert!(run(&mut world, &intent).is_some(), "{}", kind.name());
        }
        let mut nav = Nav::default();
        let mut world = World {
            state: &mut state,
            nav: &mut nav,
        };
        assert_eq!(run(&mut world, &Intent::Dial { number: "1".into() }), None);
    }

    /// A call of `kind` with typical arguments.
    fn sample(kind: IntentKind) -> Intent {
        let args: Vec<(&'static str, lobster_core::action::IntentArg)> = kind
            .params()
            .iter()
            .map(|param| {
                use lobster_core::action::{IntentArg, ParamKind};
                let value = match param.kind {
                    ParamKind::Int { min, .. } => IntentArg::Int(min.max(1)),
                    ParamKind::Choice(choice) => IntentArg::Choice(choice.words()[0]),
                    ParamKind::PhoneNumber => IntentArg::Text("+15550100".into()),
                    ParamKind::Link => IntentArg::Text("market://details?id=x".into()),
                    _ => IntentArg::Text("Ana".into()),
                };
                (param.key, value)
            })
            .collect();
        Intent::from_args(kind, &args).expect("sample arguments fit")
    }

    #[test]
    fn settings_tools_change_the_state_and_their_effect_reads_it_back() {
        let mut state = SimState::seeded();
        let calls = [
            Intent::Flashlight { on: true },
            Intent::RingerMode {
                mode: RingerMode::Silent,
            },
            Intent::MediaVolume { percent: 25 },
            Intent::DoNotDisturb { on: true },
            Intent::ScreenBrightness { percent: 70 },
            Intent::CopyToClipboard {
                text: "4521".into(),
            },
            Intent::DismissAlarm { hour: 7, minute: 0 },
            Intent::LockScreen,
        ];
        for call in &calls {
            assert!(
                matches!(effect(&state, call), Some(RouteEffect::Missing(_))),
                "{call:?} before"
            );
            assert_eq!(run_on(&mut state, call), Outcome::Performed, "{call:?}");
            assert!(
                matches!(effect(&state, call), Some(RouteEffect::Shown(_))),
                "{call:?} after"
            );
        }
        assert!(state.system.flashlight);
        assert_eq!(state.system.ringer, RingerMode::Silent);
        assert_eq!(state.system.clipboard.as_deref(), Some("4521"));
        assert_eq!(
            run_on(&mut state, &Intent::DismissAlarm { hour: 3, minute: 3 }),
            Outcome::Rejected("no alarm is set for that time".into())
        );
        assert_eq!(
            run_on(&mut state, &Intent::CancelTimer),
            Outcome::Rejected("no timer is running".into())
        );
        assert_eq!(
            run_on(
                &mut state,
                &Intent::MediaControl {
                    command: MediaCommand::Pause
                }
            ),
            Outcome::Performed
        );
        assert!(!state.system.media_playing);
    }

    #[test]
    fn reads_answer_from_the_state_in_a_few_words() {
        let mut state = SimState::seeded();
        let read = |state: &mut SimState, intent: Intent| match run_on(state, &intent) {
            Outcome::Returned(data) => data,
            other => panic!("{intent:?} returned nothing: {other:?}"),
        };
        assert_eq!(
            read(&mut state, Intent::BatteryStatus),
            "80 %, not charging"
        );
        assert_eq!(
            read(&mut state, Intent::NetworkStatus),
            "Wi-Fi (HomeNet-5G)"
        );
        assert_eq!(
            read(&mut state, Intent::CurrentTime),
            "Monday 2026-11-23 9:41"
        );
        // 7:00 has passed at 9:41; 22:15 is the next one today.
        assert_eq!(read(&mut state, Intent::NextAlarm), "today at 22:15");
        assert_eq!(
            read(&mut state, Intent::NextEvent),
            "Team standup today 10:00; Dentist today 15:30; Dinner with Leo tomorrow 19:30"
        );
        let ana = read(
            &mut state,
            Intent::FindContact {
                name: "ana castillo".into(),
            },
        );
        assert!(ana.starts_with("Ana Castillo: mobile +"), "{ana}");
        assert!(ana.contains("e-mail ana.castillo@example.com"), "{ana}");
        assert_eq!(
            read(
                &mut state,
                Intent::FindContact {
                    name: "Nobody".into()
                }
            ),
            "no contact matches"
        );
        assert_eq!(
            read(&mut state, Intent::ReadClipboard),
            "the clipboard is empty"
        );
        state.settings.set(Toggle::Wifi, false);
        assert_eq!(read(&mut state, Intent::NetworkStatus), "mobile data");
    }

    #[test]
    fn what_the_phone_has_no_app_for_has_no_handler() {
        let mut state = SimState::seeded();
        assert_eq!(run_on(&mut state, &Intent::TakePhoto), Outcome::NoHandler);
        assert_eq!(
            run_on(
                &mut state,
                &Intent::SettingsPanel {
                    panel: SettingsPanel::Nfc
                }
            ),
            Outcome::NoHandler
        );
    }
}
