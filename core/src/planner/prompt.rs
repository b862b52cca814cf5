//! The words a model planner reads: the system prompt, the chat message type, and the blocks of a
//! user turn (goal, plan, screen).
//!
//! Written for a 0.5B model first: a short statement of the job, the action syntax as one line
//! per verb, three worked examples in exactly the format the screens and replies take, and the
//! statement that screen text is data. Everything here is stable for a whole task (it depends on
//! what the grammar admits, never on the screen), so the system prompt's tokens can be evaluated
//! once and kept, in the KV cache and in a saved prefix file. The cloud planner sends the same
//! messages, redacted.

use std::fmt;
use std::fmt::Write as _;

use crate::action::GrammarContext;
use crate::policy::screen_text_notice;

use super::{StepRequest, SubgoalStatus, TaskPlan};

/// Who says a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The instructions.
    System,
    /// The agent's report: goal, screens, results.
    User,
    /// The model's earlier answers (one action line each).
    Assistant,
}

impl Role {
    /// The role's name in chat templates and the OpenAI protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message of a chat prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: String,
}

impl ChatMessage {
    /// A message.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
}

/// How the model is told to give its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyFormat {
    /// One action line and nothing else (the on-device planner's grammar, a cloud asked for
    /// plain text).
    ActionLine,
    /// One JSON object `{"action": "<action line>", "reason": "<a few words>"}` (a cloud asked
    /// for `json_schema` or `json_object` output).
    JsonObject,
}

impl ReplyFormat {
    /// `action` and `reason` as a reply in this format.
    fn reply(self, action: &str, reason: &str) -> String {
        match self {
            ReplyFormat::ActionLine => action.to_owned(),
            ReplyFormat::JsonObject => serde_json::json!({"action": action, "reason": reason})
                .to_string()
                .replace("\",\"", "\", \"")
                .replace("\":\"", "\": \""),
        }
    }
}

/// How many worked examples the system prompt carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Examples {
    /// Three (a tap, a typed text, a done with an answer): a 0.5B model follows the format by
    /// imitation, and on the device the system prompt is evaluated once per task anyway.
    Three,
    /// One (the typed text, which shows the quoting): a cloud model needs only the format, and
    /// the system message travels with every request.
    One,
}

/// The system prompt for a task under `context`, answered in action lines: the job, the action
/// syntax (only the verbs the grammar admits), worked examples and the screen-text notice.
pub fn system_prompt(context: &GrammarContext) -> String {
    system_prompt_for(context, ReplyFormat::ActionLine, Examples::Three)
}

/// The system prompt for a task under `context`, with the answer format and the examples in
/// `format`: one voice, so a model is never told both "one action line" and "a JSON object".
pub fn system_prompt_for(
    context: &GrammarContext,
    format: ReplyFormat,
    examples: Examples,
) -> String {
    let mut out = String::from(
        "You operate an Android phone to reach the user's goal, one action per turn. \
         Each screen lists its elements as [id] lines; refer to elements only by those ids. \
         After each action you are told what changed on the screen.\n",
    );
    out.push_str(match format {
        ReplyFormat::ActionLine => "Reply with exactly one action line, nothing else:\n",
        ReplyFormat::JsonObject => {
            "Reply with exactly one JSON object and nothing else: {\"action\": \"<one action>\", \
             \"reason\": \"<a few words>\"}. The action is one of:\n"
        }
    });
    out.push_str(&verbs(context));
    if !context.app_actions.is_empty() {
        let actions: Vec<String> = context
            .app_actions
            .iter()
            .map(|name| call_signature(name, context.app_action_arguments.get(name)))
            .collect();
        let _ = write!(
            out,
            "\nApps also offer actions: call NAME {{json arguments}}, with NAME one of: {}.",
            actions.join(", ")
        );
    }
    if context.allow_intents {
        out.push_str(
            "\nSome tasks go straight through a system intent, e.g. intent set_alarm hour=7 \
             minute=30 | intent set_timer seconds=300 | intent dial number=\"5550100\" | \
             intent open_settings page=wifi",
        );
    }
    let typed = format!(
        "Goal: Text Ann \"on my way\". Screen: [4] EditText \"Message\" focused … Reply: {}\n",
        format.reply("type 4 \"on my way\"", "the message field")
    );
    match examples {
        Examples::Three => {
            let _ = write!(
                out,
                "\nExamples:\n\
                 Goal: Turn off Wi-Fi. Screen: [9] \"Network & internet\" … Reply: {}\n\
                 {typed}\
                 Goal: When is my first alarm? Screen: [3] \"7:30 AM\" on … Reply: {}\n",
                format.reply("tap 9", "Wi-Fi is under it"),
                format.reply("done \"7:30 AM\"", "the first alarm is shown"),
            );
        }
        Examples::One => {
            // The third example's lesson, in words.
            let _ = write!(
                out,
                "\nExample: {typed}A question is answered with done \"answer\".\n"
            );
        }
    }
    out.push_str(
        "Say done when the goal is reached; if it cannot be reached, fail with the reason.\n",
    );
    out.push_str(screen_text_notice());
    out
}

/// The verbs the grammar admits, in the action language's syntax, `|`-separated.
fn verbs(context: &GrammarContext) -> String {
    let mut out = String::from(
        "tap ID | long_press ID | type ID \"text\" | scroll ID up|down|left|right | \
         scroll up|down | back | home",
    );
    if context
        .installed_apps
        .as_ref()
        .is_none_or(|apps| !apps.is_empty())
    {
        out.push_str(" | open \"App name\"");
    }
    out.push_str(" | wait SECONDS");
    if context.allow_ask {
        out.push_str(
            " | ask \"question for the user\" | takeover \"what the user must do: sign in, \
             captcha, payment PIN\"",
        );
    }
    out.push_str(" | done | done \"answer\" | fail \"reason\"");
    if context.allow_swipe {
        out.push_str(" | swipe X1 Y1 X2 Y2");
    }
    out
}

/// The opening of the first user turn: the goal and, when the task has several subgoals, the
/// plan with the one being worked on marked.
pub fn goal_block(goal: &str, plan: &TaskPlan, subgoal: usize) -> String {
    let mut out = format!("Goal: {goal}\n");
    if plan.subgoals.len() > 1 {
        out.push_str("Plan:\n");
        for (index, step) in plan.subgoals.iter().enumerate() {
            let mark = match (&step.status, index == subgoal) {
                (_, true) => "now",
                (SubgoalStatus::Done, _) => "done",
                _ => "todo",
            };
            let _ = writeln!(out, "{}. {} [{mark}]", index + 1, step.description);
        }
    }
    out
}

/// The note that the agent moved on to another subgoal, for the step log.
pub fn subgoal_note(request: &StepRequest<'_>) -> Option<String> {
    let subgoal = request.task_plan.subgoals.get(request.subgoal)?;
    (request.task_plan.subgoals.len() > 1).then(|| {
        format!(
            "Now working on subgoal {}: {}",
            request.subgoal + 1,
            subgoal.description
        )
    })
}

/// A full screen as the log shows it.
pub fn screen_block(screen_text: &str) -> String {
    format!("Screen:\n{screen_text}")
}

/// `name` with the arguments its schema declares, an optional one marked `?`
/// (`notes.create_note {title, body?}`); the name alone without a schema or properties.
fn call_signature(name: &str, schema: Option<&serde_json::Value>) -> String {
    let Some(properties) = schema
        .and_then(|schema| schema.get("properties"))
        .and_then(serde_json::Value::as_object)
        .filter(|properties| !properties.is_empty())
    else {
        return name.to_owned();
    };
    let required = |key: &str| {
        schema
            .and_then(|schema| schema.get("required"))
            .and_then(serde_json::Value::as_array)
            .is_some_and(|keys| keys.iter().any(|k| k == key))
    };
    let arguments: Vec<String> = properties
        .keys()
        .map(|key| {
            if required(key) {
                key.clone()
            } else {
                format!("{key}?")
            }
        })
        .collect();
    format!("{name} {{{}}}", arguments.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_prompt_names_only_the_verbs_the_grammar_admits() {
        let plain = system_prompt(&GrammarContext::default());
        assert!(plain.contains("tap ID"));
        assert!(plain.contains("open \"App name\""));
        assert!(!plain.contains("ask \""));
        assert!(!plain.contains("intent "));
        assert!(!plain.contains("call NAME"));
        assert!(plain.contains(screen_text_notice()));

        let rich = system_prompt(&GrammarContext {
            installed_apps: Some(vec![]),
            app_actions: vec!["create_note".into()],
            app_action_arguments: Default::default(),
            allow_ask: true,
            allow_intents: true,
            allow_swipe: true,
            tools: crate::action::ToolSet::ALL,
        });
        assert!(!rich.contains("open \"App name\""));
        assert!(rich.contains("ask \""));
        let intents: Vec<&str> = rich
            .lines()
            .find(|line| line.contains("intent set_alarm"))
            .unwrap()
            .split(" | ")
            .map(|part| &part[part.find("intent ").unwrap()..])
            .collect();
        assert_eq!(intents.len(), 4);
        for intent in intents {
            crate::action::parse_action(intent).unwrap();
        }
        assert!(rich.contains("call NAME {json arguments}, with NAME one of: create_note."));
        let declared = system_prompt(&GrammarContext {
            app_actions: vec!["notes.create_note".into(), "legacy.ping".into()],
            app_action_arguments: [(
                "notes.create_note".to_owned(),
                serde_json::json!({"type": "object", "required": ["title"],
                    "properties": {"title": {"type": "string"}, "body": {"type": "string"}}}),
            )]
            .into(),
            ..GrammarContext::default()
        });
        assert!(
            declared.contains("NAME one of: notes.create_note {title, body?}, legacy.ping."),
            "{declared}"
        );
        assert!(rich.contains("swipe X1"));
    }

    fn replies(prompt: &str) -> Vec<&str> {
        prompt
            .lines()
            .filter_map(|line| line.split_once("Reply: ").map(|(_, reply)| reply))
            .collect()
    }

    #[test]
    fn examples_parse_as_actions() {
        let prompt = system_prompt(&GrammarContext::default());
        assert_eq!(replies(&prompt).len(), 3);
        for reply in replies(&prompt) {
            crate::action::parse_action(reply).unwrap();
        }
    }

    #[test]
    fn each_format_speaks_with_one_voice() {
        let context = GrammarContext::default();
        let lines = system_prompt_for(&context, ReplyFormat::ActionLine, Examples::Three);
        assert_eq!(lines, system_prompt(&context));
        assert!(lines.contains("exactly one action line"));
        assert!(!lines.contains("JSON"));
        let json = system_prompt_for(&context, ReplyFormat::JsonObject, Examples::Three);
        assert!(json.contains("exactly one JSON object"));
        assert!(!json.contains("action line"), "{json}");
        let examples = replies(&json);
        assert_eq!(examples.len(), 3);
        for example in examples {
            let value: serde_json::Value = serde_json::from_str(example).unwrap();
            crate::action::parse_action(value["action"].as_str().unwrap()).unwrap();
            assert!(!value["reason"].as_str().unwrap().is_empty());
        }
        let one = system_prompt_for(&context, ReplyFormat::JsonObject, Examples::One);
        let example: Vec<&str> = replies(&one);
        assert_eq!(example.len(), 1, "{one}");
        let value: serde_json::Value = serde_json::from_str(example[0]).unwrap();
        assert_eq!(value["action"], "type 4 \"on my way\"");
        assert!(one.len() < json.len());
    }

    #[test]
    fn goal_block_marks_the_current_subgoal() {
        let mut plan = TaskPlan::single_ui("Turn on DND and set an alarm");
        assert_eq!(
            goal_block("Turn on DND and set an alarm", &plan, 0),
            "Goal: Turn on DND and set an alarm\n"
        );
        let mut second = plan.subgoals[0].clone();
        second.description = "Set an alarm for 7:00".into();
        plan.subgoals[0].description = "Turn on Do Not Disturb".into();
        plan.subgoals[0].status = SubgoalStatus::Done;
        plan.subgoals.push(second);
        let block = goal_block("g", &plan, 1);
        assert!(block.contains("1. Turn on Do Not Disturb [done]"));
        assert!(block.contains("2. Set an alarm for 7:00 [now]"));
    }
}
