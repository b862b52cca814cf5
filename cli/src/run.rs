//! `lobster run` and `lobster sim list`: an agent task on the simulated phone, streamed step by
//! step, ending with the result and (for a sim task) the check of the phone's state.
//!
//! The planner comes from the shared planner flags (`planners`): a script by default, the rules
//! fast path, the on-device model, a cloud model, or both behind the router.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use lobster_core::agent::trajectory::TrajectoryWriter;
use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, Budgets, CancelToken, Confirmation, TaskIo,
    TaskStatus,
};
use lobster_sim::{Faults, Sim, SimConfig, SimTask, tasks_for_seed};

use crate::planners::{PlannerArgs, PlannerKind, planner};
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
    #[command(flatten)]
    planners: PlannerArgs,
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
    /// Faults for the simulated phone to inject (repeatable, or joined with `+`):
    /// overlay-ad (an ad pop-up from another package after 2 actions), delayed-rendering
    /// (screens render late after every action), dropped-tap (the first tap is dropped),
    /// vanishing-node (the first targeted node vanishes before it is acted on), crash (the app
    /// crashes to the launcher after 3 actions), prompt-injection (on-screen text that tries to
    /// instruct the agent), ignored-route (the first intent or app action is dropped by its
    /// app).
    #[arg(long = "fault", value_parser = crate::eval::fault_set)]
    faults: Vec<String>,
    /// The step budget.
    #[arg(long, default_value_t = 40)]
    max_steps: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum DeviceKind {
    /// The simulated phone.
    Sim,
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
    let names: Vec<&str> = args
        .faults
        .iter()
        .flat_map(|set| set.split('+'))
        .filter(|name| *name != "none")
        .collect();
    let faults = Faults::named(&names).map_err(anyhow::Error::msg)?;
    let mut sim = match &task {
        Some(task) => task.sim(faults),
        None => Sim::new(SimConfig { faults }),
    };
    let handle = sim.handle();

    let (mut planner, script_from_stdin) = planner(&args.planners, PlannerKind::Script)?;
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

    /// With `--confirm ask`, the person at the terminal does what is asked and presses Enter;
    /// otherwise no one is there to take over.
    fn take_over(&self, reason: &str) -> bool {
        match self.confirm {
            ConfirmMode::Ask => {
                eprint!("take over: {reason}. Press Enter when done, or type `no`: ");
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer).is_ok()
                    && !matches!(answer.trim(), "n" | "N" | "no")
            }
            ConfirmMode::Allow | ConfirmMode::Deny => false,
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
        AgentEvent::TakeoverRequested { step, reason } => {
            format!("step {step}: the user takes over — {reason}")
        }
        AgentEvent::TakeoverEnded { step, resumed } => format!(
            "step {step}: {}",
            if *resumed {
                "handed back"
            } else {
                "not taken over"
            }
        ),
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
            "prompt_tokens": meta.prompt_tokens, "evaluated_tokens": meta.prompt_tokens,
            "cached_tokens": meta.cached_tokens, "generated_tokens": meta.generated_tokens,
            "millis": meta.millis, "confidence": meta.confidence,
        }),
        AgentEvent::ActionRejected { step, error } => {
            json!({"event": "action_rejected", "step": step, "error": error})
        }
        AgentEvent::NeedsConfirmation { step, request } => json!({
            "event": "needs_confirmation", "step": step, "action": request.action,
            "category": request.category.to_string(), "reason": request.reason,
            "remember": request.remember,
        }),
        AgentEvent::Confirmed { step, allowed } => {
            json!({"event": "confirmed", "step": step, "allowed": allowed})
        }
        AgentEvent::Blocked { step, reason } => {
            json!({"event": "blocked", "step": step, "reason": reason})
        }
        AgentEvent::TakeoverRequested { step, reason } => {
            json!({"event": "takeover_requested", "step": step, "reason": reason})
        }
        AgentEvent::TakeoverEnded { step, resumed } => {
            json!({"event": "takeover_ended", "step": step, "resumed": resumed})
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
