//! The cloud planner's planning turn: the goal (masked) in, a plan of routes out, in the same
//! JSON shape `lobster plan --json` prints (`planner::plan_to_json`), constrained by the plan
//! schema (`planner::plan_schema`) where the server supports structured output.
//!
//! Why a separate turn before the first step: one intent ("set an alarm for 6:45") replaces a
//! dozen UI steps, each a round trip with the screen in it; a plan costs one short request with
//! no screen at all. The system message lists what this phone offers (the intent catalog with
//! its arguments, the declared app actions, the installed apps) and stays the same for every
//! task on the phone, so providers' prompt caches keep it. The reply is a proposal: its strings
//! are unmasked on the device and every route is checked against the phone
//! ([`plan_from_json`]); a reply that fails is an invalid output, and the caller works on the
//! goal through the UI instead.

use std::fmt::Write as _;

use serde_json::Value;

use super::output_mode::OutputMode;
use crate::action::{IntentKind, ParamKind};
use crate::planner::prompt::{ChatMessage, Role};
use crate::planner::{CivilDate, MAX_SUBGOALS, TaskPlan, TaskRequest, plan_from_json};
use crate::policy::redact::Redactor;

/// The messages of the planning turn, the goal masked with `redactor`.
pub(crate) fn plan_messages(
    request: &TaskRequest<'_>,
    redactor: &mut Redactor,
    today: CivilDate,
    mode: OutputMode,
) -> Vec<ChatMessage> {
    vec![
        ChatMessage::new(Role::System, system_text(request, mode)),
        ChatMessage::new(
            Role::User,
            format!(
                "Today is {:04}-{:02}-{:02}.\nGoal: {}",
                today.year,
                today.month,
                today.day,
                redactor.mask(request.goal)
            ),
        ),
    ]
}

/// What the phone offers and the answer format; the same for every task on this phone.
fn system_text(request: &TaskRequest<'_>, mode: OutputMode) -> String {
    let mut text = format!(
        "You plan tasks on an Android phone. Split the user's goal into 1 to {MAX_SUBGOALS} \
         subgoals, in order, each reached the surest way: a system intent when one fits, an \
         app's declared action when one fits, and steps through an installed app's screens \
         only where nothing better exists.\n"
    );
    text.push_str(if mode.is_json() {
        "Reply with exactly one JSON object and nothing else:\n"
    } else {
        "Reply with exactly one JSON object and nothing else, on one line:\n"
    });
    text.push_str(
        "{\"subgoals\": [{\"goal\": \"<what it achieves>\", \"route\": ROUTE}, …]} where ROUTE \
         is one of\n\
         {\"kind\": \"intent\", \"name\": \"<intent>\", \"args\": {<its arguments>}}\n\
         {\"kind\": \"app_action\", \"name\": \"<action>\", \"args\": {<its arguments>}}\n\
         {\"kind\": \"ui\", \"app\": \"<installed app>\"}\n\
         Intents and their arguments ([optional]):\n",
    );
    for kind in IntentKind::ALL {
        let params: Vec<String> = kind
            .params()
            .iter()
            .map(|param| {
                let value = match param.kind {
                    ParamKind::Int { min, max } => format!("{min}-{max}"),
                    ParamKind::PhoneNumber => "digits, optional leading +".into(),
                    ParamKind::DateTime => "YYYY-MM-DDTHH:MM".into(),
                    ParamKind::SettingsPage => "settings page word".into(),
                    ParamKind::Email => "address".into(),
                    ParamKind::Url => "https URL".into(),
                    ParamKind::Text { .. } => "text".into(),
                };
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
        "Personal data appears as placeholders such as {phone_1} or {email_1}; copy them \
         exactly where a value is needed.\n\
         Example. Goal: Set an alarm for 7:30 and turn on Do Not Disturb. Reply: \
         {\"subgoals\": [{\"goal\": \"Set an alarm for 7:30\", \"route\": {\"kind\": \
         \"intent\", \"name\": \"set_alarm\", \"args\": {\"hour\": 7, \"minute\": 30}}}, \
         {\"goal\": \"Turn on Do Not Disturb\", \"route\": {\"kind\": \"ui\", \"app\": \
         \"Settings\"}}]}",
    );
    text
}

/// The plan in the model's text: the JSON object (also in a code fence or after prose), its
/// placeholders unmasked, every route checked against the phone. The error is masked.
pub(crate) fn read_plan(
    content: &str,
    request: &TaskRequest<'_>,
    redactor: &Redactor,
) -> Result<TaskPlan, String> {
    let start = content
        .find('{')
        .ok_or("the plan reply holds no JSON object")?;
    let end = content
        .rfind('}')
        .ok_or("the plan reply holds no JSON object")?;
    let json = content
        .get(start..=end)
        .ok_or("the plan reply is cut short")?;
    let mut value: Value = serde_json::from_str(json)
        .map_err(|error| format!("the plan reply is not valid JSON ({error})"))?;
    unmask_strings(&mut value, redactor)?;
    plan_from_json(&value, request).map_err(|why| redactor.mask_known(&why))
}

/// Every string in `value` with its placeholders replaced by the real values.
fn unmask_strings(value: &mut Value, redactor: &Redactor) -> Result<(), String> {
    match value {
        Value::String(text) => {
            *text = redactor
                .unmask(text)
                .map_err(|error| format!("the plan names {error}"))?;
        }
        Value::Array(items) => {
            for item in items {
                unmask_strings(item, redactor)?;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                unmask_strings(item, redactor)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Intent;
    use crate::device::{AppActionInfo, AppInfo};
    use crate::planner::Route;

    fn today() -> CivilDate {
        CivilDate {
            year: 2026,
            month: 12,
            day: 7,
        }
    }

    #[test]
    fn the_prompt_lists_the_phone_and_masks_the_goal() {
        let apps = [AppInfo {
            label: "Messages".into(),
            package: "com.example.messages".into(),
        }];
        let actions = [AppActionInfo {
            name: "create_note".into(),
            package: "com.example.notes".into(),
            description: "Create a note with a title and a body".into(),
        }];
        let request = TaskRequest {
            goal: "Text +1 415-555-0123 saying hi",
            installed_apps: &apps,
            app_actions: &actions,
        };
        let mut redactor = Redactor::new();
        let messages = plan_messages(&request, &mut redactor, today(), OutputMode::JsonSchema);
        let system = &messages[0].content;
        assert!(system.contains("set_alarm hour (0-23), minute (0-59), [label (text)]"));
        assert!(system.contains("create_note: Create a note"));
        assert!(system.contains("Installed apps: Messages"));
        let user = &messages[1].content;
        assert!(user.contains("Today is 2026-12-07."));
        assert!(user.contains("Goal: Text {phone_1} saying hi"), "{user}");
        assert!(!user.contains("415"));

        // The model's plan uses the placeholder; the device puts the number back.
        let reply = "```json\n{\"subgoals\": [{\"goal\": \"Draft it\", \"route\": {\"kind\": \
                     \"intent\", \"name\": \"compose_sms\", \"args\": {\"to\": \"{phone_1}\", \
                     \"body\": \"hi\"}}}, {\"goal\": \"Send it\", \"route\": {\"kind\": \"ui\", \
                     \"app\": \"Messages\"}}]}\n```";
        let plan = read_plan(reply, &request, &redactor).unwrap();
        assert_eq!(
            plan.subgoals[0].route,
            Route::Intent(Intent::ComposeSms {
                to: "+1 415-555-0123".into(),
                body: Some("hi".into()),
            })
        );
        for bad in [
            "no plan today",
            "{\"subgoals\": [{\"goal\": \"x\", \"route\": {\"kind\": \"ui\", \"app\": \"Bank\"}}]}",
            "{\"subgoals\": [{\"goal\": \"x\", \"route\": {\"kind\": \"intent\", \"name\": \"dial\", \"args\": {\"number\": \"{phone_9}\"}}}]}",
            "{\"subgoals\": ",
        ] {
            assert!(read_plan(bad, &request, &redactor).is_err(), "{bad}");
        }
    }
}
