//! The router on real sim tasks through `Agent::run`: an on-device planner that fails to
//! verify twice hands the step to the cloud (the real cloud planner over HTTP to a local
//! OpenAI-protocol server), the cloud's verified step hands it back, and the events say which
//! planner acted and why. With the cloud unreachable, switched off, or a private app on screen,
//! every step stays on the device and the events say so.
//!
//! The on-device planner is a test double (the solver, with its first actions replaced by ones
//! that change nothing) where the test needs to control what fails; the last test runs the real
//! `LocalPlanner` on the tiny generated model, whose random weights are never sure of anything,
//! so every step escalates on its reported confidence.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use lobster_core::action::{Action, Direction};
use lobster_core::agent::{Agent, AgentConfig, CancelToken, TaskIo, TaskResult, TaskStatus};
use lobster_core::planner::{
    ApiKey, CloudConfig, CloudMode, CloudPlanner, LocalOptions, LocalPlanner, PlanError, PlanMeta,
    PlannedAction, Planner, Router, RouterPolicy, RoutingReason, StepRequest, TaskPlan,
    TaskRequest,
};
use lobster_core::policy::redact::PrivateApps;
use lobster_sim::{Faults, Sim, SimTask};
use lobster_tests::{CloudOracle, EventLog, OpenAiServer, Reply, SolverPlanner};

/// An on-device planner that gets some steps wrong: at the steps listed, it answers a scroll
/// that changes nothing; otherwise the solver's action.
struct FlakyLocal {
    solver: SolverPlanner,
    /// (step, the useless action).
    sabotage: Vec<(u32, Action)>,
}

impl Planner for FlakyLocal {
    fn name(&self) -> &str {
        "local"
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        self.solver.plan_task(request, cancel)
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let meta = PlanMeta {
            planner: "local".into(),
            confidence: Some(0.9),
            ..PlanMeta::default()
        };
        if let Some((_, action)) = self.sabotage.iter().find(|(step, _)| *step == request.step) {
            return Ok(PlannedAction {
                action: action.clone(),
                reason: "a guess".into(),
                meta,
            });
        }
        let mut planned = self.solver.next_action(request, cancel)?;
        planned.meta = meta;
        Ok(planned)
    }
}

fn useless(direction: Direction) -> Action {
    Action::Scroll {
        target: None,
        direction,
    }
}

const KEY: &str = "sk-test-router-55aa";

fn cloud(task: &SimTask, sim: &Sim, base_url: String, server: &OpenAiServer) -> CloudOracle {
    let config = CloudConfig {
        api_key: Some(ApiKey::new(KEY)),
        request_timeout: Duration::from_millis(500),
        deadline: Duration::from_secs(3),
        max_retries: 1,
        initial_backoff: Duration::from_millis(20),
        ..CloudConfig::new(base_url, "test-model")
    };
    CloudOracle::new(
        SolverPlanner::ui_only(task, sim.handle()),
        CloudPlanner::new(config).unwrap(),
        server.script(),
    )
}

struct Outcome {
    result: TaskResult,
    log: EventLog,
    sim: Sim,
}

fn run(task: &SimTask, router: &mut Router, mut sim: Sim) -> Outcome {
    let log = EventLog::new(true);
    let result = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    })
    .run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner: router,
            listener: &log,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    Outcome { result, log, sim }
}

fn assert_succeeded(outcome: &Outcome, task: &SimTask) {
    assert!(
        matches!(outcome.result.status, TaskStatus::Succeeded { .. }),
        "{:?}\n{:#?}",
        outcome.result.status,
        outcome.log.chosen()
    );
    task.check(&outcome.sim.handle().snapshot(), None).unwrap();
}

/// The planner and reason of each step, in order.
fn routing(outcome: &Outcome) -> Vec<(u32, String, String)> {
    outcome
        .log
        .chosen()
        .into_iter()
        .map(|(step, _, meta)| (step, meta.planner, meta.planner_reason))
        .collect()
}

fn wifi_off() -> SimTask {
    SimTask::named("wifi_off", 0).unwrap()
}

fn flaky(task: &SimTask, sim: &Sim, steps: [u32; 2]) -> FlakyLocal {
    FlakyLocal {
        solver: SolverPlanner::ui_only(task, sim.handle()),
        sabotage: vec![
            (steps[0], useless(Direction::Up)),
            (steps[1], useless(Direction::Left)),
        ],
    }
}

/// The router of the escalation tests: the flaky local planner (wrong at steps 1 and 2) and
/// the cloud oracle at `base_url`, under the default policy.
fn flaky_hybrid(task: &SimTask, sim: &Sim, base_url: String, server: &OpenAiServer) -> Router {
    let local = flaky(task, sim, [1, 2]);
    let cloud = cloud(task, sim, base_url, server);
    Router::new(
        Box::new(local),
        Some(Box::new(cloud)),
        RouterPolicy::default(),
    )
}

#[test]
fn two_unverified_local_actions_escalate_to_the_cloud_and_a_verified_cloud_step_returns() {
    let server = OpenAiServer::start().unwrap();
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let mut router = flaky_hybrid(&task, &sim, server.base_url(), &server);
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    let routing = routing(&outcome);
    let first = RoutingReason::OnDeviceFirst.to_string();
    assert_eq!(routing[0], (1, "local".into(), first.clone()));
    assert_eq!(routing[1], (2, "local".into(), first.clone()));
    assert_eq!(
        routing[2],
        (3, "cloud".into(), RoutingReason::NotVerified(2).to_string())
    );
    assert_eq!(
        routing[3],
        (4, "local".into(), RoutingReason::BackOnDevice.to_string())
    );
    for (step, planner, reason) in &routing[4..] {
        assert_eq!(
            (planner.as_str(), reason.as_str()),
            ("local", first.as_str()),
            "step {step}"
        );
    }
    // Exactly one request reached the server, with the failed local steps in its history.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let prompt = requests[0].prompt();
    assert!(
        prompt.contains("step 1: scroll up → no visible change"),
        "{prompt}"
    );
    assert!(
        prompt.contains("step 2: scroll left → no visible change"),
        "{prompt}"
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert!(router.cloud_tokens() > 0);
}

#[test]
fn an_unreachable_cloud_keeps_the_task_on_the_device_and_says_so() {
    let server = OpenAiServer::start().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let mut router = flaky_hybrid(&task, &sim, format!("http://{closed}/v1"), &server);
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    let routing = routing(&outcome);
    assert!(
        routing.iter().all(|(_, planner, _)| planner == "local"),
        "{routing:#?}"
    );
    assert!(
        routing[2].2.starts_with("on device: the cloud is unreachable (planner backend failed: cloud planner: sending the request could not connect"),
        "{routing:#?}"
    );
    assert_eq!(
        routing[3].2,
        "on device: the cloud is unreachable (it failed a moment ago)"
    );
}

#[test]
fn a_cloud_asking_to_wait_1e20_seconds_leaves_the_step_to_the_device() {
    let server = OpenAiServer::start().unwrap();
    server
        .script()
        .set_fallback(Some(Reply::rate_limited_with(&["1e20"])));
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let mut router = flaky_hybrid(&task, &sim, server.base_url(), &server);
    let started = std::time::Instant::now();
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    // One refused request, answered at once: the step deadline is 3 s.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 1);
    let routing = routing(&outcome);
    assert!(
        routing.iter().all(|(_, planner, _)| planner == "local"),
        "{routing:#?}"
    );
    assert!(
        routing[2].2.starts_with(
            "on device: the cloud is unreachable (planner backend failed: cloud planner: HTTP 429"
        ),
        "{routing:#?}"
    );
    assert!(
        routing[2]
            .2
            .contains("the server asked to wait past the step deadline"),
        "{routing:#?}"
    );
}

#[test]
fn a_cloud_that_answers_garbage_is_left_for_the_device_before_it_sinks_the_task() {
    let server = OpenAiServer::start().unwrap();
    // Every answer is prose, never an action: the cloud is up, and useless.
    server.script().set_fallback(Some(Reply::Content(
        "I think you should tap the Wi-Fi toggle.".into(),
    )));
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let mut router = flaky_hybrid(&task, &sim, server.base_url(), &server);
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    // Two invalid answers (the policy's limit), then the device took the step back: one
    // rejection reached the loop, not the three that end a task.
    assert_eq!(server.requests().len(), 2);
    assert_eq!(
        outcome.log.rejections().len(),
        1,
        "{:?}",
        outcome.log.rejections()
    );
    let routing = routing(&outcome);
    assert!(
        routing.iter().all(|(_, planner, _)| planner == "local"),
        "{routing:#?}"
    );
    // Step 3 was the rejected cloud answer; step 4 the second, which the device took over.
    let (step, _, reason) = &routing[2];
    assert_eq!(*step, 4);
    assert!(
        reason.starts_with("on device: the cloud's last 2 answers were invalid (the last: "),
        "{routing:#?}"
    );
    // The cloud rests: later escalations stay on the device and say why.
    assert!(
        routing[3..]
            .iter()
            .all(|(_, _, later)| later == reason || !later.contains("cloud:")),
        "{routing:#?}"
    );
}

#[test]
fn with_the_cloud_switched_off_nothing_leaves_the_device() {
    let server = OpenAiServer::start().unwrap();
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let local = flaky(&task, &sim, [1, 2]);
    let cloud = cloud(&task, &sim, server.base_url(), &server);
    let mut router = Router::new(
        Box::new(local),
        Some(Box::new(cloud)),
        RouterPolicy {
            mode: CloudMode::Never,
            ..RouterPolicy::default()
        },
    );
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    let off = RoutingReason::CloudOff.to_string();
    assert!(
        routing(&outcome)
            .iter()
            .all(|(_, planner, reason)| planner == "local" && *reason == off)
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_private_app_on_screen_keeps_its_steps_on_the_device() {
    let server = OpenAiServer::start().unwrap();
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    // Fail inside Settings (step 1 opens it), which this policy marks private.
    let local = flaky(&task, &sim, [2, 3]);
    let cloud = cloud(&task, &sim, server.base_url(), &server);
    let mut router = Router::new(
        Box::new(local),
        Some(Box::new(cloud)),
        RouterPolicy {
            private_apps: PrivateApps::none().with_package("com.lobster.sim.settings"),
            ..RouterPolicy::default()
        },
    );
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    let routing = routing(&outcome);
    assert!(routing.iter().all(|(_, planner, _)| planner == "local"));
    let private = RoutingReason::PrivateApp("com.lobster.sim.settings".into()).to_string();
    assert_eq!(routing[3].2, private, "{routing:#?}");
    assert!(server.requests().is_empty());
}

#[test]
fn the_real_on_device_planner_escalates_on_low_confidence_and_the_cloud_completes_the_task() {
    let model = lobster_models::tiny_model_path().unwrap();
    let local = LocalPlanner::load(
        &model,
        LocalOptions {
            context_length: 4096,
            ..LocalOptions::default()
        },
    )
    .unwrap();
    let server = OpenAiServer::start().unwrap();
    let task = wifi_off();
    let sim = task.sim(Faults::none());
    let cloud = cloud(&task, &sim, server.base_url(), &server);
    let mut router = Router::new(
        Box::new(local),
        Some(Box::new(cloud)),
        RouterPolicy {
            // Random weights spread their probability thin: far below any sensible threshold.
            min_confidence: 0.5,
            ..RouterPolicy::default()
        },
    );
    let outcome = run(&task, &mut router, sim);
    assert_succeeded(&outcome, &task);
    let routing = routing(&outcome);
    for (step, planner, reason) in &routing {
        assert_eq!(planner, "cloud", "step {step}: {reason}");
        assert!(
            reason.starts_with("escalated to cloud: on-device confidence "),
            "step {step}: {reason}"
        );
    }
    assert_eq!(server.requests().len(), routing.len());
}
