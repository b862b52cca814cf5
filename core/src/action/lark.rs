//! The per-screen grammar in llguidance's Lark dialect, for token masks the local planner can
//! afford at every generated token.
//!
//! Why a second dialect: llama.cpp's GBNF sampler checks grammar stacks candidate by candidate,
//! which over Qwen's 151,936-token vocabulary costs as much as a decode step (more with bounded
//! `{0,200}` strings). llguidance computes the same mask by walking a token trie against a lazily
//! built automaton, in a fraction of a millisecond, but reads Lark, not GBNF. The action
//! language has no recursion, so the whole grammar is a regular language: every rule becomes a
//! Lark *terminal* (an upper-case name), and `start` is the one terminal `ROOT`, which llguidance
//! compiles to a single lexeme, its fastest case.
//!
//! The conversion reads only the subset [`grammar_for_screen`](super::grammar_for_screen)
//! writes (one `name ::= body` rule per line; literals, character classes, rule names, groups,
//! alternation, `?`, `*`, `+` and `{m,n}`) and fails on anything else rather than guess. Its
//! tests in the planner's `constraint` module check, through llguidance itself, that both
//! dialects admit the same lines.
//!
//! Why translate the text rather than render one rule tree twice: the GBNF stays the single
//! grammar of record — llama.cpp's own sampler (the `GrammarCheck` fallbacks), the in-repo
//! recognizer and the grammar's tests all read it — and a mechanical GBNF-to-Lark translation is
//! what llguidance's authors provide for llama.cpp grammars too (their `gbnf_to_lark` script),
//! here in Rust so nothing but the library runs on the phone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

/// The Lark rule llguidance starts from.
const START: &str = "start: ROOT";

/// `gbnf`, as written by [`grammar_for_screen`](super::grammar_for_screen), in llguidance's Lark
/// dialect: the same language, every rule a terminal. The error names the offending line.
pub fn gbnf_to_lark(gbnf: &str) -> Result<String, String> {
    let mut lark = String::with_capacity(gbnf.len() * 5 / 4 + START.len() + 1);
    lark.push_str(START);
    lark.push('\n');
    for (index, line) in gbnf.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |why: &str| format!("grammar line {}: {why}: {line}", index + 1);
        let (name, body) = line.split_once(" ::= ").ok_or_else(|| fail("no `::=`"))?;
        if !is_rule_name(name) {
            return Err(fail("not a rule name"));
        }
        let _ = write!(lark, "{}: ", terminal_name(name));
        convert_body(body, &mut lark).map_err(|why| fail(&why))?;
        lark.push('\n');
    }
    Ok(lark)
}

/// `lark` (from [`gbnf_to_lark`] of a step grammar) with each `call NAME {…}` whose action has
/// a schema in `arguments` admitted only with arguments that fit it: llguidance's `%json`,
/// nested after the literal `call NAME `. The GBNF's generic object stays for the actions
/// without one; when none is left, the generic `call` goes. The schemas are taken as given
/// (their `x-guidance` sets how the JSON is spaced). The error names what is missing.
pub fn with_call_arguments(
    lark: &str,
    arguments: &BTreeMap<String, Value>,
) -> Result<String, String> {
    if arguments.is_empty() {
        return Ok(lark.to_owned());
    }
    let mut lines: Vec<String> = lark.lines().map(str::to_owned).collect();
    let names_at = lines
        .iter()
        .position(|line| line.starts_with(CALL_NAMES))
        .ok_or("the grammar has no `call` to constrain")?;
    let names: Vec<String> = lines[names_at][CALL_NAMES.len()..]
        .split(" | ")
        .map(serde_json::from_str::<String>)
        .collect::<Result<_, _>>()
        .map_err(|error| format!("unreadable action name in the grammar: {error}"))?;
    let (fitted, generic): (Vec<&String>, Vec<&String>) = names
        .iter()
        .partition(|name| arguments.contains_key(name.as_str()));
    // `start` takes the other actions (ROOT) only where there are any.
    let mut start = String::from(START);
    if generic.is_empty() {
        let root = lines
            .iter_mut()
            .find(|line| line.starts_with("ROOT: "))
            .ok_or("the grammar has no root")?;
        let kept: Vec<&str> = root["ROOT: ".len()..]
            .split(" | ")
            .filter(|alternative| *alternative != "CALL")
            .collect();
        if kept.is_empty() {
            *root = "ROOT: CALL".into();
            start = "start: ".into();
        } else {
            *root = format!("ROOT: {}", kept.join(" | "));
        }
    } else {
        let literals: Vec<String> = generic
            .iter()
            .map(|name| Value::from(name.as_str()).to_string())
            .collect();
        lines[names_at] = format!("{CALL_NAMES}{}", literals.join(" | "));
    }
    let mut calls = String::new();
    for (index, name) in fitted.iter().enumerate() {
        let _ = write!(
            start,
            "{}call_{index}",
            if start.ends_with(' ') { "" } else { " | " }
        );
        let literal = Value::from(format!("call {name} ")).to_string();
        let _ = writeln!(
            calls,
            "call_{index}: {literal} %json {}",
            arguments[name.as_str()]
        );
    }
    let first = lines
        .first_mut()
        .filter(|line| *line == START)
        .ok_or("the grammar has no start")?;
    *first = start;
    let mut out = lines.join("\n");
    out.push('\n');
    out.push_str(&calls);
    Ok(out)
}

/// The Lark line of the declared action names `call` admits.
const CALL_NAMES: &str = "CALL_NAME: ";

/// Whether `name` is a GBNF rule name of the generator's kind: `[a-z][a-z0-9-]*`.
fn is_rule_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `tap-id` → `TAP_ID`: Lark terminals are upper case.
fn terminal_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// Appends the Lark form of one rule body.
fn convert_body(body: &str, out: &mut String) -> Result<(), String> {
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let text = read_literal(&mut chars)?;
                push_json_string(&text, out);
            }
            '[' => {
                out.push('/');
                out.push('[');
                read_class(&mut chars, out)?;
                out.push('/');
            }
            'a'..='z' => {
                let mut name = String::from(c);
                while let Some(&next) = chars.peek() {
                    if next.is_ascii_lowercase() || next.is_ascii_digit() || next == '-' {
                        name.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(&terminal_name(&name));
            }
            '{' => {
                out.push('{');
                for next in chars.by_ref() {
                    if !(next.is_ascii_digit() || next == ',' || next == '}') {
                        return Err(format!("unexpected `{next}` in a repetition"));
                    }
                    out.push(next);
                    if next == '}' {
                        break;
                    }
                }
            }
            ' ' | '|' | '(' | ')' | '?' | '*' | '+' => out.push(c),
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(())
}

/// Reads a GBNF literal after its opening quote, decoding its escapes.
fn read_literal(chars: &mut impl Iterator<Item = char>) -> Result<String, String> {
    let mut text = String::new();
    loop {
        match chars.next() {
            None => return Err("unterminated literal".into()),
            Some('"') => return Ok(text),
            Some('\\') => text.push(read_escape(chars)?),
            Some(c) => text.push(c),
        }
    }
}

/// Decodes the escape after a backslash: `\"`, `\\`, `\n`, `\r`, `\t`, `\xHH`, `\[`, `\]`, `\-`.
fn read_escape(chars: &mut impl Iterator<Item = char>) -> Result<char, String> {
    match chars.next() {
        Some('n') => Ok('\n'),
        Some('r') => Ok('\r'),
        Some('t') => Ok('\t'),
        Some(c @ ('"' | '\\' | '[' | ']' | '-')) => Ok(c),
        Some('x') => {
            let hex: String = chars.take(2).collect();
            u32::from_str_radix(&hex, 16)
                .ok()
                .filter(|_| hex.len() == 2)
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad escape \\x{hex}"))
        }
        other => Err(format!("unsupported escape {other:?}")),
    }
}

/// Copies a GBNF character class after its `[` as the inside of a regex class, through `]`.
/// Class members are re-escaped for the regex syntax: hex for controls and anything a Rust regex
/// class or Lark's `/…/` would read as syntax.
fn read_class(chars: &mut impl Iterator<Item = char>, out: &mut String) -> Result<(), String> {
    let mut first = true;
    loop {
        let c = chars.next().ok_or("unterminated character class")?;
        match c {
            ']' => {
                out.push(']');
                return Ok(());
            }
            '^' if first => out.push('^'),
            '-' => out.push('-'),
            '\\' => push_class_member(read_escape(chars)?, out),
            c => push_class_member(c, out),
        }
        first = false;
    }
}

/// One class member, escaped where a regex would read it as syntax.
fn push_class_member(c: char, out: &mut String) {
    if c.is_ascii_control() || matches!(c, '\\' | ']' | '[' | '^' | '-' | '&' | '~' | '/') {
        let _ = write!(out, "\\x{:02X}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `text` as a JSON string literal, Lark's string syntax in llguidance (which, unlike JSON,
/// does not admit a raw DEL).
fn push_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_become_terminals_under_one_start_rule() {
        let lark = gbnf_to_lark(
            "root ::= tap | back\ntap ::= \"tap \" tap-id\ntap-id ::= \"1\" | \"12\"\nback ::= \"back\"\n",
        )
        .unwrap();
        assert_eq!(
            lark,
            "start: ROOT\nROOT: TAP | BACK\nTAP: \"tap \" TAP_ID\nTAP_ID: \"1\" | \"12\"\nBACK: \"back\"\n"
        );
    }

    #[test]
    fn literals_are_json_strings_and_classes_are_regexes() {
        let lark = gbnf_to_lark(
            "root ::= \"\\\"\" char{0,5} \"\\\"\" (\" a\\\\b\")?\nchar ::= [^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" [\"\\\\n]\n",
        )
        .unwrap();
        assert_eq!(
            lark,
            "start: ROOT\nROOT: \"\\\"\" CHAR{0,5} \"\\\"\" (\" a\\\\b\")?\n\
             CHAR: /[^\"\\x5C\\x7F\\x00-\\x1F]/ | \"\\\\\" /[\"\\x5Cn]/\n"
        );
    }

    #[test]
    fn controls_and_del_in_literals_are_unicode_escapes() {
        let lark = gbnf_to_lark("root ::= \"a\\x01\\x7Fb\\n\"\n").unwrap();
        assert!(lark.ends_with("ROOT: \"a\\u0001\\u007fb\\n\"\n"), "{lark}");
    }

    #[test]
    fn calls_with_a_schema_become_nested_json_and_the_generic_call_keeps_the_rest() {
        let lark = gbnf_to_lark(
            "root ::= back | call\nback ::= \"back\"\ncall ::= \"call \" call-name \" \" obj\n\
             call-name ::= \"a.one\" | \"b.two\"\nobj ::= \"{}\"\n",
        )
        .unwrap();
        let schema = serde_json::json!({"type": "object"});
        let one = BTreeMap::from([("a.one".to_owned(), schema.clone())]);
        let both = BTreeMap::from([
            ("a.one".to_owned(), schema.clone()),
            ("b.two".to_owned(), schema),
        ]);
        assert_eq!(
            with_call_arguments(&lark, &one).unwrap(),
            "start: ROOT | call_0\nROOT: BACK | CALL\nBACK: \"back\"\n\
             CALL: \"call \" CALL_NAME \" \" OBJ\nCALL_NAME: \"b.two\"\nOBJ: \"{}\"\n\
             call_0: \"call a.one \" %json {\"type\":\"object\"}\n"
        );
        let fitted = with_call_arguments(&lark, &both).unwrap();
        assert!(
            fitted.starts_with("start: ROOT | call_0 | call_1\nROOT: BACK\n"),
            "{fitted}"
        );
        assert_eq!(with_call_arguments(&lark, &BTreeMap::new()).unwrap(), lark);
        // Nothing but calls, each with its schema: ROOT (unused) keeps its generic call.
        let calls_only = lark.replace("ROOT: BACK | CALL", "ROOT: CALL");
        let fitted = with_call_arguments(&calls_only, &both).unwrap();
        assert!(
            fitted.starts_with("start: call_0 | call_1\nROOT: CALL\n"),
            "{fitted}"
        );
        let no_call = gbnf_to_lark("root ::= \"back\"\n").unwrap();
        assert!(with_call_arguments(&no_call, &one).is_err());
    }

    #[test]
    fn anything_outside_the_subset_is_an_error_naming_the_line() {
        for bad in [
            "root := \"a\"",
            "Root ::= \"a\"",
            "root ::= \"a",
            "root ::= [a-z",
            "root ::= \"a\" ; \"b\"",
            "root ::= \"\\q\"",
            "root ::= \"a\"{1,x}",
        ] {
            let error = gbnf_to_lark(bad).unwrap_err();
            assert!(error.starts_with("grammar line 1"), "{bad}: {error}");
        }
    }
}
