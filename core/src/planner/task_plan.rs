//! The task plan: the goal split into subgoals, each with the surest route to it.
//!
//! Tapping through an app takes many steps and each can go wrong; a standard intent ("set an
//! alarm for 7:30") or an action the app declares does the same in one. The planner proposes
//! the routes before the first UI step, the loop follows them, and a subgoal whose direct route
//! fails is replanned as UI steps. The plan is shown in the events.

use std::fmt;

use serde_json::{Map, Value};

use crate::action::Intent;

/// The goal as subgoals, worked on in order.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskPlan {
    /// The subgoals, in order.
    pub subgoals: Vec<Subgoal>,
}

/// One subgoal.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgoal {
    /// What it achieves, in words.
    pub description: String,
    /// How the loop gets there.
    pub route: Route,
    /// How far it got.
    pub status: SubgoalStatus,
}

/// How a subgoal is reached.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// One standard Android intent.
    Intent(Intent),
    /// One app-declared action.
    AppAction {
        /// The declared name.
        name: String,
        /// Its JSON arguments.
        args: Map<String, Value>,
    },
    /// Steps through the UI, chosen one at a time.
    Ui {
        /// The app the steps work in, when the plan names one (a hint for the step planner;
        /// `None` when any app may do).
        app: Option<String>,
    },
}

/// Progress of a subgoal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubgoalStatus {
    /// Not started.
    Pending,
    /// Being worked on.
    Active,
    /// Reached.
    Done,
    /// Its direct route failed and it was replanned through the UI (the reason is kept).
    Replanned(String),
}

impl TaskPlan {
    /// A plan of one UI subgoal: the goal itself.
    pub fn single_ui(goal: &str) -> Self {
        Self {
            subgoals: vec![Subgoal::new(goal, Route::Ui { app: None })],
        }
    }

    /// The first subgoal not yet done, if any.
    pub fn current(&self) -> Option<usize> {
        self.subgoals
            .iter()
            .position(|subgoal| subgoal.status != SubgoalStatus::Done)
    }
}

impl Subgoal {
    /// A pending subgoal.
    pub fn new(description: &str, route: Route) -> Self {
        Self {
            description: description.to_owned(),
            route,
            status: SubgoalStatus::Pending,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Intent(intent) => write!(f, "intent {intent}"),
            Route::AppAction { name, args } => {
                write!(f, "call {name} {}", Value::Object(args.clone()))
            }
            Route::Ui { app: None } => f.write_str("ui"),
            Route::Ui { app: Some(app) } => write!(f, "ui in {app}"),
        }
    }
}

impl fmt::Display for TaskPlan {
    /// One line per subgoal: `1. Set the alarm [intent set_alarm hour=7 minute=30] (done)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, subgoal) in self.subgoals.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "{}. {} [{}]",
                index + 1,
                subgoal.description,
                subgoal.route
            )?;
            match &subgoal.status {
                SubgoalStatus::Pending => {}
                SubgoalStatus::Active => f.write_str(" (active)")?,
                SubgoalStatus::Done => f.write_str(" (done)")?,
                SubgoalStatus::Replanned(reason) => write!(f, " (replanned: {reason})")?,
            }
        }
        Ok(())
    }
}
