//! `lobster actions check FILE` and `lobster actions show FILE`: an app developer's checks of an
//! action declaration (the SDK's JSON document), before the agent ever reads it on a phone.
//!
//! `check` prints every error with its place (a JSON pointer, or the line and column of a
//! syntax error) and exits 1 when there is one; `show` prints what a planner is told of each
//! action: its call name, its one line, its arguments, what it does and when it asks.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use lobster_core::action::{ActionCatalog, read_declarations};

/// Checks the declaration in `file`; whether it is valid. Errors go to stdout, one a line.
pub fn check(file: &Path) -> Result<bool> {
    let catalog = match read(file)? {
        Ok(catalog) => catalog,
        Err(errors) => {
            for error in &errors {
                println!("{}: {error}", file.display());
            }
            println!(
                "{}: {} error{}",
                file.display(),
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            );
            return Ok(false);
        }
    };
    println!(
        "{}: valid: app {} ({}), version {}, {} action{}",
        file.display(),
        catalog.app,
        catalog.package,
        catalog.version,
        catalog.actions.len(),
        if catalog.actions.len() == 1 { "" } else { "s" }
    );
    Ok(true)
}

/// Prints what the planner sees of each action in `file`; false (after the errors) when the
/// declaration does not read.
pub fn show(file: &Path) -> Result<bool> {
    let catalog = match read(file)? {
        Ok(catalog) => catalog,
        Err(_) => return check(file),
    };
    print!("{}", shown(&catalog));
    Ok(true)
}

fn read(file: &Path) -> Result<Result<ActionCatalog, Vec<lobster_core::action::DeclarationError>>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(read_declarations(&text))
}

/// The planner's view: `call NAME {arguments}`, the description, the side effect and the
/// confirmation, an example call.
fn shown(catalog: &ActionCatalog) -> String {
    let mut text = String::new();
    for action in &catalog.actions {
        let name = catalog.call_name(action);
        text.push_str(&format!(
            "call {name} {}\n  {}\n  side effect: {}; asks: {}\n",
            arguments(&action.parameters),
            action.description,
            action.side_effect.word(),
            action.confirmation.word(),
        ));
        if let Some(example) = action.examples.first() {
            text.push_str(&format!(
                "  e.g. \"{}\" → call {name} {}\n",
                example.goal,
                Value::Object(example.arguments.clone())
            ));
        }
    }
    text
}

/// `{"title": string, ["body": string]}`: the properties with their types, optional ones in
/// brackets.
fn arguments(schema: &Value) -> String {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return "{}".into();
    };
    let fields: Vec<String> = properties
        .iter()
        .map(|(key, property)| {
            let kind = property
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("any");
            let field = format!("\"{key}\": {kind}");
            if required.contains(&key.as_str()) {
                field
            } else {
                format!("[{field}]")
            }
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_planners_view_names_each_call_with_its_arguments() {
        let catalog = read_declarations(lobster_sim::DECLARATIONS[0].1).unwrap();
        let text = shown(&catalog);
        assert!(
            text.starts_with(
                "call notes.create_note {\"title\": string, [\"body\": string]}\n  Create a note"
            ),
            "{text}"
        );
        assert!(
            text.contains("side effect: irreversible; asks: always"),
            "{text}"
        );
        assert!(
            text.contains("e.g. \"Add milk to my shopping list note\""),
            "{text}"
        );
    }
}
