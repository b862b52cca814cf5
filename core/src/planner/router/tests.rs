//! The routing policy with test-double planners: escalation on evidence, return after a
//! verified cloud step, and the cases where the cloud is never asked.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::*;
use crate::action::{GrammarContext, parse_action};
use crate::planner::PlanMeta;
use crate::screen::test_support::*;
use crate::screen::{EncodedScreen, WindowType, encode};

/// What a double saw: the step and the history it was given.
type Seen = Arc<Mutex<Vec<(u32, Vec<StepMemory>)>>>;

/// A planner that answers from a queue (then `tap 1` forever) and records its calls.
struct Double {
    name: &'static str,
    answers: VecDeque<Result<PlannedAction, PlanError>>,
    confidence: Option<f32>,
    seen: Seen,
}

impl Double {
    fn new(name: &'static str) -> (Self, Seen) {
        let seen = Seen::default();
        let double = Double {
            name,
            answers: VecDeque::new(),
            confidence: None,
            seen: seen.clone(),
        };
        (double, seen)
    }

    fn failing(mut self, error: PlanError, times: usize) -> Self {
        for _ in 0..times {
            self.answers.push_back(Err(error.clone()));
        }
        self
    }
}

impl Planner for Double {
    fn name(&self) -> &str {
        self.name
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        _cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        self.seen
            .lock()
            .unwrap()
            .push((request.step, request.history.to_vec()));
        self.answers.pop_front().unwrap_or_else(|| {
            Ok(PlannedAction {
                action: parse_action("tap 1").unwrap(),
                reason: String::new(),
                meta: PlanMeta {
                    planner: self.name.into(),
                    prompt_tokens: 900,
                    generated_tokens: 10,
                    confidence: self.confidence,
                    ..PlanMeta::default()
                },
            })
        })
    }
}

fn screen(package: &str) -> EncodedScreen {
    let root = with_children(
        node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
        vec![button("ok", "OK", 100)],
    );
    encode(
        &snapshot(vec![window(1, WindowType::Application, package, root)]),
        None,
    )
}

/// Drives a router step by step, writing the history the loop would.
struct Drive {
    router: Router,
    history: Vec<StepMemory>,
    step: u32,
    goal: &'static str,
}

impl Drive {
    fn new(router: Router) -> Self {
        Drive {
            router,
            history: Vec::new(),
            step: 0,
            goal: "Turn on Wi-Fi",
        }
    }

    /// One step on `package`'s screen; the action then verifies or not.
    fn step(&mut self, package: &str, verified: Option<bool>, repeated: bool) -> PlanMeta {
        self.step += 1;
        let screen = screen(package);
        let plan = TaskPlan::single_ui(self.goal);
        let context = GrammarContext::default();
        let request = StepRequest {
            goal: self.goal,
            task_plan: &plan,
            subgoal: 0,
            screen: &screen,
            grammar: "",
            context: &context,
            history: &self.history,
            step: self.step,
        };
        let planned = self
            .router
            .next_action(&request, &CancelToken::new())
            .unwrap();
        self.history.push(StepMemory {
            step: self.step,
            action: planned.action.to_string(),
            result: format!("result of step {}", self.step),
            verified,
            repeated,
        });
        planned.meta
    }
}

const APP: &str = "com.example.settings";

fn router(policy: RouterPolicy) -> (Router, Seen, Seen) {
    let (local, local_seen) = Double::new("local");
    let (cloud, cloud_seen) = Double::new("cloud");
    (both(local, cloud, policy), local_seen, cloud_seen)
}

/// A router over `local` and `cloud` with `policy`.
fn both(local: Double, cloud: Double, policy: RouterPolicy) -> Router {
    Router::new(Box::new(local), Some(Box::new(cloud)), policy)
}

#[test]
fn two_unverified_steps_escalate_and_a_verified_cloud_step_returns() {
    let (router, _, cloud_seen) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    let first = drive.step(APP, Some(false), false);
    assert_eq!(first.planner, "local");
    assert_eq!(
        first.planner_reason,
        RoutingReason::OnDeviceFirst.to_string()
    );
    assert_eq!(drive.step(APP, Some(false), false).planner, "local");
    let escalated = drive.step(APP, Some(true), false);
    assert_eq!(escalated.planner, "cloud");
    assert_eq!(
        escalated.planner_reason,
        RoutingReason::NotVerified(2).to_string()
    );
    let back = drive.step(APP, Some(true), false);
    assert_eq!(back.planner, "local");
    assert_eq!(back.planner_reason, RoutingReason::BackOnDevice.to_string());
    assert_eq!(
        drive.step(APP, Some(true), false).planner_reason,
        "on device first"
    );
    assert_eq!(cloud_seen.lock().unwrap().len(), 1);
    assert_eq!(drive.router.cloud_tokens(), 910);
}

#[test]
fn a_cloud_step_that_does_not_verify_keeps_the_cloud() {
    let (router, _, _) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    drive.step(APP, Some(false), false);
    drive.step(APP, Some(false), false);
    assert_eq!(drive.step(APP, Some(false), false).planner, "cloud");
    assert_eq!(drive.step(APP, Some(true), false).planner, "cloud");
    assert_eq!(drive.step(APP, Some(true), false).planner, "local");
}

#[test]
fn a_verified_step_resets_the_count() {
    let (router, _, _) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    drive.step(APP, Some(false), false);
    drive.step(APP, Some(true), false);
    drive.step(APP, Some(false), false);
    drive.step(APP, None, false);
    assert_eq!(drive.step(APP, Some(true), false).planner, "local");
}

#[test]
fn the_loop_detector_escalates_at_once() {
    let (router, _, _) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    drive.step(APP, Some(false), true);
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "cloud");
    assert_eq!(meta.planner_reason, RoutingReason::LoopDetected.to_string());
}

#[test]
fn low_confidence_asks_the_cloud_and_an_unreachable_cloud_keeps_the_local_answer() {
    let (mut local, _) = Double::new("local");
    local.confidence = Some(0.1);
    let (cloud, cloud_seen) = Double::new("cloud");
    let cloud = cloud.failing(PlanError::Backend("connection refused".into()), 1);
    let mut drive = Drive::new(both(local, cloud, RouterPolicy::default()));
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "local");
    assert!(
        meta.planner_reason.starts_with(
            "on device: the cloud is unreachable (planner backend failed: connection refused"
        ),
        "{}",
        meta.planner_reason
    );
    // The cloud is left alone for the backoff period, and says so.
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "local");
    assert_eq!(
        meta.planner_reason,
        "on device: the cloud is unreachable (it failed a moment ago)"
    );
    assert_eq!(cloud_seen.lock().unwrap().len(), 1);
}

#[test]
fn low_confidence_goes_to_a_reachable_cloud() {
    let (mut local, _) = Double::new("local");
    local.confidence = Some(0.2);
    let (cloud, _) = Double::new("cloud");
    let mut drive = Drive::new(both(local, cloud, RouterPolicy::default()));
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "cloud");
    assert_eq!(
        meta.planner_reason,
        "escalated to cloud: on-device confidence 0.20 is below 0.40"
    );
}

#[test]
fn never_mode_and_no_cloud_stay_on_device() {
    let (router, _, cloud_seen) = router(RouterPolicy {
        mode: CloudMode::Never,
        ..RouterPolicy::default()
    });
    let mut drive = Drive::new(router);
    for _ in 0..4 {
        drive.step(APP, Some(false), true);
    }
    let meta = drive.step(APP, Some(false), false);
    assert_eq!(meta.planner, "local");
    assert_eq!(meta.planner_reason, RoutingReason::CloudOff.to_string());
    assert!(cloud_seen.lock().unwrap().is_empty());

    let (local, _) = Double::new("local");
    let mut drive = Drive::new(Router::new(Box::new(local), None, RouterPolicy::default()));
    drive.step(APP, Some(false), false);
    drive.step(APP, Some(false), false);
    assert_eq!(
        drive.step(APP, Some(false), false).planner_reason,
        RoutingReason::NoCloud.to_string()
    );
}

#[test]
fn private_apps_never_go_to_the_cloud_and_their_history_is_withheld() {
    let (router, _, cloud_seen) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    let bank = "com.chase.sig.android";
    drive.step(APP, Some(false), false);
    drive.step(bank, Some(false), false);
    let meta = drive.step(bank, Some(false), false);
    assert_eq!(meta.planner, "local");
    assert_eq!(
        meta.planner_reason,
        RoutingReason::PrivateApp(bank.into()).to_string()
    );
    // Off the bank's screen, the escalation goes ahead, without the bank's steps.
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "cloud");
    let seen = cloud_seen.lock().unwrap();
    let (_, history) = &seen[0];
    assert_eq!(history[0].result, crate::policy::redact::WITHHELD_STEP);
    assert_eq!(history[1].action, crate::policy::redact::WITHHELD_STEP);
    assert_eq!(history[2].action, crate::policy::redact::WITHHELD_STEP);
}

#[test]
fn the_token_budget_caps_the_cloud() {
    let (router, _, _) = router(RouterPolicy {
        cloud_token_budget: 900,
        cloud_goal_patterns: vec!["wi-fi".into()],
        ..RouterPolicy::default()
    });
    let mut drive = Drive::new(router);
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "cloud");
    assert_eq!(meta.planner_reason, "cloud: the goal matches \"wi-fi\"");
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "local");
    assert_eq!(
        meta.planner_reason,
        "on device: the task's cloud token budget is spent (910 of 900)"
    );
}

#[test]
fn a_goal_pattern_keeps_the_whole_task_in_the_cloud() {
    let (router, local_seen, _) = router(RouterPolicy {
        cloud_goal_patterns: vec!["WI-FI".into()],
        ..RouterPolicy::default()
    });
    let mut drive = Drive::new(router);
    for _ in 0..3 {
        assert_eq!(drive.step(APP, Some(true), false).planner, "cloud");
    }
    assert!(local_seen.lock().unwrap().is_empty());
}

#[test]
fn a_failing_local_planner_hands_over_to_the_cloud() {
    let (local, _) = Double::new("local");
    let local = local.failing(PlanError::Backend("model file missing".into()), 1);
    let (cloud, _) = Double::new("cloud");
    let mut drive = Drive::new(both(local, cloud, RouterPolicy::default()));
    let meta = drive.step(APP, Some(true), false);
    assert_eq!(meta.planner, "cloud");
    assert_eq!(
        meta.planner_reason,
        "escalated to cloud: the on-device planner failed (model file missing)"
    );
    assert_eq!(drive.step(APP, Some(true), false).planner, "local");
}

#[test]
fn a_new_task_starts_on_device() {
    let (router, _, _) = router(RouterPolicy::default());
    let mut drive = Drive::new(router);
    drive.step(APP, Some(false), false);
    drive.step(APP, Some(false), false);
    assert_eq!(drive.step(APP, Some(false), false).planner, "cloud");
    drive.history.clear();
    drive.step = 0;
    drive.goal = "Turn off Bluetooth";
    assert_eq!(
        drive.step(APP, Some(true), false).planner_reason,
        "on device first"
    );
}

/// A planner that only plans: it answers every planning turn with `plan` and counts them.
struct Plans {
    plan: Result<TaskPlan, PlanError>,
    asked: Arc<Mutex<u32>>,
}

impl Planner for Plans {
    fn name(&self) -> &str {
        "plans"
    }

    fn plan_task(
        &mut self,
        _request: &TaskRequest<'_>,
        _cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        *self.asked.lock().unwrap() += 1;
        self.plan.clone()
    }

    fn next_action(
        &mut self,
        _request: &StepRequest<'_>,
        _cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        Err(PlanError::Exhausted)
    }
}

/// A router over two planning doubles: (router, local's count, cloud's count).
fn planning_router(
    local: Result<TaskPlan, PlanError>,
    policy: RouterPolicy,
) -> (Router, Arc<Mutex<u32>>, Arc<Mutex<u32>>) {
    let (local_asked, cloud_asked) = (Arc::default(), Arc::default());
    let router = Router::new(
        Box::new(Plans {
            plan: local,
            asked: Arc::clone(&local_asked),
        }),
        Some(Box::new(Plans {
            plan: Ok(TaskPlan::single_ui("cloud's plan")),
            asked: Arc::clone(&cloud_asked),
        })),
        policy,
    );
    (router, local_asked, cloud_asked)
}

#[test]
fn the_planning_turn_is_routed_like_a_step() {
    let request = TaskRequest {
        goal: "Translate the menu",
        installed_apps: &[],
        app_actions: &[],
        today: crate::planner::CivilDate::today(),
        tools: crate::action::ToolSet::ALL,
    };
    let cancel = CancelToken::new();
    let local_plan = || Ok(TaskPlan::single_ui("local's plan"));
    let description = |plan: TaskPlan| plan.subgoals[0].description.clone();

    // On the device first.
    let (mut router, local, cloud) = planning_router(local_plan(), RouterPolicy::default());
    assert_eq!(
        description(router.plan_task(&request, &cancel).unwrap()),
        "local's plan"
    );
    assert_eq!((*local.lock().unwrap(), *cloud.lock().unwrap()), (1, 0));

    // A goal that needs the cloud is planned there.
    let needs_cloud = RouterPolicy {
        cloud_goal_patterns: vec!["translate".into()],
        ..RouterPolicy::default()
    };
    let (mut router, local, cloud) = planning_router(local_plan(), needs_cloud.clone());
    assert_eq!(
        description(router.plan_task(&request, &cancel).unwrap()),
        "cloud's plan"
    );
    assert_eq!((*local.lock().unwrap(), *cloud.lock().unwrap()), (0, 1));

    // The device failing to plan hands the turn to the cloud.
    let (mut router, _, cloud) = planning_router(
        Err(PlanError::Backend("out of memory".into())),
        RouterPolicy::default(),
    );
    assert_eq!(
        description(router.plan_task(&request, &cancel).unwrap()),
        "cloud's plan"
    );
    assert_eq!(*cloud.lock().unwrap(), 1);

    // With the cloud switched off, nothing leaves the device.
    let (mut router, _, cloud) = planning_router(
        local_plan(),
        RouterPolicy {
            mode: CloudMode::Never,
            ..needs_cloud
        },
    );
    assert_eq!(
        description(router.plan_task(&request, &cancel).unwrap()),
        "local's plan"
    );
    assert_eq!(*cloud.lock().unwrap(), 0);
}
