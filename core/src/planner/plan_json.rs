//! Plans as JSON: what `lobster plan --json` prints, what the goal corpus expects, what a cloud
//! model is asked to return (with the schema here), and how its answer is read back.
//!
//! The shape: `{"subgoals": [{"goal": "…", "route": R}]}` with R one of
//! `{"kind": "intent", "name": "set_alarm", "args": {"hour": 6, "minute": 45}}`,
//! `{"kind": "app_action", "app": "com.example.notes", "name": "create_note", "args": {…}}`,
//! `{"kind": "ui", "app": "Clock"}`. Argument names are the catalog's; numbers are JSON
//! numbers, dates `YYYY-MM-DDTHH:MM`, settings pages their word (`wifi`).
//!
//! Why reading is strict: a plan from a model is a proposal. Every intent must be in the
//! catalog with valid arguments, every app action declared by an installed app, every UI app
//! installed; a plan that names anything else is refused whole, and the caller falls back to
//! working on the goal through the UI.

use serde_json::{Map, Value, json};

use super::{Route, Subgoal, TaskPlan, TaskRequest};
use crate::action::{
    Intent, IntentArg, IntentKind, LocalDateTime, ParamKind, SettingsPage, check_arguments,
};
use crate::device::AppActionInfo;

/// The most subgoals a plan may have.
pub const MAX_SUBGOALS: usize = 4;

/// The longest description of a subgoal, in characters. (A `maxLength` here is cheap; a
/// pattern with a bounded repetition is not: 42 s instead of 3.9 s for one plan on
/// SmolLM2-135M.)
const MAX_GOAL_CHARS: usize = 100;

/// A date and time that exists, `YYYY-MM-DDTHH:MM`, in 2000-2099.
const DATE_TIME: &str = "^(20[0-9]{2}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])\
     |20[0-9]{2}-(0[469]|11)-(0[1-9]|[12][0-9]|30)\
     |20[0-9]{2}-02-(0[1-9]|1[0-9]|2[0-8])\
     |20([02468][048]|[13579][26])-02-29)\
     T([01][0-9]|2[0-3]):[0-5][0-9]$";

/// One line that starts with a visible character: what a goal or a text argument must be.
const NOT_BLANK: &str = "^\\S[^\\n]*$";

/// A URI with a scheme and no spaces or quotes (the refused schemes are caught when the plan is
/// read).
const LINK: &str = "^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s\"\\\\\\x00-\\x1f]+$";

/// `route` as JSON; an app action names the package that declared it in `app_actions`.
pub fn route_to_json(route: &Route, app_actions: &[AppActionInfo]) -> Value {
    match route {
        Route::Intent(intent) => {
            let args: Map<String, Value> = intent
                .args()
                .into_iter()
                .map(|(key, value)| (key.to_owned(), arg_to_json(&value)))
                .collect();
            json!({"kind": "intent", "name": intent.kind().name(), "args": args})
        }
        Route::AppAction { name, args } => {
            let app = app_actions
                .iter()
                .find(|action| action.name == *name)
                .map(|action| action.package.clone());
            json!({"kind": "app_action", "app": app, "name": name, "args": args})
        }
        Route::Ui { app } => json!({"kind": "ui", "app": app}),
    }
}

/// `plan` as JSON: `{"subgoals": [{"goal", "route"}]}`.
pub fn plan_to_json(plan: &TaskPlan, app_actions: &[AppActionInfo]) -> Value {
    let subgoals: Vec<Value> = plan
        .subgoals
        .iter()
        .map(|subgoal| {
            json!({
                "goal": subgoal.description,
                "route": route_to_json(&subgoal.route, app_actions),
            })
        })
        .collect();
    json!({ "subgoals": subgoals })
}

/// `plan` as a model writes it under the plan schema: a plan of one subgoal with an empty
/// description (the user's goal says it), and app actions without the package that declares
/// them (the phone knows it). [`plan_from_json`] reads it back to the same plan, for the same
/// goal.
pub fn plan_as_written(plan: &TaskPlan) -> Value {
    let one = plan.subgoals.len() == 1;
    let subgoals: Vec<Value> = plan
        .subgoals
        .iter()
        .map(|subgoal| {
            let mut route = route_to_json(&subgoal.route, &[]);
            if let Some(fields) = route.as_object_mut()
                && fields.get("kind") == Some(&json!("app_action"))
            {
                fields.shift_remove("app");
            }
            let goal = if one {
                ""
            } else {
                subgoal.description.as_str()
            };
            json!({"goal": goal, "route": route})
        })
        .collect();
    json!({ "subgoals": subgoals })
}

fn arg_to_json(value: &IntentArg) -> Value {
    match value {
        IntentArg::Int(number) => json!(number),
        IntentArg::Text(text) => json!(text),
        IntentArg::DateTime(when) => json!(when.to_string()),
        IntentArg::SettingsPage(page) => json!(page.word()),
        IntentArg::Choice(word) => json!(word),
    }
}

/// Reads a plan a model proposed, checked against what the phone offers (`request`).
pub fn plan_from_json(value: &Value, request: &TaskRequest<'_>) -> Result<TaskPlan, String> {
    let subgoals = value
        .get("subgoals")
        .and_then(Value::as_array)
        .ok_or("the plan has no \"subgoals\" list")?;
    if subgoals.is_empty() || subgoals.len() > MAX_SUBGOALS {
        return Err(format!(
            "a plan has 1 to {MAX_SUBGOALS} subgoals, not {}",
            subgoals.len()
        ));
    }
    let subgoals = subgoals
        .iter()
        .enumerate()
        .map(|(index, subgoal)| {
            let goal = subgoal
                .get("goal")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("subgoal {} has no \"goal\"", index + 1))?
                .trim();
            let route = subgoal
                .get("route")
                .ok_or_else(|| format!("subgoal {} has no \"route\"", index + 1))?;
            let route = route_from_json(route, request)
                .map_err(|why| format!("subgoal {}: {why}", index + 1))?;
            // The description is for people and prompts. A plan of one subgoal leaves it empty
            // (the user's goal says it, and copying it costs a small model a decode pass per
            // token); in a longer plan a blank one is told by its route.
            let goal = match (goal.is_empty(), subgoals.len()) {
                (false, _) => goal.to_owned(),
                (true, 1) => request.goal.to_owned(),
                (true, _) => route.to_string(),
            };
            Ok(Subgoal::new(&goal, route))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(TaskPlan { subgoals })
}

/// Reads one route, checked against what the phone offers.
pub fn route_from_json(value: &Value, request: &TaskRequest<'_>) -> Result<Route, String> {
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .ok_or("the route has no \"kind\"")?;
    let empty = Map::new();
    let args = match value.get("args") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(args)) => args,
        Some(_) => return Err("\"args\" is not an object".into()),
    };
    let name = || {
        value
            .get("name")
            .and_then(Value::as_str)
            .ok_or("the route has no \"name\"")
    };
    match kind {
        "intent" => {
            let name = name()?;
            let kind = IntentKind::from_name(name)
                .ok_or_else(|| format!("no intent {name:?} in the catalog"))?;
            if !request.tools.contains(kind) {
                return Err(format!("the tool {name} is not available on this phone"));
            }
            intent_from_json(kind, args).map(Route::Intent)
        }
        "app_action" => {
            let name = name()?;
            let Some(action) = request
                .app_actions
                .iter()
                .find(|action| action.name == name)
            else {
                return Err(format!("no app on this phone declares the action {name:?}"));
            };
            if let Some(schema) = &action.parameters {
                check_arguments(schema, args)
                    .map_err(|why| format!("{name}: the arguments do not fit: {why}"))?;
            }
            Ok(Route::AppAction {
                name: name.to_owned(),
                args: args.clone(),
            })
        }
        "ui" => {
            let app = match value.get("app") {
                None | Some(Value::Null) => None,
                Some(Value::String(app)) => Some(app.trim().to_owned()),
                Some(_) => return Err("the UI route's \"app\" is not a string".into()),
            };
            if let Some(app) = &app
                && !request.installed_apps.is_empty()
                && !request
                    .installed_apps
                    .iter()
                    .any(|installed| installed.label.eq_ignore_ascii_case(app))
            {
                return Err(format!("no app {app:?} is installed"));
            }
            Ok(Route::Ui { app })
        }
        other => Err(format!(
            "unknown route kind {other:?} (intent, app_action or ui)"
        )),
    }
}

/// The intent of `kind` from JSON arguments, each checked as the action parser checks it.
fn intent_from_json(kind: IntentKind, args: &Map<String, Value>) -> Result<Intent, String> {
    let mut parsed = Vec::new();
    for param in kind.params() {
        let Some(value) = args.get(param.key).filter(|value| !value.is_null()) else {
            continue;
        };
        let arg = match (param.kind, value) {
            (ParamKind::Int { .. }, Value::Number(number)) => number
                .as_u64()
                .and_then(|number| u32::try_from(number).ok())
                .map(IntentArg::Int),
            (ParamKind::DateTime, Value::String(text)) => {
                LocalDateTime::parse(text).map(IntentArg::DateTime)
            }
            (ParamKind::SettingsPage, Value::String(word)) => {
                SettingsPage::from_word(word).map(IntentArg::SettingsPage)
            }
            (ParamKind::Choice(choice), Value::String(word)) => {
                choice.word(word).map(IntentArg::Choice)
            }
            (
                ParamKind::Text { .. }
                | ParamKind::PhoneNumber
                | ParamKind::Email
                | ParamKind::Url
                | ParamKind::Link,
                Value::String(text),
            ) => Some(IntentArg::Text(text.clone())),
            _ => None,
        }
        .ok_or_else(|| {
            format!(
                "{}: {} is not a valid {:?}",
                kind.name(),
                param.key,
                param.kind
            )
        })?;
        param
            .kind
            .check(&arg)
            .map_err(|why| format!("{}: {}: {why}", kind.name(), param.key))?;
        parsed.push((param.key, arg));
    }
    Intent::from_args(kind, &parsed).map_err(|error| format!("{}: {error}", kind.name()))
}

/// The JSON schema of a plan for this phone: the catalog's intents with typed arguments, the
/// declared app actions (arguments as free JSON objects), and UI routes naming an installed
/// app. For structured output; [`plan_from_json`] checks the same again.
pub fn plan_schema(request: &TaskRequest<'_>) -> Value {
    let mut routes: Vec<Value> = request
        .tools
        .iter()
        .map(|kind| {
            let properties: Map<String, Value> = kind
                .params()
                .iter()
                .map(|param| (param.key.to_owned(), param_schema(param.kind)))
                .collect();
            let required: Vec<&str> = kind
                .params()
                .iter()
                .filter(|param| param.required)
                .map(|param| param.key)
                .collect();
            json!({
                "type": "object",
                "properties": {
                    "kind": {"const": "intent"},
                    "name": {"const": kind.name()},
                    "args": {"type": "object", "properties": properties, "required": required,
                             "additionalProperties": false},
                },
                "required": ["kind", "name", "args"],
                "additionalProperties": false,
            })
        })
        .collect();
    // A declared action's arguments under its own schema; actions announced without one take
    // a few named strings.
    for action in request.app_actions {
        let args = match &action.parameters {
            Some(schema) => without_length_bounds(schema),
            None => json!({
                "type": "object",
                "patternProperties": {"^[a-z][a-z_]{0,23}$": {"type": "string"}},
                "additionalProperties": false,
                "maxProperties": 4,
            }),
        };
        routes.push(json!({
            "type": "object",
            "properties": {
                "kind": {"const": "app_action"},
                "name": {"const": action.name},
                "args": args,
            },
            "required": ["kind", "name", "args"],
            "additionalProperties": false,
        }));
    }
    routes.push(json!({
        "type": "object",
        "properties": {"kind": {"const": "ui"}, "app": app_schema(request)},
        "required": ["kind", "app"],
        "additionalProperties": false,
    }));
    plan_envelope(
        json!({"type": "string", "maxLength": MAX_GOAL_CHARS}),
        json!({"anyOf": routes}),
    )
}

/// The schema of a UI route's app: one of the installed apps (any name on a phone that lists
/// none).
fn app_schema(request: &TaskRequest<'_>) -> Value {
    if request.installed_apps.is_empty() {
        return json!({"type": "string"});
    }
    let apps: Vec<&str> = request
        .installed_apps
        .iter()
        .map(|app| app.label.as_str())
        .collect();
    json!({"enum": apps})
}

/// A plan's schema around the schemas of a subgoal's `goal` and `route`: 1 to
/// [`MAX_SUBGOALS`] subgoals, nothing else.
fn plan_envelope(goal: Value, route: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "subgoals": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_SUBGOALS,
                "items": {
                    "type": "object",
                    "properties": {"goal": goal, "route": route},
                    "required": ["goal", "route"],
                    "additionalProperties": false,
                },
            },
        },
        "required": ["subgoals"],
        "additionalProperties": false,
    })
}

/// The outline of a plan: route kinds, the intent and app action names, the installed apps, and
/// arguments as a JSON object. For a cloud model, which reads the catalog's arguments in its
/// prompt and writes placeholders (`{phone_1}`) where a value is masked, so typed arguments
/// would refuse its right answers; and the whole catalog as a schema costs it ~1,500 prompt
/// tokens a plan. [`plan_from_json`] checks every argument when the plan is read.
pub fn plan_outline_schema(request: &TaskRequest<'_>) -> Value {
    let mut names: Vec<&str> = request.tools.iter().map(IntentKind::name).collect();
    names.extend(
        request
            .app_actions
            .iter()
            .map(|action| action.name.as_str()),
    );
    plan_envelope(
        json!({"type": "string"}),
        json!({
            "type": "object",
            "properties": {
                "kind": {"enum": ["intent", "app_action", "ui"]},
                "name": {"enum": names},
                "app": app_schema(request),
                "args": {"type": "object"},
            },
            "required": ["kind"],
            "additionalProperties": false,
        }),
    )
}

/// `schema` without `maxLength` and `minLength`: inside the routes' `anyOf` a length bound
/// multiplies the token mask's cost (see [`param_schema`]); the plan's reader checks the whole
/// schema again.
fn without_length_bounds(schema: &Value) -> Value {
    match schema {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "maxLength" | "minLength"))
                .map(|(key, value)| (key.clone(), without_length_bounds(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_length_bounds).collect()),
        other => other.clone(),
    }
}

fn param_schema(kind: ParamKind) -> Value {
    match kind {
        ParamKind::Int { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
        // No `maxLength` on arguments: inside the intents' `anyOf` it multiplies the token
        // mask's cost (47 s instead of 3.9 s for one plan on SmolLM2-135M; BENCHMARKS.md), so
        // the planner's token allowance bounds them instead; the catalog's limits are checked
        // when the plan is read.
        ParamKind::Text { .. } => json!({"type": "string", "pattern": NOT_BLANK}),
        ParamKind::PhoneNumber => json!({"type": "string", "pattern": "^\\+?[0-9]{3,15}$"}),
        ParamKind::Email => {
            json!({"type": "string", "pattern": "^[^@\\s\"\\\\\\x00-\\x1f]+@[^@\\s\"\\\\\\x00-\\x1f]+$"})
        }
        ParamKind::Url => json!({"type": "string", "pattern": "^https?://[^\\s\\x00-\\x1f]+$"}),
        ParamKind::DateTime => {
            // Only dates that exist (years 2000-2099, where every fourth is a leap year).
            json!({"type": "string", "pattern": DATE_TIME})
        }
        ParamKind::SettingsPage => {
            let words: Vec<&str> = SettingsPage::ALL.iter().map(|page| page.word()).collect();
            json!({"enum": words})
        }
        ParamKind::Choice(choice) => json!({"enum": choice.words()}),
        ParamKind::Link => json!({"type": "string", "pattern": LINK}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::AppInfo;

    fn request<'a>(apps: &'a [AppInfo], actions: &'a [AppActionInfo]) -> TaskRequest<'a> {
        TaskRequest {
            goal: "g",
            installed_apps: apps,
            app_actions: actions,
            today: crate::planner::CivilDate::today(),
            tools: crate::action::ToolSet::ALL,
        }
    }

    #[test]
    fn plans_round_trip_through_json() {
        let apps = [AppInfo {
            label: "Clock".into(),
            package: "com.example.clock".into(),
        }];
        let actions = [AppActionInfo::undeclared(
            "create_note",
            "com.example.notes",
            "Create a note",
        )];
        let mut args = Map::new();
        args.insert("title".into(), json!("Packing"));
        let plan = TaskPlan {
            subgoals: vec![
                Subgoal::new(
                    "Set an alarm",
                    Route::Intent(Intent::SetAlarm {
                        hour: 6,
                        minute: 45,
                        label: Some("Gym".into()),
                    }),
                ),
                Subgoal::new(
                    "Open Wi-Fi settings",
                    Route::Intent(Intent::OpenSettings {
                        page: SettingsPage::Wifi,
                    }),
                ),
                Subgoal::new(
                    "Note it",
                    Route::AppAction {
                        name: "create_note".into(),
                        args,
                    },
                ),
                Subgoal::new(
                    "Check",
                    Route::Ui {
                        app: Some("Clock".into()),
                    },
                ),
            ],
        };
        let value = plan_to_json(&plan, &actions);
        assert_eq!(
            value["subgoals"][0]["route"],
            json!({"kind": "intent", "name": "set_alarm",
                   "args": {"hour": 6, "minute": 45, "label": "Gym"}})
        );
        assert_eq!(value["subgoals"][1]["route"]["args"]["page"], "wifi");
        assert_eq!(value["subgoals"][2]["route"]["app"], "com.example.notes");
        assert_eq!(plan_from_json(&value, &request(&apps, &actions)), Ok(plan));
    }

    #[test]
    fn a_plan_naming_what_the_phone_lacks_is_refused() {
        let apps = [AppInfo {
            label: "Clock".into(),
            package: "com.example.clock".into(),
        }];
        let request = request(&apps, &[]);
        for (plan, why) in [
            (json!({}), "no \"subgoals\""),
            (json!({"subgoals": []}), "1 to 4 subgoals"),
            (
                json!({"subgoals": [{"goal": "x", "route": {"kind": "intent", "name": "launch_rocket"}}]}),
                "no intent",
            ),
            (
                json!({"subgoals": [{"goal": "x", "route": {"kind": "intent", "name": "set_alarm", "args": {"hour": 25, "minute": 0}}}]}),
                "hour",
            ),
            (
                json!({"subgoals": [{"goal": "x", "route": {"kind": "intent", "name": "set_alarm", "args": {"hour": "six", "minute": 0}}}]}),
                "hour",
            ),
            (
                json!({"subgoals": [{"goal": "x", "route": {"kind": "app_action", "name": "create_note"}}]}),
                "declares",
            ),
            (
                json!({"subgoals": [{"goal": "x", "route": {"kind": "ui", "app": "Banking"}}]}),
                "installed",
            ),
            (
                json!({"subgoals": [{"route": {"kind": "ui", "app": "Clock"}}]}),
                "no \"goal\"",
            ),
        ] {
            let error = plan_from_json(&plan, &request).unwrap_err();
            assert!(error.contains(why), "{plan}: {error}");
        }
    }

    #[test]
    fn the_date_pattern_admits_exactly_the_dates_that_exist() {
        let pattern = regex::Regex::new(DATE_TIME).unwrap();
        for year in 1999..=2100 {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}T23:59");
                    let exists =
                        (2000..=2099).contains(&year) && LocalDateTime::parse(&text).is_some();
                    assert_eq!(pattern.is_match(&text), exists, "{text}");
                }
            }
        }
        assert!(!pattern.is_match("2026-12-07T24:00"));
    }

    #[test]
    fn the_schema_lists_every_intent_and_the_installed_apps() {
        let apps = [AppInfo {
            label: "Clock".into(),
            package: "com.example.clock".into(),
        }];
        let schema = plan_schema(&request(&apps, &[]));
        let routes = schema["properties"]["subgoals"]["items"]["properties"]["route"]["anyOf"]
            .as_array()
            .unwrap();
        assert_eq!(routes.len(), IntentKind::ALL.len() + 1);
        assert_eq!(
            routes.last().unwrap()["properties"]["app"],
            json!({"enum": ["Clock"]})
        );
    }
}
