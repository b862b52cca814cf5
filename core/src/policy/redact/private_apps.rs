//! Apps whose content never leaves the device: banking, payment, password managers and
//! authenticators by default.
//!
//! Why a list and not only the per-value masks: a bank's screen is sensitive as a whole (the
//! balance, the payees, the transaction history), not only its phone numbers. The router keeps
//! every step on such a screen on the device, and the cloud prompt withholds the text of their
//! windows even where a cloud planner is used alone. The list is the integrator's: a phone maker
//! adds its own wallet, an enterprise its own apps.

/// Well-known package names of banking, payment, password-manager and authenticator apps.
pub const DEFAULT_PRIVATE_PACKAGES: &[&str] = &[
    // Password managers and authenticators.
    "com.x8bit.bitwarden",
    "com.onepassword.android",
    "com.agilebits.onepassword",
    "com.lastpass.lpandroid",
    "com.dashlane",
    "keepass2android.keepass2android",
    "com.kunzisoft.keepass.free",
    "com.google.android.apps.authenticator2",
    "com.azure.authenticator",
    "com.authy.authy",
    // Wallets and payments.
    "com.google.android.apps.walletnfcrel",
    "com.paypal.android.p2pmobile",
    "com.venmo",
    "com.squareup.cash",
    "com.eg.android.AlipayGphone",
    "com.unionpay",
    // Banks.
    "com.chase.sig.android",
    "com.wf.wellsfargomobile",
    "com.infonow.bofa",
    "com.citi.citimobile",
    "com.konylabs.capitalone",
    "com.icbc",
    "com.chinamworld.main",
    "com.chinamworld.bocmbci",
    "cmb.pb",
    "com.android.bankabc",
];

/// Words that mark a package private wherever they stand as one of its dot-separated parts or
/// inside one (`com.example.mybank`, `org.example.passwordsafe`).
pub const DEFAULT_PRIVATE_PACKAGE_WORDS: &[&str] = &[
    "bank",
    "banking",
    "password",
    "authenticator",
    "keepass",
    "wallet",
];

/// Apps whose content is never sent to a cloud model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateApps {
    /// Exact package names.
    pub packages: Vec<String>,
    /// Lower-case words that mark a package private when one of its dot-separated parts
    /// contains them.
    pub package_words: Vec<String>,
}

impl Default for PrivateApps {
    /// The default lists, [`DEFAULT_PRIVATE_PACKAGES`] and [`DEFAULT_PRIVATE_PACKAGE_WORDS`].
    fn default() -> Self {
        Self {
            packages: DEFAULT_PRIVATE_PACKAGES
                .iter()
                .map(|package| (*package).to_owned())
                .collect(),
            package_words: DEFAULT_PRIVATE_PACKAGE_WORDS
                .iter()
                .map(|word| (*word).to_owned())
                .collect(),
        }
    }
}

impl PrivateApps {
    /// No app is private (only for tests and integrators who filter elsewhere).
    pub fn none() -> Self {
        Self {
            packages: Vec::new(),
            package_words: Vec::new(),
        }
    }

    /// Adds a package.
    pub fn with_package(mut self, package: impl Into<String>) -> Self {
        self.packages.push(package.into());
        self
    }

    /// Whether `package` is private.
    pub fn contains(&self, package: &str) -> bool {
        if package.is_empty() {
            return false;
        }
        if self.packages.iter().any(|listed| listed == package) {
            return true;
        }
        let lower = package.to_ascii_lowercase();
        lower.split('.').any(|part| {
            self.package_words
                .iter()
                .any(|word| !word.is_empty() && part.contains(word.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_covers_banks_wallets_and_password_managers() {
        let private = PrivateApps::default();
        for package in [
            "com.x8bit.bitwarden",
            "com.chase.sig.android",
            "com.eg.android.AlipayGphone",
            "com.example.mybank",
            "org.example.passwordsafe",
            "com.google.android.apps.authenticator2",
        ] {
            assert!(private.contains(package), "{package}");
        }
        for package in [
            "com.example.contacts",
            "com.tencent.mm",
            "com.android.settings",
            "com.example.shop",
            "",
        ] {
            assert!(!private.contains(package), "{package}");
        }
    }

    #[test]
    fn the_integrator_adds_and_clears() {
        let private = PrivateApps::none().with_package("com.example.hr");
        assert!(private.contains("com.example.hr"));
        assert!(!private.contains("com.example.mybank"));
    }
}
