//! Lobster core: the on-device phone agent, free of FFI and Android types.
//!
//! The modules follow one step of the agent's data flow: a [`device`] is observed as a
//! [`Snapshot`](screen::Snapshot) (from the live accessibility reader, an importer of a real dump
//! or the simulated phone of the `lobster-sim` crate), the [`screen`] is encoded into the compact
//! text the [`planner`] reads, the planner answers with one line of the [`action`] language
//! constrained by a per-screen grammar, the [`policy`] guard allows, asks or denies, and the
//! [`agent`] loop acts, verifies and records.
//!
//! The simulator is a crate of its own on top of this one, so the library an app ships (the
//! Android `.so` of `lobster-ffi`) carries no virtual apps, content or tasks.

pub mod action;
pub mod agent;
mod cancel;
pub mod device;
mod history;
pub mod planner;
pub mod policy;
mod proto;
pub mod screen;
