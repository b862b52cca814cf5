//! The simulated phone: a [`Device`](lobster_core::device::Device) with a launcher and six virtual
//! apps (Settings, Contacts, Messages, Clock, Notes, Shop), their data, fault injection, and
//! the tasks an agent is measured on.
//!
//! Why a simulator: agent behaviour must be tested end to end, fast and deterministically, on a
//! machine with no phone. The screens are realistic accessibility trees (layouts, resource ids,
//! toolbars, dialogs in their own windows, a keyboard window, a status bar) so the encoder,
//! the grammar and the guard meet what they meet on a phone; the tasks are judged on the
//! phone's data ([`SimState`]), as AndroidWorld judges on the device's databases.
//!
//! A crate of its own on top of `lobster-core`, used by the CLI, the end-to-end tests and the
//! benches: the library an app ships (the Android `.so`) needs none of it.
//!
//! One concept per file: the data in `state` (and its invented content in `content`), the
//! widgets in `ui`, navigation in `nav`, each app in `apps/`, the keyboard and system UI in
//! `keyboard` and `system`, screen composition in `render`, intents and app actions in
//! `intents`, faults in `faults`, the device in `device`, and the tasks in `tasks`.

mod app_actions;
pub(crate) mod apps;
mod content;
mod device;
pub mod eval;
mod faults;
mod intents;
mod keyboard;
mod nav;
mod render;
mod state;
mod system;
mod tasks;
#[cfg(test)]
mod tests;
mod tools;
mod ui;

pub use app_actions::{CREATE_NOTE, DECLARATIONS};
pub use device::{Sim, SimConfig};
pub use faults::{
    AD_APP, AD_PACKAGE, DelayedRendering, FAULT_NAMES, Faults, INJECTED_NOTE, INJECTED_NUMBER,
    INJECTED_PRODUCT, check_not_misled,
};
pub use nav::App;
pub use state::{
    AboutPhone, Alarm, Banner, CartLine, Contact, Message, Note, Order, Product, SentMessage,
    Settings, SimHandle, SimState, Thread, Timer, Toggle, WifiNetwork, clock_time, digits, price,
    same_number,
};
pub use tasks::{Goal, SimTask, TaskSpec, tasks, tasks_for_seed};
