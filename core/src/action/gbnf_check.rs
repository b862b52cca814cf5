//! A test-only reader, sampler and recognizer for the GBNF that `grammar` emits.
//!
//! Why: the promise of the grammar is that every line it lets the model produce parses and
//! validates. No llama.cpp is linked into core's tests, so this module reads the grammar the way
//! llama.cpp does (same escapes, same character-class rules, one rule per line), rejects what
//! llama.cpp would reject or what would make decoding unbounded (undefined or empty rules,
//! recursion, unbounded repetition), draws random derivations from it, and decides whether a
//! given string is derivable. The tests at the bottom sample thousands of lines from grammars for
//! varied screens and check each one against the parser and the validator.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rand::Rng;

/// Alternatives of sequences.
type Alternation = Vec<Vec<Item>>;

#[derive(Debug, Clone)]
struct Item {
    atom: Atom,
    min: usize,
    /// `None`: unbounded (`*`, `+`, `{m,}`).
    max: Option<usize>,
}

#[derive(Debug, Clone)]
enum Atom {
    Literal(Vec<char>),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Rule(String),
    Group(Alternation),
}

/// A grammar that passed the checks.
#[derive(Debug)]
pub(crate) struct CheckedGrammar {
    rules: BTreeMap<String, Alternation>,
}

impl CheckedGrammar {
    /// Reads `text`, one `name ::= body` per line, and checks it: a `root`, every referenced rule
    /// defined and every defined rule reachable, no empty sequence or literal, no recursion.
    pub(crate) fn parse(text: &str) -> Result<CheckedGrammar, String> {
        let mut rules = BTreeMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let mut reader = Reader {
                chars: line.chars().collect(),
                pos: 0,
            };
            let (name, body) = reader
                .rule()
                .map_err(|e| format!("line {}: {e}: {line}", number + 1))?;
            if rules.insert(name.clone(), body).is_some() {
                return Err(format!("rule {name} defined twice"));
            }
        }
        let grammar = CheckedGrammar { rules };
        grammar.check_references()?;
        Ok(grammar)
    }

    fn check_references(&self) -> Result<(), String> {
        if !self.rules.contains_key("root") {
            return Err("no root rule".into());
        }
        // Depth-first from root: every reference defined, no cycle, everything reached.
        let mut done = BTreeSet::new();
        let mut path = Vec::new();
        self.visit("root", &mut done, &mut path)?;
        let unreached: Vec<&String> = self
            .rules
            .keys()
            .filter(|name| !done.contains(*name))
            .collect();
        if unreached.is_empty() {
            Ok(())
        } else {
            Err(format!("unreachable rules {unreached:?}"))
        }
    }

    fn visit(
        &self,
        name: &str,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Result<(), String> {
        if done.contains(name) {
            return Ok(());
        }
        if path.iter().any(|p| p == name) {
            return Err(format!("recursion through {path:?} -> {name}"));
        }
        let body = self
            .rules
            .get(name)
            .ok_or_else(|| format!("undefined rule {name}"))?;
        path.push(name.to_string());
        let mut references = Vec::new();
        collect_references(body, &mut references);
        for reference in references {
            self.visit(&reference, done, path)?;
        }
        path.pop();
        done.insert(name.to_string());
        Ok(())
    }

    /// Whether any repetition is unbounded (`*`, `+`, `{m,}`).
    pub(crate) fn has_unbounded_repetition(&self) -> bool {
        fn unbounded(alternation: &Alternation) -> bool {
            alternation.iter().flatten().any(|item| {
                item.max.is_none() || matches!(&item.atom, Atom::Group(inner) if unbounded(inner))
            })
        }
        self.rules.values().any(unbounded)
    }

    /// A random derivation of `root`.
    pub(crate) fn sample(&self, rng: &mut impl Rng) -> String {
        let mut out = String::new();
        self.sample_rule("root", rng, &mut out);
        out
    }

    fn sample_rule(&self, name: &str, rng: &mut impl Rng, out: &mut String) {
        let body = &self.rules[name];
        self.sample_alternation(body, rng, out);
    }

    fn sample_alternation(&self, alternation: &Alternation, rng: &mut impl Rng, out: &mut String) {
        let sequence = &alternation[rng.random_range(0..alternation.len())];
        for item in sequence {
            let max = item.max.unwrap_or(item.min + 3);
            for _ in 0..rng.random_range(item.min..=max) {
                match &item.atom {
                    Atom::Literal(chars) => out.extend(chars),
                    Atom::Class {
                        negated: false,
                        ranges,
                    } => {
                        let (from, to) = ranges[rng.random_range(0..ranges.len())];
                        let c = (0..16)
                            .find_map(|_| {
                                char::from_u32(rng.random_range(u32::from(from)..=u32::from(to)))
                            })
                            .unwrap_or(from);
                        out.push(c);
                    }
                    Atom::Class {
                        negated: true,
                        ranges,
                    } => {
                        let allowed: Vec<char> = CANDIDATES
                            .chars()
                            .chain((0u8..0x80).map(char::from))
                            .filter(|c| !in_ranges(*c, ranges))
                            .collect();
                        out.push(allowed[rng.random_range(0..allowed.len())]);
                    }
                    Atom::Rule(name) => self.sample_rule(name, rng, out),
                    Atom::Group(inner) => self.sample_alternation(inner, rng, out),
                }
            }
        }
    }

    /// Whether `root` derives exactly `text`.
    pub(crate) fn derives(&self, text: &str) -> bool {
        let input: Vec<char> = text.chars().collect();
        let mut memo = HashMap::new();
        self.rule_ends("root", &input, 0, &mut memo)
            .contains(&input.len())
    }

    fn rule_ends(
        &self,
        name: &str,
        input: &[char],
        start: usize,
        memo: &mut HashMap<(String, usize), BTreeSet<usize>>,
    ) -> BTreeSet<usize> {
        let key = (name.to_string(), start);
        if let Some(ends) = memo.get(&key) {
            return ends.clone();
        }
        let ends = self.alternation_ends(&self.rules[name], input, start, memo);
        memo.insert(key, ends.clone());
        ends
    }

    fn alternation_ends(
        &self,
        alternation: &Alternation,
        input: &[char],
        start: usize,
        memo: &mut HashMap<(String, usize), BTreeSet<usize>>,
    ) -> BTreeSet<usize> {
        let mut ends = BTreeSet::new();
        for sequence in alternation {
            let mut frontier = BTreeSet::from([start]);
            for item in sequence {
                let mut next = BTreeSet::new();
                for &position in &frontier {
                    next.extend(self.item_ends(item, input, position, memo));
                }
                frontier = next;
                if frontier.is_empty() {
                    break;
                }
            }
            ends.extend(frontier);
        }
        ends
    }

    fn item_ends(
        &self,
        item: &Item,
        input: &[char],
        start: usize,
        memo: &mut HashMap<(String, usize), BTreeSet<usize>>,
    ) -> BTreeSet<usize> {
        let mut ends = BTreeSet::new();
        if item.min == 0 {
            ends.insert(start);
        }
        let max = item.max.unwrap_or(input.len() + 1);
        let mut frontier = BTreeSet::from([start]);
        for count in 1..=max {
            let mut next = BTreeSet::new();
            for &position in &frontier {
                next.extend(self.atom_ends(&item.atom, input, position, memo));
            }
            if count >= item.min {
                ends.extend(next.iter().copied());
            }
            let stuck = next == frontier && count >= item.min;
            if next.is_empty() || stuck {
                break;
            }
            frontier = next;
        }
        ends
    }

    fn atom_ends(
        &self,
        atom: &Atom,
        input: &[char],
        start: usize,
        memo: &mut HashMap<(String, usize), BTreeSet<usize>>,
    ) -> BTreeSet<usize> {
        match atom {
            Atom::Literal(chars) => {
                if input[start..].starts_with(chars) {
                    BTreeSet::from([start + chars.len()])
                } else {
                    BTreeSet::new()
                }
            }
            Atom::Class { negated, ranges } => match input.get(start) {
                Some(&c) if in_ranges(c, ranges) != *negated => BTreeSet::from([start + 1]),
                _ => BTreeSet::new(),
            },
            Atom::Rule(name) => self.rule_ends(name, input, start, memo),
            Atom::Group(inner) => self.alternation_ends(inner, input, start, memo),
        }
    }
}

/// Characters tried for negated classes besides ASCII: accents, CJK, emoji, odd spaces, C1.
const CANDIDATES: &str = "éßñ°中微信文😀\u{a0}\u{85}\u{2028}\u{3000}\u{200b}\u{fffd}";

fn in_ranges(c: char, ranges: &[(char, char)]) -> bool {
    ranges.iter().any(|&(from, to)| from <= c && c <= to)
}

fn collect_references(alternation: &Alternation, out: &mut Vec<String>) {
    for item in alternation.iter().flatten() {
        match &item.atom {
            Atom::Rule(name) => out.push(name.clone()),
            Atom::Group(inner) => collect_references(inner, out),
            Atom::Literal(_) | Atom::Class { .. } => {}
        }
    }
}

/// Reads one line of GBNF, following llama.cpp's `llama-grammar.cpp` parser.
struct Reader {
    chars: Vec<char>,
    pos: usize,
}

impl Reader {
    fn rule(&mut self) -> Result<(String, Alternation), String> {
        let name = self.name()?;
        self.spaces();
        for expected in "::=".chars() {
            if self.next() != Some(expected) {
                return Err("expected ::=".into());
            }
        }
        self.spaces();
        let body = self.alternation(false)?;
        if self.pos != self.chars.len() {
            return Err(format!("unexpected {:?} at {}", self.peek(), self.pos));
        }
        Ok((name, body))
    }

    fn name(&mut self) -> Result<String, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!("expected a rule name at {}", self.pos));
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    fn alternation(&mut self, nested: bool) -> Result<Alternation, String> {
        let mut alternation = vec![self.sequence(nested)?];
        while self.peek() == Some('|') {
            self.pos += 1;
            self.spaces();
            alternation.push(self.sequence(nested)?);
        }
        Ok(alternation)
    }

    fn sequence(&mut self, nested: bool) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            let atom = match self.peek() {
                Some('"') => {
                    self.pos += 1;
                    let mut chars = Vec::new();
                    while self.peek() != Some('"') {
                        if self.peek().is_none() {
                            return Err("unterminated literal".into());
                        }
                        chars.push(self.char()?);
                    }
                    self.pos += 1;
                    if chars.is_empty() {
                        return Err("empty literal".into());
                    }
                    Atom::Literal(chars)
                }
                Some('[') => {
                    self.pos += 1;
                    let negated = self.peek() == Some('^');
                    if negated {
                        self.pos += 1;
                    }
                    let mut ranges = Vec::new();
                    while self.peek() != Some(']') {
                        if self.peek().is_none() {
                            return Err("unterminated class".into());
                        }
                        let from = self.char()?;
                        let to = if self.peek() == Some('-')
                            && self.chars.get(self.pos + 1) != Some(&']')
                        {
                            self.pos += 1;
                            self.char()?
                        } else {
                            from
                        };
                        if to < from {
                            return Err(format!("empty range {from:?}-{to:?}"));
                        }
                        ranges.push((from, to));
                    }
                    self.pos += 1;
                    if ranges.is_empty() {
                        return Err("empty class".into());
                    }
                    Atom::Class { negated, ranges }
                }
                Some('(') => {
                    self.pos += 1;
                    self.spaces();
                    let inner = self.alternation(true)?;
                    if self.next() != Some(')') {
                        return Err(format!("expected ) at {}", self.pos));
                    }
                    Atom::Group(inner)
                }
                Some(c) if c.is_ascii_alphanumeric() || c == '-' => Atom::Rule(self.name()?),
                _ => break,
            };
            let (min, max) = self.repetition()?;
            items.push(Item { atom, min, max });
            self.spaces();
        }
        if items.is_empty() {
            return Err(format!("empty sequence at {} (nested: {nested})", self.pos));
        }
        Ok(items)
    }

    fn repetition(&mut self) -> Result<(usize, Option<usize>), String> {
        match self.peek() {
            Some('?') => {
                self.pos += 1;
                Ok((0, Some(1)))
            }
            Some('*') => {
                self.pos += 1;
                Ok((0, None))
            }
            Some('+') => {
                self.pos += 1;
                Ok((1, None))
            }
            Some('{') => {
                self.pos += 1;
                let min = self.integer()?;
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.integer()?)
                    }
                } else {
                    Some(min)
                };
                if self.next() != Some('}') {
                    return Err("expected }".into());
                }
                if max.is_some_and(|max| max < min || max == 0) {
                    return Err(format!("bad repetition {{{min},{max:?}}}"));
                }
                Ok((min, max))
            }
            _ => Ok((1, Some(1))),
        }
    }

    fn integer(&mut self) -> Result<usize, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .parse()
            .map_err(|_| "expected a number".to_string())
    }

    /// One character of a literal or class, with llama.cpp's escapes.
    fn char(&mut self) -> Result<char, String> {
        let c = self.next().ok_or("unexpected end")?;
        if c != '\\' {
            return Ok(c);
        }
        let hex = |reader: &mut Reader, digits: usize| -> Result<char, String> {
            let text: String = reader.chars.iter().skip(reader.pos).take(digits).collect();
            reader.pos += digits;
            u32::from_str_radix(&text, 16)
                .ok()
                .filter(|_| text.len() == digits)
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad hex escape {text:?}"))
        };
        match self.next() {
            Some('x') => hex(self, 2),
            Some('u') => hex(self, 4),
            Some('U') => hex(self, 8),
            Some('t') => Ok('\t'),
            Some('r') => Ok('\r'),
            Some('n') => Ok('\n'),
            Some(c @ ('\\' | '"' | '[' | ']')) => Ok(c),
            other => Err(format!("unknown escape {other:?}")),
        }
    }

    fn spaces(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;
    use crate::action::{Action, GrammarContext, grammar_for_screen, parse_action, validate};
    use crate::screen::test_support::element;
    use crate::screen::{Affordances, Element, ScrollAxes};

    fn tap() -> Affordances {
        Affordances {
            tap: true,
            ..Default::default()
        }
    }

    fn scroll(axes: ScrollAxes) -> Affordances {
        Affordances {
            scroll: Some(axes),
            ..Default::default()
        }
    }

    pub(crate) fn everything_on() -> GrammarContext {
        GrammarContext {
            installed_apps: None,
            app_actions: vec![],
            app_action_arguments: Default::default(),
            allow_ask: true,
            allow_intents: true,
            allow_swipe: true,
            tools: crate::action::ToolSet::ALL,
        }
    }

    /// A typical screen: every kind of element, every verb on.
    pub(crate) fn typical() -> (Vec<Element>, GrammarContext) {
        let elements = vec![
            element(1, tap()),
            element(
                2,
                Affordances {
                    tap: true,
                    edit: true,
                    ..Default::default()
                },
            ),
            element(3, scroll(ScrollAxes::Vertical)),
            element(4, scroll(ScrollAxes::Horizontal)),
            element(5, scroll(ScrollAxes::Both)),
            element(
                6,
                Affordances {
                    tap: true,
                    long_press: true,
                    toggle: true,
                    ..Default::default()
                },
            ),
            element(
                7,
                Affordances {
                    edit: true,
                    ..Default::default()
                },
            ),
            element(12, Affordances::default()),
        ];
        (elements, everything_on())
    }

    /// Only buttons, known installed apps with awkward names, nothing optional.
    pub(crate) fn buttons_only() -> (Vec<Element>, GrammarContext) {
        let elements = (1..=5).map(|id| element(id, tap())).collect();
        let apps = [
            "微信",
            "Google Maps",
            "Say \"Hi\" \\ App",
            "Café",
            "",
            "微信",
        ];
        let context = GrammarContext {
            installed_apps: Some(apps.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        (elements, context)
    }

    /// Large ids, declared app actions, intents.
    pub(crate) fn large_ids() -> (Vec<Element>, GrammarContext) {
        let elements = (100..=260)
            .map(|id| {
                let affordances = match id % 5 {
                    0 => tap(),
                    1 => Affordances {
                        edit: true,
                        ..Default::default()
                    },
                    2 => scroll(ScrollAxes::Vertical),
                    3 => Affordances {
                        long_press: true,
                        tap: true,
                        ..Default::default()
                    },
                    _ => Affordances::default(),
                };
                element(id, affordances)
            })
            .collect();
        let context = GrammarContext {
            installed_apps: Some(vec!["Google Maps".into()]),
            app_actions: vec![
                "send_message".into(),
                "shop.add_to_cart2".into(),
                "Bad Name".into(),
            ],
            allow_intents: true,
            ..Default::default()
        };
        (elements, context)
    }

    /// Nothing on screen and no apps: only the screen-level verbs remain.
    pub(crate) fn empty() -> (Vec<Element>, GrammarContext) {
        (
            vec![],
            GrammarContext {
                installed_apps: Some(vec![]),
                ..Default::default()
            },
        )
    }

    fn checked(elements: &[Element], context: &GrammarContext) -> CheckedGrammar {
        let text = grammar_for_screen(elements, context);
        let grammar = CheckedGrammar::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(!grammar.has_unbounded_repetition(), "{text}");
        grammar
    }

    #[test]
    fn every_sampled_line_parses_validates_and_round_trips() {
        let mut rng = StdRng::seed_from_u64(2026);
        let mut verbs = BTreeSet::new();
        let mut total = 0;
        for (elements, context) in [typical(), buttons_only(), large_ids(), empty()] {
            let grammar = checked(&elements, &context);
            for _ in 0..700 {
                let line = grammar.sample(&mut rng);
                let action = match parse_action(&line) {
                    Ok(action) => action,
                    Err(error) => panic!("sampled {line:?} does not parse: {error}"),
                };
                if let Err(error) = validate(&action, &elements, &context) {
                    panic!("sampled {line:?} does not validate: {error}");
                }
                assert_eq!(
                    parse_action(&action.to_string()).as_ref(),
                    Ok(&action),
                    "{line:?}"
                );
                verbs.insert(action.verb());
                total += 1;
            }
        }
        assert!(total >= 2000);
        assert_eq!(verbs.len(), 17, "every verb was sampled: {verbs:?}");
    }

    #[test]
    fn the_recognizer_accepts_its_own_samples() {
        let mut rng = StdRng::seed_from_u64(5);
        for (elements, context) in [typical(), buttons_only(), large_ids()] {
            let grammar = checked(&elements, &context);
            for _ in 0..100 {
                let line = grammar.sample(&mut rng);
                assert!(grammar.derives(&line), "{line:?}");
            }
        }
    }

    #[test]
    fn invalid_lines_are_not_derivable() {
        let (elements, context) = typical();
        let grammar = checked(&elements, &context);
        for line in [
            "tap 1",
            "tap 6",
            "long_press 6",
            "type 2 \"微信 \\\"x\\\" \\\\ \\n\" clear enter",
            "type 7 \"\"",
            "scroll 3 up",
            "scroll 4 right",
            "scroll 5 left",
            "scroll down",
            "swipe 0 9999 540 400 300",
            "open \"Anything at all\"",
            "wait 10",
            "ask \"Which Mom?\"",
            "done",
            "done \"It is 21°C\"",
            "fail \"no\"",
            "intent set_alarm hour=23 minute=59 label=\"Gym\"",
            "intent set_timer seconds=86400",
            "intent insert_event title=\"x\" begin=\"2028-02-29T10:00\" location=\"y\"",
            "intent open_settings page=data_roaming",
            "intent view_url url=\"https://example.com/?a=b\"",
            "intent compose_email to=\"a.b@example.com\" body=\"hi\"",
        ] {
            assert!(grammar.derives(line), "should derive {line:?}");
            assert!(parse_action(line).is_ok(), "{line:?}");
        }
        for line in [
            "tap 99",
            "tap 12",
            "tap 01",
            "tap 3",
            "long_press 1",
            "type 1 \"x\"",
            "type 2 \"x\" enter clear",
            "type 2 \"a\\tb\"",
            "scroll 3 left",
            "scroll 4 down",
            "scroll 1 down",
            "scroll 12 up",
            "swipe 0 10000 1 1",
            "wait 0",
            "wait 11",
            "open \"\"",
            "ask \"\"",
            "done \"unterminated",
            "call send_message {}",
            "intent set_alarm hour=24 minute=0",
            "intent set_alarm minute=0 hour=7",
            "intent set_timer seconds=86401",
            "intent set_timer seconds=0",
            "intent insert_event title=\"x\" begin=\"2027-02-29T10:00\"",
            "intent insert_event title=\"x\" begin=\"2026-04-31T10:00\"",
            "intent view_url url=\"javascript:alert(1)\"",
            "intent dial number=\"Mom\"",
            "tap 1\n",
            " tap 1",
            "Tap 1",
        ] {
            assert!(!grammar.derives(line), "should not derive {line:?}");
        }
    }

    #[test]
    fn installed_apps_and_app_actions_are_the_only_names() {
        let (elements, context) = buttons_only();
        let grammar = checked(&elements, &context);
        assert!(grammar.derives("open \"微信\""));
        assert!(grammar.derives("open \"Say \\\"Hi\\\" \\\\ App\""));
        assert!(!grammar.derives("open \"WeChat\""));
        assert!(!grammar.derives("open \"\""));
        assert!(!grammar.derives("ask \"?\""));
        assert!(!grammar.derives("intent dial number=\"123\""));
        assert!(!grammar.derives("swipe 1 2 3 4"));
        assert!(!grammar.derives("type 1 \"x\""));
        assert!(!grammar.derives("scroll 1 down"));

        let (elements, context) = large_ids();
        let grammar = checked(&elements, &context);
        assert!(grammar.derives("call send_message {\"to\":\"Mom\",\"text\":\"hi\"}"));
        assert!(grammar.derives("call shop.add_to_cart2 {\"ids\":[1,-2.5,\"x\",null]}"));
        assert!(!grammar.derives("call Bad Name {}"));
        assert!(!grammar.derives("call send_message {\"a\":\"\\ud800\"}"));
        assert!(!grammar.derives("call send_message [1]"));
        assert!(!grammar.derives("call send_message {\"a\":01}"));
        assert!(grammar.derives("tap 100"));
        assert!(!grammar.derives("tap 101"));
        assert!(grammar.derives("type 101 \"x\""));
        assert!(grammar.derives("scroll 102 down"));
        assert!(grammar.derives("long_press 258"));
    }

    #[test]
    fn the_reader_rejects_what_llama_cpp_would() {
        for (text, why) in [
            ("a ::= \"x\"\n", "no root"),
            ("root ::= \n", "empty rule"),
            ("root ::= \"x\" | \n", "empty alternative"),
            ("root ::= ()\n", "empty group"),
            ("root ::= missing\n", "undefined rule"),
            ("root ::= a\na ::= \"x\" a\n", "recursion"),
            ("root ::= \"x\"\nroot ::= \"y\"\n", "defined twice"),
            ("root ::= \"\\q\"\n", "unknown escape"),
            (
                "root ::= my_rule\nmy_rule ::= \"x\"\n",
                "underscore in a name",
            ),
            ("root ::= \"x\"\nunused ::= \"y\"\n", "unreachable"),
            ("root ::= [z-a]\n", "empty range"),
        ] {
            assert!(CheckedGrammar::parse(text).is_err(), "{why}: {text:?}");
        }
        let grammar =
            CheckedGrammar::parse("root ::= [-a-c]+ \"\\x41\" [^\\x00-\\x1F\"]{0,2}\n").unwrap();
        assert!(grammar.has_unbounded_repetition());
        assert!(grammar.derives("-abA"));
        assert!(grammar.derives("aA é"));
        assert!(!grammar.derives("dA"));
        assert!(!grammar.derives("aA\""));
    }

    #[test]
    fn a_sampled_action_set_covers_the_empty_screen() {
        let (elements, context) = empty();
        let grammar = checked(&elements, &context);
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let line = grammar.sample(&mut rng);
            let action = parse_action(&line).unwrap();
            assert!(
                matches!(
                    action,
                    Action::Scroll { target: None, .. }
                        | Action::Back
                        | Action::Home
                        | Action::Recents
                        | Action::Notifications
                        | Action::Wait { .. }
                        | Action::Done { .. }
                        | Action::Fail { .. }
                ),
                "{line:?}"
            );
        }
    }
}
