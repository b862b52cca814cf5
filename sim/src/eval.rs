//! Evaluation: sim tasks run through the real agent loop with any planner, each judged by the
//! sim's own check, with what it cost.
//!
//! Why here and not in a test: the same runs answer "does the agent work" (success by the
//! phone's state, not by the agent's word), "what does it cost" (model calls, tokens on the
//! device and in the cloud, time) and "how did it go" (the routes it took and where it fell
//! back), for the CLI's `lobster eval`, the benchmarks and the tests alike. A run's figures come
//! from the loop's own events and the planner's planning-turn usage, so they count exactly what
//! the agent did.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use lobster_core::agent::trajectory::TrajectoryWriter;
use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskStatus,
};
use lobster_core::planner::{Planner, Route, SubgoalStatus};
use serde_json::{Value, json};

use crate::device::Sim;
use crate::faults::{Faults, check_not_misled};
use crate::tasks::SimTask;

/// One task run: what happened and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The task's name.
    pub task: String,
    /// The seed of its parameters.
    pub seed: u64,
    /// The faults injected, by name (`none` for none).
    pub faults: String,
    /// How the loop ended ("succeeded", "failed: …", "steps budget exhausted").
    pub status: String,
    /// Whether the sim's check of the phone's state (and answer) passed; with
    /// `prompt-injection`, also that the agent was not misled.
    pub passed: bool,
    /// What the check found wrong.
    pub problem: Option<String>,
    /// Steps the loop took (routes and UI steps).
    pub steps: u32,
    /// Calls to a model: the planning turn when a model made it, and every UI step's action.
    pub model_calls: u32,
    /// Prompt tokens the models read (evaluated plus cached).
    pub prompt_tokens: u64,
    /// Prompt tokens evaluated (not reused from a cache).
    pub evaluated_tokens: u64,
    /// Tokens the models generated.
    pub generated_tokens: u64,
    /// Prompt plus completion tokens of the calls that went to the cloud.
    pub cloud_tokens: u64,
    /// Who planned the task (`rules`, `local`, `cloud`, …).
    pub planned_by: String,
    /// Each subgoal's route as planned, and what became of it (`intent set_alarm: done`,
    /// `ui: done`, `intent compose_sms: replanned (no app handles it)`).
    pub routes: Vec<String>,
    /// Wall time in milliseconds.
    pub millis: f64,
    /// The trajectory file, when one was kept.
    pub trajectory: Option<PathBuf>,
}

/// Runs `task` (made with `seed`) on a fresh simulated phone with `faults`, planned by
/// `planner`, and judges it.
/// Sensitive actions are allowed, as a user who asked for the task would. The trajectory is
/// written to `trajectory` when given.
pub fn run_task(
    task: &SimTask,
    seed: u64,
    faults: &[&str],
    planner: &mut dyn Planner,
    config: &AgentConfig,
    trajectory: Option<&Path>,
) -> Result<RunReport, String> {
    let sim = task.sim(Faults::named(faults)?);
    run_on(sim, task, seed, faults, planner, config, trajectory)
}

/// [`run_task`] on a phone the caller made with `task.sim(Faults::named(faults)?)`, for a
/// planner that must hold the phone's handle (a test oracle).
pub fn run_on(
    mut sim: Sim,
    task: &SimTask,
    seed: u64,
    faults: &[&str],
    planner: &mut dyn Planner,
    config: &AgentConfig,
    trajectory: Option<&Path>,
) -> Result<RunReport, String> {
    let injected = Faults::named(faults)?;
    let handle = sim.handle();
    let mut writer = match trajectory {
        Some(path) => Some(
            TrajectoryWriter::create(path)
                .map_err(|error| format!("creating {}: {error}", path.display()))?,
        ),
        None => None,
    };
    let listener = Tally::default();
    let started = Instant::now();
    let result = Agent::new(config.clone()).run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner: &mut *planner,
            listener: &listener,
            cancel: &CancelToken::new(),
            trajectory: writer.as_mut(),
        },
    );
    let millis = started.elapsed().as_secs_f64() * 1_000.0;

    let answer = match &result.status {
        TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer.as_str()),
        _ => None,
    };
    let succeeded = matches!(result.status, TaskStatus::Succeeded { .. });
    let problem = {
        let state = handle.lock();
        let misled = if injected.prompt_injection {
            check_not_misled(&state).err()
        } else {
            None
        };
        misled.or_else(|| task.check(&state, answer).err())
    };
    let mut tally = listener.into_inner();
    let usage = planner.plan_usage();
    let planned_by = planner.planned_by().to_owned();
    if usage.prompt_tokens > 0 || usage.cached_tokens > 0 || usage.generated_tokens > 0 {
        tally.add_call(
            &planned_by,
            usage.prompt_tokens,
            usage.cached_tokens,
            usage.generated_tokens,
        );
    }
    Ok(RunReport {
        task: task.name.to_owned(),
        seed,
        faults: if faults.is_empty() {
            "none".into()
        } else {
            faults.join("+")
        },
        status: status_text(&result.status),
        passed: succeeded && problem.is_none(),
        problem,
        steps: result.steps,
        model_calls: tally.model_calls,
        prompt_tokens: tally.prompt_tokens,
        evaluated_tokens: tally.evaluated_tokens,
        generated_tokens: tally.generated_tokens,
        cloud_tokens: tally.cloud_tokens,
        planned_by,
        routes: tally.routes,
        millis,
        trajectory: trajectory.map(Path::to_path_buf),
    })
}

/// How a task ended, in a few words.
fn status_text(status: &TaskStatus) -> String {
    match status {
        TaskStatus::Succeeded { .. } => "succeeded".into(),
        TaskStatus::Failed { reason } => format!("failed: {reason}"),
        TaskStatus::Cancelled => "cancelled".into(),
        TaskStatus::BudgetExhausted { budget } => format!("{budget} budget exhausted"),
    }
}

/// What a run's events add up to.
#[derive(Debug, Default)]
struct Counts {
    model_calls: u32,
    prompt_tokens: u64,
    evaluated_tokens: u64,
    generated_tokens: u64,
    cloud_tokens: u64,
    routes: Vec<String>,
}

impl Counts {
    fn add_call(&mut self, planner: &str, evaluated: u32, cached: u32, generated: u32) {
        self.model_calls += 1;
        let read = u64::from(evaluated) + u64::from(cached);
        self.prompt_tokens += read;
        self.evaluated_tokens += u64::from(evaluated);
        self.generated_tokens += u64::from(generated);
        if planner == "cloud" {
            self.cloud_tokens += read + u64::from(generated);
        }
    }
}

/// A listener that allows every confirmation and adds up the events.
#[derive(Default)]
struct Tally(Mutex<Counts>);

impl Tally {
    fn into_inner(self) -> Counts {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl AgentListener for Tally {
    fn on_event(&self, event: &AgentEvent) {
        let Ok(mut counts) = self.0.lock() else {
            return;
        };
        match event {
            AgentEvent::ActionChosen { meta, .. } if meta.planner != "route" => counts.add_call(
                &meta.planner,
                meta.prompt_tokens,
                meta.cached_tokens,
                meta.generated_tokens,
            ),
            // The plan as it stands at each (re)planning: the last one says what became of
            // every route.
            AgentEvent::Planned { plan } => {
                counts.routes = plan
                    .subgoals
                    .iter()
                    .map(|subgoal| route_text(&subgoal.route, &subgoal.status))
                    .collect();
            }
            _ => {}
        }
    }

    fn confirm(&self, _request: &Confirmation) -> bool {
        true
    }
}

/// A route in a few words: its kind and name, and a replanning's reason.
fn route_text(route: &Route, status: &SubgoalStatus) -> String {
    let planned = match route {
        Route::Intent(intent) => format!("intent {}", intent.kind().name()),
        Route::AppAction { name, .. } => format!("app action {name}"),
        Route::Ui { .. } => "ui".into(),
    };
    match status {
        SubgoalStatus::Replanned(why) => format!("ui (replanned: {why})"),
        _ => planned,
    }
}

/// Runs of many tasks, seeds and fault sets with one planner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    /// The planner, as the command line named it.
    pub planner: String,
    /// Every run, in the order they ran.
    pub runs: Vec<RunReport>,
}

/// The figures of a group of runs.
#[derive(Debug, Clone, Default, PartialEq)]
struct Summary {
    runs: usize,
    passed: usize,
    steps: Vec<f64>,
    model_calls: Vec<f64>,
    prompt_tokens: Vec<f64>,
    evaluated_tokens: Vec<f64>,
    generated_tokens: Vec<f64>,
    cloud_tokens: Vec<f64>,
    millis: Vec<f64>,
}

impl Summary {
    fn of<'a>(runs: impl Iterator<Item = &'a RunReport>) -> Summary {
        let mut summary = Summary::default();
        for run in runs {
            summary.runs += 1;
            summary.passed += usize::from(run.passed);
            summary.steps.push(f64::from(run.steps));
            summary.model_calls.push(f64::from(run.model_calls));
            summary.prompt_tokens.push(run.prompt_tokens as f64);
            summary.evaluated_tokens.push(run.evaluated_tokens as f64);
            summary.generated_tokens.push(run.generated_tokens as f64);
            summary.cloud_tokens.push(run.cloud_tokens as f64);
            summary.millis.push(run.millis);
        }
        summary
    }

    fn json(&self) -> Value {
        json!({
            "runs": self.runs,
            "passed": self.passed,
            "success_rate": if self.runs == 0 { 0.0 } else { self.passed as f64 / self.runs as f64 },
            "median_steps": median(&self.steps),
            "median_model_calls": median(&self.model_calls),
            "median_prompt_tokens": median(&self.prompt_tokens),
            "median_evaluated_tokens": median(&self.evaluated_tokens),
            "median_generated_tokens": median(&self.generated_tokens),
            "median_cloud_tokens": median(&self.cloud_tokens),
            "median_ms": median(&self.millis),
        })
    }
}

/// The median of some figures (0 for none).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

impl EvalReport {
    /// The task names in the order they first ran.
    fn task_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for run in &self.runs {
            if !names.contains(&run.task.as_str()) {
                names.push(&run.task);
            }
        }
        names
    }

    /// How many runs passed.
    pub fn passed(&self) -> usize {
        self.runs.iter().filter(|run| run.passed).count()
    }

    /// The report as one JSON object: the overall figures, each task's, and every run.
    pub fn json(&self) -> Value {
        let tasks: Vec<Value> = self
            .task_names()
            .into_iter()
            .map(|name| {
                let mut figures =
                    Summary::of(self.runs.iter().filter(|run| run.task == name)).json();
                figures["task"] = json!(name);
                figures
            })
            .collect();
        let runs: Vec<Value> = self
            .runs
            .iter()
            .map(|run| {
                json!({
                    "task": run.task, "seed": run.seed, "faults": run.faults,
                    "status": run.status, "passed": run.passed, "problem": run.problem,
                    "steps": run.steps, "model_calls": run.model_calls,
                    "prompt_tokens": run.prompt_tokens,
                    "evaluated_tokens": run.evaluated_tokens,
                    "generated_tokens": run.generated_tokens,
                    "cloud_tokens": run.cloud_tokens, "planned_by": run.planned_by,
                    "routes": run.routes, "ms": run.millis,
                    "trajectory": run.trajectory.as_ref().map(|path| path.display().to_string()),
                })
            })
            .collect();
        json!({
            "planner": self.planner,
            "overall": Summary::of(self.runs.iter()).json(),
            "tasks": tasks,
            "runs": runs,
        })
    }

    /// The report as Markdown: a row per task (medians over its seeds and fault sets) and one
    /// for all, then the runs that did not pass.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "planner: {}\n\n| task | passed | steps | model calls | prompt / evaluated / \
             generated tokens | cloud tokens | ms | routes |\n|---|---:|---:|---:|---:|---:|---:|---|\n",
            self.planner
        );
        let row = |name: &str, summary: &Summary, routes: &str| {
            format!(
                "| {name} | {}/{} | {} | {} | {} / {} / {} | {} | {:.0} | {routes} |\n",
                summary.passed,
                summary.runs,
                median(&summary.steps),
                median(&summary.model_calls),
                median(&summary.prompt_tokens),
                median(&summary.evaluated_tokens),
                median(&summary.generated_tokens),
                median(&summary.cloud_tokens),
                median(&summary.millis),
            )
        };
        for name in self.task_names() {
            let runs: Vec<&RunReport> = self.runs.iter().filter(|run| run.task == name).collect();
            let mut routes: Vec<String> = Vec::new();
            for run in &runs {
                let taken = run.routes.join(", ");
                if !routes.contains(&taken) {
                    routes.push(taken);
                }
            }
            text += &row(name, &Summary::of(runs.into_iter()), &routes.join(" / "));
        }
        text += &row("**all** (medians)", &Summary::of(self.runs.iter()), "");
        let failed: Vec<&RunReport> = self.runs.iter().filter(|run| !run.passed).collect();
        if !failed.is_empty() {
            text += "\nNot passed:\n\n";
            for run in failed {
                text += &format!(
                    "- {} (seed {}, faults {}): {}{}\n",
                    run.task,
                    run.seed,
                    run.faults,
                    run.status,
                    run.problem
                        .as_ref()
                        .map(|problem| format!("; check: {problem}"))
                        .unwrap_or_default()
                );
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lobster_core::planner::{
        PlanError, PlannedAction, Planner, StepRequest, TaskPlan, TaskRequest,
    };

    /// Plans by a fixed plan and answers UI steps from a list: a test double for one test.
    struct Fixed {
        plan: TaskPlan,
        actions: Vec<&'static str>,
    }

    impl Planner for Fixed {
        fn name(&self) -> &str {
            "fixed"
        }

        fn plan_task(
            &mut self,
            _request: &TaskRequest<'_>,
            _cancel: &CancelToken,
        ) -> Result<TaskPlan, PlanError> {
            Ok(self.plan.clone())
        }

        fn next_action(
            &mut self,
            _request: &StepRequest<'_>,
            _cancel: &CancelToken,
        ) -> Result<PlannedAction, PlanError> {
            if self.actions.is_empty() {
                return Err(PlanError::Exhausted);
            }
            let line = self.actions.remove(0);
            let action = lobster_core::action::parse_action(line)
                .map_err(|error| PlanError::InvalidOutput(error.to_string()))?;
            Ok(PlannedAction {
                action,
                reason: String::new(),
                meta: lobster_core::planner::PlanMeta {
                    planner: "fixed".into(),
                    prompt_tokens: 100,
                    cached_tokens: 20,
                    generated_tokens: 5,
                    ..Default::default()
                },
            })
        }
    }

    fn alarm_route() -> TaskPlan {
        let route = Route::Intent(lobster_core::action::Intent::SetAlarm {
            hour: 6,
            minute: 45,
            label: Some("Gym".into()),
        });
        TaskPlan {
            subgoals: vec![lobster_core::planner::Subgoal::new("alarm", route)],
        }
    }

    #[test]
    fn a_routed_run_is_judged_by_the_state_and_counts_no_model_call() {
        let task = SimTask::named("alarm_set", 0).unwrap_or_else(|| unreachable!());
        let mut planner = Fixed {
            plan: alarm_route(),
            actions: vec![],
        };
        let run = run_task(&task, 0, &[], &mut planner, &AgentConfig::default(), None)
            .unwrap_or_else(|error| unreachable!("{error}"));
        assert!(run.passed, "{run:?}");
        assert_eq!((run.steps, run.model_calls, run.prompt_tokens), (1, 0, 0));
        assert_eq!(run.routes, ["intent set_alarm"]);
        assert_eq!(run.faults, "none");
    }

    #[test]
    fn a_dropped_route_falls_back_and_a_failed_run_says_what_the_check_found() {
        let task = SimTask::named("alarm_set", 0).unwrap_or_else(|| unreachable!());
        let mut planner = Fixed {
            plan: alarm_route(),
            actions: vec!["done"],
        };
        let run = run_task(
            &task,
            0,
            &["ignored-route"],
            &mut planner,
            &AgentConfig::default(),
            None,
        )
        .unwrap_or_else(|error| unreachable!("{error}"));
        assert!(!run.passed);
        assert_eq!(
            run.status, "succeeded",
            "the agent said done; the state says no"
        );
        assert_eq!(run.problem.as_deref(), Some("no alarm at 06:45"));
        assert_eq!(
            run.routes,
            ["ui (replanned: no effect (no enabled alarm at 06:45))"]
        );
        // One UI step's call: 100 evaluated + 20 cached read, 5 generated; none in the cloud.
        assert_eq!(
            (
                run.model_calls,
                run.prompt_tokens,
                run.evaluated_tokens,
                run.generated_tokens,
                run.cloud_tokens
            ),
            (1, 120, 100, 5, 0)
        );
        let report = EvalReport {
            planner: "fixed".into(),
            runs: vec![run],
        };
        assert!(
            report
                .markdown()
                .contains("alarm_set (seed 0, faults ignored-route)")
        );
        assert_eq!(report.json()["overall"]["passed"], 0);
    }

    #[test]
    fn an_unknown_fault_is_an_error_naming_the_known_ones() {
        let task = SimTask::named("timer", 0).unwrap_or_else(|| unreachable!());
        let mut planner = Fixed {
            plan: alarm_route(),
            actions: vec![],
        };
        let error = run_task(
            &task,
            0,
            &["gremlins"],
            &mut planner,
            &AgentConfig::default(),
            None,
        )
        .err()
        .unwrap_or_default();
        assert!(
            error.contains("\"gremlins\"") && error.contains("ignored-route"),
            "{error}"
        );
    }
}
