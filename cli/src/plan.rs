//! `lobster plan GOAL`: the plan a planner makes for a goal on the simulated phone, without
//! running it.
//!
//! Why a command of its own: planning is the step that decides whether a task takes one intent
//! or twenty taps, and it is worth seeing (and scoring, `lobster eval --goals`) on its own. The
//! phone the plan is made for is the sim's: its installed apps and declared app actions. With
//! `--json`, stdout holds exactly one JSON object:
//! `{"planner", "subgoals": [{"goal", "route"}], "ms", "prompt_tokens", "generated_tokens"}`
//! (routes as `planner::plan_to_json` writes them; the rules planner that abstains prints
//! `"subgoals": []`).

use std::time::Instant;

use anyhow::{Result, anyhow};
use clap::Args;
use lobster_core::agent::CancelToken;
use lobster_core::device::Device;
use lobster_core::planner::{TaskRequest, plan_to_json};
use lobster_sim::{Sim, SimConfig};
use serde_json::json;

use crate::planners::{PlannerArgs, PlannerKind, planner};

/// Options of `lobster plan`.
#[derive(Args)]
pub struct PlanArgs {
    /// The goal, in words.
    goal: String,
    #[command(flatten)]
    planners: PlannerArgs,
    /// Print one JSON object instead of readable lines.
    #[arg(long)]
    json: bool,
}

/// `lobster plan`.
pub fn plan(args: PlanArgs) -> Result<bool> {
    let (mut planner, _) = planner(&args.planners, PlannerKind::Rules)?;
    let mut sim = Sim::new(SimConfig::default());
    let installed = sim.installed_apps().map_err(|error| anyhow!("{error}"))?;
    let app_actions = sim.app_actions().map_err(|error| anyhow!("{error}"))?;
    let tools = sim.available_tools().map_err(|error| anyhow!("{error}"))?;
    let request = TaskRequest {
        goal: &args.goal,
        installed_apps: &installed,
        app_actions: &app_actions,
        today: args.planners.today(),
        tools,
    };
    let started = Instant::now();
    let plan = planner
        .plan_task(&request, &CancelToken::new())
        .map_err(|error| anyhow!("planning: {error}"))?;
    let millis = started.elapsed().as_secs_f64() * 1_000.0;
    let by = planner.planned_by().to_owned();
    if args.json {
        let plan = plan_to_json(&plan, &app_actions);
        // The prompt tokens the turn evaluated or sent, cached ones included.
        let usage = planner.plan_usage();
        let value = json!({
            "planner": by,
            "subgoals": plan["subgoals"],
            "ms": (millis * 1_000.0).round() / 1_000.0,
            "prompt_tokens": usage.prompt_tokens.saturating_add(usage.cached_tokens),
            "generated_tokens": usage.generated_tokens,
        });
        println!("{value}");
        return Ok(true);
    }
    let usage = planner.plan_usage();
    println!(
        "planner: {by} ({millis:.3} ms, {} prompt tokens, {} generated)",
        usage.prompt_tokens.saturating_add(usage.cached_tokens),
        usage.generated_tokens
    );
    if plan.subgoals.is_empty() {
        println!(
            "no plan: the rules do not read this goal; a model planner plans it \
             (--planner local|cloud|hybrid)"
        );
    } else {
        println!("{plan}");
    }
    Ok(true)
}
