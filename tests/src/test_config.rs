//! The configurations the end-to-end tests share: the agent's for runs on the simulated phone
//! (the sim renders at once, so the loop waits 1 ms for a screen to settle instead of the
//! phone's default, and a task stops after a few steps), and the on-device planner's for the
//! generated test models (2 threads, the cores this project's machines have; a 4,096-token
//! context, room for a task's prompt).

use std::time::Duration;

use lobster_core::action::ToolSet;
use lobster_core::agent::{AgentConfig, Budgets};
use lobster_core::device::{AppActionInfo, AppInfo, Device as _};
use lobster_core::planner::{CivilDate, LocalOptions, TaskRequest};

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

/// The on-device planner's options for tests: 2 threads, a 4,096-token context.
pub fn local_test_options() -> LocalOptions {
    LocalOptions {
        threads: 2,
        context_length: 4096,
        ..LocalOptions::default()
    }
}

/// What the default simulated phone offers a planning turn: its installed apps and the actions
/// they declare.
#[allow(clippy::unwrap_used)]
pub fn sim_phone() -> (Vec<AppInfo>, Vec<AppActionInfo>) {
    let mut sim = lobster_sim::Sim::new(lobster_sim::SimConfig::default());
    (sim.installed_apps().unwrap(), sim.app_actions().unwrap())
}

/// A planning request for `goal` on a phone offering `apps` and `actions`: every catalog tool,
/// dated today.
pub fn task_request<'a>(
    goal: &'a str,
    apps: &'a [AppInfo],
    actions: &'a [AppActionInfo],
) -> TaskRequest<'a> {
    TaskRequest {
        goal,
        installed_apps: apps,
        app_actions: actions,
        today: CivilDate::today(),
        tools: ToolSet::ALL,
    }
}
