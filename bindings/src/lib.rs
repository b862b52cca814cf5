//! Lobster for Kotlin and Java: the on-device agent behind a small, synchronous UniFFI surface.
//!
//! The surface is what ARCHITECTURE.md (decision 5) asks for and no more:
//!
//! * [`Agent`](agent::Agent), built from an [`AgentConfig`](config::AgentConfig) and a
//!   [`Device`](device::Device), starts a task with [`Agent::start`](agent::Agent::start) and
//!   returns a [`TaskHandle`](task::TaskHandle) (cancel, wait, result; closing it cancels);
//! * [`Device`](device::Device) is the phone, implemented in Kotlin (the accessibility service
//!   on Android, a fake phone in tests): observe as protobuf `Snapshot` bytes, perform a
//!   resolved action, launch an app, list apps and app actions, wait for the screen to settle;
//! * [`TaskListener`](listener::TaskListener) hears [`TaskEvent`](events::TaskEvent)s and
//!   answers confirmations and questions through reply objects;
//! * [`AgentError`](error::AgentError) (Kotlin `AgentException`) is the one error type of the
//!   agent, with no screen text in its messages;
//! * [`ModelStore`](model_store::ModelStore) is how a phone gets its model: the manifest's
//!   models with size and RAM tier, downloads with progress, resume, SHA-256 check and cancel,
//!   deletion, and the default for the phone's memory (errors: `ModelStoreException`).
//!
//! Core's types stay in core; each is converted here with `From` (tested beside it). Nothing is
//! `async`: the task runs on its own thread and calls Kotlin back there. Panics stop at the
//! boundary. Kotlin is generated from this crate's metadata by the workspace's
//! `uniffi-bindgen` (library mode); see `bindings/README.md`.

uniffi::setup_scaffolding!("lobster");

mod action;
mod agent;
#[cfg(target_os = "android")]
mod android;
mod app_actions;
mod bridge;
mod category;
mod config;
mod device;
mod error;
mod events;
mod intent;
mod listener;
mod logging;
mod model_store;
mod panic;
mod planner;
mod reply;
mod snapshot;
mod task;
#[cfg(test)]
mod test_phone;
mod tool_call;

pub use action::{
    ActionOutcome, DeviceAction, GlobalAction, NodeTarget, ScreenPoint, ScreenRect, ScrollDirection,
};
pub use agent::Agent;
pub use app_actions::{
    ActionConfirmation, ActionSideEffect, DeclarationError, read_action_declaration,
};
pub use category::SensitiveCategory;
pub use config::{AgentConfig, Budgets, ExtraCue, Policy};
pub use device::{AppActionInfo, AppInfo, Device, DeviceError};
pub use error::AgentError;
pub use events::{
    ConfirmationRequest, PlannerCost, Subgoal, SubgoalProgress, TaskEvent, TaskResult, TaskStatus,
};
pub use intent::{IntentExtra, IntentSpec, IntentValue};
pub use listener::TaskListener;
pub use model_store::{
    DownloadListener, DownloadProgress, DownloadedModel, ModelInfo, ModelStore, ModelStoreError,
    ModelStoreOptions,
};
pub use planner::{CloudOutputMode, CloudPlannerConfig, LocalPlannerConfig, PlannerConfig};
pub use reply::{ConfirmationReply, QuestionReply, TakeoverReply};
pub use snapshot::{ScreenText, SnapshotStats, inspect_snapshot, lobster_version, screen_text};
pub use task::TaskHandle;
pub use tool_call::{ToolArg, ToolCall, ToolValue};
