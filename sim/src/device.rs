//! [`Sim`]: the simulated phone as a [`Device`].
//!
//! Why it works the way a phone does rather than the way a test would like: every action is
//! carried out against a freshly rendered screen, by node key, so an agent that acts on a node
//! that is gone gets `TargetGone` and nothing happens; a dialog or an advert covers the windows
//! below it; typing works without the keyboard (ACTION_SET_TEXT); Back closes the keyboard, then
//! the dialog, then the page. The faults of [`Faults`] are applied here, deterministically.

use std::collections::BTreeSet;

use super::app_actions;
use super::faults::{DelayedRendering, FaultClock, Faults};
use super::intents;
use super::keyboard;
use super::nav::{App, Nav, Overlay, World};
use super::render::{self, Input, Rendered, base_key};
use super::state::{SimHandle, SimState};
use super::ui::{Behaviour, Key};
use lobster_core::action::{Direction, Point, ToolSet};
use lobster_core::device::{
    AppActionInfo, AppInfo, Device, DeviceAction, DeviceError, GlobalAction, Outcome, RouteEffect,
    Target,
};
use lobster_core::screen::{Node, Snapshot, WindowType};

/// Milliseconds since the Unix epoch of the first screen (a Friday morning).
const START_MS: i64 = 1_763_717_000_000;
/// Simulated time one action takes.
const ACTION_MS: i64 = 1_500;

/// How the simulator is set up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimConfig {
    /// Faults to inject; none by default.
    pub faults: Faults,
}

/// The simulated phone: a launcher and six apps over a shared [`SimState`].
#[derive(Debug)]
pub struct Sim {
    handle: SimHandle,
    nav: Nav,
    faults: Faults,
    clock: FaultClock,
    rekeyed: BTreeSet<String>,
    /// Observations left that show `late` instead of the real screen.
    late_left: u32,
    /// The screen shown while rendering is late.
    late: Option<Snapshot>,
    /// The screen the last observation returned.
    last_observed: Option<Snapshot>,
}

/// What an action does to a node.
enum NodeAction<'a> {
    Tap,
    LongPress,
    SetText { text: &'a str, clear: bool },
    PressEnter,
    Scroll(Direction),
}

impl Sim {
    /// A phone with the seeded content, on the home screen.
    pub fn new(config: SimConfig) -> Sim {
        Sim::with_state(SimState::seeded(), config)
    }

    /// A phone with `state`, on the home screen. With the `prompt_injection` fault, the
    /// injected instructions are added to it.
    pub fn with_state(mut state: SimState, config: SimConfig) -> Sim {
        if config.faults.prompt_injection {
            super::faults::inject_prompts(&mut state);
        }
        Sim {
            handle: SimHandle::new(state),
            nav: Nav::default(),
            faults: config.faults,
            clock: FaultClock::default(),
            rekeyed: BTreeSet::new(),
            late_left: 0,
            late: None,
            last_observed: None,
        }
    }

    /// The shared handle on the phone's state.
    pub fn handle(&self) -> SimHandle {
        self.handle.clone()
    }

    /// The app in front; `None` on the launcher.
    pub fn foreground(&self) -> Option<App> {
        self.nav.foreground
    }

    /// Device actions performed so far.
    pub fn actions(&self) -> u32 {
        self.clock.actions
    }

    fn render(&self, loading: bool) -> Rendered {
        let state = self.handle.lock();
        render::render(&Input {
            state: &state,
            nav: &self.nav,
            rekeyed: &self.rekeyed,
            timestamp_ms: START_MS + i64::from(self.clock.actions) * ACTION_MS,
            loading,
        })
    }

    /// Runs a behaviour with the state locked.
    fn run(&mut self, behaviour: impl FnOnce(&mut World<'_>)) {
        let mut state = self.handle.lock();
        let mut world = World {
            state: &mut state,
            nav: &mut self.nav,
        };
        behaviour(&mut world);
    }

    /// Counts an action and fires the faults due after it.
    fn after_action(&mut self) {
        self.clock.actions += 1;
        let actions = self.clock.actions;
        if let Some(after) = self.faults.overlay_ad
            && actions >= after
            && !self.clock.ad_shown
        {
            self.clock.ad_shown = true;
            self.nav.ad = true;
        }
        if let Some(after) = self.faults.crash
            && actions >= after
            && !self.clock.crashed
            && let Some(app) = self.nav.foreground
        {
            self.clock.crashed = true;
            self.nav.crash(app);
        }
        if let Some(DelayedRendering {
            every,
            observations,
            loading,
        }) = self.faults.delayed_rendering
            && every > 0
            && actions.is_multiple_of(every)
            && observations > 0
        {
            self.late_left = observations;
            self.late = if loading {
                Some(self.render(true).snapshot)
            } else {
                self.last_observed.clone()
            };
        }
    }

    fn act_on_node(&mut self, target: &Target, action: NodeAction<'_>) -> Outcome {
        let rendered = self.render(false);
        let Some((window, node)) = rendered.snapshot.find(&target.node_key) else {
            return Outcome::TargetGone;
        };
        self.clock.targeted += 1;
        if self.faults.vanishing_node == Some(self.clock.targeted) {
            self.rekeyed.insert(base_key(&node.key).to_owned());
            return Outcome::TargetGone;
        }
        if window.layer < rendered.modal_layer {
            return Outcome::Rejected("another window covers this element".into());
        }
        if !node.enabled {
            return Outcome::Rejected("the element is disabled".into());
        }
        let behaviour = rendered
            .behaviours
            .get(&node.key)
            .cloned()
            .unwrap_or_default();
        let node = node.clone();
        match action {
            NodeAction::Tap => {
                self.clock.taps += 1;
                if self.faults.dropped_tap == Some(self.clock.taps) {
                    return Outcome::Performed;
                }
                self.tap(&node, &behaviour, &rendered)
            }
            // Nothing in the simulated apps reacts to a long press (fields would select text).
            NodeAction::LongPress => Outcome::Performed,
            NodeAction::SetText { text, clear } => match behaviour.field {
                Some(field) => {
                    let new_text = if clear {
                        text.to_owned()
                    } else {
                        format!("{}{text}", field.value)
                    };
                    self.run(|world| (field.on_text)(world, new_text));
                    Outcome::Performed
                }
                None => Outcome::Rejected("the element is not editable".into()),
            },
            NodeAction::PressEnter => match behaviour.field {
                Some(field) => {
                    if let Some(on_enter) = field.on_enter {
                        self.run(|world| on_enter(world));
                    }
                    Outcome::Performed
                }
                None => Outcome::Rejected("the element is not editable".into()),
            },
            NodeAction::Scroll(direction) => {
                self.scroll(&node, &behaviour, direction);
                Outcome::Performed
            }
        }
    }

    fn tap(&mut self, node: &Node, behaviour: &Behaviour, rendered: &Rendered) -> Outcome {
        if let Some(key) = behaviour.key {
            self.press_key(key, rendered);
        } else if let Some(tap) = behaviour.tap.clone() {
            self.run(|world| tap(world));
        } else if behaviour.field.is_some() {
            let key = base_key(&node.key).to_owned();
            self.run(|world| world.focus(Some(key)));
        } else if !(node.clickable || node.checkable) {
            return Outcome::Rejected("the element is not clickable".into());
        }
        Outcome::Performed
    }

    /// A key of the on-screen keyboard: edits the focused field.
    fn press_key(&mut self, key: Key, rendered: &Rendered) {
        self.nav.keyboard = keyboard::next_layout(key, self.nav.keyboard);
        if matches!(key, Key::Shift | Key::Layout) {
            return;
        }
        let Some(field) = focused_field(&rendered.snapshot)
            .and_then(|node| rendered.behaviours.get(&node.key))
            .and_then(|behaviour| behaviour.field.clone())
        else {
            return;
        };
        let (text, enter) = keyboard::apply(key, &field.value);
        if enter {
            if let Some(on_enter) = field.on_enter {
                self.run(|world| on_enter(world));
            }
        } else {
            self.run(|world| (field.on_text)(world, text));
        }
    }

    fn scroll(&mut self, node: &Node, behaviour: &Behaviour, direction: Direction) {
        if let Some(list) = behaviour.list {
            let offset = match direction {
                Direction::Down | Direction::Right => {
                    (list.offset + list.step).min(list.max_offset)
                }
                Direction::Up | Direction::Left => list.offset.saturating_sub(list.step),
            };
            let key = base_key(&node.key).to_owned();
            if let Some(top) = self.nav.top_mut() {
                top.scroll.insert(key, offset);
            }
        } else if let Some(slider) = behaviour.slider.clone() {
            let value = match direction {
                Direction::Right | Direction::Up => (slider.value + slider.step).min(slider.max),
                Direction::Left | Direction::Down => slider.value.saturating_sub(slider.step),
            };
            self.run(|world| (slider.on_value)(world, value));
        }
    }

    /// `scroll DIR` without an element: the first list of the topmost window that accepts
    /// actions.
    fn scroll_screen(&mut self, direction: Direction) -> Outcome {
        let rendered = self.render(false);
        let found = rendered
            .snapshot
            .windows
            .iter()
            .rev()
            .filter(|window| window.layer >= rendered.modal_layer)
            .filter_map(|window| window.root.as_ref())
            .find_map(|root| {
                find_node(root, &|node| {
                    rendered
                        .behaviours
                        .get(&node.key)
                        .is_some_and(|behaviour| behaviour.list.is_some())
                })
            })
            .cloned();
        if let Some(node) = found
            && let Some(behaviour) = rendered.behaviours.get(&node.key).cloned()
        {
            self.scroll(&node, &behaviour, direction);
        }
        Outcome::Performed
    }

    /// A raw gesture: a drag down from the top edge opens the shade, a drag over a list scrolls
    /// it, a drag along a slider sets it.
    fn swipe(&mut self, from: Point, to: Point) -> Outcome {
        let (x0, y0) = (i64::from(from.x), i64::from(from.y));
        let (x1, y1) = (i64::from(to.x), i64::from(to.y));
        if y0 < 100 && y1 - y0 > 300 {
            self.nav.overlay = Overlay::Shade;
            return Outcome::Performed;
        }
        let rendered = self.render(false);
        let inside = |node: &Node| {
            node.bounds.is_some_and(|b| {
                i64::from(b.left) <= x0
                    && x0 < i64::from(b.right)
                    && i64::from(b.top) <= y0
                    && y0 < i64::from(b.bottom)
            })
        };
        let found = rendered
            .snapshot
            .windows
            .iter()
            .rev()
            .filter(|window| window.layer >= rendered.modal_layer)
            .filter_map(|window| window.root.as_ref())
            .find_map(|root| {
                find_node(root, &|node| {
                    inside(node)
                        && rendered.behaviours.get(&node.key).is_some_and(|behaviour| {
                            behaviour.list.is_some() || behaviour.slider.is_some()
                        })
                })
            })
            .cloned();
        let Some(node) = found else {
            return Outcome::Performed;
        };
        let Some(behaviour) = rendered.behaviours.get(&node.key).cloned() else {
            return Outcome::Performed;
        };
        let (dx, dy) = (x1 - x0, y1 - y0);
        if behaviour.list.is_some() && dy.abs() > dx.abs() && dy.abs() > 50 {
            // The finger moves up to reveal what is below.
            let direction = if dy < 0 {
                Direction::Down
            } else {
                Direction::Up
            };
            self.scroll(&node, &behaviour, direction);
        } else if let (Some(slider), Some(bounds)) = (behaviour.slider, node.bounds)
            && dx.abs() > dy.abs()
        {
            let width = i64::from(bounds.width().max(1));
            let position = (x1 - i64::from(bounds.left)).clamp(0, width);
            let value =
                u32::try_from((position * i64::from(slider.max) + width / 2) / width).unwrap_or(0);
            self.run(|world| (slider.on_value)(world, value));
        }
        Outcome::Performed
    }

    fn global(&mut self, action: GlobalAction) -> Outcome {
        match action {
            GlobalAction::Back => self.nav.back(),
            GlobalAction::Home => self.nav.home(),
            GlobalAction::Recents => {
                self.nav.overlay = if self.nav.overlay == Overlay::Recents {
                    Overlay::None
                } else {
                    Overlay::Recents
                };
            }
            GlobalAction::Notifications => self.nav.overlay = Overlay::Shade,
        }
        Outcome::Performed
    }

    fn apply(&mut self, action: &DeviceAction) -> Outcome {
        match action {
            DeviceAction::Tap(target) => self.act_on_node(target, NodeAction::Tap),
            DeviceAction::LongPress(target) => self.act_on_node(target, NodeAction::LongPress),
            DeviceAction::SetText {
                target,
                text,
                clear,
            } => self.act_on_node(
                target,
                NodeAction::SetText {
                    text,
                    clear: *clear,
                },
            ),
            DeviceAction::PressEnter(target) => self.act_on_node(target, NodeAction::PressEnter),
            DeviceAction::Scroll {
                target: Some(target),
                direction,
            } => self.act_on_node(target, NodeAction::Scroll(*direction)),
            DeviceAction::Scroll {
                target: None,
                direction,
            } => self.scroll_screen(*direction),
            DeviceAction::Swipe { from, to, .. } => self.swipe(*from, *to),
            DeviceAction::Global(global) => self.global(*global),
            DeviceAction::SendIntent(_) | DeviceAction::CallAppAction { .. } => self.route(action),
        }
    }
}

impl Sim {
    /// An intent or app action, unless the `ignored_route` fault drops it.
    fn route(&mut self, action: &DeviceAction) -> Outcome {
        self.clock.routes += 1;
        if self.faults.ignored_route == Some(self.clock.routes) {
            return Outcome::Performed;
        }
        let mut outcome = Outcome::NoHandler;
        self.run(|world| {
            outcome = match action {
                DeviceAction::SendIntent(intent) => intents::send(world, intent),
                DeviceAction::CallAppAction { name, args } => app_actions::call(world, name, args),
                _ => Outcome::NoHandler,
            }
        });
        outcome
    }
}

/// The first node, in document order, that matches.
fn find_node<'a>(node: &'a Node, matches: &dyn Fn(&Node) -> bool) -> Option<&'a Node> {
    if matches(node) {
        return Some(node);
    }
    node.children
        .iter()
        .find_map(|child| find_node(child, matches))
}

/// The focused editable node of the app's windows.
fn focused_field(snapshot: &Snapshot) -> Option<&Node> {
    snapshot
        .windows
        .iter()
        .filter(|window| window.r#type != WindowType::InputMethod as i32)
        .filter_map(|window| window.root.as_ref())
        .find_map(|root| find_node(root, &|node| node.focused && node.editable))
}

impl Device for Sim {
    fn observe(&mut self) -> Result<Snapshot, DeviceError> {
        if self.late_left > 0 {
            self.late_left -= 1;
            if let Some(late) = &self.late {
                return Ok(late.clone());
            }
        }
        let snapshot = self.render(false).snapshot;
        self.last_observed = Some(snapshot.clone());
        Ok(snapshot)
    }

    fn perform(&mut self, action: &DeviceAction) -> Result<Outcome, DeviceError> {
        let outcome = self.apply(action);
        self.after_action();
        Ok(outcome)
    }

    /// Time passing on the simulated phone: a late screen finishes rendering at once, without
    /// sleeping, so waits cost the tests nothing.
    fn settle(&mut self, _max: std::time::Duration) -> Result<(), DeviceError> {
        self.late_left = 0;
        self.late = None;
        Ok(())
    }

    /// The simulator can always tell: it reads its own state (`intents::effect`).
    fn route_effect(&mut self, action: &DeviceAction) -> Result<RouteEffect, DeviceError> {
        let state = self.handle.lock();
        Ok(intents::effect(&state, &self.nav, action))
    }

    fn launch_app(&mut self, label: &str) -> Result<Outcome, DeviceError> {
        let outcome = match App::from_label(label) {
            Some(app) => {
                self.nav.open(app);
                Outcome::Performed
            }
            None => Outcome::NoHandler,
        };
        self.after_action();
        Ok(outcome)
    }

    fn installed_apps(&mut self) -> Result<Vec<AppInfo>, DeviceError> {
        Ok(App::ALL
            .into_iter()
            .map(|app| AppInfo {
                label: app.label().into(),
                package: app.package().into(),
            })
            .collect())
    }

    fn app_actions(&mut self) -> Result<Vec<AppActionInfo>, DeviceError> {
        Ok(app_actions::declared())
    }

    /// Every tool of the catalog: the simulator runs each against its state (`tools`), and
    /// answers `NoHandler` where it has no app for one (a camera, a browser).
    fn available_tools(&mut self) -> Result<ToolSet, DeviceError> {
        Ok(ToolSet::ALL)
    }
}
