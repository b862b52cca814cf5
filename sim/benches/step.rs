//! Core per-step overhead on the simulated phone, the planner excluded: observe + encode (with
//! the previous screen) + grammar + parse + validate + guard. Target: < 2 ms per step in release.
//! Beside it, a whole scripted task through `Agent::run` (act and verify included), per step.
//!
//! Run: `cargo bench -p lobster-sim --bench step`

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use lobster_core::action::{GrammarContext, grammar_for_screen, parse_action, validate};
use lobster_core::agent::{Agent, AgentConfig, CancelToken, SilentListener, TaskIo};
use lobster_core::device::Device;
use lobster_core::planner::ScriptPlanner;
use lobster_core::policy::{Guard, GuardContext, SecretStore};
use lobster_core::screen::{EncodeOptions, encode_with};
use lobster_sim::{Sim, SimConfig};

fn bench_step(c: &mut Criterion) {
    let mut sim = Sim::new(SimConfig::default());
    sim.launch_app("Settings").unwrap();
    let context = GrammarContext {
        installed_apps: Some(
            sim.installed_apps()
                .unwrap()
                .into_iter()
                .map(|app| app.label)
                .collect(),
        ),
        allow_ask: true,
        allow_intents: true,
        allow_swipe: true,
        ..GrammarContext::default()
    };
    let guard = Guard::default();
    let secrets = SecretStore::default();
    let options = EncodeOptions::default();
    let first = encode_with(&sim.observe().unwrap(), None, &options);
    let tap = format!("tap {}", first.elements[2].id);
    c.bench_function("core step overhead (Settings screen)", |b| {
        b.iter(|| {
            let snapshot = sim.observe().unwrap();
            let screen = encode_with(&snapshot, Some(&first), &options);
            let grammar = grammar_for_screen(&screen.elements, &context);
            let action = parse_action(black_box(&tap)).unwrap();
            validate(&action, &screen.elements, &context).unwrap();
            let verdict = guard.check(
                &action,
                &GuardContext {
                    screen: &screen,
                    snapshot: &snapshot,
                    secrets: &secrets,
                    task_packages: &[],
                    granted_tools: &std::collections::BTreeSet::new(),
                    app_actions: &[],
                },
            );
            (grammar.len(), verdict)
        })
    });

    let script = "open \"Settings\"\ntap 9\ntap 19\ndone\n";
    let agent = Agent::new(AgentConfig {
        settle_interval: Duration::ZERO,
        ..AgentConfig::default()
    });
    c.bench_function("scripted wifi_off task, 4 steps, whole loop", |b| {
        b.iter(|| {
            let mut sim = Sim::new(SimConfig::default());
            let mut planner = ScriptPlanner::new(script);
            agent.run(
                "Turn off Wi-Fi",
                TaskIo {
                    device: &mut sim,
                    planner: &mut planner,
                    listener: &SilentListener,
                    cancel: &CancelToken::new(),
                    trajectory: None,
                },
            )
        })
    });
}

criterion_group!(benches, bench_step);
criterion_main!(benches);
