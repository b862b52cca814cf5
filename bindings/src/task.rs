//! A running task, as the caller holds it: cancel it, wait for it, ask how it ended.
//!
//! The task runs on its own thread; the handle shares only its cancel token and its result
//! with it, so the handle can be dropped while the task runs. Dropping it (Kotlin: `close()`,
//! or the object being collected) cancels the task: a task nobody holds has nobody to report
//! to, and must not go on acting on the phone.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use lobster_core::agent::CancelToken;

use crate::error::AgentError;
use crate::events::TaskResult;

/// Where a task's thread leaves its result.
#[derive(Debug, Default)]
pub(crate) struct TaskState {
    result: Mutex<Option<Result<TaskResult, AgentError>>>,
    finished: Condvar,
}

impl TaskState {
    /// Stores the task's result and wakes every waiter.
    pub(crate) fn finish(&self, result: Result<TaskResult, AgentError>) {
        *self.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        self.finished.notify_all();
    }

    fn wait(&self, timeout: Duration) -> Option<Result<TaskResult, AgentError>> {
        let deadline = Instant::now().checked_add(timeout);
        let mut result = self.result.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(done) = result.as_ref() {
                return Some(done.clone());
            }
            let now = Instant::now();
            let left = match deadline {
                Some(deadline) if deadline <= now => return None,
                Some(deadline) => deadline - now,
                None => Duration::from_secs(3_600),
            };
            result = self
                .finished
                .wait_timeout(result, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// A task started by `Agent.start`. Kotlin: `TaskHandle`, which is `AutoCloseable`: closing it
/// cancels the task.
#[derive(Debug, uniffi::Object)]
pub struct TaskHandle {
    cancel: CancelToken,
    state: std::sync::Arc<TaskState>,
}

impl TaskHandle {
    pub(crate) fn new(cancel: CancelToken, state: std::sync::Arc<TaskState>) -> Self {
        TaskHandle { cancel, state }
    }
}

#[uniffi::export]
impl TaskHandle {
    /// Asks the task to stop. It stops at its next check (between stages, inside waits, while a
    /// confirmation waits) and ends `Cancelled`; a call into the phone in progress finishes
    /// first.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Whether the task has ended.
    pub fn is_finished(&self) -> bool {
        self.state.wait(Duration::ZERO).is_some()
    }

    /// How the task ended, or null while it runs. Throws `AgentException.Internal` if the task
    /// stopped on an internal error.
    pub fn result(&self) -> Result<Option<TaskResult>, AgentError> {
        self.state.wait(Duration::ZERO).transpose()
    }

    /// Waits up to `timeout_ms` milliseconds for the task to end; its result, or null if it is
    /// still running then. Do not call it from the listener: the task waits for the listener.
    pub fn wait_for(&self, timeout_ms: i64) -> Result<Option<TaskResult>, AgentError> {
        let timeout = Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(0));
        self.state.wait(timeout).transpose()
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::thread;

    use super::*;
    use crate::events::TaskStatus;

    fn done() -> TaskResult {
        TaskResult {
            status: TaskStatus::Succeeded {
                answer: String::new(),
            },
            steps: 1,
            elapsed_ms: 3,
            tokens: 0,
        }
    }

    #[test]
    fn wait_returns_the_result_or_null_at_the_timeout() {
        let state = Arc::new(TaskState::default());
        let handle = TaskHandle::new(CancelToken::new(), Arc::clone(&state));
        assert_eq!(handle.wait_for(10), Ok(None));
        assert!(!handle.is_finished());
        assert_eq!(handle.result(), Ok(None));
        let finisher = thread::spawn({
            let state = Arc::clone(&state);
            move || {
                thread::sleep(Duration::from_millis(20));
                state.finish(Ok(done()));
            }
        });
        assert_eq!(handle.wait_for(10_000), Ok(Some(done())));
        finisher.join().unwrap();
        assert!(handle.is_finished());
        assert_eq!(handle.result(), Ok(Some(done())));
        assert_eq!(
            handle.wait_for(-5),
            Ok(Some(done())),
            "a negative timeout does not wait"
        );
    }

    #[test]
    fn an_internal_error_is_thrown_by_wait_and_result() {
        let state = Arc::new(TaskState::default());
        let handle = TaskHandle::new(CancelToken::new(), Arc::clone(&state));
        let error = AgentError::Internal {
            reason: "a panic in the task".into(),
        };
        state.finish(Err(error.clone()));
        assert_eq!(handle.wait_for(0), Err(error.clone()));
        assert_eq!(handle.result(), Err(error));
    }

    #[test]
    fn cancel_and_drop_set_the_token() {
        let token = CancelToken::new();
        let handle = TaskHandle::new(token.clone(), Arc::default());
        handle.cancel();
        assert!(token.is_cancelled());
        let token = CancelToken::new();
        drop(TaskHandle::new(token.clone(), Arc::default()));
        assert!(token.is_cancelled());
    }
}
