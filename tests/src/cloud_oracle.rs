//! [`CloudOracle`]: the real cloud planner talking to the test server, with the solver standing
//! in for the model behind it.
//!
//! Why this shape: the server cannot compute the right action itself (the solver reads the
//! simulator's node keys, which no prompt carries), so for each step the solver chooses the
//! action on the device side and hands it to the server through its script — written in the
//! placeholders the model was shown, as a model that read `{phone_1}` would write it. The real
//! [`CloudPlanner`] then builds and masks the prompt, sends it over HTTP, parses the reply,
//! validates it against the screen and unmasks it, exactly as in production. An answer the
//! oracle could only give by quoting a value the model never saw masked is recorded as a leak,
//! so a test can assert the model never needed one.

use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    CloudPlanner, PlanError, PlanUsage, PlannedAction, Planner, StepRequest, TaskPlan, TaskRequest,
    plan_to_json,
};
use lobster_core::policy::redact::find_sensitive;

use crate::SolverPlanner;
use crate::openai_server::{Reply, ScriptHandle};

/// A planner whose actions come back from the test server through the real cloud planner.
pub struct CloudOracle {
    solver: SolverPlanner,
    cloud: CloudPlanner,
    script: ScriptHandle,
    /// The answers handed to the server, as the model wrote them.
    pub answers: Vec<String>,
    /// Answers that would have quoted a personal value the model was never shown masked.
    pub leaks: Vec<String>,
    /// Steps (and plans) where the cloud planner returned another action (plan) than the
    /// solver chose.
    pub disagreements: Vec<(String, String)>,
    /// Whether the solver's plan goes through the cloud planner's planning turn (else the
    /// solver plans on the device and only the steps go to the server).
    planning_turn: bool,
}

impl CloudOracle {
    /// An oracle over `solver`, asking `cloud`, answering through `script`.
    pub fn new(solver: SolverPlanner, cloud: CloudPlanner, script: ScriptHandle) -> CloudOracle {
        CloudOracle {
            solver,
            cloud,
            script,
            answers: Vec::new(),
            leaks: Vec::new(),
            disagreements: Vec::new(),
            planning_turn: false,
        }
    }

    /// The same oracle, planning each task through the cloud planner's planning turn.
    pub fn planning_in_the_cloud(self) -> CloudOracle {
        CloudOracle {
            planning_turn: true,
            ..self
        }
    }

    /// The cloud planner, for its statistics.
    pub fn cloud(&self) -> &CloudPlanner {
        &self.cloud
    }
}

impl Planner for CloudOracle {
    fn name(&self) -> &str {
        "cloud"
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        let truth = self.solver.plan_task(request, cancel)?;
        if !self.planning_turn {
            // The cloud planner only starts its task.
            self.cloud.start_task(request.goal);
            return Ok(truth);
        }
        // The plan goes to the server in the placeholders the model was shown, and comes back
        // through the cloud planner's real planning turn.
        self.cloud.preview_plan(request);
        let answer = self
            .cloud
            .redactor()
            .mask_known(&plan_to_json(&truth, request.app_actions).to_string());
        self.script.push_plan(Reply::Content(answer));
        let plan = self.cloud.plan_task(request, cancel)?;
        if plan != truth {
            self.disagreements
                .push((truth.to_string(), plan.to_string()));
        }
        Ok(plan)
    }

    fn planned_by(&self) -> &str {
        if self.planning_turn {
            "cloud"
        } else {
            "solver"
        }
    }

    fn plan_usage(&self) -> PlanUsage {
        if self.planning_turn {
            self.cloud.plan_usage()
        } else {
            PlanUsage::default()
        }
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let truth = self.solver.next_action(request, cancel)?;
        // The model reads this step's prompt before it answers: its placeholders count.
        self.cloud.preview(request);
        let line = truth.action.to_string();
        let answer = self.cloud.redactor().mask_known(&line);
        if !find_sensitive(&answer).is_empty() {
            self.leaks.push(answer.clone());
        }
        self.script.set_oracle_answer(&answer, &truth.reason);
        self.answers.push(answer);
        let planned = self.cloud.next_action(request, cancel)?;
        if planned.action != truth.action {
            self.disagreements
                .push((truth.action.to_string(), planned.action.to_string()));
        }
        Ok(planned)
    }
}
