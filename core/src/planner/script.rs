//! The script planner: actions read from lines of text, one per step.
//!
//! It drives the real loop before any model is involved (`lobster run --planner script`), replays
//! a recorded session, and gives tests a planner whose choices are known. Blank lines and lines
//! starting with `#` are skipped; each other line must be one action of the action language.

use std::collections::VecDeque;

use super::{PlanError, PlanMeta, PlannedAction, Planner, StepRequest};
use crate::action::parse_action;
use crate::agent::CancelToken;

/// Plays back a fixed list of action lines.
#[derive(Debug, Clone, Default)]
pub struct ScriptPlanner {
    lines: VecDeque<(usize, String)>,
}

impl ScriptPlanner {
    /// A planner that plays `script` line by line.
    pub fn new(script: &str) -> Self {
        let lines = script
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line.trim().to_owned()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
            .collect();
        Self { lines }
    }
}

impl Planner for ScriptPlanner {
    fn name(&self) -> &str {
        "script"
    }

    fn next_action(
        &mut self,
        _request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let (number, line) = self.lines.pop_front().ok_or(PlanError::Exhausted)?;
        let action = parse_action(&line)
            .map_err(|error| PlanError::InvalidOutput(format!("script line {number}: {error}")))?;
        Ok(PlannedAction {
            action,
            reason: format!("script line {number}"),
            meta: PlanMeta {
                planner: "script".into(),
                ..PlanMeta::default()
            },
        })
    }
}
