//! The cloud planner end to end: real sim tasks through `Agent::run`, the real `CloudPlanner`
//! over HTTP to a real OpenAI-protocol server on 127.0.0.1, and the server's faults (429 with
//! `Retry-After`, 500, stalls past the timeout, malformed and truncated bodies, dropped
//! connections, answers naming ids that are not on screen, a server without structured output).
//! Each run must finish or stop with the right reason within its time bounds, and what reached
//! the server must hold no personal data from the phone and the key only in its header.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use lobster_core::action::Intent;
use lobster_core::agent::{Agent, AgentConfig, CancelToken, TaskIo, TaskResult, TaskStatus};
use lobster_core::device::{AppActionInfo, AppInfo, Device as _};
use lobster_core::planner::{
    ApiKey, CloudConfig, CloudPlanner, CloudStats, OutputMode, PlanError, PlannedAction, Planner,
    Route, StepRequest, TaskPlan,
};
use lobster_core::policy::SecretStore;
use lobster_core::policy::redact::find_sensitive;
use lobster_core::screen::EncodedScreen;
use lobster_sim::{Faults, Message, Sim, SimConfig, SimState, SimTask, Thread, tasks};
use lobster_tests::{
    CloudOracle, EventLog, OpenAiServer, RecordedRequest, Reply, ScriptHandle, ServerDialect,
    SolverPlanner, task_request,
};

const KEY: &str = "sk-test-lobster-7f3a9c0e55d1";
/// A one-time code the tests put in the Messages inbox.
const OTP: &str = "482913";

/// The number in the next config's model name.
static NEXT_MODEL: AtomicU32 = AtomicU32::new(1);

fn config(server: &OpenAiServer) -> CloudConfig {
    CloudConfig {
        api_key: Some(ApiKey::new(KEY)),
        request_timeout: Duration::from_millis(500),
        deadline: Duration::from_secs(5),
        max_retries: 3,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        // A model name of its own for each config: what a planner learns about an endpoint (its
        // dialect) is kept per URL and model for the process, and a later test's server may get
        // the port an earlier one had.
        ..CloudConfig::new(
            server.base_url(),
            format!("test-model-{}", NEXT_MODEL.fetch_add(1, Ordering::Relaxed)),
        )
    }
}

/// The phone as every task here starts: the sim's seeded state plus a bank's one-time code in
/// the Messages inbox.
fn add_otp_message(state: &mut SimState) {
    state.threads.insert(
        0,
        Thread {
            number: "+1 415-555-0190".into(),
            messages: vec![Message {
                outgoing: false,
                text: format!(
                    "Your Lobster Bank verification code is {OTP}. Do not share it with anyone."
                ),
                time: "08:05".into(),
            }],
        },
    );
}

struct Outcome {
    result: TaskResult,
    log: EventLog,
    sim: Sim,
    stats: CloudStats,
    oracle: CloudOracle,
    elapsed: Duration,
}

fn run(
    task: &SimTask,
    server: &OpenAiServer,
    config: CloudConfig,
    cancel: &CancelToken,
) -> Outcome {
    let mut sim = task.sim(Faults::none());
    sim.handle().update(add_otp_message);
    let cloud = CloudPlanner::new(config).unwrap();
    let mut oracle = CloudOracle::new(
        SolverPlanner::ui_only(task, sim.handle()),
        cloud,
        server.script(),
    );
    let log = EventLog::new(true);
    let agent = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    });
    let started = Instant::now();
    let result = agent.run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner: &mut oracle,
            listener: &log,
            cancel,
            trajectory: None,
        },
    );
    let elapsed = started.elapsed();
    Outcome {
        result,
        log,
        stats: oracle.cloud().stats(),
        sim,
        oracle,
        elapsed,
    }
}

fn wifi_off() -> SimTask {
    SimTask::named("wifi_off", 0).unwrap()
}

fn succeeded(outcome: &Outcome, task: &SimTask) {
    assert!(
        matches!(outcome.result.status, TaskStatus::Succeeded { .. }),
        "{}: {:?}\nrejections: {:?}",
        task.name,
        outcome.result.status,
        outcome.log.rejections()
    );
    let answer = match &outcome.result.status {
        TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer.as_str()),
        _ => None,
    };
    let state = outcome.sim.handle().snapshot();
    if let Err(problem) = task.check(&state, answer) {
        panic!("{}: check failed: {problem}", task.name);
    }
    assert!(
        outcome.oracle.disagreements.is_empty(),
        "{}: {:?}",
        task.name,
        outcome.oracle.disagreements
    );
}

fn failed_with(outcome: &Outcome, needle: &str) {
    match &outcome.result.status {
        TaskStatus::Failed { reason } => {
            assert!(
                reason.contains(needle),
                "reason {reason:?} lacks {needle:?}"
            )
        }
        other => panic!("expected a failure with {needle:?}, got {other:?}"),
    }
}

/// The personal values on the phone that must never reach the server: contacts' numbers and
/// addresses, the owner's number, the one-time code, Wi-Fi passwords.
fn private_values(state: &SimState) -> Vec<String> {
    let mut values = vec![OTP.to_owned(), state.about.phone_number.clone()];
    for contact in &state.contacts {
        values.push(contact.mobile.clone());
        values.extend(contact.work.clone());
        values.extend(contact.email.clone());
    }
    for network in &state.settings.networks {
        if !network.password.is_empty() {
            values.push(network.password.clone());
        }
    }
    values
}

fn assert_nothing_private_sent(requests: &[RecordedRequest], state: &SimState, goal: &str) {
    let values = private_values(state);
    for request in requests {
        assert_eq!(request.path, "/v1/chat/completions");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        for (name, value) in &request.headers {
            if name != "authorization" {
                assert!(!value.contains(KEY), "the key in header {name}");
            }
        }
        assert!(!request.body.contains(KEY), "the key in the body");
        for value in &values {
            assert!(
                !request.body.contains(value.as_str()),
                "{value:?} reached the server for {goal:?}:\n{}",
                request.prompt()
            );
        }
        let prompt = request.prompt();
        let found = find_sensitive(&prompt);
        assert!(
            found.is_empty(),
            "unmasked {:?} in the prompt for {goal:?}",
            found
                .iter()
                .map(|finding| &prompt[finding.range.clone()])
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_sim_task_completes_through_the_cloud_planner_and_nothing_private_leaves() {
    let server = OpenAiServer::start().unwrap();
    let mut placeholders_typed = 0;
    let mut screens_with_otp = 0;
    let mut steps = 0;
    for task in tasks() {
        let before = server.requests().len();
        let outcome = run(&task, &server, config(&server), &CancelToken::new());
        succeeded(&outcome, &task);
        assert!(
            outcome.oracle.leaks.is_empty(),
            "{}: {:?}",
            task.name,
            outcome.oracle.leaks
        );
        let requests = server.requests()[before..].to_vec();
        let state = outcome.sim.handle().snapshot();
        assert_nothing_private_sent(&requests, &state, &task.goal);
        screens_with_otp += requests
            .iter()
            .filter(|request| request.prompt().contains("verification code is {code_"))
            .count();
        placeholders_typed += outcome
            .oracle
            .answers
            .iter()
            .filter(|answer| answer.contains("{phone_"))
            .count();
        for (_, _, meta) in outcome.log.chosen() {
            assert_eq!(meta.planner, "cloud");
        }
        assert_eq!(outcome.stats.invalid_outputs, 0, "{}", task.name);
        steps += outcome.result.steps;
    }
    eprintln!(
        "{} requests for {steps} steps; {placeholders_typed} answers typed a phone placeholder; \
         {screens_with_otp} prompts showed the masked code",
        server.requests().len()
    );
    assert!(placeholders_typed >= 2, "no task typed a masked number");
    assert!(screens_with_otp >= 1, "no prompt showed the inbox");
}

#[test]
fn usage_is_recorded_per_step() {
    let server = OpenAiServer::start().unwrap();
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    let reported: Vec<(u32, u32)> = server
        .requests()
        .iter()
        .filter_map(|request| request.reported_usage)
        .collect();
    let metas: Vec<(u32, u32)> = outcome
        .log
        .chosen()
        .iter()
        .map(|(_, _, meta)| (meta.prompt_tokens, meta.generated_tokens))
        .collect();
    assert_eq!(metas, reported);
    assert!(metas.iter().all(|(prompt, _)| *prompt > 100));
    assert_eq!(
        outcome.stats.prompt_tokens,
        reported
            .iter()
            .map(|(prompt, _)| u64::from(*prompt))
            .sum::<u64>()
    );
    assert_eq!(
        outcome.result.tokens,
        outcome.stats.prompt_tokens + outcome.stats.completion_tokens
    );
}

#[test]
fn a_429_with_retry_after_is_waited_out() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::rate_limited(1));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    let requests = server.requests();
    let waited = requests[1].at - requests[0].at;
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(
        outcome.elapsed < Duration::from_secs(4),
        "{:?}",
        outcome.elapsed
    );
    assert_eq!(outcome.stats.retries, 1);
}

#[test]
fn a_retry_after_past_the_deadline_fails_the_step_at_once() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::rate_limited(30));
    let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "HTTP 429");
    failed_with(&outcome, "past the step deadline");
    assert!(
        outcome.elapsed < Duration::from_secs(1),
        "{:?}",
        outcome.elapsed
    );
    assert_eq!(server.requests().len(), 1);
}

/// Runs `wifi_off` against a server whose first reply is `reply` (a 429 asking for a wait
/// longer than the step allows) and checks that the step fails at once, cleanly, after one
/// request.
fn fails_at_once_past_the_deadline(reply: Reply) {
    let server = OpenAiServer::start().unwrap();
    server.script().push(reply);
    let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "HTTP 429");
    failed_with(
        &outcome,
        "the server asked to wait past the step deadline (",
    );
    assert!(
        outcome.elapsed < Duration::from_secs(1),
        "{:?}",
        outcome.elapsed
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_retry_after_of_1e20_seconds_fails_the_step_at_once() {
    fails_at_once_past_the_deadline(Reply::rate_limited_with(&["1e20"]));
}

#[test]
fn a_retry_after_of_ten_quintillion_seconds_fails_the_step_at_once() {
    fails_at_once_past_the_deadline(Reply::rate_limited_with(&["10000000000000000000"]));
}

#[test]
fn an_infinite_retry_after_fails_the_step_at_once() {
    fails_at_once_past_the_deadline(Reply::rate_limited_with(&["inf"]));
}

#[test]
fn an_absurd_retry_after_ms_fails_the_step_at_once() {
    fails_at_once_past_the_deadline(Reply::throttled_with("retry-after-ms", &["1e30"]));
}

#[test]
fn a_retry_after_date_in_the_year_9999_fails_the_step_at_once() {
    fails_at_once_past_the_deadline(Reply::rate_limited_with(&["Fri, 31 Dec 9999 23:59:59 GMT"]));
}

/// Waits out one 429 carrying `values` and returns the pause between the two requests.
fn pause_after(values: &[&str]) -> Duration {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::rate_limited_with(values));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 1);
    let requests = server.requests();
    requests[1].at - requests[0].at
}

#[test]
fn of_several_retry_after_headers_the_longest_readable_wait_is_kept() {
    // Not a number, negative, a word, a date long past: none of them asks for a wait, and
    // none may be read as a longer one.
    let waited = pause_after(&["NaN", "-3", "soon", "Sun, 06 Nov 1994 08:49:37 GMT", "1"]);
    assert!(
        (Duration::from_millis(950)..Duration::from_secs(2)).contains(&waited),
        "waited {waited:?}"
    );
}

/// `now + seconds` as an HTTP date in IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date_in(seconds: u64) -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(seconds))
}

#[test]
fn a_retry_after_date_in_asctime_format_is_waited_out() {
    // "Sun, 06 Nov 1994 08:49:37 GMT" → "Sun Nov  6 08:49:37 1994".
    let imf = http_date_in(2);
    let [weekday, day, month, year, time, _] = imf.split(' ').collect::<Vec<_>>()[..] else {
        panic!("{imf}");
    };
    let day: u32 = day.parse().unwrap();
    let asctime = format!("{} {month} {day:>2} {time} {year}", &weekday[..3]);
    let waited = pause_after(&[&asctime]);
    assert!(
        (Duration::from_millis(950)..Duration::from_secs(3)).contains(&waited),
        "{asctime}: waited {waited:?}"
    );
}

#[test]
fn a_retry_after_date_in_rfc_850_format_is_waited_out() {
    // "Sun, 06 Nov 1994 08:49:37 GMT" → "Sunday, 06-Nov-94 08:49:37 GMT".
    let imf = http_date_in(2);
    let [weekday, day, month, year, time, _] = imf.split(' ').collect::<Vec<_>>()[..] else {
        panic!("{imf}");
    };
    let weekday = match weekday {
        "Mon," => "Monday",
        "Tue," => "Tuesday",
        "Wed," => "Wednesday",
        "Thu," => "Thursday",
        "Fri," => "Friday",
        "Sat," => "Saturday",
        _ => "Sunday",
    };
    let rfc850 = format!("{weekday}, {day}-{month}-{} {time} GMT", &year[2..]);
    let waited = pause_after(&[&rfc850]);
    assert!(
        (Duration::from_millis(950)..Duration::from_secs(3)).contains(&waited),
        "{rfc850}: waited {waited:?}"
    );
}

#[test]
fn usage_out_of_range_is_clamped_and_cached_tokens_never_exceed_the_prompt() {
    let server = OpenAiServer::start().unwrap();
    let completion = |action: &str, usage: serde_json::Value| {
        let body = serde_json::json!({
            "choices": [{"message": {"role": "assistant", "content": action}}],
            "usage": usage,
        });
        Reply::RawBody(body.to_string())
    };
    // Step 1: more cached tokens than prompt tokens. Step 2: every count at u64::MAX.
    server.script().push(completion(
        "open \"Settings\"",
        serde_json::json!({"prompt_tokens": 100, "completion_tokens": 5,
                           "prompt_tokens_details": {"cached_tokens": 900}}),
    ));
    server.script().push(completion(
        "tap 9",
        serde_json::json!({"prompt_tokens": u64::MAX, "completion_tokens": u64::MAX,
                           "prompt_tokens_details": {"cached_tokens": u64::MAX}}),
    ));
    let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
    // Four billion tokens spend the task's token budget: it stops, cleanly, after step 2.
    assert_eq!(
        outcome.result.status,
        TaskStatus::BudgetExhausted {
            budget: "tokens".into()
        }
    );
    let metas: Vec<_> = outcome
        .log
        .chosen()
        .into_iter()
        .map(|(_, _, meta)| {
            (
                meta.prompt_tokens,
                meta.cached_tokens,
                meta.generated_tokens,
            )
        })
        .collect();
    // The cached tokens are part of the prompt: at most all of it, none left to evaluate.
    assert_eq!(metas, [(0, 100, 5), (0, u32::MAX, u32::MAX)]);
    assert!(outcome.stats.cached_tokens <= outcome.stats.prompt_tokens);
    assert!(outcome.stats.prompt_tokens >= 100 + u64::from(u32::MAX));
}

#[test]
fn overload_and_gateway_errors_are_retried_with_backoff() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .push(Reply::status(503, "The engine is currently overloaded"));
    server.script().push(Reply::status(502, "bad gateway"));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 2);
    let requests = server.requests();
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(10));
    assert!(
        outcome.elapsed < Duration::from_secs(3),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn a_request_that_cannot_succeed_is_not_retried_and_the_key_is_scrubbed() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::status(
        401,
        &format!("Incorrect API key provided: {KEY}. You can find your API key at …"),
    ));
    let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "HTTP 401");
    failed_with(&outcome, "Incorrect API key provided: ***");
    let TaskStatus::Failed { reason } = &outcome.result.status else {
        unreachable!()
    };
    assert!(!reason.contains(KEY));
    assert_eq!(server.requests().len(), 1);
    assert!(
        outcome.elapsed < Duration::from_secs(1),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn a_stalled_response_times_out_and_is_retried() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::stall(Duration::from_secs(10)));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 1);
    // One 500 ms timeout, then fast steps.
    assert!(
        outcome.elapsed >= Duration::from_millis(480),
        "{:?}",
        outcome.elapsed
    );
    assert!(
        outcome.elapsed < Duration::from_secs(3),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn a_server_that_always_stalls_fails_the_task_within_the_step_deadline() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .set_fallback(Some(Reply::stall(Duration::from_secs(30))));
    let config = CloudConfig {
        request_timeout: Duration::from_millis(400),
        deadline: Duration::from_secs(1),
        max_retries: 10,
        ..config(&server)
    };
    let outcome = run(&wifi_off(), &server, config, &CancelToken::new());
    failed_with(&outcome, "cloud planner");
    assert!(
        outcome.elapsed >= Duration::from_millis(900) && outcome.elapsed < Duration::from_secs(2),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn cancelling_during_a_stall_returns_promptly() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .set_fallback(Some(Reply::stall(Duration::from_secs(30))));
    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            cancel.cancel();
        })
    };
    let config = CloudConfig {
        request_timeout: Duration::from_secs(20),
        deadline: Duration::from_secs(30),
        ..config(&server)
    };
    let outcome = run(&wifi_off(), &server, config, &cancel);
    canceller.join().unwrap();
    assert_eq!(outcome.result.status, TaskStatus::Cancelled);
    assert!(
        outcome.elapsed < Duration::from_millis(800),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn malformed_json_is_retried_and_a_server_that_only_sends_it_fails_cleanly() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .push(Reply::RawBody("{\"choices\": [{\"message\": ".into()));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 1);

    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .set_fallback(Some(Reply::RawBody("<html>502 Bad Gateway</html>".into())));
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "not valid JSON");
    assert_eq!(server.requests().len(), 4, "one attempt and three retries");
    assert!(
        outcome.elapsed < Duration::from_secs(2),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn a_truncated_body_is_retried() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::Truncated);
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 1);

    let server = OpenAiServer::start().unwrap();
    server.script().set_fallback(Some(Reply::Truncated));
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "reading the response body");
}

#[test]
fn a_dropped_connection_is_retried() {
    let server = OpenAiServer::start().unwrap();
    server.script().push(Reply::Drop);
    server.script().push(Reply::Drop);
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.retries, 2);

    let server = OpenAiServer::start().unwrap();
    server.script().set_fallback(Some(Reply::Drop));
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "sending the request");
}

#[test]
fn an_unreachable_server_fails_within_the_deadline() {
    // Bind a port, then free it: nothing listens there.
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let server = OpenAiServer::start().unwrap();
    let config = CloudConfig {
        base_url: format!("http://{address}/v1"),
        ..config(&server)
    };
    let outcome = run(&wifi_off(), &server, config, &CancelToken::new());
    failed_with(&outcome, "could not connect");
    assert!(
        outcome.elapsed < Duration::from_secs(3),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn answers_that_do_not_fit_the_screen_are_rejected_and_never_acted_on() {
    let server = OpenAiServer::start().unwrap();
    let script = server.script();
    // Two bad answers in a row, a good one, another bad one: the loop allows three in a row.
    script.push(Reply::action("tap 999"));
    script.push(Reply::Content(
        "Sure! I'd be happy to help you turn off Wi-Fi.".into(),
    ));
    script.push(Reply::Oracle);
    script.push(Reply::action("done \"{phone_7}\""));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.invalid_outputs, 3);
    let rejections = outcome.log.rejections();
    assert_eq!(rejections.len(), 3, "{rejections:?}");
    assert!(
        rejections[0].contains("there is no element 999"),
        "{rejections:?}"
    );
    assert!(
        rejections[1].contains("unknown action \"Sure!\""),
        "{rejections:?}"
    );
    assert!(rejections[2].contains("{phone_7}"), "{rejections:?}");
    // The model is told what was wrong.
    let requests = server.requests();
    assert!(
        requests[1]
            .prompt()
            .contains("rejected: there is no element 999")
    );

    let server = OpenAiServer::start().unwrap();
    server.script().set_fallback(Some(Reply::action("tap 999")));
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    failed_with(&outcome, "3 invalid actions in a row");
    assert_eq!(outcome.sim.actions(), 0, "nothing was acted on");
}

#[test]
fn a_server_without_structured_output_max_tokens_or_temperature_is_adapted_to() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .reject_parameters(&["response_format", "max_tokens", "temperature"]);
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.output_mode, OutputMode::Text);
    let requests = server.requests();
    // One 400 per parameter (two for the output mode's two steps down), on the first step
    // only; plain text from then on.
    assert_eq!(outcome.stats.adaptations, 4);
    assert_eq!(requests.len() as u32, outcome.result.steps + 4);
    assert_eq!(requests[0].json()["response_format"]["type"], "json_schema");
    assert_eq!(requests[1].json()["response_format"]["type"], "json_object");
    let last = requests.last().unwrap();
    assert!(!last.asks_for_json_schema());
    assert!(last.json().get("temperature").is_none());
    assert_eq!(last.json()["max_completion_tokens"], 256);
    assert!(!last.prompt().contains("JSON"));
    assert!(last.prompt().contains("Reply with exactly one action line"));
    assert!(
        requests[0]
            .prompt()
            .contains("Reply with exactly one JSON object")
    );
}

/// A cloud "model" that answers each step from a list of rules over the screen's labels, for a
/// flow no sim task covers.
struct ByLabel {
    cloud: CloudPlanner,
    script: ScriptHandle,
    steps: Vec<fn(&EncodedScreen) -> String>,
}

/// The id of the first element whose label starts with `label` (a row before its switch).
fn id_of(screen: &EncodedScreen, label: &str) -> u32 {
    let matching = || {
        screen
            .elements
            .iter()
            .filter(|element| element.label.starts_with(label))
    };
    matching()
        .find(|element| !element.affordances.toggle)
        .or_else(|| matching().next())
        .unwrap_or_else(|| panic!("no {label:?} on\n{}", screen.text))
        .id
}

impl Planner for ByLabel {
    fn name(&self) -> &str {
        "cloud"
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let rule = self.steps.remove(0);
        self.script
            .set_oracle_answer(&rule(request.screen), "by label");
        self.cloud.next_action(request, cancel)
    }
}

#[test]
fn a_wifi_password_typed_as_a_secret_never_reaches_the_server() {
    const PASSWORD: &str = "owl-canyon-12";
    let server = OpenAiServer::start().unwrap();
    let mut secrets = SecretStore::new();
    secrets.insert("wifi", PASSWORD).unwrap();
    let mut planner = ByLabel {
        cloud: CloudPlanner::new(config(&server)).unwrap(),
        script: server.script(),
        steps: vec![
            |_| "open \"Settings\"".into(),
            |screen| format!("tap {}", id_of(screen, "Network & internet")),
            |screen| format!("tap {}", id_of(screen, "Wi-Fi")),
            |screen| format!("tap {}", id_of(screen, "NETGEAR-7F")),
            |screen| format!("type {} \"{{secret:wifi}}\"", id_of(screen, "Password")),
            |screen| format!("tap {}", id_of(screen, "Connect")),
            |_| "done".into(),
        ],
    };
    let mut sim = Sim::new(SimConfig::default());
    let log = EventLog::new(true);
    let result = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        secrets,
        ..AgentConfig::default()
    })
    .run(
        "Join the NETGEAR-7F network with my saved Wi-Fi password",
        TaskIo {
            device: &mut sim,
            planner: &mut planner,
            listener: &log,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    assert!(
        matches!(result.status, TaskStatus::Succeeded { .. }),
        "{:?} {:?}",
        result.status,
        log.chosen()
    );
    let state = sim.handle().snapshot();
    assert_eq!(state.settings.wifi_network.as_deref(), Some("NETGEAR-7F"));
    let requests = server.requests();
    assert_eq!(requests.len(), 7);
    for request in &requests {
        assert!(!request.body.contains(PASSWORD), "{}", request.prompt());
    }
    let typed = requests[5].prompt();
    assert!(typed.contains("\"{secret:wifi}\""), "{typed}");
    assert!(typed.contains("(field, password, filled"), "{typed}");
}

/// A server speaking `dialect`.
fn server_speaking(dialect: ServerDialect) -> OpenAiServer {
    let server = OpenAiServer::start().unwrap();
    server.script().set_dialect(dialect);
    server
}

/// Requests the server refused (answered without a completion).
fn refused(requests: &[RecordedRequest]) -> usize {
    requests
        .iter()
        .filter(|request| request.reported_usage.is_none())
        .count()
}

#[test]
fn every_real_server_dialect_completes_sim_tasks_through_the_cloud_planner() {
    let tasks = [
        wifi_off(),
        SimTask::named("share_contact_number", 0).unwrap(),
    ];
    for dialect in ServerDialect::REAL {
        let server = server_speaking(dialect);
        let mut cached = 0;
        let mut modes = Vec::new();
        // One endpoint and model for both tasks: the second planner starts where the first
        // ended.
        let config = config(&server);
        for task in &tasks {
            let outcome = run(task, &server, config.clone(), &CancelToken::new());
            succeeded(&outcome, task);
            assert_eq!(outcome.stats.invalid_outputs, 0, "{dialect:?}");
            cached += outcome.stats.cached_tokens;
            modes.push(outcome.stats.output_mode);
        }
        let requests = server.requests();
        let formats: Vec<String> = requests
            .iter()
            .map(|request| {
                request.json()["response_format"]["type"]
                    .as_str()
                    .unwrap_or("text")
                    .to_owned()
            })
            .collect();
        match dialect {
            // One refused request (the 500) in the whole process, then json_object with the
            // schema beside it; the second task's planner starts there.
            ServerDialect::LlamaCppPython => {
                assert_eq!(refused(&requests), 1, "{formats:?}");
                assert_eq!(formats[0], "json_schema");
                assert!(formats[1..].iter().all(|format| format == "json_object"));
                assert!(
                    requests[1].json()["response_format"]["schema"]["properties"]["action"]
                        .is_object()
                );
                assert_eq!(modes, [OutputMode::JsonObject, OutputMode::JsonObject]);
            }
            // `max_tokens`, then `temperature`, each refused once.
            ServerDialect::OpenAiReasoning => {
                assert_eq!(refused(&requests), 2, "{formats:?}");
                let last = requests.last().unwrap().json();
                assert!(last.get("max_tokens").is_none() && last.get("temperature").is_none());
                assert_eq!(last["max_completion_tokens"], 256);
            }
            _ => {
                assert_eq!(refused(&requests), 0, "{dialect:?}");
                assert!(formats.iter().all(|format| format == "json_schema"));
            }
        }
        // The servers that report their prompt cache were credited with it.
        let reports_cache = matches!(
            dialect,
            ServerDialect::LlamaServer
                | ServerDialect::OpenAi
                | ServerDialect::OpenAiReasoning
                | ServerDialect::DashScope
        );
        assert_eq!(cached > 0, reports_cache, "{dialect:?}: {cached}");
    }
}

#[test]
fn json_modes_ask_for_json_and_text_mode_for_an_action_line_never_both() {
    let server = server_speaking(ServerDialect::LlamaCppPython);
    let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &wifi_off());
    for request in server.requests() {
        let prompt = request.prompt();
        assert!(
            prompt.contains("Reply with exactly one JSON object"),
            "{prompt}"
        );
        assert!(!prompt.contains("action line"), "{prompt}");
    }
    let server = OpenAiServer::start().unwrap();
    let text_only = CloudConfig {
        output_mode: Some(OutputMode::Text),
        ..config(&server)
    };
    let outcome = run(&wifi_off(), &server, text_only, &CancelToken::new());
    succeeded(&outcome, &wifi_off());
    for request in server.requests() {
        assert!(request.json().get("response_format").is_none());
        let prompt = request.prompt();
        assert!(
            prompt.contains("Reply with exactly one action line"),
            "{prompt}"
        );
        assert!(!prompt.contains("JSON"), "{prompt}");
    }
}

#[test]
fn a_forced_output_mode_the_server_refuses_fails_once_and_says_why() {
    let server = server_speaking(ServerDialect::LlamaCppPython);
    let forced = CloudConfig {
        output_mode: Some(OutputMode::JsonSchema),
        ..config(&server)
    };
    let outcome = run(&wifi_off(), &server, forced, &CancelToken::new());
    failed_with(&outcome, "HTTP 500");
    failed_with(
        &outcome,
        "the output mode json_schema is set by the configuration",
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn refusals_that_would_fail_again_are_never_retried_whatever_their_status() {
    for (status, message) in [
        (
            500,
            "1 validation error for ChatCompletionRequest\nmessages.0.role\n  Input should be \
             'system', 'user' or 'assistant'",
        ),
        (
            500,
            "The server had an error while processing your request.",
        ),
        (
            503,
            "The model `qwen-max` does not exist or you do not have access to it.",
        ),
        (
            429,
            "You exceeded your current quota, please check your plan and billing details.",
        ),
        (404, "model 'qwen3' not found"),
        (422, "Unprocessable"),
    ] {
        let server = OpenAiServer::start().unwrap();
        server.script().push(Reply::status(status, message));
        let outcome = run(&wifi_off(), &server, config(&server), &CancelToken::new());
        failed_with(&outcome, &format!("HTTP {status}"));
        assert_eq!(server.requests().len(), 1, "{status} {message}");
        assert_eq!(outcome.stats.retries, 0);
    }
}

#[test]
fn near_json_is_read_and_a_reply_with_two_actions_is_refused() {
    let server = server_speaking(ServerDialect::LlamaCppPython);
    // A small model's json_object output with the inner quotes unescaped, and a raw newline.
    server.script().push(Reply::Content(
        "{\"action\": \"open \"Settings\"\", \"reason\": \"the \"Settings\" app\nhas it\"}".into(),
    ));
    // Two actions on two lines: one step's answer must be exactly one action.
    server.script().push(Reply::Content("back\nhome".into()));
    let task = wifi_off();
    let outcome = run(&task, &server, config(&server), &CancelToken::new());
    succeeded(&outcome, &task);
    assert_eq!(outcome.stats.invalid_outputs, 1);
    let rejections = outcome.log.rejections();
    assert_eq!(rejections.len(), 1, "{rejections:?}");
    assert!(
        rejections[0].contains("the reply holds more than one action"),
        "{rejections:?}"
    );
    let first = &outcome.log.chosen()[0];
    assert_eq!(first.1, "open \"Settings\"");
}

/// The sim's apps and app actions, for a planning turn outside a task.
fn phone(sim: &mut Sim) -> (Vec<AppInfo>, Vec<AppActionInfo>) {
    (sim.installed_apps().unwrap(), sim.app_actions().unwrap())
}

#[test]
fn the_cloud_plans_a_task_by_intent_and_the_loop_runs_it_without_a_step_request() {
    let server = OpenAiServer::start().unwrap();
    server.script().push_plan(Reply::Content(
        serde_json::json!({"subgoals": [{"goal": "Set the Gym alarm", "route": {
            "kind": "intent", "name": "set_alarm",
            "args": {"hour": 6, "minute": 45, "label": "Gym"}}}]})
        .to_string(),
    ));
    let task = SimTask::named("alarm_set", 0).unwrap();
    let mut sim = task.sim(Faults::none());
    let mut cloud = CloudPlanner::new(config(&server)).unwrap();
    let log = EventLog::new(true);
    let result = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    })
    .run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner: &mut cloud,
            listener: &log,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    assert!(
        matches!(result.status, TaskStatus::Succeeded { .. }),
        "{:?}",
        result.status
    );
    task.check(&sim.handle().snapshot(), None).unwrap();
    assert_eq!(result.steps, 1);
    let chosen = log.chosen();
    assert_eq!(
        chosen[0].1,
        "intent set_alarm hour=6 minute=45 label=\"Gym\""
    );
    assert_eq!(chosen[0].2.planner, "route");
    // One request, the plan: the route needed no step request.
    assert!(server.requests().is_empty());
    let plans = server.plan_requests();
    assert_eq!(plans.len(), 1);
    let body = plans[0].json();
    assert_eq!(
        body["response_format"]["json_schema"]["name"],
        "lobster_plan"
    );
    assert!(body["response_format"]["json_schema"]["schema"]["properties"]["subgoals"].is_object());
    assert!(
        plans[0]
            .prompt()
            .contains("Goal: Set an alarm for 6:45 labelled Gym")
    );
    assert!(plans[0].prompt().contains("set_alarm hour (0-23)"));
    // The planning turn's cost is the one the server reported for it.
    let usage = cloud.plan_usage();
    let (prompt, completion) = plans[0].reported_usage.unwrap();
    assert!(prompt > 100, "{prompt}");
    assert_eq!(
        (
            usage.prompt_tokens + usage.cached_tokens,
            usage.generated_tokens
        ),
        (prompt, completion)
    );
}

#[test]
fn a_planned_number_is_unmasked_on_the_phone_and_a_bad_plan_leaves_the_goal_to_the_ui() {
    let server = OpenAiServer::start().unwrap();
    let mut sim = Sim::new(SimConfig::default());
    let (apps, actions) = phone(&mut sim);
    let goal = "Send a text message to +1 415-555-0123 saying 'Your table is ready'";
    let request = task_request(goal, &apps, &actions);
    let mut cloud = CloudPlanner::new(config(&server)).unwrap();
    server.script().push_plan(Reply::Content(
        serde_json::json!({"subgoals": [
            {"goal": "Draft the text", "route": {"kind": "intent", "name": "compose_sms",
                "args": {"to": "{phone_1}", "body": "Your table is ready"}}},
            {"goal": "Send it", "route": {"kind": "ui", "app": "Messages"}}]})
        .to_string(),
    ));
    let plan = cloud.plan_task(&request, &CancelToken::new()).unwrap();
    assert_eq!(
        plan.subgoals[0].route,
        Route::Intent(Intent::ComposeSms {
            to: "+1 415-555-0123".into(),
            body: Some("Your table is ready".into()),
        })
    );
    assert_eq!(
        plan.subgoals[1].route,
        Route::Ui {
            app: Some("Messages".into())
        }
    );
    let sent = server.plan_requests()[0].prompt();
    assert!(
        sent.contains("{phone_1}") && !sent.contains("415-555"),
        "{sent}"
    );

    // A plan naming an app the phone lacks, then prose: each is refused whole, and the goal is
    // worked through the UI.
    for reply in [
        serde_json::json!({"subgoals": [{"goal": "x", "route": {"kind": "ui", "app": "Bank"}}]})
            .to_string(),
        "I would open the Messages app and type it.".to_owned(),
    ] {
        server.script().push_plan(Reply::Content(reply));
        let plan = cloud.plan_task(&request, &CancelToken::new()).unwrap();
        assert_eq!(plan, TaskPlan::single_ui(goal));
    }
    assert_eq!(cloud.stats().invalid_outputs, 2);
}

#[test]
fn the_cloud_plans_every_sim_task_and_its_routes_drive_them_end_to_end() {
    // The oracle's plan goes out and back through the real planning turn (masked goal, outline
    // schema, unmasked and checked plan), then its steps through real step requests.
    let server = OpenAiServer::start().unwrap();
    let mut routed = Vec::new();
    for task in tasks() {
        let mut sim = task.sim(Faults::none());
        let oracle = CloudOracle::new(
            SolverPlanner::new(&task, sim.handle()),
            CloudPlanner::new(config(&server)).unwrap(),
            server.script(),
        );
        let mut oracle = oracle.planning_in_the_cloud();
        let plans_before = server.plan_requests().len();
        let log = EventLog::new(true);
        let result = Agent::new(AgentConfig {
            settle_interval: Duration::from_millis(1),
            ..AgentConfig::default()
        })
        .run(
            &task.goal,
            TaskIo {
                device: &mut sim,
                planner: &mut oracle,
                listener: &log,
                cancel: &CancelToken::new(),
                trajectory: None,
            },
        );
        assert!(
            matches!(result.status, TaskStatus::Succeeded { .. }),
            "{}: {:?}",
            task.name,
            result.status
        );
        let answer = match &result.status {
            TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer.as_str()),
            _ => None,
        };
        task.check(&sim.handle().snapshot(), answer)
            .unwrap_or_else(|problem| panic!("{}: {problem}", task.name));
        assert_eq!(
            server.plan_requests().len(),
            plans_before + 1,
            "{}",
            task.name
        );
        assert!(
            oracle.disagreements.is_empty(),
            "{}: {:?}",
            task.name,
            oracle.disagreements
        );
        let usage = oracle.plan_usage();
        assert!(usage.prompt_tokens > 100, "{}: {usage:?}", task.name);
        if result
            .plan
            .subgoals
            .iter()
            .any(|subgoal| !matches!(subgoal.route, Route::Ui { .. }))
        {
            routed.push(task.name);
        }
    }
    // The text's number crossed masked and came back as the real number in the route.
    assert!(routed.contains(&"text_number"), "{routed:?}");
    assert!(routed.len() >= 6, "{routed:?}");
}
