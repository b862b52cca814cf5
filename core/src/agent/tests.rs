//! The loop's own rules, on a one-screen test device: confirmation, denial, cancellation inside
//! a plan, invalid answers, budgets, loop detection, vanished targets, and event order. The
//! simulated phone's tasks (tests/tests/sim_tasks.rs) exercise the same loop end to end.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::action::{Action, parse_action};
use crate::device::{AppInfo, Device, DeviceAction, DeviceError, Outcome};
use crate::planner::{PlanError, PlanMeta, PlannedAction, Planner, StepRequest};
use crate::screen::test_support::*;
use crate::screen::{Snapshot, WindowType};

/// A compose screen: a message field and a Send button. Tapping Send records the message.
#[derive(Default)]
struct ComposeDevice {
    draft: String,
    sent: Vec<String>,
    /// The Send button re-renders under a new key between the agent's observation and its
    /// first tap (the tap finds its node gone).
    rerender_send: bool,
    rerendered: bool,
    performed: Vec<DeviceAction>,
}

impl ComposeDevice {
    fn send_key(&self) -> String {
        if self.rerendered {
            "send-2".into()
        } else {
            "send".into()
        }
    }
}

impl Device for ComposeDevice {
    fn observe(&mut self) -> Result<Snapshot, DeviceError> {
        let mut children = vec![field("body", &self.draft, "Message", 1800)];
        children.push(button(&self.send_key(), "Send", 2000));
        for (i, message) in self.sent.iter().enumerate() {
            children.push(text(&format!("m{i}"), message, 300 + i as i32 * 80));
        }
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            children,
        );
        Ok(snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.chat",
            root,
        )]))
    }

    fn perform(&mut self, action: &DeviceAction) -> Result<Outcome, DeviceError> {
        self.performed.push(action.clone());
        if self.rerender_send && !self.rerendered && matches!(action, DeviceAction::Tap(_)) {
            self.rerendered = true;
            return Ok(Outcome::TargetGone);
        }
        match action {
            DeviceAction::SetText {
                target,
                text,
                clear,
            } if target.node_key == "body" => {
                if *clear {
                    self.draft.clear();
                }
                self.draft.push_str(text);
                Ok(Outcome::Performed)
            }
            DeviceAction::Tap(target) if target.node_key == self.send_key() => {
                self.sent.push(std::mem::take(&mut self.draft));
                Ok(Outcome::Performed)
            }
            DeviceAction::Tap(_) => Ok(Outcome::TargetGone),
            _ => Ok(Outcome::Performed),
        }
    }

    fn launch_app(&mut self, _label: &str) -> Result<Outcome, DeviceError> {
        Ok(Outcome::NoHandler)
    }

    fn installed_apps(&mut self) -> Result<Vec<AppInfo>, DeviceError> {
        Ok(vec![AppInfo {
            label: "Chat".into(),
            package: "com.example.chat".into(),
        }])
    }
}

/// Plays fixed lines; records what it was shown.
struct LinesPlanner {
    lines: Vec<&'static str>,
    seen_history: Vec<String>,
}

impl LinesPlanner {
    fn new(lines: &[&'static str]) -> Self {
        Self {
            lines: lines.iter().rev().copied().collect(),
            seen_history: Vec::new(),
        }
    }
}

impl Planner for LinesPlanner {
    fn name(&self) -> &str {
        "lines"
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        _cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if let Some(last) = request.history.last() {
            self.seen_history.push(last.result.clone());
        }
        let line = self.lines.pop().ok_or(PlanError::Exhausted)?;
        let action = parse_action(line).map_err(|e| PlanError::InvalidOutput(e.to_string()))?;
        Ok(PlannedAction {
            action,
            reason: String::new(),
            meta: PlanMeta {
                planner: "lines".into(),
                prompt_tokens: 100,
                generated_tokens: 5,
                ..PlanMeta::default()
            },
        })
    }
}

/// Records events and answers confirmations with a fixed choice.
#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<AgentEvent>>,
    allow: bool,
}

impl AgentListener for Recorder {
    fn on_event(&self, event: &AgentEvent) {
        self.events.lock().unwrap().push(event.clone());
    }

    fn confirm(&self, _request: &Confirmation) -> bool {
        self.allow
    }
}

impl Recorder {
    fn kinds(&self) -> Vec<&'static str> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .map(|event| match event {
                AgentEvent::Planned { .. } => "planned",
                AgentEvent::StepStarted { .. } => "step",
                AgentEvent::Observed { .. } => "observed",
                AgentEvent::ActionChosen { .. } => "chosen",
                AgentEvent::ActionRejected { .. } => "rejected",
                AgentEvent::NeedsConfirmation { .. } => "confirm?",
                AgentEvent::Confirmed { .. } => "confirmed",
                AgentEvent::Blocked { .. } => "blocked",
                AgentEvent::TakeoverRequested { .. } => "takeover",
                AgentEvent::TakeoverEnded { .. } => "handed back",
                AgentEvent::Acted { .. } => "acted",
                AgentEvent::Verified { .. } => "verified",
                AgentEvent::Finished { .. } => "finished",
            })
            .collect()
    }
}

fn quick_config() -> AgentConfig {
    AgentConfig {
        settle_attempts: 0,
        ..AgentConfig::default()
    }
}

fn run(
    agent: &Agent,
    device: &mut dyn Device,
    planner: &mut dyn Planner,
    listener: &dyn AgentListener,
) -> TaskResult {
    agent.run(
        "Tell the group I'm late",
        TaskIo {
            device,
            planner,
            listener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    )
}

#[test]
fn a_confirmed_send_runs_and_events_arrive_in_order() {
    let mut device = ComposeDevice::default();
    let mut planner = LinesPlanner::new(&["type 1 \"Running late\"", "tap 2", "done"]);
    let listener = Recorder {
        allow: true,
        ..Recorder::default()
    };
    let result = run(
        &Agent::new(quick_config()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert_eq!(
        result.status,
        TaskStatus::Succeeded {
            answer: String::new()
        }
    );
    assert_eq!(device.sent, vec!["Running late"]);
    assert_eq!(result.steps, 3);
    assert_eq!(result.tokens, 3 * 105);
    assert_eq!(
        listener.kinds(),
        [
            "planned",
            "step",
            "observed",
            "chosen",
            "acted",
            "verified", // type
            "step",
            "observed",
            "chosen",
            "confirm?",
            "confirmed",
            "acted",
            "verified", // send
            "step",
            "observed",
            "chosen",
            "finished", // done
        ]
    );
    assert_eq!(
        planner.seen_history[0],
        "field 1 holds the text\n~ [1] Running late (field) (was: Message (field, empty))"
    );
}

#[test]
fn a_denied_send_is_not_performed_and_the_planner_is_told() {
    let mut device = ComposeDevice::default();
    let mut planner =
        LinesPlanner::new(&["type 1 \"Running late\"", "tap 2", "fail \"not allowed\""]);
    let listener = Recorder::default();
    let result = run(
        &Agent::new(quick_config()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert!(device.sent.is_empty());
    assert!(
        !device
            .performed
            .iter()
            .any(|a| matches!(a, DeviceAction::Tap(_)))
    );
    assert_eq!(
        planner.seen_history[1],
        "denied: the user did not allow this action"
    );
    assert_eq!(
        result.status,
        TaskStatus::Failed {
            reason: "not allowed".into()
        }
    );
}

#[test]
fn dangling_ids_are_rejected_and_repeated_garbage_fails_the_task() {
    let mut device = ComposeDevice::default();
    let mut planner = LinesPlanner::new(&["tap 9", "tap 7", "type 2 \"x\""]);
    let listener = Recorder::default();
    let result = run(
        &Agent::new(quick_config()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert!(device.performed.is_empty(), "{:?}", device.performed);
    assert_eq!(
        result.status,
        TaskStatus::Failed {
            reason: "the planner gave 3 invalid actions in a row".into()
        }
    );
    assert_eq!(
        planner.seen_history[0],
        "rejected: there is no element 9 on this screen"
    );
}

#[test]
fn the_step_budget_stops_a_task() {
    let mut device = ComposeDevice::default();
    let mut planner = LinesPlanner::new(&["type 1 \"a\"", "type 1 \"b\"", "type 1 \"c\""]);
    let config = AgentConfig {
        budgets: Budgets {
            max_steps: 2,
            ..Budgets::default()
        },
        ..quick_config()
    };
    let result = run(
        &Agent::new(config),
        &mut device,
        &mut planner,
        &Recorder::default(),
    );
    assert_eq!(
        result.status,
        TaskStatus::BudgetExhausted {
            budget: "steps".into()
        }
    );
    assert_eq!(device.draft, "ab");
}

#[test]
fn an_action_without_effect_repeated_is_detected_and_the_task_stops() {
    let mut device = ComposeDevice::default();
    // Scrolling a screen that cannot scroll changes nothing.
    let mut planner = LinesPlanner::new(&["scroll down"; 6]);
    let result = run(
        &Agent::new(quick_config()),
        &mut device,
        &mut planner,
        &Recorder::default(),
    );
    assert_eq!(
        result.status,
        TaskStatus::Failed {
            reason: "stuck: `scroll` repeated on the same screen without progress".into()
        }
    );
    assert!(planner.seen_history[1].contains("choose a different one"));
    assert!(planner.seen_history[2].contains("pressed back"));
}

#[test]
fn a_target_that_re_rendered_is_found_again_by_its_stable_id() {
    let mut device = ComposeDevice {
        rerender_send: true,
        draft: "On my way".into(),
        ..ComposeDevice::default()
    };
    let mut planner = LinesPlanner::new(&["tap 2", "done"]);
    let listener = Recorder {
        allow: true,
        ..Recorder::default()
    };
    let result = run(
        &Agent::new(quick_config()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert!(matches!(result.status, TaskStatus::Succeeded { .. }));
    assert_eq!(device.sent, vec!["On my way"]);
    let taps: Vec<_> = device
        .performed
        .iter()
        .filter_map(|action| match action {
            DeviceAction::Tap(target) => Some(target.node_key.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        taps,
        ["send", "send-2"],
        "the stale key failed, the fresh one was tapped"
    );
}

/// A planner that blocks until cancelled, as a model mid-generation would.
struct SlowPlanner;

impl Planner for SlowPlanner {
    fn name(&self) -> &str {
        "slow"
    }

    fn next_action(
        &mut self,
        _request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        for _ in 0..500 {
            if cancel.is_cancelled() {
                return Err(PlanError::Cancelled);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(PlannedAction {
            action: Action::Done {
                answer: String::new(),
            },
            reason: String::new(),
            meta: PlanMeta::default(),
        })
    }
}

#[test]
fn cancelling_from_another_thread_stops_a_plan_in_progress() {
    let cancel = CancelToken::new();
    let canceller = cancel.clone();
    let timer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        canceller.cancel();
    });
    let mut device = ComposeDevice::default();
    let started = std::time::Instant::now();
    let result = Agent::new(quick_config()).run(
        "Wait",
        TaskIo {
            device: &mut device,
            planner: &mut SlowPlanner,
            listener: &SilentListener,
            cancel: &cancel,
            trajectory: None,
        },
    );
    timer.join().unwrap();
    assert_eq!(result.status, TaskStatus::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_listener_shared_across_threads_works() {
    let listener = Arc::new(Recorder::default());
    let shared = Arc::clone(&listener);
    std::thread::spawn(move || {
        shared.on_event(&AgentEvent::Blocked {
            step: 1,
            reason: "x".into(),
        })
    })
    .join()
    .unwrap();
    assert_eq!(listener.kinds(), ["blocked"]);
}

/// A sign-in screen: a password field and a Sign in button.
#[derive(Default)]
struct LoginDevice {
    performed: Vec<DeviceAction>,
}

impl Device for LoginDevice {
    fn observe(&mut self) -> Result<Snapshot, DeviceError> {
        let mut password = field("pw", "", "Password", 900);
        password.password = true;
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![password, button("signin", "Sign in", 1200)],
        );
        Ok(snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.bank",
            root,
        )]))
    }

    fn perform(&mut self, action: &DeviceAction) -> Result<Outcome, DeviceError> {
        self.performed.push(action.clone());
        Ok(Outcome::Performed)
    }

    fn launch_app(&mut self, _label: &str) -> Result<Outcome, DeviceError> {
        Ok(Outcome::NoHandler)
    }

    fn installed_apps(&mut self) -> Result<Vec<AppInfo>, DeviceError> {
        Ok(Vec::new())
    }
}

/// Records events and the takeovers asked; hands the phone back when `back`.
#[derive(Default)]
struct HandsBack {
    recorder: Recorder,
    back: bool,
    asked: Mutex<Vec<String>>,
}

impl AgentListener for HandsBack {
    fn on_event(&self, event: &AgentEvent) {
        self.recorder.on_event(event);
    }

    fn take_over(&self, reason: &str) -> bool {
        self.asked.lock().unwrap().push(reason.to_owned());
        self.back
    }
}

fn with_user() -> AgentConfig {
    AgentConfig {
        allow_ask: true,
        ..quick_config()
    }
}

fn without_user() -> AgentConfig {
    AgentConfig {
        allow_ask: false,
        ..quick_config()
    }
}

#[test]
fn a_takeover_waits_for_the_user_and_resumes_on_a_fresh_screen() {
    let mut device = ComposeDevice::default();
    let mut planner = LinesPlanner::new(&["takeover \"Sign in to the chat app\"", "done"]);
    let listener = HandsBack {
        back: true,
        ..HandsBack::default()
    };
    let result = run(
        &Agent::new(with_user()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert_eq!(
        result.status,
        TaskStatus::Succeeded {
            answer: String::new()
        }
    );
    assert_eq!(*listener.asked.lock().unwrap(), ["Sign in to the chat app"]);
    let kinds = listener.recorder.kinds();
    let takeover = kinds.iter().position(|kind| *kind == "takeover").unwrap();
    assert_eq!(kinds[takeover + 1], "handed back");
    // The next step observed the screen again before the planner chose.
    assert_eq!(&kinds[takeover + 2..takeover + 4], ["step", "observed"]);
    assert!(
        planner.seen_history[0].starts_with("the user took the phone over and handed it back"),
        "{:?}",
        planner.seen_history
    );
    assert!(device.performed.is_empty());
}

#[test]
fn a_takeover_the_user_declines_ends_the_task_and_without_a_user_it_is_not_offered() {
    let mut planner = LinesPlanner::new(&["takeover \"Solve the captcha\""]);
    let listener = HandsBack::default();
    let result = run(
        &Agent::new(with_user()),
        &mut ComposeDevice::default(),
        &mut planner,
        &listener,
    );
    assert_eq!(
        result.status,
        TaskStatus::Failed {
            reason: "the user did not take the phone over".into()
        }
    );
    // No one to hand the phone to: the verb is not offered, so the line is an invalid answer.
    let mut planner = LinesPlanner::new(&["takeover \"Solve the captcha\"", "fail \"stuck\""]);
    let listener = HandsBack {
        back: true,
        ..HandsBack::default()
    };
    let result = run(
        &Agent::new(without_user()),
        &mut ComposeDevice::default(),
        &mut planner,
        &listener,
    );
    assert!(matches!(result.status, TaskStatus::Failed { .. }));
    assert!(listener.asked.lock().unwrap().is_empty());
}

#[test]
fn a_password_without_a_secret_is_handed_to_the_user_instead_of_typed() {
    let mut device = LoginDevice::default();
    let mut planner = LinesPlanner::new(&["type 1 \"hunter2\"", "done"]);
    let listener = HandsBack {
        back: true,
        ..HandsBack::default()
    };
    let result = run(
        &Agent::new(with_user()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert_eq!(
        result.status,
        TaskStatus::Succeeded {
            answer: String::new()
        }
    );
    assert_eq!(*listener.asked.lock().unwrap(), [PASSWORD_TAKEOVER]);
    assert!(device.performed.is_empty(), "{:?}", device.performed);
    // Without a user, the same line is only blocked.
    let mut device = LoginDevice::default();
    let mut planner = LinesPlanner::new(&["type 1 \"hunter2\"", "fail \"no password\""]);
    let listener = HandsBack::default();
    run(
        &Agent::new(without_user()),
        &mut device,
        &mut planner,
        &listener,
    );
    assert!(listener.asked.lock().unwrap().is_empty());
    assert!(
        planner.seen_history[0].starts_with("blocked: "),
        "{:?}",
        planner.seen_history
    );
    assert!(device.performed.is_empty());
}
