//! The direct routes into the apps: the standard intents they would handle on a real phone, the
//! system tools (`tools`), and the actions the apps declare (`app_actions`).
//!
//! Why: one intent replaces a dozen taps, so the planner should use it where an app handles it,
//! and must be told plainly (`Outcome::NoHandler`) where none does, so the loop can fall back to
//! the UI. What each app does follows Android: `SET_ALARM` with `EXTRA_SKIP_UI` creates the
//! alarm at once, `SENDTO smsto:` only opens a draft (the user still taps Send), a Settings
//! action opens that page. [`effect`] reads the state back, so the agent can tell a route that
//! worked from one an app dropped.

use super::app_actions;
use super::apps::{clock, messages, settings};
use super::nav::{App, Nav, Page, World};
use super::state::{Alarm, SimState, Timer, same_number};
use super::tools;
use lobster_core::action::Intent;
use lobster_core::device::{DeviceAction, Outcome, RouteEffect};

/// Handles an intent, or says no app does.
pub(crate) fn send(world: &mut World<'_>, intent: &Intent) -> Outcome {
    match intent {
        Intent::SetAlarm {
            hour,
            minute,
            label,
        } => {
            if *hour > 23 || *minute > 59 {
                return Outcome::Rejected("the alarm time is out of range".into());
            }
            let id = world.state.next_id();
            world.state.alarms.push(Alarm {
                id,
                hour: *hour,
                minute: *minute,
                label: label.clone().unwrap_or_default(),
                enabled: true,
            });
            world
                .nav
                .start(App::Clock, vec![Page::Clock(clock::Page::Alarms)]);
            Outcome::Performed
        }
        Intent::SetTimer { seconds, label } => {
            let id = world.state.next_id();
            world.state.timers.push(Timer {
                id,
                seconds: *seconds,
                label: label.clone().unwrap_or_default(),
                running: true,
            });
            world.nav.start(
                App::Clock,
                vec![Page::Clock(
                    clock::Page::Timers(clock::TimerForm::default()),
                )],
            );
            Outcome::Performed
        }
        Intent::ComposeSms { to, body } => {
            world.nav.start(
                App::Messages,
                vec![
                    Page::Messages(messages::Page::Threads),
                    Page::Messages(messages::Page::Compose(messages::Compose {
                        to: to.clone(),
                        body: body.clone().unwrap_or_default(),
                        error: false,
                    })),
                ],
            );
            Outcome::Performed
        }
        Intent::OpenSettings { page } => match settings::page_for_intent(*page) {
            Some(page) => {
                world.nav.start(App::Settings, vec![Page::Settings(page)]);
                Outcome::Performed
            }
            None => Outcome::NoHandler,
        },
        Intent::Dial { .. }
        | Intent::ComposeEmail { .. }
        | Intent::WebSearch { .. }
        | Intent::MapSearch { .. }
        | Intent::Navigate { .. }
        | Intent::ShareText { .. }
        | Intent::InsertEvent { .. }
        | Intent::ViewUrl { .. } => Outcome::NoHandler,
        tool => tools::run(world, tool).unwrap_or(Outcome::NoHandler),
    }
}

/// Whether the state shows a route's effect: the alarm or timer exists, the note exists, the
/// draft or the settings page is open.
pub(crate) fn effect(state: &SimState, nav: &Nav, action: &DeviceAction) -> RouteEffect {
    let shown = |seen: bool, what: String| {
        if seen {
            RouteEffect::Shown(what)
        } else {
            RouteEffect::Missing(format!("no {what}"))
        }
    };
    if let DeviceAction::SendIntent(intent) = action
        && let Some(effect) = tools::effect(state, intent)
    {
        return effect;
    }
    let page = nav.top().map(|entry| &entry.page);
    match action {
        DeviceAction::SendIntent(Intent::SetAlarm { hour, minute, .. }) => shown(
            state
                .alarms
                .iter()
                .any(|alarm| alarm.enabled && alarm.hour == *hour && alarm.minute == *minute),
            format!("enabled alarm at {hour:02}:{minute:02}"),
        ),
        DeviceAction::SendIntent(Intent::SetTimer { seconds, .. }) => shown(
            state
                .timers
                .iter()
                .any(|timer| timer.running && timer.seconds == *seconds),
            format!("running timer of {seconds} s"),
        ),
        DeviceAction::SendIntent(Intent::ComposeSms { to, .. }) => shown(
            matches!(page, Some(Page::Messages(messages::Page::Compose(compose)))
                if same_number(&compose.to, to)),
            "message draft to the number open".into(),
        ),
        DeviceAction::SendIntent(Intent::OpenSettings { page: wanted }) => {
            match settings::page_for_intent(*wanted) {
                Some(expected) => shown(
                    page == Some(&Page::Settings(expected)),
                    format!("{} settings page open", wanted.word()),
                ),
                None => RouteEffect::Unknown,
            }
        }
        DeviceAction::CallAppAction { name, args } => {
            app_actions::effect(state, name, args).unwrap_or(RouteEffect::Unknown)
        }
        _ => RouteEffect::Unknown,
    }
}
