//! Secrets the caller supplies (a password, a PIN), referenced by name and never shown to the
//! planner.
//!
//! Why references: the planner's prompt may go to a cloud model and is logged, so a password
//! must never appear in it or in the action the planner writes. The planner writes
//! `type 7 "{secret:bank_password}"`; the guard allows that only into a password field
//! ([`super::Guard`]), and the loop substitutes the value ([`SecretStore::resolve`]) at the last
//! moment, when it hands the action to the device. The store's `Debug` prints names only, so a
//! stray `{:?}` in a log cannot leak a value.

use std::collections::BTreeMap;
use std::fmt;

/// How a secret reference starts: `{secret:NAME}`.
const PREFIX: &str = "{secret:";
/// How it ends.
const SUFFIX: &str = "}";
/// The longest secret name.
pub const MAX_SECRET_NAME_CHARS: usize = 64;
/// A secret value shorter than this is not searched for in typed text (a 4-digit PIN would
/// match too many ordinary numbers).
const MIN_LEAK_CHECK_CHARS: usize = 6;

/// Secrets by name. Values never appear in `Debug` output.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretStore {
    secrets: BTreeMap<String, String>,
}

/// A secret name that is empty, too long or has characters other than ASCII letters, digits,
/// `_`, `-` and `.`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid secret name {name:?}: use 1–64 ASCII letters, digits, '_', '-' or '.'")]
pub struct InvalidSecretName {
    /// The rejected name.
    pub name: String,
}

impl SecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value` under `name`, replacing an earlier value of that name.
    pub fn insert(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), InvalidSecretName> {
        let name = name.into();
        if !is_valid_name(&name) {
            return Err(InvalidSecretName { name });
        }
        self.secrets.insert(name, value.into());
        Ok(())
    }

    /// Removes the secret `name`; whether it was there.
    pub fn remove(&mut self, name: &str) -> bool {
        self.secrets.remove(name).is_some()
    }

    /// Whether a secret `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.secrets.contains_key(name)
    }

    /// The names of the stored secrets, sorted: what the planner may be told exists.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.secrets.keys().map(String::as_str)
    }

    /// How many secrets are stored.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The value `text` refers to, when `text` is exactly a reference `{secret:NAME}` to a stored
    /// secret: what the loop types instead of the reference.
    pub fn resolve(&self, text: &str) -> Option<&str> {
        let name = secret_reference(text)?;
        self.secrets.get(name).map(String::as_str)
    }

    /// Whether `text` contains the value of a stored secret (values of at least six characters),
    /// verbatim.
    pub fn contains_value(&self, text: &str) -> bool {
        self.secrets
            .values()
            .any(|value| value.chars().count() >= MIN_LEAK_CHECK_CHARS && text.contains(value))
    }
}

impl fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretStore")
            .field("names", &self.secrets.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The reference the planner writes for the secret `name`: `{secret:NAME}`.
pub fn secret_placeholder(name: &str) -> String {
    format!("{PREFIX}{name}{SUFFIX}")
}

/// The name in `text` when `text` is exactly one secret reference `{secret:NAME}` with a valid
/// name.
pub fn secret_reference(text: &str) -> Option<&str> {
    let name = text.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    is_valid_name(name).then_some(name)
}

/// Whether `text` contains anything that looks like a secret reference (`{secret:`), valid or
/// not, anywhere.
pub fn mentions_secret(text: &str) -> bool {
    text.to_ascii_lowercase().contains(PREFIX)
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_SECRET_NAME_CHARS
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> SecretStore {
        let mut store = SecretStore::new();
        assert!(store.insert("bank_password", "hunter2-Correct").is_ok());
        assert!(store.insert("pin", "4711").is_ok());
        store
    }

    #[test]
    fn resolves_exact_references_only() {
        let store = store();
        assert_eq!(
            store.resolve("{secret:bank_password}"),
            Some("hunter2-Correct")
        );
        assert_eq!(store.resolve("{secret:pin}"), Some("4711"));
        assert_eq!(store.resolve("{secret:missing}"), None);
        assert_eq!(store.resolve(" {secret:pin}"), None);
        assert_eq!(store.resolve("my pin is {secret:pin}"), None);
        assert_eq!(store.resolve("pin"), None);
    }

    #[test]
    fn debug_prints_names_never_values() {
        let printed = format!("{:?}", store());
        assert!(printed.contains("bank_password"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("4711"), "{printed}");
    }

    #[test]
    fn names_are_checked() {
        let mut store = SecretStore::new();
        assert!(store.insert("", "x").is_err());
        assert!(store.insert("has space", "x").is_err());
        assert!(store.insert("a}b", "x").is_err());
        assert!(store.insert("a".repeat(65), "x").is_err());
        assert!(store.insert("work.email-password_2", "x").is_ok());
        assert_eq!(store.names().collect::<Vec<_>>(), ["work.email-password_2"]);
        assert!(store.remove("work.email-password_2"));
        assert!(store.is_empty());
    }

    #[test]
    fn references_and_mentions() {
        assert_eq!(secret_reference("{secret:pin}"), Some("pin"));
        assert_eq!(secret_reference("{secret:}"), None);
        assert_eq!(secret_reference("{secret:a b}"), None);
        assert_eq!(secret_placeholder("pin"), "{secret:pin}");
        assert!(mentions_secret("hello {SECRET:pin} there"));
        assert!(!mentions_secret("a secret: nothing"));
    }

    #[test]
    fn finds_long_values_only() {
        let store = store();
        assert!(store.contains_value("the password is hunter2-Correct"));
        assert!(!store.contains_value("Meet at 4711 Main St"));
    }
}
