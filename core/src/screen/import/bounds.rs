//! Reading node bounds, leniently, from every spelling the dump formats use.
//!
//! uiautomator and Appium write `[l,t][r,b]`, DroidRun `l, t, r, b`, DroidBot `[[l,t],[r,b]]`,
//! and hand-edited or converted dumps add spaces, fractions or other brackets. All of them are
//! "four numbers in order", so that is what is read: exactly four numbers, whatever separates
//! them. Anything else is unreadable and the node keeps unknown bounds (the caller counts it).

use serde_json::Value;

use super::super::Rect;

/// Reads `[l,t][r,b]`, `l, t, r, b` and similar: exactly four numbers (integers or fractions,
/// optionally negative) in order left, top, right, bottom. `None` when there are not exactly
/// four. Values beyond `i32` saturate.
pub(super) fn parse_text(text: &str) -> Option<Rect> {
    let bytes = text.as_bytes();
    let mut numbers = [0i32; 4];
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
        numbers[found] = to_i32(text.get(start..i)?.parse::<f64>().ok()?);
        found += 1;
    }
    (found == 4).then(|| rect(numbers))
}

/// Reads bounds from a JSON value: `[[l,t],[r,b]]`, `[l,t,r,b]`, a string in any form
/// [`parse_text`] reads, or `{"left","top","right","bottom"}`.
pub(super) fn parse_json(value: &Value) -> Option<Rect> {
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
                [Some(l), Some(t), Some(r), Some(b)] => {
                    Some(rect([to_i32(*l), to_i32(*t), to_i32(*r), to_i32(*b)]))
                }
                _ => None,
            }
        }
        Value::Object(map) => {
            let side = |name: &str| map.get(name).and_then(Value::as_f64).map(to_i32);
            Some(Rect {
                left: side("left")?,
                top: side("top")?,
                right: side("right")?,
                bottom: side("bottom")?,
            })
        }
        _ => None,
    }
}

/// Whether `rect` has no area (the platform's "empty": right <= left or bottom <= top).
pub(super) fn is_empty(rect: &Rect) -> bool {
    rect.right <= rect.left || rect.bottom <= rect.top
}

/// Area of `rect` in square pixels; 0 when empty.
pub(super) fn area(rect: &Rect) -> u64 {
    if is_empty(rect) {
        return 0;
    }
    let width = i64::from(rect.right) - i64::from(rect.left);
    let height = i64::from(rect.bottom) - i64::from(rect.top);
    u64::try_from(width.saturating_mul(height)).unwrap_or(0)
}

fn rect([left, top, right, bottom]: [i32; 4]) -> Rect {
    Rect {
        left,
        top,
        right,
        bottom,
    }
}

fn to_i32(value: f64) -> i32 {
    // `as` saturates at the i32 range and maps NaN to 0, which is what lenient reading wants.
    value.round() as i32
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

    #[test]
    fn reads_the_uiautomator_and_droidrun_spellings() {
        assert_eq!(parse_text("[0,84][1080,2400]"), r(0, 84, 1080, 2400));
        assert_eq!(parse_text("0, 84, 1080, 2400"), r(0, 84, 1080, 2400));
        assert_eq!(
            parse_text(" [ 0 , 84 ] [ 1080 , 2400 ] "),
            r(0, 84, 1080, 2400)
        );
        assert_eq!(parse_text("[-20,0][1100,96]"), r(-20, 0, 1100, 96));
        assert_eq!(parse_text("[0.4,1.6][10.5,20]"), r(0, 2, 11, 20));
        assert_eq!(parse_text("Rect(0, 0 - 1080, 96)"), r(0, 0, 1080, 96));
    }

    #[test]
    fn rejects_anything_but_four_numbers() {
        assert_eq!(parse_text(""), None);
        assert_eq!(parse_text("[0,0][1080]"), None);
        assert_eq!(parse_text("[0,0][1,2][3,4]"), None);
        assert_eq!(parse_text("none"), None);
        assert_eq!(parse_text("[a,b][c,d]"), None);
    }

    #[test]
    fn huge_values_saturate() {
        assert_eq!(parse_text("[0,0][99999999999,1]"), r(0, 0, i32::MAX, 1));
    }

    #[test]
    fn reads_json_forms() {
        let v = |s: &str| serde_json::from_str::<Value>(s).ok();
        let get = |s: &str| v(s).and_then(|x| parse_json(&x));
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

    #[test]
    fn empty_and_area() {
        let zero = Rect::default();
        assert!(is_empty(&zero));
        assert_eq!(area(&zero), 0);
        let inverted = Rect {
            left: 10,
            top: 0,
            right: 5,
            bottom: 10,
        };
        assert!(is_empty(&inverted));
        let full = Rect {
            left: 0,
            top: 0,
            right: 1080,
            bottom: 2400,
        };
        assert!(!is_empty(&full));
        assert_eq!(area(&full), 1080 * 2400);
    }
}
