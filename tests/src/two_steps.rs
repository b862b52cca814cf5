//! Two hand-built step requests of one small task, for the on-device planner's tests: the
//! second shares the first's prompt up to its answer, which is what the prefix cache (and a
//! recurrent model's checkpoints) must turn into a short evaluation.

use lobster_core::action::{GrammarContext, grammar_for_screen, parse_for_screen};
use lobster_core::agent::CancelToken;
use lobster_core::device::Device as _;
use lobster_core::planner::{
    LocalPlanner, PlanError, PlannedAction, Planner as _, StepRequest, TaskPlan,
};
use lobster_core::screen::{EncodeOptions, EncodedScreen, encode_with};
use lobster_sim::Faults;

/// The step requests of a small two-screen task (wifi_off: the launcher, then Settings),
/// built by hand.
pub struct TwoSteps {
    plan: TaskPlan,
    context: GrammarContext,
    first: EncodedScreen,
    second: EncodedScreen,
}

impl TwoSteps {
    /// The two screens, read from the simulated phone.
    #[allow(clippy::unwrap_used)]
    pub fn new() -> Self {
        let task = lobster_sim::SimTask::named("wifi_off", 1).unwrap();
        let mut sim = task.sim(Faults::none());
        let first = encode_with(&sim.observe().unwrap(), None, &EncodeOptions::default());
        sim.launch_app("Settings").unwrap();
        let second = encode_with(
            &sim.observe().unwrap(),
            Some(&first),
            &EncodeOptions::default(),
        );
        Self {
            plan: TaskPlan::single_ui("Turn off Wi-Fi"),
            context: GrammarContext::default(),
            first,
            second,
        }
    }

    /// Asks `planner` for the first step's action, or (`second`) the second's after opening
    /// Settings.
    pub fn ask(
        &self,
        planner: &mut LocalPlanner,
        second: bool,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let screen = if second { &self.second } else { &self.first };
        let history = if second {
            vec![lobster_core::planner::StepMemory {
                step: 1,
                action: "open \"Settings\"".into(),
                result: "screen changed; a new screen".into(),
                verified: Some(true),
                repeated: false,
            }]
        } else {
            Vec::new()
        };
        let grammar = grammar_for_screen(&screen.elements, &self.context);
        planner.next_action(
            &StepRequest {
                goal: "Turn off Wi-Fi",
                task_plan: &self.plan,
                subgoal: 0,
                screen,
                grammar: &grammar,
                context: &self.context,
                history: &history,
                step: if second { 2 } else { 1 },
            },
            cancel,
        )
    }
}

impl TwoSteps {
    /// Panics unless `planned` reads back as an action on its step's screen (the first, or
    /// `second`), under the grammar it was asked with.
    #[allow(clippy::panic)]
    pub fn assert_on_screen(&self, planned: &PlannedAction, second: bool) {
        let screen = if second { &self.second } else { &self.first };
        let line = planned.action.to_string();
        if let Err(error) = parse_for_screen(&line, &screen.elements, &self.context) {
            panic!("{line:?}: {error}");
        }
    }
}

impl Default for TwoSteps {
    fn default() -> Self {
        Self::new()
    }
}
