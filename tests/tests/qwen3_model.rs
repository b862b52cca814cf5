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

use lobster_core::agent::CancelToken;
use lobster_core::planner::{LocalPlanner, reference_run};
use lobster_models::gguf::GgufHeader;
use lobster_tests::{TwoSteps, local_test_options as options};

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
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(&tiny_qwen3(), options()).unwrap();
    assert!(
        planner.model_name().contains("Qwen3"),
        "{}",
        planner.model_name()
    );
    let planned = steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    steps.assert_on_screen(&planned, false);
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
