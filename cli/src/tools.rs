//! `lobster tools`: the tool catalog as the agent sees it — each tool's arguments, what it
//! does and gives back, the tier its calls ask under, its sensitive category, and what the
//! phone needs to run it.

use anyhow::Result;
use serde_json::{Value, json};

use lobster_core::action::{IntentKind, ToolInfo, tool_catalog};
use lobster_core::policy::{GuardConfig, default_risk};

/// Prints the catalog as a table, or (`json`) as one JSON object, with the tiers of `guard`.
pub fn tools(json: bool, guard: &GuardConfig) -> Result<()> {
    let catalog = tool_catalog();
    if json {
        let tools: Vec<Value> = catalog.iter().map(|info| tool_json(info, guard)).collect();
        println!("{}", json!({ "tools": tools }));
        return Ok(());
    }
    println!(
        "| tool | arguments ([optional]) | what it does | returns | tier | category | needs |"
    );
    println!("|---|---|---|---|---|---|---|");
    for info in &catalog {
        let value = tool_json(info, guard);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            info.kind.name(),
            arguments(info.kind),
            info.description,
            info.returns.what().unwrap_or("nothing"),
            value["tier"].as_str().unwrap_or_default(),
            value["category"].as_str().unwrap_or("-"),
            needs(info),
        );
    }
    Ok(())
}

/// One tool as JSON.
fn tool_json(info: &ToolInfo, guard: &GuardConfig) -> Value {
    let args: Vec<Value> = info
        .kind
        .params()
        .iter()
        .map(|param| {
            json!({"name": param.key, "values": param.kind.describe(), "required": param.required})
        })
        .collect();
    json!({
        "name": info.kind.name(),
        "args": args,
        "description": info.description,
        "returns": info.returns.name(),
        "returns_what": info.returns.what(),
        "tier": guard.tool_tier(info.kind).name(),
        "category": default_risk(info.kind).category.map(|category| category.name()),
        "needs": {
            "permission": info.needs.permission,
            "min_api": info.needs.min_api,
            "handler": info.needs.handler,
            "privileged": info.needs.privileged,
        },
    })
}

fn arguments(kind: IntentKind) -> String {
    kind.params()
        .iter()
        .map(|param| {
            let text = format!("{} ({})", param.key, param.kind.describe());
            if param.required {
                text
            } else {
                format!("[{text}]")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn needs(info: &ToolInfo) -> String {
    let mut parts = Vec::new();
    parts.extend(info.needs.handler.map(str::to_owned));
    parts.extend(
        info.needs
            .permission
            .map(|permission| format!("permission {permission}")),
    );
    if info.needs.privileged {
        parts.push("a privileged agent".into());
    }
    parts.push(format!("API {}+", info.needs.min_api));
    parts.join("; ")
}
