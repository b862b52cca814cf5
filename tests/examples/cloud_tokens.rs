//! Token cost per sim task through the cloud planner: the number cloud phone agents spend
//! hundreds of thousands of tokens on.
//!
//! Every sim task runs through `lobster_sim::eval` (the report `lobster eval` writes) with the
//! real [`CloudPlanner`] talking to the OpenAI-protocol test server on 127.0.0.1, the test
//! oracle behind it choosing each answer (`CloudOracle`: the solver's plan goes back through a
//! real planning turn, its actions through real step requests). Two set-ups side by side: the
//! rules fast path in front (as `lobster eval --planner cloud` runs), and the cloud planning
//! every task (`--no-rules`). What a request costs is counted twice: as the server reports it
//! (4 bytes a token, the test server's estimate) and with the real Qwen tokenizer over every
//! message and the response schema the request carried (`../shared/tokenizer`), the figure
//! BENCHMARKS.md quotes.
//!
//! ```sh
//! cargo run --release -p lobster-tests --example cloud_tokens [-- --seeds N] [--show TASK]
//! ```
//!
//! `--show TASK` prints that task's requests and answers to stderr.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use lobster_core::agent::AgentConfig;
use lobster_core::planner::{ApiKey, CloudConfig, CloudPlanner, Planner, RulesFirst, RulesPlanner};
use lobster_sim::eval::{EvalReport, RunReport, run_on};
use lobster_sim::{Faults, tasks_for_seed};
use lobster_tests::openai_server::{OpenAiServer, RecordedRequest};
use lobster_tests::{CloudOracle, SolverPlanner};
use tokenizers::Tokenizer;

/// One run with the Qwen-counted cost of its requests.
struct Costed {
    run: RunReport,
    requests: usize,
    qwen_prompt_tokens: usize,
    /// Qwen tokens of the answers' content.
    qwen_completion_tokens: usize,
    /// Of those, the system messages sent again within the task.
    cacheable_prompt_tokens: usize,
}

fn main() {
    let option = |name: &str| std::env::args().skip_while(|arg| arg != name).nth(1);
    let seeds: u64 = option("--seeds").map_or(1, |seeds| seeds.parse().expect("--seeds N"));
    let show = option("--show");
    let tokenizer = Tokenizer::from_file(
        std::env::var("LOBSTER_TOKENIZER")
            .unwrap_or_else(|_| "../shared/tokenizer/qwen_tokenizer.json".into()),
    )
    .expect("the Qwen tokenizer (../shared/tokenizer or $LOBSTER_TOKENIZER)");
    let server = OpenAiServer::start().expect("a server on 127.0.0.1");

    for rules_first in [true, false] {
        let mut costed = Vec::new();
        for seed in 0..seeds {
            for task in tasks_for_seed(seed) {
                let sim = task.sim(Faults::none());
                let solver = SolverPlanner::new(&task, sim.handle());
                let cloud = CloudPlanner::new(CloudConfig {
                    api_key: Some(ApiKey::new("sk-oracle")),
                    deadline: Duration::from_secs(30),
                    ..CloudConfig::new(server.base_url(), "oracle")
                })
                .expect("a cloud planner");
                let oracle =
                    CloudOracle::new(solver, cloud, server.script()).planning_in_the_cloud();
                let mut planner: Box<dyn Planner> = if rules_first {
                    Box::new(RulesFirst::new(RulesPlanner::new(), Box::new(oracle)))
                } else {
                    Box::new(oracle)
                };
                let before = server.requests().len() + server.plan_requests().len();
                let run = run_on(
                    sim,
                    &task,
                    seed,
                    &[],
                    planner.as_mut(),
                    &AgentConfig::default(),
                    None,
                )
                .expect("a run");
                assert!(run.passed, "{}: {:?}", task.name, run);
                let mut requests: Vec<RecordedRequest> = server.plan_requests();
                requests.extend(server.requests());
                requests.sort_by_key(|request| request.at);
                let new = &requests[before..];
                if show.as_deref() == Some(task.name) {
                    for request in new {
                        eprintln!("{:#}\n{:?}\n", request.json(), request.answer);
                    }
                }
                // A system message sent again within the task is what providers' prompt caches
                // serve (OpenAI, DashScope and vLLM's prefix cache key on the identical prefix).
                let mut systems_seen = Vec::new();
                let mut cacheable = 0;
                for request in new {
                    let system = request.json()["messages"][0]["content"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    if systems_seen.contains(&system) {
                        cacheable += count(&tokenizer, &system);
                    } else {
                        systems_seen.push(system);
                    }
                }
                costed.push(Costed {
                    requests: new.len(),
                    cacheable_prompt_tokens: cacheable,
                    qwen_completion_tokens: new
                        .iter()
                        .filter_map(|request| request.answer.as_deref())
                        .map(|answer| count(&tokenizer, answer))
                        .sum(),
                    qwen_prompt_tokens: new
                        .iter()
                        .map(|request| qwen_tokens(&tokenizer, request))
                        .sum(),
                    run,
                });
            }
        }
        print_table(rules_first, &costed);
    }
}

/// Qwen tokens of what a request asks the model to read: every message and the response
/// format's schema.
fn qwen_tokens(tokenizer: &Tokenizer, request: &RecordedRequest) -> usize {
    let mut text = request.prompt();
    if let Some(format) = request.json().get("response_format") {
        text.push('\n');
        text.push_str(&format.to_string());
    }
    count(tokenizer, &text)
}

fn count(tokenizer: &Tokenizer, text: &str) -> usize {
    tokenizer
        .encode(text, false)
        .map(|encoding| encoding.len())
        .expect("tokenizing")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn print_table(rules_first: bool, costed: &[Costed]) {
    println!(
        "\n{}\n",
        if rules_first {
            "rules fast path, then the cloud (as `lobster eval --planner cloud`)"
        } else {
            "the cloud plans every task (`--no-rules`)"
        }
    );
    println!(
        "| task | steps | cloud requests | Qwen prompt + completion tokens | prompt | of which a repeated system message | server-reported tokens | planned by |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for entry in costed {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            entry.run.task,
            entry.run.steps,
            entry.requests,
            entry.qwen_prompt_tokens + entry.qwen_completion_tokens,
            entry.qwen_prompt_tokens,
            entry.cacheable_prompt_tokens,
            entry.run.cloud_tokens,
            entry.run.planned_by
        );
    }
    let per_task = |value: &dyn Fn(&Costed) -> f64| median(costed.iter().map(value).collect());
    println!(
        "| **median per task** | {} | {} | {} | {} | {} | {} | |",
        per_task(&|entry| f64::from(entry.run.steps)),
        per_task(&|entry| entry.requests as f64),
        per_task(&|entry| (entry.qwen_prompt_tokens + entry.qwen_completion_tokens) as f64),
        per_task(&|entry| entry.qwen_prompt_tokens as f64),
        per_task(&|entry| entry.cacheable_prompt_tokens as f64),
        per_task(&|entry| entry.run.cloud_tokens as f64),
    );
    let total: usize = costed.iter().map(|entry| entry.qwen_prompt_tokens).sum();
    println!(
        "\n{} runs, all passed; Qwen prompt tokens in all: {total}; median per task less the \
         repeated system messages: {}; max per task: {}",
        costed.len(),
        per_task(&|entry| (entry.qwen_prompt_tokens - entry.cacheable_prompt_tokens) as f64),
        costed
            .iter()
            .map(|entry| entry.qwen_prompt_tokens)
            .max()
            .unwrap_or(0)
    );
    // The same runs in `lobster eval`'s own report shape, for the record.
    let report = EvalReport {
        planner: "cloud (oracle)".into(),
        runs: costed.iter().map(|entry| entry.run.clone()).collect(),
    };
    eprintln!("{}", report.json()["overall"]);
}
