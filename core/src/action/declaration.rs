//! App action declarations: what an app tells the agent it can do, in one JSON document the
//! agent reads without running the app (the Android SDK ships it as a resource; the simulator's
//! apps declare theirs the same way).
//!
//! Why a checked document and not code: the agent discovers actions on a phone where the app
//! may not be running, and a planner must know each action's arguments before it writes a call.
//! Every field is read by hand so that a broken declaration reports all its errors, each at its
//! JSON pointer (`/actions/1/examples/0/arguments`), as `lobster actions check` prints them.
//! Parameters and results are JSON Schema; examples must validate against their schema, and an
//! action's confirmation must match its side effect (an irreversible or financial action always
//! asks), the rule Apple's App Intents and HarmonyOS's InsightIntent leave to the developer.
//!
//! The document:
//!
//! ```json
//! {"app": "notes", "package": "com.example.notes", "version": 3, "actions": [
//!   {"id": "create_note", "version": 1, "title": "Create a note",
//!    "description": "Create a note with a title and a body.",
//!    "parameters": {"type": "object", "properties": {"title": {"type": "string"}},
//!                   "required": ["title"]},
//!    "result": {"type": "object"},
//!    "side_effect": "reversible", "confirmation": "never",
//!    "examples": [{"goal": "Note the door code", "arguments": {"title": "Door code"}}]}]}
//! ```

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

/// The longest description the prompt takes, in characters.
pub const MAX_ACTION_DESCRIPTION_CHARS: usize = 200;
/// The longest id or app key, in characters.
const MAX_ID_CHARS: usize = 40;

/// What calling an action does to the user's data or money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SideEffect {
    /// Reads only.
    None,
    /// Changes data the user can change back (a note created).
    Reversible,
    /// Changes what cannot be undone (a message sent, a note deleted).
    Irreversible,
    /// Spends money.
    Financial,
}

/// When calling an action asks the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AskPolicy {
    /// Never.
    Never,
    /// The first time in a task (the user's yes is remembered for the action).
    FirstTime,
    /// Every call.
    Always,
}

/// One declared action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDeclaration {
    /// The action's id within its app (`create_note`).
    pub id: String,
    /// The declaration's version, from 1.
    pub version: u32,
    /// A name for people (`Create a note`).
    pub title: String,
    /// One line for the model.
    pub description: String,
    /// The arguments, a JSON Schema of an object.
    pub parameters: Value,
    /// What a call returns, a JSON Schema, if anything.
    pub result: Option<Value>,
    /// What a call does.
    pub side_effect: SideEffect,
    /// When a call asks the user.
    pub confirmation: AskPolicy,
    /// Goals with the arguments they call the action with.
    pub examples: Vec<ActionExample>,
}

/// A goal and the arguments it calls an action with.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionExample {
    /// What a user says.
    pub goal: String,
    /// The arguments; they validate against the action's parameters.
    pub arguments: Map<String, Value>,
}

/// An app's declarations.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionCatalog {
    /// The app's key in calls (`notes` in `call notes.create_note {…}`).
    pub app: String,
    /// The Android package that handles the calls.
    pub package: String,
    /// The document's version: the agent's cache keeps one per package, version and signer.
    pub version: u32,
    /// The actions.
    pub actions: Vec<ActionDeclaration>,
}

/// One thing wrong with a declaration, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationError {
    /// A JSON pointer to the field (`/actions/0/id`), or `line L, column C` for a syntax error.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DeclarationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl SideEffect {
    const ALL: [SideEffect; 4] = [
        SideEffect::None,
        SideEffect::Reversible,
        SideEffect::Irreversible,
        SideEffect::Financial,
    ];

    /// The word in a declaration (`financial`).
    pub fn word(self) -> &'static str {
        match self {
            SideEffect::None => "none",
            SideEffect::Reversible => "reversible",
            SideEffect::Irreversible => "irreversible",
            SideEffect::Financial => "financial",
        }
    }
}

impl AskPolicy {
    const ALL: [AskPolicy; 3] = [AskPolicy::Never, AskPolicy::FirstTime, AskPolicy::Always];

    /// The word in a declaration (`first_time`).
    pub fn word(self) -> &'static str {
        match self {
            AskPolicy::Never => "never",
            AskPolicy::FirstTime => "first_time",
            AskPolicy::Always => "always",
        }
    }
}

impl ActionCatalog {
    /// The name a planner calls `action` by: `app.id`.
    pub fn call_name(&self, action: &ActionDeclaration) -> String {
        format!("{}.{}", self.app, action.id)
    }
}

/// Reads and checks a declaration document; every error found, each located.
pub fn read_declarations(text: &str) -> Result<ActionCatalog, Vec<DeclarationError>> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        vec![DeclarationError {
            location: format!("line {}, column {}", error.line(), error.column()),
            message: format!("not JSON: {}", syntax_reason(&error)),
        }]
    })?;
    let mut reader = Reader::default();
    let catalog = reader.catalog(&value);
    match catalog {
        Some(catalog) if reader.errors.is_empty() => Ok(catalog),
        _ => Err(reader.errors),
    }
}

/// serde_json's message without its own " at line L column C" (the location says it).
fn syntax_reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Collects errors while it reads.
#[derive(Default)]
struct Reader {
    errors: Vec<DeclarationError>,
}

impl Reader {
    fn error(&mut self, location: &str, message: impl Into<String>) {
        self.errors.push(DeclarationError {
            location: if location.is_empty() {
                "/".into()
            } else {
                location.to_owned()
            },
            message: message.into(),
        });
    }

    fn catalog(&mut self, value: &Value) -> Option<ActionCatalog> {
        let Some(object) = value.as_object() else {
            self.error("", "the document is not a JSON object");
            return None;
        };
        self.unknown_keys(object, "", &["app", "package", "version", "actions"]);
        let app = self.id(object, "", "app");
        let package = self.package(object);
        let version = self.version(object, "");
        let actions = match object.get("actions") {
            Some(Value::Array(actions)) if !actions.is_empty() => actions,
            Some(Value::Array(_)) => {
                self.error("/actions", "declares no action");
                return None;
            }
            _ => {
                self.error("/actions", "missing, or not an array of actions");
                return None;
            }
        };
        let mut seen = BTreeSet::new();
        let mut declared = Vec::new();
        for (index, action) in actions.iter().enumerate() {
            let at = format!("/actions/{index}");
            if let Some(action) = self.action(action, &at) {
                if !seen.insert(action.id.clone()) {
                    self.error(
                        &format!("{at}/id"),
                        format!("the id {:?} is declared twice", action.id),
                    );
                }
                declared.push(action);
            }
        }
        Some(ActionCatalog {
            app: app?,
            package: package?,
            version: version?,
            actions: declared,
        })
    }

    fn action(&mut self, value: &Value, at: &str) -> Option<ActionDeclaration> {
        let Some(object) = value.as_object() else {
            self.error(at, "an action is a JSON object");
            return None;
        };
        self.unknown_keys(
            object,
            at,
            &[
                "id",
                "version",
                "title",
                "description",
                "parameters",
                "result",
                "side_effect",
                "confirmation",
                "examples",
            ],
        );
        let id = self.id(object, at, "id");
        let version = self.version(object, at);
        let title = self.text(object, at, "title", 80);
        let description = self.text(object, at, "description", MAX_ACTION_DESCRIPTION_CHARS);
        let parameters = self.parameters(object, at);
        let result = self.result(object, at);
        let side_effect = self.word(object, at, "side_effect", &SideEffect::ALL, |e| e.word());
        let confirmation = self.word(object, at, "confirmation", &AskPolicy::ALL, |p| p.word());
        if let (Some(effect), Some(policy)) = (side_effect, confirmation)
            && matches!(effect, SideEffect::Irreversible | SideEffect::Financial)
            && policy != AskPolicy::Always
        {
            self.error(
                &format!("{at}/confirmation"),
                format!(
                    "{} action must ask every time (\"always\"), not {:?}",
                    if effect == SideEffect::Financial {
                        "a financial"
                    } else {
                        "an irreversible"
                    },
                    policy.word()
                ),
            );
        }
        let examples = self.examples(object, at, parameters.as_ref());
        Some(ActionDeclaration {
            id: id?,
            version: version?,
            title: title?,
            description: description?,
            parameters: parameters?,
            result: result?,
            side_effect: side_effect?,
            confirmation: confirmation?,
            examples,
        })
    }

    fn unknown_keys(&mut self, object: &Map<String, Value>, at: &str, known: &[&str]) {
        for key in object.keys() {
            if !known.contains(&key.as_str()) {
                self.error(
                    &format!("{at}/{key}"),
                    format!("unknown field (the fields are: {})", known.join(", ")),
                );
            }
        }
    }

    /// A lower-case identifier: `[a-z][a-z0-9_]*`, at most 40 characters.
    fn id(&mut self, object: &Map<String, Value>, at: &str, key: &str) -> Option<String> {
        let location = format!("{at}/{key}");
        let Some(text) = object.get(key).and_then(Value::as_str) else {
            self.error(&location, "missing, or not a string");
            return None;
        };
        let well_formed = text.starts_with(|c: char| c.is_ascii_lowercase())
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && text.len() <= MAX_ID_CHARS;
        if !well_formed {
            self.error(
                &location,
                format!("{text:?} is not a lower-case identifier ([a-z][a-z0-9_]*, at most {MAX_ID_CHARS} characters)"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    fn package(&mut self, object: &Map<String, Value>) -> Option<String> {
        let Some(text) = object.get("package").and_then(Value::as_str) else {
            self.error("/package", "missing, or not a string");
            return None;
        };
        let segments: Vec<&str> = text.split('.').collect();
        let segment_ok = |segment: &&str| {
            segment.starts_with(|c: char| c.is_ascii_alphabetic())
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if segments.len() < 2 || !segments.iter().all(segment_ok) {
            self.error(
                "/package",
                format!("{text:?} is not an Android package name"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    fn version(&mut self, object: &Map<String, Value>, at: &str) -> Option<u32> {
        let location = format!("{at}/version");
        match object
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|version| u32::try_from(version).ok())
        {
            Some(version) if version >= 1 => Some(version),
            _ => {
                self.error(&location, "missing, or not a whole number from 1");
                None
            }
        }
    }

    /// One line of text, not blank, at most `max` characters.
    fn text(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
        max: usize,
    ) -> Option<String> {
        let location = format!("{at}/{key}");
        let Some(text) = object.get(key).and_then(Value::as_str) else {
            self.error(&location, "missing, or not a string");
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
            self.error(&location, "is empty");
            return None;
        }
        if text.contains(['\n', '\r']) {
            self.error(&location, "must be one line");
            return None;
        }
        let chars = text.chars().count();
        if chars > max {
            self.error(
                &location,
                format!("is {chars} characters; the prompt takes at most {max}"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    fn word<T: Copy>(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
        all: &[T],
        word: impl Fn(T) -> &'static str,
    ) -> Option<T> {
        let location = format!("{at}/{key}");
        let given = object.get(key).and_then(Value::as_str);
        let found = given.and_then(|given| all.iter().copied().find(|value| word(*value) == given));
        if found.is_none() {
            let words: Vec<&str> = all.iter().map(|value| word(*value)).collect();
            self.error(
                &location,
                format!("missing, or not one of {}", words.join(", ")),
            );
        }
        found
    }

    fn parameters(&mut self, object: &Map<String, Value>, at: &str) -> Option<Value> {
        let location = format!("{at}/parameters");
        let Some(schema) = object.get("parameters") else {
            self.error(&location, "missing (a JSON Schema of an object)");
            return None;
        };
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            self.error(
                &format!("{location}/type"),
                "the arguments must be an object (\"type\": \"object\")",
            );
            return None;
        }
        self.schema(schema, &location).then(|| schema.clone())
    }

    fn result(&mut self, object: &Map<String, Value>, at: &str) -> Option<Option<Value>> {
        match object.get("result") {
            None | Some(Value::Null) => Some(None),
            Some(schema) => {
                let location = format!("{at}/result");
                self.schema(schema, &location).then(|| Some(schema.clone()))
            }
        }
    }

    /// Whether `schema` is a valid JSON Schema; each reason it is not, located.
    fn schema(&mut self, schema: &Value, location: &str) -> bool {
        let errors: Vec<(String, String)> = match jsonschema::meta::validate(schema) {
            Ok(()) => Vec::new(),
            Err(error) => vec![(error.instance_path().to_string(), error.to_string())],
        };
        for (path, message) in &errors {
            self.error(
                &format!("{location}{path}"),
                format!("not a valid JSON Schema: {message}"),
            );
        }
        if errors.is_empty() && jsonschema::validator_for(schema).is_err() {
            self.error(location, "not a JSON Schema this agent can check");
            return false;
        }
        errors.is_empty()
    }

    fn examples(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        parameters: Option<&Value>,
    ) -> Vec<ActionExample> {
        let location = format!("{at}/examples");
        let examples = match object.get("examples") {
            None => return Vec::new(),
            Some(Value::Array(examples)) => examples,
            Some(_) => {
                self.error(&location, "not an array of examples");
                return Vec::new();
            }
        };
        let validator = parameters.and_then(|schema| jsonschema::validator_for(schema).ok());
        let mut read = Vec::new();
        for (index, example) in examples.iter().enumerate() {
            let at = format!("{location}/{index}");
            let Some(fields) = example.as_object() else {
                self.error(&at, "an example is {\"goal\": …, \"arguments\": {…}}");
                continue;
            };
            self.unknown_keys(fields, &at, &["goal", "arguments"]);
            let goal = self.text(fields, &at, "goal", MAX_ACTION_DESCRIPTION_CHARS);
            let Some(arguments) = fields.get("arguments").and_then(Value::as_object) else {
                self.error(&format!("{at}/arguments"), "missing, or not an object");
                continue;
            };
            if let Some(validator) = &validator {
                let instance = Value::Object(arguments.clone());
                for error in validator.iter_errors(&instance) {
                    self.error(
                        &format!("{at}/arguments{}", error.instance_path()),
                        format!("does not fit the parameters: {error}"),
                    );
                }
            }
            if let Some(goal) = goal {
                read.push(ActionExample {
                    goal,
                    arguments: arguments.clone(),
                });
            }
        }
        read
    }
}

/// Checks `arguments` against an action's parameters schema; the reasons they do not fit,
/// each as the argument's JSON pointer and the schema keyword it breaks (`/title: required`,
/// `/count: maximum`). The values are left out: they are the user's data, and the reason goes
/// into events and logs. An unusable schema is reported as such.
pub fn check_arguments(parameters: &Value, arguments: &Map<String, Value>) -> Result<(), String> {
    let validator = jsonschema::validator_for(parameters)
        .map_err(|_| "the action's parameters are not a usable JSON Schema".to_owned())?;
    let instance = Value::Object(arguments.clone());
    let reasons: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| {
            let path = error.instance_path().to_string();
            let path = if path.is_empty() { "/".into() } else { path };
            let schema_path = error.schema_path().to_string();
            let keyword = schema_path.rsplit('/').next().unwrap_or_default();
            format!("{path}: breaks \"{keyword}\"")
        })
        .collect();
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(reasons.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn notes() -> Value {
        json!({
            "app": "notes", "package": "com.example.notes", "version": 2,
            "actions": [{
                "id": "create_note", "version": 1, "title": "Create a note",
                "description": "Create a note with a title and a body.",
                "parameters": {"type": "object",
                               "properties": {"title": {"type": "string", "minLength": 1},
                                              "body": {"type": "string"}},
                               "required": ["title"], "additionalProperties": false},
                "result": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "side_effect": "reversible", "confirmation": "never",
                "examples": [{"goal": "Note the door code 4521",
                              "arguments": {"title": "Door code", "body": "4521"}}]
            }, {
                "id": "checkout", "version": 1, "title": "Pay for the cart",
                "description": "Pay for what is in the cart.",
                "parameters": {"type": "object", "properties": {}},
                "side_effect": "financial", "confirmation": "always"
            }]
        })
    }

    #[test]
    fn a_good_declaration_reads_with_call_names() {
        let catalog = read_declarations(&notes().to_string()).unwrap();
        assert_eq!(catalog.app, "notes");
        assert_eq!(catalog.actions.len(), 2);
        assert_eq!(catalog.call_name(&catalog.actions[0]), "notes.create_note");
        assert_eq!(catalog.actions[1].side_effect, SideEffect::Financial);
        assert_eq!(
            catalog.actions[0].examples[0].arguments["title"],
            "Door code"
        );
        assert_eq!(catalog.actions[1].result, None);
    }

    #[test]
    fn every_error_is_reported_at_its_place() {
        let mut broken = notes();
        broken["actions"][0]["id"] = json!("Create-Note");
        broken["actions"][0]["examples"][0]["arguments"] = json!({"body": 7});
        broken["actions"][0]["description"] = json!("x".repeat(MAX_ACTION_DESCRIPTION_CHARS + 1));
        broken["actions"][1]["confirmation"] = json!("first_time");
        broken["actions"][1]["parameters"]["properties"] = json!({"n": {"type": "nonsense"}});
        broken["actions"][1]["colour"] = json!("red");
        let errors = read_declarations(&broken.to_string()).unwrap_err();
        let at: Vec<&str> = errors.iter().map(|error| error.location.as_str()).collect();
        for expected in [
            "/actions/0/id",
            "/actions/0/description",
            "/actions/0/examples/0/arguments",
            "/actions/0/examples/0/arguments/body",
            "/actions/1/confirmation",
            "/actions/1/colour",
        ] {
            assert!(at.contains(&expected), "{expected} in {errors:#?}");
        }
        assert!(
            at.iter()
                .any(|location| location.starts_with("/actions/1/parameters")),
            "{errors:#?}"
        );
        let syntax = read_declarations("{\"app\": \"notes\",\n  \"actions\": [}").unwrap_err();
        assert_eq!(syntax[0].location, "line 2, column 15");
        assert!(syntax[0].message.starts_with("not JSON: "), "{syntax:?}");
    }

    #[test]
    fn twice_the_same_id_and_an_irreversible_action_that_never_asks_are_refused() {
        let mut twice = notes();
        twice["actions"][1]["id"] = json!("create_note");
        let errors = read_declarations(&twice.to_string()).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|error| error.message.contains("declared twice"))
        );
        let mut silent = notes();
        silent["actions"][0]["side_effect"] = json!("irreversible");
        let errors = read_declarations(&silent.to_string()).unwrap_err();
        assert_eq!(errors[0].location, "/actions/0/confirmation");
    }

    #[test]
    fn arguments_are_checked_against_the_parameters() {
        let schema = &notes()["actions"][0]["parameters"];
        let args = |value: Value| value.as_object().unwrap().clone();
        assert_eq!(
            check_arguments(schema, &args(json!({"title": "A"}))),
            Ok(())
        );
        let missing = check_arguments(schema, &args(json!({"body": "x"}))).unwrap_err();
        assert_eq!(missing, "/: breaks \"required\"");
        let extra = check_arguments(schema, &args(json!({"title": "A", "x": 1}))).unwrap_err();
        assert_eq!(extra, "/: breaks \"additionalProperties\"");
        assert_eq!(
            check_arguments(schema, &args(json!({"title": "Secret 4521"}))),
            Ok(())
        );
        let typed = check_arguments(schema, &args(json!({"title": 4521}))).unwrap_err();
        assert_eq!(typed, "/title: breaks \"type\"");
        assert!(!typed.contains("4521"));
    }
}
