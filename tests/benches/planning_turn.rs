//! The planning turn on a model with Qwen2.5-0.5B-Instruct's exact shapes and vocabulary
//! (random weights, Q4_0): what one turn costs for the plans real goals need.
//!
//! Random weights never end a plan of their own (they write strings without end), so each turn
//! is answered with the plan the rules make for a goal of the project's corpus
//! (`LocalPlanner::plan_cost`): the same planning prompt and saved prefix, the same schema
//! masks, forced tokens, drafts and decode passes as a model's own turn, only the choices
//! given. Three set-ups in one run: turns one after another in one planner (the KV cache holds
//! the planning prompt); the same, goal for goal, in a planner that drafts nothing from the
//! goal; and turns in a fresh planner each (the planning prompt's saved state loaded from its
//! file, as on a task's start after a restart).
//!
//! ```sh
//! cargo bench -p lobster-tests --bench planning_turn -- [--model PATH] [--threads N]
//! ```
//!
//! Without `--model` the model is generated once from `../shared/tokenizer/qwen_tokenizer.json`
//! into `target/bench-models/` (as the `local_planner` bench does).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use lobster_core::agent::CancelToken;
use lobster_core::device::Device as _;
use lobster_core::planner::{
    CivilDate, LocalOptions, LocalPlanner, RulesPlanner, StepStats, TaskRequest, plan_from_json,
    plan_to_json,
};
use lobster_models::{ModelSpec, Quant, generate};
use lobster_sim::{Sim, SimConfig};

fn model(arg: Option<PathBuf>) -> PathBuf {
    if let Some(path) = arg {
        return path;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tokenizer = root.join("../shared/tokenizer/qwen_tokenizer.json");
    assert!(
        tokenizer.is_file(),
        "pass --model PATH, or run beside ../shared (the Qwen tokenizer builds the model)"
    );
    let spec = ModelSpec::qwen2_5_0_5b(Quant::Q4_0, tokenizer);
    let out = root.join(format!(
        "target/bench-models/qwen2.5-0.5b-shape-q4_0-{}.gguf",
        spec.fingerprint()
    ));
    if !out.is_file() {
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        generate(&spec, &out).unwrap();
    }
    out
}

/// The corpus goals the rules read, with their plans.
fn goals() -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/goals.jsonl");
    std::fs::read_to_string(corpus)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|goal| goal["rules"] == true)
        .map(|goal| goal["goal"].as_str().unwrap().to_owned())
        .collect()
}

/// One turn's figures.
struct Turn {
    millis: f64,
    stats: StepStats,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn report(label: &str, turns: &[Turn]) {
    let of = |value: &dyn Fn(&Turn) -> f64| median(turns.iter().map(value).collect());
    let passes = |turn: &Turn| turn.stats.decode_passes as f64;
    let mut sorted: Vec<f64> = turns.iter().map(|turn| turn.millis).collect();
    sorted.sort_by(f64::total_cmp);
    let p90 = sorted[(sorted.len() * 9 / 10).min(sorted.len() - 1)];
    println!(
        "| {label} | {} | {:.0} | {p90:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} | {:.1} |",
        turns.len(),
        of(&|turn| turn.millis),
        of(&|turn| turn.stats.prefill.as_secs_f64() * 1_000.0),
        of(&|turn| turn.stats.decode.as_secs_f64() * 1_000.0),
        of(&|turn| turn.stats.sampling.as_secs_f64() * 1_000.0),
        of(&|turn| turn.stats.evaluated_tokens as f64),
        of(&|turn| turn.stats.generated_tokens as f64),
        of(&passes),
        of(&|turn| turn.stats.decode.as_secs_f64() * 1_000.0 / passes(turn).max(1.0)),
    );
}

fn main() {
    let mut words = std::env::args().skip(1);
    let (mut model_arg, mut threads) = (None, 2);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--model" => model_arg = words.next().map(PathBuf::from),
            "--threads" => threads = words.next().unwrap().parse().unwrap(),
            _ => {}
        }
    }
    let model = model(model_arg);
    let prefix_dir =
        std::env::temp_dir().join(format!("lobster-plan-bench-{}", std::process::id()));
    let options = LocalOptions {
        threads,
        context_length: 4096,
        prefix_cache_dir: Some(prefix_dir.clone()),
        ..LocalOptions::default()
    };
    let mut sim = Sim::new(SimConfig::default());
    let apps = sim.installed_apps().unwrap();
    let actions = sim.app_actions().unwrap();
    let today = CivilDate {
        year: 2026,
        month: 12,
        day: 7,
    };
    let rules = RulesPlanner::on(today);
    // The goals whose rules' plan this phone can run (a plan naming an app it lacks, such as an
    // e-mail app, is one no planning turn here could write).
    let goals: Vec<String> = goals()
        .into_iter()
        .filter(|goal| {
            let plan = rules
                .plan(goal, &apps, &actions, lobster_core::action::ToolSet::ALL)
                .expect("a goal the rules read");
            let request = TaskRequest {
                goal,
                installed_apps: &apps,
                app_actions: &actions,
                today,
                tools: lobster_core::action::ToolSet::ALL,
            };
            plan_from_json(&plan_to_json(&plan, &actions), &request).is_ok()
        })
        .collect();
    println!(
        "model {}, {threads} threads; {} corpus goals the rules read with plans this phone runs",
        model.display(),
        goals.len()
    );
    let turn = |planner: &mut LocalPlanner, goal: &str| {
        let plan = rules
            .plan(goal, &apps, &actions, lobster_core::action::ToolSet::ALL)
            .expect("a goal the rules read");
        let request = TaskRequest {
            goal,
            installed_apps: &apps,
            app_actions: &actions,
            today,
            tools: lobster_core::action::ToolSet::ALL,
        };
        let clock = Instant::now();
        let stats = planner
            .plan_cost(&request, &plan, &CancelToken::new())
            .unwrap_or_else(|error| panic!("{goal}: {error}"));
        Turn {
            millis: clock.elapsed().as_secs_f64() * 1_000.0,
            stats,
        }
    };

    // The first turn evaluates the planning prompt and saves its state.
    let mut planner = LocalPlanner::load(&model, options.clone()).unwrap();
    let first = turn(&mut planner, &goals[0]);
    // Fresh planners, each loading the saved state (every tenth goal).
    let mut fresh = Vec::new();
    for goal in goals.iter().step_by(10) {
        let mut planner = LocalPlanner::load(&model, options.clone()).unwrap();
        let turn = turn(&mut planner, goal);
        assert!(
            turn.stats.loaded_prefix_tokens > 0,
            "the saved state was not loaded"
        );
        fresh.push(turn);
    }
    // One planner, every goal in turn; beside it, turn for turn, one that drafts nothing from
    // the goal (`LocalOptions::goal_drafts` off).
    let mut plain = LocalPlanner::load(
        &model,
        LocalOptions {
            goal_drafts: false,
            ..options.clone()
        },
    )
    .unwrap();
    let _ = turn(&mut plain, &goals[0]);
    let (mut consecutive, mut undrafted) = (Vec::new(), Vec::new());
    for goal in &goals {
        consecutive.push(turn(&mut planner, goal));
        undrafted.push(turn(&mut plain, goal));
    }

    println!(
        "\nfirst turn (evaluates and saves the planning prompt): {:.0} ms, {} tokens evaluated\n",
        first.millis, first.stats.evaluated_tokens
    );
    println!(
        "| turns | count | median ms | p90 ms | prefill ms | decode ms | of which grammar ms | \
         evaluated tokens | plan tokens / decode passes | ms per decode pass |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    report("one planner, one goal after another", &consecutive);
    report("the same without drafts from the goal", &undrafted);
    report("a fresh planner each, saved prompt loaded", &fresh);
    let ratios: Vec<f64> = consecutive
        .iter()
        .zip(&undrafted)
        .map(|(drafted, plain)| drafted.millis / plain.millis)
        .collect();
    println!(
        "\ndrafts from the goal: median turn time {:.2}× the turn without them (per goal, side by \
         side); {} of {} drafted tokens confirmed",
        median(ratios),
        consecutive
            .iter()
            .map(|turn| turn.stats.accepted_draft_tokens)
            .sum::<usize>(),
        consecutive
            .iter()
            .map(|turn| turn.stats.drafted_tokens)
            .sum::<usize>(),
    );
    let _ = std::fs::remove_dir_all(prefix_dir);
}
