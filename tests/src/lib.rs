//! Test support for the workspace's end-to-end tests (`tests/tests/`): the [`SolverPlanner`],
//! a planner that completes every task of the simulated phone; the [`OpenAiServer`], a real
//! OpenAI-protocol server on 127.0.0.1 with scripted replies and faults; and the
//! [`CloudOracle`], the real cloud planner talking to that server with the solver behind it;
//! an [`EventLog`] listener; and the [`CheckedPlanner`], the on-device planner with every answer
//! checked against its screen.
//!
//! Why a library and not a test file: the agent-loop tests, the guard tests, the CLI tests and
//! the cloud and router tests all need the same oracle planner and server, and a test file
//! cannot be shared. Nothing here ships; the solver reads the simulator's state, which no real
//! planner can.

mod checked_planner;
mod cloud_oracle;
mod event_log;
mod goals;
pub mod openai_server;
mod server_dialect;
mod solver;
mod steps;
mod test_config;
mod told;
mod two_steps;
mod view;

#[cfg(test)]
mod tests;

pub use checked_planner::CheckedPlanner;
pub use cloud_oracle::CloudOracle;
pub use event_log::EventLog;
pub use openai_server::{OpenAiServer, RecordedRequest, Reply, ScriptHandle};
pub use server_dialect::{ServerDialect, Verdict};
pub use solver::SolverPlanner;
pub use test_config::{local_test_options, sim_config, sim_phone, task_request};
pub use told::Told;
pub use two_steps::TwoSteps;
