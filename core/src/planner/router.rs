//! The router: on-device first, the cloud when the on-device planner is stuck, and back.
//!
//! Why a policy in code and not in the model: the on-device planner is private, free and
//! offline, and right most of the time; a cloud model is better at the hard steps but costs
//! money, needs a network and sees (masked) screen content. So every step starts on the device,
//! and the router escalates to the cloud only on evidence:
//! * the on-device planner's actions did not verify, [`RouterPolicy::failures_before_escalation`]
//!   times in a row (the loop's verification, [`StepMemory::verified`]);
//! * the loop detector flagged a repeat ([`StepMemory::repeated`]);
//! * the on-device planner was not confident ([`PlanMeta::confidence`](super::PlanMeta) below
//!   [`RouterPolicy::min_confidence`]) or failed outright;
//! * the goal matches one of the integrator's patterns for goals that need the cloud (then the
//!   whole task goes there).
//!
//! After a cloud step verifies (or finishes the subgoal), the next step returns to the device.
//! The cloud is never asked when the integrator switched it off ([`CloudMode::Never`]), when a
//! private app (bank, password manager) is on screen, when the task's cloud token budget is
//! spent, or for a while after it was unreachable or answered garbage — the step stays on the
//! device and the event says why. A cloud that answers, but with actions that are malformed or
//! not on the screen, fails as surely as one that is down: after
//! [`RouterPolicy::invalid_cloud_answers_before_fallback`] such answers in a row the step goes
//! back to the device instead of spending the loop's rejections (which would end the task). History sent to the cloud has the steps around private screens withheld. Every
//! action's [`PlanMeta`](super::PlanMeta) names the planner that chose it and carries the
//! router's reason in its `planner_reason`.

use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

use super::{
    PlanError, PlannedAction, Planner, StepMemory, StepRequest, TaskPlan, TaskRequest,
    instant_after,
};
use crate::action::Action;
use crate::cancel::CancelToken;
use crate::policy::redact::{PrivateApps, private_app_on_screen, withhold_private_steps};

/// Whether the cloud may be used at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CloudMode {
    /// Never: every step stays on the device, whatever happens.
    Never,
    /// On evidence: escalate when the on-device planner is stuck, unsure, or the goal needs it.
    #[default]
    OnEscalation,
}

/// The integrator's routing settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RouterPolicy {
    /// Whether the cloud may be used.
    pub mode: CloudMode,
    /// On-device actions in a row that did not verify before the cloud takes over.
    pub failures_before_escalation: u32,
    /// On-device confidence below this sends the step to the cloud.
    pub min_confidence: f32,
    /// Goals containing one of these (case-insensitive) go to the cloud for the whole task.
    pub cloud_goal_patterns: Vec<String>,
    /// Cloud tokens (prompt, cached prompt and generated) one task may spend.
    pub cloud_token_budget: u64,
    /// Apps whose screens never go to the cloud.
    pub private_apps: PrivateApps,
    /// How long to stay on the device after the cloud was unreachable or answered garbage.
    pub offline_backoff: Duration,
    /// Cloud answers in a row that were malformed or not valid on their screen before the step
    /// goes back to the device (and the cloud rests for [`offline_backoff`](Self::offline_backoff)).
    pub invalid_cloud_answers_before_fallback: u32,
}

impl Default for RouterPolicy {
    /// Escalate after 2 unverified actions or below 0.4 confidence, 100,000 cloud tokens per
    /// task, the default private apps, 60 s on the device after a cloud failure or after 2
    /// invalid cloud answers in a row.
    fn default() -> Self {
        Self {
            mode: CloudMode::OnEscalation,
            failures_before_escalation: 2,
            min_confidence: 0.4,
            cloud_goal_patterns: Vec::new(),
            cloud_token_budget: 100_000,
            private_apps: PrivateApps::default(),
            offline_backoff: Duration::from_secs(60),
            invalid_cloud_answers_before_fallback: 2,
        }
    }
}

/// Why the router asked the planner it asked.
#[derive(Debug, Clone, PartialEq)]
pub enum RoutingReason {
    /// On the device, as every step starts.
    OnDeviceFirst,
    /// On the device again: the last cloud step verified.
    BackOnDevice,
    /// On the device: the cloud is switched off.
    CloudOff,
    /// On the device: there is no cloud planner.
    NoCloud,
    /// On the device: a private app is on screen.
    PrivateApp(String),
    /// On the device: the task spent its cloud tokens.
    BudgetSpent {
        /// Tokens spent.
        used: u64,
        /// The budget.
        budget: u64,
    },
    /// On the device: the cloud failed now or a moment ago.
    CloudUnreachable(String),
    /// On the device: the cloud's answers were invalid this many times in a row, now or a
    /// moment ago.
    CloudAnswersInvalid {
        /// Invalid answers in a row.
        in_a_row: u32,
        /// What was wrong with the last one (masked, as the cloud planner reports it).
        last: String,
    },
    /// In the cloud: the goal matches an integrator's pattern.
    GoalNeedsCloud(String),
    /// In the cloud: on-device actions did not verify this many times in a row.
    NotVerified(u32),
    /// In the cloud: the loop detector flagged a repeat.
    LoopDetected,
    /// In the cloud: the on-device planner's confidence was below the threshold.
    LowConfidence {
        /// Its confidence.
        confidence: f32,
        /// The threshold.
        threshold: f32,
    },
    /// In the cloud: the on-device planner failed.
    LocalFailed(String),
}

impl RoutingReason {
    /// Whether this reason sends the step to the cloud.
    pub fn is_escalation(&self) -> bool {
        matches!(
            self,
            RoutingReason::GoalNeedsCloud(_)
                | RoutingReason::NotVerified(_)
                | RoutingReason::LoopDetected
                | RoutingReason::LowConfidence { .. }
                | RoutingReason::LocalFailed(_)
        )
    }
}

impl fmt::Display for RoutingReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoutingReason::OnDeviceFirst => f.write_str("on device first"),
            RoutingReason::BackOnDevice => {
                f.write_str("back on device: the cloud's last action verified")
            }
            RoutingReason::CloudOff => f.write_str("on device: the cloud is switched off"),
            RoutingReason::NoCloud => f.write_str("on device: no cloud planner is configured"),
            RoutingReason::PrivateApp(package) => {
                write!(f, "on device: a private app is on screen ({package})")
            }
            RoutingReason::BudgetSpent { used, budget } => write!(
                f,
                "on device: the task's cloud token budget is spent ({used} of {budget})"
            ),
            RoutingReason::CloudUnreachable(why) => {
                write!(f, "on device: the cloud is unreachable ({why})")
            }
            RoutingReason::CloudAnswersInvalid { in_a_row: 1, last } => {
                write!(f, "on device: the cloud's answer was invalid ({last})")
            }
            RoutingReason::CloudAnswersInvalid { in_a_row, last } => write!(
                f,
                "on device: the cloud's last {in_a_row} answers were invalid (the last: {last})"
            ),
            RoutingReason::GoalNeedsCloud(pattern) => {
                write!(f, "cloud: the goal matches {pattern:?}")
            }
            RoutingReason::NotVerified(count) => write!(
                f,
                "escalated to cloud: {count} on-device actions in a row did not verify"
            ),
            RoutingReason::LoopDetected => f.write_str(
                "escalated to cloud: the loop detector flagged a repeated on-device action",
            ),
            RoutingReason::LowConfidence {
                confidence,
                threshold,
            } => write!(
                f,
                "escalated to cloud: on-device confidence {confidence:.2} is below {threshold:.2}"
            ),
            RoutingReason::LocalFailed(why) => {
                write!(
                    f,
                    "escalated to cloud: the on-device planner failed ({why})"
                )
            }
        }
    }
}

/// Which planner acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Local,
    Cloud,
}

/// The router's last choice, to read its outcome from the next step's history.
#[derive(Debug, Clone, Copy)]
struct Choice {
    step: u32,
    side: Side,
    /// The action finished its subgoal (`done`): nothing to verify, and a success.
    done: bool,
}

/// What the router knows about the current task.
#[derive(Debug, Default)]
struct TaskState {
    goal: String,
    last_step: u32,
    last: Option<Choice>,
    local_failures_in_a_row: u32,
    /// Why the cloud has the steps, until one of its actions verifies.
    escalation: Option<RoutingReason>,
    /// The last cloud step verified: the next local step says so.
    back_from_cloud: bool,
    /// The integrator's pattern the goal matched, if any.
    goal_pattern: Option<String>,
    cloud_tokens: u64,
    /// Cloud answers in a row that were malformed or not valid on their screen.
    cloud_invalid_in_a_row: u32,
    private_steps: BTreeSet<u32>,
}

/// A [`Planner`] that composes an on-device planner and an optional cloud planner under a
/// [`RouterPolicy`].
pub struct Router {
    local: Box<dyn Planner>,
    cloud: Option<Box<dyn Planner>>,
    policy: RouterPolicy,
    task: TaskState,
    /// Until when the cloud rests, and why (the reason steps give meanwhile).
    cloud_rests: Option<(Instant, RoutingReason)>,
    last_reason: Option<RoutingReason>,
    /// Which side made the current task's plan.
    planned_on: Side,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("local", &self.local.name())
            .field("cloud", &self.cloud.as_ref().map(|cloud| cloud.name()))
            .field("policy", &self.policy)
            .field("last_reason", &self.last_reason)
            .finish_non_exhaustive()
    }
}

impl Router {
    /// A router trying `local` first and `cloud` (if any) when `policy` says so.
    pub fn new(
        local: Box<dyn Planner>,
        cloud: Option<Box<dyn Planner>>,
        policy: RouterPolicy,
    ) -> Router {
        Router {
            local,
            cloud,
            policy,
            task: TaskState::default(),
            cloud_rests: None,
            last_reason: None,
            planned_on: Side::Local,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &RouterPolicy {
        &self.policy
    }

    /// Why the last step went where it went.
    pub fn last_reason(&self) -> Option<&RoutingReason> {
        self.last_reason.as_ref()
    }

    /// Cloud tokens spent in the current task.
    pub fn cloud_tokens(&self) -> u64 {
        self.task.cloud_tokens
    }

    /// Resets the task state for `goal`.
    fn begin_task(&mut self, goal: &str) {
        let lower = goal.to_lowercase();
        let goal_pattern = self
            .policy
            .cloud_goal_patterns
            .iter()
            .find(|pattern| !pattern.is_empty() && lower.contains(&pattern.to_lowercase()))
            .cloned();
        self.task = TaskState {
            goal: goal.to_owned(),
            goal_pattern,
            ..TaskState::default()
        };
    }

    /// Reads how the last step went from the history and updates the escalation.
    fn digest(&mut self, history: &[StepMemory]) {
        let Some(choice) = self.task.last else {
            return;
        };
        let Some(memory) = history
            .iter()
            .rev()
            .find(|memory| memory.step == choice.step)
        else {
            return;
        };
        let task = &mut self.task;
        match choice.side {
            Side::Local => {
                match memory.verified {
                    Some(false) => task.local_failures_in_a_row += 1,
                    Some(true) => task.local_failures_in_a_row = 0,
                    None => {}
                }
                if memory.repeated {
                    task.escalation = Some(RoutingReason::LoopDetected);
                } else if task.local_failures_in_a_row >= self.policy.failures_before_escalation {
                    task.escalation =
                        Some(RoutingReason::NotVerified(task.local_failures_in_a_row));
                }
            }
            Side::Cloud => {
                if memory.verified == Some(true) || choice.done {
                    task.escalation = None;
                    task.local_failures_in_a_row = 0;
                    task.back_from_cloud = true;
                }
            }
        }
        // Read once.
        task.last = None;
    }

    /// Why the cloud cannot be asked now, if it cannot.
    fn cloud_blocked(&self, request: &StepRequest<'_>) -> Option<RoutingReason> {
        if self.policy.mode == CloudMode::Never {
            return Some(RoutingReason::CloudOff);
        }
        if self.cloud.is_none() {
            return Some(RoutingReason::NoCloud);
        }
        if let Some(package) = private_app_on_screen(request.screen, &self.policy.private_apps) {
            return Some(RoutingReason::PrivateApp(package));
        }
        if self.task.cloud_tokens >= self.policy.cloud_token_budget {
            return Some(RoutingReason::BudgetSpent {
                used: self.task.cloud_tokens,
                budget: self.policy.cloud_token_budget,
            });
        }
        match &self.cloud_rests {
            Some((until, why)) if Instant::now() < *until => Some(why.clone()),
            _ => None,
        }
    }

    /// Asks the on-device planner, recording the choice.
    fn ask_local(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
        reason: RoutingReason,
    ) -> Result<PlannedAction, PlanError> {
        let result = self.local.next_action(request, cancel);
        self.record(request.step, Side::Local, result.as_ref().ok());
        let mut planned = result?;
        planned.meta.planner_reason = reason.to_string();
        self.last_reason = Some(reason);
        Ok(planned)
    }

    /// Asks the cloud for `reason`; when it fails, falls back to `fallback` (an on-device
    /// action already chosen) or asks the device.
    fn ask_cloud(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
        reason: RoutingReason,
        fallback: Option<PlannedAction>,
    ) -> Result<PlannedAction, PlanError> {
        let Some(cloud) = self.cloud.as_mut() else {
            return self.ask_local(request, cancel, RoutingReason::NoCloud);
        };
        let history = withhold_private_steps(request.history, &self.task.private_steps);
        let cloud_request = StepRequest {
            history: &history,
            ..*request
        };
        match cloud.next_action(&cloud_request, cancel) {
            Ok(mut planned) => {
                // The counts come from the server: three u32s fit a u64, and the task's sum
                // saturates (a budget spent, never a wrapped counter).
                let meta = &planned.meta;
                let spent = u64::from(meta.prompt_tokens)
                    + u64::from(meta.cached_tokens)
                    + u64::from(meta.generated_tokens);
                self.task.cloud_tokens = self.task.cloud_tokens.saturating_add(spent);
                self.task.cloud_invalid_in_a_row = 0;
                self.record(request.step, Side::Cloud, Some(&planned));
                planned.meta.planner_reason = reason.to_string();
                self.last_reason = Some(reason);
                Ok(planned)
            }
            Err(PlanError::Cancelled) => Err(PlanError::Cancelled),
            Err(PlanError::InvalidOutput(message)) => {
                self.task.cloud_invalid_in_a_row += 1;
                let in_a_row = self.task.cloud_invalid_in_a_row;
                if in_a_row >= self.policy.invalid_cloud_answers_before_fallback.max(1) {
                    let why = RoutingReason::CloudAnswersInvalid {
                        in_a_row,
                        last: message,
                    };
                    self.rest_cloud(why.clone());
                    return match fallback {
                        Some(planned) => Ok(self.use_fallback(request.step, planned, why)),
                        None => self.ask_local(request, cancel, why),
                    };
                }
                match fallback {
                    Some(planned) => Ok(self.use_fallback(
                        request.step,
                        planned,
                        RoutingReason::CloudAnswersInvalid {
                            in_a_row,
                            last: message,
                        },
                    )),
                    None => {
                        // The loop tells the cloud what was wrong; the escalation stands.
                        self.record(request.step, Side::Cloud, None);
                        self.last_reason = Some(reason);
                        Err(PlanError::InvalidOutput(message))
                    }
                }
            }
            Err(error @ (PlanError::Backend(_) | PlanError::Exhausted)) => {
                let why = RoutingReason::CloudUnreachable(error.to_string());
                self.rest_cloud(RoutingReason::CloudUnreachable(
                    "it failed a moment ago".into(),
                ));
                match fallback {
                    Some(planned) => Ok(self.use_fallback(request.step, planned, why)),
                    None => self.ask_local(request, cancel, why),
                }
            }
        }
    }

    /// Keeps the steps on the device for the policy's back-off, saying `why`.
    fn rest_cloud(&mut self, why: RoutingReason) {
        let until = instant_after(Instant::now(), self.policy.offline_backoff);
        self.cloud_rests = Some((until, why));
        self.task.cloud_invalid_in_a_row = 0;
    }

    /// Returns an on-device action chosen before the cloud failed.
    fn use_fallback(
        &mut self,
        step: u32,
        mut planned: PlannedAction,
        reason: RoutingReason,
    ) -> PlannedAction {
        self.record(step, Side::Local, Some(&planned));
        planned.meta.planner_reason = reason.to_string();
        self.last_reason = Some(reason);
        planned
    }

    fn record(&mut self, step: u32, side: Side, planned: Option<&PlannedAction>) {
        self.task.last = Some(Choice {
            step,
            side,
            done: planned.is_some_and(|planned| matches!(planned.action, Action::Done { .. })),
        });
        if side == Side::Local {
            self.task.back_from_cloud = false;
        }
    }
}

impl Planner for Router {
    fn name(&self) -> &str {
        "router"
    }

    /// The task's routing state starts afresh, and the planning turn is routed like a step:
    /// on the device, unless the goal matches an integrator's pattern or the on-device planner
    /// fails, when the cloud plans (if it may be asked: not switched off, configured, within
    /// the token budget, not resting). A cloud that fails to plan leaves the plan to the
    /// device.
    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        self.begin_task(request.goal);
        let cloud_may_plan = self.policy.mode != CloudMode::Never
            && self.cloud.is_some()
            && self.task.cloud_tokens < self.policy.cloud_token_budget
            && self
                .cloud_rests
                .as_ref()
                .is_none_or(|(until, _)| Instant::now() >= *until);
        if cloud_may_plan
            && self.task.goal_pattern.is_some()
            && let Some(cloud) = self.cloud.as_mut()
        {
            match cloud.plan_task(request, cancel) {
                Err(PlanError::Cancelled) => return Err(PlanError::Cancelled),
                Ok(plan) => {
                    self.planned_on = Side::Cloud;
                    return Ok(plan);
                }
                Err(_) => {}
            }
        }
        self.planned_on = Side::Local;
        match self.local.plan_task(request, cancel) {
            Err(PlanError::Backend(_)) if cloud_may_plan => match self.cloud.as_mut() {
                Some(cloud) => {
                    self.planned_on = Side::Cloud;
                    cloud.plan_task(request, cancel)
                }
                None => Ok(TaskPlan::single_ui(request.goal)),
            },
            other => other,
        }
    }

    /// The planner that made the current plan.
    fn planned_by(&self) -> &str {
        match (self.planned_on, self.cloud.as_ref()) {
            (Side::Cloud, Some(cloud)) => cloud.planned_by(),
            _ => self.local.planned_by(),
        }
    }

    /// What the planning turn cost, on whichever side it ran.
    fn plan_usage(&self) -> super::PlanUsage {
        match (self.planned_on, self.cloud.as_ref()) {
            (Side::Cloud, Some(cloud)) => cloud.plan_usage(),
            _ => self.local.plan_usage(),
        }
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        if self.task.goal != request.goal || request.step <= self.task.last_step {
            self.begin_task(request.goal);
        }
        self.task.last_step = request.step;
        self.digest(request.history);
        if private_app_on_screen(request.screen, &self.policy.private_apps).is_some() {
            self.task.private_steps.insert(request.step);
        }

        let blocked = self.cloud_blocked(request);
        let wanted = self
            .task
            .goal_pattern
            .clone()
            .map(RoutingReason::GoalNeedsCloud)
            .or_else(|| self.task.escalation.clone());
        if let (Some(reason), None) = (&wanted, &blocked) {
            return self.ask_cloud(request, cancel, reason.clone(), None);
        }

        let local_reason = blocked.clone().unwrap_or(if self.task.back_from_cloud {
            RoutingReason::BackOnDevice
        } else {
            RoutingReason::OnDeviceFirst
        });
        match self.local.next_action(request, cancel) {
            Ok(mut planned) => {
                let threshold = self.policy.min_confidence;
                match planned.meta.confidence {
                    Some(confidence) if confidence < threshold && blocked.is_none() => {
                        let reason = RoutingReason::LowConfidence {
                            confidence,
                            threshold,
                        };
                        self.task.escalation = Some(reason.clone());
                        self.ask_cloud(request, cancel, reason, Some(planned))
                    }
                    _ => {
                        self.record(request.step, Side::Local, Some(&planned));
                        planned.meta.planner_reason = local_reason.to_string();
                        self.last_reason = Some(local_reason);
                        Ok(planned)
                    }
                }
            }
            Err(PlanError::Backend(why)) if blocked.is_none() => {
                let reason = RoutingReason::LocalFailed(why);
                self.task.escalation = Some(reason.clone());
                self.ask_cloud(request, cancel, reason, None)
            }
            Err(error) => {
                // An invalid answer counts as an action that did not verify (the loop records
                // it so); cancellation and exhaustion end the task as they would without a
                // router.
                self.record(request.step, Side::Local, None);
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests;
