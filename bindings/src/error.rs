//! The one error Kotlin sees from the agent: `AgentException`, a small flat enum.
//!
//! Why small and flat: an integrator branches on *what kind* of failure it is (fix the
//! configuration, install a model, wait for the running task), not on core's internal error
//! types, which stay in core. Why no screen text: these messages end up in crash reports and
//! logcat, which leave the phone; nothing read from the screen may go with them. Every variant
//! is built here from a reason this crate wrote or from a core error whose message is known to
//! hold only configuration, never screen content.

/// Why the agent could not do what was asked. Kotlin: `AgentException`, with one subclass per
/// variant whose `message` says what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum AgentError {
    /// The configuration is not usable: a budget out of range, an empty or unparsable script,
    /// an invalid secret name, a missing model path or endpoint.
    #[error("invalid configuration: {reason}")]
    InvalidConfig {
        /// What is wrong, naming the field.
        reason: String,
    },
    /// The planner mode asked for is not built into this library (its Cargo feature is off, or
    /// it is not implemented in this version).
    #[error("planner not available: {reason}")]
    PlannerUnavailable {
        /// Which mode, and what it needs.
        reason: String,
    },
    /// The planner could not be set up (the model file did not load, the client failed).
    #[error("planner failed to start: {reason}")]
    PlannerFailed {
        /// What failed.
        reason: String,
    },
    /// Bytes given as a snapshot do not decode as one (see `core/proto/snapshot.proto`).
    #[error("invalid snapshot: {reason}")]
    InvalidSnapshot {
        /// What is wrong with them (never their content).
        reason: String,
    },
    /// The agent is already running a task; one phone runs one task at a time.
    #[error("a task is already running on this agent")]
    Busy,
    /// Lobster failed internally (a panic was caught at the boundary). Report it as a bug.
    #[error("internal error: {reason}")]
    Internal {
        /// Where it happened.
        reason: String,
    },
}

impl AgentError {
    /// An [`AgentError::InvalidConfig`].
    pub(crate) fn config(reason: impl Into<String>) -> Self {
        AgentError::InvalidConfig {
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_kind_and_the_reason() {
        assert_eq!(
            AgentError::config("budgets.max_steps must be at least 1").to_string(),
            "invalid configuration: budgets.max_steps must be at least 1"
        );
        assert_eq!(
            AgentError::Busy.to_string(),
            "a task is already running on this agent"
        );
        assert_eq!(
            AgentError::Internal {
                reason: "a panic in Agent.start".into()
            }
            .to_string(),
            "internal error: a panic in Agent.start"
        );
    }
}
