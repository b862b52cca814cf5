//! The agent object Kotlin holds: a configuration, a planner and a phone, running one task at a
//! time on a thread of its own.
//!
//! Why a thread per task and a synchronous API (ARCHITECTURE.md, decision 5): Kotlin calls `start` on
//! any thread and gets a handle back at once; the agent calls the phone and the listener back
//! on the task's thread. No `async` crosses the boundary, so the Kotlin side needs no
//! coroutines library and Java code can use it as it is.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use lobster_core::agent::{self, CancelToken, TaskIo};

use crate::bridge::ForeignDevice;
use crate::config::AgentConfig;
use crate::device::Device;
use crate::error::AgentError;
use crate::events::{TaskResult, TaskStatus};
use crate::listener::{ForeignListener, TaskListener};
use crate::panic::{caught, guarded};
use crate::planner::PlannerSlot;
use crate::task::{TaskHandle, TaskState};

/// The reason a task reports when its thread panicked (the panic's own message is not passed
/// on: it may quote screen text).
const PANICKED: &str = "the task stopped on an internal error";

/// The on-device agent: runs tasks on one phone with one planner. Kotlin: `Agent`, which is
/// `AutoCloseable`.
#[derive(uniffi::Object)]
pub struct Agent {
    core: Arc<agent::Agent>,
    planner: Arc<PlannerSlot>,
    device: Arc<dyn Device>,
    mode: &'static str,
    answer_timeout: std::time::Duration,
    running: Arc<AtomicBool>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("mode", &self.mode)
            .field("busy", &self.is_busy())
            .finish_non_exhaustive()
    }
}

#[uniffi::export]
impl Agent {
    /// An agent for `device` with `config`. Loads the planner's model when the mode has one
    /// (which may take seconds: call it off the main thread). Throws
    /// `AgentException.InvalidConfig` for a configuration it cannot use and
    /// `AgentException.PlannerUnavailable` for a planner mode this library was built without.
    #[uniffi::constructor]
    pub fn new(config: AgentConfig, device: Arc<dyn Device>) -> Result<Arc<Agent>, AgentError> {
        guarded("Agent(config, device)", || {
            crate::logging::init();
            let core = agent::AgentConfig::try_from(&config)?;
            crate::panic::withhold_callback_text();
            let planner =
                PlannerSlot::build(&config.planner, &config.policy.cloud_denied_packages)?;
            tracing::info!(planner = config.planner.mode(), "agent ready");
            Ok(Arc::new(Agent {
                core: Arc::new(agent::Agent::new(core)),
                planner: Arc::new(planner),
                device,
                mode: config.planner.mode(),
                answer_timeout: config.confirmation_timeout(),
                running: Arc::new(AtomicBool::new(false)),
            }))
        })
    }

    /// Starts working on `goal` on a new thread and returns at once. Events go to `listener`.
    /// Throws `AgentException.Busy` while another task of this agent runs, and
    /// `AgentException.InvalidConfig` for an empty goal.
    pub fn start(
        &self,
        goal: String,
        listener: Arc<dyn TaskListener>,
    ) -> Result<Arc<TaskHandle>, AgentError> {
        guarded("Agent.start", || {
            if goal.trim().is_empty() {
                return Err(AgentError::config("the goal is empty"));
            }
            if self
                .running
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                return Err(AgentError::Busy);
            }
            let cancel = CancelToken::new();
            let state = Arc::new(TaskState::default());
            let task = Task {
                core: Arc::clone(&self.core),
                planner: Arc::clone(&self.planner),
                device: Arc::clone(&self.device),
                listener: ForeignListener::new(listener, cancel.clone(), self.answer_timeout),
                cancel: cancel.clone(),
                state: Arc::clone(&state),
                running: Arc::clone(&self.running),
                goal,
            };
            let spawned = std::thread::Builder::new()
                .name("lobster-task".into())
                .spawn(move || task.run());
            if spawned.is_err() {
                self.running.store(false, Ordering::SeqCst);
                return Err(AgentError::Internal {
                    reason: "could not start the task's thread".into(),
                });
            }
            tracing::info!(planner = self.mode, "task started");
            Ok(Arc::new(TaskHandle::new(cancel, state)))
        })
    }

    /// Whether a task of this agent is running.
    pub fn is_busy(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// The planner mode: `script`, `local`, `cloud` or `hybrid`.
    pub fn planner_mode(&self) -> String {
        self.mode.to_owned()
    }
}

/// Everything one task's thread owns.
struct Task {
    core: Arc<agent::Agent>,
    planner: Arc<PlannerSlot>,
    device: Arc<dyn Device>,
    listener: ForeignListener,
    cancel: CancelToken,
    state: Arc<TaskState>,
    running: Arc<AtomicBool>,
    goal: String,
}

impl Task {
    fn run(self) {
        let outcome = caught(|| {
            let mut device = ForeignDevice::new(Arc::clone(&self.device));
            let mut planner = self.planner.for_task();
            self.core.run(
                &self.goal,
                TaskIo {
                    device: &mut device,
                    planner: planner.as_mut(),
                    listener: &self.listener,
                    cancel: &self.cancel,
                    trajectory: None,
                },
            )
        });
        let result = match outcome {
            Some(result) => {
                let result = TaskResult::from(&result);
                tracing::info!(steps = result.steps, "task finished");
                Ok(result)
            }
            None => {
                tracing::error!("the task panicked");
                self.listener.finish_after_panic(TaskResult {
                    status: TaskStatus::Failed {
                        reason: PANICKED.into(),
                    },
                    steps: 0,
                    elapsed_ms: 0,
                    tokens: 0,
                });
                Err(AgentError::Internal {
                    reason: PANICKED.into(),
                })
            }
        };
        // Free the agent before waking the waiters, so `start` works as soon as `wait` returns.
        self.running.store(false, Ordering::SeqCst);
        self.state.finish(result);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::action::DeviceAction;
    use crate::config::tests::script_config;
    use crate::events::TaskEvent;
    use crate::test_phone::{Answering, RecordingListener, TestPhone};

    const WAIT_MS: i64 = 10_000;

    fn agent(lines: &[&str], phone: Arc<TestPhone>) -> Arc<Agent> {
        Agent::new(script_config(lines), phone).unwrap()
    }

    /// The event kinds in order, as `StepStarted`, `Acted`, ….
    fn kinds(events: &[TaskEvent]) -> Vec<String> {
        events
            .iter()
            .map(|event| {
                let debug = format!("{event:?}");
                debug
                    .split([' ', '{', '('])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn a_whole_task_runs_on_its_thread_and_reports_in_order() {
        let phone = Arc::new(TestPhone::default());
        let agent = agent(
            &["type 1 \"Milk\"", "tap 2", "done \"saved\""],
            phone.clone(),
        );
        let listener = RecordingListener::answering(Answering::Deny);
        let handle = agent
            .start("Save a note called Milk".into(), listener.clone())
            .unwrap();
        let result = handle.wait_for(WAIT_MS).unwrap().unwrap();
        assert_eq!(
            result.status,
            TaskStatus::Succeeded {
                answer: "saved".into()
            }
        );
        assert_eq!(result.steps, 3);
        assert!(phone.saved());
        let events = listener.events();
        assert_eq!(
            kinds(&events),
            [
                "Planned",
                "StepStarted",
                "Observed",
                "ActionChosen",
                "Acted",
                "Verified",
                "StepStarted",
                "Observed",
                "ActionChosen",
                "Acted",
                "Verified",
                "StepStarted",
                "Observed",
                "ActionChosen",
                "Finished"
            ]
        );
        assert!(matches!(
            events.last(),
            Some(TaskEvent::Finished { result: finished }) if finished.status == result.status
        ));
        assert!(!agent.is_busy());
        assert_eq!(agent.planner_mode(), "script");
    }

    #[test]
    fn a_denied_confirmation_keeps_the_phone_untouched() {
        let phone = Arc::new(TestPhone::default());
        let agent = agent(&["tap 3", "done"], phone.clone());
        let listener = RecordingListener::answering(Answering::Deny);
        let handle = agent.start("Clean up".into(), listener.clone()).unwrap();
        let result = handle.wait_for(WAIT_MS).unwrap().unwrap();
        assert!(matches!(result.status, TaskStatus::Succeeded { .. }));
        let events = listener.events();
        assert!(events.iter().any(|event| matches!(
            event,
            TaskEvent::NeedsConfirmation { request, .. }
                if request.category == crate::category::SensitiveCategory::Delete
        )));
        assert!(events.contains(&TaskEvent::Confirmed {
            step: 1,
            allowed: false
        }));
        assert!(phone.performed().is_empty(), "{:?}", phone.performed());
    }

    #[test]
    fn an_allowed_confirmation_acts() {
        let phone = Arc::new(TestPhone::default());
        let agent = agent(&["tap 3", "done"], phone.clone());
        let listener = RecordingListener::answering(Answering::AllowLater);
        let handle = agent.start("Clean up".into(), listener).unwrap();
        handle.wait_for(WAIT_MS).unwrap().unwrap();
        assert!(matches!(
            phone.performed().as_slice(),
            [DeviceAction::Tap { target }] if target.node_key == "delete"
        ));
    }

    #[test]
    fn one_task_at_a_time_and_cancel_stops_a_waiting_task() {
        let phone = Arc::new(TestPhone::default());
        let agent = agent(&["tap 3", "done"], phone);
        let listener = RecordingListener::answering(Answering::Keep);
        let handle = agent.start("Clean up".into(), listener.clone()).unwrap();
        // Wait until the task waits for the confirmation.
        while !listener
            .events()
            .iter()
            .any(|event| matches!(event, TaskEvent::NeedsConfirmation { .. }))
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(agent.is_busy());
        assert_eq!(
            agent.start("Another".into(), listener.clone()).unwrap_err(),
            AgentError::Busy
        );
        assert_eq!(handle.wait_for(10).unwrap(), None);
        handle.cancel();
        let result = handle.wait_for(WAIT_MS).unwrap().unwrap();
        assert_eq!(result.status, TaskStatus::Cancelled);
        // The agent is free again.
        let again = agent.start("Again".into(), listener).unwrap();
        drop(again);
    }

    #[test]
    fn a_failing_phone_fails_the_task_not_the_process() {
        let phone = Arc::new(TestPhone::failing_after(0));
        let agent = agent(&["tap 2"], phone);
        let handle = agent
            .start("Save".into(), RecordingListener::answering(Answering::Deny))
            .unwrap();
        let result = handle.wait_for(WAIT_MS).unwrap().unwrap();
        assert!(
            matches!(&result.status, TaskStatus::Failed { reason } if reason.contains("device unavailable")),
            "{result:?}"
        );
    }

    #[test]
    fn bad_input_is_refused_before_any_thread_starts() {
        let phone = Arc::new(TestPhone::default());
        let agent = agent(&["done"], phone.clone());
        let listener = RecordingListener::answering(Answering::Deny);
        assert!(matches!(
            agent.start("  ".into(), listener),
            Err(AgentError::InvalidConfig { .. })
        ));
        assert!(!agent.is_busy());
        assert!(matches!(
            Agent::new(script_config(&["fly"]), phone),
            Err(AgentError::InvalidConfig { .. })
        ));
    }
}
