//! Window provenance: which windows belong to the platform and which are foreign, drawn by a
//! package the task does not work in.
//!
//! Why here, in the screen model: the encoder marks foreign windows `(other app)` and the guard
//! confirms actions landing in them, so both read this one definition from below. Why it
//! matters: an app with the overlay permission, or another accessibility service, can draw a window
//! over the app the agent is driving: a fake "Update required" dialog, an ad with an Install
//! button, a login form that copies the real one. The screen reader keeps every window's package
//! and type (ARCHITECTURE.md, decision 1) so that an action landing in such a window can be caught
//! here and confirmed by the user instead of performed blindly. The keyboard, the system UI
//! (status bar, notification shade, navigation bar) and the permission dialog are part of the
//! platform, not of another app, and are trusted.

use crate::screen::{Snapshot, Window, WindowType};

/// The package of the status bar, notification shade and navigation bar.
pub const SYSTEM_UI_PACKAGE: &str = "com.android.systemui";

/// Packages of the runtime-permission dialog (AOSP and Google builds).
pub const PERMISSION_CONTROLLER_PACKAGES: [&str; 2] = [
    "com.android.permissioncontroller",
    "com.google.android.permissioncontroller",
];

/// Framework packages that draw system dialogs (the "android" package for framework dialogs,
/// the share sheet of Android 14+): no third-party app can draw as them.
const FRAMEWORK_PACKAGES: [&str; 2] = ["android", "com.android.intentresolver"];

/// Whether `package` belongs to the platform: the system UI, a permission controller or the
/// framework.
pub fn is_platform_package(package: &str) -> bool {
    package == SYSTEM_UI_PACKAGE
        || PERMISSION_CONTROLLER_PACKAGES.contains(&package)
        || FRAMEWORK_PACKAGES.contains(&package)
}

/// Whether `package` is a permission controller, whose Allow button grants a permission.
pub fn is_permission_controller(package: &str) -> bool {
    PERMISSION_CONTROLLER_PACKAGES.contains(&package)
}

/// The ids of the windows in `snapshot` that belong to another app: not one of
/// `task_packages`, not the platform ([`is_platform_package`]), not the keyboard or another
/// window type only the system draws (split-screen divider, magnifier).
///
/// When `task_packages` is empty (the loop has not opened an app yet), the app in the
/// foreground (`Snapshot::foreground_package`) is the one trusted; when that is unknown too,
/// no window is foreign. Windows whose package is unknown (some dump formats have none) are
/// not flagged.
pub fn foreign_windows(snapshot: &Snapshot, task_packages: &[String]) -> Vec<i32> {
    let trust = Trust::new(snapshot, task_packages);
    snapshot
        .windows
        .iter()
        .filter(|window| trust.is_foreign_window(window))
        .map(|window| window.id)
        .collect()
}

/// The packages a task trusts, with the fallback to the foreground app.
pub(crate) struct Trust<'a> {
    packages: Vec<&'a str>,
}

impl<'a> Trust<'a> {
    pub fn new(snapshot: &'a Snapshot, task_packages: &'a [String]) -> Self {
        let packages = if task_packages.is_empty() {
            let foreground = snapshot.foreground_package.as_str();
            if foreground.is_empty() {
                Vec::new()
            } else {
                vec![foreground]
            }
        } else {
            task_packages.iter().map(String::as_str).collect()
        };
        Trust { packages }
    }

    /// Whether the window belongs to another app.
    pub fn is_foreign_window(&self, window: &Window) -> bool {
        let kind = WindowType::try_from(window.r#type).unwrap_or(WindowType::Unknown);
        let platform_kind = matches!(
            kind,
            WindowType::InputMethod
                | WindowType::SplitScreenDivider
                | WindowType::MagnificationOverlay
        );
        !platform_kind && self.is_foreign_package(&window.package)
    }

    /// Whether a node of `package` belongs to another app.
    pub fn is_foreign_package(&self, package: &str) -> bool {
        !self.packages.is_empty()
            && !package.is_empty()
            && !is_platform_package(package)
            && !self.packages.contains(&package)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::test_support::*;

    fn screen() -> Snapshot {
        snapshot(vec![
            window(
                1,
                WindowType::Application,
                "com.example.shop",
                button("shop.buy", "Add to cart", 1200),
            ),
            window(
                2,
                WindowType::System,
                SYSTEM_UI_PACKAGE,
                text("sys.clock", "12:30", 0),
            ),
            window(
                3,
                WindowType::InputMethod,
                "com.google.android.inputmethod.latin",
                button("ime.q", "q", 2000),
            ),
            window(
                4,
                WindowType::System,
                "com.cleaner.booster",
                button("ad.install", "Install", 800),
            ),
            window(
                5,
                WindowType::AccessibilityOverlay,
                "com.some.a11yservice",
                button("a11y.claim", "Claim reward", 600),
            ),
        ])
    }

    #[test]
    fn flags_overlays_of_other_packages() {
        let task = vec!["com.example.shop".to_owned()];
        assert_eq!(foreign_windows(&screen(), &task), vec![4, 5]);
    }

    #[test]
    fn trusts_every_task_package() {
        let task = vec![
            "com.example.shop".to_owned(),
            "com.cleaner.booster".to_owned(),
        ];
        assert_eq!(foreign_windows(&screen(), &task), vec![5]);
    }

    #[test]
    fn falls_back_to_the_foreground_app() {
        assert_eq!(foreign_windows(&screen(), &[]), vec![4, 5]);
        let mut unknown = screen();
        unknown.foreground_package.clear();
        assert!(foreign_windows(&unknown, &[]).is_empty());
    }

    #[test]
    fn trusts_the_permission_dialog_and_unknown_packages() {
        let screen = snapshot(vec![
            window(
                1,
                WindowType::Application,
                "com.example.camera",
                button("cam.shutter", "Shutter", 1800),
            ),
            window(
                2,
                WindowType::Application,
                "com.google.android.permissioncontroller",
                button("perm.allow", "While using the app", 1200),
            ),
            window(3, WindowType::Application, "", button("x", "OK", 100)),
        ]);
        let task = vec!["com.example.camera".to_owned()];
        assert!(foreign_windows(&screen, &task).is_empty());
        assert!(is_permission_controller("com.android.permissioncontroller"));
        assert!(!is_permission_controller("com.example.camera"));
    }
}
