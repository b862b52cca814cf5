//! The cloud planner's planning turn: the goal (masked) in, a plan of routes out, in the same
//! JSON shape `lobster plan --json` prints (`planner::plan_to_json`), shaped by the plan's
//! outline schema (`planner::plan_outline_schema`: kinds and names, not argument types, which
//! the prompt lists) where the server supports structured output.
//!
//! Why a separate turn before the first step: one intent ("set an alarm for 6:45") replaces a
//! dozen UI steps, each a round trip with the screen in it; a plan costs one short request with
//! no screen at all. The system message lists what this phone offers (the intent catalog with
//! its arguments, the declared app actions, the installed apps) and stays the same for every
//! task on the phone, so providers' prompt caches keep it. The reply is a proposal: its strings
//! are unmasked on the device and every route is checked against the phone
//! ([`plan_from_json`]); a reply that fails is an invalid output, and the caller works on the
//! goal through the UI instead.

use serde_json::Value;

use crate::planner::plan_prompt::{plan_system_prompt, plan_user_prompt};
use crate::planner::prompt::{ChatMessage, Role};
use crate::planner::{TaskPlan, TaskRequest, grounded_plan, plan_from_json};
use crate::policy::redact::Redactor;

/// The messages of the planning turn, the goal masked with `redactor`. The same in every
/// output mode: the answer is a JSON object in all of them.
pub(crate) fn plan_messages(
    request: &TaskRequest<'_>,
    redactor: &mut Redactor,
) -> Vec<ChatMessage> {
    vec![
        ChatMessage::new(Role::System, plan_system_prompt(request)),
        ChatMessage::new(
            Role::User,
            plan_user_prompt(&redactor.mask(request.goal), request.today),
        ),
    ]
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
    let plan = plan_from_json(&value, request).map_err(|why| redactor.mask_known(&why))?;
    // A route the goal does not ground goes through the UI instead (`grounding`).
    Ok(grounded_plan(plan, request.goal).0)
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
    use crate::planner::{CivilDate, Route};

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
        let actions = [AppActionInfo::undeclared(
            "create_note",
            "com.example.notes",
            "Create a note with a title and a body",
        )];
        let request = TaskRequest {
            goal: "Text +1 415-555-0123 saying hi",
            installed_apps: &apps,
            app_actions: &actions,
            today: today(),
            tools: crate::action::ToolSet::ALL,
        };
        let mut redactor = Redactor::new();
        let messages = plan_messages(&request, &mut redactor);
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
