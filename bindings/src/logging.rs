//! Where the library's log lines go: logcat on Android (tag `lobster`), nowhere by default
//! elsewhere, where the host process picks its own `tracing` subscriber.
//!
//! Log lines name stages, counts and planner modes, never screen text, goals or secrets:
//! logcat is readable by bug reports and OEM tooling.

/// Installs the logcat layer once per process on Android; does nothing elsewhere.
pub(crate) fn init() {
    #[cfg(target_os = "android")]
    android::init();
}

#[cfg(target_os = "android")]
mod android {
    use std::sync::Once;

    use tracing_subscriber::layer::SubscriberExt;

    static INIT: Once = Once::new();

    pub(super) fn init() {
        INIT.call_once(|| {
            if let Ok(layer) = tracing_android::layer("lobster") {
                let subscriber = tracing_subscriber::registry().with(layer);
                // Another library of the app may have set a global subscriber first; then
                // Lobster's lines go there, which is fine.
                let _ = tracing::subscriber::set_global_default(subscriber);
            }
        });
    }
}
