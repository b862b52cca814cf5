//! What a running task tells Kotlin: its events, its confirmation requests and how it ended.
//!
//! Mirrors core's [`AgentEvent`](lobster_core::agent::AgentEvent) one to one, flattened into
//! plain records (the plan as a list of subgoals, the planner's cost inline) so a Kotlin `when`
//! over `TaskEvent` reads naturally and Java sees ordinary classes.

use std::time::Duration;

use lobster_core::agent::{self, AgentEvent, TaskResult as CoreResult};
use lobster_core::planner::{SubgoalStatus, TaskPlan};

use crate::category::SensitiveCategory;

/// An event of a running task, in the order they happen.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum TaskEvent {
    /// The goal was split into subgoals (sent again when a subgoal is replanned).
    Planned {
        /// The subgoals in order, with their route and progress.
        subgoals: Vec<Subgoal>,
    },
    /// A step began.
    StepStarted {
        /// The step number, from 1.
        step: i32,
        /// The subgoal being worked on (index into the plan).
        subgoal: i32,
    },
    /// The screen was read and encoded.
    Observed {
        /// The step.
        step: i32,
        /// Elements with an id on the screen.
        elements: i32,
        /// Estimated tokens of the encoded screen.
        screen_tokens: i32,
    },
    /// The planner chose an action.
    ActionChosen {
        /// The step.
        step: i32,
        /// The action as written (`tap 9`; secrets as placeholders).
        action: String,
        /// The planner's reason.
        reason: String,
        /// Who planned it and at what cost.
        planner: PlannerCost,
    },
    /// The planner's answer was not valid on this screen; it is asked again.
    ActionRejected {
        /// The step.
        step: i32,
        /// Why.
        error: String,
    },
    /// A sensitive action waits for the user (the listener's `onConfirmationRequest` follows).
    NeedsConfirmation {
        /// The step.
        step: i32,
        /// What is asked.
        request: ConfirmationRequest,
    },
    /// The user's answer to a confirmation.
    Confirmed {
        /// The step.
        step: i32,
        /// Whether the action may run.
        allowed: bool,
    },
    /// The policy blocked an action outright.
    Blocked {
        /// The step.
        step: i32,
        /// Why.
        reason: String,
    },
    /// The agent hands the phone to the user (the listener's `onTakeover` follows).
    TakeoverRequested {
        /// The step.
        step: i32,
        /// What the user is asked to do.
        reason: String,
    },
    /// The user handed the phone back (`resumed`), or did not take it over.
    TakeoverEnded {
        /// The step.
        step: i32,
        /// Whether the task goes on.
        resumed: bool,
    },
    /// The action was carried out (or found its target gone).
    Acted {
        /// The step.
        step: i32,
        /// The action as written.
        action: String,
        /// What the phone reported.
        outcome: String,
    },
    /// The screen after the action was checked.
    Verified {
        /// The step.
        step: i32,
        /// Whether the action had the expected effect.
        effective: bool,
        /// What was seen.
        note: String,
    },
    /// The task ended; the last event of every task.
    Finished {
        /// How it ended, with its counts.
        result: TaskResult,
    },
}

/// One subgoal of the task's plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Subgoal {
    /// What it achieves, in words.
    pub description: String,
    /// How it is reached: `ui`, `intent set_alarm hour=7 minute=30`, `call NAME {…}`.
    pub route: String,
    /// How far it got.
    pub progress: SubgoalProgress,
}

/// Progress of a subgoal.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SubgoalProgress {
    /// Not started.
    Pending,
    /// Being worked on.
    Active,
    /// Reached.
    Done,
    /// Its direct route failed; it continues through the UI.
    Replanned {
        /// Why the route failed.
        reason: String,
    },
}

/// Who planned an action and at what cost.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlannerCost {
    /// The planner: `script`, `local`, `cloud`, `route`.
    pub planner: String,
    /// Prompt tokens evaluated (0 when unknown).
    pub prompt_tokens: i32,
    /// Prompt tokens reused from an earlier step (the on-device model's KV cache).
    pub cached_tokens: i32,
    /// Tokens generated.
    pub generated_tokens: i32,
    /// Wall time of the call in milliseconds.
    pub millis: i64,
    /// The planner's confidence, 0 to 1, when it gives one.
    pub confidence: Option<f32>,
    /// In hybrid mode, why the router asked this planner (`on device first`, `in the cloud:
    /// the goal matches "…"`, `on device: a private app is on screen (…)`); empty otherwise.
    pub routing: String,
}

/// A sensitive action the user must allow.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConfirmationRequest {
    /// The action as the planner wrote it (`tap 12`).
    pub action: String,
    /// What kind of risk it is.
    pub category: SensitiveCategory,
    /// One line for the dialog naming the target and why it was flagged. It quotes screen
    /// text: show it to the user, do not log it.
    pub reason: String,
    /// The tool a yes is remembered for (one the policy asks the first time only): the task
    /// stops asking for it, and an app that keeps the user's grants stores it and passes it
    /// back in `Policy.grantedTools`.
    pub remember: Option<String>,
}

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TaskStatus {
    /// The goal was reached; `answer` is the reply to an information request (may be empty).
    Succeeded {
        /// The planner's answer.
        answer: String,
    },
    /// The planner gave up, the phone failed, or the task stopped on an error.
    Failed {
        /// Why.
        reason: String,
    },
    /// Cancelled from outside (`TaskHandle.cancel()`, or the handle was closed).
    Cancelled,
    /// A budget ran out.
    BudgetExhausted {
        /// Which: `steps`, `time` or `tokens`.
        budget: String,
    },
}

/// A finished task.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TaskResult {
    /// How it ended.
    pub status: TaskStatus,
    /// Steps taken.
    pub steps: i32,
    /// Wall time in milliseconds.
    pub elapsed_ms: i64,
    /// Planner tokens spent.
    pub tokens: i64,
}

fn int(value: impl TryInto<i32>) -> i32 {
    value.try_into().unwrap_or(i32::MAX)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The subgoals of a plan.
pub(crate) fn subgoals(plan: &TaskPlan) -> Vec<Subgoal> {
    plan.subgoals
        .iter()
        .map(|subgoal| Subgoal {
            description: subgoal.description.clone(),
            route: subgoal.route.to_string(),
            progress: (&subgoal.status).into(),
        })
        .collect()
}

impl From<&SubgoalStatus> for SubgoalProgress {
    fn from(status: &SubgoalStatus) -> Self {
        match status {
            SubgoalStatus::Pending => SubgoalProgress::Pending,
            SubgoalStatus::Active => SubgoalProgress::Active,
            SubgoalStatus::Done => SubgoalProgress::Done,
            SubgoalStatus::Replanned(reason) => SubgoalProgress::Replanned {
                reason: reason.clone(),
            },
        }
    }
}

impl From<&agent::Confirmation> for ConfirmationRequest {
    fn from(request: &agent::Confirmation) -> Self {
        ConfirmationRequest {
            action: request.action.clone(),
            category: request.category.into(),
            reason: request.reason.clone(),
            remember: request.remember.clone(),
        }
    }
}

impl From<&agent::TaskStatus> for TaskStatus {
    fn from(status: &agent::TaskStatus) -> Self {
        match status {
            agent::TaskStatus::Succeeded { answer } => TaskStatus::Succeeded {
                answer: answer.clone(),
            },
            agent::TaskStatus::Failed { reason } => TaskStatus::Failed {
                reason: reason.clone(),
            },
            agent::TaskStatus::Cancelled => TaskStatus::Cancelled,
            agent::TaskStatus::BudgetExhausted { budget } => TaskStatus::BudgetExhausted {
                budget: budget.clone(),
            },
        }
    }
}

impl From<&CoreResult> for TaskResult {
    fn from(result: &CoreResult) -> Self {
        TaskResult {
            status: (&result.status).into(),
            steps: int(result.steps),
            elapsed_ms: millis(result.elapsed),
            tokens: i64::try_from(result.tokens).unwrap_or(i64::MAX),
        }
    }
}

impl From<&AgentEvent> for TaskEvent {
    fn from(event: &AgentEvent) -> Self {
        match event {
            AgentEvent::Planned { plan } => TaskEvent::Planned {
                subgoals: subgoals(plan),
            },
            AgentEvent::StepStarted { step, subgoal } => TaskEvent::StepStarted {
                step: int(*step),
                subgoal: int(*subgoal),
            },
            AgentEvent::Observed {
                step,
                elements,
                screen_tokens,
            } => TaskEvent::Observed {
                step: int(*step),
                elements: int(*elements),
                screen_tokens: int(*screen_tokens),
            },
            AgentEvent::ActionChosen {
                step,
                action,
                reason,
                meta,
            } => TaskEvent::ActionChosen {
                step: int(*step),
                action: action.clone(),
                reason: reason.clone(),
                planner: PlannerCost {
                    planner: meta.planner.clone(),
                    prompt_tokens: int(meta.prompt_tokens),
                    cached_tokens: int(meta.cached_tokens),
                    generated_tokens: int(meta.generated_tokens),
                    millis: i64::try_from(meta.millis).unwrap_or(i64::MAX),
                    confidence: meta.confidence,
                    routing: meta.planner_reason.clone(),
                },
            },
            AgentEvent::ActionRejected { step, error } => TaskEvent::ActionRejected {
                step: int(*step),
                error: error.clone(),
            },
            AgentEvent::NeedsConfirmation { step, request } => TaskEvent::NeedsConfirmation {
                step: int(*step),
                request: request.into(),
            },
            AgentEvent::Confirmed { step, allowed } => TaskEvent::Confirmed {
                step: int(*step),
                allowed: *allowed,
            },
            AgentEvent::Blocked { step, reason } => TaskEvent::Blocked {
                step: int(*step),
                reason: reason.clone(),
            },
            AgentEvent::TakeoverRequested { step, reason } => TaskEvent::TakeoverRequested {
                step: int(*step),
                reason: reason.clone(),
            },
            AgentEvent::TakeoverEnded { step, resumed } => TaskEvent::TakeoverEnded {
                step: int(*step),
                resumed: *resumed,
            },
            AgentEvent::Acted {
                step,
                action,
                outcome,
            } => TaskEvent::Acted {
                step: int(*step),
                action: action.clone(),
                outcome: outcome.clone(),
            },
            AgentEvent::Verified {
                step,
                effective,
                note,
            } => TaskEvent::Verified {
                step: int(*step),
                effective: *effective,
                note: note.clone(),
            },
            AgentEvent::Finished {
                status,
                steps,
                elapsed,
            } => TaskEvent::Finished {
                result: TaskResult {
                    status: status.into(),
                    steps: int(*steps),
                    elapsed_ms: millis(*elapsed),
                    // The loop's event does not carry the token count; the handle's result does.
                    tokens: 0,
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use lobster_core::action::Intent;
    use lobster_core::planner::{PlanMeta, Route};
    use lobster_core::policy::Category;

    use super::*;

    #[test]
    fn plans_keep_routes_and_progress() {
        let mut plan = TaskPlan::single_ui("Turn off Wi-Fi");
        plan.subgoals.push(lobster_core::planner::Subgoal::new(
            "Set an alarm",
            Route::Intent(Intent::SetAlarm {
                hour: 7,
                minute: 30,
                label: None,
            }),
        ));
        plan.subgoals[0].status = SubgoalStatus::Done;
        plan.subgoals[1].status = SubgoalStatus::Replanned("no handler".into());
        let TaskEvent::Planned { subgoals } = TaskEvent::from(&AgentEvent::Planned { plan }) else {
            panic!("not a plan");
        };
        assert_eq!(subgoals[0].route, "ui");
        assert_eq!(subgoals[0].progress, SubgoalProgress::Done);
        assert!(subgoals[1].route.starts_with("intent set_alarm"));
        assert_eq!(
            subgoals[1].progress,
            SubgoalProgress::Replanned {
                reason: "no handler".into()
            }
        );
        assert_eq!(
            SubgoalProgress::from(&SubgoalStatus::Pending),
            SubgoalProgress::Pending
        );
        assert_eq!(
            SubgoalProgress::from(&SubgoalStatus::Active),
            SubgoalProgress::Active
        );
    }

    #[test]
    fn step_events_convert_field_by_field() {
        let meta = PlanMeta {
            planner: "local".into(),
            prompt_tokens: 700,
            cached_tokens: 650,
            generated_tokens: 6,
            millis: 1_234,
            confidence: Some(0.5),
            planner_reason: "on device first".into(),
        };
        let cases = [
            (
                AgentEvent::StepStarted {
                    step: 2,
                    subgoal: 1,
                },
                TaskEvent::StepStarted {
                    step: 2,
                    subgoal: 1,
                },
            ),
            (
                AgentEvent::Observed {
                    step: 2,
                    elements: 19,
                    screen_tokens: 240,
                },
                TaskEvent::Observed {
                    step: 2,
                    elements: 19,
                    screen_tokens: 240,
                },
            ),
            (
                AgentEvent::ActionChosen {
                    step: 2,
                    action: "tap 9".into(),
                    reason: "the switch".into(),
                    meta,
                },
                TaskEvent::ActionChosen {
                    step: 2,
                    action: "tap 9".into(),
                    reason: "the switch".into(),
                    planner: PlannerCost {
                        planner: "local".into(),
                        prompt_tokens: 700,
                        cached_tokens: 650,
                        generated_tokens: 6,
                        millis: 1_234,
                        confidence: Some(0.5),
                        routing: "on device first".into(),
                    },
                },
            ),
            (
                AgentEvent::ActionRejected {
                    step: 3,
                    error: "no element 99".into(),
                },
                TaskEvent::ActionRejected {
                    step: 3,
                    error: "no element 99".into(),
                },
            ),
            (
                AgentEvent::Confirmed {
                    step: 4,
                    allowed: false,
                },
                TaskEvent::Confirmed {
                    step: 4,
                    allowed: false,
                },
            ),
            (
                AgentEvent::Blocked {
                    step: 4,
                    reason: "secret".into(),
                },
                TaskEvent::Blocked {
                    step: 4,
                    reason: "secret".into(),
                },
            ),
            (
                AgentEvent::Acted {
                    step: 5,
                    action: "back".into(),
                    outcome: "performed".into(),
                },
                TaskEvent::Acted {
                    step: 5,
                    action: "back".into(),
                    outcome: "performed".into(),
                },
            ),
            (
                AgentEvent::Verified {
                    step: 5,
                    effective: true,
                    note: "screen changed".into(),
                },
                TaskEvent::Verified {
                    step: 5,
                    effective: true,
                    note: "screen changed".into(),
                },
            ),
        ];
        for (core, ffi) in cases {
            assert_eq!(TaskEvent::from(&core), ffi);
        }
    }

    #[test]
    fn confirmations_and_endings_convert() {
        let request = agent::Confirmation {
            action: "tap 4".into(),
            category: Category::Send,
            reason: "tap on \"Send\" looks like sending a message".into(),
            remember: None,
        };
        assert_eq!(
            TaskEvent::from(&AgentEvent::NeedsConfirmation {
                step: 3,
                request: request.clone()
            }),
            TaskEvent::NeedsConfirmation {
                step: 3,
                request: ConfirmationRequest {
                    action: "tap 4".into(),
                    category: SensitiveCategory::Send,
                    reason: request.reason.clone(),
                    remember: None,
                }
            }
        );
        let statuses = [
            (
                agent::TaskStatus::Succeeded {
                    answer: "42".into(),
                },
                TaskStatus::Succeeded {
                    answer: "42".into(),
                },
            ),
            (
                agent::TaskStatus::Failed {
                    reason: "stuck".into(),
                },
                TaskStatus::Failed {
                    reason: "stuck".into(),
                },
            ),
            (agent::TaskStatus::Cancelled, TaskStatus::Cancelled),
            (
                agent::TaskStatus::BudgetExhausted {
                    budget: "steps".into(),
                },
                TaskStatus::BudgetExhausted {
                    budget: "steps".into(),
                },
            ),
        ];
        for (core, ffi) in statuses {
            assert_eq!(TaskStatus::from(&core), ffi);
            assert_eq!(
                TaskEvent::from(&AgentEvent::Finished {
                    status: core.clone(),
                    steps: 3,
                    elapsed: Duration::from_millis(1_500),
                }),
                TaskEvent::Finished {
                    result: TaskResult {
                        status: ffi.clone(),
                        steps: 3,
                        elapsed_ms: 1_500,
                        tokens: 0
                    }
                }
            );
            let result = CoreResult {
                status: core,
                steps: 3,
                elapsed: Duration::from_millis(2),
                plan: TaskPlan::single_ui("x"),
                tokens: 900,
            };
            assert_eq!(
                TaskResult::from(&result),
                TaskResult {
                    status: ffi,
                    steps: 3,
                    elapsed_ms: 2,
                    tokens: 900
                }
            );
        }
    }
}
