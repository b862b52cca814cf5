//! Redaction: what leaves the device for a cloud model is masked first.
//!
//! Why placeholders and not deletion: the cloud model must still be able to act on what it
//! cannot see. "Text Maria's mobile number to Leo" needs the number typed into a message; the
//! model reads `Maria Lopez | {phone_1}` and writes `type 4 "{phone_1}"`, and the device puts
//! the real number back ([`Redactor::unmask`]) before the action runs. Placeholders are stable
//! for a whole task (the same number is `{phone_1}` in the goal, in the history and on every
//! screen), numbered per kind in order of first sight, and never derived from the value (a hash
//! of a phone number could be reversed by trying them all).
//!
//! What is masked:
//! * phone numbers, e-mail addresses, payment card numbers (Luhn), identity numbers (Chinese
//!   resident ID with its check digit, US SSN) and one-time codes near a cue ("code", "OTP",
//!   "验证码"), found by [`find_sensitive`];
//! * everything shown by an app on the private list ([`PrivateApps`]: banks, wallets, password
//!   managers, authenticators), window by window ([`Redactor::mask_screen`]), and the history of
//!   steps taken on such screens ([`withhold_private_steps`]);
//! * password fields never reach the text at all: the encoder does not print their content.
//!
//! Text that already looks like a placeholder (`{phone_1}` written on a web page) is defanged
//! to `(phone_1)` before masking, so screen text cannot make the device type a real value the
//! model never asked for.

mod detect;
mod private_apps;

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

pub use detect::{Finding, SensitiveKind, find_sensitive};
pub use private_apps::{DEFAULT_PRIVATE_PACKAGE_WORDS, DEFAULT_PRIVATE_PACKAGES, PrivateApps};

use crate::history::StepMemory;
use crate::screen::{ElementId, EncodedScreen};

/// What replaces an element line of a private app's window.
pub const WITHHELD_ELEMENT: &str = "(withheld: private app)";
/// What replaces the history of a step taken on a private app's screen.
pub const WITHHELD_STEP: &str = "(withheld: a step in a private app)";

/// The window kinds the encoder prints in a window header (`# app com.example.notes`).
const WINDOW_KINDS: [&str; 7] = [
    "app",
    "keyboard",
    "system",
    "overlay",
    "divider",
    "magnifier",
    "window",
];

/// A placeholder in a planner's answer that no masked value stands behind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the answer refers to {placeholder}, which stands for nothing shown")]
pub struct UnknownPlaceholder {
    /// The placeholder as written.
    pub placeholder: String,
}

/// Masks personal data with placeholders and puts it back, keeping the mapping for one task.
/// Its `Debug` output prints counts only, never a value.
#[derive(Clone, Default)]
pub struct Redactor {
    entries: Vec<Entry>,
}

/// One masked value.
#[derive(Clone)]
struct Entry {
    kind: SensitiveKind,
    /// The value normalised (digits only, or the lower-cased address), so that one number
    /// written two ways gets one placeholder.
    key: String,
    /// The value as first seen: what unmasking gives back.
    value: String,
    placeholder: String,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut counts = f.debug_struct("Redactor");
        for kind in SensitiveKind::ALL {
            let count = self.entries.iter().filter(|e| e.kind == kind).count();
            counts.field(kind.name(), &count);
        }
        counts.finish()
    }
}

impl Redactor {
    /// A redactor with no values yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every value: a new task begins.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many values are masked.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing has been masked yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Masks every piece of personal data in `text`, giving new values new placeholders.
    pub fn mask(&mut self, text: &str) -> String {
        let text = defang(text);
        let findings = find_sensitive(&text);
        let mut masked = String::with_capacity(text.len());
        let mut last = 0;
        for finding in findings {
            masked.push_str(&text[last..finding.range.start]);
            let value = &text[finding.range.clone()];
            masked.push_str(self.placeholder_for(finding.kind, value));
            last = finding.range.end;
        }
        masked.push_str(&text[last..]);
        masked
    }

    /// Masks the values of `text` that already have a placeholder, leaving any other text as
    /// it is: how an answer that quotes earlier values is written in placeholders.
    pub fn mask_known(&self, text: &str) -> String {
        let mut masked = String::with_capacity(text.len());
        let mut last = 0;
        for finding in find_sensitive(text) {
            let value = &text[finding.range.clone()];
            let key = normalise(finding.kind, value);
            if let Some(entry) = self
                .entries
                .iter()
                .find(|entry| entry.kind == finding.kind && entry.key == key)
            {
                masked.push_str(&text[last..finding.range.start]);
                masked.push_str(&entry.placeholder);
                last = finding.range.end;
            }
        }
        masked.push_str(&text[last..]);
        masked
    }

    /// Puts the real values back for the placeholders in `text`. A placeholder that stands for
    /// nothing (the model made it up) is an error: acting on it would type nonsense.
    pub fn unmask(&self, text: &str) -> Result<String, UnknownPlaceholder> {
        let mut unmasked = String::with_capacity(text.len());
        let mut last = 0;
        for range in placeholders_in(text) {
            let placeholder = &text[range.clone()];
            let entry = self
                .entries
                .iter()
                .find(|entry| entry.placeholder == placeholder)
                .ok_or_else(|| UnknownPlaceholder {
                    placeholder: placeholder.to_owned(),
                })?;
            unmasked.push_str(&text[last..range.start]);
            unmasked.push_str(&entry.value);
            last = range.end;
        }
        unmasked.push_str(&text[last..]);
        Ok(unmasked)
    }

    /// The encoded screen's text with every window of a private app withheld and the rest
    /// masked. Element lines keep their ids (the guard and the history still name them), but
    /// not their labels; plain text lines of those windows are dropped; the window header names
    /// no package.
    pub fn mask_screen(&mut self, screen: &EncodedScreen, private: &PrivateApps) -> String {
        let lines: Vec<&str> = screen.text.lines().collect();
        let mut kept: Vec<String> = Vec::with_capacity(lines.len());
        let mut in_private_window = false;
        for (index, line) in lines.iter().enumerate() {
            if let Some(id) = element_id(line) {
                let private_element = match screen.element(id) {
                    Some(element) => private.contains(&element.package),
                    None => in_private_window,
                };
                if private_element {
                    kept.push(format!("[{id}] {WITHHELD_ELEMENT}"));
                } else {
                    kept.push((*line).to_owned());
                }
            } else if let Some((kind, package)) = window_header(line) {
                if private.contains(package) {
                    in_private_window = true;
                    kept.push(format!(
                        "# {kind} (a private app; its content stays on the device)"
                    ));
                } else if !in_private_window {
                    kept.push((*line).to_owned());
                } else if next_element_package(screen, &lines[index + 1..]) == Some(package) {
                    // A header ends a private window only when the elements after it belong to
                    // the package it names: text in the private window cannot forge an exit.
                    in_private_window = false;
                    kept.push((*line).to_owned());
                }
            } else if !in_private_window {
                kept.push((*line).to_owned());
            }
        }
        self.mask(&kept.join("\n"))
    }

    /// The placeholder of `value`, made on first sight.
    fn placeholder_for(&mut self, kind: SensitiveKind, value: &str) -> &str {
        let key = normalise(kind, value);
        let position = match self
            .entries
            .iter()
            .position(|entry| entry.kind == kind && entry.key == key)
        {
            Some(position) => position,
            None => {
                let number = self.entries.iter().filter(|e| e.kind == kind).count() + 1;
                self.entries.push(Entry {
                    kind,
                    key,
                    value: value.to_owned(),
                    placeholder: format!("{{{}_{number}}}", kind.name()),
                });
                self.entries.len() - 1
            }
        };
        &self.entries[position].placeholder
    }
}

/// The first private app on `screen` (an element's package or a window header's), if any.
pub fn private_app_on_screen(screen: &EncodedScreen, private: &PrivateApps) -> Option<String> {
    if let Some(element) = screen
        .elements
        .iter()
        .find(|element| private.contains(&element.package))
    {
        return Some(element.package.clone());
    }
    screen
        .text
        .lines()
        .filter_map(window_header)
        .find(|(_, package)| private.contains(package))
        .map(|(_, package)| package.to_owned())
}

/// The history with the steps around private screens withheld: a step taken on a private
/// screen (in `private_steps`) loses its action and result, and the step before one loses its
/// result (its screen diff shows the private screen it led to).
pub fn withhold_private_steps(
    history: &[StepMemory],
    private_steps: &BTreeSet<u32>,
) -> Vec<StepMemory> {
    history
        .iter()
        .map(|memory| {
            let mut memory = memory.clone();
            if private_steps.contains(&memory.step) {
                memory.action = WITHHELD_STEP.to_owned();
                memory.result = WITHHELD_STEP.to_owned();
            } else if private_steps.contains(&memory.step.saturating_add(1)) {
                memory.result = WITHHELD_STEP.to_owned();
            }
            memory
        })
        .collect()
}

/// The normalised key of a value: digits (and a check `X`) for numbers, the lower-cased
/// address for e-mail.
fn normalise(kind: SensitiveKind, value: &str) -> String {
    match kind {
        SensitiveKind::Email => value.to_lowercase(),
        _ => value
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    }
}

/// The byte ranges of the placeholders (`{phone_1}`, `{code_12}`) in `text`.
fn placeholders_in(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|offset| from + offset) {
        let rest = &text[open + 1..];
        let close = rest.find('}');
        let is_placeholder = close.is_some_and(|close| {
            let inner = &rest[..close];
            inner.split_once('_').is_some_and(|(kind, number)| {
                SensitiveKind::from_name(kind).is_some()
                    && !number.is_empty()
                    && number.chars().all(|c| c.is_ascii_digit())
            })
        });
        match close {
            Some(close) if is_placeholder => {
                let end = open + 1 + close + 1;
                found.push(open..end);
                from = end;
            }
            _ => from = open + 1,
        }
    }
    found
}

/// `text` with anything shaped like a placeholder written with parentheses instead of braces.
fn defang(text: &str) -> String {
    let ranges = placeholders_in(text);
    if ranges.is_empty() {
        return text.to_owned();
    }
    let mut defanged = text.to_owned();
    for range in ranges.into_iter().rev() {
        let inner = text[range.start + 1..range.end - 1].to_owned();
        defanged.replace_range(range, &format!("({inner})"));
    }
    defanged
}

/// The id of an element line (`[12] Wi-Fi`).
fn element_id(line: &str) -> Option<ElementId> {
    let rest = line.strip_prefix('[')?;
    let (digits, _) = rest.split_once("] ").or_else(|| rest.split_once(']'))?;
    digits.parse().ok()
}

/// The kind and package of a window header line (`# app com.example.notes (other app)`).
fn window_header(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("# ")?;
    let mut words = rest.split(' ');
    let kind = words.next()?;
    let package = words.next()?;
    (WINDOW_KINDS.contains(&kind) && !package.is_empty()).then_some((kind, package))
}

/// The package of the first element line in `lines` before the next window header.
fn next_element_package<'a>(screen: &'a EncodedScreen, lines: &[&str]) -> Option<&'a str> {
    for line in lines {
        if window_header(line).is_some() {
            return None;
        }
        if let Some(id) = element_id(line) {
            return screen.element(id).map(|element| element.package.as_str());
        }
    }
    None
}

#[cfg(test)]
mod tests;
