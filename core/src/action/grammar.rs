//! The per-screen GBNF grammar that constrains the local model's decoding to valid actions.
//!
//! Why per screen: a 0.5B model asked to "tap the Send button" will happily write `tap 31` when
//! the screen has ids 1–30, or `type 4 "hi"` where 4 is a button. Regenerating the grammar for
//! each step from the screen's [`Element`]s makes such lines impossible to sample: `tap` admits
//! only tappable ids, `type` only editable ones, `scroll ID DIR` only scrollable ids along their
//! axes. Every string is length-capped with bounded repetition (`{0,200}`) and nothing recurses,
//! so decoding always terminates. A category with nothing in it (no editable element, no
//! installed app) is left out entirely, because llama.cpp rejects empty rules.
//!
//! The output is llama.cpp GBNF: one rule per line, `name ::= body`, rule names of `[a-z0-9-]`,
//! literals in double quotes, character classes, groups, `?` and `{m,n}`; nothing else. The
//! grammar has no trailing newline: generation ends at the end-of-sequence token once `root` is
//! complete.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::syntax::quote;
use super::{Direction, MAX_COORDINATE, MAX_SWIPE_MS, ParamKind, ToolSet};
use crate::screen::{Element, ElementId};

/// Longest text `type` admits, in characters.
pub const MAX_TYPED_CHARS: usize = 200;
/// Longest answer `done` admits, in characters.
pub const MAX_ANSWER_CHARS: usize = 200;
/// Longest question `ask` admits, in characters.
pub const MAX_QUESTION_CHARS: usize = 120;
/// Longest reason `fail` admits, in characters.
pub const MAX_REASON_CHARS: usize = 120;
/// Longest app name `open` admits when the installed apps are unknown, in characters.
pub const MAX_APP_NAME_CHARS: usize = 64;
/// Longest `wait` the grammar admits, in seconds (the parser accepts up to
/// [`MAX_WAIT_SECONDS`](super::MAX_WAIT_SECONDS)).
pub const GRAMMAR_MAX_WAIT_SECONDS: u32 = 10;

const MAX_JSON_MEMBERS: usize = 8;
const MAX_JSON_ARRAY_ITEMS: usize = 8;
const MAX_JSON_STRING_CHARS: usize = 100;

/// What the grammar (and [`validate`](super::validate)) admits beyond the screen's elements.
///
/// The default is the most restrictive: any app name for `open`, no app actions, and no `ask`,
/// `intent` or `swipe`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrammarContext {
    /// Labels of the installed apps `open` may launch; `None` when unknown, which admits any
    /// quoted name. `Some` of an empty list leaves `open` out.
    pub installed_apps: Option<Vec<String>>,
    /// Names of the app actions the host declared for `call`; empty leaves `call` out. Names that
    /// are not `[a-z][a-z0-9_.]*` are ignored.
    pub app_actions: Vec<String>,
    /// The JSON Schema of each declared action's arguments, by action name. The GBNF admits any
    /// small object after `call NAME`; the local planner's token masks fill the object under
    /// its action's schema instead ([`with_call_arguments`](super::with_call_arguments)), and
    /// the loop checks the arguments against it again before the call. An action without an
    /// entry keeps the GBNF's object.
    pub app_action_arguments: BTreeMap<String, serde_json::Value>,
    /// Admit `ask "…"` (a user is there to answer).
    pub allow_ask: bool,
    /// Admit `intent …` from the catalog.
    pub allow_intents: bool,
    /// The catalog tools `intent` admits when [`allow_intents`](Self::allow_intents) is set:
    /// those the phone can run (the default admits all).
    pub tools: ToolSet,
    /// Admit `swipe` by raw coordinates.
    pub allow_swipe: bool,
}

/// The GBNF grammar admitting exactly the actions valid on a screen with `elements`, under
/// `context`. Every line it derives parses with [`parse_action`](super::parse_action) and passes
/// [`validate`](super::validate) with the same elements and context.
pub fn grammar_for_screen(elements: &[Element], context: &GrammarContext) -> String {
    let mut grammar = Grammar::default();
    let mut root = Vec::new();
    let ids = |accepts: &dyn Fn(&Element) -> bool| -> BTreeSet<ElementId> {
        elements
            .iter()
            .filter(|e| accepts(e))
            .map(|e| e.id)
            .collect()
    };

    let tappable = ids(&|e| e.affordances.tap);
    if !tappable.is_empty() {
        let id = grammar.id_rule("tap-id", &tappable);
        root.push(grammar.define("tap", format!("\"tap \" {id}")));
    }
    let long_pressable = ids(&|e| e.affordances.long_press);
    if !long_pressable.is_empty() {
        let id = grammar.id_rule("long-press-id", &long_pressable);
        root.push(grammar.define("long-press", format!("\"long_press \" {id}")));
    }
    let editable = ids(&|e| e.affordances.edit);
    if !editable.is_empty() {
        let id = grammar.id_rule("type-id", &editable);
        let text = grammar.quoted(0, MAX_TYPED_CHARS);
        let body = format!("\"type \" {id} \" \" {text} (\" clear\")? (\" enter\")?");
        root.push(grammar.define("type", body));
    }
    root.push(scroll_rule(&mut grammar, elements));
    if context.allow_swipe {
        let coordinate = grammar.define("coordinate", number_range(0, MAX_COORDINATE));
        let duration = grammar.define("swipe-ms", number_range(1, MAX_SWIPE_MS));
        let body = format!(
            "\"swipe \" {coordinate} \" \" {coordinate} \" \" {coordinate} \" \" {coordinate} \
             (\" \" {duration})?"
        );
        root.push(grammar.define("swipe", body));
    }
    for key in ["back", "home", "recents", "notifications"] {
        root.push(grammar.define(key, gbnf_literal(key)));
    }
    if let Some(open) = open_rule(&mut grammar, context.installed_apps.as_deref()) {
        root.push(open);
    }
    let seconds = grammar.define("wait-seconds", number_range(1, GRAMMAR_MAX_WAIT_SECONDS));
    root.push(grammar.define("wait", format!("\"wait \" {seconds}")));
    if context.allow_ask {
        let question = grammar.quoted(1, MAX_QUESTION_CHARS);
        root.push(grammar.define("ask", format!("\"ask \" {question}")));
        let reason = grammar.quoted(1, MAX_REASON_CHARS);
        root.push(grammar.define("takeover", format!("\"takeover \" {reason}")));
    }
    let answer = grammar.quoted(0, MAX_ANSWER_CHARS);
    root.push(grammar.define("done", format!("\"done\" (\" \" {answer})?")));
    let reason = grammar.quoted(1, MAX_REASON_CHARS);
    root.push(grammar.define("fail", format!("\"fail \" {reason}")));
    if let Some(call) = call_rule(&mut grammar, &context.app_actions) {
        root.push(call);
    }
    if context.allow_intents && !context.tools.is_empty() {
        root.push(intent_rule(&mut grammar, context.tools));
    }
    grammar.render(&root)
}

/// `scroll DIR` for the screen, always; `scroll ID DIR` for scrollable elements along their axes.
fn scroll_rule(grammar: &mut Grammar, elements: &[Element]) -> String {
    let direction = grammar.define(
        "direction",
        alternatives(Direction::ALL.map(|d| d.as_str())),
    );
    let mut targets = vec![direction.clone()];
    let groups = [
        ("scroll-id-vertical", true, false, "(\"up\" | \"down\")"),
        (
            "scroll-id-horizontal",
            false,
            true,
            "(\"left\" | \"right\")",
        ),
        ("scroll-id-both", true, true, direction.as_str()),
    ];
    for (name, vertical, horizontal, directions) in groups {
        let ids: BTreeSet<ElementId> = elements
            .iter()
            .filter(|e| {
                e.affordances.scroll.is_some_and(|axes| {
                    axes.allows(true) == vertical && axes.allows(false) == horizontal
                })
            })
            .map(|e| e.id)
            .collect();
        if !ids.is_empty() {
            let id = grammar.id_rule(name, &ids);
            targets.push(format!("{id} \" \" {directions}"));
        }
    }
    let body = format!("\"scroll \" ({})", targets.join(" | "));
    grammar.define("scroll", body)
}

/// `open "NAME"`: the installed names, or any name when unknown; `None` when none is installed.
fn open_rule(grammar: &mut Grammar, installed_apps: Option<&[String]>) -> Option<String> {
    let app = match installed_apps {
        None => grammar.quoted(1, MAX_APP_NAME_CHARS),
        Some(names) => {
            let names: BTreeSet<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|n| !n.is_empty())
                .collect();
            if names.is_empty() {
                return None;
            }
            let quoted: Vec<String> = names
                .iter()
                .map(|name| gbnf_literal(&quote(name)))
                .collect();
            grammar.define("app-name", quoted.join(" | "))
        }
    };
    Some(grammar.define("open", format!("\"open \" {app}")))
}

/// `call NAME {…}` for the declared app actions; `None` when none is declared.
fn call_rule(grammar: &mut Grammar, app_actions: &[String]) -> Option<String> {
    let names: BTreeSet<&str> = app_actions
        .iter()
        .map(String::as_str)
        .filter(|name| is_app_action_name(name))
        .collect();
    if names.is_empty() {
        return None;
    }
    let name = grammar.define("call-name", alternatives(names));
    let object = json_object_rule(grammar);
    Some(grammar.define("call", format!("\"call \" {name} \" \" {object}")))
}

/// Whether `name` is `[a-z][a-z0-9_.]*`, the syntax of app action names.
fn is_app_action_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

/// A compact JSON object, depth two at most (scalar members or arrays of scalars), bounded in
/// members, items and string lengths. No `\u` escapes, which could encode lone surrogates.
fn json_object_rule(grammar: &mut Grammar) -> String {
    grammar.define(
        "json-char",
        r#"[^"\\\x7F\x00-\x1F] | "\\" ["\\/bfnrt]"#.into(),
    );
    let string = grammar.define(
        "json-string",
        format!("\"\\\"\" json-char{{0,{MAX_JSON_STRING_CHARS}}} \"\\\"\""),
    );
    let number = grammar.define(
        "json-number",
        r#""-"? ("0" | [1-9] [0-9]{0,14}) ("." [0-9]{1,6})?"#.into(),
    );
    let scalar = grammar.define(
        "json-scalar",
        format!("{string} | {number} | \"true\" | \"false\" | \"null\""),
    );
    let value = grammar.define(
        "json-value",
        format!(
            "{scalar} | \"[\" ({scalar} (\",\" {scalar}){{0,{}}})? \"]\"",
            MAX_JSON_ARRAY_ITEMS - 1
        ),
    );
    let member = grammar.define("json-member", format!("{string} \":\" {value}"));
    grammar.define(
        "json-object",
        format!(
            "\"{{\" ({member} (\",\" {member}){{0,{}}})? \"}}\"",
            MAX_JSON_MEMBERS - 1
        ),
    )
}

/// `intent NAME key=value…` for every catalog entry, keys in declared order.
fn intent_rule(grammar: &mut Grammar, tools: ToolSet) -> String {
    let mut entries = Vec::new();
    for kind in tools.iter() {
        let mut body = gbnf_literal(kind.name());
        for param in kind.params() {
            let value = param_value_rule(grammar, param.kind);
            let pair = format!("{} {value}", gbnf_literal(&format!(" {}=", param.key)));
            if param.required {
                let _ = write!(body, " {pair}");
            } else {
                let _ = write!(body, " ({pair})?");
            }
        }
        let name = format!("intent-{}", kind.name().replace('_', "-"));
        entries.push(grammar.define(&name, body));
    }
    grammar.define("intent", format!("\"intent \" ({})", entries.join(" | ")))
}

fn param_value_rule(grammar: &mut Grammar, kind: ParamKind) -> String {
    match kind {
        ParamKind::Int { min, max } => {
            grammar.define(&format!("int-{min}-{max}"), number_range(min, max))
        }
        ParamKind::Text { max_chars } => grammar.quoted(1, max_chars),
        ParamKind::PhoneNumber => {
            grammar.define("phone-number", r#""\"" "+"? [0-9]{3,15} "\"""#.into())
        }
        ParamKind::Email => grammar.define(
            "email",
            r#""\"" [-a-zA-Z0-9._%+]{1,64} "@" [-a-zA-Z0-9.]{1,100} "\"""#.into(),
        ),
        // Printable ASCII other than space, `"` and `\`.
        ParamKind::Url => grammar.define(
            "url",
            r#""\"" ("https://" | "http://") [!#-\x5B\x5D-~]{1,200} "\"""#.into(),
        ),
        ParamKind::DateTime => date_time_rule(grammar),
        ParamKind::SettingsPage => {
            let words = super::SettingsPage::ALL.map(|page| page.word());
            grammar.define("settings-page", alternatives(words))
        }
        ParamKind::Choice(choice) => grammar.define(
            &format!("choice-{}", choice.words().join("-")),
            alternatives(choice.words().iter().copied()),
        ),
        // A scheme, then printable ASCII other than space, `"` and `\`; the refused schemes
        // are caught when the line is read.
        ParamKind::Link => grammar.define(
            "link",
            r#""\"" [a-zA-Z] [a-zA-Z0-9+.-]{0,20} ":" [!#-\x5B\x5D-~]{1,200} "\"""#.into(),
        ),
    }
}

/// `"YYYY-MM-DDTHH:MM"` for real dates of the years 2000–2099, leap days included.
fn date_time_rule(grammar: &mut Grammar) -> String {
    grammar.define("day-28", r#""0" [1-9] | "1" [0-9] | "2" [0-8]"#.into());
    grammar.define("day-30", r#"day-28 | "29" | "30""#.into());
    grammar.define("day-31", r#"day-30 | "31""#.into());
    grammar.define(
        "month-day",
        r#"("01" | "03" | "05" | "07" | "08" | "10" | "12") "-" day-31 | ("04" | "06" | "09" | "11") "-" day-30 | "02-" day-28"#
            .into(),
    );
    grammar.define("leap-year", r#"[02468] [048] | [13579] [26]"#.into());
    grammar.define(
        "date",
        r#""20" [0-9] [0-9] "-" month-day | "20" leap-year "-02-29""#.into(),
    );
    grammar.define("time", r#"([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9]"#.into());
    grammar.define("date-time", r#""\"" date "T" time "\"""#.into())
}

/// Rules in definition order, each defined once.
#[derive(Default)]
struct Grammar {
    rules: Vec<(String, String)>,
}

impl Grammar {
    /// Defines `name ::= body` unless already defined; returns `name`.
    fn define(&mut self, name: &str, body: String) -> String {
        if !self.rules.iter().any(|(defined, _)| defined == name) {
            self.rules.push((name.to_string(), body));
        }
        name.to_string()
    }

    /// A rule admitting exactly `ids` (non-empty).
    fn id_rule(&mut self, name: &str, ids: &BTreeSet<ElementId>) -> String {
        let literals: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
        self.define(name, literals.join(" | "))
    }

    /// A quoted string of the syntax with `min..=max` characters (an escape counts as one).
    fn quoted(&mut self, min: usize, max: usize) -> String {
        self.define("char", r#"[^"\\\x7F\x00-\x1F] | "\\" ["\\n]"#.into());
        self.define(
            &format!("quoted-{min}-{max}"),
            format!(r#""\"" char{{{min},{max}}} "\"""#),
        )
    }

    fn render(&self, root: &[String]) -> String {
        let mut out = format!("root ::= {}\n", root.join(" | "));
        for (name, body) in &self.rules {
            let _ = writeln!(out, "{name} ::= {body}");
        }
        out
    }
}

/// `"a" | "b" | …` of literal words.
fn alternatives<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let literals: Vec<String> = words.into_iter().map(gbnf_literal).collect();
    literals.join(" | ")
}

/// `text` as a GBNF string literal.
fn gbnf_literal(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('"');
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\t' => literal.push_str("\\t"),
            c if c < ' ' || c == '\x7f' => {
                let _ = write!(literal, "\\x{:02X}", u32::from(c));
            }
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

/// A GBNF expression admitting exactly the decimals `lo..=hi`, without leading zeros.
fn number_range(lo: u32, hi: u32) -> String {
    let mut alternatives = Vec::new();
    let (lo_len, hi_len) = (lo.to_string().len(), hi.to_string().len());
    for len in lo_len..=hi_len {
        let shortest = if len == 1 {
            0
        } else {
            10u64.pow(len as u32 - 1)
        };
        let longest = 10u64.pow(len as u32) - 1;
        let (from, to) = (u64::from(lo).max(shortest), u64::from(hi).min(longest));
        if from <= to {
            let (from, to) = (from.to_string(), to.to_string());
            alternatives.extend(same_length_range(from.as_bytes(), to.as_bytes()));
        }
    }
    alternatives.join(" | ")
}

/// Sequences admitting the digit strings `lo..=hi`, both of the same length.
fn same_length_range(lo: &[u8], hi: &[u8]) -> Vec<String> {
    let (Some((&l, lo_rest)), Some((&h, hi_rest))) = (lo.split_first(), hi.split_first()) else {
        return Vec::new();
    };
    if lo_rest.is_empty() {
        return vec![digit_class(l, h)];
    }
    let prefixed = |first: u8, rests: Vec<String>| -> Vec<String> {
        rests
            .into_iter()
            .map(|rest| format!("{} {rest}", digit_class(first, first)))
            .collect()
    };
    if l == h {
        return prefixed(l, same_length_range(lo_rest, hi_rest));
    }
    let width = lo_rest.len();
    let mut sequences = Vec::new();
    let mut full_from = l;
    if lo_rest.iter().any(|&d| d != b'0') {
        sequences.extend(prefixed(l, same_length_range(lo_rest, &vec![b'9'; width])));
        full_from = l + 1;
    }
    let mut full_to = h;
    let mut tail = Vec::new();
    if hi_rest.iter().any(|&d| d != b'9') {
        tail = prefixed(h, same_length_range(&vec![b'0'; width], hi_rest));
        full_to = h - 1;
    }
    if full_from <= full_to {
        let any = if width == 1 {
            "[0-9]".to_string()
        } else {
            format!("[0-9]{{{width}}}")
        };
        sequences.push(format!("{} {any}", digit_class(full_from, full_to)));
    }
    sequences.extend(tail);
    sequences
}

fn digit_class(from: u8, to: u8) -> String {
    if from == to {
        format!("\"{}\"", char::from(from))
    } else {
        format!("[{}-{}]", char::from(from), char::from(to))
    }
}

#[cfg(test)]
mod tests {
    use super::super::gbnf_check::CheckedGrammar;
    use super::*;

    #[test]
    fn number_ranges_are_exact() {
        let ranges = [
            (0, 9),
            (1, 10),
            (0, 23),
            (0, 59),
            (1, 86_400),
            (0, 9_999),
            (7, 7),
            (95, 1_005),
        ];
        for (lo, hi) in ranges {
            let text = format!("root ::= {}\n", number_range(lo, hi));
            let grammar = CheckedGrammar::parse(&text).unwrap();
            for n in 0..=100_000u32 {
                if n > hi + 20 && n % 97 != 0 {
                    continue;
                }
                let expected = (lo..=hi).contains(&n);
                assert_eq!(
                    grammar.derives(&n.to_string()),
                    expected,
                    "{n} in {lo}..={hi}: {text}"
                );
            }
            assert!(
                !grammar.derives(&format!("0{lo}")),
                "leading zero in {text}"
            );
        }
    }

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(gbnf_literal("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\x01""#);
        assert_eq!(gbnf_literal("微信"), "\"微信\"");
        assert_eq!(
            gbnf_literal(&quote("say \"hi\"")),
            r#""\"say \\\"hi\\\"\"""#
        );
    }

    #[test]
    fn empty_categories_are_left_out() {
        let grammar = grammar_for_screen(
            &[],
            &GrammarContext {
                installed_apps: Some(vec![]),
                ..Default::default()
            },
        );
        for absent in [
            "tap",
            "long-press",
            "type",
            "open",
            "ask",
            "call",
            "intent",
            "swipe",
        ] {
            assert!(
                !grammar.contains(&format!("\n{absent} ::=")),
                "{absent} in {grammar}"
            );
        }
        assert!(
            grammar.starts_with("root ::= scroll | back | home"),
            "{grammar}"
        );
        assert!(CheckedGrammar::parse(&grammar).is_ok());
    }

    #[test]
    fn rule_names_use_only_llama_cpp_name_characters() {
        let context = GrammarContext {
            installed_apps: None,
            app_actions: vec!["send_message".into()],
            app_action_arguments: Default::default(),
            allow_ask: true,
            allow_intents: true,
            allow_swipe: true,
            tools: crate::action::ToolSet::ALL,
        };
        let grammar = grammar_for_screen(&[], &context);
        for line in grammar.lines() {
            let name = line.split(" ::= ").next().unwrap_or("");
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{line}"
            );
        }
    }
}
