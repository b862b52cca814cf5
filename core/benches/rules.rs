//! The rules fast path's planning time: every goal of the project's corpus
//! (`tests/corpus/goals.jsonl`, English and Chinese, read or not), planned in turn, beside the
//! time to encode a small settings screen (so the figure reads as a ratio on any machine).
//! Target: < 1 ms per goal in release builds.
//!
//! Run: `cargo bench -p lobster-core --bench rules`

#![allow(clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lobster_core::action::ToolSet;
use lobster_core::planner::{CivilDate, RulesPlanner};
use lobster_core::screen::{Node, Rect, Snapshot, Window, WindowType, encode};

/// The corpus's goals.
fn goals() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/goals.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["goal"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// A settings list of 12 rows: the kind of screen a UI step reads.
fn small_screen() -> Snapshot {
    let rows = (0..12)
        .map(|i| Node {
            key: format!("row{i}"),
            class_name: "android.widget.TextView".into(),
            text: format!("Setting number {i}"),
            bounds: Some(Rect {
                left: 0,
                top: 200 + i * 120,
                right: 1080,
                bottom: 320 + i * 120,
            }),
            visible: true,
            enabled: true,
            clickable: true,
            ..Node::default()
        })
        .collect();
    Snapshot {
        windows: vec![Window {
            id: 1,
            r#type: WindowType::Application as i32,
            package: "com.android.settings".into(),
            root: Some(Node {
                key: "root".into(),
                class_name: "android.widget.FrameLayout".into(),
                bounds: Some(Rect {
                    left: 0,
                    top: 0,
                    right: 1080,
                    bottom: 2400,
                }),
                visible: true,
                children: rows,
                ..Node::default()
            }),
            ..Window::default()
        }],
        ..Snapshot::default()
    }
}

fn rules(c: &mut Criterion) {
    let goals = goals();
    let planner = RulesPlanner::on(CivilDate {
        year: 2026,
        month: 12,
        day: 7,
    });
    // Compile the patterns once, as a running agent has.
    planner.plan("Set an alarm for 7", &[], &[], ToolSet::ALL);
    c.bench_function(&format!("rules: all {} corpus goals", goals.len()), |b| {
        b.iter(|| {
            for goal in &goals {
                black_box(planner.plan(black_box(goal), &[], &[], ToolSet::ALL));
            }
        })
    });
    let screen = small_screen();
    c.bench_function("encode: a 12-row settings screen", |b| {
        b.iter(|| black_box(encode(black_box(&screen), None)))
    });
}

criterion_group!(benches, rules);
criterion_main!(benches);
