//! The `lobster` binary end to end: planner text on stdout and nothing else, statistics and
//! errors on stderr, clean failures on bad input.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn lobster(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(args)
        // A fixed tokenizer location (or none) so the output does not depend on the caller.
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

const WIFI_SETTINGS: &str = "\
# app com.android.settings
[1] Navigate up
Internet
[2] search
[3] recycler view (scroll)
[4] Wi-Fi (switch, on)
[5] Harbour Street 5G | Connected
[6] Settings
[7] Cafe Guest | Saved
[8] Add network
[9] Hotspot & tethering | Off (disabled)
";

#[test]
fn encode_prints_only_the_planner_text() {
    let path = fixture("wifi_settings.xml");
    let output = lobster(&["encode", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), WIFI_SETTINGS);
    assert_eq!(stderr(&output), "");
}

#[test]
fn encode_lists_a_button_at_bounds_beyond_i32() {
    // "Pay now" spans [-3000000000,0][3000000000,10]: clamped into i32, still on screen.
    let path = fixture("pay_now_extreme_bounds.xml");
    let output = lobster(&["encode", "--stats", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "# app com.example.checkout\nCheckout\nTotal: 12.50 EUR\n[1] Pay now\n"
    );
    let stats = stderr(&output);
    assert!(stats.contains("reachable: 1/1 actionable"), "{stats}");
    assert!(stats.contains("clamped"), "{stats}");
}

#[test]
fn encode_stats_go_to_stderr_and_leave_stdout_unchanged() {
    let path = fixture("wifi_settings.xml");
    let output = lobster(&["encode", "--stats", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output), WIFI_SETTINGS);
    let stats = stderr(&output);
    assert!(stats.contains("format: UiAutomatorXml"), "{stats}");
    assert!(stats.contains("nodes: 21\n"), "{stats}");
    assert!(stats.contains("elements: 9\n"), "{stats}");
    assert!(stats.contains("reachable: 10/10 actionable"), "{stats}");
    assert!(stats.contains("tokens: "), "{stats}");
}

#[test]
#[cfg_attr(shared_tokenizer_absent, ignore = "../shared/tokenizer is absent")]
fn encode_with_a_tokenizer_counts_real_tokens() {
    let tokenizer =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tokenizer/qwen_tokenizer.json");
    let path = fixture("wifi_settings.xml");
    let output = lobster(&[
        "encode",
        "--stats",
        "--tokenizer",
        tokenizer.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let stats = stderr(&output);
    let tokens: usize = stats
        .lines()
        .find_map(|line| line.strip_prefix("tokens: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!((40..=120).contains(&tokens), "{stats}");
    assert!(stats.contains("floor tokens: "), "{stats}");
}

#[test]
fn encode_against_a_previous_screen_prints_the_diff() {
    let after = std::env::temp_dir().join(format!("lobster-cli-{}.xml", std::process::id()));
    let before = fixture("wifi_settings.xml");
    let xml = std::fs::read_to_string(&before).unwrap();
    // Wi-Fi switched off and the saved network gone.
    let xml = xml
        .replacen(
            r#"checkable="true" checked="true""#,
            r#"checkable="true" checked="false""#,
            1,
        )
        .replace("Cafe Guest", "Airport Free");
    std::fs::write(&after, xml).unwrap();
    let output = lobster(&[
        "encode",
        "--previous",
        before.to_str().unwrap(),
        after.to_str().unwrap(),
    ]);
    std::fs::remove_file(&after).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "+ [10] Airport Free | Saved\n\
         - gone: [7]\n\
         ~ [4] Wi-Fi (switch, off) (was: Wi-Fi (switch, on))\n"
    );
}

#[test]
fn grammar_admits_the_ids_on_screen_only() {
    let path = fixture("wifi_settings.xml");
    let output = lobster(&["grammar", "--app", "Settings", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let grammar = stdout(&output);
    assert!(grammar.starts_with("root ::= "), "{grammar}");
    let tap_ids = grammar
        .lines()
        .find_map(|line| line.strip_prefix("tap-id ::= "))
        .unwrap();
    assert_eq!(tap_ids, r#""1" | "2" | "4" | "5" | "6" | "7" | "8" | "9""#);
    assert!(
        grammar.contains(r#"app-name ::= "\"Settings\"""#),
        "{grammar}"
    );
}

#[test]
fn bad_input_fails_cleanly() {
    let garbage = std::env::temp_dir().join(format!("lobster-garbage-{}.bin", std::process::id()));
    std::fs::write(&garbage, b"\x00\x01 definitely not a screen dump \xff").unwrap();
    let truncated = std::env::temp_dir().join(format!("lobster-trunc-{}.xml", std::process::id()));
    let xml = std::fs::read(fixture("wifi_settings.xml")).unwrap();
    std::fs::write(&truncated, &xml[..xml.len() / 2]).unwrap();

    let output = lobster(&["encode", garbage.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("lobster: importing "),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "");

    let output = lobster(&["encode", truncated.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning"), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("# app com.android.settings\n[1] Navigate up"));

    let output = lobster(&["encode", "/nonexistent/screen.xml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("reading /nonexistent/screen.xml"));
    std::fs::remove_file(garbage).unwrap();
    std::fs::remove_file(truncated).unwrap();
}

#[test]
fn sim_list_names_at_least_25_tasks() {
    let output = lobster(&["sim", "list"]);
    assert!(output.status.success());
    let listing = stdout(&output);
    assert!(listing.lines().count() >= 25, "{listing}");
    assert!(listing.contains("wifi_off"), "{listing}");
}

#[test]
fn run_streams_steps_and_ends_with_the_check() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/sim/wifi_off.txt");
    let output = lobster(&[
        "run",
        "--task",
        "wifi_off",
        "--script",
        script.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("plan:\n1. Turn off Wi-Fi [ui]\n"),
        "{text}"
    );
    assert!(
        text.contains("step 3: tap 19  [script]\nstep 3: ok (19 is now off)\n"),
        "{text}"
    );
    assert!(text.ends_with("check: passed\n"), "{text}");

    let output = lobster(&[
        "run",
        "--json",
        "--task",
        "wifi_off",
        "--script",
        script.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let events: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "planned");
    assert_eq!(events.last().unwrap()["passed"], true);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "verified" && e["note"] == "19 is now off")
    );
}

#[test]
fn a_failed_check_fails_the_command() {
    let output = Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(["run", "--task", "wifi_off", "--script", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"done\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).ends_with("check: FAILED — Wi-Fi is on, wanted off\n"));
}

#[test]
fn a_killed_run_leaves_a_trajectory_that_replay_reads() {
    use std::io::Write;
    let path = std::env::temp_dir().join(format!("lobster-killed-{}.pb", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(["run", "--task", "wifi_off", "--script", "-", "--trajectory"])
        .arg(&path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"open \"Settings\"\ntap 9\n").unwrap();
    stdin.flush().unwrap();
    // Two steps on disk means the run is blocked reading its third action: kill it there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let steps = lobster_core::agent::trajectory::read_trajectory(&path)
            .map(|trajectory| trajectory.steps.len())
            .unwrap_or(0);
        if steps >= 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the run never wrote two steps"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no end record
    child.wait().unwrap();
    drop(stdin);

    let output = lobster(&["replay", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("goal: Turn off Wi-Fi\n"), "{text}");
    assert!(
        text.contains("step 1: open \"Settings\"  [script: script line 1]"),
        "{text}"
    );
    assert!(
        text.contains("step 2: tap 9  [script: script line 2]"),
        "{text}"
    );
    assert!(
        text.ends_with("end: none — the process stopped before the task ended\n"),
        "{text}"
    );
}
