//! Test support for the workspace's end-to-end tests (`tests/tests/`): the [`SolverPlanner`],
//! a planner that completes every task of the simulated phone.
//!
//! Why a library and not a test file: the agent-loop tests, the guard tests and the CLI tests
//! all need the same oracle planner, and a test file cannot be shared. Nothing here ships; it
//! reads the simulator's state, which no real planner can.

mod goals;
mod solver;
mod steps;
mod view;

#[cfg(test)]
mod tests;

pub use solver::SolverPlanner;
