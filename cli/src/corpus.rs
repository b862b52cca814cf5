//! A goal corpus: goals with the routes and slots a good plan has, one JSON object per line
//! (`tests/corpus/goals.jsonl` is the project's own, written for it):
//! `{"goal": "…", "lang": "en", "rules": true, "routes": [R, …], "today": "2026-12-07"}`, with
//! routes as `planner::plan_to_json` writes them, `rules` marking the goals the rules fast path
//! is meant to read, and `today` the date relative days are read against.
//!
//! Scoring compares a planner's routes with the expected ones, in order: the same kind, name
//! and arguments (exact JSON equality; phone numbers are digits already), and for a UI route
//! the same app (case ignored). An app action's package is not compared: the corpus names the
//! action, not the phone's package.

use std::path::Path;

use anyhow::{Context, Result, bail};
use lobster_core::planner::{CivilDate, TaskPlan, plan_to_json};
use serde_json::Value;

/// One goal of the corpus.
#[derive(Debug, Clone)]
pub struct CorpusGoal {
    /// The goal, as a user says it.
    pub goal: String,
    /// `en` or `zh`.
    pub lang: String,
    /// Whether the rules fast path is meant to read it.
    pub rules: bool,
    /// The expected routes, in order.
    pub routes: Vec<Value>,
    /// The date "today" and "tomorrow" are read against.
    pub today: Option<CivilDate>,
}

/// How a plan compares with the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No plan (the rules abstained, or a model planner gave the goal itself through the UI).
    Abstained,
    /// The same routes and slots.
    Right,
    /// Other routes; `routes_right` when only slots differ.
    Wrong {
        /// The route kinds and names agree.
        routes_right: bool,
        /// What differs, in words.
        why: String,
    },
}

/// Reads a corpus file.
pub fn load(path: &Path) -> Result<Vec<CorpusGoal>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            parse_line(line).with_context(|| format!("{}:{}", path.display(), index + 1))
        })
        .collect()
}

fn parse_line(line: &str) -> Result<CorpusGoal> {
    let value: Value = serde_json::from_str(line)?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let Some(goal) = text("goal") else {
        bail!("no \"goal\"");
    };
    let Some(routes) = value.get("routes").and_then(Value::as_array).cloned() else {
        bail!("no \"routes\" list");
    };
    let today = match text("today") {
        None => None,
        Some(day) => Some(
            CivilDate::parse(&day)
                .with_context(|| format!("\"today\": {day:?} is not YYYY-MM-DD"))?,
        ),
    };
    Ok(CorpusGoal {
        goal,
        lang: text("lang").unwrap_or_default(),
        rules: value.get("rules").and_then(Value::as_bool).unwrap_or(false),
        routes,
        today,
    })
}

impl CorpusGoal {
    /// How `plan` compares with the expected routes.
    pub fn score(&self, plan: &TaskPlan) -> Verdict {
        let value = plan_to_json(plan, &[]);
        let routes: Vec<&Value> = value["subgoals"]
            .as_array()
            .map(|subgoals| subgoals.iter().map(|subgoal| &subgoal["route"]).collect())
            .unwrap_or_default();
        let trivial = routes.is_empty()
            || (routes.len() == 1 && routes[0]["kind"] == "ui" && routes[0]["app"].is_null());
        if trivial {
            return Verdict::Abstained;
        }
        let names = |routes: &[&Value]| -> Vec<String> {
            routes
                .iter()
                .map(|route| format!("{}:{}", route["kind"], route["name"]))
                .collect()
        };
        let expected: Vec<&Value> = self.routes.iter().collect();
        if routes.len() == expected.len()
            && routes
                .iter()
                .zip(&expected)
                .all(|(got, want)| same_route(got, want))
        {
            return Verdict::Right;
        }
        Verdict::Wrong {
            routes_right: names(&routes) == names(&expected),
            why: format!(
                "planned {} where {} was expected",
                Value::Array(routes.into_iter().cloned().collect()),
                Value::Array(self.routes.clone())
            ),
        }
    }
}

/// The same route: kind, name and arguments equal; a UI route's app equal, case ignored.
fn same_route(got: &Value, want: &Value) -> bool {
    if got["kind"] != want["kind"] {
        return false;
    }
    match want["kind"].as_str() {
        Some("ui") => {
            let app = |route: &Value| route["app"].as_str().map(str::to_lowercase);
            app(got) == app(want)
        }
        _ => got["name"] == want["name"] && got["args"] == want["args"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lobster_core::action::Intent;
    use lobster_core::planner::{Route, Subgoal};

    #[test]
    fn plans_are_scored_by_route_and_slot() {
        let goal = parse_line(
            r#"{"goal": "g", "lang": "en", "rules": true, "routes": [{"kind": "intent", "name": "dial", "args": {"number": "911"}}]}"#,
        )
        .unwrap();
        let dial = |number: &str| TaskPlan {
            subgoals: vec![Subgoal::new(
                "g",
                Route::Intent(Intent::Dial {
                    number: number.into(),
                }),
            )],
        };
        assert_eq!(goal.score(&dial("911")), Verdict::Right);
        assert!(matches!(
            goal.score(&dial("912")),
            Verdict::Wrong {
                routes_right: true,
                ..
            }
        ));
        assert_eq!(goal.score(&TaskPlan::single_ui("g")), Verdict::Abstained);
        assert_eq!(
            goal.score(&TaskPlan {
                subgoals: Vec::new()
            }),
            Verdict::Abstained
        );
        assert!(parse_line(r#"{"routes": []}"#).is_err());
        assert!(parse_line(r#"{"goal": "g", "routes": [], "today": "tomorrow"}"#).is_err());
    }
}
