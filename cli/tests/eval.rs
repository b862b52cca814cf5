//! `lobster eval` over sim tasks end to end: the binary runs tasks × seeds × fault sets with the
//! rules planner, judges each by the sim's check, writes the JSON and Markdown reports and one
//! trajectory per run that `lobster replay` reads, and says when a route was dropped and done
//! another way.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use serde_json::Value;

fn lobster(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(args)
        .env_remove("LOBSTER_API_KEY")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn eval_runs_tasks_seeds_and_faults_and_keeps_reports_and_trajectories() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("run");
    let output = lobster(&[
        "eval",
        "--planner",
        "rules",
        "--task",
        "alarm_*",
        "--task",
        "timer",
        "--seeds",
        "2",
        "--fault",
        "none",
        "--fault",
        "ignored-route",
        "--out",
        dir.to_str().unwrap(),
        "--json",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(report["planner"], "rules");
    let runs = report["runs"].as_array().unwrap();
    // alarm_set, alarm_off, alarm_delete and timer; 2 seeds; 2 fault sets.
    assert_eq!(runs.len(), 4 * 2 * 2);
    for run in runs {
        let name = run["task"].as_str().unwrap();
        let faults = run["faults"].as_str().unwrap();
        let routed = name != "alarm_delete";
        // The rules route alarms set and switched off and timers by a tool, with no model
        // call; deleting an alarm needs the UI, which they cannot do, and a dropped route
        // leaves them nothing to go on with.
        let expected = routed && faults == "none";
        assert_eq!(run["passed"], expected, "{run}");
        assert_eq!(run["model_calls"], 0, "{run}");
        if routed {
            assert_eq!(run["planned_by"], "rules");
        }
        if routed && faults == "ignored-route" {
            let route = run["routes"][0].as_str().unwrap();
            assert!(route.starts_with("ui (replanned: no effect"), "{run}");
            // The check says what is missing: the alarm or timer, or the alarm still rings.
            let missing = if name == "alarm_off" {
                "the alarm is still on"
            } else {
                "no "
            };
            assert!(
                run["problem"].as_str().unwrap().starts_with(missing),
                "{run}"
            );
        }
        let trajectory = run["trajectory"].as_str().unwrap();
        let replay = lobster(&["replay", trajectory]);
        assert!(replay.status.success(), "{}", text(&replay.stderr));
        let replayed = text(&replay.stdout);
        assert!(replayed.contains("goal: "), "{replayed}");
        if expected {
            assert!(replayed.contains("[route"), "{replayed}");
            assert!(replayed.contains("end: succeeded"), "{replayed}");
        }
    }
    assert_eq!(report["overall"]["runs"], 16);
    assert_eq!(report["overall"]["passed"], 6);
    let tasks: Vec<&str> = report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["task"].as_str().unwrap())
        .collect();
    assert_eq!(tasks, ["alarm_set", "alarm_off", "alarm_delete", "timer"]);
    // The same report on disk, and the Markdown table beside it.
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(saved, report);
    let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(markdown.contains("| alarm_set | 2/4 |"), "{markdown}");
    assert!(markdown.contains("| alarm_off | 2/4 |"), "{markdown}");
    assert!(
        markdown.contains("| **all** (medians) | 6/16 |"),
        "{markdown}"
    );
}

#[test]
fn eval_refuses_what_it_cannot_run_with_a_clear_error() {
    let cases: [(&[&str], &str); 4] = [
        (&["eval", "--task", "no_such_*"], "names no sim task"),
        (&["eval", "--fault", "gremlins"], "no fault \"gremlins\""),
        (&["eval", "--seeds", "0"], "--seeds must be at least 1"),
        (
            &["eval", "--planner", "script", "--script", "-"],
            "a script answers one",
        ),
    ];
    for (args, says) in cases {
        let output = lobster(args);
        assert!(!output.status.success(), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
