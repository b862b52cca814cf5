//! `lobster models` end to end: listing the manifest against a models directory, generating
//! the tiny model, importing it, resolving errors, and a pull against a dead port.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn lobster(models_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(args)
        .env("LOBSTER_MODELS_DIR", models_dir)
        .env_remove("LOBSTER_TOKENIZER")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn list_shows_the_manifest_and_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = lobster(dir.path(), &["models", "list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with(&format!("models directory: {}\n", dir.path().display())),
        "{text}"
    );
    assert!(text.contains("* qwen2.5-0.5b-instruct-q4_0"), "{text}");
    assert!(text.contains("qwen3-0.6b-q8_0"), "{text}");
    assert!(text.contains("428.7 MB"), "{text}");
    assert!(!text.contains("yes  "), "nothing is installed: {text}");
}

#[test]
fn generate_tiny_then_import_it_then_list_it() {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    let out = dir.path().join("tiny.gguf");
    let output = lobster(
        &models,
        &["models", "generate", "tiny", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("random-weight Qwen2 tiny (q8_0)"),
        "{}",
        stdout(&output)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"GGUF");
    // The same generator as the tests' cached tiny model: identical bytes.
    assert_eq!(
        bytes,
        std::fs::read(lobster_models::tiny_model_path().unwrap()).unwrap()
    );

    let output = lobster(&models, &["models", "import", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(&format!("as {}", models.join("tiny.gguf").display())),
        "{text}"
    );
    assert!(
        text.contains("checked: GGUF header, architecture"),
        "{text}"
    );
    assert_eq!(std::fs::read(models.join("tiny.gguf")).unwrap(), bytes);

    let output = lobster(&models, &["models", "list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("other installed models:"), "{text}");
    assert!(
        text.contains(&models.join("tiny.gguf").display().to_string()),
        "{text}"
    );

    // Importing again does not overwrite.
    let output = lobster(&models, &["models", "import", out.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("already installed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn import_refuses_a_file_that_is_not_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.gguf");
    std::fs::write(&file, "not a model").unwrap();
    let output = lobster(
        &dir.path().join("models"),
        &["models", "import", file.to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a GGUF file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn import_under_a_manifest_name_checks_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = lobster_models::tiny_model_path().unwrap();
    let output = lobster(
        &dir.path().join("models"),
        &[
            "models",
            "import",
            tiny.to_str().unwrap(),
            "--name",
            "qwen2.5-0.5b-instruct-q4_0",
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("expected 428730208"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn pull_reports_an_unknown_name_and_a_dead_network() {
    let dir = tempfile::tempdir().unwrap();
    let output = lobster(dir.path(), &["models", "pull", "no-such-model"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown model `no-such-model`"),
        "{}",
        stderr(&output)
    );

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let url = format!("http://{address}/model.gguf");
    let output = lobster(
        dir.path(),
        &[
            "models",
            "pull",
            "qwen2.5-0.5b-instruct-q4_0",
            "--url",
            &url,
        ],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("could not reach") && message.contains("is the network up?"),
        "{message}"
    );
    assert!(
        !dir.path()
            .join("qwen2.5-0.5b-instruct-q4_0.gguf.part")
            .exists()
    );
}

#[test]
fn generate_qwen_shape_without_a_tokenizer_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q.gguf");
    let output = lobster(
        dir.path(),
        &[
            "models",
            "generate",
            "qwen2.5-0.5b",
            "--tokenizer",
            dir.path().join("missing.json").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("missing.json"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

#[test]
fn run_with_the_local_planner_on_the_tiny_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = lobster_models::tiny_model_path().unwrap();
    let output = lobster(
        dir.path(),
        &[
            "run",
            "--device",
            "sim",
            "--task",
            "wifi_off",
            "--planner",
            "local",
            "--model",
            model.to_str().unwrap(),
            "--threads",
            "2",
            "--max-steps",
            "3",
        ],
    );
    let text = stdout(&output);
    // Random weights rarely reach the goal; the run must plan real steps with the local model
    // and end with a result line either way.
    assert!(text.contains("step 1: "), "{text}{}", stderr(&output));
    assert!(text.contains("[local"), "{text}");
    assert!(text.contains("result: "), "{text}");
}

/// `lobster run --json` of the sim's wifi_off task with the local planner on the tiny Qwen3.5
/// model, without the rules, at most `max_steps` steps and `extra` flags: the chosen steps'
/// events.
fn qwen35_steps(dir: &Path, max_steps: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let model = lobster_models::tiny_qwen35_model_path().unwrap();
    let mut args = vec![
        "run",
        "--device",
        "sim",
        "--task",
        "wifi_off",
        "--planner",
        "local",
        "--no-rules",
        "--model",
        model.to_str().unwrap(),
        "--threads",
        "2",
        "--max-steps",
        max_steps,
        "--json",
    ];
    args.extend_from_slice(extra);
    let output = lobster(dir, &args);
    let steps: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|event| event["event"] == "action_chosen")
        .collect();
    assert!(!steps.is_empty(), "no step: {}", stderr(&output));
    steps
}

#[test]
fn run_json_on_a_qwen35_model_reports_the_evaluated_tokens_of_each_step() {
    let dir = tempfile::tempdir().unwrap();
    let steps = qwen35_steps(dir.path(), "3", &[]);
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(steps[0]["cached_tokens"], 0);
    for step in &steps[1..] {
        // The hybrid memory's checkpoints: a later step evaluates its new part only.
        let evaluated = step["evaluated_tokens"].as_u64().unwrap();
        let cached = step["cached_tokens"].as_u64().unwrap();
        assert!(cached > evaluated && evaluated > 0, "{step}");
    }
}

/// `--prompt-cache DIR`: the first run saves the evaluated system prompts there, and the next
/// run (a new process) loads the step prompt's instead of evaluating it.
#[test]
fn a_prompt_cache_saves_the_system_prompts_for_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("prompts");
    let first_step = || {
        qwen35_steps(
            dir.path(),
            "1",
            &["--prompt-cache", cache.to_str().unwrap()],
        )[0]
        .clone()
    };
    let cold = first_step();
    assert_eq!(cold["cached_tokens"], 0, "{cold}");
    let saved = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(saved, 2, "the planning and the step prompts");
    let warm = first_step();
    let tokens = |event: &serde_json::Value, key: &str| event[key].as_u64().unwrap();
    assert!(tokens(&warm, "cached_tokens") >= 100, "{warm}");
    // The same prompt: what the cold run evaluated, the warm one loaded or evaluated.
    assert_eq!(
        tokens(&warm, "cached_tokens") + tokens(&warm, "prompt_tokens"),
        tokens(&cold, "prompt_tokens"),
        "{warm}"
    );
}

#[test]
fn run_with_a_missing_default_model_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = lobster(
        dir.path(),
        &["run", "--task", "wifi_off", "--planner", "local"],
    );
    assert!(!output.status.success());
    let error = stderr(&output);
    assert!(
        error.contains("lobster models pull qwen2.5-0.5b-instruct-q4_0")
            && error.contains("lobster models import"),
        "{error}"
    );
}
