//! The task's history as a planner reads it: one [`StepMemory`] per earlier step.
//!
//! Why a module of its own: the loop writes the history, every planner reads it, and the
//! guard's redaction rewrites it before it leaves the device. Kept below all three (it imports
//! nothing), so none of them has to import another upward.

/// A screen diff longer than this many lines is summarised in the history ("a new screen"):
/// the planner sees the new screen in full anyway.
pub const MAX_DIFF_LINES_IN_HISTORY: usize = 12;

/// One earlier step as the planner remembers it: the action and what it did to the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct StepMemory {
    /// The step number.
    pub step: u32,
    /// The action as written (secrets as placeholders, never their values).
    pub action: String,
    /// What followed: the screen diff, verification, guard or loop notes.
    pub result: String,
    /// Whether the action had the effect expected: `Some(true)` when the device performed it
    /// and verification saw the effect, `Some(false)` when it had no visible effect, the device
    /// could not perform it, or the loop rejected it as invalid; `None` for steps with nothing
    /// to verify (done, ask, wait, a refused action).
    pub verified: Option<bool>,
    /// Whether the loop detector flagged the action as a repeat on the same screen.
    pub repeated: bool,
}
