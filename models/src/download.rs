//! Resumable, verified model downloads.
//!
//! Model files are hundreds of megabytes fetched over phone networks, so a download must
//! survive a dropped connection and must never install a corrupt or tampered file:
//!
//! - Bytes go to `NAME.gguf.part` in the store. If a previous attempt left one, the request
//!   asks for the rest (`Range: bytes=N-`). A `206` continues the file; a `200` means the
//!   server ignored the range, so the file restarts from zero; a `416` means the partial file is
//!   already whole (it is then verified) or is longer than the file (it is discarded and the
//!   download restarts once).
//! - Free space is checked before any byte is written (against the manifest size, or the size
//!   the server announces).
//! - The SHA-256 is computed while writing (over the resumed prefix too).
//! - **Partial-file policy**: a broken connection or a body that ends early keeps the `.part`
//!   so the next pull resumes; a finished download that fails verification (size, SHA-256,
//!   GGUF header, architecture) deletes the `.part`, since resuming cannot repair it.
//! - **Size limit**: a server that sends more than the file can hold (the manifest size, else
//!   the size the server announced, else [`PullOptions::size_cap`]) is stopped at the first
//!   chunk past it, and the `.part` is deleted: the bytes are not the file the manifest means,
//!   and a server streaming without end must not fill the phone's storage.
//! - **Cancellation**: [`PullOptions::cancel`] is a [`CancelFlag`] another thread may raise
//!   at any time (the user tapped "Cancel" while the download runs on a worker thread). It
//!   stops the pull at once, also while it waits for the server (a stalled connection must not
//!   keep a cancelled download alive for the read timeout), keeps the `.part` (`fsync`ed) so
//!   the next pull resumes, and ends in [`ModelError::Cancelled`].
//! - Only a verified, `fsync`ed file is renamed to `NAME.gguf`.

use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, RANGE};
use sha2::{Digest, Sha256};

use crate::ModelError;
use crate::manifest::ManifestEntry;
use crate::store::ModelStore;
use crate::verify::{Expectation, Verification, hex, verify_file};

/// The most bytes a download of unknown size may write: 8 GiB, four times the largest model in
/// the manifest (Qwen2.5-3B at Q4_K_M, 1.9 GB) and more than any phone tier here can load.
pub const DEFAULT_SIZE_CAP: u64 = 8 << 30;

/// How to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullOptions {
    /// Download from this URL instead of the manifest's (mirrors, tests).
    pub url: Option<String>,
    /// Give up connecting after this long.
    pub connect_timeout: Duration,
    /// Give up when no byte arrives for this long.
    pub read_timeout: Duration,
    /// The most bytes to write when neither the manifest nor the server gives the size
    /// ([`DEFAULT_SIZE_CAP`] by default); a server announcing more is refused up front.
    pub size_cap: u64,
    /// Raised (from any thread) to stop the download, keeping the partial file for a later
    /// resume. The default is a flag nobody else holds: never raised.
    pub cancel: CancelFlag,
}

/// A cross-thread "stop this download" flag: clone it, give one clone to
/// [`PullOptions::cancel`], and call [`CancelFlag::cancel`] on another. Raising it wakes the
/// download even while it waits for the server. Once raised it stays raised; use a new flag for
/// the next download. Two flags are equal when they are clones of one another.
#[derive(Clone, Default)]
pub struct CancelFlag {
    inner: Arc<CancelInner>,
}

#[derive(Default)]
struct CancelInner {
    raised: AtomicBool,
    /// The tasks waiting on a download step, woken when the flag is raised.
    wakers: Mutex<Vec<Waker>>,
}

impl CancelFlag {
    /// A flag that is not raised.
    pub fn new() -> Self {
        Self::default()
    }

    /// Raises the flag: the download stops at its next await or chunk.
    pub fn cancel(&self) {
        self.inner.raised.store(true, Ordering::SeqCst);
        let wakers = std::mem::take(
            &mut *self
                .inner
                .wakers
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for waker in wakers {
            waker.wake();
        }
    }

    /// Whether the flag was raised.
    pub fn is_cancelled(&self) -> bool {
        self.inner.raised.load(Ordering::SeqCst)
    }

    /// Registers `waker` to be woken by [`CancelFlag::cancel`], then says whether the flag is
    /// raised. Registering before looking means a `cancel` racing with this call either is
    /// seen here or wakes `waker`.
    fn register(&self, waker: &Waker) -> bool {
        {
            let mut wakers = self
                .inner
                .wakers
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !wakers.iter().any(|known| known.will_wake(waker)) {
                wakers.push(waker.clone());
            }
        }
        self.is_cancelled()
    }

    /// Runs `future` to its end, or `None` as soon as the flag is raised (dropping it).
    async fn unless_cancelled<F: Future>(&self, future: F) -> Option<F::Output> {
        let mut future = std::pin::pin!(future);
        std::future::poll_fn(|context| {
            if self.register(context.waker()) {
                return Poll::Ready(None);
            }
            future.as_mut().poll(context).map(Some)
        })
        .await
    }
}

impl std::fmt::Debug for CancelFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelFlag")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl PartialEq for CancelFlag {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for CancelFlag {}

impl Default for PullOptions {
    fn default() -> Self {
        Self {
            url: None,
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(60),
            size_cap: DEFAULT_SIZE_CAP,
            cancel: CancelFlag::new(),
        }
    }
}

/// Download progress, reported after each chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes in the partial file so far (including a resumed prefix).
    pub downloaded: u64,
    /// The file's full size, when known.
    pub total: Option<u64>,
    /// Bytes that were already on disk when this download started.
    pub resumed_from: u64,
}

/// A finished pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledModel {
    /// The installed file.
    pub path: std::path::PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Bytes reused from an earlier partial download (0 for a fresh one).
    pub resumed_from: u64,
    /// Whether the model was already installed (nothing was downloaded).
    pub already_installed: bool,
    /// What was checked.
    pub verification: Verification,
}

/// Downloads and installs a manifest model, blocking the calling thread (it runs its own
/// single-threaded async runtime, so do not call it from inside an async runtime: use
/// [`pull_async`] there).
pub fn pull(
    store: &ModelStore,
    entry: &ManifestEntry,
    options: &PullOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PulledModel, ModelError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ModelError::io("starting the download runtime", store.dir()))?;
    runtime.block_on(pull_async(store, entry, options, progress))
}

/// What the server answered to the (possibly ranged) request.
enum Answer {
    /// A body to append, starting at `start`.
    Body {
        response: reqwest::Response,
        start: u64,
        total: Option<u64>,
    },
    /// The partial file already holds the whole file.
    AlreadyComplete,
    /// The partial file cannot be resumed; start over.
    Restart,
}

/// Downloads and installs a manifest model (see the module documentation for the policy). A
/// model that is already installed is checked (size, header, architecture; not re-hashed) and
/// returned without a request.
pub async fn pull_async(
    store: &ModelStore,
    entry: &ManifestEntry,
    options: &PullOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<PulledModel, ModelError> {
    let url = options.url.clone().unwrap_or_else(|| entry.url.clone());
    let destination = store.path_of(&entry.name)?;
    let part = store.part_path_of(&entry.name)?;
    let expectation = Expectation {
        size: entry.size,
        sha256: entry.sha256.as_deref(),
        architecture: Some(&entry.architecture),
    };

    if destination.is_file() {
        let verification = verify_file(
            &destination,
            &Expectation {
                sha256: None,
                ..expectation
            },
            None,
            false,
        )?;
        return Ok(PulledModel {
            bytes: verification.header.file_size,
            path: destination,
            resumed_from: 0,
            already_installed: true,
            verification,
        });
    }
    store.create_dir()?;

    let client = reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout)
        .user_agent(concat!("lobster-models/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| ModelError::Network {
            url: url.clone(),
            reason: error_chain(&error),
        })?;

    let mut restarted = false;
    let (existing, answer) = loop {
        let mut existing = part_len(&part)?;
        if entry.size.is_some_and(|size| existing > size) {
            remove(&part)?;
            existing = 0;
        }
        if existing > 0 && entry.size == Some(existing) {
            break (existing, Answer::AlreadyComplete);
        }
        if let Some(size) = entry.size {
            check_space(store.dir(), size - existing)?;
        }
        let cancelled = |received| ModelError::Cancelled {
            url: url.clone(),
            received,
            part: part.clone(),
        };
        if options.cancel.is_cancelled() {
            return Err(cancelled(existing));
        }
        let answer = options
            .cancel
            .unless_cancelled(request(&client, &url, existing))
            .await
            .ok_or_else(|| cancelled(existing))?;
        match answer? {
            Answer::Restart if !restarted => {
                restarted = true;
                remove(&part)?;
            }
            Answer::Restart => {
                return Err(ModelError::HttpStatus {
                    url,
                    status: "416 Range Not Satisfiable for a fresh download".into(),
                });
            }
            answer => break (existing, answer),
        }
    };

    let mut resumed_from = existing;
    let hash = match answer {
        Answer::AlreadyComplete => None,
        Answer::Restart => None,
        Answer::Body {
            mut response,
            start,
            total,
        } => {
            resumed_from = start;
            if let (Some(expected), Some(reported)) = (entry.size, total)
                && expected != reported
            {
                return Err(ModelError::UnexpectedSize {
                    url,
                    expected,
                    reported,
                });
            }
            let limit = SizeLimit::new(entry.size, total, options.size_cap);
            if let Some(announced) = total.filter(|announced| *announced > limit.bytes) {
                remove(&part)?;
                return Err(ModelError::Oversized {
                    url,
                    limit: limit.bytes,
                    limit_source: format!("{}; it announced {announced}", limit.source),
                    received: start,
                    part,
                });
            }
            let total = entry.size.or(total);
            if entry.size.is_none()
                && let Some(total) = total
            {
                check_space(store.dir(), total.saturating_sub(start))?;
            }
            let mut file = open_part(&part, start)?;
            let mut hasher = Sha256::new();
            if start > 0 {
                hash_prefix(&part, start, &mut hasher)?;
            }
            let mut received = start;
            progress(&Progress {
                downloaded: received,
                total,
                resumed_from: start,
            });
            loop {
                let Some(next) = options.cancel.unless_cancelled(response.chunk()).await else {
                    file.sync_all().map_err(ModelError::io("syncing", &part))?;
                    return Err(ModelError::Cancelled {
                        url,
                        received,
                        part,
                    });
                };
                match next {
                    Ok(Some(chunk)) => {
                        let after = received.saturating_add(chunk.len() as u64);
                        if after > limit.bytes {
                            drop(file);
                            remove(&part)?;
                            return Err(ModelError::Oversized {
                                url,
                                limit: limit.bytes,
                                limit_source: limit.source.to_owned(),
                                received: after,
                                part,
                            });
                        }
                        file.write_all(&chunk)
                            .map_err(ModelError::io("writing", &part))?;
                        hasher.update(&chunk);
                        received += chunk.len() as u64;
                        progress(&Progress {
                            downloaded: received,
                            total,
                            resumed_from: start,
                        });
                    }
                    Ok(None) => break,
                    Err(error) => {
                        file.sync_all().map_err(ModelError::io("syncing", &part))?;
                        return Err(ModelError::Interrupted {
                            url,
                            received,
                            reason: error_chain(&error),
                            part,
                        });
                    }
                }
            }
            file.sync_all().map_err(ModelError::io("syncing", &part))?;
            if let Some(expected) = total
                && received < expected
            {
                return Err(ModelError::Truncated {
                    url,
                    received,
                    expected,
                    part,
                });
            }
            Some(hex(&hasher.finalize()))
        }
    };

    let verification = match verify_file(&part, &expectation, hash.as_deref(), true) {
        Ok(verification) => verification,
        Err(error) => {
            remove(&part)?;
            return Err(error);
        }
    };
    std::fs::rename(&part, &destination)
        .map_err(ModelError::io("renaming into place", &destination))?;
    sync_dir(store.dir());
    Ok(PulledModel {
        bytes: verification.header.file_size,
        path: destination,
        resumed_from,
        already_installed: false,
        verification,
    })
}

/// The most bytes a download may hold, and where that number came from (for the error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SizeLimit {
    bytes: u64,
    source: &'static str,
}

impl SizeLimit {
    /// The manifest size if known, else the server's up to `cap`, else `cap`.
    fn new(manifest: Option<u64>, server: Option<u64>, cap: u64) -> SizeLimit {
        match (manifest, server) {
            (Some(bytes), _) => SizeLimit {
                bytes,
                source: "the manifest size",
            },
            (None, Some(bytes)) if bytes <= cap => SizeLimit {
                bytes,
                source: "the size the server announced",
            },
            (None, _) => SizeLimit {
                bytes: cap,
                source: "the cap for downloads of unknown size",
            },
        }
    }
}

/// Sends the GET (ranged when resuming) and classifies the answer.
async fn request(client: &reqwest::Client, url: &str, existing: u64) -> Result<Answer, ModelError> {
    let mut request = client.get(url);
    if existing > 0 {
        request = request.header(RANGE, format!("bytes={existing}-"));
    }
    let response = request.send().await.map_err(|error| ModelError::Network {
        url: url.to_owned(),
        reason: error_chain(&error),
    })?;
    let status = response.status();
    let content_range = response
        .headers()
        .get(CONTENT_RANGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    match status {
        StatusCode::PARTIAL_CONTENT if existing > 0 => {
            match content_range.as_deref().and_then(parse_content_range) {
                Some((start, total)) if start == existing => Ok(Answer::Body {
                    response,
                    start,
                    total,
                }),
                // A range other than the one asked for: do not trust it.
                _ => Ok(Answer::Restart),
            }
        }
        StatusCode::OK => {
            let total = response.content_length();
            Ok(Answer::Body {
                response,
                start: 0,
                total,
            })
        }
        StatusCode::RANGE_NOT_SATISFIABLE if existing > 0 => {
            let complete_size = content_range
                .as_deref()
                .and_then(|range| range.strip_prefix("bytes */"))
                .and_then(|total| total.trim().parse::<u64>().ok());
            if complete_size == Some(existing) {
                Ok(Answer::AlreadyComplete)
            } else {
                Ok(Answer::Restart)
            }
        }
        status => Err(ModelError::HttpStatus {
            url: url.to_owned(),
            status: status.to_string(),
        }),
    }
}

/// Parses `bytes START-END/TOTAL` (TOTAL may be `*`) into the start and the total.
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = match total.trim() {
        "*" => None,
        total => Some(total.parse().ok()?),
    };
    Some((start.trim().parse().ok()?, total))
}

fn part_len(part: &Path) -> Result<u64, ModelError> {
    match std::fs::metadata(part) {
        Ok(metadata) => Ok(metadata.len()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(error) => Err(ModelError::io("reading", part)(error)),
    }
}

fn remove(path: &Path) -> Result<(), ModelError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(ModelError::io("removing", path)(error)),
    }
}

/// Opens the partial file for writing at `start`, dropping anything after it.
fn open_part(part: &Path, start: u64) -> Result<File, ModelError> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(part)
        .map_err(ModelError::io("opening", part))?;
    file.set_len(start)
        .map_err(ModelError::io("truncating", part))?;
    Ok(file)
}

fn hash_prefix(part: &Path, length: u64, hasher: &mut Sha256) -> Result<(), ModelError> {
    let file = File::open(part).map_err(ModelError::io("opening", part))?;
    let mut reader = file.take(length);
    let mut buffer = vec![0; 1 << 20];
    loop {
        let read = reader
            .read(&mut buffer)
            .map_err(ModelError::io("reading", part))?;
        if read == 0 {
            return Ok(());
        }
        hasher.update(&buffer[..read]);
    }
}

/// Fails when `dir`'s file system has less than `needed` bytes free.
fn check_space(dir: &Path, needed: u64) -> Result<(), ModelError> {
    let available =
        fs4::available_space(dir).map_err(ModelError::io("checking free space in", dir))?;
    if available < needed {
        return Err(ModelError::InsufficientSpace {
            dir: dir.to_owned(),
            needed,
            available,
        });
    }
    Ok(())
}

/// Makes a rename durable (best effort: not every platform can sync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// An error with its causes, which is where reqwest puts the useful part.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(parse_content_range("bytes */200"), None);
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }

    #[test]
    fn the_size_limit_prefers_the_manifest_then_the_server_then_the_cap() {
        assert_eq!(SizeLimit::new(Some(10), Some(20), 30).bytes, 10);
        assert_eq!(SizeLimit::new(None, Some(20), 30).bytes, 20);
        assert_eq!(SizeLimit::new(None, Some(40), 30).bytes, 30);
        let cap = SizeLimit::new(None, None, 30);
        assert_eq!(cap.bytes, 30);
        assert!(cap.source.contains("cap"));
        assert_eq!(PullOptions::default().size_cap, DEFAULT_SIZE_CAP);
    }

    #[test]
    fn free_space_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        check_space(dir.path(), 1).unwrap();
        let error = check_space(dir.path(), u64::MAX).unwrap_err();
        assert!(
            error.to_string().contains("not enough free space"),
            "{error}"
        );
    }
}
