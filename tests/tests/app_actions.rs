//! Apps' declared actions end to end through the real loop on the simulated phone, whose apps
//! declare theirs in the SDK's format (`sim/actions/*.json`): arguments that do not fit the
//! schema are refused before the app sees them and the planner is told which; a financial
//! action asks every time, a first-time one once; a read's result reaches the planner.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::sync::Mutex;
use std::time::Duration;

use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskResult,
    TaskStatus,
};
use lobster_core::policy::Category;
use lobster_sim::{Sim, SimConfig};
use lobster_tests::Told;

/// Allows every confirmation and keeps them.
#[derive(Default)]
struct Allowing {
    asked: Mutex<Vec<Confirmation>>,
}

impl AgentListener for Allowing {
    fn on_event(&self, _event: &AgentEvent) {}

    fn confirm(&self, request: &Confirmation) -> bool {
        self.asked.lock().unwrap().push(request.clone());
        true
    }
}

fn run(goal: &str, sim: &mut Sim, planner: &mut Told, listener: &Allowing) -> TaskResult {
    Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    })
    .run(
        goal,
        TaskIo {
            device: sim,
            planner,
            listener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    )
}

#[test]
fn arguments_that_do_not_fit_are_refused_before_the_app_and_the_planner_hears_why() {
    let mut sim = Sim::new(SimConfig::default());
    let notes_before = sim.handle().read(|state| state.notes.len());
    let mut planner = Told::new(
        "call notes.create_note {\"title\":4521}\n\
         call notes.create_note {\"title\":\"Gate\",\"colour\":\"red\"}\n\
         call notes.create_note {\"title\":\"Gate\",\"body\":\"4521\"}\n\
         done\n",
    );
    let listener = Allowing::default();
    let result = run("Note the gate code 4521", &mut sim, &mut planner, &listener);
    assert!(
        matches!(result.status, TaskStatus::Succeeded { .. }),
        "{:?}",
        result.status
    );
    assert_eq!(
        planner.results[0],
        "rejected: the arguments do not fit notes.create_note: /title: breaks \"type\""
    );
    assert_eq!(
        planner.results[1],
        "rejected: the arguments do not fit notes.create_note: /: breaks \"additionalProperties\""
    );
    // Only the third call reached the app.
    assert_eq!(
        sim.handle().read(|state| state.notes.len()),
        notes_before + 1
    );
}

#[test]
fn paying_asks_every_time_and_a_contact_read_once() {
    let mut sim = Sim::new(SimConfig::default());
    let mut planner = Told::new(
        "call shop.add_to_cart {\"product\":\"Yoga Mat\"}\n\
         call shop.checkout {}\n\
         call contacts.find_contact {\"name\":\"Leo Park\"}\n\
         call contacts.find_contact {\"name\":\"Ana\"}\n\
         done\n",
    );
    let listener = Allowing::default();
    let result = run("Buy a yoga mat", &mut sim, &mut planner, &listener);
    assert!(matches!(result.status, TaskStatus::Succeeded { .. }));
    let asked = listener.asked.lock().unwrap();
    let asked: Vec<(&str, Category)> = asked
        .iter()
        .map(|request| (request.action.as_str(), request.category))
        .collect();
    assert_eq!(
        asked,
        [
            ("call shop.checkout {}", Category::Pay),
            (
                "call contacts.find_contact {\"name\":\"Leo Park\"}",
                Category::Tool
            ),
        ]
    );
    assert_eq!(sim.handle().read(|state| state.orders.len()), 1);
    // The checkout's and the look-up's results reached the planner.
    assert!(
        planner.results[1].contains("order "),
        "{:?}",
        planner.results
    );
    assert!(
        planner.results[2].contains("Leo Park: mobile +1 415-555-"),
        "{:?}",
        planner.results
    );
}
