//! What an integrator sets for a task: budgets, the guard's policy, secrets, the verbs the
//! planner may use, and how long the loop waits for a screen to settle.

use std::time::Duration;

use crate::policy::{GuardConfig, SecretStore};
use crate::screen::EncodeOptions;

/// Limits that stop a task that is not converging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Most UI and route steps a task may take.
    pub max_steps: u32,
    /// Most wall time a task may take.
    pub max_duration: Duration,
    /// Most planner tokens (prompt + generated) a task may spend.
    pub max_tokens: u64,
}

impl Default for Budgets {
    fn default() -> Self {
        Self {
            max_steps: 40,
            max_duration: Duration::from_secs(300),
            max_tokens: 400_000,
        }
    }
}

/// The agent's configuration for one task.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// Step, time and token limits.
    pub budgets: Budgets,
    /// What needs confirmation.
    pub guard: GuardConfig,
    /// Secrets the planner may type into password fields as `{secret:NAME}`.
    pub secrets: SecretStore,
    /// Screen encoding limits.
    pub encode: EncodeOptions,
    /// Whether the planner may ask the user a question.
    pub allow_ask: bool,
    /// Whether the planner may send intents.
    pub allow_intents: bool,
    /// Whether the planner may swipe by coordinates.
    pub allow_swipe: bool,
    /// How often the loop re-observes a screen that has not changed yet after an action.
    pub settle_attempts: u32,
    /// The pause between those observations.
    pub settle_interval: Duration,
    /// Invalid planner answers in a row before the task fails.
    pub max_invalid_in_a_row: u32,
}

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            budgets: Budgets::default(),
            guard: GuardConfig::default(),
            secrets: SecretStore::default(),
            encode: EncodeOptions::default(),
            allow_ask: true,
            allow_intents: true,
            allow_swipe: true,
            settle_attempts: 3,
            settle_interval: Duration::from_millis(250),
            max_invalid_in_a_row: 3,
        }
    }
}
