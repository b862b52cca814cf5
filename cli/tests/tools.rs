//! `lobster tools`: the catalog as a table and as one JSON object, every tool with its
//! arguments, description, tier, category and needs.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use serde_json::Value;

fn lobster_tools(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_lobster"))
        .arg("tools")
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{:?}", output);
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_catalog_lists_every_tool_with_its_tier_and_needs() {
    let stdout = lobster_tools(&["--json"]);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let catalog: Value = serde_json::from_str(&stdout).unwrap();
    let tools = catalog["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 39);
    for tool in tools {
        let name = tool["name"].as_str().unwrap();
        assert!(!tool["description"].as_str().unwrap().is_empty(), "{name}");
        assert!(
            ["always", "first_time", "every_time"].contains(&tool["tier"].as_str().unwrap()),
            "{name}"
        );
        assert!(tool["needs"]["min_api"].as_u64().unwrap() >= 26, "{name}");
        assert!(tool["args"].is_array(), "{name}");
    }
    let alarm = &tools[0];
    assert_eq!(alarm["name"], "set_alarm");
    assert_eq!(alarm["args"][0]["name"], "hour");
    assert_eq!(alarm["args"][0]["values"], "0-23");
    assert_eq!(alarm["args"][2]["required"], false);
    assert_eq!(
        alarm["needs"]["permission"],
        "com.android.alarm.permission.SET_ALARM"
    );
    let share = tools
        .iter()
        .find(|tool| tool["name"] == "share_text")
        .unwrap();
    assert_eq!(share["tier"], "every_time");
    assert_eq!(share["category"], "share");
    let find = |name: &str| tools.iter().find(|tool| tool["name"] == name).unwrap();
    let battery = find("battery_status");
    assert_eq!(battery["returns"], "data");
    assert!(
        battery["returns_what"]
            .as_str()
            .unwrap()
            .contains("percent")
    );
    assert_eq!(battery["tier"], "always");
    let contacts = find("find_contact");
    assert_eq!(contacts["tier"], "first_time");
    assert_eq!(contacts["category"], "personal_data");
    assert_eq!(
        contacts["needs"]["permission"],
        "android.permission.READ_CONTACTS"
    );
    assert_eq!(find("send_sms")["tier"], "every_time");
    assert_eq!(find("read_clipboard")["needs"]["privileged"], true);
    assert_eq!(find("flashlight")["args"][0]["values"], "on|off");

    let table = lobster_tools(&[]);
    assert_eq!(table.lines().count(), 2 + tools.len(), "{table}");
    assert!(table.contains("| share_text | text (text) |"), "{table}");
}

/// A reader that closes the pipe (`lobster tools | head -1`) ends the command quietly, as
/// SIGPIPE ends other tools: exit status 141, nothing on stderr, no panic message.
#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    // The reading end is closed before the command starts, so its first line already fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_lobster"))
        .arg("tools")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(141), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
