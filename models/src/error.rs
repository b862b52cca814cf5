//! The one error type of this crate.
//!
//! Every failure a user can meet (a missing model, a dead network, a truncated or tampered
//! download, a file that is not a GGUF) gets its own variant whose message says what happened
//! and, where there is one, what to do next: these messages end up verbatim in the CLI and in
//! the app's logs.

use std::path::PathBuf;

use crate::gguf::GgufError;

/// Everything that can go wrong while generating, checking, storing or downloading models.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A file-system operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done ("reading", "creating", …).
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not a valid GGUF model, or a GGUF could not be written.
    #[error("{}: {source}", path.display())]
    Gguf {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: GgufError,
    },
    /// A GGUF has a different architecture than expected.
    #[error(
        "{}: architecture is `{found}`, expected `{expected}` (is this the right file?)",
        path.display()
    )]
    WrongArchitecture {
        /// The file.
        path: PathBuf,
        /// `general.architecture` in the file.
        found: String,
        /// The architecture the manifest or caller expects.
        expected: String,
    },
    /// A GGUF that declares no architecture (`general.architecture`): not a model llama.cpp
    /// can load.
    #[error(
        "{}: the file declares no architecture (general.architecture); it is not a model \
         llama.cpp can load",
        path.display()
    )]
    NoArchitecture {
        /// The file.
        path: PathBuf,
    },
    /// A `tokenizer.json` could not be read or does not look like Qwen's.
    #[error("tokenizer {}: {reason}", path.display())]
    Tokenizer {
        /// The tokenizer file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A model specification cannot be generated (e.g. a dimension not a multiple of 32).
    #[error("invalid model specification: {0}")]
    InvalidSpec(String),
    /// The model manifest is malformed.
    #[error("model manifest: {0}")]
    Manifest(String),
    /// A name is neither a file, nor installed, nor in the manifest.
    #[error(
        "unknown model `{name}`: it is not a file, not installed in {}, and not in the manifest \
         (`lobster models list` shows the known names)",
        dir.display()
    )]
    UnknownModel {
        /// The name asked for.
        name: String,
        /// The models directory that was searched.
        dir: PathBuf,
    },
    /// A manifest model is known but has not been downloaded or imported.
    #[error(
        "model {name} is not installed in {}; run `lobster models pull {name}` (needs network) \
         or `lobster models import PATH --name {name}`",
        dir.display()
    )]
    NotInstalled {
        /// The model name.
        name: String,
        /// The models directory.
        dir: PathBuf,
    },
    /// No models directory could be determined.
    #[error("no models directory: set LOBSTER_MODELS_DIR to a writable directory")]
    NoModelsDir,
    /// A model name that cannot be a file name in the store.
    #[error(
        "invalid model name `{0}`: use letters, digits, `.`, `_` and `-` only, not starting with `.`"
    )]
    InvalidName(String),
    /// Importing over a model that is already installed.
    #[error("model {name} is already installed at {}; remove that file first", path.display())]
    AlreadyInstalled {
        /// The model name.
        name: String,
        /// The installed file.
        path: PathBuf,
    },
    /// The server could not be reached at all.
    #[error("could not reach {url}: {reason} (is the network up?)")]
    Network {
        /// The URL.
        url: String,
        /// The transport error.
        reason: String,
    },
    /// The server answered with an HTTP error.
    #[error("{url} answered HTTP {status}")]
    HttpStatus {
        /// The URL.
        url: String,
        /// The status code and reason.
        status: String,
    },
    /// The connection broke mid-download; the partial file is kept for resuming.
    #[error(
        "download of {url} was interrupted after {received} bytes ({reason}); the partial file {} \
         is kept: run the same pull again to resume",
        part.display()
    )]
    Interrupted {
        /// The URL.
        url: String,
        /// Bytes on disk in the partial file.
        received: u64,
        /// The transport error.
        reason: String,
        /// The partial file.
        part: PathBuf,
    },
    /// The download was cancelled ([`PullOptions::cancel`](crate::PullOptions)); the partial
    /// file is kept for resuming.
    #[error(
        "download of {url} was cancelled after {received} bytes; the partial file {} is kept: \
         run the same pull again to resume",
        part.display()
    )]
    Cancelled {
        /// The URL.
        url: String,
        /// Bytes on disk in the partial file.
        received: u64,
        /// The partial file.
        part: PathBuf,
    },
    /// A mirror URL that cannot stand in for the manifest's host.
    #[error("invalid mirror URL: {0}")]
    InvalidMirror(String),
    /// The server ended the body early without an error; the partial file is kept.
    #[error(
        "download of {url} ended after {received} of {expected} bytes; the partial file {} is \
         kept: run the same pull again to resume",
        part.display()
    )]
    Truncated {
        /// The URL.
        url: String,
        /// Bytes received in total.
        received: u64,
        /// Bytes expected.
        expected: u64,
        /// The partial file.
        part: PathBuf,
    },
    /// A file's size differs from the manifest's.
    #[error(
        "{}: size is {actual} bytes, expected {expected}{}",
        path.display(),
        if *removed { "; the download was removed" } else { "" }
    )]
    SizeMismatch {
        /// The file.
        path: PathBuf,
        /// The manifest size.
        expected: u64,
        /// The size found.
        actual: u64,
        /// Whether the file was deleted (a download) or left alone (an import).
        removed: bool,
    },
    /// A file's SHA-256 differs from the manifest's.
    #[error(
        "{}: SHA-256 is {actual}, expected {expected}{}",
        path.display(),
        if *removed { "; the download was removed (corrupted or tampered)" } else { "" }
    )]
    HashMismatch {
        /// The file.
        path: PathBuf,
        /// The manifest hash.
        expected: String,
        /// The hash found.
        actual: String,
        /// Whether the file was deleted (a download) or left alone (an import).
        removed: bool,
    },
    /// The server sent more bytes than the download may hold: past the manifest size, past the
    /// size the server announced, or past [`PullOptions::size_cap`](crate::PullOptions) when
    /// neither is known (or the server announced more than that). Writing stopped, or never
    /// started, and the partial file was deleted.
    #[error(
        "{url} sent more than {limit} bytes ({limit_source}): stopped after {received} bytes \
         and deleted the partial file {}",
        part.display()
    )]
    Oversized {
        /// The URL.
        url: String,
        /// The most bytes the file could have.
        limit: u64,
        /// Where the limit came from: the manifest, the server, or the cap.
        limit_source: String,
        /// Bytes received when the download stopped (the resumed prefix included).
        received: u64,
        /// The partial file, now deleted.
        part: PathBuf,
    },
    /// The server offers a file of another size than the manifest's.
    #[error(
        "{url} offers {reported} bytes but the manifest says {expected}; not downloading \
         (pass the right --url, or the manifest is out of date)"
    )]
    UnexpectedSize {
        /// The URL.
        url: String,
        /// The manifest size.
        expected: u64,
        /// The size the server reports.
        reported: u64,
    },
    /// Not enough free disk space for a download.
    #[error(
        "not enough free space in {}: {needed} bytes needed, {available} available",
        dir.display()
    )]
    InsufficientSpace {
        /// The models directory.
        dir: PathBuf,
        /// Bytes needed.
        needed: u64,
        /// Bytes free.
        available: u64,
    },
}

impl ModelError {
    /// An I/O error with what was being done and to which path.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}
