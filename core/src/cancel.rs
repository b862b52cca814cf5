//! Cancellation that crosses threads: the caller's thread (a UI's stop button, a dropped task
//! handle) flips it, the loop checks it between stages, and a planner checks it between tokens.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared flag that asks a running task to stop. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    cancelled: Arc<AtomicBool>,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the task to stop; every clone sees it.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_on_another_thread_sees_the_cancel() {
        let token = CancelToken::new();
        let seen = token.clone();
        assert!(!seen.is_cancelled());
        std::thread::spawn(move || token.cancel()).join().unwrap();
        assert!(seen.is_cancelled());
    }
}
