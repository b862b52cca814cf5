//! `lobster eval`: the sim's tasks × seeds × fault sets run with any planner, each judged by the
//! sim's own check of the phone's state, with a report and every run's trajectory; or, with
//! `--goals FILE`, a planner's plans scored against a goal corpus (`eval_goals`).
//!
//! One planner serves every run (a model loads once), as one agent would serve a user's tasks
//! one after another. The report (`lobster_sim::eval`) goes to `--out` as `report.json` and
//! `report.md`, with the trajectories beside it (`lobster replay` reads them); stdout gets the
//! Markdown table, or the JSON with `--json`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum as _};
use lobster_core::agent::{AgentConfig, Budgets};
use lobster_sim::eval::{EvalReport, run_task};
use lobster_sim::{Faults, SimTask, tasks_for_seed};

use crate::eval_goals::eval_goals;
use crate::planners::{PlannerArgs, PlannerKind, planner};

/// Options of `lobster eval`.
#[derive(Args)]
pub struct EvalArgs {
    /// Score plans against this goal corpus (JSON lines; the project's is
    /// tests/corpus/goals.jsonl) instead of running sim tasks.
    #[arg(long)]
    goals: Option<PathBuf>,
    /// Sim tasks to run, by name or glob pattern (`alarm_*`; repeatable; default: all).
    #[arg(long = "task")]
    tasks: Vec<String>,
    /// Seeds per task (0 to N-1): each seed varies the task's parameters.
    #[arg(long, default_value_t = 1)]
    seeds: u64,
    /// A fault set for every task and seed (repeatable, each a separate set; join faults with
    /// `+` to inject them together; `none` for a run without). Default: none. The faults:
    /// overlay-ad, delayed-rendering, dropped-tap, vanishing-node, crash, prompt-injection,
    /// ignored-route (`lobster run --help` says what each does).
    #[arg(long = "fault", value_parser = fault_set)]
    faults: Vec<String>,
    #[command(flatten)]
    planners: PlannerArgs,
    /// Where the report and the trajectories go.
    #[arg(long, default_value = "lobster-eval")]
    out: PathBuf,
    /// The step budget of each run.
    #[arg(long, default_value_t = 40)]
    max_steps: u32,
    /// Print the report as one JSON object instead of a Markdown table.
    #[arg(long)]
    json: bool,
}

/// A `--fault` value: `none`, or fault names (`lobster_sim::FAULT_NAMES`) joined with `+`.
pub fn fault_set(text: &str) -> Result<String, String> {
    if text == "none" {
        return Ok(text.to_owned());
    }
    let names: Vec<&str> = text.split('+').collect();
    Faults::named(&names).map(|_| text.to_owned())
}

/// The tasks of `seed` that `patterns` name (all for none); a pattern that names no task is an
/// error, so a typo does not shrink the run silently.
fn chosen_tasks(patterns: &[String], seed: u64) -> Result<Vec<SimTask>> {
    let all = tasks_for_seed(seed);
    if patterns.is_empty() {
        return Ok(all);
    }
    let mut globs = Vec::new();
    for pattern in patterns {
        let glob = glob::Pattern::new(pattern)
            .with_context(|| format!("--task {pattern:?} is not a name or glob pattern"))?;
        if !all.iter().any(|task| glob.matches(task.name)) {
            bail!("--task {pattern:?} names no sim task (see `lobster sim list`)");
        }
        globs.push(glob);
    }
    Ok(all
        .into_iter()
        .filter(|task| globs.iter().any(|glob| glob.matches(task.name)))
        .collect())
}

/// `lobster eval`.
pub fn eval(args: EvalArgs) -> Result<bool> {
    if let Some(goals) = &args.goals {
        return eval_goals(goals, &args.planners, args.json);
    }
    let kind = args.planners.planner.unwrap_or(PlannerKind::Rules);
    if kind == PlannerKind::Script {
        bail!("`lobster eval` runs many tasks; a script answers one: use `lobster run --script`");
    }
    if args.seeds == 0 {
        bail!("--seeds must be at least 1");
    }
    let fault_sets: Vec<Vec<&str>> = if args.faults.is_empty() {
        vec![Vec::new()]
    } else {
        args.faults
            .iter()
            .map(|set| match set.as_str() {
                "none" => Vec::new(),
                set => set.split('+').collect(),
            })
            .collect()
    };
    // A pattern that names no task fails before anything is loaded or written.
    chosen_tasks(&args.tasks, 0)?;
    let trajectories = args.out.join("trajectories");
    std::fs::create_dir_all(&trajectories)
        .with_context(|| format!("creating {}", trajectories.display()))?;
    let (mut planner, _) = planner(&args.planners, PlannerKind::Rules)?;
    let config = AgentConfig {
        budgets: Budgets {
            max_steps: args.max_steps,
            ..Budgets::default()
        },
        ..AgentConfig::default()
    };
    let mut report = EvalReport {
        planner: kind
            .to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default(),
        runs: Vec::new(),
    };
    for seed in 0..args.seeds {
        for task in chosen_tasks(&args.tasks, seed)? {
            for faults in &fault_sets {
                let label = if faults.is_empty() {
                    "none".to_owned()
                } else {
                    faults.join("+")
                };
                let file = trajectories.join(format!("{}-s{seed}-{label}.traj", task.name));
                let run = run_task(&task, seed, faults, planner.as_mut(), &config, Some(&file))
                    .map_err(anyhow::Error::msg)?;
                eprintln!(
                    "lobster: {} seed {seed} faults {label}: {} in {} steps",
                    task.name,
                    if run.passed { "passed" } else { "not passed" },
                    run.steps
                );
                report.runs.push(run);
            }
        }
    }
    let json = report.json();
    let markdown = report.markdown();
    let write = |name: &str, text: &str| {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    write("report.json", &format!("{json:#}\n"))?;
    write("report.md", &markdown)?;
    eprintln!(
        "lobster: {}/{} runs passed; report and trajectories in {}",
        report.passed(),
        report.runs.len(),
        args.out.display()
    );
    if args.json {
        println!("{json}");
    } else {
        print!("{markdown}");
    }
    Ok(true)
}
