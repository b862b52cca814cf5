//! A wrapper round the on-device planner that checks every answer against the screen it was
//! asked about: the line parses again and validates there, and the id it names is on it. The
//! local-planner tests run it on every model they load (Qwen2, Qwen3.5), so a grammar or cache
//! fault that lets one wrong action through fails the test that caused it.

use std::sync::{Arc, Mutex, PoisonError};

use lobster_core::action::{Action, parse_for_screen};
use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    LocalPlanner, PlanError, PlannedAction, Planner, StepRequest, StepStats,
};
use lobster_core::screen::ElementId;

/// The local planner with every answer checked; the lines and the step figures are kept.
pub struct CheckedPlanner {
    inner: LocalPlanner,
    actions: Arc<Mutex<Vec<String>>>,
    stats: Arc<Mutex<Vec<StepStats>>>,
}

impl CheckedPlanner {
    /// Checks `inner`'s answers.
    pub fn new(inner: LocalPlanner) -> Self {
        Self {
            inner,
            actions: Arc::default(),
            stats: Arc::default(),
        }
    }

    /// The action lines so far, shared (they keep growing while the planner runs).
    pub fn actions(&self) -> Arc<Mutex<Vec<String>>> {
        self.actions.clone()
    }

    /// Each step's figures so far, shared.
    pub fn stats(&self) -> Arc<Mutex<Vec<StepStats>>> {
        self.stats.clone()
    }
}

impl Planner for CheckedPlanner {
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The inner planner's action, after checking it; a planner error or an action the screen
    /// does not admit is a test failure.
    #[allow(clippy::panic)]
    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let planned = self.inner.next_action(request, cancel);
        let planned = planned.unwrap_or_else(|error| panic!("step {}: {error}", request.step));
        let line = planned.action.to_string();
        parse_for_screen(&line, &request.screen.elements, request.context)
            .unwrap_or_else(|error| panic!("{line:?} on step {}: {error}", request.step));
        if let Some(id) = target(&planned.action) {
            assert!(
                request.screen.element(id).is_some(),
                "{line:?} names an id not on the screen"
            );
        }
        self.actions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
        if let Some(stats) = self.inner.last_stats() {
            self.stats
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(stats.clone());
        }
        Ok(planned)
    }
}

/// The element an action names, if any.
fn target(action: &Action) -> Option<ElementId> {
    match action {
        Action::Tap { id } | Action::LongPress { id } | Action::Type { id, .. } => Some(*id),
        Action::Scroll { target, .. } => *target,
        _ => None,
    }
}
