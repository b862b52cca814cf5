//! The script planner: actions read from lines of text, one per step.
//!
//! It drives the real loop before any model is involved (`lobster run --planner script`), replays
//! a recorded session, lets a person step a task by typing actions on stdin, and gives tests a
//! planner whose choices are known. Lines are read lazily, one per step, so a script on a pipe
//! is consumed as the task goes. Blank lines and lines starting with `#` are skipped; each other
//! line must be one action of the action language. A read blocked on an interactive input is
//! not interrupted by cancellation; the task stops once the line arrives.

use std::io::{BufRead, Cursor};

use super::{PlanError, PlanMeta, PlannedAction, Planner, StepRequest};
use crate::action::parse_action;
use crate::cancel::CancelToken;

/// Plays back action lines from a reader.
pub struct ScriptPlanner {
    source: Box<dyn BufRead + Send>,
    line_number: usize,
}

impl std::fmt::Debug for ScriptPlanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptPlanner")
            .field("line_number", &self.line_number)
            .finish_non_exhaustive()
    }
}

impl ScriptPlanner {
    /// A planner that plays `script` line by line.
    pub fn new(script: &str) -> Self {
        Self::from_reader(Box::new(Cursor::new(script.to_owned())))
    }

    /// A planner that reads one line from `source` per step (a file, or stdin).
    pub fn from_reader(source: Box<dyn BufRead + Send>) -> Self {
        Self {
            source,
            line_number: 0,
        }
    }

    /// The next action line, skipping blanks and comments; `None` at the end.
    fn next_line(&mut self) -> Result<Option<String>, PlanError> {
        loop {
            let mut line = String::new();
            let read = self
                .source
                .read_line(&mut line)
                .map_err(|error| PlanError::Backend(format!("reading the script: {error}")))?;
            if read == 0 {
                return Ok(None);
            }
            self.line_number += 1;
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                return Ok(Some(line.to_owned()));
            }
        }
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
        let line = self.next_line()?.ok_or(PlanError::Exhausted)?;
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let number = self.line_number;
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
