//! Reading node bounds, leniently, from every spelling the dump formats use.
//!
//! uiautomator and Appium write `[l,t][r,b]`, DroidRun `l, t, r, b`, DroidBot `[[l,t],[r,b]]`,
//! and hand-edited or converted dumps add spaces, fractions or other brackets. All of them are
//! "four numbers in order", so that is what is read: exactly four numbers, whatever separates
//! them. Anything else is unreadable and the node keeps unknown bounds (the caller counts it).
//! A value beyond `i32` (a broken or hostile dump) is clamped into it, and the caller counts
//! that too: the node keeps its place on the screen instead of vanishing.

use serde_json::Value;

use super::super::Rect;
use super::error::{Count, Warnings};

/// Bounds as read: the rectangle, and whether a value lay beyond `i32` and was clamped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Parsed {
    /// The rectangle, every edge within `i32`.
    pub rect: Rect,
    /// Whether an edge was clamped to `i32::MIN` or `i32::MAX`.
    pub clamped: bool,
}

/// Reads `[l,t][r,b]`, `l, t, r, b` and similar: exactly four numbers (integers or fractions,
/// optionally negative) in order left, top, right, bottom. `None` when there are not exactly
/// four. Values beyond `i32` are clamped into it.
pub(super) fn parse_text(text: &str) -> Option<Parsed> {
    let bytes = text.as_bytes();
    let mut numbers = [0f64; 4];
    let mut found = 0;
    let mut i = 0;
    while i < bytes.len() {
        let negative = bytes[i] == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !(bytes[i].is_ascii_digit() || negative) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        if found == 4 {
            return None;
        }
        numbers[found] = text.get(start..i)?.parse::<f64>().ok()?;
        found += 1;
    }
    (found == 4).then(|| clamp(numbers))
}

/// Reads bounds from a JSON value: `[[l,t],[r,b]]`, `[l,t,r,b]`, a string in any form
/// [`parse_text`] reads, or `{"left","top","right","bottom"}`.
pub(super) fn parse_json(value: &Value) -> Option<Parsed> {
    match value {
        Value::String(text) => parse_text(text),
        Value::Array(items) => {
            let mut numbers = Vec::with_capacity(4);
            for item in items {
                match item {
                    Value::Array(pair) => numbers.extend(pair.iter().map(Value::as_f64)),
                    other => numbers.push(other.as_f64()),
                }
                if numbers.len() > 4 {
                    return None;
                }
            }
            match numbers.as_slice() {
                [Some(l), Some(t), Some(r), Some(b)] => Some(clamp([*l, *t, *r, *b])),
                _ => None,
            }
        }
        Value::Object(map) => {
            let side = |name: &str| map.get(name).and_then(Value::as_f64);
            Some(clamp([
                side("left")?,
                side("top")?,
                side("right")?,
                side("bottom")?,
            ]))
        }
        _ => None,
    }
}

/// The rectangle of `parsed`, counting unreadable bounds and clamped ones in `warnings`.
pub(super) fn counted(parsed: Option<Parsed>, warnings: &mut Warnings) -> Option<Rect> {
    match parsed {
        None => warnings.count(Count::UnparseableBounds, 1),
        Some(parsed) => warnings.count(Count::ClampedBounds, usize::from(parsed.clamped)),
    }
    parsed.map(|parsed| parsed.rect)
}

/// The four edges rounded to whole pixels and clamped into `i32` (NaN, which JSON and the
/// text reader never produce, would read as 0).
fn clamp(edges: [f64; 4]) -> Parsed {
    let limit = |value: f64| {
        value
            .round()
            .clamp(f64::from(i32::MIN), f64::from(i32::MAX))
    };
    let clamped = edges.iter().any(|&value| limit(value) != value.round());
    // `as` from an in-range whole f64 is exact.
    let [left, top, right, bottom] = edges.map(|value| limit(value) as i32);
    Parsed {
        rect: Rect {
            left,
            top,
            right,
            bottom,
        },
        clamped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(left: i32, top: i32, right: i32, bottom: i32) -> Option<Rect> {
        Some(Rect {
            left,
            top,
            right,
            bottom,
        })
    }

    /// The rectangle read from `text`, which must need no clamping.
    fn read(text: &str) -> Option<Rect> {
        let parsed = parse_text(text)?;
        assert!(!parsed.clamped, "{text}");
        Some(parsed.rect)
    }

    #[test]
    fn reads_the_uiautomator_and_droidrun_spellings() {
        assert_eq!(read("[0,84][1080,2400]"), r(0, 84, 1080, 2400));
        assert_eq!(read("0, 84, 1080, 2400"), r(0, 84, 1080, 2400));
        assert_eq!(read(" [ 0 , 84 ] [ 1080 , 2400 ] "), r(0, 84, 1080, 2400));
        assert_eq!(read("[-20,0][1100,96]"), r(-20, 0, 1100, 96));
        assert_eq!(read("[0.4,1.6][10.5,20]"), r(0, 2, 11, 20));
        assert_eq!(read("Rect(0, 0 - 1080, 96)"), r(0, 0, 1080, 96));
    }

    #[test]
    fn rejects_anything_but_four_numbers() {
        assert_eq!(read(""), None);
        assert_eq!(read("[0,0][1080]"), None);
        assert_eq!(read("[0,0][1,2][3,4]"), None);
        assert_eq!(read("none"), None);
        assert_eq!(read("[a,b][c,d]"), None);
    }

    #[test]
    fn values_beyond_i32_are_clamped_and_flagged() {
        let clamped = |l, t, r, b| {
            Some(Parsed {
                rect: Rect {
                    left: l,
                    top: t,
                    right: r,
                    bottom: b,
                },
                clamped: true,
            })
        };
        let (min, max) = (i32::MIN, i32::MAX);
        assert_eq!(
            parse_text("[-3000000000,0][3000000000,10]"),
            clamped(min, 0, max, 10)
        );
        assert_eq!(parse_text("[0,0][99999999999,1]"), clamped(0, 0, max, 1));
        let endless = format!("[0,0][1{},1]", "0".repeat(400));
        assert_eq!(parse_text(&endless), clamped(0, 0, max, 1));
        assert_eq!(
            parse_text("[2147483647.6,-2147483648.6][0,0]"),
            clamped(max, min, 0, 0)
        );
        let json = serde_json::json!([[-3000000000i64, 0], [3000000000u64, 10]]);
        assert_eq!(parse_json(&json), clamped(min, 0, max, 10));
        let sides = serde_json::json!({"left": -1e30, "top": 0, "right": 1e30, "bottom": 10});
        assert_eq!(parse_json(&sides), clamped(min, 0, max, 10));
    }

    #[test]
    fn the_i32_limits_and_inverted_bounds_are_kept_as_written() {
        let (min, max) = (i32::MIN, i32::MAX);
        assert_eq!(
            read("[-2147483648,-2147483648][2147483647,2147483647]"),
            r(min, min, max, max)
        );
        assert_eq!(read("[100,50][10,5]"), r(100, 50, 10, 5));
    }

    #[test]
    fn reads_json_forms() {
        let v = |s: &str| serde_json::from_str::<Value>(s).ok();
        let get = |s: &str| v(s).and_then(|x| parse_json(&x)).map(|p| p.rect);
        assert_eq!(get("[[0,84],[1080,2400]]"), r(0, 84, 1080, 2400));
        assert_eq!(get("[0,84,1080,2400]"), r(0, 84, 1080, 2400));
        assert_eq!(get("\"0, 84, 1080, 2400\""), r(0, 84, 1080, 2400));
        assert_eq!(
            get("{\"left\":1,\"top\":2,\"right\":3,\"bottom\":4}"),
            r(1, 2, 3, 4)
        );
        assert_eq!(get("[[0,84],[1080]]"), None);
        assert_eq!(get("[[0,84],[1080,\"x\"]]"), None);
        assert_eq!(get("[[0,84,1],[1080,2400]]"), None);
        assert_eq!(get("null"), None);
        assert_eq!(get("{\"left\":1}"), None);
    }
}
