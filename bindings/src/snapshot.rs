//! Tools for integrators who write or check a screen reader: decode a snapshot the way the
//! agent will, and see the text the planner would read.
//!
//! A reader that drops a window or marks every node invisible produces a screen the planner
//! cannot act on, and nothing fails loudly. These calls let the Android library's tests and an
//! OEM's QA compare the reader's output with what they see; the JVM benchmark also uses
//! `inspectSnapshot` to time a snapshot crossing from Kotlin into Rust.

use lobster_core::screen::{count_nodes, encode, estimate_tokens};

use crate::bridge::decode_snapshot;
use crate::error::AgentError;
use crate::panic::guarded;

/// What a snapshot holds, as the agent decoded it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SnapshotStats {
    /// Windows, bottom first.
    pub windows: i32,
    /// Nodes in all windows.
    pub nodes: i32,
    /// The foreground app's package.
    pub foreground_package: String,
    /// Screen size in pixels.
    pub screen_width: i32,
    /// Screen size in pixels.
    pub screen_height: i32,
}

/// A snapshot as the planner reads it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScreenText {
    /// The encoded screen: one line per thing a person would notice, `[id]` on actionable ones.
    pub text: String,
    /// Elements with an id.
    pub elements: i32,
    /// Estimated tokens of `text`.
    pub tokens: i32,
}

fn int(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// Decodes `snapshot` (protobuf `Snapshot` bytes) as the agent does and counts what it holds.
/// Throws `AgentException.InvalidSnapshot` when the bytes are not a usable snapshot.
#[uniffi::export]
pub fn inspect_snapshot(snapshot: Vec<u8>) -> Result<SnapshotStats, AgentError> {
    guarded("inspectSnapshot", || {
        let decoded = decode_snapshot(&snapshot).map_err(invalid)?;
        let nodes = decoded
            .windows
            .iter()
            .filter_map(|window| window.root.as_ref())
            .map(count_nodes)
            .sum();
        Ok(SnapshotStats {
            windows: int(decoded.windows.len()),
            nodes: int(nodes),
            foreground_package: decoded.foreground_package,
            screen_width: i32::try_from(decoded.screen_width).unwrap_or(i32::MAX),
            screen_height: i32::try_from(decoded.screen_height).unwrap_or(i32::MAX),
        })
    })
}

/// The text the planner would read for `snapshot`, with its element and token counts. It holds
/// screen text: for debugging a reader, not for logs.
#[uniffi::export]
pub fn screen_text(snapshot: Vec<u8>) -> Result<ScreenText, AgentError> {
    guarded("screenText", || {
        let decoded = decode_snapshot(&snapshot).map_err(invalid)?;
        let encoded = encode(&decoded, None);
        Ok(ScreenText {
            tokens: int(estimate_tokens(&encoded.text)),
            elements: int(encoded.elements.len()),
            text: encoded.text,
        })
    })
}

/// The library's version (`lobster-ffi`'s Cargo version).
#[uniffi::export]
pub fn lobster_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn invalid(error: lobster_core::device::DeviceError) -> AgentError {
    AgentError::InvalidSnapshot {
        reason: match error {
            lobster_core::device::DeviceError::Unavailable(reason)
            | lobster_core::device::DeviceError::Failed(reason) => reason,
        },
    }
}

#[cfg(test)]
mod tests {
    use prost::Message;

    use super::*;
    use crate::test_phone::notes_snapshot;

    #[test]
    fn a_snapshot_is_counted_and_encoded() {
        let bytes = notes_snapshot("", false).encode_to_vec();
        let stats = inspect_snapshot(bytes.clone()).unwrap();
        assert_eq!(stats.windows, 1);
        assert_eq!(stats.nodes, 5);
        assert_eq!(stats.foreground_package, "com.example.notes");
        assert_eq!((stats.screen_width, stats.screen_height), (1080, 2400));
        let screen = screen_text(bytes).unwrap();
        assert!(screen.text.contains("Save"), "{}", screen.text);
        assert_eq!(screen.elements, 3);
        assert!(screen.tokens > 0);
        assert!(!lobster_version().is_empty());
    }

    #[test]
    fn garbage_is_an_invalid_snapshot() {
        assert!(matches!(
            inspect_snapshot(vec![0xff, 0x00, 0x13]),
            Err(AgentError::InvalidSnapshot { .. })
        ));
        assert!(matches!(
            screen_text(Vec::new()),
            Err(AgentError::InvalidSnapshot { .. })
        ));
    }
}
