//! Which planner a task uses, as Kotlin configures it, and how it is built.
//!
//! A script planner is rebuilt for every task, so each task replays the script from its first
//! line. A model planner is expensive to load (hundreds of megabytes), so it is built once with
//! the agent and lent to each task in turn ([`PlannerSlot`]); the agent runs one task at a
//! time, so the lending never waits.
//!
//! The local mode loads lobster-core's `LocalPlanner` (feature `llama`). A mode whose planner
//! is not compiled into this library (or, for `cloud` and `hybrid`, not yet in lobster-core)
//! fails at `Agent(…)` with
//! [`AgentError::PlannerUnavailable`] saying which feature it needs: never a stand-in planner
//! that would act on the phone with something the integrator did not ask for.

use std::sync::{Arc, Mutex, PoisonError};

use lobster_core::action::parse_action;
use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    PlanError, PlannedAction, Planner, ScriptPlanner, StepRequest, TaskPlan, TaskRequest,
};

use crate::error::AgentError;

/// Who chooses the agent's actions.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum PlannerConfig {
    /// Plays back action lines, one per step (`open "Settings"`, `tap 9`, `done`): for tests,
    /// demos and replays. Blank lines and lines starting with `#` are skipped.
    Script {
        /// The action lines.
        lines: Vec<String>,
    },
    /// The on-device model (llama.cpp, a GGUF file).
    Local {
        /// The model and its settings.
        local: LocalPlannerConfig,
    },
    /// A cloud model behind an OpenAI-compatible API.
    Cloud {
        /// The endpoint, model and key.
        cloud: CloudPlannerConfig,
    },
    /// The on-device model first, the cloud model when it must (low confidence, repeated
    /// failure), never for the policy's cloud-denied packages.
    Hybrid {
        /// The on-device model.
        local: LocalPlannerConfig,
        /// The cloud model.
        cloud: CloudPlannerConfig,
    },
}

/// The on-device model.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LocalPlannerConfig {
    /// Absolute path of the GGUF file on the device.
    pub model_path: String,
    /// CPU threads for inference; the planner's default when null.
    #[uniffi(default = None)]
    pub threads: Option<i32>,
    /// Context window in tokens; the planner's default when null.
    #[uniffi(default = None)]
    pub context_tokens: Option<i32>,
}

/// A cloud model behind an OpenAI-compatible API.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CloudPlannerConfig {
    /// The API base URL, e.g. `https://api.example.com/v1`.
    pub endpoint: String,
    /// The model name the endpoint serves.
    pub model: String,
    /// The bearer key; null for an endpoint without authentication.
    #[uniffi(default = None)]
    pub api_key: Option<String>,
}

impl PlannerConfig {
    /// The mode's name, as events and logs print it.
    pub(crate) fn mode(&self) -> &'static str {
        match self {
            PlannerConfig::Script { .. } => "script",
            PlannerConfig::Local { .. } => "local",
            PlannerConfig::Cloud { .. } => "cloud",
            PlannerConfig::Hybrid { .. } => "hybrid",
        }
    }
}

/// Where a task gets its planner.
pub(crate) enum PlannerSlot {
    /// A fresh script planner per task.
    Script(String),
    /// One planner, lent to each task in turn: the model modes.
    #[cfg_attr(not(any(test, feature = "llama")), allow(dead_code))]
    Shared(Arc<Mutex<Option<Box<dyn Planner>>>>),
}

impl std::fmt::Debug for PlannerSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlannerSlot::Script(_) => f.write_str("PlannerSlot::Script"),
            PlannerSlot::Shared(_) => f.write_str("PlannerSlot::Shared"),
        }
    }
}

impl PlannerSlot {
    /// Checks `config` and builds (or loads) its planner.
    pub(crate) fn build(config: &PlannerConfig) -> Result<PlannerSlot, AgentError> {
        match config {
            PlannerConfig::Script { lines } => script(lines),
            PlannerConfig::Local { local } => {
                check_local(local)?;
                local_planner(local)
            }
            PlannerConfig::Cloud { cloud } => {
                check_cloud(cloud)?;
                Err(not_built("cloud", "cloud", "CloudPlanner"))
            }
            PlannerConfig::Hybrid { local, cloud } => {
                check_local(local)?;
                check_cloud(cloud)?;
                Err(not_built("hybrid", "llama` and `cloud", "Router"))
            }
        }
    }

    /// The planner for the next task.
    pub(crate) fn for_task(&self) -> Box<dyn Planner> {
        match self {
            PlannerSlot::Script(script) => Box::new(ScriptPlanner::new(script)),
            PlannerSlot::Shared(slot) => Box::new(Lent::take(slot)),
        }
    }
}

/// A script planner from `lines`, each checked now so a typo fails at `Agent(…)`, not in the
/// middle of a task.
fn script(lines: &[String]) -> Result<PlannerSlot, AgentError> {
    let mut actions = 0;
    for (index, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.contains('\n') || line.contains('\r') {
            return Err(AgentError::config(format!(
                "script line {} holds a line break; give one action per list item",
                index + 1
            )));
        }
        parse_action(line).map_err(|error| {
            AgentError::config(format!(
                "script line {} is not an action: {error}",
                index + 1
            ))
        })?;
        actions += 1;
    }
    if actions == 0 {
        return Err(AgentError::config("the script has no action lines"));
    }
    Ok(PlannerSlot::Script(lines.join("\n")))
}

fn check_local(local: &LocalPlannerConfig) -> Result<(), AgentError> {
    if local.model_path.trim().is_empty() {
        return Err(AgentError::config("local.modelPath is empty"));
    }
    if local.threads.is_some_and(|threads| threads < 1) {
        return Err(AgentError::config("local.threads must be at least 1"));
    }
    if local.context_tokens.is_some_and(|tokens| tokens < 512) {
        return Err(AgentError::config(
            "local.contextTokens must be at least 512",
        ));
    }
    Ok(())
}

fn check_cloud(cloud: &CloudPlannerConfig) -> Result<(), AgentError> {
    let endpoint = cloud.endpoint.trim();
    if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
        return Err(AgentError::config(
            "cloud.endpoint must be an http:// or https:// URL",
        ));
    }
    if cloud.model.trim().is_empty() {
        return Err(AgentError::config("cloud.model is empty"));
    }
    Ok(())
}

/// Loads the on-device model once; every task borrows it.
#[cfg(feature = "llama")]
fn local_planner(local: &LocalPlannerConfig) -> Result<PlannerSlot, AgentError> {
    use lobster_core::planner::{LocalOptions, LocalPlanner};

    let mut options = LocalOptions::default();
    if let Some(threads) = local.threads {
        options.threads = u32::try_from(threads).unwrap_or(0);
    }
    if let Some(tokens) = local.context_tokens {
        options.context_length = u32::try_from(tokens).unwrap_or(options.context_length);
    }
    let planner =
        LocalPlanner::load(std::path::Path::new(&local.model_path), options).map_err(|error| {
            AgentError::PlannerFailed {
                reason: error.to_string(),
            }
        })?;
    Ok(PlannerSlot::Shared(Arc::new(Mutex::new(Some(Box::new(
        planner,
    ))))))
}

/// Without llama.cpp in the build there is no on-device planner to load.
#[cfg(not(feature = "llama"))]
fn local_planner(_local: &LocalPlannerConfig) -> Result<PlannerSlot, AgentError> {
    Err(not_built("local", "llama", "LocalPlanner"))
}

/// The error for a mode whose planner this library does not contain.
fn not_built(mode: &str, feature: &str, planner: &str) -> AgentError {
    AgentError::PlannerUnavailable {
        reason: format!(
            "the `{mode}` planner mode needs lobster-core's {planner} (Cargo feature `{feature}`), \
             which this build of lobster-ffi does not contain"
        ),
    }
}

/// A shared planner on loan to one task; it goes back to its slot when the task ends.
struct Lent {
    slot: Arc<Mutex<Option<Box<dyn Planner>>>>,
    planner: Option<Box<dyn Planner>>,
}

impl Lent {
    fn take(slot: &Arc<Mutex<Option<Box<dyn Planner>>>>) -> Lent {
        let planner = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        Lent {
            slot: Arc::clone(slot),
            planner,
        }
    }

    fn planner(&mut self) -> Result<&mut Box<dyn Planner>, PlanError> {
        self.planner
            .as_mut()
            .ok_or_else(|| PlanError::Backend("the planner is in use by another task".into()))
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let Some(planner) = self.planner.take() {
            *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(planner);
        }
    }
}

impl Planner for Lent {
    fn name(&self) -> &str {
        self.planner
            .as_ref()
            .map_or("none", |planner| planner.name())
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        self.planner()?.plan_task(request, cancel)
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        self.planner()?.next_action(request, cancel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(lines: &[&str]) -> PlannerConfig {
        PlannerConfig::Script {
            lines: lines.iter().map(|line| (*line).to_owned()).collect(),
        }
    }

    fn local(path: &str) -> LocalPlannerConfig {
        LocalPlannerConfig {
            model_path: path.into(),
            threads: None,
            context_tokens: None,
        }
    }

    fn cloud(endpoint: &str) -> CloudPlannerConfig {
        CloudPlannerConfig {
            endpoint: endpoint.into(),
            model: "qwen".into(),
            api_key: None,
        }
    }

    #[test]
    fn a_script_is_checked_line_by_line() {
        assert!(PlannerSlot::build(&lines(&["# wifi", "", "open \"Settings\"", "done"])).is_ok());
        let error = PlannerSlot::build(&lines(&["done", "fly away"])).unwrap_err();
        assert!(
            matches!(&error, AgentError::InvalidConfig { reason } if reason.starts_with("script line 2")),
            "{error}"
        );
        assert!(PlannerSlot::build(&lines(&["# only a comment"])).is_err());
        assert!(PlannerSlot::build(&lines(&["tap 1\ndone"])).is_err());
    }

    #[test]
    fn each_task_replays_the_script_from_the_start() {
        let slot = PlannerSlot::build(&lines(&["done"])).unwrap();
        assert_eq!(slot.for_task().name(), "script");
        assert_eq!(slot.for_task().name(), "script");
    }

    #[test]
    fn model_modes_are_checked_then_refused_until_their_planner_is_built_in() {
        let refused = |config: PlannerConfig| match PlannerSlot::build(&config) {
            Err(AgentError::PlannerUnavailable { reason }) => reason,
            other => panic!("{other:?}"),
        };
        let missing = PlannerSlot::build(&PlannerConfig::Local {
            local: local("/no/such/model.gguf"),
        });
        if cfg!(feature = "llama") {
            assert!(
                matches!(&missing, Err(AgentError::PlannerFailed { reason }) if reason.contains("no model file")),
                "{missing:?}"
            );
        } else {
            assert!(
                matches!(&missing, Err(AgentError::PlannerUnavailable { reason }) if reason.contains("`llama`")),
                "{missing:?}"
            );
        }
        assert!(
            refused(PlannerConfig::Cloud {
                cloud: cloud("https://api.example.com/v1")
            })
            .contains("`cloud`")
        );
        assert!(
            refused(PlannerConfig::Hybrid {
                local: local("/m.gguf"),
                cloud: cloud("http://127.0.0.1:8080/v1")
            })
            .contains("hybrid")
        );
        let invalid = |config: PlannerConfig| {
            matches!(
                PlannerSlot::build(&config),
                Err(AgentError::InvalidConfig { .. })
            )
        };
        assert!(invalid(PlannerConfig::Local { local: local(" ") }));
        assert!(invalid(PlannerConfig::Cloud {
            cloud: cloud("ftp://x")
        }));
        assert!(invalid(PlannerConfig::Local {
            local: LocalPlannerConfig {
                threads: Some(0),
                ..local("/m.gguf")
            }
        }));
    }

    #[test]
    fn a_lent_planner_goes_back_to_its_slot() {
        let shared: Arc<Mutex<Option<Box<dyn Planner>>>> =
            Arc::new(Mutex::new(Some(Box::new(ScriptPlanner::new("done")))));
        let slot = PlannerSlot::Shared(Arc::clone(&shared));
        {
            let lent = slot.for_task();
            assert_eq!(lent.name(), "script");
            assert!(shared.lock().unwrap().is_none());
        }
        assert!(shared.lock().unwrap().is_some());
    }
}
