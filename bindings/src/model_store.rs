//! The model store for Kotlin: the manifest's models, downloads into app storage, deletion,
//! and the default for the phone's memory.
//!
//! Why here and why this shape: a phone gets its model by downloading it (hundreds of MB over
//! a phone network), so the app needs the list of models with their size and RAM tier, a
//! download that reports progress, survives a dropped connection (resume), never installs a
//! corrupt file (SHA-256), and can be cancelled from the UI while it runs. All of that already
//! exists in `lobster-models` (the CLI uses it); this module only adapts it, the way the rest
//! of this crate adapts core (ARCHITECTURE.md, decision 5): synchronous calls (`download`
//! blocks its thread and calls a listener back), `cancel` from any other thread, numbers
//! bounded, and errors as one small enum ([`ModelStoreError`], Kotlin `ModelStoreException`)
//! whose messages name the model and the byte counts but never a file path or a URL (they
//! end up in logs and crash reports; a mirror URL may carry a token in its path).
//!
//! The object exists in every build so the Kotlin API does not change with Cargo features; a
//! library built without the `models` feature throws `ModelStoreException.Unavailable` from
//! the constructors.

use std::sync::Arc;

/// The longest store directory accepted (bytes).
pub(crate) const MAX_DIR_LEN: usize = 4096;
/// The largest manifest text accepted (bytes): the built-in one is under 10 KiB.
pub(crate) const MAX_MANIFEST_LEN: usize = 1 << 20;
/// Bounds of the timeouts (milliseconds).
pub(crate) const MIN_TIMEOUT_MS: i64 = 100;
/// See [`MIN_TIMEOUT_MS`].
pub(crate) const MAX_TIMEOUT_MS: i64 = 10 * 60 * 1_000;

/// Why the model store could not do what was asked. Kotlin: `ModelStoreException`, with one
/// subclass per variant whose `message` says what went wrong (never a file path or a URL).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum ModelStoreError {
    /// An argument is not usable: an empty or relative directory, a malformed model name, a
    /// negative RAM size, an unusable mirror or manifest, a timeout out of range.
    #[error("invalid argument: {reason}")]
    InvalidArgument {
        /// What is wrong, naming the argument.
        reason: String,
    },
    /// The model is not in the store's manifest.
    #[error("unknown model {name}: it is not in the manifest")]
    UnknownModel {
        /// The name asked for.
        name: String,
    },
    /// This library was built without the model store (the `models` Cargo feature).
    #[error("model store not available: {reason}")]
    Unavailable {
        /// What it needs.
        reason: String,
    },
    /// A download of this model is already running (in this process); cancel it or wait.
    #[error("model {name} is being downloaded")]
    Busy {
        /// The model.
        name: String,
    },
    /// The download was cancelled; what arrived is kept and the next download resumes.
    #[error(
        "download of {name} was cancelled after {received_bytes} bytes; downloading it again resumes"
    )]
    Cancelled {
        /// The model.
        name: String,
        /// Bytes kept for the resume.
        received_bytes: i64,
    },
    /// The server could not be reached or refused the download (HTTP error).
    #[error("download of {name} failed: {reason}")]
    Network {
        /// The model.
        name: String,
        /// What happened (the URL left out).
        reason: String,
    },
    /// The connection broke or the body ended early; what arrived is kept and the next
    /// download resumes.
    #[error(
        "download of {name} was interrupted after {received_bytes} bytes ({reason}); downloading \
         it again resumes"
    )]
    Interrupted {
        /// The model.
        name: String,
        /// Bytes kept for the resume.
        received_bytes: i64,
        /// What happened (the URL left out).
        reason: String,
    },
    /// The downloaded bytes are not the manifest's file (size, SHA-256, not a GGUF, another
    /// architecture, too long); they were deleted and nothing was installed.
    #[error("download of {name} was rejected: {reason}")]
    Rejected {
        /// The model.
        name: String,
        /// Which check failed.
        reason: String,
    },
    /// Not enough free storage for the download.
    #[error(
        "not enough free storage for {name}: {needed_bytes} bytes needed, {available_bytes} free"
    )]
    InsufficientSpace {
        /// The model.
        name: String,
        /// Bytes the download still needs.
        needed_bytes: i64,
        /// Bytes free.
        available_bytes: i64,
    },
    /// Reading or writing the store's files failed.
    #[error("storage error: {reason}")]
    Storage {
        /// What was being done (no path).
        reason: String,
    },
    /// Lobster failed internally (a panic was caught at the boundary). Report it as a bug.
    #[error("internal error: {reason}")]
    Internal {
        /// Where it happened.
        reason: String,
    },
}

impl ModelStoreError {
    fn invalid(reason: impl Into<String>) -> Self {
        ModelStoreError::InvalidArgument {
            reason: reason.into(),
        }
    }
}

/// How a [`ModelStore`] downloads, and which models it offers.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ModelStoreOptions {
    /// A manifest (TOML, the format of `models/manifest.toml`) to offer instead of the one
    /// built in: an OEM's own model files. Null: the built-in manifest.
    #[uniffi(default = None)]
    pub manifest_toml: Option<String>,
    /// A base URL that takes the place of the manifest URLs' scheme and host, keeping their
    /// paths (e.g. `https://hf-mirror.com` where Hugging Face is blocked). `https`, or `http` on
    /// the loopback interface only; no user, password, query or fragment. Null: the manifest's
    /// own URLs.
    #[uniffi(default = None)]
    pub mirror_url: Option<String>,
    /// Give up connecting after this long (ms, 100 to 600000).
    #[uniffi(default = 20000)]
    pub connect_timeout_ms: i64,
    /// Give up when no byte arrives for this long (ms, 100 to 600000).
    #[uniffi(default = 60000)]
    pub read_timeout_ms: i64,
}

impl Default for ModelStoreOptions {
    fn default() -> Self {
        ModelStoreOptions {
            manifest_toml: None,
            mirror_url: None,
            connect_timeout_ms: 20_000,
            read_timeout_ms: 60_000,
        }
    }
}

/// One model of the manifest, and its state in the store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ModelInfo {
    /// Its name, also its file name in the store (`NAME.gguf`).
    pub name: String,
    /// The model family (`qwen2.5`, `qwen3`).
    pub family: String,
    /// The quantisation (`q4_0`, `q8_0`, `q4_k_m`).
    pub quant: String,
    /// The file's size in bytes, when the manifest knows it.
    pub size_bytes: Option<i64>,
    /// Whether the manifest has the file's SHA-256 (so a download is checked against it).
    pub sha256_known: bool,
    /// The smallest phone it is meant for, as printed on the box (`3gb`, `4gb`, `6gb+`).
    pub ram_tier: String,
    /// The least total memory (as `ActivityManager.MemoryInfo.totalMem` reports it) a phone
    /// needs to reach that tier.
    pub min_ram_bytes: i64,
    /// The model's native context length (tokens).
    pub context_length: i32,
    /// Whether it is the manifest's default model.
    pub is_manifest_default: bool,
    /// The installed file, or null when it is not installed.
    pub installed_path: Option<String>,
    /// Bytes of an unfinished download kept for resuming (0 when none).
    pub partial_bytes: i64,
    /// Whether a download of it is running in this process.
    pub downloading: bool,
}

/// How far a download is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DownloadProgress {
    /// Bytes of the file on the phone so far, a resumed part included.
    pub downloaded_bytes: i64,
    /// The file's size, when known.
    pub total_bytes: Option<i64>,
    /// Bytes that were already on the phone when this download started (a resume).
    pub resumed_from_bytes: i64,
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DownloadedModel {
    /// The model.
    pub name: String,
    /// The installed file, to give `LocalPlannerConfig.modelPath`.
    pub path: String,
    /// Its size.
    pub bytes: i64,
    /// Bytes reused from an earlier, unfinished download (0 for a fresh one).
    pub resumed_from_bytes: i64,
    /// Whether it was installed already (nothing was downloaded).
    pub already_installed: bool,
    /// Whether the file was checked against the manifest's SHA-256 (false when the manifest
    /// has none, or when it was installed already and not re-hashed).
    pub sha256_verified: bool,
}

/// Hears a download's progress. Kotlin: `interface DownloadListener`. Called on the thread
/// that called [`ModelStore::download`], at the start, about every 0.5 % of the file (at
/// least every 8 MiB), and at the end; post to the main thread to touch views. A listener that
/// throws loses that report; the download goes on.
#[uniffi::export(with_foreign)]
pub trait DownloadListener: Send + Sync {
    /// The download reached `progress`.
    fn on_progress(&self, progress: DownloadProgress);
}

/// The models directory of an app, and the manifest's models. Kotlin: `ModelStore`, which is
/// `AutoCloseable` (closing frees the Rust object; a download it runs goes on).
///
/// Every method may be called from any thread. [`ModelStore::download`] blocks (call it on a
/// worker thread, as a foreground service does); [`ModelStore::cancel`] stops it from another.
/// One download per model runs at a time in a process, across all stores of a directory.
#[derive(uniffi::Object)]
pub struct ModelStore {
    inner: imp::Store,
}

impl std::fmt::Debug for ModelStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelStore").finish_non_exhaustive()
    }
}

#[uniffi::export]
impl ModelStore {
    /// The store in `dir` (an absolute path, e.g. `File(context.filesDir, "models")`; created
    /// on the first download) with the built-in manifest. Throws
    /// `ModelStoreException.InvalidArgument` for an unusable `dir`.
    #[uniffi::constructor]
    pub fn new(dir: String) -> Result<Arc<ModelStore>, ModelStoreError> {
        Self::with_options(dir, ModelStoreOptions::default())
    }

    /// The store in `dir` with `options` (another manifest, a mirror, timeouts). Throws
    /// `ModelStoreException.InvalidArgument` naming the option that is unusable.
    #[uniffi::constructor]
    pub fn with_options(
        dir: String,
        options: ModelStoreOptions,
    ) -> Result<Arc<ModelStore>, ModelStoreError> {
        guarded("ModelStore(dir, options)", || {
            crate::logging::init();
            check_dir(&dir)?;
            check_timeout("options.connect_timeout_ms", options.connect_timeout_ms)?;
            check_timeout("options.read_timeout_ms", options.read_timeout_ms)?;
            if options
                .manifest_toml
                .as_ref()
                .is_some_and(|text| text.len() > MAX_MANIFEST_LEN)
            {
                return Err(ModelStoreError::invalid(
                    "options.manifest_toml is longer than 1 MiB",
                ));
            }
            Ok(Arc::new(ModelStore {
                inner: imp::Store::open(dir, options)?,
            }))
        })
    }

    /// The store's directory.
    pub fn dir(&self) -> String {
        self.inner.dir()
    }

    /// The manifest's models in manifest order, each with its state in the store.
    pub fn models(&self) -> Result<Vec<ModelInfo>, ModelStoreError> {
        guarded("ModelStore.models", || self.inner.models())
    }

    /// One model of the manifest. Throws `UnknownModel` for a name not in it.
    pub fn model(&self, name: String) -> Result<ModelInfo, ModelStoreError> {
        guarded("ModelStore.model", || self.inner.model(&name))
    }

    /// The model a phone whose total memory is `ram_bytes` (Android:
    /// `ActivityManager.MemoryInfo.totalMem`) should use by default: one of the highest RAM
    /// tier the phone reaches, the manifest's default if it is of that tier, else the first
    /// the manifest lists; null when the phone reaches no tier (offer the cloud instead).
    /// Throws `InvalidArgument` for a negative `ram_bytes`.
    pub fn default_for(&self, ram_bytes: i64) -> Result<Option<ModelInfo>, ModelStoreError> {
        guarded("ModelStore.defaultFor", || {
            let ram = u64::try_from(ram_bytes)
                .map_err(|_| ModelStoreError::invalid("ram_bytes is negative"))?;
            self.inner.default_for(ram)
        })
    }

    /// The installed file of `name`, or null when it is not installed.
    pub fn installed_path(&self, name: String) -> Result<Option<String>, ModelStoreError> {
        guarded("ModelStore.installedPath", || {
            self.inner.installed_path(&name)
        })
    }

    /// Downloads `name` into the store and returns the installed file, blocking until it is
    /// done, failed or cancelled; `listener` hears the progress on this thread. An unfinished
    /// earlier download is resumed (HTTP Range); the file is checked against the manifest's
    /// size, SHA-256 (where known), GGUF header and architecture before it is installed. A
    /// model already installed returns at once.
    ///
    /// Throws `Busy` while a download of `name` runs, `Cancelled` when [`ModelStore::cancel`]
    /// stopped it and `Interrupted` when the connection broke (both keep what arrived: call
    /// again to resume), `Network`, `Rejected` (the bytes were deleted), `InsufficientSpace`,
    /// `UnknownModel`, `Storage`.
    pub fn download(
        &self,
        name: String,
        listener: Arc<dyn DownloadListener>,
    ) -> Result<DownloadedModel, ModelStoreError> {
        guarded("ModelStore.download", || {
            crate::panic::withhold_callback_text();
            self.inner.download(&name, listener)
        })
    }

    /// Cancels the running download of `name` (from any thread): its `download` call throws
    /// `Cancelled` promptly, keeping what arrived for a resume. Returns whether one was
    /// running. Cancelling no download is not an error.
    pub fn cancel(&self, name: String) -> bool {
        self.inner.cancel(&name)
    }

    /// Whether a download of `name` is running in this process.
    pub fn is_downloading(&self, name: String) -> bool {
        self.inner.is_downloading(&name)
    }

    /// Deletes the installed file of `name` and any unfinished download of it. Returns whether
    /// there was anything to delete. Throws `Busy` while a download of it runs (cancel it
    /// first), `InvalidArgument` for a malformed name. Works for any name of the store, in the
    /// manifest or not.
    pub fn delete(&self, name: String) -> Result<bool, ModelStoreError> {
        guarded("ModelStore.delete", || self.inner.delete(&name))
    }
}

/// Runs `work`, turning a panic into [`ModelStoreError::Internal`] naming `place` (the panic's
/// message is not passed on).
fn guarded<T>(
    place: &str,
    work: impl FnOnce() -> Result<T, ModelStoreError>,
) -> Result<T, ModelStoreError> {
    crate::panic::caught(work).unwrap_or_else(|| {
        Err(ModelStoreError::Internal {
            reason: format!("a panic in {place}"),
        })
    })
}

fn check_dir(dir: &str) -> Result<(), ModelStoreError> {
    if dir.trim().is_empty() {
        return Err(ModelStoreError::invalid("dir is empty"));
    }
    if dir.len() > MAX_DIR_LEN {
        return Err(ModelStoreError::invalid("dir is longer than 4096 bytes"));
    }
    if dir.contains('\0') {
        return Err(ModelStoreError::invalid("dir contains a NUL character"));
    }
    if !std::path::Path::new(dir).is_absolute() {
        return Err(ModelStoreError::invalid("dir must be an absolute path"));
    }
    Ok(())
}

fn check_timeout(field: &str, ms: i64) -> Result<(), ModelStoreError> {
    if (MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&ms) {
        Ok(())
    } else {
        Err(ModelStoreError::invalid(format!(
            "{field} must be between {MIN_TIMEOUT_MS} and {MAX_TIMEOUT_MS}, not {ms}"
        )))
    }
}

/// Bytes as the FFI's `Long` (saturating; no file comes near).
#[cfg_attr(not(feature = "models"), allow(dead_code))]
fn long(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// The store itself, over `lobster-models`.
#[cfg(feature = "models")]
mod imp {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::{Arc, Mutex, OnceLock, PoisonError};
    use std::time::Duration;

    use lobster_models::{
        CancelFlag, Manifest, ManifestEntry, ModelError, Progress, PullOptions, mirror, pull, ram,
    };

    use super::{
        DownloadListener, DownloadProgress, DownloadedModel, ModelInfo, ModelStoreError,
        ModelStoreOptions, long,
    };
    use crate::panic::caught;

    /// The downloads running in this process, by partial file: their cancel flags.
    fn running() -> &'static Mutex<HashMap<PathBuf, CancelFlag>> {
        static RUNNING: OnceLock<Mutex<HashMap<PathBuf, CancelFlag>>> = OnceLock::new();
        RUNNING.get_or_init(Default::default)
    }

    fn lock_running() -> std::sync::MutexGuard<'static, HashMap<PathBuf, CancelFlag>> {
        running().lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    pub(super) fn running_for_tests() -> std::sync::MutexGuard<'static, HashMap<PathBuf, CancelFlag>>
    {
        lock_running()
    }

    #[cfg(test)]
    pub(super) fn from_pull_for_tests(name: &str, url: &str, error: ModelError) -> ModelStoreError {
        from_pull(name, url, error)
    }

    /// Takes a download's place in [`running`] and gives it back when dropped.
    struct Running(PathBuf);

    impl Drop for Running {
        fn drop(&mut self) {
            lock_running().remove(&self.0);
        }
    }

    pub(super) struct Store {
        store: lobster_models::ModelStore,
        manifest: Manifest,
        mirror: Option<String>,
        connect_timeout: Duration,
        read_timeout: Duration,
    }

    impl Store {
        pub(super) fn open(
            dir: String,
            options: ModelStoreOptions,
        ) -> Result<Store, ModelStoreError> {
            let manifest = match &options.manifest_toml {
                Some(text) => Manifest::parse(text).map_err(|error| {
                    ModelStoreError::invalid(format!("options.manifest_toml: {error}"))
                })?,
                None => Manifest::builtin().map_err(|error| ModelStoreError::Internal {
                    reason: format!("the built-in manifest: {error}"),
                })?,
            };
            let mirror = match &options.mirror_url {
                Some(url) => Some(
                    mirror::check_mirror(url)
                        .map_err(|error| {
                            ModelStoreError::invalid(format!("options.mirror_url: {error}"))
                        })?
                        .to_owned(),
                ),
                None => None,
            };
            Ok(Store {
                store: lobster_models::ModelStore::new(dir),
                manifest,
                mirror,
                connect_timeout: millis(options.connect_timeout_ms),
                read_timeout: millis(options.read_timeout_ms),
            })
        }

        pub(super) fn dir(&self) -> String {
            self.store.dir().to_string_lossy().into_owned()
        }

        fn entry(&self, name: &str) -> Result<&ManifestEntry, ModelStoreError> {
            check_name(name)?;
            self.manifest
                .get(name)
                .ok_or_else(|| ModelStoreError::UnknownModel {
                    name: name.to_owned(),
                })
        }

        fn info(&self, entry: &ManifestEntry) -> Result<ModelInfo, ModelStoreError> {
            let part = self
                .store
                .part_path_of(&entry.name)
                .map_err(|error| storage(&entry.name, &error))?;
            let partial_bytes = match std::fs::metadata(&part) {
                Ok(metadata) => metadata.len(),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => 0,
                Err(_) => {
                    return Err(ModelStoreError::Storage {
                        reason: format!("reading the partial download of {}", entry.name),
                    });
                }
            };
            Ok(ModelInfo {
                name: entry.name.clone(),
                family: entry.family.clone(),
                quant: entry.quant.clone(),
                size_bytes: entry.size.map(long),
                sha256_known: entry.sha256.is_some(),
                ram_tier: entry.ram_tier.clone(),
                min_ram_bytes: ram::tier_min_bytes(&entry.ram_tier).map_or(0, long),
                context_length: i32::try_from(entry.context_length).unwrap_or(i32::MAX),
                is_manifest_default: entry.name == self.manifest.default,
                installed_path: self
                    .store
                    .installed_path(&entry.name)
                    .map(|path| path.to_string_lossy().into_owned()),
                partial_bytes: long(partial_bytes),
                downloading: lock_running().contains_key(&part),
            })
        }

        pub(super) fn models(&self) -> Result<Vec<ModelInfo>, ModelStoreError> {
            self.manifest
                .models
                .iter()
                .map(|entry| self.info(entry))
                .collect()
        }

        pub(super) fn model(&self, name: &str) -> Result<ModelInfo, ModelStoreError> {
            self.info(self.entry(name)?)
        }

        pub(super) fn default_for(&self, ram: u64) -> Result<Option<ModelInfo>, ModelStoreError> {
            ram::default_for_ram(&self.manifest, ram)
                .map(|entry| self.info(entry))
                .transpose()
        }

        pub(super) fn installed_path(&self, name: &str) -> Result<Option<String>, ModelStoreError> {
            check_name(name)?;
            Ok(self
                .store
                .installed_path(name)
                .map(|path| path.to_string_lossy().into_owned()))
        }

        fn part(&self, name: &str) -> Result<PathBuf, ModelStoreError> {
            self.store
                .part_path_of(name)
                .map_err(|error| storage(name, &error))
        }

        pub(super) fn download(
            &self,
            name: &str,
            listener: Arc<dyn DownloadListener>,
        ) -> Result<DownloadedModel, ModelStoreError> {
            let entry = self.entry(name)?;
            let url = match &self.mirror {
                Some(mirror) => mirror::mirrored_url(&entry.url, mirror).map_err(|error| {
                    ModelStoreError::invalid(format!("options.mirror_url: {error}"))
                })?,
                None => entry.url.clone(),
            };
            let part = self.part(name)?;
            let cancel = CancelFlag::new();
            let _running = {
                let mut running = lock_running();
                if running.contains_key(&part) {
                    return Err(ModelStoreError::Busy {
                        name: name.to_owned(),
                    });
                }
                running.insert(part.clone(), cancel.clone());
                Running(part)
            };
            let options = PullOptions {
                url: Some(url.clone()),
                connect_timeout: self.connect_timeout,
                read_timeout: self.read_timeout,
                cancel,
                ..PullOptions::default()
            };
            let mut reporter = Reporter::new(listener);
            let pulled = pull(&self.store, entry, &options, &mut |progress| {
                reporter.report(progress)
            })
            .map_err(|error| from_pull(name, &url, error))?;
            reporter.finish(&Progress {
                downloaded: pulled.bytes,
                total: Some(pulled.bytes),
                resumed_from: pulled.resumed_from,
            });
            Ok(DownloadedModel {
                name: name.to_owned(),
                path: pulled.path.to_string_lossy().into_owned(),
                bytes: long(pulled.bytes),
                resumed_from_bytes: long(pulled.resumed_from),
                already_installed: pulled.already_installed,
                sha256_verified: pulled.verification.sha256_checked,
            })
        }

        pub(super) fn cancel(&self, name: &str) -> bool {
            let Ok(part) = self.store.part_path_of(name) else {
                return false;
            };
            match lock_running().get(&part) {
                Some(flag) => {
                    flag.cancel();
                    true
                }
                None => false,
            }
        }

        pub(super) fn is_downloading(&self, name: &str) -> bool {
            self.store
                .part_path_of(name)
                .is_ok_and(|part| lock_running().contains_key(&part))
        }

        pub(super) fn delete(&self, name: &str) -> Result<bool, ModelStoreError> {
            check_name(name)?;
            let part = self.part(name)?;
            // Held while deleting, so no download of it starts meanwhile.
            let running = lock_running();
            if running.contains_key(&part) {
                return Err(ModelStoreError::Busy {
                    name: name.to_owned(),
                });
            }
            let installed = self
                .store
                .path_of(name)
                .map_err(|error| storage(name, &error))?;
            let mut deleted = false;
            for path in [installed, part] {
                match std::fs::remove_file(&path) {
                    Ok(()) => deleted = true,
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(_) => {
                        return Err(ModelStoreError::Storage {
                            reason: format!("deleting the files of {name}"),
                        });
                    }
                }
            }
            drop(running);
            Ok(deleted)
        }
    }

    /// Passes progress to the listener, thinned to about every 0.5 % of the file (a download
    /// of 400 MB arrives in tens of thousands of chunks; each report crosses into the JVM).
    struct Reporter {
        listener: Arc<dyn DownloadListener>,
        last: Option<u64>,
    }

    /// The fewest and the most bytes between two reports.
    const MIN_STEP: u64 = 64 << 10;
    const MAX_STEP: u64 = 8 << 20;

    impl Reporter {
        fn new(listener: Arc<dyn DownloadListener>) -> Self {
            Reporter {
                listener,
                last: None,
            }
        }

        fn report(&mut self, progress: &Progress) {
            let step = progress
                .total
                .map_or(1 << 20, |total| total / 200)
                .clamp(MIN_STEP, MAX_STEP);
            let due = match self.last {
                None => true,
                Some(last) => {
                    progress.downloaded >= last.saturating_add(step)
                        || progress.total == Some(progress.downloaded)
                }
            };
            if due && self.last != Some(progress.downloaded) {
                self.send(progress);
            }
        }

        /// Reports the end, unless it was the last report.
        fn finish(&mut self, progress: &Progress) {
            if self.last != Some(progress.downloaded) {
                self.send(progress);
            }
        }

        fn send(&mut self, progress: &Progress) {
            self.last = Some(progress.downloaded);
            let progress = DownloadProgress {
                downloaded_bytes: long(progress.downloaded),
                total_bytes: progress.total.map(long),
                resumed_from_bytes: long(progress.resumed_from),
            };
            if caught(|| self.listener.on_progress(progress)).is_none() {
                tracing::warn!("the download listener threw in onProgress; the report is lost");
            }
        }
    }

    fn millis(ms: i64) -> Duration {
        Duration::from_millis(u64::try_from(ms).unwrap_or(0))
    }

    fn check_name(name: &str) -> Result<(), ModelStoreError> {
        lobster_models::store::check_name(name).map_err(|_| {
            ModelStoreError::invalid(
                "name must be 1 to 128 ASCII letters, digits, `.`, `_` or `-`, not starting with `.`",
            )
        })
    }

    fn storage(name: &str, error: &ModelError) -> ModelStoreError {
        match error {
            ModelError::InvalidName(_) => ModelStoreError::invalid(
                "name must be 1 to 128 ASCII letters, digits, `.`, `_` or `-`, not starting with `.`",
            ),
            ModelError::Io { action, .. } => ModelStoreError::Storage {
                reason: format!("{action} the files of {name}"),
            },
            _ => ModelStoreError::Storage {
                reason: format!("the files of {name}"),
            },
        }
    }

    /// `reason` with `url` replaced by its host: reqwest names the URL in its errors, and a
    /// mirror's path may carry a token.
    fn without_url(reason: &str, url: &str) -> String {
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or_default())
            .unwrap_or_default();
        reason.replace(url, host)
    }

    /// The FFI's error for a failed pull of `name` from `url`.
    fn from_pull(name: &str, url: &str, error: ModelError) -> ModelStoreError {
        let name = name.to_owned();
        match error {
            ModelError::Cancelled { received, .. } => ModelStoreError::Cancelled {
                name,
                received_bytes: long(received),
            },
            ModelError::Interrupted {
                received, reason, ..
            } => ModelStoreError::Interrupted {
                name,
                received_bytes: long(received),
                reason: without_url(&reason, url),
            },
            ModelError::Truncated {
                received, expected, ..
            } => ModelStoreError::Interrupted {
                name,
                received_bytes: long(received),
                reason: format!("the server sent {received} of {expected} bytes"),
            },
            ModelError::Network { reason, .. } => ModelStoreError::Network {
                name,
                reason: format!("could not reach the server: {}", without_url(&reason, url)),
            },
            ModelError::HttpStatus { status, .. } => ModelStoreError::Network {
                name,
                reason: format!("the server answered HTTP {status}"),
            },
            ModelError::UnexpectedSize {
                expected, reported, ..
            } => ModelStoreError::Rejected {
                name,
                reason: format!(
                    "the server offers {reported} bytes but the manifest says {expected}"
                ),
            },
            ModelError::Oversized { limit, .. } => ModelStoreError::Rejected {
                name,
                reason: format!("the server sent more than the file's {limit} bytes"),
            },
            ModelError::SizeMismatch {
                expected, actual, ..
            } => ModelStoreError::Rejected {
                name,
                reason: format!("its size is {actual} bytes, the manifest says {expected}"),
            },
            ModelError::HashMismatch {
                expected, actual, ..
            } => ModelStoreError::Rejected {
                name,
                reason: format!("its SHA-256 is {actual}, the manifest says {expected}"),
            },
            ModelError::Gguf { source, .. } => ModelStoreError::Rejected {
                name,
                reason: format!("not a usable GGUF file ({source})"),
            },
            ModelError::WrongArchitecture {
                found, expected, ..
            } => ModelStoreError::Rejected {
                name,
                reason: format!("its architecture is {found}, the manifest says {expected}"),
            },
            ModelError::NoArchitecture { .. } => ModelStoreError::Rejected {
                name,
                reason: "the file declares no architecture".into(),
            },
            ModelError::InsufficientSpace {
                needed, available, ..
            } => ModelStoreError::InsufficientSpace {
                name,
                needed_bytes: long(needed),
                available_bytes: long(available),
            },
            ModelError::InvalidMirror(reason) => {
                ModelStoreError::invalid(format!("options.mirror_url: {reason}"))
            }
            other => storage(&name, &other),
        }
    }
}

/// The store in a library built without the `models` feature: never constructed.
#[cfg(not(feature = "models"))]
mod imp {
    use std::sync::Arc;

    use super::{DownloadListener, DownloadedModel, ModelInfo, ModelStoreError, ModelStoreOptions};

    /// Uninhabited: every method is unreachable.
    pub(super) enum Store {}

    impl Store {
        pub(super) fn open(_: String, _: ModelStoreOptions) -> Result<Store, ModelStoreError> {
            Err(ModelStoreError::Unavailable {
                reason: "this library was built without the `models` feature".into(),
            })
        }
        pub(super) fn dir(&self) -> String {
            match *self {}
        }
        pub(super) fn models(&self) -> Result<Vec<ModelInfo>, ModelStoreError> {
            match *self {}
        }
        pub(super) fn model(&self, _: &str) -> Result<ModelInfo, ModelStoreError> {
            match *self {}
        }
        pub(super) fn default_for(&self, _: u64) -> Result<Option<ModelInfo>, ModelStoreError> {
            match *self {}
        }
        pub(super) fn installed_path(&self, _: &str) -> Result<Option<String>, ModelStoreError> {
            match *self {}
        }
        pub(super) fn download(
            &self,
            _: &str,
            _: Arc<dyn DownloadListener>,
        ) -> Result<DownloadedModel, ModelStoreError> {
            match *self {}
        }
        pub(super) fn cancel(&self, _: &str) -> bool {
            match *self {}
        }
        pub(super) fn is_downloading(&self, _: &str) -> bool {
            match *self {}
        }
        pub(super) fn delete(&self, _: &str) -> Result<bool, ModelStoreError> {
            match *self {}
        }
    }
}

#[cfg(all(test, feature = "models"))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    struct Silent;
    impl DownloadListener for Silent {
        fn on_progress(&self, _: DownloadProgress) {}
    }

    fn store(dir: &std::path::Path) -> Arc<ModelStore> {
        ModelStore::new(dir.to_string_lossy().into_owned()).unwrap()
    }

    fn invalid(result: Result<Arc<ModelStore>, ModelStoreError>) -> String {
        match result {
            Err(ModelStoreError::InvalidArgument { reason }) => reason,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn unusable_arguments_are_refused_naming_the_argument() {
        assert!(invalid(ModelStore::new(String::new())).contains("dir is empty"));
        assert!(invalid(ModelStore::new("models".into())).contains("absolute"));
        assert!(invalid(ModelStore::new("/a\0b".into())).contains("NUL"));
        assert!(invalid(ModelStore::new(format!("/{}", "a".repeat(MAX_DIR_LEN)))).contains("4096"));
        let with = |options: ModelStoreOptions| ModelStore::with_options("/tmp/m".into(), options);
        for ms in [0, 99, MAX_TIMEOUT_MS + 1, -1, i64::MIN] {
            let reason = invalid(with(ModelStoreOptions {
                read_timeout_ms: ms,
                ..ModelStoreOptions::default()
            }));
            assert!(reason.contains("options.read_timeout_ms"), "{reason}");
            let reason = invalid(with(ModelStoreOptions {
                connect_timeout_ms: ms,
                ..ModelStoreOptions::default()
            }));
            assert!(reason.contains("options.connect_timeout_ms"), "{reason}");
        }
        for mirror in ["http://example.org", "https://u:p@example.org", "nonsense"] {
            let reason = invalid(with(ModelStoreOptions {
                mirror_url: Some(mirror.into()),
                ..ModelStoreOptions::default()
            }));
            assert!(reason.starts_with("options.mirror_url"), "{reason}");
        }
        for manifest in ["not toml [".to_owned(), "#".repeat(MAX_MANIFEST_LEN + 1)] {
            let reason = invalid(with(ModelStoreOptions {
                manifest_toml: Some(manifest),
                ..ModelStoreOptions::default()
            }));
            assert!(reason.starts_with("options.manifest_toml"), "{reason}");
        }
        let store = store(std::path::Path::new("/tmp/lobster-no-such-store"));
        assert!(matches!(
            store.default_for(-1),
            Err(ModelStoreError::InvalidArgument { .. })
        ));
        for name in ["", "../x", "a/b", ".hidden"] {
            assert!(
                matches!(
                    store.delete(name.into()),
                    Err(ModelStoreError::InvalidArgument { .. })
                ),
                "{name}"
            );
            assert!(!store.cancel(name.into()));
        }
        assert_eq!(
            store
                .download("no-such-model".into(), Arc::new(Silent))
                .unwrap_err(),
            ModelStoreError::UnknownModel {
                name: "no-such-model".into()
            }
        );
    }

    #[test]
    fn the_models_are_the_manifests_with_their_state_in_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let manifest = lobster_models::Manifest::builtin().unwrap();
        let models = store.models().unwrap();
        assert_eq!(
            models.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            manifest
                .models
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
        );
        let default = models.iter().find(|m| m.is_manifest_default).unwrap();
        assert_eq!(default.name, manifest.default);
        assert_eq!(default.size_bytes, Some(428_730_208));
        assert!(default.sha256_known);
        assert_eq!(default.ram_tier, "3gb");
        assert!(default.min_ram_bytes > 2 << 30 && default.min_ram_bytes < 3 << 30);
        assert!(
            models
                .iter()
                .all(|m| m.installed_path.is_none() && m.partial_bytes == 0 && !m.downloading)
        );

        // A file in the store is installed; a `.part` is a download to resume.
        let name = &default.name;
        std::fs::write(dir.path().join(format!("{name}.gguf")), b"x").unwrap();
        std::fs::write(dir.path().join(format!("{name}.gguf.part")), b"12345").unwrap();
        let info = store.model(name.clone()).unwrap();
        assert_eq!(
            info.installed_path.as_deref(),
            Some(dir.path().join(format!("{name}.gguf")).to_str().unwrap())
        );
        assert_eq!(info.partial_bytes, 5);
        assert_eq!(
            store.installed_path(name.clone()).unwrap(),
            info.installed_path
        );

        // Deleting removes both, once.
        assert!(store.delete(name.clone()).unwrap());
        assert!(!store.delete(name.clone()).unwrap());
        let info = store.model(name.clone()).unwrap();
        assert!(info.installed_path.is_none() && info.partial_bytes == 0);
        assert!(matches!(
            store.model("nope".into()),
            Err(ModelStoreError::UnknownModel { .. })
        ));
    }

    #[test]
    fn the_default_follows_the_phones_memory() {
        let store = store(std::path::Path::new("/tmp/lobster-no-such-store"));
        assert_eq!(store.default_for(2 << 30).unwrap(), None);
        assert_eq!(
            store.default_for(2_900_000_000).unwrap().unwrap().ram_tier,
            "3gb"
        );
        assert_eq!(
            store.default_for(3_700_000_000).unwrap().unwrap().ram_tier,
            "4gb"
        );
        // The manifest's choice for the 6 GB+ tier is the 4 GB tier's model (models/README.md).
        assert_eq!(
            store.default_for(i64::MAX).unwrap().unwrap().name,
            "qwen3.5-0.8b-q4_0"
        );
    }

    #[test]
    fn a_running_download_blocks_delete_and_a_second_download_and_hears_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let name = lobster_models::Manifest::builtin().unwrap().default;
        let part = dir.path().join(format!("{name}.gguf.part"));
        let flag = lobster_models::CancelFlag::new();
        imp_running_insert(part.clone(), flag.clone());
        assert!(store.is_downloading(name.clone()));
        assert!(store.model(name.clone()).unwrap().downloading);
        assert_eq!(
            store.delete(name.clone()),
            Err(ModelStoreError::Busy { name: name.clone() })
        );
        assert_eq!(
            store.download(name.clone(), Arc::new(Silent)),
            Err(ModelStoreError::Busy { name: name.clone() })
        );
        // Another store of the same directory sees it too.
        let other = ModelStore::new(dir.path().to_string_lossy().into_owned()).unwrap();
        assert!(other.cancel(name.clone()));
        assert!(flag.is_cancelled());
        imp_running_remove(&part);
        assert!(!store.is_downloading(name.clone()));
        assert!(!store.cancel(name));
    }

    fn imp_running_insert(part: std::path::PathBuf, flag: lobster_models::CancelFlag) {
        imp::running_for_tests().insert(part, flag);
    }

    fn imp_running_remove(part: &std::path::Path) {
        imp::running_for_tests().remove(part);
    }

    #[test]
    fn download_errors_name_no_url_or_path() {
        let url = "https://mirror.example/secret-token/Qwen/m.gguf";
        let part = std::path::PathBuf::from("/data/user/0/app/files/models/m.gguf.part");
        let cases = [
            lobster_models::ModelError::Network {
                url: url.into(),
                reason: format!("error sending request for url ({url}): connection refused"),
            },
            lobster_models::ModelError::Interrupted {
                url: url.into(),
                received: 7,
                reason: format!("error decoding response body from {url}"),
                part: part.clone(),
            },
            lobster_models::ModelError::HashMismatch {
                path: part.clone(),
                expected: "a".repeat(64),
                actual: "b".repeat(64),
                removed: true,
            },
            lobster_models::ModelError::Io {
                action: "writing",
                path: part.clone(),
                source: std::io::ErrorKind::PermissionDenied.into(),
            },
            lobster_models::ModelError::Cancelled {
                url: url.into(),
                received: 9,
                part,
            },
        ];
        let mut kinds = Vec::new();
        for error in cases {
            let mapped = imp::from_pull_for_tests("m", url, error);
            let message = mapped.to_string();
            assert!(!message.contains("secret-token"), "{message}");
            assert!(!message.contains("/data/"), "{message}");
            kinds.push(std::mem::discriminant(&mapped));
        }
        assert_eq!(
            imp::from_pull_for_tests(
                "m",
                url,
                lobster_models::ModelError::Cancelled {
                    url: url.into(),
                    received: 9,
                    part: "/p".into(),
                }
            ),
            ModelStoreError::Cancelled {
                name: "m".into(),
                received_bytes: 9
            }
        );
        kinds.dedup();
        assert_eq!(kinds.len(), 5, "five kinds of failure, five variants");
    }
}
