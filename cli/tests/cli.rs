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
fn encode_with_a_tokenizer_counts_real_tokens() {
    let tokenizer =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tokenizer/qwen_tokenizer.json");
    if !tokenizer.is_file() {
        eprintln!("skipped: ../shared/tokenizer is absent");
        return;
    }
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
         - [7] Cafe Guest | Saved\n\
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
