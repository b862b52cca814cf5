//! The guard's vocabulary as Kotlin names it: the kinds of sensitive action (what a
//! confirmation dialog says, which kinds the integrator stops confirming) and the tiers a tool
//! call asks under.

use lobster_core::policy::{Category, Tier};

/// What a sensitive action would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SensitiveCategory {
    /// Sending a message, an email, a post.
    Send,
    /// Paying, buying, ordering, transferring money.
    Pay,
    /// Deleting or removing data, uninstalling an app.
    Delete,
    /// Installing an app.
    Install,
    /// Granting a permission.
    GrantPermission,
    /// Sharing or forwarding content.
    Share,
    /// Signing out, switching, adding or deleting an account.
    Account,
    /// Any action on another app's window (an overlay, an ad, a fake dialog).
    ForeignWindow,
    /// Any tap in an app the policy marks sensitive.
    SensitiveApp,
    /// A system tool whose tier asks and that has no kind of its own.
    Tool,
    /// Reading personal data (contacts, calendar, clipboard, the screen's pixels) for the
    /// planner.
    PersonalData,
    /// Placing a phone call.
    Call,
}

impl From<Category> for SensitiveCategory {
    fn from(category: Category) -> Self {
        match category {
            Category::Send => SensitiveCategory::Send,
            Category::Pay => SensitiveCategory::Pay,
            Category::Delete => SensitiveCategory::Delete,
            Category::Install => SensitiveCategory::Install,
            Category::GrantPermission => SensitiveCategory::GrantPermission,
            Category::Share => SensitiveCategory::Share,
            Category::Account => SensitiveCategory::Account,
            Category::ForeignWindow => SensitiveCategory::ForeignWindow,
            Category::SensitiveApp => SensitiveCategory::SensitiveApp,
            Category::Tool => SensitiveCategory::Tool,
            Category::PersonalData => SensitiveCategory::PersonalData,
            Category::Call => SensitiveCategory::Call,
        }
    }
}

impl From<SensitiveCategory> for Category {
    fn from(category: SensitiveCategory) -> Self {
        match category {
            SensitiveCategory::Send => Category::Send,
            SensitiveCategory::Pay => Category::Pay,
            SensitiveCategory::Delete => Category::Delete,
            SensitiveCategory::Install => Category::Install,
            SensitiveCategory::GrantPermission => Category::GrantPermission,
            SensitiveCategory::Share => Category::Share,
            SensitiveCategory::Account => Category::Account,
            SensitiveCategory::ForeignWindow => Category::ForeignWindow,
            SensitiveCategory::SensitiveApp => Category::SensitiveApp,
            SensitiveCategory::Tool => Category::Tool,
            SensitiveCategory::PersonalData => Category::PersonalData,
            SensitiveCategory::Call => Category::Call,
        }
    }
}

/// How often calling a tool asks the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ToolTier {
    /// Never asks.
    Always,
    /// Asks the first time; keep the tools the user allowed and pass them back in
    /// `Policy.grantedTools`.
    FirstTime,
    /// Asks every time.
    EveryTime,
}

impl From<ToolTier> for Tier {
    fn from(tier: ToolTier) -> Self {
        match tier {
            ToolTier::Always => Tier::Always,
            ToolTier::FirstTime => Tier::FirstTime,
            ToolTier::EveryTime => Tier::EveryTime,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_and_keeps_its_name() {
        for category in Category::ALL {
            let ffi = SensitiveCategory::from(category);
            assert_eq!(Category::from(ffi), category);
            // The Kotlin enum constant is the core name in upper snake case.
            assert_eq!(
                format!("{ffi:?}").to_lowercase(),
                category.name().replace('_', "")
            );
        }
    }
}
