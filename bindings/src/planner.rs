//! Which planner a task uses, as Kotlin configures it, and how it is built.
//!
//! A script planner is rebuilt for every task, so each task replays the script from its first
//! line. A model planner is expensive to load (hundreds of megabytes), so it is built once with
//! the agent and lent to each task in turn ([`PlannerSlot`]); the agent runs one task at a
//! time, so the lending never waits.
//!
//! The local mode loads lobster-core's `LocalPlanner` (feature `llama`), the cloud mode its
//! `CloudPlanner` (feature `cloud`), and the hybrid mode composes both with its `Router`; each
//! sits behind the rules fast path (`RulesFirst`), as the CLI's model planners do. The
//! policy's cloud-denied packages join core's default private apps (banking, password managers)
//! for both cloud-facing planners. A mode whose planner is not compiled into this library fails
//! at `Agent(…)` with [`AgentError::PlannerUnavailable`] saying which feature it needs: never a
//! stand-in planner that would act on the phone with something the integrator did not ask for.

use std::sync::{Arc, Mutex, PoisonError};

use lobster_core::action::parse_action;
use lobster_core::agent::CancelToken;
use lobster_core::planner::{
    LocalOptions, PlanError, PlannedAction, Planner, RouterPolicy, RulesFirst, RulesPlanner,
    ScriptPlanner, StepRequest, TaskPlan, TaskRequest,
};
use lobster_core::policy::redact::PrivateApps;

use crate::config::{MAX_STEPS, MAX_TOKENS, bounded};
use crate::error::AgentError;

/// The longest one cloud step may wait: 10 minutes, in milliseconds. A phone user does not
/// wait longer for one tap, and the task's own budget still ends it sooner.
pub(crate) const MAX_STEP_DEADLINE_MS: i64 = 10 * 60 * 1_000;

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
        /// When a step goes to the cloud.
        #[uniffi(default)]
        routing: RoutingConfig,
    },
}

/// The on-device model.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LocalPlannerConfig {
    /// Absolute path of the GGUF file on the device.
    pub model_path: String,
    /// CPU threads for inference, at most twice the available cores (and 64); the planner's
    /// default (the cores, up to 4) when null.
    #[uniffi(default = None)]
    pub threads: Option<i32>,
    /// Context window in tokens, 512 to 32,768 (what Qwen2.5 was trained on); the planner's
    /// default for the phone's memory ([`device_ram_bytes`](Self::device_ram_bytes)) when null.
    #[uniffi(default = None)]
    pub context_tokens: Option<i32>,
    /// The phone's total memory in bytes, as `ActivityManager.MemoryInfo.totalMem` reports it:
    /// the planner sizes its context and KV cache for it (under 4 GiB: 2,048 tokens and an
    /// 8-bit KV cache; under 8 GiB: 4,096 tokens; more: 8,192). Null takes the 4–8 GiB
    /// defaults.
    #[uniffi(default = None)]
    pub device_ram_bytes: Option<i64>,
    /// An absolute path of a directory (created when missing; e.g. the app's cache directory
    /// and a subdirectory) where the planner saves the evaluated state of its system prompts,
    /// keyed by model and prompt: a cold start loads it in a file read instead of evaluating
    /// hundreds of tokens (seconds on a phone), and a Qwen3.5 model keeps one checkpoint of its
    /// recurrent state fewer in memory. The directory keeps the four saved prompts used last
    /// (tens of MiB each) and deletes older ones. Null saves nothing.
    #[uniffi(default = None)]
    pub prompt_cache_dir: Option<String>,
}

/// A cloud model behind an OpenAI-compatible API.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CloudPlannerConfig {
    /// The API base URL up to the version, e.g. `https://api.example.com/v1` (the planner posts
    /// to `{endpoint}/chat/completions`). HTTPS, with certificate verification; plain `http`
    /// only for a loopback host.
    pub endpoint: String,
    /// The model name the endpoint serves.
    pub model: String,
    /// The bearer key. Null reads `LOBSTER_API_KEY` from the process environment (desktop JVMs,
    /// tests); on a phone, give it here. It is only ever sent in the `Authorization` header.
    #[uniffi(default = None)]
    pub api_key: Option<String>,
    /// The longest one step may wait for the cloud, retries included, in milliseconds (at most
    /// 10 minutes); the planner's default (60 s) when null.
    #[uniffi(default = None)]
    pub step_deadline_ms: Option<i64>,
    /// The answer format to ask the endpoint for; null negotiates it (JSON schema first,
    /// stepping down when the endpoint refuses a format, remembered for the endpoint).
    #[uniffi(default = None)]
    pub output_mode: Option<CloudOutputMode>,
}

/// The answer format asked of a cloud model, most constrained first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CloudOutputMode {
    /// `response_format` `json_schema`: a JSON object the server constrains to the schema.
    JsonSchema,
    /// `response_format` `json_object` with the schema beside it (llama.cpp-based servers
    /// enforce it; others give any JSON object).
    JsonObject,
    /// No `response_format`: the action as one line of text.
    Text,
}

/// When the hybrid mode asks the cloud. The defaults are core's.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RoutingConfig {
    /// On-device actions in a row that did not verify before the cloud takes over.
    #[uniffi(default = 2)]
    pub failures_before_escalation: i32,
    /// On-device confidence (0 to 1) below which a step goes to the cloud.
    #[uniffi(default = 0.4)]
    pub min_confidence: f32,
    /// Goals containing one of these words or phrases (case-insensitive) go to the cloud for the
    /// whole task.
    #[uniffi(default)]
    pub cloud_goal_patterns: Vec<String>,
    /// Cloud tokens (prompt and generated) one task may spend; then it stays on the device.
    #[uniffi(default = 100000)]
    pub cloud_token_budget: i64,
    /// Cloud answers in a row that were malformed or not on the screen before the step goes
    /// back to the device model (and the cloud rests a minute).
    #[uniffi(default = 2)]
    pub invalid_cloud_answers_before_fallback: i32,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        let core = RouterPolicy::default();
        RoutingConfig {
            failures_before_escalation: i32::try_from(core.failures_before_escalation)
                .unwrap_or(i32::MAX),
            min_confidence: core.min_confidence,
            cloud_goal_patterns: core.cloud_goal_patterns,
            cloud_token_budget: i64::try_from(core.cloud_token_budget).unwrap_or(i64::MAX),
            invalid_cloud_answers_before_fallback: i32::try_from(
                core.invalid_cloud_answers_before_fallback,
            )
            .unwrap_or(i32::MAX),
        }
    }
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
    /// Checks `config` and builds (or loads) its planner; `cloud_denied` are the policy's
    /// packages that never go to the cloud.
    pub(crate) fn build(
        config: &PlannerConfig,
        cloud_denied: &[String],
    ) -> Result<PlannerSlot, AgentError> {
        match config {
            PlannerConfig::Script { lines } => script(lines),
            PlannerConfig::Local { local } => {
                check_local(local)?;
                Ok(shared(local_planner(local)?))
            }
            PlannerConfig::Cloud { cloud } => {
                check_cloud(cloud)?;
                Ok(shared(cloud_planner(cloud, cloud_denied)?))
            }
            PlannerConfig::Hybrid {
                local,
                cloud,
                routing,
            } => {
                check_local(local)?;
                check_cloud(cloud)?;
                let policy = router_policy(routing, cloud_denied)?;
                Ok(shared(hybrid_planner(local, cloud, policy, cloud_denied)?))
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
    local_options(local).map(|_| ())
}

/// Core's options for `local`, every bound checked: the Kotlin fields by their Kotlin names,
/// then the whole by [`LocalOptions::validate`] (the bounds the CLI uses too).
fn local_options(local: &LocalPlannerConfig) -> Result<LocalOptions, AgentError> {
    let mut options = match local.device_ram_bytes {
        Some(bytes) => {
            let bytes = bounded("local.deviceRamBytes", bytes, 1, i64::MAX)?;
            LocalOptions::for_device_ram(bytes)
        }
        None => LocalOptions::default(),
    };
    options.prefix_cache_dir = local
        .prompt_cache_dir
        .as_deref()
        .map(prompt_cache_dir)
        .transpose()?;
    if let Some(threads) = local.threads {
        let most = i64::from(LocalOptions::max_threads());
        let threads = bounded("local.threads", threads.into(), 1, most)?;
        options.threads = u32::try_from(threads).unwrap_or(0);
    }
    if let Some(tokens) = local.context_tokens {
        let tokens = bounded(
            "local.contextTokens",
            tokens.into(),
            LocalOptions::MIN_CONTEXT_LENGTH.into(),
            LocalOptions::MAX_CONTEXT_LENGTH.into(),
        )?;
        options.context_length = u32::try_from(tokens).unwrap_or(options.context_length);
        // The default batch fits the default context; a shorter context takes a shorter batch.
        options.batch_size = options.batch_size.min(options.context_length);
    }
    options
        .validate()
        .map_err(|error| AgentError::config(format!("local: {error}")))?;
    Ok(options)
}

/// `dir` as the planner's prompt cache: an absolute path (the planner creates it).
fn prompt_cache_dir(dir: &str) -> Result<std::path::PathBuf, AgentError> {
    let path = std::path::Path::new(dir);
    if !path.is_absolute() || dir.contains('\0') {
        return Err(AgentError::config(
            "local.promptCacheDir must be an absolute path",
        ));
    }
    Ok(path.to_path_buf())
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
    if let Some(millis) = cloud.step_deadline_ms {
        bounded("cloud.stepDeadlineMs", millis, 1, MAX_STEP_DEADLINE_MS)?;
    }
    Ok(())
}

/// Core's router policy from Kotlin's routing settings.
fn router_policy(
    routing: &RoutingConfig,
    cloud_denied: &[String],
) -> Result<RouterPolicy, AgentError> {
    let failures = bounded(
        "routing.failuresBeforeEscalation",
        routing.failures_before_escalation.into(),
        1,
        MAX_STEPS,
    )?;
    if !(0.0..=1.0).contains(&routing.min_confidence) {
        return Err(AgentError::config(
            "routing.minConfidence must be between 0 and 1",
        ));
    }
    let budget = bounded(
        "routing.cloudTokenBudget",
        routing.cloud_token_budget,
        0,
        MAX_TOKENS,
    )?;
    let invalid_answers = bounded(
        "routing.invalidCloudAnswersBeforeFallback",
        routing.invalid_cloud_answers_before_fallback.into(),
        1,
        MAX_STEPS,
    )?;
    Ok(RouterPolicy {
        // At most MAX_STEPS, so it fits.
        failures_before_escalation: u32::try_from(failures).unwrap_or(u32::MAX),
        min_confidence: routing.min_confidence,
        cloud_goal_patterns: routing
            .cloud_goal_patterns
            .iter()
            .map(|pattern| pattern.trim().to_owned())
            .filter(|pattern| !pattern.is_empty())
            .collect(),
        cloud_token_budget: budget,
        // At most MAX_STEPS, so it fits.
        invalid_cloud_answers_before_fallback: u32::try_from(invalid_answers).unwrap_or(u32::MAX),
        private_apps: private_apps(cloud_denied),
        ..RouterPolicy::default()
    })
}

/// Core's default private apps plus the integrator's cloud-denied packages.
fn private_apps(cloud_denied: &[String]) -> PrivateApps {
    let mut apps = PrivateApps::default();
    for package in cloud_denied {
        let package = package.trim();
        if !package.is_empty() && !apps.packages.iter().any(|known| known == package) {
            apps.packages.push(package.to_owned());
        }
    }
    apps
}

/// One model planner shared by every task of the agent, behind the rules fast path: goals the
/// rules read (an alarm, a timer, a call or text to a number, a settings page, …) are planned
/// without a model turn, and the model plans the rest and chooses every UI step.
fn shared(planner: Box<dyn Planner>) -> PlannerSlot {
    let planner: Box<dyn Planner> = Box::new(RulesFirst::new(RulesPlanner::new(), planner));
    PlannerSlot::Shared(Arc::new(Mutex::new(Some(planner))))
}

/// Loads the on-device model once; every task borrows it.
#[cfg(feature = "llama")]
fn local_planner(local: &LocalPlannerConfig) -> Result<Box<dyn Planner>, AgentError> {
    use lobster_core::planner::LocalPlanner;

    let options = local_options(local)?;
    let planner =
        LocalPlanner::load(std::path::Path::new(&local.model_path), options).map_err(|error| {
            AgentError::PlannerFailed {
                reason: error.to_string(),
            }
        })?;
    Ok(Box::new(planner))
}

/// Without llama.cpp in the build there is no on-device planner to load.
#[cfg(not(feature = "llama"))]
fn local_planner(_local: &LocalPlannerConfig) -> Result<Box<dyn Planner>, AgentError> {
    Err(not_built("local", "llama", "LocalPlanner"))
}

/// The cloud client (nothing is sent until the first step). A non-loopback `http` endpoint or
/// a missing key is a configuration error.
#[cfg(feature = "cloud")]
fn cloud_planner(
    cloud: &CloudPlannerConfig,
    cloud_denied: &[String],
) -> Result<Box<dyn Planner>, AgentError> {
    use lobster_core::planner::{ApiKey, CloudConfig, CloudPlanner, OutputMode};

    let defaults = CloudConfig::new(cloud.endpoint.trim(), cloud.model.trim());
    let config = CloudConfig {
        api_key: cloud.api_key.as_deref().map(ApiKey::new),
        deadline: cloud
            .step_deadline_ms
            .and_then(|millis| u64::try_from(millis).ok())
            .map_or(defaults.deadline, std::time::Duration::from_millis),
        private_apps: private_apps(cloud_denied),
        output_mode: cloud.output_mode.map(|mode| match mode {
            CloudOutputMode::JsonSchema => OutputMode::JsonSchema,
            CloudOutputMode::JsonObject => OutputMode::JsonObject,
            CloudOutputMode::Text => OutputMode::Text,
        }),
        ..defaults
    };
    let planner = CloudPlanner::new(config).map_err(|error| AgentError::InvalidConfig {
        reason: format!("cloud: {error}"),
    })?;
    Ok(Box::new(planner))
}

/// Without the cloud feature there is no cloud client.
#[cfg(not(feature = "cloud"))]
fn cloud_planner(
    _cloud: &CloudPlannerConfig,
    _cloud_denied: &[String],
) -> Result<Box<dyn Planner>, AgentError> {
    Err(not_built("cloud", "cloud", "CloudPlanner"))
}

/// The router over both; the cloud half is checked before the model is loaded, so a bad
/// endpoint fails fast.
#[cfg(all(feature = "llama", feature = "cloud"))]
fn hybrid_planner(
    local: &LocalPlannerConfig,
    cloud: &CloudPlannerConfig,
    policy: RouterPolicy,
    cloud_denied: &[String],
) -> Result<Box<dyn Planner>, AgentError> {
    let cloud = cloud_planner(cloud, cloud_denied)?;
    let local = local_planner(local)?;
    Ok(Box::new(lobster_core::planner::Router::new(
        local,
        Some(cloud),
        policy,
    )))
}

/// The router needs both planners in the build.
#[cfg(not(all(feature = "llama", feature = "cloud")))]
fn hybrid_planner(
    _local: &LocalPlannerConfig,
    _cloud: &CloudPlannerConfig,
    _policy: RouterPolicy,
    _cloud_denied: &[String],
) -> Result<Box<dyn Planner>, AgentError> {
    Err(not_built("hybrid", "llama` and `cloud", "Router"))
}

/// The error for a mode whose planner this library does not contain.
#[cfg(not(all(feature = "llama", feature = "cloud")))]
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

    fn planned_by(&self) -> &str {
        self.planner
            .as_ref()
            .map_or("none", |planner| planner.planned_by())
    }

    fn plan_usage(&self) -> lobster_core::planner::PlanUsage {
        self.planner
            .as_ref()
            .map(|planner| planner.plan_usage())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(config: &PlannerConfig) -> Result<PlannerSlot, AgentError> {
        PlannerSlot::build(config, &[])
    }

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
            device_ram_bytes: None,
            prompt_cache_dir: None,
        }
    }

    fn cloud(endpoint: &str) -> CloudPlannerConfig {
        CloudPlannerConfig {
            endpoint: endpoint.into(),
            model: "qwen".into(),
            api_key: Some("sk-test".into()),
            step_deadline_ms: None,
            output_mode: None,
        }
    }

    fn is_invalid(result: Result<PlannerSlot, AgentError>) -> bool {
        matches!(result, Err(AgentError::InvalidConfig { .. }))
    }

    #[test]
    fn a_script_is_checked_line_by_line() {
        assert!(build(&lines(&["# wifi", "", "open \"Settings\"", "done"])).is_ok());
        let error = build(&lines(&["done", "fly away"])).unwrap_err();
        assert!(
            matches!(&error, AgentError::InvalidConfig { reason } if reason.starts_with("script line 2")),
            "{error}"
        );
        assert!(build(&lines(&["# only a comment"])).is_err());
        assert!(build(&lines(&["tap 1\ndone"])).is_err());
    }

    #[test]
    fn each_task_replays_the_script_from_the_start() {
        let slot = build(&lines(&["done"])).unwrap();
        assert_eq!(slot.for_task().name(), "script");
        assert_eq!(slot.for_task().name(), "script");
    }

    #[test]
    fn invalid_settings_are_refused_naming_the_field() {
        assert!(is_invalid(build(&PlannerConfig::Local {
            local: local(" ")
        })));
        assert!(is_invalid(build(&PlannerConfig::Cloud {
            cloud: cloud("ftp://x")
        })));
        assert!(is_invalid(build(&PlannerConfig::Local {
            local: LocalPlannerConfig {
                threads: Some(0),
                ..local("/m.gguf")
            }
        })));
        assert!(is_invalid(build(&PlannerConfig::Cloud {
            cloud: CloudPlannerConfig {
                step_deadline_ms: Some(0),
                ..cloud("https://api.example.com/v1")
            }
        })));
        let routing = |routing: RoutingConfig| PlannerConfig::Hybrid {
            local: local("/m.gguf"),
            cloud: cloud("https://api.example.com/v1"),
            routing,
        };
        for bad in [
            RoutingConfig {
                failures_before_escalation: 0,
                ..RoutingConfig::default()
            },
            RoutingConfig {
                min_confidence: 1.5,
                ..RoutingConfig::default()
            },
            RoutingConfig {
                cloud_token_budget: -1,
                ..RoutingConfig::default()
            },
        ] {
            assert!(is_invalid(build(&routing(bad.clone()))), "{bad:?}");
        }
    }

    /// The reason of an `InvalidConfig`, or a panic saying what came instead.
    fn invalid_reason(result: Result<PlannerSlot, AgentError>) -> String {
        match result {
            Err(AgentError::InvalidConfig { reason }) => reason,
            other => panic!("expected InvalidConfig, got {other:?}"),
        }
    }

    #[test]
    fn absurd_numbers_are_refused_naming_the_field_before_loading() {
        let with_local = |threads, context_tokens| PlannerConfig::Local {
            local: LocalPlannerConfig {
                threads,
                context_tokens,
                ..local("/no/such/model.gguf")
            },
        };
        for (config, field) in [
            (with_local(Some(i32::MAX), None), "local.threads"),
            (
                with_local(
                    Some(i32::try_from(LocalOptions::max_threads()).unwrap() + 1),
                    None,
                ),
                "local.threads",
            ),
            (with_local(None, Some(i32::MAX)), "local.contextTokens"),
            (with_local(None, Some(32_769)), "local.contextTokens"),
            (with_local(None, Some(-1)), "local.contextTokens"),
        ] {
            let reason = invalid_reason(build(&config));
            assert!(reason.starts_with(field), "{field}: {reason}");
        }
        let reason = invalid_reason(build(&PlannerConfig::Cloud {
            cloud: CloudPlannerConfig {
                step_deadline_ms: Some(i64::MAX),
                ..cloud("https://api.example.com/v1")
            },
        }));
        assert!(reason.starts_with("cloud.stepDeadlineMs"), "{reason}");
        for (routing, field) in [
            (
                RoutingConfig {
                    failures_before_escalation: i32::MAX,
                    ..RoutingConfig::default()
                },
                "routing.failuresBeforeEscalation",
            ),
            (
                RoutingConfig {
                    cloud_token_budget: i64::MAX,
                    ..RoutingConfig::default()
                },
                "routing.cloudTokenBudget",
            ),
            (
                RoutingConfig {
                    invalid_cloud_answers_before_fallback: 0,
                    ..RoutingConfig::default()
                },
                "routing.invalidCloudAnswersBeforeFallback",
            ),
            (
                RoutingConfig {
                    invalid_cloud_answers_before_fallback: i32::MAX,
                    ..RoutingConfig::default()
                },
                "routing.invalidCloudAnswersBeforeFallback",
            ),
        ] {
            let reason = invalid_reason(build(&PlannerConfig::Hybrid {
                local: local("/m.gguf"),
                cloud: cloud("https://api.example.com/v1"),
                routing,
            }));
            assert!(reason.starts_with(field), "{field}: {reason}");
        }
    }

    #[test]
    fn the_largest_settings_make_valid_local_options() {
        let options = local_options(&LocalPlannerConfig {
            threads: Some(i32::try_from(LocalOptions::max_threads()).unwrap()),
            context_tokens: Some(32_768),
            ..local("/m.gguf")
        })
        .unwrap();
        assert_eq!(options.context_length, 32_768);
        let smallest = local_options(&LocalPlannerConfig {
            context_tokens: Some(512),
            ..local("/m.gguf")
        })
        .unwrap();
        assert!(smallest.batch_size <= 512);
    }

    #[test]
    fn the_phones_memory_sizes_the_context_and_the_kv_cache() {
        const GIB: i64 = 1 << 30;
        let small = local_options(&LocalPlannerConfig {
            device_ram_bytes: Some(3 * GIB + GIB / 2),
            ..local("/m.gguf")
        })
        .unwrap();
        assert_eq!(small.context_length, 2048);
        assert_eq!(small.kv_cache, lobster_core::planner::KvCacheKind::Q8_0);
        let large = local_options(&LocalPlannerConfig {
            device_ram_bytes: Some(12 * GIB),
            ..local("/m.gguf")
        })
        .unwrap();
        assert_eq!(large.context_length, 8192);
        assert_eq!(large.kv_cache, lobster_core::planner::KvCacheKind::F16);
        // The context asked for wins over the tier's.
        let asked = local_options(&LocalPlannerConfig {
            device_ram_bytes: Some(3 * GIB),
            context_tokens: Some(1024),
            ..local("/m.gguf")
        })
        .unwrap();
        assert_eq!(asked.context_length, 1024);
        assert_eq!(asked.kv_cache, lobster_core::planner::KvCacheKind::Q8_0);
        assert_eq!(
            local_options(&local("/m.gguf")).unwrap(),
            LocalOptions::default()
        );
        for absurd in [0, -1, i64::MIN] {
            let error = local_options(&LocalPlannerConfig {
                device_ram_bytes: Some(absurd),
                ..local("/m.gguf")
            })
            .unwrap_err();
            assert!(
                format!("{error}").contains("local.deviceRamBytes"),
                "{error}"
            );
        }
    }

    #[test]
    fn the_prompt_cache_is_an_absolute_directory() {
        let options = local_options(&LocalPlannerConfig {
            prompt_cache_dir: Some("/data/user/0/app/cache/lobster-prompts".into()),
            ..local("/m.gguf")
        })
        .unwrap();
        assert_eq!(
            options.prefix_cache_dir.as_deref(),
            Some(std::path::Path::new(
                "/data/user/0/app/cache/lobster-prompts"
            ))
        );
        for bad in ["", "cache/prompts", "/a\0b"] {
            let error = local_options(&LocalPlannerConfig {
                prompt_cache_dir: Some(bad.into()),
                ..local("/m.gguf")
            })
            .unwrap_err();
            assert!(
                format!("{error}").contains("local.promptCacheDir"),
                "{bad:?}: {error}"
            );
        }
    }

    #[test]
    fn a_missing_model_fails_to_load() {
        let missing = build(&PlannerConfig::Local {
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
    }

    #[cfg(feature = "cloud")]
    #[test]
    fn the_cloud_mode_builds_a_cloud_planner_without_sending_anything() {
        let slot = build(&PlannerConfig::Cloud {
            cloud: cloud("http://127.0.0.1:9/v1"),
        })
        .unwrap();
        assert_eq!(slot.for_task().name(), "cloud");
        // The rules plan what they read before any model is asked: nothing is sent (nothing
        // listens on port 9).
        let mut planner = slot.for_task();
        let plan = planner
            .plan_task(
                &TaskRequest {
                    goal: "Set an alarm for 6:45",
                    installed_apps: &[],
                    app_actions: &[],
                    today: lobster_core::planner::CivilDate::today(),
                    tools: lobster_core::action::ToolSet::ALL,
                },
                &CancelToken::new(),
            )
            .unwrap();
        assert_eq!(planner.planned_by(), "rules");
        assert_eq!(
            plan.subgoals[0].route.to_string(),
            "intent set_alarm hour=6 minute=45"
        );
        // Plain HTTP to another host would send the key in the clear.
        let error = build(&PlannerConfig::Cloud {
            cloud: cloud("http://api.example.com/v1"),
        })
        .unwrap_err();
        assert!(
            matches!(&error, AgentError::InvalidConfig { reason } if reason.starts_with("cloud:")),
            "{error}"
        );
        assert!(!error.to_string().contains("sk-test"));
    }

    #[cfg(all(feature = "cloud", feature = "llama"))]
    #[test]
    fn the_hybrid_mode_checks_the_cloud_half_before_loading_the_model() {
        let error = build(&PlannerConfig::Hybrid {
            local: local("/no/such/model.gguf"),
            cloud: cloud("http://api.example.com/v1"),
            routing: RoutingConfig::default(),
        })
        .unwrap_err();
        assert!(matches!(error, AgentError::InvalidConfig { .. }), "{error}");
        let error = build(&PlannerConfig::Hybrid {
            local: local("/no/such/model.gguf"),
            cloud: cloud("https://api.example.com/v1"),
            routing: RoutingConfig::default(),
        })
        .unwrap_err();
        assert!(matches!(error, AgentError::PlannerFailed { .. }), "{error}");
    }

    #[cfg(not(feature = "cloud"))]
    #[test]
    fn without_the_cloud_feature_the_cloud_modes_are_unavailable() {
        let error = build(&PlannerConfig::Cloud {
            cloud: cloud("https://api.example.com/v1"),
        })
        .unwrap_err();
        assert!(
            matches!(&error, AgentError::PlannerUnavailable { reason } if reason.contains("`cloud`")),
            "{error}"
        );
    }

    #[test]
    fn the_routing_settings_become_core_s_policy() {
        let policy = router_policy(
            &RoutingConfig {
                failures_before_escalation: 3,
                min_confidence: 0.25,
                cloud_goal_patterns: vec![" translate ".into(), "".into()],
                cloud_token_budget: 5_000,
                invalid_cloud_answers_before_fallback: 4,
            },
            &["com.example.bank".into()],
        )
        .unwrap();
        assert_eq!(policy.failures_before_escalation, 3);
        assert_eq!(policy.min_confidence, 0.25);
        assert_eq!(policy.cloud_goal_patterns, vec!["translate".to_owned()]);
        assert_eq!(policy.cloud_token_budget, 5_000);
        assert_eq!(policy.invalid_cloud_answers_before_fallback, 4);
        assert_eq!(policy.mode, RouterPolicy::default().mode);
        assert!(
            policy
                .private_apps
                .packages
                .contains(&"com.example.bank".to_owned())
        );
        // Kotlin's defaults convert to exactly core's policy.
        assert_eq!(
            router_policy(&RoutingConfig::default(), &[]).unwrap(),
            RouterPolicy::default()
        );
    }

    #[test]
    fn cloud_denied_packages_join_the_default_private_apps_once() {
        let defaults = PrivateApps::default();
        let known = defaults.packages.first().cloned().unwrap_or_default();
        let apps = private_apps(&["com.example.vault".into(), known, "  ".into()]);
        assert_eq!(apps.packages.len(), defaults.packages.len() + 1);
        assert!(apps.packages.contains(&"com.example.vault".to_owned()));
        assert_eq!(apps.package_words, defaults.package_words);
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
