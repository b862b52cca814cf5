//! Lenient field access for the JSON dump formats (DroidBot, DroidRun).
//!
//! These formats come from different tool versions with different field names (`resourceId`
//! vs `resource_id`, `isClickable` vs `clickable`), `null` where a string is expected and
//! booleans spelled as strings. A typed serde model would reject a whole dump over one odd
//! field; reading a `serde_json::Value` through these helpers keeps the node and uses the
//! default for the odd field instead.

use serde_json::{Map, Value};

use super::super::Node;
use super::bounds;
use super::error::{Count, Warnings};

/// The first of `names` present as a string (numbers are written out); empty when none is.
pub(super) fn string(object: &Map<String, Value>, names: &[&str]) -> String {
    for name in names {
        match object.get(*name) {
            Some(Value::String(text)) => return text.clone(),
            Some(Value::Number(number)) => return number.to_string(),
            _ => {}
        }
    }
    String::new()
}

/// The first of `names` present as a boolean (`true`, `"true"`, `1`, ...); `None` when none is.
pub(super) fn boolean(object: &Map<String, Value>, names: &[&str]) -> Option<bool> {
    names.iter().find_map(|name| match object.get(*name)? {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => number.as_f64().map(|n| n != 0.0),
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// The first of `names` present as a non-negative integer that fits a `u32`.
pub(super) fn unsigned(object: &Map<String, Value>, names: &[&str]) -> Option<u32> {
    names.iter().find_map(|name| {
        let value = object.get(*name)?;
        value
            .as_u64()
            .or_else(|| value.as_str()?.trim().parse().ok())
            .and_then(|n| u32::try_from(n).ok())
    })
}

/// The node flags shared by the JSON formats, each looked up under every spelling in use.
pub(super) struct FlagNames {
    /// Spellings of `clickable`.
    pub clickable: &'static [&'static str],
    /// Spellings of `long-clickable`.
    pub long_clickable: &'static [&'static str],
    /// Spellings of `checkable`.
    pub checkable: &'static [&'static str],
    /// Spellings of `checked`.
    pub checked: &'static [&'static str],
    /// Spellings of `enabled`.
    pub enabled: &'static [&'static str],
    /// Spellings of `focusable`.
    pub focusable: &'static [&'static str],
    /// Spellings of `focused`.
    pub focused: &'static [&'static str],
    /// Spellings of `scrollable`.
    pub scrollable: &'static [&'static str],
    /// Spellings of `selected`.
    pub selected: &'static [&'static str],
    /// Spellings of `password`.
    pub password: &'static [&'static str],
    /// Spellings of `editable`.
    pub editable: &'static [&'static str],
    /// Spellings of `visible`.
    pub visible: &'static [&'static str],
}

/// Sets the flags and bounds of `node` from `object`: absent `enabled` means enabled, absent
/// visibility means visible unless the bounds are empty, missing or unreadable bounds are
/// counted and left unknown.
pub(super) fn read_flags_and_bounds(
    node: &mut Node,
    object: &Map<String, Value>,
    names: &FlagNames,
    warnings: &mut Warnings,
) {
    let flag = |names: &[&str]| boolean(object, names).unwrap_or(false);
    node.clickable = flag(names.clickable);
    node.long_clickable = flag(names.long_clickable);
    node.checkable = flag(names.checkable);
    node.checked = flag(names.checked);
    node.enabled = boolean(object, names.enabled).unwrap_or(true);
    node.focusable = flag(names.focusable);
    node.focused = flag(names.focused);
    node.scrollable = flag(names.scrollable);
    node.selected = flag(names.selected);
    node.password = flag(names.password);
    node.editable = flag(names.editable);
    node.bounds = match object.get("bounds") {
        None | Some(Value::Null) => {
            warnings.count(Count::MissingBounds, 1);
            None
        }
        Some(value) => bounds::counted(bounds::parse_json(value), warnings),
    };
    node.visible =
        boolean(object, names.visible).unwrap_or_else(|| node.bounds.is_none_or(|b| !b.is_empty()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Map<String, Value> {
        match serde_json::from_str(text) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn strings_take_the_first_spelling_present() {
        let o = object(r#"{"resourceId": "a:id/x", "resource_id": null, "n": 7}"#);
        assert_eq!(string(&o, &["resource_id", "resourceId"]), "a:id/x");
        assert_eq!(string(&o, &["missing"]), "");
        assert_eq!(string(&o, &["n"]), "7");
    }

    #[test]
    fn booleans_accept_common_spellings() {
        let o = object(r#"{"a": true, "b": "false", "c": 1, "d": "maybe", "e": null}"#);
        assert_eq!(boolean(&o, &["a"]), Some(true));
        assert_eq!(boolean(&o, &["b"]), Some(false));
        assert_eq!(boolean(&o, &["c"]), Some(true));
        assert_eq!(boolean(&o, &["d"]), None);
        assert_eq!(boolean(&o, &["e", "a"]), Some(true));
    }

    #[test]
    fn unsigned_rejects_negative_and_huge() {
        let o = object(r#"{"w": 1080, "h": "2400", "n": -1, "big": 99999999999}"#);
        assert_eq!(unsigned(&o, &["w"]), Some(1080));
        assert_eq!(unsigned(&o, &["h"]), Some(2400));
        assert_eq!(unsigned(&o, &["n"]), None);
        assert_eq!(unsigned(&o, &["big"]), None);
    }
}
