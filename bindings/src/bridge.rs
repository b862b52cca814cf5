//! The Kotlin phone as core's [`Device`](lobster_core::device::Device).
//!
//! The one place where bytes from Kotlin become a [`Snapshot`]: they are read with core's own
//! importer for Lobster snapshots, which also repairs what a reader may get wrong (missing or
//! duplicate node keys, trees deeper than the cap), so a slightly wrong reader degrades the
//! screen instead of failing the task. Bytes that do not decode as a snapshot fail the task
//! with a message that quotes none of them.

use std::sync::Arc;
use std::time::Duration;

use lobster_core::device as core;
use lobster_core::screen::Snapshot;
use lobster_core::screen::import::{DumpFormat, import_as};

use crate::action::DeviceAction;
use crate::device::Device;
use crate::tool_call::tool_names;
use lobster_core::action::ToolSet;

/// Core's view of a Kotlin [`Device`].
pub(crate) struct ForeignDevice {
    device: Arc<dyn Device>,
}

impl ForeignDevice {
    /// Wraps `device`.
    pub(crate) fn new(device: Arc<dyn Device>) -> Self {
        ForeignDevice { device }
    }
}

/// Decodes the snapshot bytes a Kotlin reader produced.
pub(crate) fn decode_snapshot(bytes: &[u8]) -> Result<Snapshot, core::DeviceError> {
    let imported = import_as(bytes, DumpFormat::SnapshotProto).map_err(|error| {
        core::DeviceError::Failed(format!("the snapshot from the device is unusable: {error}"))
    })?;
    if !imported.warnings.is_empty() {
        tracing::debug!(
            warnings = imported.warnings.len(),
            "the device's snapshot needed repairs"
        );
    }
    Ok(imported.snapshot)
}

impl core::Device for ForeignDevice {
    fn observe(&mut self) -> Result<Snapshot, core::DeviceError> {
        let bytes = self.device.observe()?;
        decode_snapshot(&bytes)
    }

    fn perform(&mut self, action: &core::DeviceAction) -> Result<core::Outcome, core::DeviceError> {
        Ok(self.device.perform(DeviceAction::from(action))?.into())
    }

    fn launch_app(&mut self, label: &str) -> Result<core::Outcome, core::DeviceError> {
        Ok(self.device.launch_app(label.to_owned())?.into())
    }

    fn installed_apps(&mut self) -> Result<Vec<core::AppInfo>, core::DeviceError> {
        Ok(self
            .device
            .installed_apps()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    fn available_tools(&mut self) -> Result<ToolSet, core::DeviceError> {
        Ok(tool_names(&self.device.available_tools()?))
    }

    fn settle(&mut self, max: Duration) -> Result<(), core::DeviceError> {
        let millis = i64::try_from(max.as_millis()).unwrap_or(i64::MAX);
        Ok(self.device.settle(millis)?)
    }

    fn app_actions(&mut self) -> Result<Vec<core::AppActionInfo>, core::DeviceError> {
        self.device
            .app_actions()?
            .into_iter()
            .map(|action| core::AppActionInfo::try_from(action).map_err(Into::into))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use lobster_core::device::Device as _;
    use prost::Message;

    use super::*;
    use crate::test_phone::TestPhone;

    #[test]
    fn observe_decodes_and_repairs_the_snapshot() {
        let phone = Arc::new(TestPhone::default());
        let mut device = ForeignDevice::new(phone.clone());
        let snapshot = device.observe().unwrap();
        assert_eq!(snapshot.foreground_package, "com.example.notes");
        assert_eq!(device.installed_apps().unwrap()[0].label, "Notes");
        assert!(device.app_actions().unwrap().is_empty());
        device.settle(Duration::from_millis(5)).unwrap();

        // A node without a key gets one.
        let mut keyless = snapshot.clone();
        if let Some(root) = keyless.windows[0].root.as_mut() {
            root.key.clear();
        }
        let repaired = decode_snapshot(&keyless.encode_to_vec()).unwrap();
        assert!(
            repaired.windows[0]
                .root
                .as_ref()
                .is_some_and(|root| !root.key.is_empty())
        );
    }

    #[test]
    fn bytes_that_are_no_snapshot_fail_without_quoting_them() {
        let error = decode_snapshot(b"\x0a\x05hello").unwrap_err().to_string();
        assert!(error.contains("unusable"), "{error}");
        assert!(!error.contains("hello"), "{error}");
    }

    #[test]
    fn actions_and_launches_reach_the_phone() {
        let phone = Arc::new(TestPhone::default());
        let mut device = ForeignDevice::new(phone.clone());
        let outcome = device
            .perform(&core::DeviceAction::Global(core::GlobalAction::Back))
            .unwrap();
        assert_eq!(outcome, core::Outcome::Performed);
        assert_eq!(device.launch_app("Nope").unwrap(), core::Outcome::NoHandler);
        assert_eq!(phone.performed().len(), 1);
    }
}
