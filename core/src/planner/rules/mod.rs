//! The rules fast path: goals that need no model, planned in microseconds with no tokens.
//!
//! "Set an alarm for 6:45", "call +1 415-555-0123", "导航到西湖", "open Wi-Fi settings": a
//! large share of what people ask a phone is one catalog intent with its slots spelled out in
//! the goal. Reading those with patterns is instant, free, private and exact, where even a
//! small model costs a planning turn. Why precision first: a rule that misreads a goal fires a
//! wrong intent, which is worse than no answer, so every pattern matches a whole clause or
//! nothing, every slot must parse completely (a time that is not a time, a number with letters
//! in it), and anything else is left to the model planner ([`RulesFirst`] asks it). Goals of
//! several clauses ("turn on Do Not Disturb and set an alarm for 5:30") are split only where
//! each part starts with a known verb, and planned only when every part is read.
//!
//! The readers are per language (`english`, `chinese`) over a shared vocabulary (`words`,
//! `clock`, `settings`); each returns the clause's subgoals or `None`.

mod chinese;
mod clock;
mod english;
mod settings;
mod tools;
pub(super) mod words;

use std::sync::LazyLock;

use regex::Regex;

use super::{
    CivilDate, PlanError, PlannedAction, Planner, Route, StepRequest, Subgoal, TaskPlan,
    TaskRequest,
};
use crate::action::ToolSet;
use crate::cancel::CancelToken;
use crate::device::{AppActionInfo, AppInfo};

/// What a reader knows besides the clause: the phone's apps (to name the one a UI subgoal
/// works in) and today's date.
pub(super) struct Context<'a> {
    installed: &'a [AppInfo],
    app_actions: &'a [AppActionInfo],
    pub today: CivilDate,
    /// The tools the phone runs: a text goes out by `send_sms` where it can, else as a draft.
    pub tools: ToolSet,
}

impl Context<'_> {
    /// The installed app whose label is one of `names` (in that order of preference,
    /// case-insensitive), else the first name: the app a UI subgoal works in.
    pub fn app(&self, names: &[&str]) -> String {
        names
            .iter()
            .find_map(|name| {
                self.installed
                    .iter()
                    .find(|app| app.label.eq_ignore_ascii_case(name))
                    .map(|app| app.label.clone())
            })
            .unwrap_or_else(|| names.first().copied().unwrap_or_default().to_owned())
    }
}

/// The ids of the actions the rules know, each by the one job its name says: apps declare them
/// as `APP.ID` (the simulator's notes and shop apps do, `sim/actions`), and every other declared
/// action is the model's to choose. Each is used only when an app on this phone declares it.
pub(super) mod well_known {
    /// A new note: `title`, optional `body`.
    pub const CREATE_NOTE: &str = "create_note";
    /// A note deleted: `title` (irreversible: the guard asks every time).
    pub const DELETE_NOTE: &str = "delete_note";
    /// Text added at a note's end: `title`, `text`.
    pub const APPEND_TO_NOTE: &str = "append_to_note";
    /// A product put in the cart, not bought: `product`.
    pub const ADD_TO_CART: &str = "add_to_cart";
}

/// The clause as one call of the declared action `id` (`APP.id`, or `id` itself) with `args`,
/// when an app on this phone declares it and every argument is non-empty; else `None` (the
/// clause is left to the model planner).
pub(super) fn declared_action(
    clause: &str,
    id: &str,
    args: &[(&str, &str)],
    context: &Context<'_>,
) -> Option<Vec<Subgoal>> {
    let declared = context.app_actions.iter().find(|action| {
        action.name == id
            || action
                .name
                .strip_suffix(id)
                .is_some_and(|app| app.ends_with('.'))
    })?;
    let mut map = serde_json::Map::new();
    for (name, value) in args {
        let value = unquote(value);
        if value.is_empty() {
            return None;
        }
        map.insert((*name).into(), value.into());
    }
    Some(vec![Subgoal::new(
        clause,
        Route::AppAction {
            name: declared.name.clone(),
            args: map,
        },
    )])
}

/// A new note by an app's declared [`well_known::CREATE_NOTE`] action, when an app on this
/// phone declares it; else the clause is left to the model planner.
pub(super) fn note(
    clause: &str,
    title: &str,
    body: Option<&str>,
    context: &Context<'_>,
) -> Option<Vec<Subgoal>> {
    let body = body.map(unquote).filter(|body| !body.is_empty());
    let mut args = vec![("title", title)];
    args.extend(body.map(|body| ("body", body)));
    declared_action(clause, well_known::CREATE_NOTE, &args, context)
}

/// The names of the SMS app, most likely first.
pub(super) const MESSAGES_APP: [&str; 5] = ["Messages", "Message", "SMS", "短信", "信息"];
/// The names of the e-mail app.
pub(super) const EMAIL_APP: [&str; 5] = ["Gmail", "Email", "Mail", "邮件", "电子邮件"];
/// The names of the settings app.
pub(super) const SETTINGS_APP: [&str; 2] = ["Settings", "设置"];

/// A reader of one kind of clause: its subgoals, or `None`.
pub(super) type Reader = fn(&str, &Context<'_>) -> Option<Vec<Subgoal>>;

/// The first of `patterns` whose captures `read` accepts.
pub(super) fn first<T>(
    patterns: &[Regex],
    clause: &str,
    read: impl Fn(&regex::Captures<'_>) -> Option<T>,
) -> Option<T> {
    patterns
        .iter()
        .filter_map(|pattern| pattern.captures(clause))
        .find_map(|captures| read(&captures))
}

/// One intent subgoal described by the clause.
pub(super) fn intent(clause: &str, intent: crate::action::Intent) -> Option<Vec<Subgoal>> {
    Some(vec![Subgoal::new(clause, Route::Intent(intent))])
}

/// A text to a number: sent at once by `send_sms` where the phone runs it (the guard asks the
/// user every time), else the draft by intent, then `send` (the words for tapping Send) in the
/// SMS app.
pub(super) fn text_message(
    clause: &str,
    to: String,
    body: String,
    send: &str,
    context: &Context<'_>,
) -> Option<Vec<Subgoal>> {
    if context.tools.contains(crate::action::IntentKind::SendSms) {
        return intent(clause, crate::action::Intent::SendSms { to, body });
    }
    Some(vec![
        Subgoal::new(
            clause,
            Route::Intent(crate::action::Intent::ComposeSms {
                to,
                body: Some(body),
            }),
        ),
        ui(send, context.app(&MESSAGES_APP)),
    ])
}

/// A switch turned on or off: its settings page by intent, then the clause itself in Settings.
pub(super) fn switch_subgoals(
    clause: &str,
    page: crate::action::SettingsPage,
    context: &Context<'_>,
) -> Option<Vec<Subgoal>> {
    Some(vec![
        Subgoal::new(
            &format!("Open the {} settings", page.word().replace('_', " ")),
            Route::Intent(crate::action::Intent::OpenSettings { page }),
        ),
        ui(clause, context.app(&SETTINGS_APP)),
    ])
}

/// A web address as the catalog takes it: `https://` in front when the goal left it out.
pub(super) fn web_address(url: &str) -> String {
    if url.to_lowercase().starts_with("http") {
        url.to_owned()
    } else {
        format!("https://{url}")
    }
}

/// A UI subgoal in `app`.
pub(super) fn ui(description: &str, app: String) -> Subgoal {
    Subgoal::new(description, Route::Ui { app: Some(app) })
}

/// Reads `goal` as a plan, or `None` when the rules are not sure of every part of it.
pub fn plan_by_rules(
    goal: &str,
    installed: &[AppInfo],
    app_actions: &[AppActionInfo],
    today: CivilDate,
    tools: ToolSet,
) -> Option<TaskPlan> {
    let context = Context {
        installed,
        app_actions,
        today,
        tools,
    };
    let goal = words::normalize(goal);
    if goal.is_empty() || goal.chars().count() > 300 {
        return None;
    }
    let mut subgoals = Vec::new();
    for clause in clauses(&goal) {
        subgoals.extend(read_clause(clause, &context)?);
    }
    (!subgoals.is_empty()).then_some(TaskPlan { subgoals })
}

/// One clause's subgoals, by whichever language reads it.
fn read_clause(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    // The tools' patterns come last: no clause the others read means a tool, and a goal they
    // read never compiles the tools' table.
    english::read(clause, context)
        .or_else(|| chinese::read(clause, context))
        .or_else(|| tools::read(clause, context))
}

/// The clauses of `goal`: split at "and", "then", "然后", "再", … where every part starts with
/// a verb the readers know and no part is inside quotes; else the whole goal.
fn clauses(goal: &str) -> Vec<&str> {
    static JOINER: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"(?i),?\s+(?:and then|and also|and|then|after that)\s+|,\s*(?:然后|再|并且|接着|之后)?|(?:然后|并且|接着|之后)",
        )
        .ok()
    });
    static VERB: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:please\s+)?(?:turn|switch|set|create|add|make|open|call|dial|phone|text|send|e-?mail|start|navigate|search|google|show|find|enable|disable|connect|wake|go|take|schedule|put)\b|^(?:请|帮我)?(?:打开|关闭|关掉|开启|设|定|订|给|发|搜|导航|拨|呼叫|打电话|添加|创建|带我|倒计时)",
        )
        .ok()
    });
    let (Some(joiner), Some(verb)) = (JOINER.as_ref(), VERB.as_ref()) else {
        return vec![goal];
    };
    let quoted = quote_spans(goal);
    let mut parts = Vec::new();
    let mut start = 0;
    for joiner in joiner.find_iter(goal) {
        if quoted
            .iter()
            .any(|(open, close)| joiner.start() < *close && joiner.end() > *open)
        {
            continue;
        }
        parts.push(goal[start..joiner.start()].trim());
        start = joiner.end();
    }
    parts.push(goal[start..].trim());
    let parts: Vec<&str> = parts.into_iter().filter(|part| !part.is_empty()).collect();
    if parts.len() > 1 && parts.iter().all(|part| verb.is_match(part)) {
        parts
    } else {
        vec![goal]
    }
}

/// Byte spans of quoted text (`"…"` or `'…'` after a space or at the start).
fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        match open {
            Some((start, quote)) if c == quote => {
                spans.push((start, at + c.len_utf8()));
                open = None;
            }
            None if (c == '"' || (c == '\'' && !previous.is_alphanumeric())) => {
                open = Some((at, c));
            }
            _ => {}
        }
        previous = c;
    }
    spans
}

/// `text` without one pair of surrounding quotes.
pub(super) fn unquote(text: &str) -> &str {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.trim();
        }
    }
    text
}

/// The rules as a planner: plans a task when the rules read its goal (an empty plan when they
/// do not), and chooses no UI step (compose it with a model planner in [`RulesFirst`]).
#[derive(Debug, Clone)]
pub struct RulesPlanner {
    today: Option<CivilDate>,
}

impl Default for RulesPlanner {
    fn default() -> Self {
        Self::new()
    }
}

impl RulesPlanner {
    /// Rules that read "today" and "tomorrow" against the request's date (the phone's local
    /// date when the loop asks).
    pub fn new() -> Self {
        Self { today: None }
    }

    /// Rules that read "today" and "tomorrow" against `today` whatever the request says
    /// (reproducible runs, benchmarks).
    pub fn on(today: CivilDate) -> Self {
        Self { today: Some(today) }
    }

    /// The plan for `goal` on a phone with `installed` apps, the `app_actions` they declare and
    /// the `tools` it runs, or `None` when the rules are not sure; relative days count from this
    /// planner's date, or the local date today.
    pub fn plan(
        &self,
        goal: &str,
        installed: &[AppInfo],
        app_actions: &[AppActionInfo],
        tools: ToolSet,
    ) -> Option<TaskPlan> {
        plan_by_rules(
            goal,
            installed,
            app_actions,
            self.today.unwrap_or_else(CivilDate::today),
            tools,
        )
    }
}

impl Planner for RulesPlanner {
    fn name(&self) -> &str {
        "rules"
    }

    /// The rules' plan, or an empty plan when they abstain (the loop then works on the goal
    /// through the UI, which this planner cannot).
    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        Ok(plan_by_rules(
            request.goal,
            request.installed_apps,
            request.app_actions,
            self.today.unwrap_or(request.today),
            request.tools,
        )
        .unwrap_or(TaskPlan {
            subgoals: Vec::new(),
        }))
    }

    fn next_action(
        &mut self,
        _request: &StepRequest<'_>,
        _cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        Err(PlanError::Backend(
            "the rules planner plans routes only; a UI step needs a model planner (--planner \
             local, cloud or hybrid)"
                .into(),
        ))
    }
}

/// The rules first, then `inner`: the rules plan the task when they read the goal, `inner`
/// plans it otherwise, and `inner` chooses every UI step.
pub struct RulesFirst {
    rules: RulesPlanner,
    inner: Box<dyn Planner>,
    /// Whether the rules planned the current task.
    by_rules: bool,
}

impl std::fmt::Debug for RulesFirst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RulesFirst")
            .field("inner", &self.inner.name())
            .field("by_rules", &self.by_rules)
            .finish()
    }
}

impl RulesFirst {
    /// `rules`, then `inner`.
    pub fn new(rules: RulesPlanner, inner: Box<dyn Planner>) -> Self {
        Self {
            rules,
            inner,
            by_rules: false,
        }
    }
}

impl Planner for RulesFirst {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        // The inner planner is not asked (a cloud planner's planning turn is a request); the
        // planners notice a new task in `next_action` by themselves (another goal, or the step
        // count going back).
        if let Some(plan) = self.rules.plan(
            request.goal,
            request.installed_apps,
            request.app_actions,
            request.tools,
        ) {
            self.by_rules = true;
            return Ok(plan);
        }
        self.by_rules = false;
        self.inner.plan_task(request, cancel)
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        self.inner.next_action(request, cancel)
    }

    /// `rules` when the rules planned the current task, else the inner planner's answer.
    fn planned_by(&self) -> &str {
        if self.by_rules {
            self.rules.name()
        } else {
            self.inner.planned_by()
        }
    }

    /// Nothing when the rules planned, else the inner planner's turn.
    fn plan_usage(&self) -> super::PlanUsage {
        if self.by_rules {
            super::PlanUsage::default()
        } else {
            self.inner.plan_usage()
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn a_note_goes_to_a_declared_create_note_action_and_nowhere_else() {
        let today = CivilDate::today();
        let goal = "Create a note titled 'Packing list' that says 'passport, charger'";
        assert_eq!(
            plan_by_rules(goal, &[], &[], today, ToolSet::ALL),
            None,
            "no app declares it"
        );
        let notes = [AppActionInfo::undeclared(
            "notes.create_note",
            "com.example.notes",
            "",
        )];
        let Some(plan) = plan_by_rules(goal, &[], &notes, today, ToolSet::ALL) else {
            panic!("unread");
        };
        let [subgoal] = plan.subgoals.as_slice() else {
            panic!("{plan:?}");
        };
        let Route::AppAction { name, args } = &subgoal.route else {
            panic!("{subgoal:?}");
        };
        assert_eq!(name, "notes.create_note");
        assert_eq!(
            serde_json::Value::Object(args.clone()),
            serde_json::json!({"title": "Packing list", "body": "passport, charger"})
        );
        // An unquoted English title has no end the rules can be sure of.
        assert_eq!(
            plan_by_rules(
                "Create a note titled Packing list",
                &[],
                &notes,
                today,
                ToolSet::ALL
            ),
            None
        );
        let Some(chinese) = plan_by_rules(
            "新建一个备忘录，标题是购物清单，内容是牛奶",
            &[],
            &notes,
            today,
            ToolSet::ALL,
        ) else {
            panic!("unread");
        };
        assert!(
            matches!(&chinese.subgoals[..], [Subgoal { route: Route::AppAction { args, .. }, .. }]
                if args["title"] == "购物清单" && args["body"] == "牛奶"),
            "{chinese:?}"
        );
    }

    /// The one app-action route `goal` plans to on a phone declaring `actions`, as (name, args).
    fn routed(goal: &str, actions: &[&str]) -> Option<(String, serde_json::Value)> {
        let actions: Vec<AppActionInfo> = actions
            .iter()
            .map(|name| AppActionInfo::undeclared(name, "com.example", ""))
            .collect();
        let plan = plan_by_rules(goal, &[], &actions, CivilDate::today(), ToolSet::ALL)?;
        match plan.subgoals.as_slice() {
            [
                Subgoal {
                    route: Route::AppAction { name, args },
                    ..
                },
            ] => Some((name.clone(), serde_json::Value::Object(args.clone()))),
            other => panic!("{goal}: {other:?}"),
        }
    }

    #[test]
    fn well_known_note_and_cart_actions_are_called_only_where_declared() {
        use serde_json::json;
        let all = [
            "notes.delete_note",
            "notes.append_to_note",
            "shop.add_to_cart",
        ];
        for (goal, name, args) in [
            (
                "Delete the note 'Old wifi codes'",
                "notes.delete_note",
                json!({"title": "Old wifi codes"}),
            ),
            (
                "remove my 'Dentist' note",
                "notes.delete_note",
                json!({"title": "Dentist"}),
            ),
            (
                "Add 'bananas' to the end of my note 'Shopping list'",
                "notes.append_to_note",
                json!({"title": "Shopping list", "text": "bananas"}),
            ),
            (
                "Add the Trail Water Bottle to my cart in the Shop app, but don't buy it",
                "shop.add_to_cart",
                json!({"product": "Trail Water Bottle"}),
            ),
            (
                "put a Yoga Mat in my basket",
                "shop.add_to_cart",
                json!({"product": "Yoga Mat"}),
            ),
        ] {
            assert_eq!(routed(goal, &all), Some((name.to_owned(), args)), "{goal}");
            assert_eq!(routed(goal, &[]), None, "{goal}: nothing declared");
        }
        for goal in [
            // Unquoted titles have no end the rules can be sure of; a quantity is the model's;
            // another app's cart is not this one's; buying is not adding.
            "Delete the note Old wifi codes",
            "Add 2 Yoga Mats to my cart",
            "Add the Rain Jacket to my cart in the Amazon app",
            "Buy the Rain Jacket in the Shop app",
            "Delete all my notes",
            "Add this to my cart",
        ] {
            assert_eq!(routed(goal, &all), None, "{goal}");
        }
    }

    #[test]
    fn a_contacts_number_is_looked_up_by_the_tool_where_the_phone_runs_it() {
        let today = CivilDate::today();
        let looked_up = |goal: &str, tools| match plan_by_rules(goal, &[], &[], today, tools)?
            .subgoals
            .as_slice()
        {
            [
                Subgoal {
                    route: Route::Intent(crate::action::Intent::FindContact { name }),
                    ..
                },
            ] => Some(name.clone()),
            other => panic!("{goal}: {other:?}"),
        };
        for (goal, name) in [
            ("What is Ana Castillo's mobile number?", "Ana Castillo"),
            ("what's Priya Nair's phone number", "Priya Nair"),
            ("tell me Jonas's number", "Jonas"),
            ("张三的电话号码是多少", "张三"),
            ("查一下李四的手机号", "李四"),
        ] {
            assert_eq!(
                looked_up(goal, ToolSet::ALL).as_deref(),
                Some(name),
                "{goal}"
            );
            assert_eq!(looked_up(goal, ToolSet::STANDARD_INTENTS), None, "{goal}");
        }
        for goal in [
            "what is my phone number",
            "我的电话号码是多少",
            "What is the restaurant's phone number?",
        ] {
            assert_eq!(looked_up(goal, ToolSet::ALL), None, "{goal}");
        }
    }

    #[test]
    fn clauses_split_only_between_verbs_and_outside_quotes() {
        assert_eq!(
            clauses("Turn on Do Not Disturb and set an alarm for 5:30"),
            ["Turn on Do Not Disturb", "set an alarm for 5:30"]
        );
        assert_eq!(
            clauses("Search for salt and pepper"),
            ["Search for salt and pepper"]
        );
        assert_eq!(
            clauses("Text +1 415 555 0123 saying 'bread and set the table'"),
            ["Text +1 415 555 0123 saying 'bread and set the table'"]
        );
        assert_eq!(
            clauses("打开蓝牙然后设一个7点的闹钟"),
            ["打开蓝牙", "设一个7点的闹钟"]
        );
    }

    #[test]
    fn relative_days_count_from_the_request_unless_the_planner_has_its_own_date() {
        let begin = |planner: &mut RulesPlanner, today: CivilDate| {
            let request = TaskRequest {
                goal: "Add an event called Dentist tomorrow at 3 pm",
                installed_apps: &[],
                app_actions: &[],
                today,
                tools: crate::action::ToolSet::ALL,
            };
            let plan = planner.plan_task(&request, &CancelToken::new()).unwrap();
            match &plan.subgoals[..] {
                [
                    Subgoal {
                        route: Route::Intent(crate::action::Intent::InsertEvent { begin, .. }),
                        ..
                    },
                ] => begin.to_string(),
                other => panic!("{other:?}"),
            }
        };
        let monday = CivilDate::parse("2026-12-07").unwrap();
        let new_year = CivilDate::parse("2026-12-31").unwrap();
        assert_eq!(begin(&mut RulesPlanner::new(), monday), "2026-12-08T15:00");
        assert_eq!(
            begin(&mut RulesPlanner::new(), new_year),
            "2027-01-01T15:00"
        );
        assert_eq!(
            begin(&mut RulesPlanner::on(monday), new_year),
            "2026-12-08T15:00"
        );
    }
}
