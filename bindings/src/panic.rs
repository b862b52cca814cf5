//! Panics stop at the boundary.
//!
//! A panic unwinding into the JVM aborts the app, and one on the task's thread would leave a
//! Kotlin caller waiting forever. UniFFI already catches panics of exported calls, but turns
//! them into its own `InternalException`; this crate catches them first so Kotlin sees one
//! error type, and so the task thread can report a panic as the end of the task. The panic's
//! own message is not passed on: it may quote data the task was handling (screen text).
//!
//! One panic message is withheld from stderr as well: UniFFI reports an exception thrown by a
//! Kotlin callback (a listener that throws) as a panic whose message is the exception's text
//! ("Callback interface failure: …"), which may quote the screen. The panic hook installed by
//! [`withhold_callback_text`] prints its category instead and leaves every other panic to the
//! hook that was there before.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

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

/// How UniFFI words a panic for an exception a Kotlin callback threw.
const CALLBACK_FAILURE: &str = "Callback interface failure";

/// Whether a panic's payload is UniFFI's report of an exception thrown by a Kotlin callback.
fn is_callback_failure(payload: &(dyn Any + Send)) -> bool {
    let message = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied());
    message.is_some_and(|message| message.starts_with(CALLBACK_FAILURE))
}

/// Installs, once per process, a panic hook that prints a Kotlin callback's exception as its
/// category only and hands every other panic to the previous hook.
pub(crate) fn withhold_callback_text() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if is_callback_failure(info.payload()) {
                tracing::warn!("a Kotlin callback threw; its message is withheld");
                eprintln!(
                    "lobster: a Kotlin callback threw (message withheld: it may quote the screen)"
                );
            } else {
                previous(info);
            }
        }));
    });
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

    #[test]
    fn only_uniffis_callback_failures_are_withheld() {
        let callback = String::from(
            "Callback interface failure: java.lang.IllegalStateException: Pay Alice 500",
        );
        assert!(is_callback_failure(&callback));
        assert!(is_callback_failure(&"Callback interface failure: x"));
        assert!(!is_callback_failure(&String::from("index out of bounds")));
        assert!(!is_callback_failure(&"attempt to add with overflow"));
        assert!(!is_callback_failure(&42u8));
    }
}
