//! `lobster run --planner cloud|hybrid` end to end: the binary against a real OpenAI-protocol
//! server on 127.0.0.1 (scripted with the right answers for the `wifi_off` task), the key from
//! `LOBSTER_API_KEY` only, and clear errors when something is missing.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use lobster_tests::{OpenAiServer, Reply, ServerDialect};

const KEY: &str = "sk-test-cli-31337";

fn lobster(args: &[&str], key: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lobster"));
    command.args(args).env_remove("LOBSTER_API_KEY");
    if let Some(key) = key {
        command.env("LOBSTER_API_KEY", key);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `lobster run --task wifi_off --planner cloud` against `server`, with `extra` arguments.
fn cloud_run(server: &OpenAiServer, extra: &[&str]) -> Output {
    let base_url = server.base_url();
    let mut args = vec![
        "run",
        "--task",
        "wifi_off",
        "--planner",
        "cloud",
        "--base-url",
        &base_url,
        "--model",
        "test-model",
        // The scripted server answers wifi_off's UI steps; the rules would route its first.
        "--no-rules",
    ];
    args.extend_from_slice(extra);
    lobster(&args, Some(KEY))
}

/// The run's stdout, once it is known to have succeeded and passed the task's check.
fn passed(output: &Output) -> String {
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.ends_with("check: passed\n"), "{stdout}");
    stdout
}

/// The server answers the four steps of `wifi_off`.
fn wifi_off_server() -> OpenAiServer {
    let server = OpenAiServer::start().unwrap();
    for action in ["open \"Settings\"", "tap 9", "tap 19", "done"] {
        server.script().push(Reply::action(action));
    }
    server
}

#[test]
fn a_cloud_run_completes_and_says_which_planner_acted() {
    let server = wifi_off_server();
    let output = cloud_run(&server, &[]);
    let stdout = passed(&output);
    assert!(stdout.contains("step 3: tap 19  [cloud]\n"), "{stdout}");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(request.json()["model"], "test-model");
    }
    assert!(!stdout.contains(KEY) && !text(&output.stderr).contains(KEY));
}

#[test]
fn a_hybrid_run_reports_the_routing_reason() {
    let server = wifi_off_server();
    let base_url = server.base_url();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sim/wifi_off.txt");
    let output = lobster(
        &[
            "run",
            "--json",
            "--task",
            "wifi_off",
            "--planner",
            "hybrid",
            "--no-rules",
            "--script",
            script.to_str().unwrap(),
            "--base-url",
            &base_url,
            "--model",
            "test-model",
        ],
        Some(KEY),
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    let events: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let chosen: Vec<&serde_json::Value> = events
        .iter()
        .filter(|event| event["event"] == "action_chosen")
        .collect();
    assert_eq!(chosen.len(), 4);
    for event in chosen {
        assert_eq!(event["planner"], "script");
        assert_eq!(event["planner_reason"], "on device first");
    }
    // The on-device half never got stuck: nothing went to the cloud.
    assert!(server.requests().is_empty());
}

#[test]
fn a_hybrid_run_with_the_on_device_model_escalates_when_it_is_unsure() {
    let server = wifi_off_server();
    let base_url = server.base_url();
    let model = lobster_models::tiny_model_path().unwrap();
    let output = lobster(
        &[
            "run",
            "--task",
            "wifi_off",
            "--planner",
            "hybrid",
            "--no-rules",
            "--local-model",
            model.to_str().unwrap(),
            "--base-url",
            &base_url,
            "--model",
            "test-model",
        ],
        Some(KEY),
    );
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    // The tiny model's random weights are never confident: the cloud takes every step.
    assert!(
        stdout.contains(
            "step 3: tap 19  [cloud: escalated to cloud: on-device confidence 0.00 is below 0.40]\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("check: passed\n"), "{stdout}");
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_server_asking_to_wait_1e20_seconds_fails_the_run_cleanly_within_its_deadline() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .set_fallback(Some(Reply::rate_limited_with(&["1e20"])));
    let started = Instant::now();
    let output = cloud_run(&server, &["--cloud-deadline", "5"]);
    let elapsed = started.elapsed();
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let result: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("result: "))
        .collect();
    assert_eq!(result.len(), 1, "{stdout}");
    assert!(
        result[0].starts_with(
            "result: failed: planner backend failed: cloud planner: HTTP 429: Rate limit reached, \
             please retry; the server asked to wait past the step deadline ("
        ),
        "{stdout}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_server_refusing_json_schema_with_a_500_costs_one_request_per_task_not_four_per_step() {
    // llama-cpp-python's server: `json_schema` is a 500, `json_object` with a schema works.
    let server = wifi_off_server();
    server.script().set_dialect(ServerDialect::LlamaCppPython);
    let started = Instant::now();
    passed(&cloud_run(&server, &[]));
    let format = |request: &lobster_tests::RecordedRequest| {
        request.json()["response_format"]["type"]
            .as_str()
            .unwrap_or("text")
            .to_owned()
    };
    // The task's first request, its planning turn, met the 500 and was asked again as
    // json_object; the four steps went out as json_object at once: one failed request in all.
    let plans: Vec<String> = server.plan_requests().iter().map(format).collect();
    assert_eq!(plans, ["json_schema", "json_object"]);
    let steps: Vec<String> = server.requests().iter().map(format).collect();
    assert_eq!(steps, ["json_object"; 4]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn output_mode_forces_the_answer_format() {
    let server = wifi_off_server();
    let output = cloud_run(&server, &["--output-mode", "text"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests
            .iter()
            .all(|request| request.json().get("response_format").is_none())
    );
    let server = wifi_off_server();
    let output = cloud_run(&server, &["--output-mode", "json_object"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        server
            .requests()
            .iter()
            .all(|request| request.json()["response_format"]["type"] == "json_object")
    );
    let output = cloud_run(&server, &["--output-mode", "xml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("json_schema"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn missing_pieces_fail_with_a_clear_message() {
    let cases: [(&[&str], Option<&str>, &str); 4] = [
        (
            &[
                "run",
                "--task",
                "wifi_off",
                "--planner",
                "cloud",
                "--model",
                "m",
            ],
            None,
            "set LOBSTER_API_KEY",
        ),
        (
            &["run", "--task", "wifi_off", "--planner", "cloud"],
            Some(KEY),
            "need --model NAME",
        ),
        (
            &[
                "run",
                "--task",
                "wifi_off",
                "--planner",
                "hybrid",
                "--model",
                "m",
            ],
            Some(KEY),
            "--planner hybrid needs an on-device half",
        ),
        (
            &[
                "run",
                "--task",
                "wifi_off",
                "--planner",
                "cloud",
                "--model",
                "m",
                "--base-url",
                "http://api.example.com/v1",
            ],
            Some(KEY),
            "plain HTTP would expose the key",
        ),
    ];
    for (args, key, expected) in cases {
        let output = lobster(args, key);
        let stderr = text(&output.stderr);
        assert!(!output.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains(KEY));
    }
}
