//! `lobster eval --goals FILE`: a planner's plans scored against a goal corpus.
//!
//! For every goal, the planner plans (on the sim's phone, as `lobster plan` does) and the plan is
//! compared with the corpus's routes (`corpus`). The report gives, per language and overall:
//! how many goals were planned (coverage), how many of those exactly right (precision), route
//! accuracy (kinds and names right over all goals), slot accuracy (exactly right over all
//! goals), and the planning time. `--json` prints one JSON object with the same figures and
//! every goal's verdict; otherwise a Markdown table, then the wrong plans.

use std::path::Path;
use std::time::Instant;

use anyhow::{Result, anyhow};
use clap::ValueEnum as _;
use lobster_core::agent::CancelToken;
use lobster_core::device::Device;
use lobster_core::planner::TaskRequest;
use lobster_sim::{Sim, SimConfig};
use serde_json::{Value, json};

use crate::corpus::{CorpusGoal, Verdict, load};
use crate::planners::{PlannerArgs, PlannerKind, planner};

/// One goal's outcome.
struct Scored<'a> {
    goal: &'a CorpusGoal,
    verdict: Verdict,
    millis: f64,
    /// The planning turn's prompt tokens (cached included) and generated tokens.
    tokens: (u32, u32),
}

/// The figures of a set of goals.
#[derive(Default)]
struct Figures {
    goals: u32,
    planned: u32,
    right: u32,
    routes_right: u32,
    millis: Vec<f64>,
    prompt_tokens: u64,
    generated_tokens: u64,
}

impl Figures {
    fn add(&mut self, scored: &Scored<'_>) {
        self.goals += 1;
        self.millis.push(scored.millis);
        self.prompt_tokens += u64::from(scored.tokens.0);
        self.generated_tokens += u64::from(scored.tokens.1);
        match &scored.verdict {
            Verdict::Abstained => {}
            Verdict::Right => {
                self.planned += 1;
                self.right += 1;
                self.routes_right += 1;
            }
            Verdict::Wrong { routes_right, .. } => {
                self.planned += 1;
                self.routes_right += u32::from(*routes_right);
            }
        }
    }

    fn ratio(part: u32, whole: u32) -> f64 {
        if whole == 0 {
            0.0
        } else {
            f64::from(part) / f64::from(whole)
        }
    }

    fn median_millis(&self) -> f64 {
        let mut sorted = self.millis.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
    }

    fn json(&self) -> Value {
        json!({
            "goals": self.goals,
            "planned": self.planned,
            "right": self.right,
            "coverage": Self::ratio(self.planned, self.goals),
            "precision": Self::ratio(self.right, self.planned),
            "route_accuracy": Self::ratio(self.routes_right, self.goals),
            "slot_accuracy": Self::ratio(self.right, self.goals),
            "median_ms": self.median_millis(),
            "prompt_tokens": self.prompt_tokens,
            "generated_tokens": self.generated_tokens,
        })
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} ({:.0} %) | {} ({:.1} %) | {:.1} % | {:.1} % | {:.3} |",
            self.goals,
            self.planned,
            Self::ratio(self.planned, self.goals) * 100.0,
            self.right,
            Self::ratio(self.right, self.planned) * 100.0,
            Self::ratio(self.routes_right, self.goals) * 100.0,
            Self::ratio(self.right, self.goals) * 100.0,
            self.median_millis(),
        )
    }
}

/// `lobster eval --goals FILE`: scores the plans of the planner `planners` name against the
/// corpus in `goals`, printing a Markdown table or (`json`) one JSON object.
pub fn eval_goals(goals: &Path, planners: &PlannerArgs, json: bool) -> Result<bool> {
    let corpus = load(goals)?;
    let mut sim = Sim::new(SimConfig::default());
    let installed = sim.installed_apps().map_err(|error| anyhow!("{error}"))?;
    let app_actions = sim.app_actions().map_err(|error| anyhow!("{error}"))?;
    let tools = sim.available_tools().map_err(|error| anyhow!("{error}"))?;
    let by = planners.planner.unwrap_or(PlannerKind::Rules);
    let mut scored = Vec::new();
    // One planner for every goal: a model loads once and keeps its planning prompt's state; a
    // goal written on a given day carries that day in its request.
    let (mut planner, _) = planner(planners, PlannerKind::Rules)?;
    for goal in &corpus {
        let request = TaskRequest {
            goal: &goal.goal,
            installed_apps: &installed,
            app_actions: &app_actions,
            today: goal.today.unwrap_or_else(|| planners.today()),
            tools,
        };
        let started = Instant::now();
        let plan = planner
            .plan_task(&request, &CancelToken::new())
            .map_err(|error| anyhow!("planning {:?}: {error}", goal.goal))?;
        let millis = started.elapsed().as_secs_f64() * 1_000.0;
        let usage = planner.plan_usage();
        scored.push(Scored {
            goal,
            verdict: goal.score(&plan),
            millis,
            tokens: (
                usage.prompt_tokens.saturating_add(usage.cached_tokens),
                usage.generated_tokens,
            ),
        });
    }
    let figures = |keep: &dyn Fn(&CorpusGoal) -> bool| {
        let mut figures = Figures::default();
        for entry in scored.iter().filter(|entry| keep(entry.goal)) {
            figures.add(entry);
        }
        figures
    };
    let all = figures(&|_| true);
    let english = figures(&|goal| goal.lang == "en");
    let chinese = figures(&|goal| goal.lang == "zh");
    let meant_for_rules = figures(&|goal| goal.rules);
    let planner_name = by
        .to_possible_value()
        .map(|value| value.get_name().to_owned())
        .unwrap_or_default();
    if json {
        let goals: Vec<Value> = scored
            .iter()
            .map(|entry| {
                let (verdict, why) = match &entry.verdict {
                    Verdict::Abstained => ("abstained", None),
                    Verdict::Right => ("right", None),
                    Verdict::Wrong { why, .. } => ("wrong", Some(why.clone())),
                };
                json!({"goal": entry.goal.goal, "lang": entry.goal.lang, "verdict": verdict,
                       "why": why, "ms": entry.millis, "prompt_tokens": entry.tokens.0,
                       "generated_tokens": entry.tokens.1})
            })
            .collect();
        println!(
            "{}",
            json!({"planner": planner_name, "all": all.json(), "en": english.json(),
                   "zh": chinese.json(), "rules_goals": meant_for_rules.json(), "goals": goals})
        );
        return Ok(true);
    }
    println!("planner: {planner_name}\n");
    println!(
        "| goals | count | planned (coverage) | right (precision) | route accuracy | slot \
         accuracy | median ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    println!("{}", all.row("all"));
    println!("{}", english.row("English"));
    println!("{}", chinese.row("Chinese"));
    println!("{}", meant_for_rules.row("meant for the rules"));
    for entry in &scored {
        if let Verdict::Wrong { why, .. } = &entry.verdict {
            println!("wrong: {:?}: {why}", entry.goal.goal);
        }
    }
    Ok(true)
}
