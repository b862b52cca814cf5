//! The solver against every task and every fault, driven by a minimal loop of its own
//! (observe, encode with the previous screen, plan, perform), so the oracle is known to work
//! before the real agent loop is tested with it in `tests/tests/`.

use lobster_core::action::{Action, GrammarContext};
use lobster_core::agent::CancelToken;
use lobster_core::device::{Device, DeviceAction, GlobalAction, Outcome, Target};
use lobster_core::planner::{Planner, Route, StepMemory, StepRequest, TaskRequest};
use lobster_core::screen::{EncodedScreen, encode};
use lobster_sim::{DelayedRendering, Faults, SimTask, tasks, tasks_for_seed};

use crate::SolverPlanner;

/// How a run ended.
#[derive(Debug)]
struct Run {
    /// The answer given with `done`, if any.
    answer: Option<String>,
    /// UI steps taken.
    steps: u32,
    /// Why it failed, if the planner gave up.
    failed: Option<String>,
    /// Subgoals reached through a direct route.
    direct: u32,
}

/// Runs `task` with the solver on a fresh simulator with `faults`; `deny` refuses any action
/// whose element label starts with one of these words (a user saying no).
fn run(
    task: &SimTask,
    faults: Faults,
    direct: bool,
    deny: &[&str],
) -> (Run, lobster_sim::SimState) {
    let mut sim = task.sim(faults);
    let handle = sim.handle();
    let mut planner = if direct {
        SolverPlanner::new(task, handle.clone())
    } else {
        SolverPlanner::ui_only(task, handle.clone())
    };
    let cancel = CancelToken::new();
    let installed = sim.installed_apps().unwrap();
    let app_actions = sim.app_actions().unwrap();
    let mut plan = planner
        .plan_task(
            &TaskRequest {
                goal: &task.goal,
                installed_apps: &installed,
                app_actions: &app_actions,
                today: lobster_core::planner::CivilDate::today(),
                tools: lobster_core::action::ToolSet::ALL,
            },
            &cancel,
        )
        .unwrap();
    let context = GrammarContext {
        installed_apps: Some(installed.iter().map(|app| app.label.clone()).collect()),
        app_actions: app_actions
            .iter()
            .map(|action| action.name.clone())
            .collect(),
        allow_ask: false,
        app_action_arguments: Default::default(),
        allow_intents: true,
        allow_swipe: true,
        tools: lobster_core::action::ToolSet::ALL,
    };
    let mut history: Vec<StepMemory> = Vec::new();
    let mut previous: Option<EncodedScreen> = None;
    let mut result = Run {
        answer: None,
        steps: 0,
        failed: None,
        direct: 0,
    };
    for index in 0..plan.subgoals.len() {
        let route = plan.subgoals[index].route.clone();
        let device_action = match route {
            Route::Intent(intent) => Some(DeviceAction::SendIntent(intent)),
            Route::AppAction { name, args } => Some(DeviceAction::CallAppAction { name, args }),
            Route::Ui { .. } => None,
        };
        if let Some(device_action) = device_action {
            let outcome = sim.perform(&device_action).unwrap();
            if outcome.performed() {
                if let Some(data) = outcome.returned() {
                    result.answer = Some(data.to_owned());
                }
                result.direct += 1;
                continue;
            }
            plan.subgoals[index].route = Route::Ui { app: None };
        }
        loop {
            result.steps += 1;
            assert!(
                result.steps < 80,
                "{}: too many steps\n{history:#?}",
                task.name
            );
            // Like the agent loop, re-observe a few times while the screen has not changed.
            let mut screen = encode(&sim.observe().unwrap(), previous.as_ref());
            for _ in 0..3 {
                if previous
                    .as_ref()
                    .is_none_or(|before| before.text != screen.text)
                {
                    break;
                }
                screen = encode(&sim.observe().unwrap(), previous.as_ref());
            }
            let step = result.steps;
            let planned = planner
                .next_action(
                    &StepRequest {
                        goal: &task.goal,
                        task_plan: &plan,
                        subgoal: index,
                        screen: &screen,
                        grammar: "",
                        context: &context,
                        history: &history,
                        step,
                    },
                    &cancel,
                )
                .unwrap();
            let action = planned.action;
            lobster_core::action::validate(&action, &screen.elements, &context).unwrap_or_else(
                |error| panic!("{}: invalid {action}: {error}\n{}", task.name, screen.text),
            );
            let text = action.to_string();
            let target = |id: u32| {
                let element = screen.element(id).unwrap();
                Target {
                    node_key: element.node_key.clone(),
                    window_id: element.window_id,
                    bounds: element.bounds,
                }
            };
            let denied = match &action {
                Action::Tap { id } => {
                    let label = &screen.element(*id).unwrap().label;
                    deny.iter().any(|word| label.starts_with(word))
                }
                _ => false,
            };
            let outcome = if denied {
                history.push(StepMemory {
                    step,
                    action: text,
                    result: "denied: the user did not allow this action".into(),
                    verified: None,
                    repeated: false,
                });
                previous = Some(screen);
                continue;
            } else {
                match &action {
                    Action::Done { answer } => {
                        if !answer.is_empty() {
                            result.answer = Some(answer.clone());
                        }
                        previous = Some(screen);
                        break;
                    }
                    Action::Fail { reason } => {
                        result.failed = Some(reason.clone());
                        return (result, handle.snapshot());
                    }
                    Action::Wait { .. } => Outcome::Performed,
                    Action::Tap { id } => sim.perform(&DeviceAction::Tap(target(*id))).unwrap(),
                    Action::Type {
                        id, text, clear, ..
                    } => sim
                        .perform(&DeviceAction::SetText {
                            target: target(*id),
                            text: text.clone(),
                            clear: *clear,
                        })
                        .unwrap(),
                    Action::Scroll {
                        target: element,
                        direction,
                    } => sim
                        .perform(&DeviceAction::Scroll {
                            target: element.map(target),
                            direction: *direction,
                        })
                        .unwrap(),
                    Action::Back => sim
                        .perform(&DeviceAction::Global(GlobalAction::Back))
                        .unwrap(),
                    Action::OpenApp { name } => sim.launch_app(name).unwrap(),
                    Action::Intent(intent) => sim
                        .perform(&DeviceAction::SendIntent(intent.clone()))
                        .unwrap(),
                    other => panic!("{}: unexpected {other}", task.name),
                }
            };
            history.push(StepMemory {
                step,
                action: text,
                result: format!("{outcome:?}"),
                verified: None,
                repeated: false,
            });
            previous = Some(screen);
        }
    }
    (result, handle.snapshot())
}

fn assert_solves(task: &SimTask, faults: Faults, direct: bool) -> Run {
    let (run, state) = run(task, faults.clone(), direct, &[]);
    assert_eq!(run.failed, None, "{} with {faults:?}", task.name);
    assert_eq!(
        task.check(&state, run.answer.as_deref()),
        Ok(()),
        "{} with {faults:?} (direct routes: {direct})",
        task.name
    );
    run
}

#[test]
fn the_solver_completes_every_task_through_the_ui() {
    for seed in [0, 1, 2, 3] {
        for task in tasks_for_seed(seed) {
            assert_solves(&task, Faults::none(), false);
        }
    }
}

#[test]
fn direct_routes_take_fewer_steps_where_they_exist() {
    let mut shorter = 0;
    for task in tasks() {
        let direct = assert_solves(&task, Faults::none(), true);
        let ui = assert_solves(&task, Faults::none(), false);
        if direct.direct > 0 {
            assert!(
                direct.steps < ui.steps,
                "{}: {direct:?} vs {ui:?}",
                task.name
            );
            shorter += 1;
        }
    }
    assert!(
        shorter >= 4,
        "intents: alarm, timer, SMS draft, Wi-Fi page; app action: note"
    );
}

#[test]
fn the_solver_copes_with_every_fault() {
    let late = |every, observations, loading| Faults {
        delayed_rendering: Some(DelayedRendering {
            every,
            observations,
            loading,
        }),
        ..Faults::none()
    };
    let faults = [
        Faults {
            overlay_ad: Some(2),
            ..Faults::none()
        },
        late(2, 2, false),
        // Later than the loop's re-observations: the solver waits, then acts afresh.
        late(1, 6, false),
        late(3, 1, true),
        late(1, 3, true),
        Faults {
            dropped_tap: Some(1),
            ..Faults::none()
        },
        Faults {
            vanishing_node: Some(2),
            ..Faults::none()
        },
        Faults {
            crash: Some(1),
            ..Faults::none()
        },
        Faults {
            crash: Some(3),
            ..Faults::none()
        },
        Faults {
            prompt_injection: true,
            ..Faults::none()
        },
        Faults {
            overlay_ad: Some(1),
            dropped_tap: Some(3),
            vanishing_node: Some(2),
            crash: Some(4),
            prompt_injection: true,
            ..Faults::none()
        },
    ];
    for seed in [0, 1, 2] {
        for task in tasks_for_seed(seed) {
            for fault in &faults {
                for direct in [true, false] {
                    // This driver does not retry a vanished node as the agent loop does: the
                    // solver sees the outcome and finds the node again itself.
                    assert_solves(&task, fault.clone(), direct);
                }
            }
        }
    }
}

#[test]
fn a_refused_payment_ends_in_fail() {
    let Some(task) = SimTask::named("shop_buy", 0) else {
        panic!("shop_buy exists");
    };
    let (run, state) = run(&task, Faults::none(), false, &["Pay"]);
    assert!(run.failed.is_some(), "{run:?}");
    assert!(state.orders.is_empty());
}
