//! The action inside the model's reply, read leniently and checked strictly.
//!
//! Why lenient: a server that constrains output to JSON still lets a small model write near-JSON
//! (`{"action": "open "Settings""}` with the inner quotes unescaped, a raw newline inside a
//! string), and a model asked for JSON may wrap the object in prose or a code fence, or answer
//! with a bare action line anyway. Each of those still says exactly one action, and throwing
//! it away costs a whole round trip. Why strict after that: what is recovered is only ever one
//! line of the action language, which the caller still parses and validates against the
//! screen; a reply holding two objects, two action lines or an action over several lines is
//! rejected, never guessed at.

use serde_json::Value;

use super::wire::shorten;

/// The action line and the reason in the model's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Answer {
    /// One line of the action language (not yet parsed).
    pub action: String,
    /// The model's reason (may be empty).
    pub reason: String,
    /// The reply was plain text: the reason is its second line, which the caller checks is not
    /// a second action.
    pub plain_text: bool,
}

/// Finds the answer in the model's text: a JSON object (strict, or near-JSON repaired), also
/// inside a code fence or after prose, or else plain text with the action on the first
/// non-empty line and a reason on the second.
pub(crate) fn read_answer(content: &str) -> Result<Answer, String> {
    let text = strip_fence(content.trim());
    let Some(start) = text.find('{') else {
        return plain_answer(text);
    };
    let object = &text[start..];
    let (action, reason) = match strict_object(object)? {
        Some(fields) => fields,
        None => lenient_object(object)?,
    };
    let action = action.trim();
    if action.contains('\n') {
        return Err(format!(
            "the \"action\" field holds more than one line: {}",
            shorten(action, 120)
        ));
    }
    Ok(Answer {
        action: strip_ticks(action).to_owned(),
        reason: shorten(reason.trim(), 200),
        plain_text: false,
    })
}

/// The first non-empty line as the action, the second as the reason.
fn plain_answer(text: &str) -> Result<Answer, String> {
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let action = lines.next().ok_or("the reply is empty")?;
    let reason = lines.next().unwrap_or_default();
    Ok(Answer {
        action: strip_ticks(action).to_owned(),
        reason: shorten(reason, 200),
        plain_text: true,
    })
}

/// The fields of a valid JSON object at the start of `text`; `None` when it is not valid JSON
/// (left to [`lenient_object`]); an error when it is JSON of the wrong shape or followed by
/// another object.
fn strict_object(text: &str) -> Result<Option<(String, String)>, String> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let Some(Ok(value)) = values.next() else {
        return Ok(None);
    };
    let rest = &text[values.byte_offset()..];
    if rest.contains('{') && rest.contains("\"action\"") {
        return Err("the reply holds more than one JSON object".into());
    }
    let action = value.get("action").and_then(Value::as_str).ok_or_else(|| {
        format!(
            "the reply has no string \"action\" field: {}",
            shorten(text, 120)
        )
    })?;
    let reason = value
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(Some((action.to_owned(), reason.to_owned())))
}

/// The `action` and `reason` strings of a near-JSON object: each value runs from its opening
/// quote to the first quote that a JSON object could end a value with (followed by `}` or by
/// `, "key":`), so quotes inside it need no escaping, and raw line breaks are read as escapes.
fn lenient_object(text: &str) -> Result<(String, String), String> {
    let action = lenient_field(text, "action").ok_or_else(|| {
        format!(
            "the reply looks like JSON but is not valid, and no \"action\" string could be read \
             from it: {}",
            shorten(text, 120)
        )
    })?;
    let reason = lenient_field(text, "reason").unwrap_or_default();
    Ok((action, reason))
}

/// The string value of `"key"` in near-JSON `text`, if one can be read.
fn lenient_field(text: &str, key: &str) -> Option<String> {
    let quoted = format!("\"{key}\"");
    let after_key = text.find(&quoted)? + quoted.len();
    let after_colon = text[after_key..].trim_start().strip_prefix(':')?;
    let value = after_colon.trim_start().strip_prefix('"')?;
    let end = value_end(value)?;
    Some(unescape(&value[..end]))
}

/// Where the string value starting at `value` (after its opening quote) ends: the first
/// unescaped quote followed by `}` or by `,` and another `"key":`.
fn value_end(value: &str) -> Option<usize> {
    value.match_indices('"').map(|(at, _)| at).find(|&at| {
        let backslashes = value[..at].chars().rev().take_while(|&c| c == '\\').count();
        if backslashes % 2 == 1 {
            return false;
        }
        let after = value[at + 1..].trim_start();
        if after.starts_with('}') {
            return true;
        }
        let Some(next) = after.strip_prefix(',') else {
            return false;
        };
        let Some(key) = next.trim_start().strip_prefix('"') else {
            return false;
        };
        key.find('"').is_some_and(|close| {
            key[..close]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && key[close + 1..].trim_start().starts_with(':')
        })
    })
}

/// The text of a JSON string body that may hold unescaped quotes and raw control characters.
fn unescape(raw: &str) -> String {
    let mut json = String::with_capacity(raw.len() + 2);
    json.push('"');
    let mut escaped = false;
    for c in raw.chars() {
        match c {
            _ if escaped => {
                json.push(c);
                escaped = false;
            }
            '\\' => {
                json.push(c);
                escaped = true;
            }
            '"' => json.push_str("\\\""),
            '\n' => json.push_str("\\n"),
            '\r' => json.push_str("\\r"),
            '\t' => json.push_str("\\t"),
            c if c.is_control() => {}
            c => json.push(c),
        }
    }
    if escaped {
        json.push('\\');
    }
    json.push('"');
    serde_json::from_str(&json).unwrap_or_else(|_| raw.replace("\\\"", "\""))
}

/// The inside of the first code fence, if `text` has one; else `text`.
fn strip_fence(text: &str) -> &str {
    let Some(open) = text.find("```") else {
        return text;
    };
    let inside = &text[open + 3..];
    // The language tag, if any, runs to the end of the opening line.
    let inside = match inside.find('\n') {
        Some(line_end)
            if inside[..line_end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric()) =>
        {
            &inside[line_end + 1..]
        }
        _ => inside,
    };
    inside
        .find("```")
        .map_or(inside, |close| &inside[..close])
        .trim()
}

fn strip_ticks(line: &str) -> &str {
    line.strip_prefix('`')
        .and_then(|inner| inner.strip_suffix('`'))
        .unwrap_or(line)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(action: &str, reason: &str) -> Result<Answer, String> {
        Ok(Answer {
            action: action.into(),
            reason: reason.into(),
            plain_text: false,
        })
    }

    fn plain(action: &str, reason: &str) -> Result<Answer, String> {
        Ok(Answer {
            action: action.into(),
            reason: reason.into(),
            plain_text: true,
        })
    }

    #[test]
    fn answers_in_json_fenced_json_or_plain_text() {
        assert_eq!(
            read_answer("{\"action\": \"tap 12\", \"reason\": \"open Wi-Fi\"}"),
            answer("tap 12", "open Wi-Fi")
        );
        assert_eq!(
            read_answer(
                "```json\n{\"action\": \"type 4 \\\"{phone_1}\\\"\", \"reason\": \"\"}\n```"
            ),
            answer("type 4 \"{phone_1}\"", "")
        );
        assert_eq!(
            read_answer("\n`back`\nthe dialog is in the way\n"),
            plain("back", "the dialog is in the way")
        );
        assert_eq!(read_answer("  \n "), Err("the reply is empty".into()));
    }

    #[test]
    fn near_json_is_repaired() {
        // Unescaped inner quotes, as small models write under a `json_object` grammar.
        assert_eq!(
            read_answer("{\"action\": \"open \"Settings\"\", \"reason\": \"go \"there\"\"}"),
            answer("open \"Settings\"", "go \"there\"")
        );
        assert_eq!(
            read_answer("{\"action\": \"open \"Settings\"\"}"),
            answer("open \"Settings\"", "")
        );
        // A raw line break inside the reason.
        assert_eq!(
            read_answer("{\"action\": \"tap 3\", \"reason\": \"first line\nsecond\"}"),
            answer("tap 3", "first line\nsecond")
        );
        // Prose around the object, and a fence with text before it.
        assert_eq!(
            read_answer(
                "Sure! Here is my answer: {\"action\": \"back\", \"reason\": \"x\"} Hope it helps."
            ),
            answer("back", "x")
        );
        assert_eq!(
            read_answer("I will tap it.\n```\n{\"action\": \"tap 2\"}\n```"),
            answer("tap 2", "")
        );
        // Keys in another order, with an escaped quote kept.
        assert!(
            read_answer("{\"reason\": \"r\", \"action\": \"type 4 \\\"a\\\"\"\n")
                .unwrap_err()
                .contains("no \"action\" string could be read")
        );
        assert_eq!(
            read_answer("{\"reason\": \"r\", \"action\": \"type 4 \\\"a\\\"\"}"),
            answer("type 4 \"a\"", "r")
        );
    }

    #[test]
    fn anything_but_one_action_is_rejected() {
        assert!(
            read_answer("{\"act\": \"tap 1\"}")
                .unwrap_err()
                .contains("no string \"action\"")
        );
        assert!(
            read_answer("{\"action\": \"tap 1\"")
                .unwrap_err()
                .contains("not valid")
        );
        assert!(
            read_answer("{\"action\": \"tap 1\\ntap 2\"}")
                .unwrap_err()
                .contains("more than one line")
        );
        assert!(
            read_answer("{\"action\": \"tap 1\nback\", \"reason\": \"\"}")
                .unwrap_err()
                .contains("more than one line")
        );
        assert_eq!(
            read_answer("{\"action\": \"tap 1\"} {\"action\": \"tap 2\"}"),
            Err("the reply holds more than one JSON object".into())
        );
        assert!(read_answer("{\"action\": 3}").is_err());
        assert!(read_answer("{}").is_err());
        assert!(read_answer("{{{{").is_err());
    }
}
