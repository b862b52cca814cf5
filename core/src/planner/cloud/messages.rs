//! The cloud prompt: a system message with the action language and the rules, and a user
//! message with the goal, the plan, a compact history and the current screen — all masked.
//!
//! Why its own builder: a cloud model decodes without the per-screen grammar, so the system
//! message must teach the whole action language and the output format, and everything the
//! prompt quotes from the phone (the goal, the history, the screen) passes through the
//! [`Redactor`] in one place, in a fixed order, so placeholders stay stable across steps.
//! History is compact: the latest steps with their screen diffs, older ones as actions only.

use std::fmt::Write as _;

use super::wire::{Message, OutputMode};
use crate::action::{GrammarContext, IntentKind, ParamKind};
use crate::planner::{StepMemory, StepRequest, SubgoalStatus};
use crate::policy::redact::{PrivateApps, Redactor};
use crate::policy::screen_text_notice;

/// Steps shown with their results; older steps show their action only.
const RECENT_STEPS_IN_FULL: usize = 8;
/// Older steps listed at all (the oldest are counted, not listed).
const MAX_OLDER_STEPS: usize = 24;

/// The messages for one step, masked with `redactor`. `history` is the request's history with
/// private steps already withheld.
pub(crate) fn build_messages(
    request: &StepRequest<'_>,
    history: &[StepMemory],
    redactor: &mut Redactor,
    private: &PrivateApps,
    mode: OutputMode,
) -> Vec<Message> {
    vec![
        Message {
            role: "system",
            content: system_text(request.context, mode),
        },
        Message {
            role: "user",
            content: user_text(request, history, redactor, private),
        },
    ]
}

/// The rules: who the model is, the action language, screen text as data, placeholders and the
/// answer format.
fn system_text(context: &GrammarContext, mode: OutputMode) -> String {
    let mut text = String::from(
        "You operate an Android phone for its user, one action per turn, until the user's goal \
         is reached. You see the screen as text: one line per element or text; `[12]` is the id \
         of element 12, and only elements with an id can be acted on; `# app com.example.notes` \
         starts a window, `(other app)` marks a window of an app the task is not working in. \
         Tags in parentheses give state: `(switch, on)`, `(field, empty)`, `(scroll, more \
         below)`.\n\nActions (one line, tokens separated by one space, strings in double \
         quotes):\n\
         tap ID\n\
         long_press ID\n\
         type ID \"text\" [clear] [enter]   (clear empties the field first; enter submits)\n\
         scroll [ID] up|down|left|right   (the direction to move through the content)\n\
         back | home | recents | notifications\n\
         open \"App name\"\n\
         wait SECONDS\n\
         done [\"answer\"]   (the goal is reached; give the answer when the goal asks a question)\n\
         fail \"reason\"   (the goal cannot be reached)\n",
    );
    if context.allow_swipe {
        text.push_str("swipe X1 Y1 X2 Y2 [MILLISECONDS]\n");
    }
    if context.allow_ask {
        text.push_str("ask \"question\"   (ask the user when the goal is ambiguous)\n");
    }
    if !context.app_actions.is_empty() {
        let _ = writeln!(
            text,
            "call NAME {{json arguments}}   (app actions: {})",
            context.app_actions.join(", ")
        );
    }
    if context.allow_intents {
        text.push_str("intent NAME key=value …   (keys in this order; [optional]):\n");
        for kind in IntentKind::ALL {
            let params: Vec<String> = kind
                .params()
                .iter()
                .map(|param| {
                    let value = match param.kind {
                        ParamKind::Int { .. } => "N",
                        ParamKind::SettingsPage => "PAGE",
                        _ => "\"…\"",
                    };
                    if param.required {
                        format!("{}={value}", param.key)
                    } else {
                        format!("[{}={value}]", param.key)
                    }
                })
                .collect();
            let _ = writeln!(text, "  {} {}", kind.name(), params.join(" "));
        }
    }
    if let Some(apps) = &context.installed_apps {
        let _ = writeln!(text, "Installed apps for `open`: {}", apps.join(", "));
    }
    text.push('\n');
    text.push_str(screen_text_notice());
    text.push_str(
        "\n\nPersonal data is masked before it reaches you: phone numbers, e-mail addresses, \
         card and ID numbers and one-time codes appear as placeholders such as {phone_1}, \
         {email_1}, {card_1}, {id_1}, {code_1}. To use such a value, write its placeholder \
         exactly, e.g. type 4 \"{phone_1}\"; the phone puts the real value in. Apps marked \
         private show no content. Passwords are never shown.\n\n",
    );
    match mode {
        OutputMode::JsonSchema => text.push_str(
            "Answer with a JSON object {\"action\": \"<one action line>\", \"reason\": \"<a few \
             words>\"} and nothing else.",
        ),
        OutputMode::PlainText => text.push_str(
            "Answer with the action alone on the first line, and a reason of a few words on the \
             second line. Nothing else.",
        ),
    }
    text
}

/// The task: goal, plan, history, screen; each part masked.
fn user_text(
    request: &StepRequest<'_>,
    history: &[StepMemory],
    redactor: &mut Redactor,
    private: &PrivateApps,
) -> String {
    let mut text = format!("Goal: {}\n", redactor.mask(request.goal));
    let subgoals = &request.task_plan.subgoals;
    if subgoals.len() > 1 {
        text.push_str("Plan:\n");
        for (index, subgoal) in subgoals.iter().enumerate() {
            let status = match &subgoal.status {
                SubgoalStatus::Done => " (done)",
                _ if index == request.subgoal => " (now)",
                _ => "",
            };
            let _ = writeln!(
                text,
                "{}. {}{status}",
                index + 1,
                redactor.mask(&subgoal.description)
            );
        }
    }
    text.push_str(&history_text(history, redactor));
    let _ = write!(
        text,
        "\nScreen now (step {}):\n{}\n\nThe next action:",
        request.step,
        redactor.mask_screen(request.screen, private)
    );
    text
}

/// The history: a count of the oldest steps, older steps as actions, recent ones with their
/// results (diffs indented under the action).
fn history_text(history: &[StepMemory], redactor: &mut Redactor) -> String {
    if history.is_empty() {
        return "No steps taken yet.\n".to_owned();
    }
    let mut text = String::from("Steps so far:\n");
    let full_from = history.len().saturating_sub(RECENT_STEPS_IN_FULL);
    let listed_from = full_from.saturating_sub(MAX_OLDER_STEPS);
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
        if index >= full_from {
            let result = redactor.mask(&memory.result);
            let mut lines = result.lines();
            if let Some(first) = lines.next() {
                let _ = write!(text, " → {first}");
            }
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
        let system = &messages[0].content;
        assert!(system.contains(screen_text_notice()));
        assert!(system.contains("type ID \"text\""));
        assert!(system.contains("set_alarm hour=N minute=N"), "{system}");
        assert!(system.contains("Installed apps for `open`: Contacts, Messages"));
        assert!(system.contains("{\"action\""));
        assert!(!system.contains("ask \"question\""));
        let user = &messages[1].content;
        assert!(
            user.starts_with("Goal: Send Ana's number to {phone_1}\n"),
            "{user}"
        );
        assert!(
            user.contains("step 1: open \"Contacts\" → screen changed (4 lines)\n    + [3] Ana")
        );
        assert!(user.contains("Mobile {phone_2}"), "{user}");
        assert!(user.contains("Screen now (step 2):\n# app com.example.contacts"));
        for leaked in ["415-555", "hunter2"] {
            assert!(!user.contains(leaked), "{leaked}:\n{user}");
        }
    }

    #[test]
    fn long_histories_keep_recent_results_only() {
        let history: Vec<StepMemory> = (1..=40)
            .map(|step| memory(step, &format!("tap {step}"), &format!("result {step}")))
            .collect();
        let text = history_text(&history, &mut Redactor::new());
        assert!(text.contains("(8 earlier steps not shown)"), "{text}");
        assert!(!text.contains("step 8: tap 8\n"));
        assert!(text.contains("step 9: tap 9\n"));
        assert!(text.contains("step 32: tap 32\n"));
        assert!(text.contains("step 33: tap 33 → result 33\n"));
        assert!(text.contains("step 40: tap 40 → result 40\n"));
    }
}
