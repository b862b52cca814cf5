//! Panics stop at the boundary.
//!
//! A panic unwinding into the JVM aborts the app, and one on the task's thread would leave a
//! Kotlin caller waiting forever. UniFFI already catches panics of exported calls, but turns
//! them into its own `InternalException`; this crate catches them first so Kotlin sees one
//! error type, and so the task thread can report a panic as the end of the task. The panic's
//! own message is not passed on: it may quote data the task was handling (screen text).

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::AgentError;

/// Runs `work`, turning a panic into [`AgentError::Internal`] that names `place`.
pub(crate) fn guarded<T>(
    place: &str,
    work: impl FnOnce() -> Result<T, AgentError>,
) -> Result<T, AgentError> {
    // The closures given here own or borrow state that is dropped or reset with the failed
    // call; nothing half-updated is observed after a panic.
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|_| {
        Err(AgentError::Internal {
            reason: format!("a panic in {place}"),
        })
    })
}

/// Runs `work`; `None` if it panicked.
pub(crate) fn caught<T>(work: impl FnOnce() -> T) -> Option<T> {
    catch_unwind(AssertUnwindSafe(work)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error_without_its_message() {
        let result: Result<(), AgentError> = guarded("the test", || panic!("secret screen text"));
        assert_eq!(
            result,
            Err(AgentError::Internal {
                reason: "a panic in the test".into()
            })
        );
        assert_eq!(guarded("the test", || Ok(3)), Ok(3));
        assert_eq!(caught(|| 4), Some(4));
        assert_eq!(caught(|| -> u8 { panic!("boom") }), None);
    }
}
