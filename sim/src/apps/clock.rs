//! Clock (`com.lobster.sim.clock`): alarms with on/off switches, an alarm editor whose time is
//! typed into hour and minute fields or stepped with +/- buttons, timers and a stopwatch, behind
//! a bottom navigation bar.
//!
//! Why editable fields and steppers instead of a dial: a dial needs drags at exact angles, which
//! the action language deliberately lacks; Android's time picker has a keyboard mode for the same
//! reason, and Samsung's clock has steppers.

use std::rc::Rc;

use super::{AppView, Frame, act, up};
use crate::nav::{Page as AnyPage, World};
use crate::state::{Alarm, SimState, Timer, clock_time};
use crate::ui::{
    FieldSpec, ListSpec, OnTap, OnText, TOOLBAR_BOTTOM, Ui, class, layout, node, rect, text,
};
use lobster_core::screen::Node;

const PACKAGE: &str = "com.lobster.sim.clock";

/// A page of Clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    /// The alarms tab.
    Alarms,
    /// The world clock tab.
    WorldClock,
    /// The timer tab, with the form for a new timer.
    Timers(TimerForm),
    /// The stopwatch tab.
    Stopwatch,
    /// Adding or editing an alarm.
    EditAlarm(AlarmForm),
}

/// The alarm editor's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AlarmForm {
    /// The alarm being edited; `None` for a new one.
    pub id: Option<u32>,
    /// Hour as typed.
    pub hour: String,
    /// Minute as typed.
    pub minute: String,
    /// Label.
    pub label: String,
    /// The last Save found an invalid time.
    pub error: bool,
}

/// The new-timer fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TimerForm {
    /// Hours as typed.
    pub hours: String,
    /// Minutes as typed.
    pub minutes: String,
    /// Seconds as typed.
    pub seconds: String,
}

fn res(name: &str) -> String {
    format!("{PACKAGE}:id/{name}")
}

/// The form for a new alarm: the editor opens on 08:00.
pub(crate) fn new_alarm_form() -> AlarmForm {
    AlarmForm {
        hour: "08".into(),
        minute: "00".into(),
        ..AlarmForm::default()
    }
}

/// Renders a Clock page.
pub(crate) fn render(page: &Page, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let (scope, selected) = match page {
        Page::Alarms => ("alarms", 0),
        Page::WorldClock => ("world", 1),
        Page::Timers(_) => ("timers", 2),
        Page::Stopwatch => ("stopwatch", 3),
        Page::EditAlarm(form) => return render_editor(form, ui),
    };
    let tabs_top = frame.bottom - 200;
    let mut content = match page {
        Page::Alarms => render_alarms(state, tabs_top, ui),
        Page::WorldClock => render_world_clock(ui),
        Page::Timers(form) => render_timers(form, state, tabs_top, ui),
        _ => render_stopwatch(state, ui),
    };
    content.push(tabs(ui, scope, selected, tabs_top, frame.bottom));
    AppView::page(content)
}

fn tabs(ui: &mut Ui, scope: &str, selected: usize, top: i32, bottom: i32) -> Node {
    type Target = fn() -> Page;
    let names: [(&str, Target); 4] = [
        ("Alarm", || Page::Alarms),
        ("Clock", || Page::WorldClock),
        ("Timer", || Page::Timers(TimerForm::default())),
        ("Stopwatch", || Page::Stopwatch),
    ];
    let mut children = Vec::new();
    for (index, (name, target)) in names.into_iter().enumerate() {
        let left = 270 * i32::try_from(index).unwrap_or(0);
        let tab = Node {
            text: name.into(),
            content_description: name.into(),
            resource_id: res("navigation_bar_item"),
            selected: index == selected,
            ..node(
                &format!("clock.{scope}.tab_{}", name.to_lowercase()),
                class::FRAME,
                rect(left, top, left + 270, bottom),
            )
        };
        children.push(ui.clickable(
            tab,
            act(move |world| world.nav.replace(AnyPage::Clock(target()))),
        ));
    }
    layout(
        &format!("clock.{scope}.tabs"),
        class::VIEW_GROUP,
        &res("bottom_navigation"),
        rect(0, top, 1080, bottom),
        children,
    )
}

fn render_alarms(state: &SimState, tabs_top: i32, ui: &mut Ui) -> Vec<Node> {
    let toolbar = ui.toolbar("clock.alarms", PACKAGE, "Alarm", None, Vec::new());
    let mut alarms: Vec<&Alarm> = state.alarms.iter().collect();
    alarms.sort_by_key(|alarm| (alarm.hour, alarm.minute));
    let heights = vec![240; alarms.len()];
    let list = ui.list(
        &ListSpec {
            key: "clock.alarms.list",
            res: &res("alarm_recycler_view"),
            bounds: rect(0, TOOLBAR_BOTTOM, 1080, tabs_top),
            heights: &heights,
            from_end: false,
        },
        |ui, index, bounds| {
            let alarm = alarms[index];
            let id = alarm.id;
            let key = format!("clock.alarms.alarm{id}");
            let time = clock_time(alarm.hour, alarm.minute);
            let label = if alarm.label.is_empty() {
                "Alarm".to_owned()
            } else {
                alarm.label.clone()
            };
            let middle = bounds.top + bounds.height() / 2;
            let switch = ui.switch(
                &format!("clock.alarms.switch{id}"),
                &res("onoff"),
                &format!("{time} {label}"),
                alarm.enabled,
                rect(900, middle - 40, 1030, middle + 40),
                act(move |world| {
                    if let Some(alarm) = world.state.alarms.iter_mut().find(|a| a.id == id) {
                        alarm.enabled = !alarm.enabled;
                    }
                }),
            );
            let form = AlarmForm {
                id: Some(id),
                hour: format!("{:02}", alarm.hour),
                minute: format!("{:02}", alarm.minute),
                label: alarm.label.clone(),
                error: false,
            };
            let row = layout(
                &key,
                class::VIEW_GROUP,
                &res("alarm_item"),
                bounds,
                vec![
                    text(
                        &format!("{key}.time"),
                        &res("digital_clock"),
                        &time,
                        rect(63, bounds.top + 30, 600, bounds.top + 150),
                    ),
                    text(
                        &format!("{key}.label"),
                        &res("label"),
                        &label,
                        rect(63, bounds.top + 150, 860, bounds.bottom - 20),
                    ),
                    switch,
                ],
            );
            ui.clickable(
                row,
                act(move |world| {
                    world
                        .nav
                        .push(AnyPage::Clock(Page::EditAlarm(form.clone())))
                }),
            )
        },
    );
    let add = ui.image_button(
        "clock.alarms.add",
        &res("fab"),
        "Add alarm",
        rect(460, tabs_top - 200, 620, tabs_top - 40),
        act(|world| {
            world
                .nav
                .push(AnyPage::Clock(Page::EditAlarm(new_alarm_form())))
        }),
    );
    vec![toolbar, list, add]
}

fn edit_form(change: impl Fn(&mut AlarmForm, String) + 'static) -> OnText {
    Rc::new(move |world: &mut World<'_>, typed: String| {
        if let Some(AnyPage::Clock(Page::EditAlarm(form))) = world.page() {
            change(form, typed);
            form.error = false;
        }
    })
}

/// Steps the hour (`minutes == false`) or the minute by `delta`, wrapping around.
fn step(minutes: bool, delta: i32) -> OnTap {
    act(move |world| {
        if let Some(AnyPage::Clock(Page::EditAlarm(form))) = world.page() {
            let (text, modulo) = if minutes {
                (&mut form.minute, 60)
            } else {
                (&mut form.hour, 24)
            };
            let value = text.trim().parse::<i32>().unwrap_or(0);
            *text = format!("{:02}", (value + delta).rem_euclid(modulo));
            form.error = false;
        }
    })
}

/// The time a form holds, if it is a valid one.
fn parse_time(form: &AlarmForm) -> Option<(u8, u8)> {
    let hour = form
        .hour
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|hour| *hour < 24)?;
    let minute = form
        .minute
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|minute| *minute < 60)?;
    Some((hour, minute))
}

fn render_editor(form: &AlarmForm, ui: &mut Ui) -> AppView {
    let title = if form.id.is_some() {
        "Edit alarm"
    } else {
        "Add alarm"
    };
    let toolbar = ui.toolbar("clock.edit", PACKAGE, title, Some(up()), Vec::new());
    let mut content = vec![toolbar];
    let columns = [
        (false, "hour", "Hour", form.hour.as_str(), 120),
        (true, "minute", "Minute", form.minute.as_str(), 600),
    ];
    for (minutes, key, hint, value, left) in columns {
        let increase = ui.image_button(
            &format!("clock.edit.{key}_up"),
            &res("increment"),
            &format!("Increase {}", hint.to_lowercase()),
            rect(left + 60, 300, left + 300, 420),
            step(minutes, 1),
        );
        let field = ui.field(
            &format!("clock.edit.{key}"),
            &res(&format!("input_{key}")),
            &FieldSpec {
                text: value,
                hint,
                password: false,
                description: hint,
            },
            rect(left, 440, left + 360, 640),
            edit_form(move |form, typed| {
                if minutes {
                    form.minute = typed;
                } else {
                    form.hour = typed;
                }
            }),
            None,
        );
        let decrease = ui.image_button(
            &format!("clock.edit.{key}_down"),
            &res("decrement"),
            &format!("Decrease {}", hint.to_lowercase()),
            rect(left + 60, 660, left + 300, 780),
            step(minutes, -1),
        );
        content.push(layout(
            &format!("clock.edit.{key}_picker"),
            class::LINEAR,
            &res("number_picker"),
            rect(left, 300, left + 360, 780),
            vec![increase, field, decrease],
        ));
    }
    content.push(text(
        "clock.edit.separator",
        &res("divider"),
        ":",
        rect(500, 480, 580, 600),
    ));
    content.push(ui.field(
        "clock.edit.label",
        &res("alarm_name"),
        &FieldSpec {
            text: &form.label,
            hint: "Alarm name",
            password: false,
            description: "",
        },
        rect(63, 840, 1017, 980),
        edit_form(|form, typed| form.label = typed),
        None,
    ));
    if form.error {
        content.push(text(
            "clock.edit.error",
            &res("error"),
            "Enter a valid time",
            rect(63, 1000, 1017, 1070),
        ));
    }
    let saved = form.clone();
    let save = ui.button(
        "clock.edit.save",
        &res("save"),
        "Save",
        rect(560, 1120, 1017, 1260),
        act(move |world| {
            let Some((hour, minute)) = parse_time(&saved) else {
                if let Some(AnyPage::Clock(Page::EditAlarm(form))) = world.page() {
                    form.error = true;
                }
                return;
            };
            let label = saved.label.trim().to_owned();
            match saved
                .id
                .and_then(|id| world.state.alarms.iter_mut().find(|alarm| alarm.id == id))
            {
                Some(alarm) => {
                    alarm.hour = hour;
                    alarm.minute = minute;
                    alarm.label = label;
                    alarm.enabled = true;
                }
                None => {
                    let id = world.state.next_id();
                    world.state.alarms.push(Alarm {
                        id,
                        hour,
                        minute,
                        label,
                        enabled: true,
                    });
                }
            }
            world.nav.pop();
        }),
    );
    let cancel = ui.button(
        "clock.edit.cancel",
        &res("cancel"),
        "Cancel",
        rect(63, 1120, 520, 1260),
        up(),
    );
    content.push(cancel);
    content.push(save);
    if let Some(id) = form.id {
        content.push(ui.button(
            "clock.edit.delete",
            &res("delete"),
            "Delete alarm",
            rect(63, 1300, 1017, 1440),
            act(move |world| {
                world.state.alarms.retain(|alarm| alarm.id != id);
                world.nav.pop();
            }),
        ));
    }
    AppView::page(content)
}

fn render_world_clock(ui: &mut Ui) -> Vec<Node> {
    let toolbar = ui.toolbar("clock.world", PACKAGE, "Clock", None, Vec::new());
    vec![
        toolbar,
        text(
            "clock.world.time",
            &res("digital_clock"),
            "09:41",
            rect(63, 320, 1017, 560),
        ),
        text(
            "clock.world.date",
            &res("date"),
            "Fri, 21 Nov",
            rect(63, 560, 1017, 640),
        ),
        text(
            "clock.world.lisbon",
            &res("city_name"),
            "Lisbon | 17:41",
            rect(63, 720, 1017, 820),
        ),
        text(
            "clock.world.tokyo",
            &res("city_name"),
            "Tokyo | 02:41 tomorrow",
            rect(63, 840, 1017, 940),
        ),
    ]
}

fn form_update(change: impl Fn(&mut TimerForm, String) + 'static) -> OnText {
    Rc::new(move |world: &mut World<'_>, typed: String| {
        if let Some(AnyPage::Clock(Page::Timers(form))) = world.page() {
            change(form, typed);
        }
    })
}

/// A timer's length as the clock shows it: `12:00` or `1:05:00`.
fn duration(seconds: u32) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

fn render_timers(form: &TimerForm, state: &SimState, tabs_top: i32, ui: &mut Ui) -> Vec<Node> {
    let toolbar = ui.toolbar("clock.timers", PACKAGE, "Timer", None, Vec::new());
    let mut content = vec![toolbar];
    let mut top = TOOLBAR_BOTTOM + 20;
    for timer in &state.timers {
        let id = timer.id;
        let key = format!("clock.timers.timer{id}");
        let delete = ui.image_button(
            &format!("{key}_delete"),
            &res("delete_timer"),
            "Delete timer",
            rect(900, top + 40, 1030, top + 160),
            act(move |world| world.state.timers.retain(|timer| timer.id != id)),
        );
        let label = if timer.label.is_empty() {
            "Timer"
        } else {
            timer.label.as_str()
        };
        content.push(layout(
            &key,
            class::LINEAR,
            &res("timer_item"),
            rect(0, top, 1080, top + 200),
            vec![
                text(
                    &format!("{key}.time"),
                    &res("timer_time"),
                    &duration(timer.seconds),
                    rect(63, top + 30, 600, top + 120),
                ),
                text(
                    &format!("{key}.label"),
                    &res("timer_label"),
                    &format!(
                        "{label} · {}",
                        if timer.running { "Running" } else { "Paused" }
                    ),
                    rect(63, top + 120, 860, top + 180),
                ),
                delete,
            ],
        ));
        top += 200;
    }
    content.push(text(
        "clock.timers.new_header",
        &res("header"),
        "New timer",
        rect(63, top + 20, 1017, top + 100),
    ));
    top += 120;
    type Setter = fn(&mut TimerForm, String);
    let fields: [(&str, &str, &str, Setter); 3] = [
        ("hours", "Hours", &form.hours, |f, t| f.hours = t),
        ("minutes", "Minutes", &form.minutes, |f, t| f.minutes = t),
        ("seconds", "Seconds", &form.seconds, |f, t| f.seconds = t),
    ];
    for (index, (key, hint, value, setter)) in fields.into_iter().enumerate() {
        let left = 63 + 330 * i32::try_from(index).unwrap_or(0);
        content.push(ui.field(
            &format!("clock.timers.{key}"),
            &res(&format!("timer_{key}")),
            &FieldSpec {
                text: value,
                hint,
                password: false,
                description: hint,
            },
            rect(left, top, left + 300, top + 160),
            form_update(setter),
            None,
        ));
    }
    top += 200;
    let parse = |text: &str| text.trim().parse::<u32>().unwrap_or(0);
    let total = parse(&form.hours) * 3600 + parse(&form.minutes) * 60 + parse(&form.seconds);
    let start_bounds = rect(
        340,
        top.min(tabs_top - 180),
        740,
        top.min(tabs_top - 180) + 140,
    );
    if total > 0 && total <= 86_400 {
        content.push(ui.button(
            "clock.timers.start",
            &res("timer_start"),
            "Start",
            start_bounds,
            act(move |world| {
                let id = world.state.next_id();
                world.state.timers.push(Timer {
                    id,
                    seconds: total,
                    label: String::new(),
                    running: true,
                });
                world
                    .nav
                    .replace(AnyPage::Clock(Page::Timers(TimerForm::default())));
            }),
        ));
    } else {
        content.push(ui.disabled_button(
            "clock.timers.start",
            &res("timer_start"),
            "Start",
            start_bounds,
        ));
    }
    content
}

fn render_stopwatch(state: &SimState, ui: &mut Ui) -> Vec<Node> {
    let toolbar = ui.toolbar("clock.stopwatch", PACKAGE, "Stopwatch", None, Vec::new());
    let running = state.stopwatch_running;
    let button = ui.button(
        "clock.stopwatch.toggle",
        &res("fab"),
        if running { "Stop" } else { "Start" },
        rect(340, 1400, 740, 1540),
        act(|world| world.state.stopwatch_running = !world.state.stopwatch_running),
    );
    vec![
        toolbar,
        text(
            "clock.stopwatch.time",
            &res("stopwatch_time"),
            if running { "00:03.21" } else { "00:00.00" },
            rect(63, 600, 1017, 840),
        ),
        button,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_and_durations_print() {
        let form = AlarmForm {
            hour: "6".into(),
            minute: "45".into(),
            ..AlarmForm::default()
        };
        assert_eq!(parse_time(&form), Some((6, 45)));
        let bad = AlarmForm {
            hour: "25".into(),
            ..form
        };
        assert_eq!(parse_time(&bad), None);
        assert_eq!(duration(720), "12:00");
        assert_eq!(duration(3900), "1:05:00");
    }
}
