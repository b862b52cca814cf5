//! Guessing a window's type from its package, for dumps that do not record it.
//!
//! The guard treats windows differently by type: a keyboard's keys are not the app's buttons,
//! and an overlay from the system is not the task's app. uiautomator, Appium and DroidBot dumps
//! only give the package that owns each window, so the type is inferred from it: SystemUI is
//! the system, well-known keyboards are input methods, everything else an application. The
//! list of keyboards is explicit and tested, because a keyboard mistaken for an app would let
//! the planner "tap" its letters as if they were app controls.

use super::super::WindowType;

/// Input method packages that no generic rule below catches.
const KNOWN_IME_PACKAGES: &[&str] = &[
    // Samsung Keyboard.
    "com.samsung.android.honeyboard",
    // Microsoft SwiftKey.
    "com.touchtype.swiftkey",
    // QQ Pinyin.
    "com.tencent.qqpinyin",
    // ADB Keyboard (used by agents that type through ADB).
    "com.android.adbkeyboard",
    // AnySoftKeyboard, Hacker's Keyboard, FlorisBoard, HeliBoard.
    "com.menny.android.anysoftkeyboard",
    "org.pocketworkstation.pckeyboard",
    "dev.patrickgold.florisboard",
    "helium314.keyboard",
];

/// Prefixes of input method package families (several apps per vendor or per edition).
const KNOWN_IME_PREFIXES: &[&str] = &[
    // Sogou, Baidu and iFlytek pinyin ship many editions (`...sogou.oem`, `input_mi`, ...).
    "com.sohu.inputmethod.sogou",
    "com.baidu.input",
    "com.iflytek.inputmethod",
    // AOSP and Google keyboards.
    "com.android.inputmethod.",
    "com.google.android.inputmethod.",
    "com.google.android.apps.inputmethod.",
];

/// DroidBot's helper app: an input method when the window is its keyboard, an app otherwise.
const DROIDBOT_APP: &str = "io.github.ylimit.droidbotapp";

/// The window type for a window owned by `package`, whose root node has class `root_class`
/// and resource id `root_resource_id` (used to tell DroidBot's keyboard from its other
/// windows).
pub(super) fn infer(package: &str, root_class: &str, root_resource_id: &str) -> WindowType {
    if package.is_empty() {
        return WindowType::Unknown;
    }
    if package == "com.android.systemui" || !package.contains('.') {
        // A "package" without a dot is no installable app: some ROMs own their gesture strips
        // and edge handles by names such as `gesture`.
        return WindowType::System;
    }
    if package == DROIDBOT_APP {
        return if looks_like_keyboard(root_class) || looks_like_keyboard(root_resource_id) {
            WindowType::InputMethod
        } else {
            WindowType::Application
        };
    }
    if is_input_method(package) {
        return WindowType::InputMethod;
    }
    WindowType::Application
}

/// Whether `package` is a known input method, or is named like one: "inputmethod" anywhere
/// (`com.sec.android.inputmethod`, Xiaomi's `com.miui.securityinputmethod`), or ending in
/// `.ime` / `IME`.
pub(super) fn is_input_method(package: &str) -> bool {
    KNOWN_IME_PACKAGES.contains(&package)
        || KNOWN_IME_PREFIXES.iter().any(|p| package.starts_with(p))
        || package.ends_with("IME")
        || {
            let lower = package.to_ascii_lowercase();
            lower.contains("inputmethod") || lower.ends_with(".ime")
        }
}

fn looks_like_keyboard(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("keyboard") || lower.contains("inputmethod") || lower.contains("inputview")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemui_is_system() {
        assert_eq!(infer("com.android.systemui", "", ""), WindowType::System);
    }

    #[test]
    fn dotless_pseudo_packages_are_system() {
        assert_eq!(
            infer("gesture", "android.view.View", ""),
            WindowType::System
        );
    }

    #[test]
    fn empty_package_is_unknown() {
        assert_eq!(infer("", "", ""), WindowType::Unknown);
    }

    #[test]
    fn known_keyboards_are_input_methods() {
        for package in [
            "com.google.android.inputmethod.latin",
            "com.samsung.android.honeyboard",
            "com.touchtype.swiftkey",
            "com.sohu.inputmethod.sogou",
            "com.sohu.inputmethod.sogou.xiaomi",
            "com.baidu.input",
            "com.baidu.input_mi",
            "com.iflytek.inputmethod",
            "com.iflytek.inputmethod.miui",
            "com.tencent.qqpinyin",
            "com.miui.securityinputmethod",
            "com.android.inputmethod.latin",
            "com.android.inputmethod.pinyin",
            "com.sec.android.inputmethod",
            "com.android.adbkeyboard",
            "rkr.simplekeyboard.inputmethod",
            "com.example.keyboard.ime",
            "com.example.MyIME",
        ] {
            assert_eq!(infer(package, "", ""), WindowType::InputMethod, "{package}");
        }
    }

    #[test]
    fn apps_and_launchers_are_applications() {
        for package in [
            "com.tencent.mm",
            "com.whatsapp",
            "com.miui.home",
            "com.android.settings",
            "com.google.android.gm",
            "com.samsung.android.app.cocktailbarservice",
            "com.example.timer",
            // "ime" inside a word is not a keyboard.
            "com.example.anime",
            "com.example.timetable",
        ] {
            assert_eq!(infer(package, "", ""), WindowType::Application, "{package}");
        }
    }

    #[test]
    fn droidbot_app_is_a_keyboard_only_when_it_looks_like_one() {
        assert_eq!(
            infer(DROIDBOT_APP, "android.inputmethodservice.KeyboardView", ""),
            WindowType::InputMethod
        );
        assert_eq!(
            infer(
                DROIDBOT_APP,
                "android.widget.FrameLayout",
                "io.github.ylimit.droidbotapp:id/keyboard"
            ),
            WindowType::InputMethod
        );
        assert_eq!(
            infer(DROIDBOT_APP, "android.widget.FrameLayout", ""),
            WindowType::Application
        );
    }
}
