//! Planners: given the goal, the encoded screen and the history, choose the next action.
//!
//! The agent loop talks to every planner through [`Planner`]: the on-device llama.cpp planner,
//! the cloud planner, the router that composes them, the `script` planner that replays actions
//! from a file, and test doubles. A planner also gets one chance before the first UI step to
//! split the goal into subgoals with a route each ([`TaskPlan`]): an intent or an app action is
//! one sure step where tapping through an app is many.

#[cfg(feature = "llama")]
mod checkpoints;
mod civil_date;
#[cfg(feature = "cloud")]
mod cloud;
#[cfg(feature = "llama")]
mod constraint;
mod conversation;
#[cfg(feature = "llama")]
mod goal_draft;
mod grounding;
#[cfg(feature = "llama")]
mod local;
mod local_options;
mod plan_json;
pub mod plan_prompt;
mod prefix;
pub mod prompt;
mod router;
mod rules;
#[cfg(feature = "llama")]
mod saved_prompts;
mod script;
mod task_plan;
#[cfg(feature = "llama")]
mod thinking;

pub use civil_date::CivilDate;
#[cfg(feature = "cloud")]
pub use cloud::{
    API_KEY_ENV, ApiKey, CloudConfig, CloudPlanner, CloudStats, OutputMode, UnknownOutputMode,
    action_from_reply,
};
pub use conversation::{Conversation, Turn};
pub use grounding::{goal_names_tool, grounded_plan, ungrounded};
#[cfg(feature = "llama")]
pub use local::{GrammarCheck, LocalPlanner, ReferenceRun, StepStats, reference_run};
pub use local_options::{InvalidOption, KvCacheKind, LocalOptions};
pub use plan_json::{
    MAX_SUBGOALS, plan_as_written, plan_from_json, plan_outline_schema, plan_schema, plan_to_json,
    route_from_json, route_to_json,
};
pub use prefix::{CachedTokens, Reuse};
pub use router::{CloudMode, Router, RouterPolicy, RoutingReason};
pub use rules::{RulesFirst, RulesPlanner, plan_by_rules};
pub use script::ScriptPlanner;
pub use task_plan::{Route, Subgoal, SubgoalStatus, TaskPlan};

/// The step history the planner reads (defined below the planner so the guard's redaction can
/// use it too).
pub use crate::history::StepMemory;

use crate::action::{Action, GrammarContext, ToolSet};
use crate::cancel::CancelToken;
use crate::device::{AppActionInfo, AppInfo};
use crate::screen::EncodedScreen;

/// Chooses actions.
pub trait Planner: Send {
    /// A short name for events and trajectories ("local", "cloud", "script").
    fn name(&self) -> &str;

    /// Splits the goal into subgoals, each with its surest route. The default is one subgoal,
    /// the goal itself, done through the UI.
    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        let _ = cancel;
        Ok(TaskPlan::single_ui(request.goal))
    }

    /// Chooses the next action on the current screen.
    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError>;

    /// Who made the last plan: this planner's name, or the part of a composed planner that
    /// planned (`rules` for [`RulesFirst`] when the rules read the goal).
    fn planned_by(&self) -> &str {
        self.name()
    }

    /// What the last planning turn cost in tokens (nothing for a planner that plans without a
    /// model).
    fn plan_usage(&self) -> PlanUsage {
        PlanUsage::default()
    }
}

/// The tokens one planning turn cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanUsage {
    /// Prompt tokens evaluated (for a server: sent and not served from its cache).
    pub prompt_tokens: u32,
    /// Prompt tokens reused from a cache (the KV prefix, or the server's prompt cache).
    pub cached_tokens: u32,
    /// Tokens generated.
    pub generated_tokens: u32,
}

/// What a planner knows when it splits a goal into subgoals.
#[derive(Debug, Clone, Copy)]
pub struct TaskRequest<'a> {
    /// The user's goal.
    pub goal: &'a str,
    /// Apps the user can open.
    pub installed_apps: &'a [AppInfo],
    /// Actions apps declare for the agent.
    pub app_actions: &'a [AppActionInfo],
    /// The date "today" and "tomorrow" count from: the phone's local date
    /// ([`CivilDate::today`]) unless a caller replays a goal written on another day.
    pub today: CivilDate,
    /// The catalog tools this phone can run now; a plan names no other.
    pub tools: ToolSet,
}

/// What a planner knows when it chooses one action.
#[derive(Debug, Clone, Copy)]
pub struct StepRequest<'a> {
    /// The user's goal.
    pub goal: &'a str,
    /// The plan, with the status of each subgoal.
    pub task_plan: &'a TaskPlan,
    /// The index of the subgoal being worked on.
    pub subgoal: usize,
    /// The current screen, encoded.
    pub screen: &'a EncodedScreen,
    /// The GBNF grammar admitting exactly the valid actions on this screen.
    pub grammar: &'a str,
    /// What the grammar was built from (installed apps, declared actions, enabled verbs).
    pub context: &'a GrammarContext,
    /// Earlier steps of this task, oldest first.
    pub history: &'a [StepMemory],
    /// The step number, from 1.
    pub step: u32,
}

/// A planner's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedAction {
    /// The action.
    pub action: Action,
    /// A short reason, for the events and the trajectory.
    pub reason: String,
    /// Who planned it and at what cost.
    pub meta: PlanMeta,
}

/// Cost and provenance of one plan call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanMeta {
    /// The planner that chose the action.
    pub planner: String,
    /// Prompt tokens evaluated (0 when the backend does not count).
    pub prompt_tokens: u32,
    /// Prompt tokens reused from an earlier step (the local planner's KV cache) rather than
    /// evaluated.
    pub cached_tokens: u32,
    /// Tokens generated.
    pub generated_tokens: u32,
    /// Wall time of the call in milliseconds.
    pub millis: u64,
    /// The planner's confidence in the action, 0 to 1, when the backend can give one.
    pub confidence: Option<f32>,
    /// Why this planner was the one asked, when a router chose it ("on device first",
    /// "escalated to cloud: 2 on-device actions in a row did not verify"); empty otherwise.
    pub planner_reason: String,
}

/// Why a planner gave no action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Cancellation was asked for during the call.
    #[error("cancelled")]
    Cancelled,
    /// The planner has nothing more to say (a script ran out of lines).
    #[error("the planner has no more actions")]
    Exhausted,
    /// The planner's answer was not a valid action for this screen.
    #[error("invalid planner output: {0}")]
    InvalidOutput(String),
    /// The backend failed (model load, network, server error).
    #[error("planner backend failed: {0}")]
    Backend(String),
}

/// The longest span [`instant_after`] adds: a century, for a configured span too long to add to
/// an `Instant` (`Duration::MAX`), which means "never" in practice.
const LONGEST_SPAN: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 86_400);

/// `start + span` for deadlines and backoffs, without the panic of `Instant + Duration` on
/// overflow: a span too long to add is cut to a century (and to none at all on a clock that
/// cannot hold even that).
pub(crate) fn instant_after(
    start: std::time::Instant,
    span: std::time::Duration,
) -> std::time::Instant {
    start
        .checked_add(span)
        .or_else(|| start.checked_add(LONGEST_SPAN))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::instant_after;

    #[test]
    fn a_span_too_long_to_add_is_cut_not_a_panic() {
        let now = Instant::now();
        assert_eq!(
            instant_after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert!(instant_after(now, Duration::MAX) > now + Duration::from_secs(86_400));
    }
}
