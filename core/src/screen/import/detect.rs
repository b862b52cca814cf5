//! Telling the dump formats apart from their first bytes.
//!
//! People hand Lobster whatever file they have: a `uiautomator dump`, an Appium page source, a
//! DroidBot or DroidRun capture, or a snapshot Lobster wrote itself. Detection must be cheap
//! and must fail fast on anything else (a 10 MB binary blob included), so it looks at the first
//! significant byte (`<` XML, `{`/`[` JSON, else protobuf) and then only as far as it must: XML
//! up to the first element inside `<hierarchy>`, JSON through its top-level keys without
//! building the document, protobuf not at all beyond a plausible first tag.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::error::ImportError;
use super::{DumpFormat, xml};

/// First bytes of an encoded `Snapshot`: the tag of one of its fields 1..=6 with the right
/// wire type (prost writes fields in number order, so one of these comes first).
const SNAPSHOT_FIRST_TAGS: [u8; 6] = [
    0x08, // 1 screen_width, varint
    0x10, // 2 screen_height, varint
    0x1a, // 3 foreground_package, length-delimited
    0x20, // 4 timestamp_ms, varint
    0x2a, // 5 windows, length-delimited
    0x30, // 6 source, varint
];

/// Detects the format of `bytes` (see the module docs for how far it reads).
pub(super) fn detect(bytes: &[u8]) -> Result<DumpFormat, ImportError> {
    let bytes = strip_bom(bytes);
    let Some(start) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Err(ImportError::Empty);
    };
    let text = &bytes[start..];
    match text[0] {
        b'<' => xml::dialect(text),
        b'{' => object_format(text),
        b'[' => array_format(text),
        _ if SNAPSHOT_FIRST_TAGS.contains(&bytes[0]) => Ok(DumpFormat::SnapshotProto),
        first_byte => Err(ImportError::UnknownFormat { first_byte }),
    }
}

/// `bytes` without a leading UTF-8 byte order mark.
pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The top-level keys that tell the JSON formats apart; values are skipped, not built.
#[derive(Deserialize)]
struct TopLevelKeys {
    views: Option<IgnoredAny>,
    a11y_tree: Option<IgnoredAny>,
    status: Option<IgnoredAny>,
    data: Option<IgnoredAny>,
    windows: Option<IgnoredAny>,
}

fn object_format(bytes: &[u8]) -> Result<DumpFormat, ImportError> {
    let keys: TopLevelKeys = serde_json::from_slice(bytes).map_err(|e| ImportError::json(&e))?;
    if keys.views.is_some() {
        Ok(DumpFormat::DroidBotJson)
    } else if keys.a11y_tree.is_some() || (keys.status.is_some() && keys.data.is_some()) {
        Ok(DumpFormat::DroidRunJson)
    } else if keys.windows.is_some() {
        Ok(DumpFormat::SnapshotJson)
    } else {
        Err(ImportError::UnrecognizedJson)
    }
}

/// A bare array: DroidRun's `a11y_tree` on its own (nodes with `className`) or DroidBot's
/// `views` on their own (views with `parent`/`temp_id`). Rare, so it simply parses.
fn array_format(bytes: &[u8]) -> Result<DumpFormat, ImportError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::json(&e))?;
    let first = value
        .as_array()
        .and_then(|a| a.first())
        .and_then(Value::as_object);
    match first {
        Some(node) if node.contains_key("className") => Ok(DumpFormat::DroidRunJson),
        Some(view) if view.contains_key("parent") || view.contains_key("temp_id") => {
            Ok(DumpFormat::DroidBotJson)
        }
        _ => Err(ImportError::UnrecognizedJson),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_format() {
        let cases: [(&[u8], DumpFormat); 9] = [
            (
                b"<?xml version='1.0'?><hierarchy><node/></hierarchy>",
                DumpFormat::UiAutomatorXml,
            ),
            (
                b"\xEF\xBB\xBF\n <hierarchy><android.widget.Button/></hierarchy>",
                DumpFormat::AppiumXml,
            ),
            (br#"{"width":1,"views":[]}"#, DumpFormat::DroidBotJson),
            (
                br#"[{"parent":-1,"children":[]}]"#,
                DumpFormat::DroidBotJson,
            ),
            (
                br#"{"status":"success","data":{}}"#,
                DumpFormat::DroidRunJson,
            ),
            (
                br#"[{"className":"FrameLayout"}]"#,
                DumpFormat::DroidRunJson,
            ),
            (
                br#"{"screenWidth":1080,"windows":[]}"#,
                DumpFormat::SnapshotJson,
            ),
            (
                &[0x08, 0xb8, 0x08, 0x10, 0x80, 0x13],
                DumpFormat::SnapshotProto,
            ),
            (&[0x2a, 0x00], DumpFormat::SnapshotProto),
        ];
        for (bytes, format) in cases {
            assert_eq!(detect(bytes), Ok(format), "{format:?}");
        }
    }

    #[test]
    fn rejects_the_rest_clearly() {
        assert_eq!(detect(b""), Err(ImportError::Empty));
        assert_eq!(detect(b" \n\t "), Err(ImportError::Empty));
        assert_eq!(
            detect(b"hello"),
            Err(ImportError::UnknownFormat { first_byte: b'h' })
        );
        assert_eq!(detect(br#"{"foo":1}"#), Err(ImportError::UnrecognizedJson));
        assert_eq!(detect(b"[1,2]"), Err(ImportError::UnrecognizedJson));
        assert_eq!(detect(b"[]"), Err(ImportError::UnrecognizedJson));
        assert!(matches!(
            detect(b"{\"views\":"),
            Err(ImportError::Json { .. })
        ));
        assert!(matches!(detect(b"<html/>"), Err(ImportError::Xml { .. })));
    }
}
