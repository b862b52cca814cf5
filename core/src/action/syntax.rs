//! The text syntax of actions: printing an [`Action`] as its one line (`Display`) and reading a
//! line back ([`parse_action`]).
//!
//! Why hand-written and strict: the grammar already confines the local model to valid lines, so
//! the parser mostly sees lines from planners that decode without a grammar, and from people
//! writing tests and scripts. For them an error must say exactly where and what was expected
//! (`expected an element id after "tap", found "x" at column 5`) so the planner can be re-prompted
//! with it; and the parser must never panic, whatever bytes it gets. Tokens are separated by
//! exactly one space; only whitespace around the whole line (such as the trailing newline) is
//! forgiven.
//!
//! | Action | Text |
//! |---|---|
//! | tap | `tap 12` |
//! | long press | `long_press 12` |
//! | type | `type 7 "hello"`, `type 7 "hello" clear enter` (flags optional, in this order) |
//! | scroll | `scroll 3 down` (element), `scroll down` (screen); `up`/`down`/`left`/`right` |
//! | swipe | `swipe 540 1600 540 400`, `swipe 540 1600 540 400 300` (duration in ms) |
//! | keys | `back`, `home`, `recents`, `notifications` |
//! | open app | `open "WeChat"` |
//! | wait | `wait 2` (seconds) |
//! | ask user | `ask "Which Mom?"` |
//! | done | `done`, `done "It is 21°C"` |
//! | fail | `fail "No Wi-Fi settings found"` |
//! | app action | `call send_message {"to":"Mom","text":"hi"}` (a JSON object, to the end of line) |
//! | intent | `intent set_alarm hour=7 minute=30 label="Gym"` (keys in declared order) |
//!
//! Strings are double-quoted with three escapes, `\"`, `\\` and `\n`; any other character,
//! Chinese included, is written as itself. Numbers are unsigned decimals.

use std::fmt;

use serde_json::Value;

use super::{Action, Direction, Intent, IntentArg, IntentKind, LocalDateTime, ParamKind, Point};
use super::{Param, SettingsPage};

/// The longest `wait` the parser accepts, in seconds (the grammar admits less, see
/// [`GRAMMAR_MAX_WAIT_SECONDS`](super::GRAMMAR_MAX_WAIT_SECONDS)).
pub const MAX_WAIT_SECONDS: u32 = 60;
/// The largest swipe coordinate the parser accepts, in pixels.
pub const MAX_COORDINATE: u32 = 9_999;
/// The longest swipe duration the parser accepts, in milliseconds.
pub const MAX_SWIPE_MS: u32 = 10_000;

/// Why a line is not an action, and where (1-based column, counted in characters of the line as
/// given, leading whitespace included).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at column {column}")]
pub struct ParseError {
    /// The 1-based column (in characters) where the problem starts.
    pub column: usize,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

/// What is wrong with a line. `found` fields hold the offending text already quoted, or
/// `end of line`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// The line is empty or only whitespace.
    #[error("empty line, expected an action")]
    Empty,
    /// The line does not start with a known verb.
    #[error(
        "unknown action {found} (expected tap, long_press, type, scroll, swipe, back, home, \
         recents, notifications, open, wait, ask, done, fail, call or intent)"
    )]
    UnknownVerb {
        /// The first word of the line, quoted.
        found: String,
    },
    /// Something else was expected here.
    #[error("expected {expected} after {after:?}, found {found}")]
    Expected {
        /// What would have been valid.
        expected: String,
        /// The line up to here (shortened).
        after: String,
        /// What is there instead.
        found: String,
    },
    /// The action is complete but the line goes on.
    #[error("unexpected {found} after the complete action {after:?}")]
    TrailingInput {
        /// The complete action (shortened).
        after: String,
        /// What follows it.
        found: String,
    },
    /// A string has no closing quote (the column is its opening quote).
    #[error("unterminated string")]
    UnterminatedString,
    /// A backslash in a string is followed by something other than `"`, `\` or `n`.
    #[error("invalid escape {found} in a string (use \\\", \\\\ or \\n)")]
    InvalidEscape {
        /// The escape as written, quoted.
        found: String,
    },
    /// A number is outside its range.
    #[error("{value} is out of range for {what} ({min}..={max})")]
    OutOfRange {
        /// What the number is.
        what: String,
        /// The digits as written.
        value: String,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// A value has the right shape but is not acceptable (an empty app name, a non-http URL).
    #[error("invalid {what}: {reason}")]
    InvalidValue {
        /// What the value is.
        what: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The arguments of `call` are not a JSON object.
    #[error("invalid JSON object: {message}")]
    InvalidJson {
        /// serde_json's description.
        message: String,
    },
}

/// Reads one action from `line`.
///
/// Whitespace around the line (a trailing newline) is ignored; anything else that does not
/// follow the syntax is an error with its column. Never panics.
pub fn parse_action(line: &str) -> Result<Action, ParseError> {
    let end = line.trim_end().len();
    let start = line.len() - line.trim_start().len();
    if start >= end {
        return Err(ParseError {
            column: 1,
            kind: ParseErrorKind::Empty,
        });
    }
    let mut parser = Parser {
        line,
        start,
        pos: start,
        end,
    };
    let action = parser.action()?;
    parser.finish()?;
    Ok(action)
}

/// Writes `text` as a quoted string of the syntax (`"say \"hi\""`).
pub(crate) fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A cursor over one line. `pos` and `end` are byte offsets on char boundaries; `start` is where
/// the action begins (after leading whitespace).
struct Parser<'a> {
    line: &'a str,
    start: usize,
    pos: usize,
    end: usize,
}

impl<'a> Parser<'a> {
    fn action(&mut self) -> Result<Action, ParseError> {
        let verb_at = self.pos;
        let verb = self.word();
        match verb {
            "tap" => Ok(Action::Tap {
                id: self.element_id()?,
            }),
            "long_press" => Ok(Action::LongPress {
                id: self.element_id()?,
            }),
            "type" => self.type_action(),
            "scroll" => self.scroll(),
            "swipe" => self.swipe(),
            "back" => Ok(Action::Back),
            "home" => Ok(Action::Home),
            "recents" => Ok(Action::Recents),
            "notifications" => Ok(Action::Notifications),
            "open" => self.open_app(),
            "wait" => {
                let what = "a number of seconds";
                self.space(what)?;
                Ok(Action::Wait {
                    seconds: self.number(what, 1, MAX_WAIT_SECONDS)?,
                })
            }
            "ask" => Ok(Action::Ask {
                question: self.space_and_quoted("a quoted question")?,
            }),
            "takeover" => Ok(Action::Takeover {
                reason: self.space_and_quoted("a quoted reason for the user")?,
            }),
            "done" if self.rest().is_empty() => Ok(Action::Done {
                answer: String::new(),
            }),
            "done" => Ok(Action::Done {
                answer: self.space_and_quoted("a quoted answer or end of line")?,
            }),
            "fail" => Ok(Action::Fail {
                reason: self.space_and_quoted("a quoted reason")?,
            }),
            "call" => self.call(),
            "intent" => self.intent(),
            _ => {
                self.pos = verb_at;
                Err(self.error_at(
                    verb_at,
                    ParseErrorKind::UnknownVerb {
                        found: self.found(),
                    },
                ))
            }
        }
    }

    fn element_id(&mut self) -> Result<u32, ParseError> {
        let what = "an element id";
        self.space(what)?;
        self.number(what, 0, u32::MAX)
    }

    fn type_action(&mut self) -> Result<Action, ParseError> {
        let id = self.element_id()?;
        let text = self.space_and_quoted("a quoted text to type")?;
        let clear = self.flag("clear");
        let enter = self.flag("enter");
        if !self.rest().is_empty() {
            return Err(self.expected_next("\"clear\", \"enter\" (in that order) or end of line"));
        }
        Ok(Action::Type {
            id,
            text,
            clear,
            enter,
        })
    }

    fn scroll(&mut self) -> Result<Action, ParseError> {
        let direction_words = "a direction (up, down, left or right)";
        self.space("an element id or a direction")?;
        let target = if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            let id = self.number("an element id", 0, u32::MAX)?;
            self.space(direction_words)?;
            Some(id)
        } else {
            None
        };
        let expected = if target.is_some() {
            direction_words
        } else {
            "an element id or a direction (up, down, left or right)"
        };
        let at = self.pos;
        match Direction::from_word(self.word()) {
            Some(direction) => Ok(Action::Scroll { target, direction }),
            None => {
                self.pos = at;
                Err(self.expected(expected))
            }
        }
    }

    fn swipe(&mut self) -> Result<Action, ParseError> {
        let coordinate = |parser: &mut Self, what: &str| {
            parser.space(what)?;
            parser.number(what, 0, MAX_COORDINATE)
        };
        let from = Point {
            x: coordinate(self, "the start x coordinate")?,
            y: coordinate(self, "the start y coordinate")?,
        };
        let to = Point {
            x: coordinate(self, "the end x coordinate")?,
            y: coordinate(self, "the end y coordinate")?,
        };
        let duration_ms = if self.rest().is_empty() {
            None
        } else {
            let what = "a duration in milliseconds";
            self.space(what)?;
            Some(self.number(what, 1, MAX_SWIPE_MS)?)
        };
        Ok(Action::Swipe {
            from,
            to,
            duration_ms,
        })
    }

    fn open_app(&mut self) -> Result<Action, ParseError> {
        let what = "a quoted app name";
        self.space(what)?;
        let at = self.pos;
        let name = self.quoted(what)?;
        if name.is_empty() {
            return Err(self.error_at(
                at,
                ParseErrorKind::InvalidValue {
                    what: "app name".into(),
                    reason: "must not be empty".into(),
                },
            ));
        }
        Ok(Action::OpenApp { name })
    }

    fn call(&mut self) -> Result<Action, ParseError> {
        let name_words = "an app action name ([a-z][a-z0-9_.]*)";
        self.space(name_words)?;
        let name_at = self.pos;
        let name = self
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            self.pos = name_at;
            return Err(self.expected(name_words));
        }
        let what = "a JSON object of arguments";
        self.space(what)?;
        let json_at = self.pos;
        let json = self.rest();
        if !json.starts_with('{') {
            return Err(self.expected(what));
        }
        match serde_json::from_str::<Value>(json) {
            Ok(Value::Object(args)) => {
                self.pos = self.end;
                Ok(Action::CallAppAction {
                    name: name.to_string(),
                    args,
                })
            }
            Ok(_) => Err(self.expected(what)),
            Err(error) => Err(self.json_error(json_at, &error)),
        }
    }

    fn json_error(&self, json_at: usize, error: &serde_json::Error) -> ParseError {
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(cut) => message.get(..cut).unwrap_or(&message).to_string(),
            None => message,
        };
        // serde_json counts columns in bytes from 1, on its own first line.
        let mut at = json_at;
        if error.line() == 1 {
            at = (json_at + error.column().saturating_sub(1)).min(self.end);
            while !self.line.is_char_boundary(at) {
                at -= 1;
            }
        }
        self.error_at(at, ParseErrorKind::InvalidJson { message })
    }

    fn intent(&mut self) -> Result<Action, ParseError> {
        let names: Vec<&str> = IntentKind::ALL.iter().map(|kind| kind.name()).collect();
        let name_words = format!("an intent name ({})", names.join(", "));
        self.space(&name_words)?;
        let name_at = self.pos;
        let Some(kind) = IntentKind::from_name(self.word()) else {
            self.pos = name_at;
            return Err(self.expected(&name_words));
        };
        let mut args = Vec::new();
        for param in kind.params() {
            let key = format!(" {}=", param.key);
            if self.eat(&key) {
                args.push((param.key, self.intent_value(param)?));
            } else if param.required {
                return Err(self.expected_next(&format!("\"{}=\"", param.key)));
            }
        }
        if !self.rest().is_empty() {
            let keys: Vec<&str> = kind.params().iter().map(|param| param.key).collect();
            return Err(self.expected_next(&format!(
                "end of line (the parameters of {} are, in this order: {})",
                kind.name(),
                keys.join(", ")
            )));
        }
        Intent::from_args(kind, &args)
            .map(Action::Intent)
            .map_err(|error| {
                self.error_at(
                    name_at,
                    ParseErrorKind::InvalidValue {
                        what: "intent".into(),
                        reason: error.to_string(),
                    },
                )
            })
    }

    fn intent_value(&mut self, param: &Param) -> Result<IntentArg, ParseError> {
        let at = self.pos;
        let value = match param.kind {
            ParamKind::Int { min, max } => {
                IntentArg::Int(self.number(&format!("a number for {}", param.key), min, max)?)
            }
            ParamKind::SettingsPage => match SettingsPage::from_word(self.word()) {
                Some(page) => IntentArg::SettingsPage(page),
                None => {
                    self.pos = at;
                    let pages: Vec<&str> = SettingsPage::ALL.iter().map(|p| p.word()).collect();
                    return Err(self.expected(&format!("a settings page ({})", pages.join(", "))));
                }
            },
            ParamKind::DateTime => {
                let text = self.quoted("a quoted date-time like \"2026-11-21T09:30\"")?;
                match LocalDateTime::parse(&text) {
                    Some(date_time) => IntentArg::DateTime(date_time),
                    None => {
                        return Err(self.error_at(
                            at,
                            ParseErrorKind::InvalidValue {
                                what: param.key.into(),
                                reason: "expected a real date-time like 2026-11-21T09:30".into(),
                            },
                        ));
                    }
                }
            }
            ParamKind::Choice(choice) => match choice.word(self.word()) {
                Some(word) => IntentArg::Choice(word),
                None => {
                    self.pos = at;
                    return Err(self.expected(&format!("one of {}", choice.describe())));
                }
            },
            ParamKind::Text { .. }
            | ParamKind::PhoneNumber
            | ParamKind::Email
            | ParamKind::Url
            | ParamKind::Link => {
                IntentArg::Text(self.quoted(&format!("a quoted value for {}", param.key))?)
            }
        };
        param.kind.check(&value).map_err(|reason| {
            self.error_at(
                at,
                ParseErrorKind::InvalidValue {
                    what: param.key.into(),
                    reason: reason.into(),
                },
            )
        })?;
        Ok(value)
    }

    // ---- tokens ----

    /// Requires the single space before the next token, described by `next`.
    fn space(&mut self, next: &str) -> Result<(), ParseError> {
        if self.eat(" ") {
            Ok(())
        } else if self.rest().is_empty() {
            Err(self.expected(next))
        } else {
            Err(self.expected(&format!("a space and {next}")))
        }
    }

    fn space_and_quoted(&mut self, what: &str) -> Result<String, ParseError> {
        self.space(what)?;
        self.quoted(what)
    }

    /// Consumes ` word` when it is the next whole token.
    fn flag(&mut self, word: &str) -> bool {
        let rest = self.rest();
        let is_next = rest
            .strip_prefix(' ')
            .and_then(|r| r.strip_prefix(word))
            .is_some_and(|after| after.is_empty() || after.starts_with(' '));
        if is_next {
            self.pos += 1 + word.len();
        }
        is_next
    }

    /// An unsigned decimal in `min..=max`.
    fn number(&mut self, what: &str, min: u32, max: u32) -> Result<u32, ParseError> {
        let at = self.pos;
        let digits = self.take_while(|c| c.is_ascii_digit());
        if digits.is_empty() {
            return Err(self.expected(what));
        }
        let value = digits.bytes().try_fold(0u32, |value, digit| {
            value.checked_mul(10)?.checked_add(u32::from(digit - b'0'))
        });
        match value {
            Some(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(self.error_at(
                at,
                ParseErrorKind::OutOfRange {
                    what: what.into(),
                    value: digits.into(),
                    min,
                    max,
                },
            )),
        }
    }

    /// A double-quoted string with the escapes `\"`, `\\` and `\n`.
    fn quoted(&mut self, what: &str) -> Result<String, ParseError> {
        let open = self.pos;
        if !self.eat("\"") {
            return Err(self.expected(what));
        }
        let mut text = String::new();
        let mut chars = self.rest().char_indices();
        loop {
            match chars.next() {
                None | Some((_, '\n')) => {
                    return Err(self.error_at(open, ParseErrorKind::UnterminatedString));
                }
                Some((i, '"')) => {
                    self.pos += i + 1;
                    return Ok(text);
                }
                Some((i, '\\')) => match chars.next() {
                    Some((_, '"')) => text.push('"'),
                    Some((_, '\\')) => text.push('\\'),
                    Some((_, 'n')) => text.push('\n'),
                    Some((_, other)) => {
                        let found = format!("{:?}", format!("\\{other}"));
                        return Err(
                            self.error_at(self.pos + i, ParseErrorKind::InvalidEscape { found })
                        );
                    }
                    None => return Err(self.error_at(open, ParseErrorKind::UnterminatedString)),
                },
                Some((_, c)) => text.push(c),
            }
        }
    }

    /// `[a-z_]*`: verbs, directions, intent names, settings pages.
    fn word(&mut self) -> &'a str {
        self.take_while(|c| c.is_ascii_lowercase() || c == '_')
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(_, c)| !keep(*c))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += len;
        rest.get(..len).unwrap_or("")
    }

    fn eat(&mut self, literal: &str) -> bool {
        if self.rest().starts_with(literal) {
            self.pos += literal.len();
            true
        } else {
            false
        }
    }

    fn finish(&mut self) -> Result<(), ParseError> {
        if self.rest().is_empty() {
            return Ok(());
        }
        let after = self.consumed();
        self.eat(" ");
        Err(self.error_at(
            self.pos,
            ParseErrorKind::TrailingInput {
                after,
                found: self.found(),
            },
        ))
    }

    // ---- positions and errors ----

    fn rest(&self) -> &'a str {
        self.line.get(self.pos..self.end).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn column(&self, at: usize) -> usize {
        self.line
            .get(..at)
            .map_or(0, |before| before.chars().count())
            + 1
    }

    fn error_at(&self, at: usize, kind: ParseErrorKind) -> ParseError {
        ParseError {
            column: self.column(at),
            kind,
        }
    }

    /// `expected` was due at the current position.
    fn expected(&self, expected: &str) -> ParseError {
        self.error_at(
            self.pos,
            ParseErrorKind::Expected {
                expected: expected.into(),
                after: self.consumed(),
                found: self.found(),
            },
        )
    }

    /// `expected` was due as the next space-separated token.
    fn expected_next(&mut self, expected: &str) -> ParseError {
        let after = self.consumed();
        self.eat(" ");
        let mut error = self.expected(expected);
        if let ParseErrorKind::Expected { after: a, .. } = &mut error.kind {
            *a = after;
        }
        error
    }

    /// The line from the action's start to here, shortened to its last 40 characters.
    fn consumed(&self) -> String {
        let consumed = self.line.get(self.start..self.pos).unwrap_or("").trim_end();
        shorten(consumed, 40, true)
    }

    /// The next token (up to a space), quoted, or `end of line`.
    fn found(&self) -> String {
        let rest = self.rest();
        if rest.is_empty() {
            return "end of line".into();
        }
        let token = if rest.starts_with(' ') {
            " "
        } else {
            rest.split(' ').next().unwrap_or(rest)
        };
        format!("{:?}", shorten(token, 20, false))
    }
}

/// Keeps at most `max` characters of `text`, from its end when `keep_end`, marking the cut.
fn shorten(text: &str, max: usize, keep_end: bool) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_string()
    } else if keep_end {
        let tail: String = text.chars().skip(count - max).collect();
        format!("…{tail}")
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}…")
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Tap { id } => write!(f, "tap {id}"),
            Action::LongPress { id } => write!(f, "long_press {id}"),
            Action::Type {
                id,
                text,
                clear,
                enter,
            } => {
                write!(f, "type {id} {}", quote(text))?;
                if *clear {
                    f.write_str(" clear")?;
                }
                if *enter {
                    f.write_str(" enter")?;
                }
                Ok(())
            }
            Action::Scroll {
                target: Some(id),
                direction,
            } => write!(f, "scroll {id} {direction}"),
            Action::Scroll {
                target: None,
                direction,
            } => write!(f, "scroll {direction}"),
            Action::Swipe {
                from,
                to,
                duration_ms,
            } => {
                write!(f, "swipe {} {} {} {}", from.x, from.y, to.x, to.y)?;
                if let Some(ms) = duration_ms {
                    write!(f, " {ms}")?;
                }
                Ok(())
            }
            Action::Back | Action::Home | Action::Recents | Action::Notifications => {
                f.write_str(self.verb())
            }
            Action::OpenApp { name } => write!(f, "open {}", quote(name)),
            Action::Wait { seconds } => write!(f, "wait {seconds}"),
            Action::Ask { question } => write!(f, "ask {}", quote(question)),
            Action::Takeover { reason } => write!(f, "takeover {}", quote(reason)),
            Action::Done { answer } if answer.is_empty() => f.write_str("done"),
            Action::Done { answer } => write!(f, "done {}", quote(answer)),
            Action::Fail { reason } => write!(f, "fail {}", quote(reason)),
            Action::CallAppAction { name, args } => {
                let json = serde_json::to_string(args).map_err(|_| fmt::Error)?;
                write!(f, "call {name} {json}")
            }
            Action::Intent(intent) => write!(f, "intent {intent}"),
        }
    }
}

impl fmt::Display for Intent {
    /// `set_alarm hour=7 minute=30 label="Gym"` (without the `intent` verb).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind().name())?;
        for (key, value) in self.args() {
            write!(f, " {key}={value}")?;
        }
        Ok(())
    }
}

impl fmt::Display for IntentArg {
    /// The value as written after `key=`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntentArg::Int(value) => write!(f, "{value}"),
            IntentArg::Text(text) => f.write_str(&quote(text)),
            IntentArg::DateTime(date_time) => f.write_str(&quote(&date_time.to_string())),
            IntentArg::SettingsPage(page) => f.write_str(page.word()),
            IntentArg::Choice(word) => f.write_str(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    use serde_json::json;

    use super::*;

    fn parsed(line: &str) -> Action {
        match parse_action(line) {
            Ok(action) => action,
            Err(error) => panic!("{line:?} did not parse: {error}"),
        }
    }

    fn error(line: &str) -> String {
        match parse_action(line) {
            Ok(action) => panic!("{line:?} parsed as {action:?}"),
            Err(error) => error.to_string(),
        }
    }

    /// One value of every variant (and of every intent), with awkward strings.
    fn every_variant() -> Vec<Action> {
        let date = |y, mo, d, h, mi| LocalDateTime::new(y, mo, d, h, mi).unwrap();
        let mut args = serde_json::Map::new();
        args.insert("to".into(), json!("妈妈"));
        args.insert("n".into(), json!([1, 2.5, null, true]));
        let mut actions = vec![
            Action::Tap { id: 12 },
            Action::Tap { id: u32::MAX },
            Action::LongPress { id: 0 },
            Action::Type {
                id: 7,
                text: "hello".into(),
                clear: false,
                enter: false,
            },
            Action::Type {
                id: 7,
                text: "".into(),
                clear: true,
                enter: false,
            },
            Action::Type {
                id: 7,
                text: "a \"b\" \\ c\nd 微信 😀".into(),
                clear: true,
                enter: true,
            },
            Action::Type {
                id: 7,
                text: "x".into(),
                clear: false,
                enter: true,
            },
            Action::Scroll {
                target: Some(3),
                direction: Direction::Down,
            },
            Action::Scroll {
                target: None,
                direction: Direction::Left,
            },
            Action::Swipe {
                from: Point { x: 540, y: 1600 },
                to: Point { x: 540, y: 400 },
                duration_ms: None,
            },
            Action::Swipe {
                from: Point { x: 0, y: 0 },
                to: Point {
                    x: MAX_COORDINATE,
                    y: 1,
                },
                duration_ms: Some(300),
            },
            Action::Back,
            Action::Home,
            Action::Recents,
            Action::Notifications,
            Action::OpenApp {
                name: "WeChat".into(),
            },
            Action::OpenApp {
                name: "微信".into(),
            },
            Action::Wait { seconds: 2 },
            Action::Ask {
                question: "Which Mom?".into(),
            },
            Action::Done {
                answer: String::new(),
            },
            Action::Done {
                answer: "It is 21°C".into(),
            },
            Action::Fail {
                reason: "No Wi-Fi settings found".into(),
            },
            Action::Fail {
                reason: String::new(),
            },
            Action::CallAppAction {
                name: "send_message".into(),
                args,
            },
            Action::CallAppAction {
                name: "a.b_2".into(),
                args: serde_json::Map::new(),
            },
        ];
        let intents = [
            Intent::SetAlarm {
                hour: 7,
                minute: 30,
                label: Some("Gym".into()),
            },
            Intent::SetAlarm {
                hour: 0,
                minute: 0,
                label: None,
            },
            Intent::SetTimer {
                seconds: 86_400,
                label: Some("茶".into()),
            },
            Intent::Dial {
                number: "+1 (555) 010-0100".into(),
            },
            Intent::ComposeSms {
                to: "5550100".into(),
                body: Some("on my way".into()),
            },
            Intent::ComposeEmail {
                to: "a@example.com".into(),
                subject: Some("Hi".into()),
                body: None,
            },
            Intent::OpenSettings {
                page: super::SettingsPage::DataRoaming,
            },
            Intent::WebSearch {
                query: "weather \"Paris\"".into(),
            },
            Intent::MapSearch {
                query: "coffee".into(),
            },
            Intent::Navigate {
                destination: "Google Maps HQ".into(),
            },
            Intent::ShareText {
                text: "line1\nline2".into(),
            },
            Intent::InsertEvent {
                title: "Dentist".into(),
                begin: date(2026, 11, 21, 9, 30),
                end: Some(date(2028, 2, 29, 23, 59)),
                location: Some("Main St".into()),
            },
            Intent::ViewUrl {
                url: "https://example.com/a?b=c".into(),
            },
        ];
        actions.extend(intents.into_iter().map(Action::Intent));
        actions
    }

    #[test]
    fn every_variant_round_trips_through_its_text() {
        for action in every_variant() {
            let line = action.to_string();
            assert_eq!(parse_action(&line), Ok(action.clone()), "{line}");
            assert!(!line.contains('\n'), "{line:?} is not one line");
        }
    }

    #[test]
    fn the_syntax_table() {
        assert_eq!(parsed("tap 12"), Action::Tap { id: 12 });
        assert_eq!(parsed("long_press 12"), Action::LongPress { id: 12 });
        assert_eq!(
            parsed("type 7 \"hello\" clear enter"),
            Action::Type {
                id: 7,
                text: "hello".into(),
                clear: true,
                enter: true
            }
        );
        assert_eq!(
            parsed("scroll 3 down"),
            Action::Scroll {
                target: Some(3),
                direction: Direction::Down
            }
        );
        assert_eq!(
            parsed("scroll up"),
            Action::Scroll {
                target: None,
                direction: Direction::Up
            }
        );
        assert_eq!(
            parsed("swipe 540 1600 540 400"),
            Action::Swipe {
                from: Point { x: 540, y: 1600 },
                to: Point { x: 540, y: 400 },
                duration_ms: None
            }
        );
        assert_eq!(
            parsed("open \"WeChat\""),
            Action::OpenApp {
                name: "WeChat".into()
            }
        );
        assert_eq!(parsed("wait 2"), Action::Wait { seconds: 2 });
        assert_eq!(
            parsed("done"),
            Action::Done {
                answer: String::new()
            }
        );
        assert_eq!(
            parsed("done \"\""),
            Action::Done {
                answer: String::new()
            }
        );
        assert_eq!(
            parsed("done \"21°C\""),
            Action::Done {
                answer: "21°C".into()
            }
        );
        assert_eq!(
            parsed("call send_message {\"to\": \"Mom\", \"text\": \"hi\"}"),
            Action::CallAppAction {
                name: "send_message".into(),
                args: json!({"to": "Mom", "text": "hi"})
                    .as_object()
                    .cloned()
                    .unwrap()
            }
        );
        assert_eq!(
            parsed("intent set_alarm hour=7 minute=30 label=\"Gym\""),
            Action::Intent(Intent::SetAlarm {
                hour: 7,
                minute: 30,
                label: Some("Gym".into())
            })
        );
        assert_eq!(
            parsed("intent compose_email to=\"a@b.c\" body=\"x\""),
            Action::Intent(Intent::ComposeEmail {
                to: "a@b.c".into(),
                subject: None,
                body: Some("x".into())
            })
        );
        assert_eq!(
            parsed("intent open_settings page=wifi"),
            Action::Intent(Intent::OpenSettings {
                page: super::SettingsPage::Wifi
            })
        );
    }

    #[test]
    fn surrounding_whitespace_is_tolerated() {
        assert_eq!(parsed("  tap 3 \n"), Action::Tap { id: 3 });
        assert_eq!(
            parsed("done \"a\"\r\n"),
            Action::Done { answer: "a".into() }
        );
        assert_eq!(parsed("tap 007"), Action::Tap { id: 7 });
    }

    #[test]
    fn errors_say_where_and_what_was_expected() {
        assert_eq!(
            error("tap x"),
            "expected an element id after \"tap\", found \"x\" at column 5"
        );
        assert_eq!(
            error("tap"),
            "expected an element id after \"tap\", found end of line at column 4"
        );
        assert_eq!(
            error("  tap  3"),
            "expected an element id after \"tap\", found \" \" at column 7"
        );
        assert_eq!(
            error("tap12"),
            "expected a space and an element id after \"tap\", found \"12\" at column 4"
        );
        assert!(error("Tap 3").starts_with("unknown action \"Tap\""));
        assert!(error("click 3").ends_with("at column 1"));
        assert_eq!(error(""), "empty line, expected an action at column 1");
        assert_eq!(error(" \n"), "empty line, expected an action at column 1");
        assert_eq!(
            error("tap 3 4"),
            "unexpected \"4\" after the complete action \"tap 3\" at column 7"
        );
        assert_eq!(
            error("tap 3\nback"),
            "unexpected \"\\nback\" after the complete action \"tap 3\" at column 6"
        );
        assert_eq!(
            error("tap 99999999999"),
            "99999999999 is out of range for an element id (0..=4294967295) at column 5"
        );
        assert_eq!(
            error("wait 0"),
            "0 is out of range for a number of seconds (1..=60) at column 6"
        );
        assert_eq!(error("type 7 \"héllo"), "unterminated string at column 8");
        assert_eq!(
            error("type 7 \"a\\tb\""),
            "invalid escape \"\\\\t\" in a string (use \\\", \\\\ or \\n) at column 10"
        );
        assert_eq!(
            error("type 7 \"a\" enter clear"),
            "expected \"clear\", \"enter\" (in that order) or end of line after \
             \"type 7 \\\"a\\\" enter\", found \"clear\" at column 18"
        );
        assert_eq!(
            error("scroll 3 sideways"),
            "expected a direction (up, down, left or right) after \"scroll 3\", found \
             \"sideways\" at column 10"
        );
        assert_eq!(
            error("open \"\""),
            "invalid app name: must not be empty at column 6"
        );
        assert_eq!(
            error("微信 tap"),
            "unknown action \"微信\" (expected tap, long_press, type, scroll, swipe, back, \
             home, recents, notifications, open, wait, ask, done, fail, call or intent) at \
             column 1"
        );
        assert_eq!(
            error("ask \"微信\" x"),
            "unexpected \"x\" after the complete action \"ask \\\"微信\\\"\" at column 10"
        );
    }

    #[test]
    fn call_errors() {
        assert!(error("call Send {}").starts_with("expected an app action name"));
        assert!(error("call send [1]").starts_with("expected a JSON object of arguments"));
        assert_eq!(
            error("call send {\"a\":}"),
            "invalid JSON object: expected value at column 16"
        );
        assert!(error("call send {} x").starts_with("invalid JSON object: trailing characters"));
        assert!(error("call send {\"a\":1").starts_with("invalid JSON object: EOF"));
    }

    #[test]
    fn intent_errors() {
        assert_eq!(
            error("intent set_alarm minute=30 hour=7"),
            "expected \"hour=\" after \"intent set_alarm\", found \"minute=30\" at column 18"
        );
        assert_eq!(
            error("intent set_alarm hour=24 minute=0"),
            "24 is out of range for a number for hour (0..=23) at column 23"
        );
        assert!(
            error("intent set_alarm hour=7 minute=0 days=1")
                .starts_with("expected end of line (the parameters of set_alarm are, in this order: hour, minute, label)")
        );
        assert!(
            error("intent compose_email to=\"a@b\" body=\"x\" subject=\"y\"")
                .contains("found \"subject=\\\"y\\\"\"")
        );
        assert!(error("intent launch x=1").starts_with("expected an intent name (set_alarm,"));
        assert_eq!(
            error("intent insert_event title=\"x\" begin=\"2026-02-29T10:00\""),
            "invalid begin: expected a real date-time like 2026-11-21T09:30 at column 37"
        );
        assert_eq!(
            error("intent view_url url=\"javascript:alert(1)\""),
            "invalid url: a URL must start with http:// or https:// at column 21"
        );
        assert!(error("intent dial number=\"Mom\"").starts_with("invalid number"));
        assert!(error("intent open_settings page=kitchen").starts_with("expected a settings page"));
        assert!(
            error("intent web_search query=\"\"").starts_with("invalid query: must not be empty")
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let e = parse_action("done \"微信\" \"x\"").unwrap_err();
        assert_eq!(e.column, 11);
    }

    #[test]
    fn random_input_never_panics_and_columns_stay_in_the_line() {
        let mut rng = StdRng::seed_from_u64(7);
        let pieces = [
            "tap",
            "type",
            "scroll",
            "swipe",
            "intent",
            "call",
            "done",
            "open",
            " ",
            "  ",
            "\"",
            "\\",
            "\\n",
            "7",
            "99999999999",
            "down",
            "{",
            "}",
            "\"a\":",
            "set_alarm",
            "hour=",
            "=",
            "微信",
            "😀",
            "\n",
            "\r",
            "\t",
            "clear",
            "enter",
            "0",
            "-",
            ".",
            "x",
        ];
        for round in 0..20_000 {
            let line: String = if round % 2 == 0 {
                let len = rng.random_range(0..40);
                let bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                let count = rng.random_range(0..8);
                (0..count)
                    .map(|_| pieces[rng.random_range(0..pieces.len())])
                    .collect()
            };
            if let Err(error) = parse_action(&line) {
                assert!(
                    error.column >= 1 && error.column <= line.chars().count() + 1,
                    "{line:?}"
                );
            }
        }
    }

    #[test]
    fn every_prefix_of_a_valid_line_fails_cleanly() {
        // A line cut short (a model stopped mid-action) is either a shorter valid action that
        // renders back to the same text (`tap 1` of `tap 12`), or an error that points inside
        // the text it was given. Never a panic, never an action that says something else.
        let mut errors = 0;
        for action in every_variant() {
            let line = action.to_string();
            for (cut, _) in line.char_indices().skip(1) {
                let prefix = &line[..cut];
                match parse_action(prefix) {
                    Ok(parsed) => assert_eq!(parsed.to_string(), prefix.trim_end(), "{prefix:?}"),
                    Err(error) => {
                        errors += 1;
                        let width = prefix.chars().count();
                        assert!(
                            (1..=width + 1).contains(&error.column),
                            "{prefix:?}: column {} outside 1..={}",
                            error.column,
                            width + 1
                        );
                    }
                }
            }
        }
        assert!(errors > 0, "no prefix was rejected");
    }
}
