//! The agent: the step loop that turns a goal into actions on a device.

mod cancel;

pub use cancel::CancelToken;
