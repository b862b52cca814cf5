//! The agent's configuration as Kotlin writes it, and its conversion into core's.
//!
//! Records with defaults, so `AgentConfig(planner = PlannerConfig.Script(lines))` is a whole
//! configuration in Kotlin and an integrator sets only what they change. Numbers are signed
//! (`Int`, `Long` in Kotlin): unsigned types are awkward from Java, which OEM code often is; the
//! conversion rejects values out of range with [`AgentError::InvalidConfig`] naming the field.
//!
//! Every number has an upper bound as well as a lower one. A Kotlin `Long` can say
//! `Long.MAX_VALUE` milliseconds, and adding that to the clock panics; a context of a billion
//! tokens makes llama.cpp try to allocate it and abort the process. The bounds are far above
//! any sensible setting and far below what breaks.

use std::collections::HashMap;
use std::time::Duration;

use lobster_core::action::IntentKind;
use lobster_core::agent;
use lobster_core::policy::{GuardConfig, MAX_SECRET_NAME_CHARS, SecretStore};

use crate::category::{SensitiveCategory, ToolTier};
use crate::error::AgentError;
use crate::planner::PlannerConfig;

/// How long a confirmation waits for the user by default: two minutes, then it is denied (the
/// `#[uniffi(default)]` below says the same to Kotlin).
#[cfg(test)]
pub(crate) const DEFAULT_CONFIRMATION_TIMEOUT_MS: i64 = 120_000;

/// The most steps a task may be given: 1,000, 25 times the default. Loop detection ends a
/// stuck task long before; a task that needs more is not one task.
pub(crate) const MAX_STEPS: i64 = 1_000;

/// The longest a task may be given: 24 hours, in milliseconds.
pub(crate) const MAX_DURATION_MS: i64 = 24 * 60 * 60 * 1_000;

/// The most planner tokens a task (or the cloud part of one) may be given: 100 million, 250
/// times the default; a bigger number is no budget at all.
pub(crate) const MAX_TOKENS: i64 = 100_000_000;

/// The longest a confirmation may wait for the user: 1 hour, in milliseconds. The task holds
/// the phone meanwhile.
pub(crate) const MAX_CONFIRMATION_TIMEOUT_MS: i64 = 60 * 60 * 1_000;

/// `value` as a `u64` when `low <= value <= high`, else a configuration error naming `field`
/// (Kotlin's spelling), the range and the value.
pub(crate) fn bounded(field: &str, value: i64, low: i64, high: i64) -> Result<u64, AgentError> {
    if (low..=high).contains(&value)
        && let Ok(value) = u64::try_from(value)
    {
        return Ok(value);
    }
    Err(AgentError::config(format!(
        "{field} must be between {low} and {high} (got {value})"
    )))
}

/// Everything an [`Agent`](crate::agent::Agent) is built from.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AgentConfig {
    /// Who chooses the actions: a script, the on-device model, a cloud model, or both.
    pub planner: PlannerConfig,
    /// Limits that stop a task that is not converging.
    #[uniffi(default)]
    pub budgets: Budgets,
    /// What needs the user's confirmation, and what never goes to the cloud.
    #[uniffi(default)]
    pub policy: Policy,
    /// Secrets the planner may type into password fields as `{secret:NAME}`, by name. Their
    /// values never reach the planner, the events or the logs.
    #[uniffi(default)]
    pub secrets: HashMap<String, String>,
    /// Whether the planner may send standard intents (set an alarm in one step).
    #[uniffi(default = true)]
    pub allow_intents: bool,
    /// Whether the planner may swipe by screen coordinates.
    #[uniffi(default = true)]
    pub allow_swipe: bool,
    /// Whether the planner may ask the user a question (the listener's `onQuestion`).
    #[uniffi(default = true)]
    pub allow_ask: bool,
    /// How long a confirmation request waits for the listener's answer before it counts as
    /// denied, in milliseconds.
    #[uniffi(default = 120000)]
    pub confirmation_timeout_ms: i64,
}

/// Step, time and token limits of one task. The defaults are core's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Budgets {
    /// Most steps a task may take.
    #[uniffi(default = 40)]
    pub max_steps: i32,
    /// Most wall time a task may take, in milliseconds.
    #[uniffi(default = 300000)]
    pub max_duration_ms: i64,
    /// Most planner tokens (prompt and generated) a task may spend.
    #[uniffi(default = 400000)]
    pub max_tokens: i64,
}

impl Default for Budgets {
    fn default() -> Self {
        let core = agent::Budgets::default();
        Budgets {
            max_steps: i32::try_from(core.max_steps).unwrap_or(i32::MAX),
            max_duration_ms: i64::try_from(core.max_duration.as_millis()).unwrap_or(i64::MAX),
            max_tokens: i64::try_from(core.max_tokens).unwrap_or(i64::MAX),
        }
    }
}

/// The integrator's safety policy. The default is the strictest: every kind of sensitive action
/// is confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Policy {
    /// Packages where every tap is confirmed (a banking app), besides the built-in cues.
    #[uniffi(default)]
    pub sensitive_packages: Vec<String>,
    /// Extra words or phrases that mark an action as sensitive, e.g. an OEM's own wording.
    #[uniffi(default)]
    pub extra_cues: Vec<ExtraCue>,
    /// Kinds of sensitive action that are *not* confirmed.
    #[uniffi(default)]
    pub unconfirmed: Vec<SensitiveCategory>,
    /// Packages whose screens never go to a cloud planner, besides the built-in banking and
    /// password-manager apps: in hybrid mode the on-device model plans there, and in cloud mode
    /// their windows are withheld from the prompt (and the steps taken there from its history).
    #[uniffi(default)]
    pub cloud_denied_packages: Vec<String>,
    /// Tiers for tools by name (`share_text`), instead of their defaults: how often calling
    /// the tool asks the user. A name outside the catalog is an `InvalidConfig`.
    #[uniffi(default)]
    pub tool_tiers: HashMap<String, ToolTier>,
    /// Tools the user allowed before (a confirmation's `remember`, stored by the app): a tool
    /// asked the first time only is not asked again.
    #[uniffi(default)]
    pub granted_tools: Vec<String>,
}

/// A word or phrase that marks an action as sensitive.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExtraCue {
    /// The kind of action it marks.
    pub category: SensitiveCategory,
    /// The word or phrase, in any language ("Jetzt kaufen").
    pub cue: String,
}

impl TryFrom<Budgets> for agent::Budgets {
    type Error = AgentError;

    fn try_from(budgets: Budgets) -> Result<Self, AgentError> {
        let max_steps = bounded("budgets.maxSteps", budgets.max_steps.into(), 1, MAX_STEPS)?;
        let max_duration = bounded(
            "budgets.maxDurationMs",
            budgets.max_duration_ms,
            1,
            MAX_DURATION_MS,
        )?;
        let max_tokens = bounded("budgets.maxTokens", budgets.max_tokens, 1, MAX_TOKENS)?;
        Ok(agent::Budgets {
            // At most MAX_STEPS, so it fits.
            max_steps: u32::try_from(max_steps).unwrap_or(u32::MAX),
            max_duration: Duration::from_millis(max_duration),
            max_tokens,
        })
    }
}

impl From<&Policy> for GuardConfig {
    fn from(policy: &Policy) -> Self {
        GuardConfig {
            extra_cues: policy
                .extra_cues
                .iter()
                .map(|cue| (cue.category.into(), cue.cue.clone()))
                .collect(),
            sensitive_packages: policy.sensitive_packages.clone(),
            unconfirmed: policy
                .unconfirmed
                .iter()
                .map(|category| (*category).into())
                .collect(),
            tool_tiers: policy
                .tool_tiers
                .iter()
                .map(|(tool, tier)| (tool.clone(), (*tier).into()))
                .collect(),
            granted_tools: policy.granted_tools.iter().cloned().collect(),
        }
    }
}

/// The secrets as core's store; an invalid name is a configuration error naming it (names are
/// configuration, values are never quoted).
pub(crate) fn secret_store(secrets: &HashMap<String, String>) -> Result<SecretStore, AgentError> {
    let mut store = SecretStore::new();
    let mut names: Vec<&String> = secrets.keys().collect();
    names.sort();
    for name in names {
        let value = secrets.get(name).cloned().unwrap_or_default();
        store.insert(name.clone(), value).map_err(|_| {
            AgentError::config(format!(
                "secret name {name:?} is not valid (ASCII letters, digits, `_`, `-` and `.`, \
                 at most {MAX_SECRET_NAME_CHARS} characters)"
            ))
        })?;
    }
    Ok(store)
}

impl TryFrom<&AgentConfig> for agent::AgentConfig {
    type Error = AgentError;

    fn try_from(config: &AgentConfig) -> Result<Self, AgentError> {
        bounded(
            "confirmationTimeoutMs",
            config.confirmation_timeout_ms,
            1,
            MAX_CONFIRMATION_TIMEOUT_MS,
        )?;
        check_tool_names(&config.policy)?;
        Ok(agent::AgentConfig {
            budgets: config.budgets.try_into()?,
            guard: (&config.policy).into(),
            secrets: secret_store(&config.secrets)?,
            allow_ask: config.allow_ask,
            allow_intents: config.allow_intents,
            allow_swipe: config.allow_swipe,
            ..agent::AgentConfig::default()
        })
    }
}

/// Every tool the policy names is one of the catalog's; a grant may also name an app's declared
/// action (`app.action`, asked the first time and remembered like a tool).
fn check_tool_names(policy: &Policy) -> Result<(), AgentError> {
    let catalog = || IntentKind::ALL.map(IntentKind::name).join(", ");
    for tool in policy.tool_tiers.keys() {
        if IntentKind::from_name(tool).is_none() {
            return Err(AgentError::config(format!(
                "policy.toolTiers: {tool:?} is not a tool of the catalog ({})",
                catalog()
            )));
        }
    }
    for tool in &policy.granted_tools {
        if IntentKind::from_name(tool).is_none() && !is_action_name(tool) {
            return Err(AgentError::config(format!(
                "policy.grantedTools: {tool:?} is neither a tool of the catalog ({}) nor an app \
                 action name (app.action)",
                catalog()
            )));
        }
    }
    Ok(())
}

/// `app.action`: two lower-case identifiers joined by a dot, as declared actions are called.
fn is_action_name(name: &str) -> bool {
    let identifier = |part: &str| {
        part.starts_with(|c: char| c.is_ascii_lowercase())
            && part.len() <= 40
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    matches!(name.split_once('.'), Some((app, action)) if identifier(app) && identifier(action))
}

impl AgentConfig {
    /// How long a confirmation waits for the user.
    pub(crate) fn confirmation_timeout(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.confirmation_timeout_ms).unwrap_or(0))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use lobster_core::policy::Category;

    use super::*;

    /// A configuration as Kotlin's defaults make it, with a script planner.
    pub(crate) fn script_config(lines: &[&str]) -> AgentConfig {
        AgentConfig {
            planner: PlannerConfig::Script {
                lines: lines.iter().map(|line| (*line).to_owned()).collect(),
            },
            budgets: Budgets::default(),
            policy: Policy::default(),
            secrets: HashMap::new(),
            allow_intents: true,
            allow_swipe: true,
            allow_ask: true,
            confirmation_timeout_ms: DEFAULT_CONFIRMATION_TIMEOUT_MS,
        }
    }

    #[test]
    fn default_budgets_are_cores_and_the_kotlin_defaults_say_the_same() {
        // The literals in the `#[uniffi(default = …)]` attributes must match core's defaults.
        assert_eq!(
            Budgets::default(),
            Budgets {
                max_steps: 40,
                max_duration_ms: 300_000,
                max_tokens: 400_000
            }
        );
        let core: agent::Budgets = Budgets::default().try_into().unwrap();
        assert_eq!(core, agent::Budgets::default());
        assert_eq!(DEFAULT_CONFIRMATION_TIMEOUT_MS, 120_000);
    }

    #[test]
    fn budgets_out_of_range_name_the_field() {
        let bad = |budgets: Budgets| agent::Budgets::try_from(budgets).unwrap_err().to_string();
        let ok = Budgets::default();
        assert!(bad(Budgets { max_steps: 0, ..ok }).contains("maxSteps"));
        assert!(
            bad(Budgets {
                max_steps: -3,
                ..ok
            })
            .contains("maxSteps")
        );
        assert!(
            bad(Budgets {
                max_duration_ms: 0,
                ..ok
            })
            .contains("maxDurationMs")
        );
        assert!(
            bad(Budgets {
                max_tokens: -1,
                ..ok
            })
            .contains("maxTokens")
        );
        let core = agent::Budgets::try_from(Budgets {
            max_steps: 7,
            max_duration_ms: 1_500,
            max_tokens: 99,
        })
        .unwrap();
        assert_eq!(core.max_steps, 7);
        assert_eq!(core.max_duration, Duration::from_millis(1_500));
        assert_eq!(core.max_tokens, 99);
    }

    #[test]
    fn budgets_above_their_bounds_name_the_field() {
        let bad = |budgets: Budgets| agent::Budgets::try_from(budgets).unwrap_err().to_string();
        let ok = Budgets::default();
        let steps = bad(Budgets {
            max_steps: i32::MAX,
            ..ok
        });
        assert_eq!(
            steps,
            "invalid configuration: budgets.maxSteps must be between 1 and 1000 (got 2147483647)"
        );
        let duration = bad(Budgets {
            max_duration_ms: i64::MAX,
            ..ok
        });
        assert!(duration.contains("budgets.maxDurationMs"), "{duration}");
        assert!(
            bad(Budgets {
                max_tokens: MAX_TOKENS + 1,
                ..ok
            })
            .contains("budgets.maxTokens")
        );
        let most = agent::Budgets::try_from(Budgets {
            max_steps: 1_000,
            max_duration_ms: MAX_DURATION_MS,
            max_tokens: MAX_TOKENS,
        })
        .unwrap();
        // The deadline of the longest task is a time the clock can hold.
        assert!(
            std::time::Instant::now()
                .checked_add(most.max_duration)
                .is_some()
        );
    }

    #[test]
    fn a_confirmation_timeout_above_an_hour_names_the_field() {
        let mut config = script_config(&["done"]);
        config.confirmation_timeout_ms = i64::MAX;
        let error = agent::AgentConfig::try_from(&config)
            .unwrap_err()
            .to_string();
        assert!(error.contains("confirmationTimeoutMs"), "{error}");
        config.confirmation_timeout_ms = MAX_CONFIRMATION_TIMEOUT_MS;
        assert!(agent::AgentConfig::try_from(&config).is_ok());
    }

    #[test]
    fn bounded_checks_both_ends() {
        assert_eq!(bounded("x", 5, 1, 10), Ok(5));
        assert!(bounded("x", 0, 1, 10).is_err());
        assert!(bounded("x", 11, 1, 10).is_err());
        assert!(bounded("x", -1, -5, 10).is_err(), "never a negative u64");
    }

    #[test]
    fn the_policy_becomes_the_guard_config() {
        let policy = Policy {
            sensitive_packages: vec!["com.example.bank".into()],
            extra_cues: vec![ExtraCue {
                category: SensitiveCategory::Pay,
                cue: "Jetzt kaufen".into(),
            }],
            unconfirmed: vec![SensitiveCategory::Share, SensitiveCategory::Share],
            cloud_denied_packages: vec!["com.example.health".into()],
            tool_tiers: HashMap::from([("set_alarm".to_owned(), ToolTier::FirstTime)]),
            granted_tools: vec!["set_alarm".into()],
        };
        let guard = GuardConfig::from(&policy);
        assert_eq!(guard.sensitive_packages, ["com.example.bank"]);
        assert_eq!(
            guard.extra_cues,
            [(Category::Pay, "Jetzt kaufen".to_owned())]
        );
        assert!(!guard.confirms(Category::Share));
        assert!(guard.confirms(Category::Pay));
        assert_eq!(
            guard.tool_tier(lobster_core::action::IntentKind::SetAlarm),
            lobster_core::policy::Tier::FirstTime
        );
        assert!(guard.granted_tools.contains("set_alarm"));
        // A tool the catalog lacks is refused, naming the field.
        let mut config = script_config(&["done"]);
        config.policy.tool_tiers = HashMap::from([("launch_rocket".to_owned(), ToolTier::Always)]);
        let error = agent::AgentConfig::try_from(&config)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("policy.toolTiers") && error.contains("launch_rocket"),
            "{error}"
        );
        config.policy.tool_tiers.clear();
        config.policy.granted_tools = vec!["send_money".into()];
        let error = agent::AgentConfig::try_from(&config)
            .unwrap_err()
            .to_string();
        assert!(error.contains("policy.grantedTools"), "{error}");
        // A declared app action remembered like a tool is a grant too.
        config.policy.granted_tools = vec!["contacts.find_contact".into(), "flashlight".into()];
        assert!(agent::AgentConfig::try_from(&config).is_ok());
        config.policy.granted_tools = vec!["Contacts.Find".into()];
        assert!(agent::AgentConfig::try_from(&config).is_err());
        assert_eq!(GuardConfig::from(&Policy::default()), GuardConfig::strict());
    }

    #[test]
    fn the_config_becomes_cores_with_secrets_checked() {
        let mut config = script_config(&["done"]);
        config.allow_swipe = false;
        config.secrets.insert("bank_pin".into(), "1234".into());
        let core = agent::AgentConfig::try_from(&config).unwrap();
        assert!(!core.allow_swipe && core.allow_intents && core.allow_ask);
        assert_eq!(core.secrets.resolve("{secret:bank_pin}"), Some("1234"));
        assert_eq!(core.budgets, agent::Budgets::default());

        config.secrets.insert("not a name".into(), "hunter2".into());
        let error = agent::AgentConfig::try_from(&config)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"not a name\""), "{error}");
        assert!(!error.contains("hunter2"), "never the value: {error}");

        let mut config = script_config(&["done"]);
        config.confirmation_timeout_ms = 0;
        assert!(matches!(
            agent::AgentConfig::try_from(&config),
            Err(AgentError::InvalidConfig { .. })
        ));
    }
}
