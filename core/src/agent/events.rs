//! What the loop tells the outside while a task runs, and what it asks.
//!
//! A UI shows the steps live, a phone maker's system agent logs them, and tests assert their
//! order. Sensitive actions wait for the listener's answer; the planner never decides them.

use std::time::Duration;

use crate::planner::{PlanMeta, TaskPlan};
use crate::policy::Category;

/// An event of a running task, in the order they happen.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentEvent {
    /// The goal was split into subgoals (also sent again when a subgoal is replanned).
    Planned {
        /// The plan with each subgoal's route and status.
        plan: TaskPlan,
    },
    /// A step began.
    StepStarted {
        /// The step number, from 1.
        step: u32,
        /// The subgoal being worked on (index into the plan).
        subgoal: usize,
    },
    /// The screen was read and encoded.
    Observed {
        /// The step.
        step: u32,
        /// Elements with an id on the screen.
        elements: usize,
        /// Estimated tokens of the encoded screen.
        screen_tokens: usize,
    },
    /// The planner chose an action.
    ActionChosen {
        /// The step.
        step: u32,
        /// The action as written (secrets as placeholders).
        action: String,
        /// The planner's reason.
        reason: String,
        /// Who planned it and at what cost.
        meta: PlanMeta,
    },
    /// The planner's answer was not valid for this screen; it is told and asked again.
    ActionRejected {
        /// The step.
        step: u32,
        /// Why.
        error: String,
    },
    /// A sensitive action waits for the user's confirmation.
    NeedsConfirmation {
        /// The step.
        step: u32,
        /// The request the listener answers.
        request: Confirmation,
    },
    /// The user's answer to a confirmation.
    Confirmed {
        /// The step.
        step: u32,
        /// Whether the action may run.
        allowed: bool,
    },
    /// The guard blocked an action outright.
    Blocked {
        /// The step.
        step: u32,
        /// Why.
        reason: String,
    },
    /// The agent hands the phone to the user (a login, a captcha, a payment PIN) and waits.
    TakeoverRequested {
        /// The step.
        step: u32,
        /// What the user is asked to do.
        reason: String,
    },
    /// The user handed the phone back (`resumed`), or did not take it over.
    TakeoverEnded {
        /// The step.
        step: u32,
        /// Whether the task goes on.
        resumed: bool,
    },
    /// The action was carried out (or found its target gone).
    Acted {
        /// The step.
        step: u32,
        /// The action as written.
        action: String,
        /// What the device reported.
        outcome: String,
    },
    /// The screen after the action was checked.
    Verified {
        /// The step.
        step: u32,
        /// Whether the action had the effect expected.
        effective: bool,
        /// What was seen, for the planner and the log.
        note: String,
    },
    /// The task ended.
    Finished {
        /// How.
        status: TaskStatus,
        /// Steps taken.
        steps: u32,
        /// Wall time.
        elapsed: Duration,
    },
}

/// A sensitive action the user must allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The action as the planner wrote it.
    pub action: String,
    /// The kind of risk.
    pub category: Category,
    /// Why the guard flagged it, for the dialog.
    pub reason: String,
    /// The tool a yes is remembered for (one asked the first time only): the loop stops asking
    /// for it in this task, and an integrator that keeps the user's grants stores it and hands
    /// it back in `GuardConfig::granted_tools`.
    pub remember: Option<String>,
}

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskStatus {
    /// The goal was reached; `answer` is the reply for an information request (may be empty).
    Succeeded {
        /// The planner's answer.
        answer: String,
    },
    /// The planner gave up, or the loop stopped on an error it could not recover from.
    Failed {
        /// Why.
        reason: String,
    },
    /// Cancelled from outside.
    Cancelled,
    /// A budget ran out.
    BudgetExhausted {
        /// Which one: steps, time or tokens.
        budget: String,
    },
}

/// Receives events and answers the loop's questions. Called on the task's thread.
pub trait AgentListener: Send + Sync {
    /// An event happened.
    fn on_event(&self, event: &AgentEvent);

    /// Whether a sensitive action may run. Without an answer, it may not.
    fn confirm(&self, request: &Confirmation) -> bool {
        let _ = request;
        false
    }

    /// The user's answer to the planner's question, or `None` when there is no one to ask.
    fn ask_user(&self, question: &str) -> Option<String> {
        let _ = question;
        None
    }

    /// Hands the phone to the user to do `reason` (sign in, solve a captcha, enter a PIN) and
    /// returns once they hand it back (`true`), or `false` when they decline or no one is
    /// there. The task waits meanwhile and resumes from a fresh look at the screen.
    fn take_over(&self, reason: &str) -> bool {
        let _ = reason;
        false
    }
}

/// A listener that hears nothing and allows nothing sensitive.
#[derive(Debug, Clone, Copy, Default)]
pub struct SilentListener;

impl AgentListener for SilentListener {
    fn on_event(&self, _event: &AgentEvent) {}
}
