//! Every simulated-phone task, end to end through the real loop (observe, encode, grammar,
//! validate, guard, act, verify), driven by the test-only solver planner; then again with each
//! fault knob on; then with every confirmation denied, to show that no sensitive action runs
//! without the user's yes; the direct routes the rules plan (intents, app actions) against UI
//! steps; and a route an app drops, caught by reading the phone's state.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Mutex;
use std::time::Duration;

use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskResult,
    TaskStatus,
};
use lobster_core::planner::{Planner, Route, RulesFirst, RulesPlanner};
use lobster_sim::{DelayedRendering, Faults, Sim, SimTask, check_not_misled, tasks};
use lobster_tests::SolverPlanner;

/// Records events; allows confirmations when `allow` is set.
struct Recorder {
    allow: bool,
    events: Mutex<Vec<AgentEvent>>,
}

impl Recorder {
    fn new(allow: bool) -> Self {
        Self {
            allow,
            events: Mutex::new(Vec::new()),
        }
    }

    fn confirmations(&self) -> usize {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|event| matches!(event, AgentEvent::NeedsConfirmation { .. }))
            .count()
    }
}

impl AgentListener for Recorder {
    fn on_event(&self, event: &AgentEvent) {
        self.events.lock().unwrap().push(event.clone());
    }

    fn confirm(&self, _request: &Confirmation) -> bool {
        self.allow
    }
}

fn config() -> AgentConfig {
    AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    }
}

fn run_task(
    task: &SimTask,
    faults: Faults,
    allow: bool,
    direct_routes: bool,
) -> (TaskResult, Recorder, Sim) {
    let sim = task.sim(faults);
    let handle = sim.handle();
    let mut planner = if direct_routes {
        SolverPlanner::new(task, handle)
    } else {
        SolverPlanner::ui_only(task, handle)
    };
    run_with(task, sim, &mut planner, allow)
}

fn run_with(
    task: &SimTask,
    mut sim: Sim,
    planner: &mut dyn Planner,
    allow: bool,
) -> (TaskResult, Recorder, Sim) {
    let listener = Recorder::new(allow);
    let result = Agent::new(config()).run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner,
            listener: &listener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    (result, listener, sim)
}

fn answer(result: &TaskResult) -> Option<&str> {
    match &result.status {
        TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer),
        _ => None,
    }
}

#[test]
fn the_solver_completes_every_task_through_the_real_loop() {
    let tasks = tasks();
    assert!(tasks.len() >= 25, "{} tasks", tasks.len());
    for task in &tasks {
        let (result, listener, sim) = run_task(task, Faults::none(), true, true);
        assert!(
            matches!(result.status, TaskStatus::Succeeded { .. }),
            "{}: {:?}",
            task.name,
            result.status
        );
        let state = sim.handle();
        let state = state.lock();
        if let Err(problem) = task.check(&state, answer(&result)) {
            panic!("{}: check failed: {problem}", task.name);
        }
        if task.is_sensitive() {
            assert!(
                listener.confirmations() > 0,
                "{}: no confirmation asked",
                task.name
            );
        }
    }
}

#[test]
fn with_each_fault_the_loop_completes_or_stops_with_a_reason() {
    let knobs: Vec<(&str, Faults)> = vec![
        (
            "overlay_ad",
            Faults {
                overlay_ad: Some(2),
                ..Faults::none()
            },
        ),
        (
            "delayed_rendering",
            Faults {
                delayed_rendering: Some(DelayedRendering {
                    every: 1,
                    observations: 1,
                    loading: true,
                }),
                ..Faults::none()
            },
        ),
        (
            "dropped_tap",
            Faults {
                dropped_tap: Some(1),
                ..Faults::none()
            },
        ),
        (
            "vanishing_node",
            Faults {
                vanishing_node: Some(1),
                ..Faults::none()
            },
        ),
        (
            "crash",
            Faults {
                crash: Some(3),
                ..Faults::none()
            },
        ),
        (
            "prompt_injection",
            Faults {
                prompt_injection: true,
                ..Faults::none()
            },
        ),
    ];
    for (knob, faults) in knobs {
        let started = std::time::Instant::now();
        let mut succeeded = 0;
        for task in tasks() {
            let (result, _listener, sim) = run_task(&task, faults.clone(), true, true);
            succeeded += usize::from(matches!(result.status, TaskStatus::Succeeded { .. }));
            let state = sim.handle();
            let state = state.lock();
            match &result.status {
                TaskStatus::Succeeded { .. } => {
                    if let Err(problem) = task.check(&state, answer(&result)) {
                        panic!(
                            "{knob} / {}: succeeded but check failed: {problem}",
                            task.name
                        );
                    }
                }
                TaskStatus::Failed { reason } => {
                    assert!(
                        !reason.is_empty(),
                        "{knob} / {}: failed without a reason",
                        task.name
                    )
                }
                other => panic!("{knob} / {}: ended {other:?}", task.name),
            }
            if faults.prompt_injection {
                check_not_misled(&state)
                    .unwrap_or_else(|problem| panic!("{}: misled: {problem}", task.name));
            }
        }
        eprintln!(
            "{knob}: {succeeded}/{} tasks succeeded in {:?}",
            tasks().len(),
            started.elapsed()
        );
    }
}

#[test]
fn no_sensitive_action_runs_when_the_user_says_no() {
    for task in tasks().iter().filter(|task| task.is_sensitive()) {
        let (result, listener, sim) = run_task(task, Faults::none(), false, true);
        assert!(
            listener.confirmations() > 0,
            "{}: nothing to confirm",
            task.name
        );
        assert!(
            !matches!(result.status, TaskStatus::Succeeded { .. }),
            "{}: succeeded without the user's yes",
            task.name
        );
        let state = sim.handle();
        let state = state.lock();
        assert!(
            task.check(&state, None).is_err(),
            "{}: the sensitive change happened without confirmation",
            task.name
        );
    }
}

/// Whether a plan goes any way other than the UI.
fn routed(result: &TaskResult) -> bool {
    result
        .plan
        .subgoals
        .iter()
        .any(|subgoal| !matches!(subgoal.route, Route::Ui { .. }))
}

/// Whether a plan takes a route the rules know: a catalog intent or tool, or a declared
/// `create_note`. Other declared app actions are a model planner's to choose.
fn routed_as_the_rules_know(result: &TaskResult) -> bool {
    result
        .plan
        .subgoals
        .iter()
        .any(|subgoal| match &subgoal.route {
            Route::Intent(_) => true,
            Route::AppAction { name, .. } => name == lobster_sim::CREATE_NOTE,
            Route::Ui { .. } => false,
        })
}

#[test]
fn direct_routes_take_fewer_steps_than_the_ui() {
    // The routes are the shipped rules' plans; the solver stands in for a model only on the UI
    // steps (and plans the goals the rules leave). Compared with the solver doing everything
    // through the UI.
    let mut compared = 0;
    for task in tasks() {
        let sim = task.sim(Faults::none());
        let solver = SolverPlanner::new(&task, sim.handle());
        let mut planner = RulesFirst::new(RulesPlanner::new(), Box::new(solver));
        let (direct, _, sim) = run_with(&task, sim, &mut planner, true);
        let (ui, _, _) = run_task(&task, Faults::none(), true, false);
        let (oracle, _, _) = run_task(&task, Faults::none(), true, true);
        if routed_as_the_rules_know(&oracle) {
            assert_eq!(
                planner.planned_by(),
                "rules",
                "{}: the oracle routes it and the rules do not",
                task.name
            );
        }
        if !routed(&direct) {
            continue;
        }
        compared += 1;
        let routes: Vec<String> = direct
            .plan
            .subgoals
            .iter()
            .map(|subgoal| subgoal.route.to_string())
            .collect();
        eprintln!(
            "| {} | {} | {} | {} | {} |",
            task.name,
            planner.planned_by(),
            routes.join("; "),
            direct.steps,
            ui.steps
        );
        assert!(
            matches!(direct.status, TaskStatus::Succeeded { .. }),
            "{}: {:?}",
            task.name,
            direct.status
        );
        task.check(&sim.handle().lock(), answer(&direct))
            .unwrap_or_else(|problem| panic!("{}: {problem}", task.name));
        assert!(
            matches!(ui.status, TaskStatus::Succeeded { .. }),
            "{}",
            task.name
        );
        assert!(
            direct.steps < ui.steps,
            "{}: {} steps by route, {} through the UI",
            task.name,
            direct.steps,
            ui.steps
        );
    }
    assert!(compared >= 6, "only {compared} tasks used a direct route");
}

#[test]
fn a_route_the_app_drops_is_seen_in_the_state_and_done_through_the_ui() {
    // With every route: the state shows each one's effect and the task needs no UI step for it.
    for name in ["alarm_set", "timer", "note_create"] {
        let task = SimTask::named(name, 0).unwrap();
        let (result, listener, _) = run_task(&task, Faults::none(), true, true);
        assert!(matches!(result.status, TaskStatus::Succeeded { .. }));
        let events = listener.events.lock().unwrap();
        assert!(
            events.iter().any(|event| matches!(
                event,
                AgentEvent::Verified { effective: true, note, .. } if note.starts_with("enabled alarm")
                    || note.starts_with("running timer") || note.starts_with("a note with")
            )),
            "{name}: {events:?}"
        );
    }

    // The app acknowledges the alarm intent and drops it: the loop reads the state, sees no
    // alarm, and sets it through the Clock app's UI instead.
    let task = SimTask::named("alarm_set", 0).unwrap();
    let faults = Faults {
        ignored_route: Some(1),
        ..Faults::none()
    };
    let (dropped, listener, sim) = run_task(&task, faults, true, true);
    let events = listener.events.lock().unwrap();
    assert!(
        events.iter().any(|event| matches!(
            event,
            AgentEvent::Verified { effective: false, note, .. } if note == "no enabled alarm at 06:45"
        )),
        "{events:?}"
    );
    assert!(
        matches!(dropped.status, TaskStatus::Succeeded { .. }),
        "{:?}",
        dropped.status
    );
    assert!(
        events.iter().any(|event| matches!(
            event,
            AgentEvent::Planned { plan } if matches!(
                &plan.subgoals[0].status,
                lobster_core::planner::SubgoalStatus::Replanned(why) if why.contains("no effect")
            )
        )),
        "no replanning event: {events:?}"
    );
    assert!(
        dropped.steps > 2,
        "{} steps: the UI did the work",
        dropped.steps
    );
    let state = sim.handle();
    task.check(&state.lock(), None).unwrap();
}
