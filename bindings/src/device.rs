//! The phone, as the Kotlin side implements it.
//!
//! On Android the library's `AccessibilityDevice` implements [`Device`] over the accessibility
//! service; in the JVM tests a fake phone does. The methods are synchronous and are called on
//! the task's own thread, never on the caller's: Kotlin may block in them (waiting for the UI
//! to settle) but must not need the main thread to be free *and* block it at once.
//!
//! A Kotlin exception thrown from a method becomes a [`DeviceError`] and ends the task with
//! `Failed`, never a crash: a [`DeviceException`](DeviceError) as thrown, anything else as
//! [`DeviceError::Failed`] with the exception's first line.

use lobster_core::device as core;

use crate::action::{ActionOutcome, DeviceAction};

/// The phone the agent acts on. Kotlin: `interface Device`.
#[uniffi::export(with_foreign)]
pub trait Device: Send + Sync {
    /// Reads every interactive window and returns the screen as a protobuf `Snapshot`
    /// (`core/proto/snapshot.proto`, package `lobster.v1`), encoded.
    fn observe(&self) -> Result<Vec<u8>, DeviceError>;

    /// Carries out one action on a node of the last snapshot, or on the system.
    fn perform(&self, action: DeviceAction) -> Result<ActionOutcome, DeviceError>;

    /// Launches the app whose launcher label is `label`; `NoHandler` when none has it.
    fn launch_app(&self, label: String) -> Result<ActionOutcome, DeviceError>;

    /// The apps a user can launch (the launcher's list).
    fn installed_apps(&self) -> Result<Vec<AppInfo>, DeviceError>;

    /// The actions apps declare for the agent; an empty list when there are none.
    fn app_actions(&self) -> Result<Vec<AppActionInfo>, DeviceError>;

    /// Returns once the screen is idle (no accessibility events for a moment), or after
    /// `max_ms` milliseconds at most.
    fn settle(&self, max_ms: i64) -> Result<(), DeviceError>;
}

/// Why the phone could not be used. Kotlin: `DeviceException`, which a `Device` may throw.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum DeviceError {
    /// The phone cannot be reached: the accessibility service is off or disconnected.
    #[error("device unavailable: {reason}")]
    Unavailable {
        /// What is missing.
        reason: String,
    },
    /// The phone failed in a way it describes.
    #[error("device failure: {reason}")]
    Failed {
        /// What failed.
        reason: String,
    },
}

/// A Kotlin exception other than `DeviceException`: the first line of its stack trace (class
/// and message), not the frames.
impl From<uniffi::UnexpectedUniFFICallbackError> for DeviceError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        let first = error.reason.lines().next().unwrap_or_default().trim();
        DeviceError::Failed {
            reason: if first.is_empty() {
                "the Kotlin device threw an exception".into()
            } else {
                format!("the Kotlin device threw {first}")
            },
        }
    }
}

impl From<DeviceError> for core::DeviceError {
    fn from(error: DeviceError) -> Self {
        match error {
            DeviceError::Unavailable { reason } => core::DeviceError::Unavailable(reason),
            DeviceError::Failed { reason } => core::DeviceError::Failed(reason),
        }
    }
}

/// An app a user can launch.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppInfo {
    /// The label the launcher shows ("Messages").
    pub label: String,
    /// The package name ("com.example.messages").
    pub package_name: String,
}

impl From<AppInfo> for core::AppInfo {
    fn from(app: AppInfo) -> Self {
        core::AppInfo {
            label: app.label,
            package: app.package_name,
        }
    }
}

/// An action an app declares for the agent to call directly (`call NAME {…}`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppActionInfo {
    /// The name the planner writes after `call`.
    pub name: String,
    /// The package that handles it.
    pub package_name: String,
    /// What it does, for the planner.
    pub description: String,
}

impl From<AppActionInfo> for core::AppActionInfo {
    fn from(action: AppActionInfo) -> Self {
        core::AppActionInfo {
            name: action.name,
            package: action.package_name,
            description: action.description,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_errors_convert_to_cores() {
        assert_eq!(
            core::DeviceError::from(DeviceError::Unavailable {
                reason: "service off".into()
            }),
            core::DeviceError::Unavailable("service off".into())
        );
        assert_eq!(
            core::DeviceError::from(DeviceError::Failed {
                reason: "binder died".into()
            }),
            core::DeviceError::Failed("binder died".into())
        );
    }

    #[test]
    fn an_unexpected_kotlin_exception_keeps_only_its_first_line() {
        let error = DeviceError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "java.lang.IllegalStateException: no window\n\tat Fake.observe(Fake.kt:3)",
        ));
        assert_eq!(
            error,
            DeviceError::Failed {
                reason: "the Kotlin device threw java.lang.IllegalStateException: no window".into()
            }
        );
        let empty = DeviceError::from(uniffi::UnexpectedUniFFICallbackError::new(""));
        assert!(matches!(empty, DeviceError::Failed { reason } if reason.contains("threw")));
    }

    #[test]
    fn apps_and_app_actions_convert() {
        let app = core::AppInfo::from(AppInfo {
            label: "Messages".into(),
            package_name: "com.example.messages".into(),
        });
        assert_eq!(
            (app.label.as_str(), app.package.as_str()),
            ("Messages", "com.example.messages")
        );
        let action = core::AppActionInfo::from(AppActionInfo {
            name: "send_message".into(),
            package_name: "com.example.messages".into(),
            description: "Sends a text".into(),
        });
        assert_eq!(action.name, "send_message");
        assert_eq!(action.package, "com.example.messages");
        assert_eq!(action.description, "Sends a text");
    }
}
