//! Tool calls under their permission tiers, end to end through the real loop on the simulated
//! phone: a tool asked the first time only is asked once in a task and then remembered; a tool
//! asked every time is asked at each call; a denied ask reaches the planner and the tool does
//! not run.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Mutex;
use std::time::Duration;

use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskResult,
};
use lobster_core::planner::RulesPlanner;
use lobster_core::policy::{Category, GuardConfig, Tier};
use lobster_sim::{Sim, SimConfig};

/// Answers every confirmation with `allow` and keeps the requests.
struct Asked {
    allow: bool,
    requests: Mutex<Vec<Confirmation>>,
}

impl AgentListener for Asked {
    fn on_event(&self, _event: &AgentEvent) {}

    fn confirm(&self, request: &Confirmation) -> bool {
        self.requests.lock().unwrap().push(request.clone());
        self.allow
    }
}

/// Sets two alarms in one task under `guard`; the result, the requests and the alarms set.
fn two_alarms(guard: GuardConfig, allow: bool) -> (TaskResult, Vec<Confirmation>, Vec<String>) {
    let mut sim = Sim::new(SimConfig::default());
    let handle = sim.handle();
    let before = handle.read(|state| state.alarms.len());
    let listener = Asked {
        allow,
        requests: Mutex::new(Vec::new()),
    };
    let agent = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        guard,
        ..AgentConfig::default()
    });
    let result = agent.run(
        "Set an alarm for 6:45 and set an alarm for 7:30",
        TaskIo {
            device: &mut sim,
            planner: &mut RulesPlanner::new(),
            listener: &listener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    let alarms = handle.read(|state| {
        state.alarms[before..]
            .iter()
            .map(|alarm| format!("{}:{:02}", alarm.hour, alarm.minute))
            .collect()
    });
    (result, listener.requests.into_inner().unwrap(), alarms)
}

#[test]
fn a_tool_asked_the_first_time_is_asked_once_in_a_task() {
    let guard = GuardConfig::default().with_tool_tier("set_alarm", Tier::FirstTime);
    let (result, requests, alarms) = two_alarms(guard.clone(), true);
    assert!(
        matches!(
            result.status,
            lobster_core::agent::TaskStatus::Succeeded { .. }
        ),
        "{:?}",
        result.status
    );
    assert_eq!(alarms, ["6:45", "7:30"]);
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].category, Category::Tool);
    assert_eq!(requests[0].remember.as_deref(), Some("set_alarm"));
    assert!(requests[0].action.starts_with("intent set_alarm"));
    // The integrator kept the grant: the next task asks nothing.
    let (result, requests, alarms) = two_alarms(guard.with_granted_tool("set_alarm"), true);
    assert!(
        matches!(
            result.status,
            lobster_core::agent::TaskStatus::Succeeded { .. }
        ),
        "{:?}",
        result.status
    );
    assert_eq!(alarms.len(), 2);
    assert!(requests.is_empty(), "{requests:?}");
}

#[test]
fn a_tool_asked_every_time_is_asked_at_each_call_and_a_no_stops_it() {
    let guard = GuardConfig::default().with_tool_tier("set_alarm", Tier::EveryTime);
    let (result, requests, alarms) = two_alarms(guard.clone(), true);
    assert!(
        matches!(
            result.status,
            lobster_core::agent::TaskStatus::Succeeded { .. }
        ),
        "{:?}",
        result.status
    );
    assert_eq!(alarms.len(), 2);
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request.remember.is_none()));
    // Denied: no alarm is set, and the task does not report success.
    let (result, requests, alarms) = two_alarms(guard, false);
    assert!(alarms.is_empty(), "{alarms:?}");
    assert!(!requests.is_empty());
    assert!(
        !matches!(
            result.status,
            lobster_core::agent::TaskStatus::Succeeded { .. }
        ),
        "{:?}",
        result.status
    );
}

#[test]
fn by_default_an_alarm_asks_nothing() {
    let (result, requests, alarms) = two_alarms(GuardConfig::default(), true);
    assert!(
        matches!(
            result.status,
            lobster_core::agent::TaskStatus::Succeeded { .. }
        ),
        "{:?}",
        result.status
    );
    assert_eq!(alarms.len(), 2);
    assert!(requests.is_empty());
}
