//! `lobster actions check` and `show`: an app developer's declaration checked, each error at its
//! place, and the planner's view of a valid one.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn lobster(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lobster"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_broken_declaration_fails_with_every_error_located() {
    let output = lobster(&["actions", "check", "cli/tests/fixtures/broken_actions.json"]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for (place, what) in [
        ("/actions/0/id", "not a lower-case identifier"),
        ("/actions/1/result/type", "not a valid JSON Schema"),
        (
            "/actions/0/examples/0/arguments/text",
            "does not fit the parameters",
        ),
        ("/actions/1/confirmation", "must ask every time"),
    ] {
        assert!(
            stdout
                .lines()
                .any(|line| line.contains(&format!(": {place}")) && line.contains(what)),
            "{place}: {what}\n{stdout}"
        );
    }
    assert!(stdout.ends_with(": 4 errors\n"), "{stdout}");
}

#[test]
fn the_sims_declarations_are_valid_and_show_what_the_planner_sees() {
    for app in ["notes", "messages", "shop", "contacts"] {
        let file = format!("sim/actions/{app}.json");
        let output = lobster(&["actions", "check", &file]);
        assert!(output.status.success(), "{}", text(&output.stdout));
        assert!(text(&output.stdout).contains(": valid: app "));
    }
    let output = lobster(&["actions", "show", "sim/actions/shop.json"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("call shop.checkout {}\n  Pay for everything in the cart with the saved card.\n  side effect: financial; asks: always\n"),
        "{stdout}"
    );
    let missing = lobster(&["actions", "check", "no/such/file.json"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("cannot read no/such/file.json"));
}
