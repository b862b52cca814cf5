//! [`SolverPlanner`]: a test-only planner that completes every simulator task, so the agent
//! loop, the guard and the faults can be tested end to end without a model.
//!
//! Why it reads the simulator's state: it must be right every time to be a useful oracle; a
//! model-like planner that guesses would make loop bugs and planner bugs indistinguishable. It
//! still acts only through the action language on the ids of the screen it is given, so every
//! action goes through the loop's validation, guard and device like a real planner's. Before
//! each goal step it deals with what faults put in the way: it closes adverts and crash dialogs,
//! waits out screens that have not rendered yet, retries after a tap that changed nothing, and
//! never follows instructions written on the screen. When the loop reports an action denied or
//! blocked, it gives up with `fail`.

use lobster_core::action::Action;
use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    PlanError, PlanMeta, PlannedAction, Planner, StepRequest, Subgoal, TaskPlan, TaskRequest,
};
use lobster_sim::{SimHandle, SimTask};

use crate::goals::{self, Part};
use crate::steps::{Memory, Step};
use crate::view::View;

/// How many times in a row the solver waits for a screen that did not change (the loop has
/// already re-observed a few times before it asks the planner).
const MAX_WAITS: u32 = 1;

/// A planner that solves [`SimTask`]s by reading the simulator's state.
pub struct SolverPlanner {
    task: SimTask,
    state: SimHandle,
    direct_routes: bool,
    parts: Vec<Part>,
    memory: Memory,
    /// The screen the last device action was chosen on, until the screen changes.
    acted_on: Option<String>,
    /// The last action chosen.
    last_action: Option<Action>,
    /// Waits in a row for an unchanged screen.
    waits: u32,
    /// The advert's Close button was refused by the guard: use Back.
    close_refused: bool,
}

impl SolverPlanner {
    /// A solver for `task` on the simulator whose state `state` shares, using intents and app
    /// actions where an app offers them.
    pub fn new(task: &SimTask, state: SimHandle) -> SolverPlanner {
        SolverPlanner {
            task: task.clone(),
            state,
            direct_routes: true,
            parts: Vec::new(),
            memory: Memory::default(),
            acted_on: None,
            last_action: None,
            waits: 0,
            close_refused: false,
        }
    }

    /// A solver that does everything through the UI, to compare with the direct routes.
    pub fn ui_only(task: &SimTask, state: SimHandle) -> SolverPlanner {
        SolverPlanner {
            direct_routes: false,
            ..SolverPlanner::new(task, state)
        }
    }

    /// The task being solved.
    pub fn task(&self) -> &SimTask {
        &self.task
    }

    /// Whether intents and app actions are used.
    pub fn uses_direct_routes(&self) -> bool {
        self.direct_routes
    }

    /// The plan's parts, made on first use.
    fn parts(&mut self) -> &[Part] {
        if self.parts.is_empty() {
            self.parts = goals::plan(&self.task, self.direct_routes);
        }
        &self.parts
    }

    /// Chooses the action and says why.
    fn choose(&mut self, request: &StepRequest<'_>) -> (Action, String) {
        let view = View::new(request.screen);
        let last_result = request
            .history
            .last()
            .map(|memory| memory.result.as_str())
            .unwrap_or_default();
        let refused = last_result.starts_with("denied") || last_result.starts_with("blocked");
        let closing_ad = matches!(
            (&self.last_action, view.id("ad.close")),
            (Some(Action::Tap { id }), Some(close)) if *id == close
        );

        // What faults put in the way comes first.
        if let Some(close) = view.id("ad.close") {
            if refused && closing_ad {
                self.close_refused = true;
            }
            if self.close_refused {
                return (Action::Back, "dismiss the advert".into());
            }
            return (
                Action::Tap { id: close },
                "close the advert; never install from it".into(),
            );
        }
        if refused {
            let what = request
                .history
                .last()
                .map(|memory| memory.action.clone())
                .unwrap_or_default();
            return (
                Action::Fail {
                    reason: format!("`{what}` was not allowed"),
                },
                "the user or the guard refused a needed action".into(),
            );
        }
        if let Some(close) = view.id("android.crash.button1") {
            return (Action::Tap { id: close }, "dismiss the crash dialog".into());
        }
        if view.has_line("Loading…") {
            return (Action::Wait { seconds: 1 }, "the app is loading".into());
        }
        // An action that changed nothing: the screen may not have rendered yet, or the tap
        // was lost. Wait for it, then act afresh (which retries the tap).
        if self.acted_on.as_deref() == Some(view.text()) && self.waits < MAX_WAITS {
            self.waits += 1;
            return (
                Action::Wait { seconds: 1 },
                "the screen has not changed yet".into(),
            );
        }

        let index = request.subgoal;
        let goals = match self.parts().get(index) {
            Some(part) => part.goals.clone(),
            None => goals::goals(&self.task),
        };
        let state = self.state.snapshot();
        let Some(goal) = goals.iter().find(|goal| !goal.reached(&state)) else {
            return (
                Action::Done {
                    answer: String::new(),
                },
                "every goal of this part is reached".into(),
            );
        };
        let action = Step {
            view: &view,
            state: &state,
            memory: &mut self.memory,
        }
        .toward(goal);
        (action, format!("toward {:?}", goal.how))
    }
}

/// Whether an action acts on the device (and so should change the screen).
fn touches_device(action: &Action) -> bool {
    !matches!(
        action,
        Action::Wait { .. }
            | Action::Done { .. }
            | Action::Fail { .. }
            | Action::Ask { .. }
            | Action::Takeover { .. }
    )
}

impl Planner for SolverPlanner {
    fn name(&self) -> &str {
        "solver"
    }

    fn plan_task(
        &mut self,
        _request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        self.parts = goals::plan(&self.task, self.direct_routes);
        Ok(TaskPlan {
            subgoals: self
                .parts
                .iter()
                .map(|part| Subgoal::new(&part.description, part.route.clone()))
                .collect(),
        })
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let (action, reason) = self.choose(request);
        if touches_device(&action) {
            self.acted_on = Some(request.screen.text.clone());
            self.waits = 0;
        } else if !matches!(action, Action::Wait { .. }) {
            self.acted_on = None;
        }
        self.last_action = Some(action.clone());
        Ok(PlannedAction {
            action,
            reason,
            meta: PlanMeta {
                planner: "solver".into(),
                ..PlanMeta::default()
            },
        })
    }
}
