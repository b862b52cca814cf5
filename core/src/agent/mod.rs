//! The agent: the step loop that turns a goal into actions on a device, with its budgets,
//! cancellation, loop detection, verification, events and trajectory.
//!
//! Data flows one way per step: `Device::observe` → `encode` (ids stable across the task,
//! history as diffs) → `Planner::next_action` under the screen's grammar → `validate` →
//! `Guard::check` (confirmation through the listener) → `resolve` + `Device::perform` →
//! `verify` → history, events and trajectory.

mod config;
mod events;
mod resolve;
mod run;
mod stuck;
pub mod trajectory;
mod verify;

#[cfg(test)]
mod tests;

pub use crate::cancel::CancelToken;
pub use config::{AgentConfig, Budgets};
pub use events::{AgentEvent, AgentListener, Confirmation, SilentListener, TaskStatus};
pub use run::{Agent, PASSWORD_TAKEOVER, TaskIo, TaskResult};
