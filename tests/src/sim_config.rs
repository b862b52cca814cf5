//! The agent's configuration for runs on the simulated phone in tests and benches: the sim
//! renders at once, so the loop waits 1 ms for a screen to settle instead of the phone's
//! default, and a task stops after `max_steps`.

use std::time::Duration;

use lobster_core::agent::{AgentConfig, Budgets};

/// The default configuration with a 1 ms settle wait and at most `max_steps` steps.
pub fn sim_config(max_steps: u32) -> AgentConfig {
    AgentConfig {
        settle_interval: Duration::from_millis(1),
        budgets: Budgets {
            max_steps,
            ..Budgets::default()
        },
        ..AgentConfig::default()
    }
}
