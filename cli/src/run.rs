//! `lobster run` and `lobster sim list`: an agent task on the simulated phone, streamed step by
//! step, ending with the result and (for a sim task) the check of the phone's state.
//!
//! The planner is a script (`--planner script`), a cloud model behind an OpenAI-compatible API
//! (`--planner cloud --base-url URL --model NAME`, the key from `LOBSTER_API_KEY` only, so it
//! stays out of shell history and process lists), or both behind the router (`--planner
//! hybrid`): on-device first, the cloud when the on-device half is stuck.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use lobster_core::agent::trajectory::TrajectoryWriter;
use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, Budgets, CancelToken, Confirmation, TaskIo,
    TaskStatus,
};
use lobster_core::planner::{
    API_KEY_ENV, ApiKey, CloudConfig, CloudPlanner, LocalOptions, LocalPlanner, OutputMode,
    Planner, Router, RouterPolicy, ScriptPlanner,
};
use lobster_models::Manifest;
use lobster_sim::{DelayedRendering, Faults, Sim, SimConfig, SimTask, tasks_for_seed};
use serde_json::json;

/// Options of `lobster run`.
#[derive(Args)]
pub struct RunArgs {
    /// The goal, in words (or use --task for a sim task with its check).
    goal: Option<String>,
    /// The device to drive.
    #[arg(long, value_enum, default_value_t = DeviceKind::Sim)]
    device: DeviceKind,
    /// A sim task by name (`lobster sim list`); its goal is used and its check is run.
    #[arg(long)]
    task: Option<String>,
    /// Seed for the sim task's parameters.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Who chooses the actions.
    #[arg(long, value_enum, default_value_t = PlannerKind::Script)]
    planner: PlannerKind,
    /// For `--planner script`: a file of action lines, or `-` for stdin (read one line per
    /// step, so actions can be typed as the task goes). For `--planner hybrid` without
    /// `--local-model`, the script stands in for the on-device half.
    #[arg(long)]
    script: Option<PathBuf>,
    /// For `--planner cloud|hybrid`: the OpenAI-compatible API's base URL (HTTPS; plain HTTP
    /// only to localhost). The key is read from LOBSTER_API_KEY.
    #[arg(long, default_value = "https://api.openai.com/v1")]
    base_url: String,
    /// For `--planner local`: the on-device model, a name from `lobster models list` or a GGUF
    /// path (default: the manifest's default model). For `--planner cloud|hybrid`: the cloud
    /// model's name.
    #[arg(long)]
    model: Option<String>,
    /// For `--planner hybrid`: the on-device model (a name or a GGUF path).
    #[arg(long)]
    local_model: Option<String>,
    /// For `--planner local|hybrid`: threads for the on-device model (0: the cores, up to 4).
    #[arg(long, default_value_t = 0)]
    threads: u32,
    /// For `--planner cloud|hybrid`: the most seconds one step may wait for the cloud.
    #[arg(long, default_value_t = 60)]
    cloud_deadline: u64,
    /// For `--planner cloud|hybrid`: the answer format to ask the server for. `auto` starts
    /// with json_schema and steps down to json_object, then text, when the server refuses one;
    /// any other value is used as it is.
    #[arg(long, value_enum, default_value_t = OutputModeArg::Auto)]
    output_mode: OutputModeArg,
    /// Print events as JSON lines instead of readable lines.
    #[arg(long)]
    json: bool,
    /// Append every step to this trajectory file (`lobster replay` reads it).
    #[arg(long)]
    trajectory: Option<PathBuf>,
    /// Allow every sensitive action without asking (otherwise asked on a terminal, else
    /// denied).
    #[arg(long)]
    yes: bool,
    /// Faults for the simulated phone to inject (repeatable).
    #[arg(long = "fault", value_enum)]
    faults: Vec<FaultKind>,
    /// The step budget.
    #[arg(long, default_value_t = 40)]
    max_steps: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeviceKind {
    /// The simulated phone.
    Sim,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlannerKind {
    /// Actions read from a file or stdin, one line per step.
    Script,
    /// The on-device model through llama.cpp (--model NAME_OR_PATH).
    Local,
    /// A cloud model behind an OpenAI-compatible API (--base-url, --model, LOBSTER_API_KEY).
    Cloud,
    /// On-device first, the cloud when the on-device half is stuck.
    Hybrid,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputModeArg {
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

#[derive(Clone, Copy, ValueEnum)]
enum FaultKind {
    /// An ad pop-up from another package after 2 actions.
    OverlayAd,
    /// Screens render late after every action.
    DelayedRendering,
    /// The first tap is dropped.
    DroppedTap,
    /// The first targeted node vanishes before it is acted on.
    VanishingNode,
    /// The app crashes back to the launcher after 3 actions.
    Crash,
    /// On-screen text that tries to instruct the agent.
    PromptInjection,
}

fn faults(kinds: &[FaultKind]) -> Faults {
    let mut faults = Faults::none();
    for kind in kinds {
        match kind {
            FaultKind::OverlayAd => faults.overlay_ad = Some(2),
            FaultKind::DelayedRendering => {
                faults.delayed_rendering = Some(DelayedRendering {
                    every: 1,
                    observations: 1,
                    loading: true,
                })
            }
            FaultKind::DroppedTap => faults.dropped_tap = Some(1),
            FaultKind::VanishingNode => faults.vanishing_node = Some(1),
            FaultKind::Crash => faults.crash = Some(3),
            FaultKind::PromptInjection => faults.prompt_injection = true,
        }
    }
    faults
}

/// The planner `args` ask for, and whether it reads stdin.
fn planner(args: &RunArgs) -> Result<(Box<dyn Planner>, bool)> {
    match args.planner {
        PlannerKind::Script => {
            let path = args
                .script
                .as_ref()
                .context("--planner script needs --script FILE (or - for stdin)")?;
            script_planner(path)
        }
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
            Ok((local_planner(model, args.threads)?, false))
        }
        PlannerKind::Cloud => Ok((Box::new(cloud_planner(args)?), false)),
        PlannerKind::Hybrid => {
            let (local, from_stdin) = match (&args.local_model, &args.script) {
                (Some(model), _) => (local_planner(model, args.threads)?, false),
                (None, Some(path)) => script_planner(path)?,
                (None, None) => bail!(
                    "--planner hybrid needs an on-device half: --local-model NAME_OR_PATH, or \
                     --script FILE"
                ),
            };
            let cloud: Box<dyn Planner> = Box::new(cloud_planner(args)?);
            let router = Router::new(local, Some(cloud), RouterPolicy::default());
            Ok((Box::new(router), from_stdin))
        }
    }
}

/// The on-device planner on `model`, a manifest name in the model store or a GGUF path.
fn local_planner(model: &str, threads: u32) -> Result<Box<dyn Planner>> {
    // The store's error says what to do: pull the model (network) or import a file.
    let path = lobster_models::resolve(model).map_err(|error| anyhow!("{error}"))?;
    let options = LocalOptions {
        threads,
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
fn cloud_planner(args: &RunArgs) -> Result<CloudPlanner> {
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
    CloudPlanner::new(config).map_err(|error| anyhow::anyhow!("{error}"))
}

/// `lobster sim list`: the tasks, one per line.
pub fn list_tasks(seed: u64) {
    for task in tasks_for_seed(seed) {
        println!("{:<24} {}", task.name, task.goal);
    }
}

/// `lobster run`.
pub fn run(args: RunArgs) -> Result<bool> {
    let DeviceKind::Sim = args.device;
    let task: Option<SimTask> = match &args.task {
        Some(name) => Some(
            SimTask::named(name, args.seed)
                .with_context(|| format!("no sim task {name:?} (see `lobster sim list`)"))?,
        ),
        None => None,
    };
    let goal = match (&task, &args.goal) {
        (Some(task), None) => task.goal.clone(),
        (Some(_), Some(_)) => bail!("give either a goal or --task, not both"),
        (None, Some(goal)) => goal.clone(),
        (None, None) => bail!("give a goal, or --task NAME"),
    };
    let faults = faults(&args.faults);
    let mut sim = match &task {
        Some(task) => task.sim(faults),
        None => Sim::new(SimConfig { faults }),
    };
    let handle = sim.handle();

    let (mut planner, script_from_stdin) = planner(&args)?;
    let mut writer = match &args.trajectory {
        Some(path) => Some(
            TrajectoryWriter::create(path)
                .with_context(|| format!("creating {}", path.display()))?,
        ),
        None => None,
    };
    let listener = Printer {
        json: args.json,
        confirm: if args.yes {
            ConfirmMode::Allow
        } else if !script_from_stdin && std::io::stdin().is_terminal() {
            ConfirmMode::Ask
        } else {
            ConfirmMode::Deny
        },
        out: Mutex::new(std::io::stdout()),
    };
    let agent = Agent::new(AgentConfig {
        budgets: Budgets {
            max_steps: args.max_steps,
            ..Budgets::default()
        },
        ..AgentConfig::default()
    });
    let result = agent.run(
        &goal,
        TaskIo {
            device: &mut sim,
            planner: planner.as_mut(),
            listener: &listener,
            cancel: &CancelToken::new(),
            trajectory: writer.as_mut(),
        },
    );

    let answer = match &result.status {
        TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer.as_str()),
        _ => None,
    };
    let succeeded = matches!(result.status, TaskStatus::Succeeded { .. });
    let check = task.as_ref().map(|task| {
        let state = handle.lock();
        task.check(&state, answer)
    });
    if args.json {
        let line = json!({
            "event": "check",
            "task": task.as_ref().map(|task| task.name),
            "passed": check.as_ref().map(Result::is_ok),
            "problem": check.as_ref().and_then(|check| check.as_ref().err()),
        });
        listener.line(&line.to_string());
    } else if let Some(check) = &check {
        match check {
            Ok(()) => listener.line("check: passed"),
            Err(problem) => listener.line(&format!("check: FAILED — {problem}")),
        }
    }
    Ok(succeeded && check.is_none_or(|check| check.is_ok()))
}

enum ConfirmMode {
    Allow,
    Ask,
    Deny,
}

/// Prints events as they happen.
struct Printer {
    json: bool,
    confirm: ConfirmMode,
    out: Mutex<std::io::Stdout>,
}

impl Printer {
    fn line(&self, text: &str) {
        if let Ok(mut out) = self.out.lock() {
            // A closed pipe must not stop the task.
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }
    }
}

impl AgentListener for Printer {
    fn on_event(&self, event: &AgentEvent) {
        let text = if self.json {
            event_json(event).to_string()
        } else {
            match readable(event) {
                Some(text) => text,
                None => return,
            }
        };
        self.line(&text);
    }

    fn confirm(&self, request: &Confirmation) -> bool {
        match self.confirm {
            ConfirmMode::Allow => true,
            ConfirmMode::Deny => false,
            ConfirmMode::Ask => {
                eprint!("allow `{}`? {} [y/N] ", request.action, request.reason);
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer).is_ok()
                    && matches!(answer.trim(), "y" | "Y" | "yes")
            }
        }
    }
}

/// One readable line per event worth a line.
fn readable(event: &AgentEvent) -> Option<String> {
    Some(match event {
        AgentEvent::Planned { plan } => format!("plan:\n{plan}"),
        AgentEvent::StepStarted { .. } | AgentEvent::Observed { .. } => return None,
        AgentEvent::ActionChosen {
            step, action, meta, ..
        } => {
            if meta.planner_reason.is_empty() {
                format!("step {step}: {action}  [{}]", meta.planner)
            } else {
                format!(
                    "step {step}: {action}  [{}: {}]",
                    meta.planner, meta.planner_reason
                )
            }
        }
        AgentEvent::ActionRejected { step, error } => format!("step {step}: rejected — {error}"),
        AgentEvent::NeedsConfirmation { step, request } => {
            format!("step {step}: needs confirmation — {}", request.reason)
        }
        AgentEvent::Confirmed { step, allowed } => format!(
            "step {step}: {}",
            if *allowed { "allowed" } else { "denied" }
        ),
        AgentEvent::Blocked { step, reason } => format!("step {step}: blocked — {reason}"),
        AgentEvent::Acted { .. } => return None,
        AgentEvent::Verified {
            step,
            effective,
            note,
        } => format!(
            "step {step}: {} ({note})",
            if *effective { "ok" } else { "no effect" }
        ),
        AgentEvent::Finished {
            status,
            steps,
            elapsed,
        } => format!(
            "result: {} after {steps} steps in {} ms",
            status_text(status),
            elapsed.as_millis()
        ),
    })
}

fn status_text(status: &TaskStatus) -> String {
    match status {
        TaskStatus::Succeeded { answer } if answer.is_empty() => "succeeded".into(),
        TaskStatus::Succeeded { answer } => format!("succeeded: {answer}"),
        TaskStatus::Failed { reason } => format!("failed: {reason}"),
        TaskStatus::Cancelled => "cancelled".into(),
        TaskStatus::BudgetExhausted { budget } => format!("{budget} budget exhausted"),
    }
}

/// An event as one JSON object.
fn event_json(event: &AgentEvent) -> serde_json::Value {
    match event {
        AgentEvent::Planned { plan } => json!({"event": "planned", "plan": plan.to_string()}),
        AgentEvent::StepStarted { step, subgoal } => {
            json!({"event": "step_started", "step": step, "subgoal": subgoal})
        }
        AgentEvent::Observed {
            step,
            elements,
            screen_tokens,
        } => {
            json!({"event": "observed", "step": step, "elements": elements, "screen_tokens": screen_tokens})
        }
        AgentEvent::ActionChosen {
            step,
            action,
            reason,
            meta,
        } => json!({
            "event": "action_chosen", "step": step, "action": action, "reason": reason,
            "planner": meta.planner, "planner_reason": meta.planner_reason,
            "prompt_tokens": meta.prompt_tokens, "generated_tokens": meta.generated_tokens,
            "millis": meta.millis, "confidence": meta.confidence,
        }),
        AgentEvent::ActionRejected { step, error } => {
            json!({"event": "action_rejected", "step": step, "error": error})
        }
        AgentEvent::NeedsConfirmation { step, request } => json!({
            "event": "needs_confirmation", "step": step, "action": request.action,
            "category": request.category.to_string(), "reason": request.reason,
        }),
        AgentEvent::Confirmed { step, allowed } => {
            json!({"event": "confirmed", "step": step, "allowed": allowed})
        }
        AgentEvent::Blocked { step, reason } => {
            json!({"event": "blocked", "step": step, "reason": reason})
        }
        AgentEvent::Acted {
            step,
            action,
            outcome,
        } => json!({"event": "acted", "step": step, "action": action, "outcome": outcome}),
        AgentEvent::Verified {
            step,
            effective,
            note,
        } => json!({"event": "verified", "step": step, "effective": effective, "note": note}),
        AgentEvent::Finished {
            status,
            steps,
            elapsed,
        } => json!({
            "event": "finished", "status": status_text(status), "steps": steps,
            "elapsed_ms": u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        }),
    }
}
