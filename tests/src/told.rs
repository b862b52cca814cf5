//! [`Told`]: a script planner that keeps what the loop told it after each step (the last
//! history entry's result), for tests that check what a planner hears: a tool's data, a
//! refusal, a denied confirmation.

use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    PlanError, PlannedAction, Planner, ScriptPlanner, StepRequest, TaskPlan, TaskRequest,
};

/// Plays a script; records each step's result as the next request's history shows it.
pub struct Told {
    script: ScriptPlanner,
    /// The results, in order.
    pub results: Vec<String>,
}

impl Told {
    /// A planner playing `script`, one action a line.
    pub fn new(script: &str) -> Told {
        Told {
            script: ScriptPlanner::new(script),
            results: Vec::new(),
        }
    }
}

impl Planner for Told {
    fn name(&self) -> &str {
        "told"
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        self.script.plan_task(request, cancel)
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if let Some(last) = request.history.last() {
            self.results.push(last.result.clone());
        }
        self.script.next_action(request, cancel)
    }
}
