//! [`EventLog`]: a listener that keeps every event and answers confirmations with a fixed yes
//! or no, so end-to-end tests can assert what the loop reported and in which order.

use std::sync::{Mutex, MutexGuard, PoisonError};

use lobster_core::agent::{AgentEvent, AgentListener, Confirmation};
use lobster_core::planner::PlanMeta;

/// Records events; allows sensitive actions when `allow` is set.
#[derive(Debug, Default)]
pub struct EventLog {
    allow: bool,
    events: Mutex<Vec<AgentEvent>>,
}

impl EventLog {
    /// A log that answers every confirmation with `allow`.
    pub fn new(allow: bool) -> EventLog {
        EventLog {
            allow,
            events: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<AgentEvent>> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every event so far.
    pub fn events(&self) -> Vec<AgentEvent> {
        self.lock().clone()
    }

    /// The step, action and planner meta of every `ActionChosen`, in order.
    pub fn chosen(&self) -> Vec<(u32, String, PlanMeta)> {
        self.lock()
            .iter()
            .filter_map(|event| match event {
                AgentEvent::ActionChosen {
                    step, action, meta, ..
                } => Some((*step, action.clone(), meta.clone())),
                _ => None,
            })
            .collect()
    }

    /// The error of every `ActionRejected`, in order.
    pub fn rejections(&self) -> Vec<String> {
        self.lock()
            .iter()
            .filter_map(|event| match event {
                AgentEvent::ActionRejected { error, .. } => Some(error.clone()),
                _ => None,
            })
            .collect()
    }
}

impl AgentListener for EventLog {
    fn on_event(&self, event: &AgentEvent) {
        self.lock().push(event.clone());
    }

    fn confirm(&self, _request: &Confirmation) -> bool {
        self.allow
    }
}
