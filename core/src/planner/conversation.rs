//! The step log a model planner keeps for one task: an append-only chat that the KV cache can
//! keep.
//!
//! A prompt that rewrites a "current screen" section every step invalidates everything after the
//! first changed token, so each step would re-evaluate the screen and all that follows it. This
//! log only ever appends: the first user turn holds the goal and the screen the task started
//! from; each step then adds the action taken (an assistant turn, the very tokens the model
//! generated) and what followed (a user turn with the verification note and the screen diff the
//! agent recorded). Only when the screen changed too much for a diff does a turn carry the full
//! new screen. A step thus evaluates only its own turn — until the context fills, when the log
//! compacts once: earlier steps fold into one line each, the current screen becomes the new base,
//! and appending starts again. If even the compacted log does not fit, steps are dropped from
//! the middle of that summary, never the goal, the first steps or the current screen.

use crate::history::MAX_DIFF_LINES_IN_HISTORY;
use crate::screen::{EncodedScreen, diff};

use super::StepRequest;
use super::prompt::{ChatMessage, Role, goal_block, screen_block, subgoal_note, system_prompt};

/// How many of the first summarised steps survive truncation from the middle.
const KEEP_FIRST_STEPS: usize = 2;

/// One step in the log: the action and the report that followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// The action line, as the agent recorded it.
    pub action: String,
    /// What followed: verification, diff or new screen, guard and loop notes.
    pub report: String,
}

/// The append-only chat of one task.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    system: String,
    goal: String,
    opening: String,
    summary: Vec<String>,
    omitted: usize,
    base_screen: String,
    turns: Vec<Turn>,
    steps_seen: usize,
    last_step: u32,
    subgoal: usize,
    last_screen: Option<EncodedScreen>,
}

impl Conversation {
    /// An empty log; the first [`update`](Self::update) starts the task.
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the log up to date with `request`: appends the steps the agent took since the last
    /// call, notes a change of subgoal, and the full screen when a diff would not do. A request
    /// from another task (another goal, or a step count that went back) starts the log afresh.
    pub fn update(&mut self, request: &StepRequest<'_>) {
        let new_task = self.last_screen.is_none()
            || request.goal != self.goal
            || request.step <= self.last_step
            || request.history.len() < self.steps_seen;
        if new_task {
            self.start(request);
            return;
        }
        let fresh = &request.history[self.steps_seen..];
        self.turns.extend(fresh.iter().map(|memory| Turn {
            action: memory.action.clone(),
            report: memory.result.clone(),
        }));
        self.steps_seen = request.history.len();
        self.last_step = request.step;

        let mut notes = Vec::new();
        if request.subgoal != self.subgoal {
            self.subgoal = request.subgoal;
            notes.extend(subgoal_note(request));
        }
        let redraw = self.last_screen.as_ref().is_none_or(|last| {
            let changes = diff(last, request.screen);
            changes.len() > MAX_DIFF_LINES_IN_HISTORY || (fresh.is_empty() && !changes.is_empty())
        });
        if redraw {
            notes.push(screen_block(&request.screen.text));
        }
        self.last_screen = Some(request.screen.clone());
        if notes.is_empty() {
            return;
        }
        match self.turns.last_mut() {
            Some(turn) => {
                for note in notes {
                    turn.report.push('\n');
                    turn.report.push_str(&note);
                }
            }
            // Nothing happened yet but the screen moved: start from this screen.
            None => self.base_screen = request.screen.text.clone(),
        }
    }

    /// Folds every turn into one summary line each and restarts the log from the current
    /// screen: the one rewrite of the prompt, when the context is full.
    pub fn compact(&mut self) {
        self.summary
            .extend(self.turns.drain(..).map(|turn| summarise(&turn)));
        if let Some(screen) = &self.last_screen {
            self.base_screen = screen.text.clone();
        }
    }

    /// Drops one summarised step from the middle (after the first few); `false` when there is
    /// none left to drop.
    pub fn drop_middle_step(&mut self) -> bool {
        if self.summary.len() <= KEEP_FIRST_STEPS {
            return false;
        }
        self.summary.remove(KEEP_FIRST_STEPS);
        self.omitted += 1;
        true
    }

    /// Steps appended since the log last started or compacted.
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// Steps folded into the opening's summary (including those dropped from its middle).
    pub fn summarised_steps(&self) -> usize {
        self.summary.len() + self.omitted
    }

    /// The chat: system prompt, the opening (goal, earlier steps, base screen), then one
    /// assistant and one user message per step.
    pub fn messages(&self) -> Vec<ChatMessage> {
        let mut opening = self.opening.clone();
        if !self.summary.is_empty() {
            opening.push_str("Earlier steps:\n");
            for (index, line) in self.summary.iter().enumerate() {
                if index == KEEP_FIRST_STEPS && self.omitted > 0 {
                    opening.push_str(&format!("… {} steps omitted …\n", self.omitted));
                }
                opening.push_str(line);
                opening.push('\n');
            }
            if self.summary.len() <= KEEP_FIRST_STEPS && self.omitted > 0 {
                opening.push_str(&format!("… {} steps omitted …\n", self.omitted));
            }
        }
        opening.push_str(&screen_block(&self.base_screen));

        let mut messages = Vec::with_capacity(2 + 2 * self.turns.len());
        messages.push(ChatMessage::new(Role::System, self.system.clone()));
        messages.push(ChatMessage::new(Role::User, opening));
        for turn in &self.turns {
            messages.push(ChatMessage::new(Role::Assistant, turn.action.clone()));
            messages.push(ChatMessage::new(Role::User, turn.report.clone()));
        }
        messages
    }

    fn start(&mut self, request: &StepRequest<'_>) {
        *self = Self {
            system: system_prompt(request.context),
            goal: request.goal.to_owned(),
            opening: goal_block(request.goal, request.task_plan, request.subgoal),
            summary: request
                .history
                .iter()
                .map(|memory| {
                    summarise(&Turn {
                        action: memory.action.clone(),
                        report: memory.result.clone(),
                    })
                })
                .collect(),
            omitted: 0,
            base_screen: request.screen.text.clone(),
            turns: Vec::new(),
            steps_seen: request.history.len(),
            last_step: request.step,
            subgoal: request.subgoal,
            last_screen: Some(request.screen.clone()),
        };
    }

    /// The system prompt alone (the part of the prompt worth saving to disk).
    pub fn system(&self) -> &str {
        &self.system
    }
}

/// One line for a step in the opening's summary: the action and the first line of its report.
fn summarise(turn: &Turn) -> String {
    let first = turn.report.lines().next().unwrap_or_default();
    format!("{} → {first}", turn.action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{GrammarContext, grammar_for_screen};
    use crate::planner::{StepMemory, TaskPlan};
    use crate::screen::test_support::*;
    use crate::screen::{EncodeOptions, Snapshot, WindowType, encode_with};

    fn settings(rows: &[&str]) -> Snapshot {
        let nodes: Vec<_> = rows
            .iter()
            .enumerate()
            .map(|(index, label)| button(&format!("row{index}"), label, 100 * index as i32))
            .collect();
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            nodes,
        );
        snapshot(vec![window(
            1,
            WindowType::Application,
            "com.android.settings",
            root,
        )])
    }

    struct Task {
        plan: TaskPlan,
        context: GrammarContext,
        screens: Vec<EncodedScreen>,
        history: Vec<StepMemory>,
    }

    impl Task {
        fn new() -> Self {
            Self {
                plan: TaskPlan::single_ui("Turn off Wi-Fi"),
                context: GrammarContext::default(),
                screens: Vec::new(),
                history: Vec::new(),
            }
        }

        fn show(&mut self, snapshot: &Snapshot) {
            let screen = encode_with(snapshot, self.screens.last(), &EncodeOptions::default());
            self.screens.push(screen);
        }

        fn act(&mut self, action: &str, result: &str) {
            self.history.push(StepMemory {
                step: self.history.len() as u32 + 1,
                action: action.into(),
                result: result.into(),
                verified: None,
                repeated: false,
            });
        }

        fn ask(&self, conversation: &mut Conversation) -> Vec<ChatMessage> {
            let screen = self.screens.last().unwrap();
            let grammar = grammar_for_screen(&screen.elements, &self.context);
            let request = StepRequest {
                goal: "Turn off Wi-Fi",
                task_plan: &self.plan,
                subgoal: 0,
                screen,
                grammar: &grammar,
                context: &self.context,
                history: &self.history,
                step: self.history.len() as u32 + 1,
            };
            conversation.update(&request);
            conversation.messages()
        }
    }

    fn rendered(messages: &[ChatMessage]) -> String {
        messages
            .iter()
            .map(|message| format!("<{}>{}</>", message.role, message.content))
            .collect()
    }

    #[test]
    fn each_step_only_appends() {
        let mut task = Task::new();
        let mut conversation = Conversation::new();
        task.show(&settings(&["Network & internet", "Display", "Sound"]));
        let first = rendered(&task.ask(&mut conversation));
        assert!(first.contains("Goal: Turn off Wi-Fi"));
        assert!(first.contains("Network & internet"));

        task.act("tap 1", "screen changed\n~ [1] …");
        task.show(&settings(&[
            "Network & internet",
            "Display",
            "Sound",
            "Battery",
        ]));
        let second = rendered(&task.ask(&mut conversation));
        assert!(
            second.starts_with(&first),
            "the second prompt extends the first"
        );
        assert!(second.ends_with("<assistant>tap 1</><user>screen changed\n~ [1] …</>"));

        task.act("tap 2", "no visible change");
        task.show(&settings(&[
            "Network & internet",
            "Display",
            "Sound",
            "Battery",
        ]));
        let third = rendered(&task.ask(&mut conversation));
        assert!(third.starts_with(&second));
        assert_eq!(conversation.turns().len(), 2);
    }

    #[test]
    fn a_new_screen_is_shown_in_full_once() {
        let mut task = Task::new();
        let mut conversation = Conversation::new();
        task.show(&settings(&["Network & internet"]));
        task.ask(&mut conversation);
        let many: Vec<String> = (0..20).map(|n| format!("Wi-Fi network {n}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        task.act("tap 1", "screen changed; a new screen");
        task.show(&settings(&many));
        let messages = task.ask(&mut conversation);
        let report = &messages.last().unwrap().content;
        assert!(report.starts_with("screen changed; a new screen\nScreen:\n"));
        assert!(report.contains("Wi-Fi network 19"));
    }

    #[test]
    fn compaction_keeps_goal_and_current_screen_and_drops_from_the_middle() {
        let mut task = Task::new();
        let mut conversation = Conversation::new();
        task.show(&settings(&["Network & internet"]));
        task.ask(&mut conversation);
        for step in 1..=6 {
            task.act("scroll down", &format!("report {step}\n+ line"));
            task.show(&settings(&["Network & internet", &format!("Row {step}")]));
            task.ask(&mut conversation);
        }
        conversation.compact();
        let compacted = rendered(&conversation.messages());
        assert_eq!(conversation.turns().len(), 0);
        assert!(compacted.contains("Goal: Turn off Wi-Fi"));
        assert!(compacted.contains("scroll down → report 1\n"));
        assert!(
            compacted.contains("Row 6"),
            "the base is the current screen"
        );
        assert!(
            !compacted.contains("+ line"),
            "diffs are not kept in the summary"
        );

        while conversation.drop_middle_step() {}
        let short = rendered(&conversation.messages());
        assert!(
            short.contains("scroll down → report 1\nscroll down → report 2\n… 4 steps omitted …")
        );
        assert!(!short.contains("report 3"));
        assert_eq!(conversation.summarised_steps(), 6);

        // After a compaction the log appends again.
        task.act("back", "screen changed\n- line");
        task.show(&settings(&["Network & internet", "Row 6"]));
        let after = rendered(&task.ask(&mut conversation));
        assert!(after.starts_with(&short));
    }

    #[test]
    fn another_task_starts_afresh_with_earlier_steps_summarised() {
        let mut task = Task::new();
        let mut conversation = Conversation::new();
        task.show(&settings(&["Network & internet"]));
        task.act("intent open_settings page=wifi", "done");
        task.ask(&mut conversation);
        assert_eq!(conversation.summarised_steps(), 1);
        let text = rendered(&conversation.messages());
        assert!(text.contains("Earlier steps:\nintent open_settings page=wifi → done\n"));

        let mut other = Task::new();
        other.show(&settings(&["Display"]));
        let fresh = other.ask(&mut conversation);
        assert_eq!(fresh.len(), 2, "system prompt and opening");
        assert!(!fresh[1].content.contains("Earlier steps"));
        assert!(!fresh[1].content.contains("Network"));
        assert!(fresh[1].content.contains("Display"));
    }
}
