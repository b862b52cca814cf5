//! Which planner a command uses, from its flags: shared by `lobster run` and `lobster plan`.
//!
//! The planner is a script (`--planner script`), the rules fast path alone (`--planner rules`),
//! the on-device model (`--planner local`), a cloud model behind an OpenAI-compatible API
//! (`--planner cloud --base-url URL --model NAME`, the key from `LOBSTER_API_KEY` only, so it
//! stays out of shell history and process lists), or both behind the router (`--planner
//! hybrid`). The model planners come behind the rules fast path (`RulesFirst`): goals the rules
//! read are planned without a model turn; `--no-rules` asks the model for every plan.

use std::io::BufRead;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use lobster_core::planner::{
    API_KEY_ENV, ApiKey, CivilDate, CloudConfig, CloudPlanner, LocalOptions, LocalPlanner,
    OutputMode, Planner, Router, RouterPolicy, RulesFirst, RulesPlanner, ScriptPlanner,
};
use lobster_models::Manifest;

/// The planner flags.
#[derive(Args, Clone)]
pub struct PlannerArgs {
    /// Who plans the task and chooses its steps (default: `script` for `run`, `rules` for
    /// `plan`).
    #[arg(long, value_enum)]
    pub planner: Option<PlannerKind>,
    /// For `--planner script`: a file of action lines, or `-` for stdin (read one line per
    /// step, so actions can be typed as the task goes). For `--planner hybrid` without
    /// `--local-model`, the script stands in for the on-device half.
    #[arg(long)]
    pub script: Option<std::path::PathBuf>,
    /// For `--planner cloud|hybrid`: the OpenAI-compatible API's base URL (HTTPS; plain HTTP
    /// only to localhost). The key is read from LOBSTER_API_KEY.
    #[arg(long, default_value = "https://api.openai.com/v1")]
    pub base_url: String,
    /// For `--planner local`: the on-device model, a name from `lobster models list` or a GGUF
    /// path (default: the manifest's default model). For `--planner cloud|hybrid`: the cloud
    /// model's name.
    #[arg(long)]
    pub model: Option<String>,
    /// For `--planner hybrid`: the on-device model (a name or a GGUF path).
    #[arg(long)]
    pub local_model: Option<String>,
    /// For `--planner local|hybrid`: threads for the on-device model (0: the cores, up to 4).
    #[arg(long, default_value_t = 0)]
    pub threads: u32,
    /// For `--planner local|hybrid`: the chat template for a model whose file has none, a name
    /// llama.cpp knows (chatml, llama3, gemma, mistral-v7, phi3, …).
    #[arg(long)]
    pub chat_template: Option<String>,
    /// For `--planner local|hybrid`: a directory to save the on-device model's evaluated
    /// system prompts in (created when missing), so the next run loads them instead of
    /// evaluating them again (seconds on a phone-sized model).
    #[arg(long)]
    pub prompt_cache: Option<std::path::PathBuf>,
    /// For `--planner cloud|hybrid`: the most seconds one step may wait for the cloud.
    #[arg(long, default_value_t = 60)]
    pub cloud_deadline: u64,
    /// For `--planner cloud|hybrid`: the answer format to ask the server for. `auto` starts
    /// with json_schema and steps down to json_object, then text, when the server refuses one;
    /// any other value is used as it is.
    #[arg(long, value_enum, default_value_t = OutputModeArg::Auto)]
    pub output_mode: OutputModeArg,
    /// For `--planner local|cloud|hybrid`: plan every task with the model, without the rules
    /// fast path in front.
    #[arg(long)]
    pub no_rules: bool,
    /// The phone's date for goals that say "today" or "tomorrow" (YYYY-MM-DD; default: the
    /// local date).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<CivilDate>,
}

/// `YYYY-MM-DD` as a date.
fn parse_date(text: &str) -> Result<CivilDate, String> {
    CivilDate::parse(text.trim()).ok_or_else(|| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

impl PlannerArgs {
    /// The date relative days count from: `--today`, or the local date.
    pub fn today(&self) -> CivilDate {
        self.today.unwrap_or_else(CivilDate::today)
    }

    /// The rules, reading dates against `--today` when given.
    pub fn rules(&self) -> RulesPlanner {
        self.today.map_or_else(RulesPlanner::new, RulesPlanner::on)
    }
}

/// Who plans and chooses the steps.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlannerKind {
    /// Actions read from a file or stdin, one line per step.
    Script,
    /// The rules fast path alone: plans the goals it reads, chooses no UI step.
    Rules,
    /// The on-device model through llama.cpp (--model NAME_OR_PATH), behind the rules.
    Local,
    /// A cloud model behind an OpenAI-compatible API (--base-url, --model, LOBSTER_API_KEY),
    /// behind the rules.
    Cloud,
    /// On-device first, the cloud when the on-device half is stuck, behind the rules.
    Hybrid,
}

/// The `--output-mode` values.
#[derive(Clone, Copy, ValueEnum)]
pub enum OutputModeArg {
    /// Negotiated with the server: json_schema, then json_object, then text.
    Auto,
    /// `response_format: json_schema`.
    #[value(name = "json_schema", alias = "json-schema")]
    JsonSchema,
    /// `response_format: json_object` with the schema beside it.
    #[value(name = "json_object", alias = "json-object")]
    JsonObject,
    /// No `response_format`: one action line.
    Text,
}

impl OutputModeArg {
    /// The cloud planner's setting: `None` to negotiate.
    fn mode(self) -> Option<OutputMode> {
        match self {
            OutputModeArg::Auto => None,
            OutputModeArg::JsonSchema => Some(OutputMode::JsonSchema),
            OutputModeArg::JsonObject => Some(OutputMode::JsonObject),
            OutputModeArg::Text => Some(OutputMode::Text),
        }
    }
}

/// The planner `args` ask for (`default` when they name none), and whether it reads stdin.
pub fn planner(args: &PlannerArgs, default: PlannerKind) -> Result<(Box<dyn Planner>, bool)> {
    let (model, from_stdin): (Box<dyn Planner>, bool) = match args.planner.unwrap_or(default) {
        PlannerKind::Script => {
            let path = args
                .script
                .as_ref()
                .context("--planner script needs --script FILE (or - for stdin)")?;
            // A script is a recorded list of UI steps: no plan may go around it.
            return script_planner(path);
        }
        PlannerKind::Rules => return Ok((Box::new(args.rules()), false)),
        PlannerKind::Local => {
            let default;
            let model = match &args.model {
                Some(model) => model.as_str(),
                None => {
                    default = Manifest::builtin()
                        .map_err(|error| anyhow!("{error}"))?
                        .default_entry()
                        .map(|entry| entry.name.clone())
                        .context("the model manifest names no default model; pass --model")?;
                    default.as_str()
                }
            };
            (local_planner(model, args)?, false)
        }
        PlannerKind::Cloud => (Box::new(cloud_planner(args)?), false),
        PlannerKind::Hybrid => {
            let (local, from_stdin) = match (&args.local_model, &args.script) {
                (Some(model), _) => (local_planner(model, args)?, false),
                (None, Some(path)) => script_planner(path)?,
                (None, None) => bail!(
                    "--planner hybrid needs an on-device half: --local-model NAME_OR_PATH, or \
                     --script FILE"
                ),
            };
            let cloud: Box<dyn Planner> = Box::new(cloud_planner(args)?);
            let router = Router::new(local, Some(cloud), RouterPolicy::default());
            (Box::new(router), from_stdin)
        }
    };
    if args.no_rules {
        Ok((model, from_stdin))
    } else {
        Ok((Box::new(RulesFirst::new(args.rules(), model)), from_stdin))
    }
}

/// The on-device planner on `model`, a manifest name in the model store or a GGUF path. A
/// model of an architecture Lobster is not tested on loads too, with a note on stderr.
fn local_planner(model: &str, args: &PlannerArgs) -> Result<Box<dyn Planner>> {
    // The store's error says what to do: pull the model (network) or import a file.
    let path = lobster_models::resolve(model).map_err(|error| anyhow!("{error}"))?;
    if let Ok(header) = lobster_models::gguf::GgufHeader::read_path(&path, false)
        && let Some(architecture) = header.architecture()
        && !lobster_models::is_tested_architecture(architecture)
    {
        eprintln!(
            "lobster: note: {} is a `{architecture}` model; Lobster is tested on {} only, and \
             it runs if llama.cpp supports it",
            path.display(),
            lobster_models::TESTED_ARCHITECTURES.join(" and ")
        );
    }
    let options = LocalOptions {
        threads: args.threads,
        chat_template: args.chat_template.clone(),
        prefix_cache_dir: args.prompt_cache.clone(),
        ..LocalOptions::default()
    };
    let planner = LocalPlanner::load(&path, options)
        .with_context(|| format!("loading the on-device model {}", path.display()))?;
    Ok(Box::new(planner))
}

/// A script planner reading `path` (`-` for stdin).
fn script_planner(path: &std::path::Path) -> Result<(Box<dyn Planner>, bool)> {
    let from_stdin = path.as_os_str() == "-";
    let source: Box<dyn BufRead + Send> = if from_stdin {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    Ok((Box::new(ScriptPlanner::from_reader(source)), from_stdin))
}

/// The cloud planner for `--base-url`, `--model` and the key in the environment.
fn cloud_planner(args: &PlannerArgs) -> Result<CloudPlanner> {
    let model = args
        .model
        .as_ref()
        .context("--planner cloud and hybrid need --model NAME (the cloud model)")?;
    let key = ApiKey::from_env().with_context(|| {
        format!(
            "the cloud planner needs an API key: set {API_KEY_ENV} (it is not taken from the \
             command line, to keep it out of shell history and process lists)"
        )
    })?;
    let config = CloudConfig {
        api_key: Some(key),
        deadline: std::time::Duration::from_secs(args.cloud_deadline.max(1)),
        output_mode: args.output_mode.mode(),
        ..CloudConfig::new(args.base_url.clone(), model.clone())
    };
    CloudPlanner::new(config).map_err(|error| anyhow!("{error}"))
}
