//! The words of the planning turn, for the on-device and the cloud planner alike: what the
//! phone offers (the intent catalog with its arguments, the declared app actions, the installed
//! apps) and the plan's JSON shape, then the goal.
//!
//! Why one text for both: the plan is the same object whoever writes it (`plan_json`), and a
//! constrained small model and an unconstrained large one need the same facts. The system
//! message depends only on the phone, never on the goal, so it is the same for every task: the
//! on-device planner keeps its evaluated state (KV prefix, saved file) and providers' prompt
//! caches keep it too. Personal data in the goal is masked by the cloud planner before it
//! builds the user message.

use std::fmt::Write as _;

use super::{CivilDate, MAX_SUBGOALS, TaskRequest};

/// The planning system prompt for this phone.
pub fn plan_system_prompt(request: &TaskRequest<'_>) -> String {
    let mut text = format!(
        "You plan tasks on an Android phone. Split the user's goal into 1 to {MAX_SUBGOALS} \
         subgoals, in order, each reached the surest way: a system intent when one fits, an \
         app's declared action when one fits, and steps through an installed app's screens \
         only where nothing better exists.\n\
         Reply with exactly one JSON object and nothing else:\n\
         {{\"subgoals\":[{{\"goal\":\"<what it achieves>\",\"route\":ROUTE}},…]}} where \
         \"goal\" is empty (\"\") in a plan of one subgoal, and ROUTE is one of\n\
         {{\"kind\":\"intent\",\"name\":\"<intent>\",\"args\":{{<its arguments>}}}}\n\
         {{\"kind\":\"app_action\",\"name\":\"<action>\",\"args\":{{<its arguments>}}}}\n\
         {{\"kind\":\"ui\",\"app\":\"<installed app>\"}}\n\
         Intents and their arguments ([optional]):\n"
    );
    for kind in request.tools.iter() {
        let params: Vec<String> = kind
            .params()
            .iter()
            .map(|param| {
                let value = param.kind.describe();
                if param.required {
                    format!("{} ({value})", param.key)
                } else {
                    format!("[{} ({value})]", param.key)
                }
            })
            .collect();
        let _ = writeln!(text, "  {} {}", kind.name(), params.join(", "));
    }
    if !request.app_actions.is_empty() {
        text.push_str("App actions:\n");
        for action in request.app_actions {
            let _ = writeln!(text, "  {}: {}", action.name, action.description);
        }
    }
    if !request.installed_apps.is_empty() {
        let apps: Vec<&str> = request
            .installed_apps
            .iter()
            .map(|app| app.label.as_str())
            .collect();
        let _ = writeln!(text, "Installed apps: {}", apps.join(", "));
    }
    text.push_str(
        "Personal data may appear as placeholders such as {phone_1} or {email_1}; copy them \
         exactly where a value is needed.\n\
         Examples. Goal: Show me the Bluetooth settings. Reply: {\"subgoals\":[{\"goal\":\
         \"\",\"route\":{\"kind\":\"intent\",\"name\":\"open_settings\",\"args\":\
         {\"page\":\"bluetooth\"}}}]}\n\
         Goal: Set an alarm for 7:30 and turn on Do Not Disturb. Reply: \
         {\"subgoals\":[{\"goal\":\"Set an alarm for 7:30\",\"route\":{\"kind\":\
         \"intent\",\"name\":\"set_alarm\",\"args\":{\"hour\":7,\"minute\":30}}},\
         {\"goal\":\"Turn on Do Not Disturb\",\"route\":{\"kind\":\"ui\",\"app\":\
         \"Settings\"}}]}",
    );
    text
}

/// The user message of the planning turn: today's date (for "tomorrow") and the goal.
pub fn plan_user_prompt(goal: &str, today: CivilDate) -> String {
    format!(
        "Today is {:04}-{:02}-{:02}.\nGoal: {goal}",
        today.year, today.month, today.day
    )
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::device::AppInfo;
    use crate::planner::plan_from_json;

    /// The prompt's example replies are plans as the on-device planner's schema writes them:
    /// without whitespace (`serde_json`'s form, which the schema's separators match), and plans
    /// this phone can run. A spaced example would teach a model separators the schema refuses.
    #[test]
    fn the_example_replies_are_plans_written_as_the_schema_writes_them() {
        let apps = [AppInfo {
            label: "Settings".into(),
            package: "com.android.settings".into(),
        }];
        let request = TaskRequest {
            goal: "g",
            installed_apps: &apps,
            app_actions: &[],
            today: CivilDate::today(),
            tools: crate::action::ToolSet::ALL,
        };
        let prompt = plan_system_prompt(&request);
        let replies: Vec<&str> = prompt
            .split("Reply: ")
            .skip(1)
            .map(|rest| rest.split('\n').next().unwrap_or(rest))
            .collect();
        assert_eq!(replies.len(), 2, "{prompt}");
        for reply in replies {
            let plan: Value = serde_json::from_str(reply).expect("an example is JSON");
            assert_eq!(
                plan.to_string(),
                reply,
                "not written as the schema writes it"
            );
            assert!(plan_from_json(&plan, &request).is_ok(), "{reply}");
        }
    }
}
