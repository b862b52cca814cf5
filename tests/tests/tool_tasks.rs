//! The system tools end to end through the real loop on the simulated phone: the tasks a tool
//! serves complete with the rules alone in one step and no model call, a read's result reaches
//! the planner as the step's result and answers the goal, a tool that reads personal data asks
//! the first time and a denied ask is told to the planner, and a tool the phone does not offer
//! is never run.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Mutex;
use std::time::Duration;

use lobster_core::action::ToolSet;
use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskResult,
    TaskStatus,
};
use lobster_core::device::{
    AppActionInfo, AppInfo, Device, DeviceAction, DeviceError, Outcome, RouteEffect,
};
use lobster_core::planner::{Planner, RulesPlanner, ScriptPlanner};
use lobster_core::policy::Category;
use lobster_core::screen::Snapshot;
use lobster_sim::{Faults, Sim, SimTask};
use lobster_tests::{EventLog, Told};

/// The tasks a system tool serves, and alarm_off, which `dismiss_alarm` now serves.
const TOOL_TASKS: [&str; 12] = [
    "battery_level",
    "next_meeting",
    "current_time",
    "next_alarm",
    "wifi_network",
    "silence_phone",
    "flashlight_on",
    "media_volume",
    "pause_music",
    "copy_text",
    "dnd_on",
    "alarm_off",
];

fn agent() -> Agent {
    Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    })
}

fn run(
    goal: &str,
    device: &mut dyn Device,
    planner: &mut dyn Planner,
    listener: &dyn AgentListener,
) -> TaskResult {
    agent().run(
        goal,
        TaskIo {
            device,
            planner,
            listener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    )
}

#[test]
fn every_tool_task_completes_with_the_rules_in_one_step_and_no_model_call() {
    for seed in [0, 1, 2] {
        for name in TOOL_TASKS {
            let task = SimTask::named(name, seed).unwrap();
            let mut sim = task.sim(Faults::none());
            let log = EventLog::new(true);
            let result = run(&task.goal, &mut sim, &mut RulesPlanner::new(), &log);
            let TaskStatus::Succeeded { answer } = &result.status else {
                panic!("{name} (seed {seed}): {:?}", result.status);
            };
            let answer = (!answer.is_empty()).then_some(answer.as_str());
            task.check(&sim.handle().snapshot(), answer)
                .unwrap_or_else(|why| panic!("{name} (seed {seed}): {why}"));
            assert_eq!(result.steps, 1, "{name}: {:?}", log.chosen());
            assert_eq!(result.tokens, 0, "{name}");
            let chosen = log.chosen();
            assert!(
                chosen
                    .iter()
                    .all(|(_, action, meta)| meta.planner == "route"
                        && action.starts_with("intent ")),
                "{name}: {chosen:?}"
            );
            assert_eq!(task.is_question(), answer.is_some(), "{name}: {answer:?}");
        }
    }
}

/// Answers every confirmation with `allow` and keeps the requests; keeps the events.
struct Asked {
    allow: bool,
    requests: Mutex<Vec<Confirmation>>,
    events: Mutex<Vec<AgentEvent>>,
}

impl Asked {
    fn new(allow: bool) -> Asked {
        Asked {
            allow,
            requests: Mutex::new(Vec::new()),
            events: Mutex::new(Vec::new()),
        }
    }
}

impl AgentListener for Asked {
    fn on_event(&self, event: &AgentEvent) {
        self.events.lock().unwrap().push(event.clone());
    }

    fn confirm(&self, request: &Confirmation) -> bool {
        self.requests.lock().unwrap().push(request.clone());
        self.allow
    }
}

/// The results the loop gave the planner, in order ("returned: …", "denied: …").
fn acted(listener: &Asked) -> Vec<String> {
    listener
        .events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            AgentEvent::Acted { outcome, .. } => Some(outcome.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_contact_read_asks_the_first_time_and_its_result_reaches_the_planner() {
    let goal = "What is Ana Castillo's mobile number?";
    let script = "intent find_contact name=\"Ana Castillo\"\n\
                  intent find_contact name=\"Ana\"\n\
                  done \"+1 415-555-0101\"\n";
    let mut sim = Sim::new(lobster_sim::SimConfig::default());
    let listener = Asked::new(true);
    let result = run(goal, &mut sim, &mut ScriptPlanner::new(script), &listener);
    assert!(
        matches!(result.status, TaskStatus::Succeeded { .. }),
        "{:?}",
        result.status
    );
    let requests = listener.requests.lock().unwrap().clone();
    // Asked once: the yes is remembered for the rest of the task.
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].category, Category::PersonalData);
    assert_eq!(requests[0].remember.as_deref(), Some("find_contact"));
    let outcomes = acted(&listener);
    assert!(
        outcomes[0].starts_with("returned: Ana Castillo: mobile +1 415-555-"),
        "{outcomes:?}"
    );
    assert!(
        outcomes[0].contains("e-mail ana.castillo@example.com"),
        "{outcomes:?}"
    );
}

#[test]
fn a_denied_read_is_told_to_the_planner_and_the_tool_does_not_run() {
    let goal = "What is Ana Castillo's mobile number?";
    let mut sim = Sim::new(lobster_sim::SimConfig::default());
    let listener = Asked::new(false);
    let mut planner =
        Told::new("intent find_contact name=\"Ana Castillo\"\nfail \"not allowed\"\n");
    let result = run(goal, &mut sim, &mut planner, &listener);
    assert!(
        matches!(result.status, TaskStatus::Failed { .. }),
        "{:?}",
        result.status
    );
    assert_eq!(listener.requests.lock().unwrap().len(), 1);
    // The tool never ran, and the planner chose its next step knowing the user said no.
    assert!(acted(&listener).is_empty(), "{:?}", acted(&listener));
    assert_eq!(planner.results.len(), 1, "{:?}", planner.results);
    assert!(
        planner.results[0].starts_with("denied"),
        "{:?}",
        planner.results
    );
}

/// The simulator, offering only the tools in `tools` and counting the tool calls it gets.
struct Offering {
    sim: Sim,
    tools: ToolSet,
    tool_calls: u32,
}

impl Device for Offering {
    fn observe(&mut self) -> Result<Snapshot, DeviceError> {
        self.sim.observe()
    }

    fn perform(&mut self, action: &DeviceAction) -> Result<Outcome, DeviceError> {
        if matches!(action, DeviceAction::SendIntent(_)) {
            self.tool_calls += 1;
        }
        self.sim.perform(action)
    }

    fn launch_app(&mut self, label: &str) -> Result<Outcome, DeviceError> {
        self.sim.launch_app(label)
    }

    fn installed_apps(&mut self) -> Result<Vec<AppInfo>, DeviceError> {
        self.sim.installed_apps()
    }

    fn app_actions(&mut self) -> Result<Vec<AppActionInfo>, DeviceError> {
        self.sim.app_actions()
    }

    fn available_tools(&mut self) -> Result<ToolSet, DeviceError> {
        Ok(self.tools)
    }

    fn route_effect(&mut self, action: &DeviceAction) -> Result<RouteEffect, DeviceError> {
        self.sim.route_effect(action)
    }

    fn settle(&mut self, max: Duration) -> Result<(), DeviceError> {
        self.sim.settle(max)
    }
}

#[test]
fn a_tool_the_phone_does_not_offer_is_never_planned_or_run() {
    let task = SimTask::named("flashlight_on", 0).unwrap();
    let mut device = Offering {
        sim: task.sim(Faults::none()),
        tools: ToolSet::STANDARD_INTENTS,
        tool_calls: 0,
    };
    // The rules read the goal as the flashlight tool; the phone lacks it, so the loop plans
    // the goal through the UI, where the script's planner can only give up.
    let log = EventLog::new(true);
    let result = run(
        &task.goal,
        &mut device,
        &mut lobster_core::planner::Router::new(
            Box::new(RulesPlanner::new()),
            None,
            lobster_core::planner::RouterPolicy::default(),
        ),
        &log,
    );
    assert!(!matches!(result.status, TaskStatus::Succeeded { .. }));
    assert_eq!(device.tool_calls, 0);
    assert!(!device.sim.handle().snapshot().system.flashlight);
    // A step that names the tool anyway is refused before the device sees it.
    let mut device = Offering {
        sim: task.sim(Faults::none()),
        tools: ToolSet::STANDARD_INTENTS,
        tool_calls: 0,
    };
    let log = EventLog::new(true);
    let script =
        "intent flashlight state=on\nintent flashlight state=on\nintent flashlight state=on\n";
    let result = run(
        &task.goal,
        &mut device,
        &mut ScriptPlanner::new(script),
        &log,
    );
    assert!(!matches!(result.status, TaskStatus::Succeeded { .. }));
    assert_eq!(device.tool_calls, 0);
    let rejections = log.rejections();
    assert!(
        rejections
            .iter()
            .any(|why| why.contains("the tool flashlight is not available on this phone")),
        "{rejections:?}"
    );
}
