//! The cloud planner's own per-step overhead, the model's time excluded: prompt build +
//! redaction + JSON encode + HTTP over loopback to a server that answers at once + response
//! parse + action parse and validation + unmasking. Target: < 5 ms per step.
//!
//! The server is a few lines of blocking HTTP/1.1 on a thread (keep-alive, a canned
//! completion), so what is measured is the planner, not a server framework. The screen is the
//! simulated Contacts list, full of phone numbers to mask; the answer `done "{phone_1}"` is
//! unmasked on the way back. Beside it, the prompt alone (`CloudPlanner::preview`).
//!
//! Run: `cargo bench -p lobster-sim --bench cloud`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lobster_core::action::GrammarContext;
use lobster_core::agent::CancelToken;
use lobster_core::device::Device;
use lobster_core::planner::{
    ApiKey, CloudConfig, CloudPlanner, Planner, StepMemory, StepRequest, TaskPlan,
};
use lobster_core::screen::{EncodeOptions, encode_with};
use lobster_sim::{Sim, SimConfig};

const GOAL: &str = "Send a text message to +1 415-555-0123 saying 'Your table is ready'";

/// Starts a server on 127.0.0.1 that answers every request with `body` at once.
fn instant_server(body: String) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let body = body.clone();
            std::thread::spawn(move || serve(stream, &body));
        }
    });
    address
}

/// Reads requests (headers, then `content-length` bytes) and answers each with `body`.
fn serve(stream: TcpStream, body: &str) {
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    loop {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
        }
        let mut request = vec![0; length];
        if reader.read_exact(&mut request).is_err()
            || writer.write_all(response.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn bench_cloud(c: &mut Criterion) {
    let content = serde_json::json!({"action": "done \"{phone_1}\"", "reason": "bench"});
    let completion = serde_json::json!({
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string()},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1500, "completion_tokens": 12}
    });
    let address = instant_server(completion.to_string());

    let mut sim = Sim::new(SimConfig::default());
    sim.launch_app("Contacts").unwrap();
    let screen = encode_with(&sim.observe().unwrap(), None, &EncodeOptions::default());
    let context = GrammarContext {
        installed_apps: Some(
            sim.installed_apps()
                .unwrap()
                .into_iter()
                .map(|app| app.label)
                .collect(),
        ),
        allow_intents: true,
        ..GrammarContext::default()
    };
    let plan = TaskPlan::single_ui(GOAL);
    let history: Vec<StepMemory> = (1..=6)
        .map(|step| StepMemory {
            step,
            action: format!("tap {step}"),
            result: format!(
                "screen changed (3 lines)\n+ [{}] Contact {step} | Mobile +1 415-555-01{step:02}\n\
                 - [{step}] Back\n~ [2] Search (was: Search (field, empty))",
                step + 40
            ),
            verified: Some(true),
            repeated: false,
        })
        .collect();
    let mut planner = CloudPlanner::new(CloudConfig {
        api_key: Some(ApiKey::new("sk-bench")),
        request_timeout: Duration::from_secs(5),
        ..CloudConfig::new(format!("http://{address}/v1"), "bench-model")
    })
    .unwrap();
    let cancel = CancelToken::new();
    let mut step = 7;
    let request = |step: u32| StepRequest {
        goal: GOAL,
        task_plan: &plan,
        subgoal: 0,
        screen: &screen,
        grammar: "",
        context: &context,
        history: &history,
        step,
    };
    // Warm the connection and check the round trip once.
    let first = planner.next_action(&request(step), &cancel).unwrap();
    assert_eq!(first.action.to_string(), "done \"+1 415-555-0123\"");

    c.bench_function(
        "cloud prompt + redaction (Contacts screen, 6 steps of history)",
        |b| {
            b.iter(|| {
                step += 1;
                planner.preview(&request(step)).len()
            })
        },
    );
    c.bench_function(
        "cloud step over loopback to an instant server (prompt, redaction, JSON, HTTP, parse, \
         unmask)",
        |b| {
            b.iter(|| {
                step += 1;
                planner.next_action(&request(step), &cancel).unwrap()
            })
        },
    );
    eprintln!(
        "prompt of {} characters; {:?}",
        planner.preview(&request(step + 1)).len(),
        planner.stats()
    );
}

criterion_group!(benches, bench_cloud);
criterion_main!(benches);
