//! The cloud prompt: the shared system prompt with what a cloud model needs besides, and one
//! user message with the goal, a compact history and the current screen — all masked.
//!
//! Why built this way: the system prompt, the goal block and the screen block are the on-device
//! planner's (`planner::prompt`), so both planners read the same words; the cloud adds what a
//! model decoding without the per-screen grammar needs (every intent with its parameters, the
//! installed apps, the placeholders, the answer format). Everything the prompt quotes from the
//! phone (the goal, the plan, the history, the screen) passes through the [`Redactor`] in one
//! place, in a fixed order, so placeholders stay stable across steps. The history is compact
//! and stateless (each step as its action and the first line of its result, the latest step
//! with its whole screen diff, the oldest steps only counted), so a router can call the cloud at
//! any step and it sees the task so far; the system message stays the same for the whole task,
//! which is what providers' prompt caching keys on.
//!
//! Why so little history: every request carries the whole current screen, so the diffs of
//! earlier steps mostly repeat screens the model saw before; with them a request cost about
//! 1.5 times as many tokens by the tenth step (BENCHMARKS.md, "Cloud tokens per sim task").

use std::fmt::Write as _;

use super::output_mode::OutputMode;
use crate::action::{GrammarContext, ParamKind};
use crate::planner::prompt::{
    ChatMessage, Examples, ReplyFormat, Role, goal_block, screen_block, system_prompt_for,
};
use crate::planner::{StepMemory, StepRequest, goal_names_tool};
use crate::policy::redact::{PrivateApps, Redactor};

/// Steps shown with their whole result (the screen diff); earlier ones show its first line.
const RECENT_STEPS_IN_FULL: usize = 1;
/// Steps listed at all (the oldest are counted, not listed).
const MAX_LISTED_STEPS: usize = 32;

/// The messages for one step, masked with `redactor`. `history` is the request's history with
/// private steps already withheld.
pub(crate) fn build_messages(
    request: &StepRequest<'_>,
    history: &[StepMemory],
    redactor: &mut Redactor,
    private: &PrivateApps,
    mode: OutputMode,
) -> Vec<ChatMessage> {
    vec![
        ChatMessage::new(
            Role::System,
            system_text(request.context, mode, request.goal),
        ),
        ChatMessage::new(Role::User, user_text(request, history, redactor, private)),
    ]
}

/// The shared system prompt in the answer format of `mode`, then the catalog, the installed apps
/// and the placeholders. The catalog lists the standard intents and only the system tools
/// `goal` names (a plan's route to another would not be grounded either): 27 more tools on
/// every request of a task cost about 180 prompt tokens each time. The goal is the task's, so
/// the message stays the same through the task and a provider's prompt cache serves it again.
fn system_text(context: &GrammarContext, mode: OutputMode, goal: &str) -> String {
    let format = if mode.is_json() {
        ReplyFormat::JsonObject
    } else {
        ReplyFormat::ActionLine
    };
    // The shared prompt names a few intents as examples; the whole catalog follows here instead.
    let shared = GrammarContext {
        allow_intents: false,
        ..context.clone()
    };
    let mut text = system_prompt_for(&shared, format, Examples::One);
    if context.allow_intents {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(
            "Some tasks go straight through a system intent (intent NAME key=value …, in this \
             order; [optional]):\n",
        );
        let mut lines = Vec::new();
        for kind in context
            .tools
            .iter()
            .filter(|kind| goal_names_tool(*kind, goal))
        {
            let params: Vec<String> = kind
                .params()
                .iter()
                .map(|param| {
                    let value = match param.kind {
                        ParamKind::Int { .. } => "N".to_owned(),
                        ParamKind::SettingsPage => "PAGE".to_owned(),
                        ParamKind::Choice(choice) => choice.describe(),
                        _ => "\"…\"".to_owned(),
                    };
                    if param.required {
                        format!("{}={value}", param.key)
                    } else {
                        format!("[{}={value}]", param.key)
                    }
                })
                .collect();
            lines.push(
                format!("{} {}", kind.name(), params.join(" "))
                    .trim_end()
                    .to_owned(),
            );
        }
        let _ = writeln!(text, "{}", lines.join(" | "));
    }
    if let Some(apps) = &context.installed_apps {
        let _ = writeln!(text, "Installed apps for `open`: {}", apps.join(", "));
    }
    text.push_str(
        "Personal data shows as placeholders ({phone_1}, {email_1}, {card_1}, {id_1}, {code_1}); \
         write one to use its value. Private apps and passwords are not shown.\n",
    );
    text
}

/// The task: goal and plan, history, screen; each part masked.
fn user_text(
    request: &StepRequest<'_>,
    history: &[StepMemory],
    redactor: &mut Redactor,
    private: &PrivateApps,
) -> String {
    let mut text = redactor.mask(&goal_block(
        request.goal,
        request.task_plan,
        request.subgoal,
    ));
    text.push_str(&history_text(history, redactor));
    let screen = redactor.mask_screen(request.screen, private);
    let _ = write!(
        text,
        "\nStep {}. {}\n\nThe next action:",
        request.step,
        screen_block(&screen)
    );
    text
}

/// The history: a count of the oldest steps, then each listed step as its action and the
/// first line of its result, the most recent with the rest of its result (the diff, indented).
fn history_text(history: &[StepMemory], redactor: &mut Redactor) -> String {
    if history.is_empty() {
        return "No steps taken yet.\n".to_owned();
    }
    let mut text = String::from("Steps so far:\n");
    let full_from = history.len().saturating_sub(RECENT_STEPS_IN_FULL);
    let listed_from = history.len().saturating_sub(MAX_LISTED_STEPS);
    if listed_from > 0 {
        let _ = writeln!(text, "({listed_from} earlier steps not shown)");
    }
    for (index, memory) in history.iter().enumerate().skip(listed_from) {
        let _ = write!(
            text,
            "step {}: {}",
            memory.step,
            redactor.mask(&memory.action)
        );
        let result = redactor.mask(&memory.result);
        let mut lines = result.lines();
        if let Some(first) = lines.next() {
            let _ = write!(text, " → {first}");
        }
        if index >= full_from {
            for line in lines {
                let _ = write!(text, "\n    {line}");
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::TaskPlan;
    use crate::screen::test_support::*;
    use crate::screen::{WindowType, encode};

    fn memory(step: u32, action: &str, result: &str) -> StepMemory {
        StepMemory {
            step,
            action: action.into(),
            result: result.into(),
            verified: Some(true),
            repeated: false,
        }
    }

    #[test]
    fn the_catalog_lists_the_standard_intents_and_the_tools_the_goal_names() {
        let context = GrammarContext {
            allow_intents: true,
            ..GrammarContext::default()
        };
        let wifi = system_text(&context, OutputMode::JsonSchema, "Turn off Wi-Fi");
        assert!(wifi.contains("set_alarm hour=N"), "{wifi}");
        assert!(
            wifi.contains("settings_panel panel=internet|wifi|nfc|volume"),
            "{wifi}"
        );
        assert!(!wifi.contains("flashlight"), "{wifi}");
        let torch = system_text(&context, OutputMode::JsonSchema, "打开手电筒");
        assert!(torch.contains("flashlight state=on|off"), "{torch}");
        assert!(!torch.contains("battery_status"), "{torch}");
        // The same goal, the same message: a provider's cache serves it through the task.
        assert_eq!(
            torch,
            system_text(&context, OutputMode::JsonSchema, "打开手电筒")
        );
    }

    #[test]
    fn the_prompt_has_rules_goal_history_and_a_masked_screen() {
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![
                text("name", "Ana Castillo", 100),
                button("mobile", "Mobile +1 415-555-0102", 300),
                field("password", "", "Password", 500),
            ],
        );
        let mut snapshot = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.contacts",
            root,
        )]);
        if let Some(root) = snapshot.windows[0].root.as_mut() {
            root.children[2].password = true;
            root.children[2].text = "hunter2".into();
        }
        let screen = encode(&snapshot, None);
        let plan = TaskPlan::single_ui("Send Ana's number to +1 415-555-0114");
        let context = GrammarContext {
            installed_apps: Some(vec!["Contacts".into(), "Messages".into()]),
            allow_intents: true,
            ..GrammarContext::default()
        };
        let history = vec![memory(
            1,
            "open \"Contacts\"",
            "screen changed (4 lines)\n+ [3] Ana",
        )];
        let request = StepRequest {
            goal: "Send Ana's number to +1 415-555-0114",
            task_plan: &plan,
            subgoal: 0,
            screen: &screen,
            grammar: "",
            context: &context,
            history: &history,
            step: 2,
        };
        let mut redactor = Redactor::new();
        let messages = build_messages(
            &request,
            &history,
            &mut redactor,
            &PrivateApps::default(),
            OutputMode::JsonSchema,
        );
        assert_eq!(messages[0].role, Role::System);
        let system = &messages[0].content;
        let without_intents = GrammarContext {
            allow_intents: false,
            ..context.clone()
        };
        assert!(system.starts_with(&system_prompt_for(
            &without_intents,
            ReplyFormat::JsonObject,
            Examples::One
        )));
        assert_eq!(system.matches("set_alarm").count(), 1, "{system}");
        assert!(!system.contains("action line"), "{system}");
        assert!(system.contains(crate::policy::screen_text_notice()));
        assert!(
            system.contains("set_alarm hour=N minute=N [label=\"…\"] | set_timer"),
            "{system}"
        );
        assert!(system.contains("Installed apps for `open`: Contacts, Messages"));
        assert!(system.contains("{\"action\""));
        assert!(!system.contains("ask \""));
        // Plain text mode asks for an action line, and nothing about JSON.
        let plain = build_messages(
            &request,
            &history,
            &mut redactor,
            &PrivateApps::default(),
            OutputMode::Text,
        );
        assert!(plain[0].content.starts_with(&system_prompt_for(
            &without_intents,
            ReplyFormat::ActionLine,
            Examples::One
        )));
        assert!(!plain[0].content.contains("JSON"), "{}", plain[0].content);
        let user = &messages[1].content;
        assert!(
            user.starts_with("Goal: Send Ana's number to {phone_1}\n"),
            "{user}"
        );
        assert!(
            user.contains("step 1: open \"Contacts\" → screen changed (4 lines)\n    + [3] Ana")
        );
        assert!(user.contains("Mobile {phone_2}"), "{user}");
        assert!(
            user.contains("Step 2. Screen:\n# app com.example.contacts"),
            "{user}"
        );
        for leaked in ["415-555", "hunter2"] {
            assert!(!user.contains(leaked), "{leaked}:\n{user}");
        }
    }

    #[test]
    fn long_histories_keep_first_lines_and_the_last_diff_only() {
        let history: Vec<StepMemory> = (1..=40)
            .map(|step| {
                memory(
                    step,
                    &format!("tap {step}"),
                    &format!("result {step}\n+ [{step}] new"),
                )
            })
            .collect();
        let text = history_text(&history, &mut Redactor::new());
        assert!(text.contains("(8 earlier steps not shown)"), "{text}");
        let read = [memory(
            1,
            "intent find_contact name=\"Ana\"",
            "done: returned: Ana Castillo: mobile +1 415-555-0101, e-mail ana.castillo@example.com",
        )];
        let masked = history_text(&read, &mut Redactor::new());
        assert!(
            masked.contains("returned: Ana Castillo: mobile {phone_1}"),
            "{masked}"
        );
        assert!(!masked.contains("555"), "{masked}");
        assert!(!masked.contains("ana.castillo@"), "{masked}");
        assert!(!text.contains("step 8: tap 8 "), "{text}");
        assert!(text.contains("step 9: tap 9 → result 9\n"), "{text}");
        assert!(
            text.contains("step 39: tap 39 → result 39\nstep 40"),
            "{text}"
        );
        assert!(
            text.ends_with("step 40: tap 40 → result 40\n    + [40] new\n"),
            "{text}"
        );
        assert_eq!(text.matches("new").count(), 1, "{text}");
    }
}
