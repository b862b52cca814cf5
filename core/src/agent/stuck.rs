//! Loop detection: the same action on the same screen, again and again.
//!
//! Small models repeat themselves: they tap a button that does nothing, scroll a list that is at
//! its end, or bounce between two pages. The detector counts how often an action was chosen on
//! an identical screen. The second time without effect, the planner is told; the third time,
//! the loop presses Back to get out; after that, the task stops with a clear reason rather than
//! spending its budget.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// What the loop should do about a repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoopSignal {
    /// Nothing unusual.
    None,
    /// Tell the planner the action had no effect before.
    Warn,
    /// Press Back to leave the state, and tell the planner.
    Recover,
    /// Stop the task.
    Stop,
}

/// Counts actions per screen.
#[derive(Debug, Default)]
pub(crate) struct LoopDetector {
    repeats: HashMap<u64, u32>,
}

impl LoopDetector {
    /// Records `action` taken on a screen whose encoded text is `screen`, with or without
    /// effect, and says what to do.
    pub fn record(&mut self, screen: &str, action: &str, effective: bool) -> LoopSignal {
        let mut hasher = DefaultHasher::new();
        (screen, action).hash(&mut hasher);
        let count = self.repeats.entry(hasher.finish()).or_default();
        *count += 1;
        match (*count, effective) {
            (1, _) => LoopSignal::None,
            // A repeat with an effect (toggling back and forth) is allowed once more.
            (2, true) => LoopSignal::None,
            (2, false) | (3, true) => LoopSignal::Warn,
            (3, false) | (4, true) => LoopSignal::Recover,
            _ => LoopSignal::Stop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_without_effect_escalate() {
        let mut detector = LoopDetector::default();
        let signals: Vec<_> = (0..4)
            .map(|_| detector.record("screen A", "tap 3", false))
            .collect();
        assert_eq!(
            signals,
            [
                LoopSignal::None,
                LoopSignal::Warn,
                LoopSignal::Recover,
                LoopSignal::Stop
            ]
        );
    }

    #[test]
    fn different_screens_or_actions_are_not_repeats() {
        let mut detector = LoopDetector::default();
        assert_eq!(detector.record("A", "tap 3", false), LoopSignal::None);
        assert_eq!(detector.record("B", "tap 3", false), LoopSignal::None);
        assert_eq!(detector.record("A", "tap 4", false), LoopSignal::None);
    }

    #[test]
    fn effective_repeats_get_more_room() {
        let mut detector = LoopDetector::default();
        let signals: Vec<_> = (0..5)
            .map(|_| detector.record("A", "tap 3", true))
            .collect();
        assert_eq!(
            signals,
            [
                LoopSignal::None,
                LoopSignal::None,
                LoopSignal::Warn,
                LoopSignal::Recover,
                LoopSignal::Stop
            ]
        );
    }
}
