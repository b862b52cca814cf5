//! App action declarations across the FFI: Kotlin's discovery reads each app's declaration
//! document (the SDK's JSON resource) and hands it to [`read_action_declaration`], so the agent
//! checks it with the same reader as `lobster actions check`, and returns the actions from
//! `Device.appActions()` with their schemas, side effects and confirmation levels.
//!
//! Why Rust reads it: one reader means one set of rules (ids, schemas, examples, a financial
//! action that must ask) for the linter, the simulator and the phone; a Kotlin copy would drift.

use lobster_core::action::{AskPolicy, SideEffect, read_declarations};
use lobster_core::device as core;

use crate::device::AppActionInfo;

/// What calling an app's action does. Kotlin: `ActionSideEffect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum ActionSideEffect {
    /// Reads only.
    None,
    /// Changes what the user can change back. Undeclared actions count as this.
    #[default]
    Reversible,
    /// Changes what cannot be undone.
    Irreversible,
    /// Spends money.
    Financial,
}

/// When calling an app's action asks the user. Kotlin: `ActionConfirmation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, uniffi::Enum)]
pub enum ActionConfirmation {
    /// Never (the guard still asks where the name or the side effect says so).
    #[default]
    Never,
    /// The first time in a task.
    FirstTime,
    /// Every call.
    Always,
}

/// Why a declaration does not read: each error at its place. Kotlin: `DeclarationException`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum DeclarationError {
    /// The document has errors.
    #[error("the declaration has {} error(s): {}", errors.len(), errors.join("; "))]
    Invalid {
        /// Each error as `place: what` (`/actions/0/id: …`).
        errors: Vec<String>,
    },
}

/// The actions a declaration document (JSON) declares, named `app.id`, for `Device.appActions`.
#[uniffi::export]
pub fn read_action_declaration(json: String) -> Result<Vec<AppActionInfo>, DeclarationError> {
    let catalog = read_declarations(&json).map_err(|errors| DeclarationError::Invalid {
        errors: errors.iter().map(ToString::to_string).collect(),
    })?;
    Ok(core::AppActionInfo::declared(&catalog)
        .into_iter()
        .map(AppActionInfo::from)
        .collect())
}

impl From<SideEffect> for ActionSideEffect {
    fn from(effect: SideEffect) -> Self {
        match effect {
            SideEffect::None => ActionSideEffect::None,
            SideEffect::Reversible => ActionSideEffect::Reversible,
            SideEffect::Irreversible => ActionSideEffect::Irreversible,
            SideEffect::Financial => ActionSideEffect::Financial,
        }
    }
}

impl From<ActionSideEffect> for SideEffect {
    fn from(effect: ActionSideEffect) -> Self {
        match effect {
            ActionSideEffect::None => SideEffect::None,
            ActionSideEffect::Reversible => SideEffect::Reversible,
            ActionSideEffect::Irreversible => SideEffect::Irreversible,
            ActionSideEffect::Financial => SideEffect::Financial,
        }
    }
}

impl From<AskPolicy> for ActionConfirmation {
    fn from(policy: AskPolicy) -> Self {
        match policy {
            AskPolicy::Never => ActionConfirmation::Never,
            AskPolicy::FirstTime => ActionConfirmation::FirstTime,
            AskPolicy::Always => ActionConfirmation::Always,
        }
    }
}

impl From<ActionConfirmation> for AskPolicy {
    fn from(policy: ActionConfirmation) -> Self {
        match policy {
            ActionConfirmation::Never => AskPolicy::Never,
            ActionConfirmation::FirstTime => AskPolicy::FirstTime,
            ActionConfirmation::Always => AskPolicy::Always,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_reads_into_the_actions_kotlin_returns_and_back() {
        let shop = r#"{"app": "shop", "package": "com.example.shop", "version": 1, "actions": [
            {"id": "add_to_cart", "version": 1, "title": "Add to cart",
             "description": "Put a product in the cart.",
             "parameters": {"type": "object", "properties": {"product": {"type": "string"}},
                            "required": ["product"]},
             "side_effect": "reversible", "confirmation": "never"},
            {"id": "checkout", "version": 1, "title": "Pay", "description": "Pay for the cart.",
             "parameters": {"type": "object"},
             "side_effect": "financial", "confirmation": "always"}]}"#;
        let actions = read_action_declaration(shop.to_owned()).unwrap();
        let names: Vec<&str> = actions.iter().map(|action| action.name.as_str()).collect();
        assert_eq!(names, ["shop.add_to_cart", "shop.checkout"]);
        assert_eq!(actions[1].side_effect, ActionSideEffect::Financial);
        assert_eq!(actions[1].confirmation, ActionConfirmation::Always);
        let core_action = core::AppActionInfo::try_from(actions[0].clone()).unwrap();
        assert_eq!(core_action.side_effect, SideEffect::Reversible);
        assert!(core_action.parameters.is_some());
        let Err(DeclarationError::Invalid { errors }) =
            read_action_declaration("{\"app\": \"Shop\"}".into())
        else {
            panic!("a broken declaration read");
        };
        assert!(
            errors.iter().any(|error| error.starts_with("/app: ")),
            "{errors:?}"
        );
    }
}
