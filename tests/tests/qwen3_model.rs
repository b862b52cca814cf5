//! Generated Qwen3 models (`qwen3`: no projection biases, per-head query/key norms, a head size
//! wider than width / heads) through the real llama.cpp: the tiny one loads, evaluates a prompt
//! and decodes, and a first planner step on it holds to its screen's grammar. llama.cpp checks
//! every tensor's shape against the metadata when it loads, so this is also the check that the
//! generator's `qwen3` names, dimensions and `attention.key_length` agree with llama.cpp's. With
//! `LOBSTER_QWEN3_MODEL` set to a generated 0.6B file (`lobster models generate qwen3-0.6b`), an
//! ignored test loads it and decodes a few tokens.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;

use lobster_core::action::{GrammarContext, grammar_for_screen, parse_for_screen};
use lobster_core::agent::CancelToken;
use lobster_core::device::Device;
use lobster_core::planner::{LocalPlanner, Planner, StepRequest, TaskPlan, reference_run};
use lobster_core::screen::{EncodeOptions, encode_with};
use lobster_models::gguf::GgufHeader;
use lobster_sim::Faults;
use lobster_tests::local_test_options as options;

fn tiny_qwen3() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        lobster_models::tiny_qwen3_model_path().expect("generate the tiny Qwen3 model")
    })
    .clone()
}

const PROMPT: &str = "<|im_start|>system\nYou operate a phone.<|im_end|>\n<|im_start|>user\n\
                      Set an alarm for 6:45. Screen: [1] Clock [2] Alarm [3] Timer<|im_end|>\n\
                      <|im_start|>assistant\n";

#[test]
fn the_tiny_qwen3_model_loads_evaluates_and_decodes() {
    let path = tiny_qwen3();
    let header = GgufHeader::read_path(&path, false).unwrap();
    assert_eq!(header.architecture(), Some("qwen3"));
    assert_eq!(header.get_u64("qwen3.attention.key_length"), Some(32));
    let run = reference_run(&path, &options(), PROMPT, 8).unwrap();
    assert!(
        run.prompt_tokens > 10,
        "{} prompt tokens",
        run.prompt_tokens
    );
    assert_eq!(run.generated_tokens, 8);
}

#[test]
fn a_first_planner_step_on_qwen3_holds_to_the_screens_grammar() {
    let task = lobster_sim::SimTask::named("wifi_off", 1).unwrap();
    let mut sim = task.sim(Faults::none());
    let screen = encode_with(&sim.observe().unwrap(), None, &EncodeOptions::default());
    let context = GrammarContext::default();
    let grammar = grammar_for_screen(&screen.elements, &context);
    let plan = TaskPlan::single_ui("Turn off Wi-Fi");
    let mut planner = LocalPlanner::load(&tiny_qwen3(), options()).unwrap();
    assert!(
        planner.model_name().contains("Qwen3"),
        "{}",
        planner.model_name()
    );
    let planned = planner
        .next_action(
            &StepRequest {
                goal: "Turn off Wi-Fi",
                task_plan: &plan,
                subgoal: 0,
                screen: &screen,
                grammar: &grammar,
                context: &context,
                history: &[],
                step: 1,
            },
            &CancelToken::new(),
        )
        .unwrap();
    let line = planned.action.to_string();
    parse_for_screen(&line, &screen.elements, &context)
        .unwrap_or_else(|error| panic!("{line:?}: {error}"));
    let stats = planner.last_stats().unwrap();
    assert_eq!(stats.evaluated_tokens, stats.prompt_tokens);
    assert!(stats.generated_tokens >= 1);
}

#[test]
#[ignore = "needs LOBSTER_QWEN3_MODEL: a generated Qwen3-0.6B file"]
fn a_generated_qwen3_0_6b_loads_and_decodes() {
    let path = PathBuf::from(
        std::env::var_os("LOBSTER_QWEN3_MODEL").expect("set LOBSTER_QWEN3_MODEL to a GGUF"),
    );
    let header = GgufHeader::read_path(&path, false).unwrap();
    assert_eq!(header.architecture(), Some("qwen3"));
    assert_eq!(header.get_u64("qwen3.embedding_length"), Some(1024));
    let run = reference_run(&path, &options(), PROMPT, 4).unwrap();
    assert_eq!(run.generated_tokens, 4);
    eprintln!(
        "{} prompt tokens in {:?}, 4 generated in {:?}",
        run.prompt_tokens, run.prefill, run.decode
    );
}
