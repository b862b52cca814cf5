//! The step loop: observe → encode → plan → guard → act → verify → record, until the goal is
//! reached, the planner gives up, a budget runs out or the caller cancels.
//!
//! Each stage is a function of its own elsewhere (`encode`, `grammar_for_screen`, `validate`,
//! `Guard::check`, `resolve`, `verify`, `LoopDetector`); this file only sequences them and keeps
//! the task's state: the current screen (the screen observed after an action is the next step's
//! screen, so each step observes once), the history the planner reads, the packages the task
//! legitimately works in, and the budgets.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::resolve::{Effect, resolve};
use super::stuck::{LoopDetector, LoopSignal};
use super::trajectory::{
    Record, Timings, TrajectoryEnd, TrajectoryHeader, TrajectoryStep, TrajectoryWriter,
};
use super::verify::{Around, Verification, verify};
use super::{AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskStatus};
use crate::action::{
    Action, GrammarContext, ToolSet, check_arguments, grammar_for_screen, validate,
};
use crate::device::{
    AppActionInfo, AppInfo, Device, DeviceAction, GlobalAction, Outcome, RouteEffect,
};
use crate::history::MAX_DIFF_LINES_IN_HISTORY;
use crate::planner::{
    CivilDate, PlanError, PlannedAction, Planner, Route, StepMemory, StepRequest, SubgoalStatus,
    TaskPlan, TaskRequest,
};
use crate::policy::{Guard, GuardContext, PASSWORD_NEEDS_SECRET, Verdict};
use crate::screen::{
    EncodeOptions, EncodedScreen, ScreenDiff, Snapshot, diff, encode_with, estimate_tokens,
};

/// The agent: runs tasks on a device with a planner, under a configuration.
#[derive(Debug, Clone)]
pub struct Agent {
    config: AgentConfig,
    guard: Guard,
}

/// How a task went.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskResult {
    /// How it ended.
    pub status: TaskStatus,
    /// Steps taken.
    pub steps: u32,
    /// Wall time.
    pub elapsed: Duration,
    /// The plan as it stood at the end.
    pub plan: TaskPlan,
    /// Planner tokens spent (as the planners reported them).
    pub tokens: u64,
}

/// The parts of a task run that belong to the caller.
pub struct TaskIo<'a> {
    /// The phone.
    pub device: &'a mut dyn Device,
    /// Who chooses actions.
    pub planner: &'a mut dyn Planner,
    /// Who hears events and answers confirmations.
    pub listener: &'a dyn AgentListener,
    /// Asks the task to stop.
    pub cancel: &'a CancelToken,
    /// Where steps are recorded, if anywhere.
    pub trajectory: Option<&'a mut TrajectoryWriter>,
}

impl Agent {
    /// An agent with `config`.
    pub fn new(config: AgentConfig) -> Self {
        let guard = Guard::new(config.guard.clone());
        Self { config, guard }
    }

    /// The configuration.
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// Runs one task to its end on the calling thread.
    pub fn run(&self, goal: &str, io: TaskIo<'_>) -> TaskResult {
        let mut run = Run {
            agent: self,
            goal,
            io,
            started: Instant::now(),
            steps: 0,
            tokens: 0,
            plan: TaskPlan::single_ui(goal),
            context: GrammarContext::default(),
            installed: Vec::new(),
            encode: self.config.encode.clone(),
            current: None,
            history: Vec::new(),
            detector: LoopDetector::default(),
            invalid_in_a_row: 0,
            answer: String::new(),
            granted_tools: BTreeSet::new(),
            app_actions: Vec::new(),
        };
        let status = run.run();
        let elapsed = run.started.elapsed();
        run.emit(AgentEvent::Finished {
            status: status.clone(),
            steps: run.steps,
            elapsed,
        });
        run.record_end(&status, elapsed);
        TaskResult {
            status,
            steps: run.steps,
            elapsed,
            plan: run.plan,
            tokens: run.tokens,
        }
    }
}

/// What a stage tells the loop.
enum Flow {
    /// Go on with the next step.
    Next,
    /// The task is over.
    Finish(TaskStatus),
}

/// The screen the next action is chosen on.
struct Screen {
    snapshot: Snapshot,
    encoded: EncodedScreen,
}

/// A performed action's effect: the screens before and after, their diff and the verdict.
struct Checked {
    before: Screen,
    after: Screen,
    diff: ScreenDiff,
    verification: Verification,
}

/// One task's state.
struct Run<'a, 'io> {
    agent: &'a Agent,
    goal: &'a str,
    io: TaskIo<'io>,
    started: Instant,
    steps: u32,
    tokens: u64,
    plan: TaskPlan,
    context: GrammarContext,
    installed: Vec<AppInfo>,
    /// Encoder options, with the packages the task legitimately works in.
    encode: EncodeOptions,
    current: Option<Screen>,
    history: Vec<StepMemory>,
    detector: LoopDetector,
    invalid_in_a_row: u32,
    answer: String,
    /// Tools the user allowed during this task (asked the first time only).
    granted_tools: BTreeSet<String>,
    /// The actions the phone's apps declare.
    app_actions: Vec<AppActionInfo>,
}

impl Run<'_, '_> {
    fn config(&self) -> &AgentConfig {
        &self.agent.config
    }

    fn emit(&self, event: AgentEvent) {
        self.io.listener.on_event(&event);
    }

    fn run(&mut self) -> TaskStatus {
        if let Err(status) = self.prepare() {
            return status;
        }
        loop {
            if let Some(status) = self.over_budget() {
                return status;
            }
            let Some(index) = self.plan.current() else {
                return TaskStatus::Succeeded {
                    answer: std::mem::take(&mut self.answer),
                };
            };
            self.steps += 1;
            self.plan.subgoals[index].status = SubgoalStatus::Active;
            self.emit(AgentEvent::StepStarted {
                step: self.steps,
                subgoal: index,
            });
            let flow = match self.plan.subgoals[index].route.clone() {
                Route::Ui { .. } => self.ui_step(index),
                route => self.route_step(index, route),
            };
            if let Flow::Finish(status) = flow {
                return status;
            }
        }
    }

    /// Learns the device's apps and actions, plans the task, and writes the header.
    fn prepare(&mut self) -> Result<(), TaskStatus> {
        let device_failed = |error: crate::device::DeviceError| TaskStatus::Failed {
            reason: error.to_string(),
        };
        self.installed = self.io.device.installed_apps().map_err(device_failed)?;
        let app_actions = self.io.device.app_actions().map_err(device_failed)?;
        let tools = self.io.device.available_tools().map_err(device_failed)?;
        let config = self.config();
        self.context = GrammarContext {
            installed_apps: Some(self.installed.iter().map(|app| app.label.clone()).collect()),
            app_actions: app_actions
                .iter()
                .map(|action| action.name.clone())
                .collect(),
            app_action_arguments: app_actions
                .iter()
                .filter_map(|action| Some((action.name.clone(), action.parameters.clone()?)))
                .collect(),
            allow_ask: config.allow_ask,
            allow_intents: config.allow_intents,
            allow_swipe: config.allow_swipe,
            tools,
        };
        self.app_actions = app_actions;
        let request = TaskRequest {
            goal: self.goal,
            installed_apps: &self.installed,
            app_actions: &self.app_actions,
            today: CivilDate::today(),
            tools,
        };
        self.plan = match self.io.planner.plan_task(&request, self.io.cancel) {
            Ok(plan) if !plan.subgoals.is_empty() => only_available_tools(plan, tools),
            Ok(_) => TaskPlan::single_ui(self.goal),
            Err(PlanError::Cancelled) => return Err(TaskStatus::Cancelled),
            Err(error) => {
                return Err(TaskStatus::Failed {
                    reason: format!("planning the task: {error}"),
                });
            }
        };
        self.emit(AgentEvent::Planned {
            plan: self.plan.clone(),
        });
        self.record(Record::Header(TrajectoryHeader {
            goal: self.goal.to_owned(),
            started_ms: unix_millis(),
            lobster_version: env!("CARGO_PKG_VERSION").to_owned(),
            plan: self.plan.to_string(),
        }));
        Ok(())
    }

    fn over_budget(&self) -> Option<TaskStatus> {
        if self.io.cancel.is_cancelled() {
            return Some(TaskStatus::Cancelled);
        }
        let budgets = &self.config().budgets;
        let exhausted = |budget: &str| {
            Some(TaskStatus::BudgetExhausted {
                budget: budget.to_owned(),
            })
        };
        if self.steps >= budgets.max_steps {
            exhausted("steps")
        } else if self.started.elapsed() >= budgets.max_duration {
            exhausted("time")
        } else if self.tokens >= budgets.max_tokens {
            exhausted("tokens")
        } else {
            None
        }
    }

    /// A subgoal with a direct route: one intent or app action, guarded, performed, and checked
    /// against the phone's state where the device can tell; replanned through the UI when it is
    /// refused, no app handles it, or its effect is missing. Recorded in the trajectory like a UI
    /// step, with `route` as its planner.
    fn route_step(&mut self, index: usize, route: Route) -> Flow {
        let action = match route {
            Route::Intent(intent) => Action::Intent(intent),
            Route::AppAction { name, args } => Action::CallAppAction { name, args },
            Route::Ui { .. } => return Flow::Next,
        };
        let reason = format!("route for subgoal {}", index + 1);
        let text = action.to_string();
        self.emit(AgentEvent::ActionChosen {
            step: self.steps,
            action: text.clone(),
            reason: reason.clone(),
            meta: crate::planner::PlanMeta {
                planner: "route".into(),
                ..Default::default()
            },
        });
        let mut timings = Timings::default();
        let clock = Instant::now();
        let screen = match self.screen() {
            Ok(screen) => screen,
            Err(flow) => return flow,
        };
        timings.observe_us = micros(clock);
        let mut record = TrajectoryStep {
            step: self.steps,
            snapshot: Some(screen.snapshot.clone()),
            screen_tokens: u32::try_from(estimate_tokens(&screen.encoded.text)).unwrap_or(u32::MAX),
            action: text.clone(),
            reason,
            planner: "route".into(),
            guard: "allow".into(),
            ..TrajectoryStep::default()
        };
        let flow = self.run_route(index, &action, screen, &mut record, &mut timings);
        record.timings = Some(timings);
        self.record(Record::Step(record));
        flow
    }

    /// The stages of a route step after its screen is read: guard → perform → check the state.
    fn run_route(
        &mut self,
        index: usize,
        action: &Action,
        screen: Screen,
        record: &mut TrajectoryStep,
        timings: &mut Timings,
    ) -> Flow {
        let clock = Instant::now();
        let refused = self
            .misfit_call(action, &record.action)
            .or_else(|| self.guard(action, &record.action, &screen));
        timings.guard_us = micros(clock);
        if let Some(flow) = refused {
            record.guard = self.last_result();
            self.current = Some(screen);
            self.replan(index, "not allowed");
            return flow;
        }
        let clock = Instant::now();
        let outcome = match self.perform_all(action, &screen) {
            Ok(outcome) => outcome,
            Err(flow) => return flow,
        };
        timings.act_us = micros(clock);
        record.outcome = describe(&outcome);
        self.emit(AgentEvent::Acted {
            step: self.steps,
            action: record.action.clone(),
            outcome: record.outcome.clone(),
        });
        self.current = Some(screen);
        if !outcome.performed() {
            self.replan(index, &record.outcome);
            return Flow::Next;
        }
        let clock = Instant::now();
        let checked = match returned_effect(&outcome) {
            Some(read) => Some(read),
            None => match self.route_effect(action) {
                Ok(checked) => checked,
                Err(flow) => return flow,
            },
        };
        // A tool that read something answers the goal with it unless a later step says more.
        if let Some(data) = outcome.returned() {
            self.answer = data.to_owned();
        }
        timings.verify_us = micros(clock);
        let known = checked.is_some();
        let verification = checked.unwrap_or_else(|| Verification {
            effective: true,
            note: "performed; the device cannot check the effect".into(),
        });
        record.verification = verification.note.clone();
        self.emit(AgentEvent::Verified {
            step: self.steps,
            effective: verification.effective,
            note: verification.note.clone(),
        });
        if !verification.effective {
            self.replan(index, &format!("no effect ({})", verification.note));
            return Flow::Next;
        }
        self.plan.subgoals[index].status = SubgoalStatus::Done;
        self.history.push(StepMemory {
            step: self.steps,
            action: record.action.clone(),
            result: format!("done: {}", verification.note),
            verified: known.then_some(true),
            repeated: false,
        });
        // The app that handled the route is one the task works in.
        self.current = None;
        match self.screen() {
            Ok(after) => {
                self.trust(&after.snapshot.foreground_package.clone());
                self.current = Some(after);
                Flow::Next
            }
            Err(flow) => flow,
        }
    }

    /// What the phone's state says of an intent's or app action's effect, when the device can
    /// tell; `None` for other actions and devices that cannot.
    fn route_effect(&mut self, action: &Action) -> Result<Option<Verification>, Flow> {
        let device_action = match action {
            Action::Intent(intent) => DeviceAction::SendIntent(intent.clone()),
            Action::CallAppAction { name, args } => DeviceAction::CallAppAction {
                name: name.clone(),
                args: args.clone(),
            },
            _ => return Ok(None),
        };
        let effect = self
            .io
            .device
            .route_effect(&device_action)
            .map_err(device_flow)?;
        Ok(match effect {
            RouteEffect::Shown(note) => Some(Verification {
                effective: true,
                note,
            }),
            RouteEffect::Missing(note) => Some(Verification {
                effective: false,
                note,
            }),
            RouteEffect::Unknown => None,
        })
    }

    /// What followed the last step, as the history tells it (the guard's verdict after a
    /// refusal).
    fn last_result(&self) -> String {
        self.history
            .last()
            .map(|memory| memory.result.clone())
            .unwrap_or_default()
    }

    /// Turns a subgoal whose direct route failed into UI steps.
    fn replan(&mut self, index: usize, reason: &str) {
        let subgoal = &mut self.plan.subgoals[index];
        self.history.push(StepMemory {
            step: self.steps,
            action: subgoal.route.to_string(),
            result: format!("{reason}; continuing through the UI"),
            verified: None,
            repeated: false,
        });
        subgoal.route = Route::Ui { app: None };
        subgoal.status = SubgoalStatus::Replanned(reason.to_owned());
        self.emit(AgentEvent::Planned {
            plan: self.plan.clone(),
        });
    }

    /// One UI step.
    fn ui_step(&mut self, index: usize) -> Flow {
        let mut timings = Timings::default();
        let clock = Instant::now();
        let screen = match self.screen() {
            Ok(screen) => screen,
            Err(flow) => return flow,
        };
        timings.observe_us = micros(clock);
        let screen_tokens = estimate_tokens(&screen.encoded.text);
        self.emit(AgentEvent::Observed {
            step: self.steps,
            elements: screen.encoded.elements.len(),
            screen_tokens,
        });

        let clock = Instant::now();
        let grammar = grammar_for_screen(&screen.encoded.elements, &self.context);
        timings.encode_us = micros(clock);
        let clock = Instant::now();
        let planned = {
            let request = StepRequest {
                goal: self.goal,
                task_plan: &self.plan,
                subgoal: index,
                screen: &screen.encoded,
                grammar: &grammar,
                context: &self.context,
                history: &self.history,
                step: self.steps,
            };
            self.io.planner.next_action(&request, self.io.cancel)
        };
        timings.plan_us = micros(clock);
        let planned = match planned {
            Ok(planned) => planned,
            Err(error) => {
                self.current = Some(screen);
                return self.planner_failed(error);
            }
        };
        self.tokens +=
            u64::from(planned.meta.prompt_tokens) + u64::from(planned.meta.generated_tokens);
        let text = planned.action.to_string();
        self.emit(AgentEvent::ActionChosen {
            step: self.steps,
            action: text.clone(),
            reason: planned.reason.clone(),
            meta: planned.meta.clone(),
        });
        if let Err(error) = validate(&planned.action, &screen.encoded.elements, &self.context) {
            self.current = Some(screen);
            return self.rejected(&text, &error.to_string());
        }
        self.invalid_in_a_row = 0;

        let mut record = TrajectoryStep {
            step: self.steps,
            snapshot: Some(screen.snapshot.clone()),
            screen_tokens: u32::try_from(screen_tokens).unwrap_or(u32::MAX),
            prompt_tokens: planned.meta.prompt_tokens,
            generated_tokens: planned.meta.generated_tokens,
            action: text.clone(),
            reason: planned.reason.clone(),
            planner: planned.meta.planner.clone(),
            guard: "allow".into(),
            ..TrajectoryStep::default()
        };
        let flow = self.act(index, &planned, screen, &mut record, &mut timings);
        record.timings = Some(timings);
        self.record(Record::Step(record));
        flow
    }

    /// Carries out a valid action of a UI step, stage by stage: actions that need no device
    /// (done, fail, ask, wait), then guard → perform → verify → remember.
    fn act(
        &mut self,
        index: usize,
        planned: &PlannedAction,
        screen: Screen,
        record: &mut TrajectoryStep,
        timings: &mut Timings,
    ) -> Flow {
        let screen = match self.act_without_device(index, &planned.action, screen, record) {
            Ok(screen) => screen,
            Err(flow) => return flow,
        };

        let clock = Instant::now();
        let refused = self
            .misfit_call(&planned.action, &record.action)
            .or_else(|| self.guard(&planned.action, &record.action, &screen));
        timings.guard_us = micros(clock);
        if let Some(flow) = refused {
            record.guard = self.last_result();
            // A password or PIN the agent holds no secret for: the user types it.
            if record.guard == format!("blocked: {PASSWORD_NEEDS_SECRET}")
                && self.config().allow_ask
            {
                return self.hand_over(PASSWORD_TAKEOVER, record.action.clone(), record);
            }
            self.current = Some(screen);
            return flow;
        }
        if self.io.cancel.is_cancelled() {
            return Flow::Finish(TaskStatus::Cancelled);
        }

        let clock = Instant::now();
        let outcome = match self.perform_all(&planned.action, &screen) {
            Ok(outcome) => outcome,
            Err(flow) => return flow,
        };
        timings.act_us = micros(clock);
        record.outcome = describe(&outcome);
        self.emit(AgentEvent::Acted {
            step: self.steps,
            action: record.action.clone(),
            outcome: record.outcome.clone(),
        });

        let clock = Instant::now();
        let checked = match self.check_effect(&planned.action, &outcome, screen, record) {
            Ok(checked) => checked,
            Err(flow) => return flow,
        };
        timings.verify_us = micros(clock);
        self.trust_after(&planned.action, &outcome, &checked);
        self.remember(&planned.action, record.action.clone(), checked)
    }

    /// Done, fail, ask and wait: the actions the loop carries out itself. `Err` holds the flow
    /// that ends the step; `Ok` hands the screen back for an action the device performs.
    fn act_without_device(
        &mut self,
        index: usize,
        action: &Action,
        screen: Screen,
        record: &mut TrajectoryStep,
    ) -> Result<Screen, Flow> {
        let text = record.action.clone();
        match action {
            Action::Done { answer } => {
                self.plan.subgoals[index].status = SubgoalStatus::Done;
                if !answer.is_empty() {
                    self.answer = answer.clone();
                }
                record.outcome = "done".into();
                self.remember_unverified(text, format!("subgoal {} done", index + 1));
                self.current = Some(screen);
                Err(Flow::Next)
            }
            Action::Fail { reason } => {
                record.outcome = "failed".into();
                Err(Flow::Finish(TaskStatus::Failed {
                    reason: reason.clone(),
                }))
            }
            Action::Ask { question } => {
                self.current = Some(screen);
                let Some(reply) = self.io.listener.ask_user(question) else {
                    return Err(Flow::Finish(TaskStatus::Failed {
                        reason: "the planner asked a question and no one could answer".into(),
                    }));
                };
                record.outcome = "answered".into();
                self.remember_unverified(text, format!("the user answered: {reply}"));
                Err(Flow::Next)
            }
            Action::Wait { seconds } => {
                self.current = Some(screen);
                Err(self.wait(*seconds, text, record))
            }
            Action::Takeover { reason } => Err(self.hand_over(reason, text, record)),
            _ => Ok(screen),
        }
    }

    /// Hands the phone to the user and waits for it back; the next step observes afresh, since
    /// the user may have left any screen in front. A user who does not take over ends the task:
    /// what they were asked for is what the agent must not do itself.
    fn hand_over(&mut self, reason: &str, text: String, record: &mut TrajectoryStep) -> Flow {
        self.emit(AgentEvent::TakeoverRequested {
            step: self.steps,
            reason: reason.to_owned(),
        });
        let resumed = self.io.listener.take_over(reason);
        self.emit(AgentEvent::TakeoverEnded {
            step: self.steps,
            resumed,
        });
        if !resumed {
            record.outcome = "not taken over".into();
            return Flow::Finish(TaskStatus::Failed {
                reason: "the user did not take the phone over".into(),
            });
        }
        record.outcome = "taken over".into();
        self.current = None;
        self.remember_unverified(
            text,
            "the user took the phone over and handed it back; look at the screen again".into(),
        );
        Flow::Next
    }

    /// The `wait` action: sleeps (cancellable), then observes afresh, as after any action.
    fn wait(&mut self, seconds: u32, text: String, record: &mut TrajectoryStep) -> Flow {
        match self.sleep(Duration::from_secs(u64::from(seconds))) {
            Ok(true) => {}
            Ok(false) => return Flow::Finish(TaskStatus::Cancelled),
            Err(flow) => return flow,
        }
        record.outcome = "waited".into();
        let before = self.current.take();
        match self.screen() {
            Ok(after) => {
                let changed = before
                    .as_ref()
                    .is_some_and(|before| before.encoded.text != after.encoded.text);
                let result = if changed {
                    "the screen changed"
                } else {
                    "no visible change"
                };
                self.remember_unverified(text, result.into());
                self.current = Some(after);
                Flow::Next
            }
            Err(flow) => flow,
        }
    }

    /// Observes the settled screen after a performed action and verifies its effect.
    fn check_effect(
        &mut self,
        action: &Action,
        outcome: &Outcome,
        before: Screen,
        record: &mut TrajectoryStep,
    ) -> Result<Checked, Flow> {
        let after = self.settled_screen(&before)?;
        let screen_diff = diff(&before.encoded, &after.encoded);
        let typed = match action {
            Action::Type { text, .. } => Some(
                self.config()
                    .secrets
                    .resolve(text)
                    .unwrap_or(text)
                    .to_owned(),
            ),
            _ => None,
        };
        let state = if let Some(read) = returned_effect(outcome) {
            Some(read)
        } else if outcome.performed() {
            self.route_effect(action)?
        } else {
            None
        };
        let verification = if let Some(state) = state {
            state
        } else if outcome.performed() {
            verify(
                action,
                typed.as_deref(),
                &Around {
                    before: &before.encoded,
                    before_snapshot: &before.snapshot,
                    after: &after.encoded,
                    after_snapshot: &after.snapshot,
                    diff: &screen_diff,
                },
            )
        } else {
            Verification {
                effective: false,
                note: record.outcome.clone(),
            }
        };
        record.verification = verification.note.clone();
        self.emit(AgentEvent::Verified {
            step: self.steps,
            effective: verification.effective,
            note: verification.note.clone(),
        });
        Ok(Checked {
            before,
            after,
            diff: screen_diff,
            verification,
        })
    }

    /// Widens the packages the task may act in after an action that legitimately moved it:
    /// system navigation (the launcher, the previous app), a hand-over to another app, or an
    /// app the agent opened.
    fn trust_after(&mut self, action: &Action, outcome: &Outcome, checked: &Checked) {
        let landed = checked.after.snapshot.foreground_package.clone();
        if matches!(
            action,
            Action::Home | Action::Back | Action::Recents | Action::Notifications
        ) || self.handed_over(action, &checked.before, &checked.after)
        {
            self.trust(&landed);
        }
        if let Action::OpenApp { name } = action
            && outcome.performed()
        {
            let package = self
                .installed
                .iter()
                .find(|app| &app.label == name)
                .map(|app| app.package.clone());
            if let Some(package) = package {
                self.trust(&package);
            }
        }
    }

    /// Writes the step into the history the planner reads (its effect, the screen diff when
    /// short, the loop detector's warning) and makes the new screen current.
    fn remember(&mut self, action: &Action, text: String, checked: Checked) -> Flow {
        let Checked {
            before,
            after,
            diff: screen_diff,
            verification,
        } = checked;
        let mut result = verification.note.clone();
        if !screen_diff.is_empty() {
            if screen_diff.len() <= MAX_DIFF_LINES_IN_HISTORY {
                result = format!("{result}\n{screen_diff}");
            } else {
                result = format!("{result}; a new screen");
            }
        }
        let signal = self
            .detector
            .record(&before.encoded.text, &text, verification.effective);
        self.current = Some(after);
        match signal {
            LoopSignal::None => {}
            LoopSignal::Warn => {
                result.push_str(
                    "\nThis action was already taken on this same screen; choose a different one.",
                );
            }
            LoopSignal::Recover => {
                result.push_str("\nRepeated without effect: pressed back to get out.");
                if let Err(flow) = self.press_back() {
                    return flow;
                }
            }
            LoopSignal::Stop => {
                return Flow::Finish(TaskStatus::Failed {
                    reason: format!(
                        "stuck: `{}` repeated on the same screen without progress",
                        action.verb()
                    ),
                });
            }
        }
        self.history.push(StepMemory {
            step: self.steps,
            action: text,
            result,
            verified: Some(verification.effective),
            repeated: signal != LoopSignal::None,
        });
        Flow::Next
    }

    /// Writes a step with nothing to verify (done, ask, wait) into the history.
    fn remember_unverified(&mut self, action: String, result: String) {
        self.history.push(StepMemory {
            step: self.steps,
            action,
            result,
            verified: None,
            repeated: false,
        });
    }

    /// Asks the guard; `None` when the action may run, the flow otherwise (the planner is told
    /// through the history).
    /// A call of a declared app action whose arguments do not fit its schema is refused before
    /// the guard and the app see it; the planner is told what does not fit.
    fn misfit_call(&mut self, action: &Action, text: &str) -> Option<Flow> {
        let Action::CallAppAction { name, args } = action else {
            return None;
        };
        let schema = self
            .app_actions
            .iter()
            .find(|declared| &declared.name == name)?
            .parameters
            .as_ref()?;
        let why = check_arguments(schema, args).err()?;
        let error = format!("the arguments do not fit {name}: {why}");
        self.emit(AgentEvent::ActionRejected {
            step: self.steps,
            error: error.clone(),
        });
        self.history.push(StepMemory {
            step: self.steps,
            action: text.to_owned(),
            result: format!("rejected: {error}"),
            verified: Some(false),
            repeated: false,
        });
        Some(Flow::Next)
    }

    fn guard(&mut self, action: &Action, text: &str, screen: &Screen) -> Option<Flow> {
        let verdict = self.agent.guard.check(
            action,
            &GuardContext {
                screen: &screen.encoded,
                snapshot: &screen.snapshot,
                secrets: &self.config().secrets,
                task_packages: &self.encode.task_packages,
                granted_tools: &self.granted_tools,
                app_actions: &self.app_actions,
            },
        );
        let result = match verdict {
            Verdict::Allow => return None,
            Verdict::Confirm(sensitive) => {
                let request = Confirmation {
                    action: text.to_owned(),
                    category: sensitive.category,
                    reason: sensitive.reason,
                    remember: sensitive.grant,
                };
                self.emit(AgentEvent::NeedsConfirmation {
                    step: self.steps,
                    request: request.clone(),
                });
                let allowed = self.io.listener.confirm(&request);
                self.emit(AgentEvent::Confirmed {
                    step: self.steps,
                    allowed,
                });
                if allowed {
                    if let Some(tool) = request.remember {
                        self.granted_tools.insert(tool);
                    }
                    return None;
                }
                "denied: the user did not allow this action".to_owned()
            }
            Verdict::Deny(reason) => {
                self.emit(AgentEvent::Blocked {
                    step: self.steps,
                    reason: reason.clone(),
                });
                format!("blocked: {reason}")
            }
        };
        self.history.push(StepMemory {
            step: self.steps,
            action: text.to_owned(),
            result,
            verified: None,
            repeated: false,
        });
        Some(Flow::Next)
    }

    /// Performs the device side of `action`. A target that vanished is looked up again on a
    /// fresh screen (stable ids find it if it only moved) and tried once more; if it is gone,
    /// the outcome says so and nothing is touched.
    fn perform_all(&mut self, action: &Action, screen: &Screen) -> Result<Outcome, Flow> {
        let effect = resolve(action, &screen.encoded, &self.config().secrets);
        let actions = match effect {
            Ok(Effect::Launch(label)) => {
                return self.io.device.launch_app(&label).map_err(device_flow);
            }
            Ok(Effect::Perform(actions)) => actions,
            Err(error) => return Ok(Outcome::Rejected(error.to_string())),
        };
        for (position, device_action) in actions.iter().enumerate() {
            let mut outcome = self.io.device.perform(device_action).map_err(device_flow)?;
            if outcome == Outcome::TargetGone {
                outcome = self.retry_on_fresh_screen(action, screen, position)?;
            }
            if outcome != Outcome::Performed {
                return Ok(outcome);
            }
        }
        Ok(Outcome::Performed)
    }

    /// Re-observes after a vanished target and performs the `position`-th device action again
    /// if the element is still on screen under its id.
    fn retry_on_fresh_screen(
        &mut self,
        action: &Action,
        screen: &Screen,
        position: usize,
    ) -> Result<Outcome, Flow> {
        let fresh = self.observe_encoded(Some(&screen.encoded))?;
        let Ok(Effect::Perform(actions)) = resolve(action, &fresh.encoded, &self.config().secrets)
        else {
            return Ok(Outcome::TargetGone);
        };
        match actions.get(position) {
            Some(device_action) => self.io.device.perform(device_action).map_err(device_flow),
            None => Ok(Outcome::TargetGone),
        }
    }

    fn press_back(&mut self) -> Result<(), Flow> {
        self.io
            .device
            .perform(&DeviceAction::Global(GlobalAction::Back))
            .map_err(device_flow)?;
        let before = self.current.take();
        let after = self.observe_encoded(before.as_ref().map(|screen| &screen.encoded))?;
        self.current = Some(after);
        Ok(())
    }

    /// The current screen: the one observed after the last action, or a fresh observation.
    fn screen(&mut self) -> Result<Screen, Flow> {
        match self.current.take() {
            Some(screen) => Ok(screen),
            None => {
                let screen = self.observe_encoded(None)?;
                if self.encode.task_packages.is_empty() {
                    // The app the user was in when the task began is one the task works in.
                    self.trust(&screen.snapshot.foreground_package.clone());
                }
                Ok(screen)
            }
        }
    }

    /// Observes until the screen differs from `before`, up to the settle attempts: apps render
    /// a moment after an action.
    fn settled_screen(&mut self, before: &Screen) -> Result<Screen, Flow> {
        let mut after = self.observe_encoded(Some(&before.encoded))?;
        for _ in 0..self.config().settle_attempts {
            if after.encoded.text != before.encoded.text {
                break;
            }
            if !self.sleep(self.config().settle_interval)? {
                return Err(Flow::Finish(TaskStatus::Cancelled));
            }
            after = self.observe_encoded(Some(&before.encoded))?;
        }
        Ok(after)
    }

    fn observe_encoded(&mut self, previous: Option<&EncodedScreen>) -> Result<Screen, Flow> {
        let snapshot = self.io.device.observe().map_err(device_flow)?;
        let encoded = encode_with(&snapshot, previous, &self.encode);
        Ok(Screen { snapshot, encoded })
    }

    /// Whether an action on the task's own app handed the screen over to another app (a
    /// contact's "Text" button opening Messages): the new app replaced the old one rather than
    /// drawing over it, so it is one the task works in. An overlay leaves the old app visible
    /// and is not trusted this way.
    fn handed_over(&self, action: &Action, before: &Screen, after: &Screen) -> bool {
        let old = &before.snapshot.foreground_package;
        let new = &after.snapshot.foreground_package;
        let acted_in_task_app = match action {
            Action::Tap { id } | Action::LongPress { id } | Action::Type { id, .. } => before
                .encoded
                .element(*id)
                .is_some_and(|element| self.encode.task_packages.contains(&element.package)),
            _ => false,
        };
        let old_app_gone = !after.snapshot.windows.iter().any(|window| {
            window.package == *old && window.r#type == crate::screen::WindowType::Application as i32
        });
        acted_in_task_app && new != old && !new.is_empty() && old_app_gone
    }

    /// Adds a package the task legitimately works in.
    fn trust(&mut self, package: &str) {
        if !package.is_empty()
            && !self
                .encode
                .task_packages
                .iter()
                .any(|known| known == package)
        {
            self.encode.task_packages.push(package.to_owned());
        }
    }

    fn planner_failed(&mut self, error: PlanError) -> Flow {
        match error {
            PlanError::Cancelled => Flow::Finish(TaskStatus::Cancelled),
            PlanError::InvalidOutput(message) => self.rejected("(unparsed)", &message),
            PlanError::Exhausted | PlanError::Backend(_) => Flow::Finish(TaskStatus::Failed {
                reason: error.to_string(),
            }),
        }
    }

    /// An answer that is not a valid action: told to the planner, and the task fails after too
    /// many in a row.
    fn rejected(&mut self, action: &str, error: &str) -> Flow {
        self.invalid_in_a_row += 1;
        self.emit(AgentEvent::ActionRejected {
            step: self.steps,
            error: error.to_owned(),
        });
        self.history.push(StepMemory {
            step: self.steps,
            action: action.to_owned(),
            result: format!("rejected: {error}"),
            verified: Some(false),
            repeated: false,
        });
        if self.invalid_in_a_row >= self.config().max_invalid_in_a_row {
            return Flow::Finish(TaskStatus::Failed {
                reason: format!(
                    "the planner gave {} invalid actions in a row",
                    self.invalid_in_a_row
                ),
            });
        }
        Flow::Next
    }

    /// Lets `duration` pass on the device in short slices, so cancellation is prompt; `false`
    /// when cancelled. A device that knows its screen is idle returns from a slice early.
    fn sleep(&mut self, duration: Duration) -> Result<bool, Flow> {
        let deadline = Instant::now() + duration;
        let mut remaining = duration;
        while !remaining.is_zero() {
            if self.io.cancel.is_cancelled() {
                return Ok(false);
            }
            let slice = remaining.min(Duration::from_millis(100));
            self.io.device.settle(slice).map_err(device_flow)?;
            remaining = remaining.saturating_sub(slice);
            if Instant::now() >= deadline {
                break;
            }
        }
        Ok(!self.io.cancel.is_cancelled())
    }

    fn record(&mut self, record: Record) {
        if let Some(writer) = self.io.trajectory.as_deref_mut()
            && let Err(error) = writer.append(record)
        {
            // Losing the log must not stop the task; say so once per failed write.
            eprintln!("lobster: writing the trajectory failed: {error}");
        }
    }

    fn record_end(&mut self, status: &TaskStatus, elapsed: Duration) {
        let (status, detail) = match status {
            TaskStatus::Succeeded { answer } => ("succeeded", answer.clone()),
            TaskStatus::Failed { reason } => ("failed", reason.clone()),
            TaskStatus::Cancelled => ("cancelled", String::new()),
            TaskStatus::BudgetExhausted { budget } => ("budget_exhausted", budget.clone()),
        };
        self.record(Record::End(TrajectoryEnd {
            status: status.to_owned(),
            detail,
            steps: self.steps,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        }));
    }
}

/// A device failure ends the task.
fn device_flow(error: crate::device::DeviceError) -> Flow {
    Flow::Finish(device_failed(&error))
}

fn device_failed(error: &crate::device::DeviceError) -> TaskStatus {
    TaskStatus::Failed {
        reason: error.to_string(),
    }
}

/// A device outcome in words.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Performed => "performed".into(),
        Outcome::Returned(data) => format!("returned: {data}"),
        Outcome::TargetGone => "the element vanished before it could be acted on".into(),
        Outcome::NoHandler => "no app handles it".into(),
        Outcome::Rejected(reason) => format!("rejected by the device: {reason}"),
    }
}

/// What the user is asked when a screen wants a password or PIN the agent has no secret for.
pub const PASSWORD_TAKEOVER: &str =
    "Enter the password or PIN on this screen, then hand the phone back";

/// `plan` with every route to a tool the phone cannot run turned into UI steps: a planner that
/// did not get the phone's tool set (the rules, a scripted plan) may name one.
fn only_available_tools(mut plan: TaskPlan, tools: ToolSet) -> TaskPlan {
    for subgoal in &mut plan.subgoals {
        if let Route::Intent(intent) = &subgoal.route
            && !tools.contains(intent.kind())
        {
            subgoal.route = Route::Ui { app: None };
        }
    }
    plan
}

/// A tool's read as the step's verified effect: what it read is the effect.
fn returned_effect(outcome: &Outcome) -> Option<Verification> {
    outcome.returned().map(|data| Verification {
        effective: true,
        note: format!("returned: {data}"),
    })
}

fn micros(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}

fn unix_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
