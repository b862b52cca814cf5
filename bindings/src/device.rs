//! The phone, as the Kotlin side implements it.
//!
//! On Android the library's `AccessibilityDevice` implements [`Device`] over the accessibility
//! service; in the JVM tests a fake phone does. The methods are synchronous and are called on
//! the task's own thread, never on the caller's: Kotlin may block in them (waiting for the UI
//! to settle) but must not need the main thread to be free *and* block it at once.
//!
//! A Kotlin exception thrown from a method becomes a [`DeviceError`] and ends the task with
//! `Failed`, never a crash: a [`DeviceException`](DeviceError) as thrown, anything else as
//! [`DeviceError::Failed`] naming only the exception's class. Its message is dropped: a device
//! fails while reading or acting on the screen, so the message may quote it ("no node 'Pay
//! Alice 500'"), and the reason goes on into the task's result, its events, its trajectory and
//! the logs, all of which leave the phone in crash and bug reports.

use lobster_core::device as core;

use crate::action::{ActionOutcome, DeviceAction};
use crate::app_actions::{ActionConfirmation, ActionSideEffect};

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

    /// The names of the catalog tools this phone can run now (`lobster tools` lists the
    /// catalog): leave out a tool whose permission, API level or privilege is missing, and the
    /// planner never offers it. Unknown names are ignored.
    fn available_tools(&self) -> Result<Vec<String>, DeviceError>;

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

/// A Kotlin exception other than `DeviceException`: its class name only (UniFFI hands over the
/// exception's `toString()`, class and message; the message is dropped).
impl From<uniffi::UnexpectedUniFFICallbackError> for DeviceError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        DeviceError::Failed {
            reason: format!("the Kotlin device threw {}", exception_class(&error.reason)),
        }
    }
}

/// The class name that starts a JVM exception's `toString()` (`java.lang.IllegalStateException:
/// Pay Alice 500` → `java.lang.IllegalStateException`), or "an exception" when the text does
/// not start with a class name as `Class.getName()` writes one by convention: lower-case
/// package segments, then a capitalised class (an overridden `toString()` may say anything).
pub(crate) fn exception_class(text: &str) -> &str {
    let name = text
        .trim_start()
        .split(|c: char| c == ':' || c.is_whitespace())
        .next()
        .unwrap_or_default();
    let is_identifier_part = |part: &str| {
        part.chars().next().is_some_and(|c| !c.is_ascii_digit())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    let mut parts: Vec<&str> = name.split('.').collect();
    let class = parts.pop().unwrap_or_default();
    let conventional = !parts.is_empty()
        && parts
            .iter()
            .all(|part| is_identifier_part(part) && !part.starts_with(char::is_uppercase))
        && is_identifier_part(class)
        && class.starts_with(char::is_uppercase);
    if conventional { name } else { "an exception" }
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

/// An action an app declares for the agent to call directly (`call NAME {…}`):
/// `readActionDeclaration` makes these from an app's declaration document; one built by hand
/// without a schema takes any object. (UniFFI's Kotlin cannot default an enum field, so Kotlin
/// passes the side effect and confirmation.)
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppActionInfo {
    /// The name the planner writes after `call` (`notes.create_note`).
    pub name: String,
    /// The package that handles it.
    pub package_name: String,
    /// What it does, for the planner.
    pub description: String,
    /// Its arguments' JSON Schema, as JSON text; none: any object.
    #[uniffi(default = None)]
    pub parameters_json: Option<String>,
    /// What a call does (an action built by hand without a declaration: `Reversible`).
    pub side_effect: ActionSideEffect,
    /// When a call asks the user (without a declaration: `Never`).
    pub confirmation: ActionConfirmation,
}

impl TryFrom<AppActionInfo> for core::AppActionInfo {
    type Error = DeviceError;

    /// Fails when the schema is not JSON (a declaration read by `readActionDeclaration` always
    /// is).
    fn try_from(action: AppActionInfo) -> Result<Self, DeviceError> {
        let parameters = match &action.parameters_json {
            None => None,
            Some(json) => Some(serde_json::from_str(json).map_err(|_| DeviceError::Failed {
                reason: format!("the parameters of app action {} are not JSON", action.name),
            })?),
        };
        Ok(core::AppActionInfo {
            parameters,
            side_effect: action.side_effect.into(),
            confirmation: action.confirmation.into(),
            ..core::AppActionInfo::undeclared(
                &action.name,
                &action.package_name,
                &action.description,
            )
        })
    }
}

impl From<core::AppActionInfo> for AppActionInfo {
    fn from(action: core::AppActionInfo) -> Self {
        AppActionInfo {
            name: action.name,
            package_name: action.package,
            description: action.description,
            parameters_json: action.parameters.map(|schema| schema.to_string()),
            side_effect: action.side_effect.into(),
            confirmation: action.confirmation.into(),
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
    fn an_unexpected_kotlin_exception_keeps_only_its_class() {
        let error = DeviceError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "java.lang.IllegalStateException: Pay Alice 500\n\tat Fake.observe(Fake.kt:3)",
        ));
        assert_eq!(
            error,
            DeviceError::Failed {
                reason: "the Kotlin device threw java.lang.IllegalStateException".into()
            }
        );
        assert!(!core::DeviceError::from(error).to_string().contains("Alice"));
        let empty = DeviceError::from(uniffi::UnexpectedUniFFICallbackError::new(""));
        assert_eq!(
            empty,
            DeviceError::Failed {
                reason: "the Kotlin device threw an exception".into()
            }
        );
    }

    #[test]
    fn only_a_qualified_class_name_is_kept() {
        for (text, class) in [
            (
                "java.lang.IllegalStateException",
                "java.lang.IllegalStateException",
            ),
            ("dev.lobster.Fake$Broken: Alice", "dev.lobster.Fake$Broken"),
            (
                "kotlin.NotImplementedError: An operation is not implemented.",
                "kotlin.NotImplementedError",
            ),
            ("Pay Alice 500", "an exception"),
            ("Alice: 500", "an exception"),
            ("Pay.Alice 500", "an exception"),
            ("pay.alice", "an exception"),
            ("1.5 Alice", "an exception"),
            ("java..Foo: x", "an exception"),
            ("Zahlung an Älice.x", "an exception"),
        ] {
            assert_eq!(exception_class(text), class, "{text}");
        }
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
        let action = core::AppActionInfo::try_from(AppActionInfo {
            name: "send_message".into(),
            package_name: "com.example.messages".into(),
            description: "Sends a text".into(),
            parameters_json: None,
            side_effect: ActionSideEffect::default(),
            confirmation: ActionConfirmation::default(),
        })
        .unwrap();
        assert_eq!(action.name, "send_message");
        assert_eq!(action.package, "com.example.messages");
        assert_eq!(action.description, "Sends a text");
    }
}
