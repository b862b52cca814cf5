//! `pull` against a real HTTP server on 127.0.0.1 (axum), serving the generated tiny model with
//! Range support and scripted failures: a connection cut half-way, a body that ends early, a
//! server that ignores ranges, 404, a dead port, a wrong hash, a body longer than the file and
//! one without end, a stalled body cancelled from another thread.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use lobster_models::verify::sha256_file;
use lobster_models::{
    CancelFlag, ManifestEntry, ModelError, ModelStore, Progress, PullOptions, pull, tiny_model_path,
};

/// How the server answers a request without a Range header.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Mode {
    /// The whole body.
    Normal = 0,
    /// Content-Length of the whole body, half of it, then the connection drops (once).
    CutOnce = 1,
    /// Half the body without Content-Length, ending cleanly (once).
    ShortOnce = 2,
    /// The body (or the rest asked for) and 4 KiB more, without Content-Length (once).
    OverlongOnce = 3,
    /// Zeros without Content-Length and without end (once).
    EndlessOnce = 4,
    /// Content-Length of the whole body, half of it, then nothing more, the connection open
    /// (once).
    StallOnce = 5,
}

/// Extra bytes an overlong answer sends.
const EXTRA: usize = 4096;

/// `bytes` as a body without Content-Length (chunked).
fn unsized_body(bytes: Vec<u8>) -> Body {
    Body::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
        Bytes::from(bytes),
    )]))
}

/// The body from `start` with [`EXTRA`] bytes more.
fn overlong(body: &[u8], start: usize) -> Vec<u8> {
    let mut bytes = body[start..].to_vec();
    bytes.extend(std::iter::repeat_n(7u8, EXTRA));
    bytes
}

struct ServerState {
    body: Vec<u8>,
    mode: AtomicU8,
    ignore_ranges: bool,
    /// The Range header of each request (None for a plain GET).
    ranges: Mutex<Vec<Option<String>>>,
    /// Bytes each response promised to send.
    sent: Mutex<Vec<usize>>,
}

struct Server {
    url: String,
    state: Arc<ServerState>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start(body: Vec<u8>, mode: Mode, ignore_ranges: bool) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(ServerState {
            body,
            mode: AtomicU8::new(mode as u8),
            ignore_ranges,
            ranges: Mutex::new(Vec::new()),
            sent: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/model.gguf", get(serve))
            .with_state(state.clone());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            url: format!("http://{address}/model.gguf"),
            state,
            _runtime: runtime,
        }
    }

    fn ranges(&self) -> Vec<Option<String>> {
        self.state.ranges.lock().unwrap().clone()
    }

    fn sent(&self) -> Vec<usize> {
        self.state.sent.lock().unwrap().clone()
    }
}

async fn serve(State(state): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    let range = headers
        .get(RANGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    state.ranges.lock().unwrap().push(range.clone());
    let mode = state.mode.swap(Mode::Normal as u8, Ordering::SeqCst);
    let body = &state.body;
    let start = range.filter(|_| !state.ignore_ranges).and_then(|range| {
        range
            .strip_prefix("bytes=")?
            .strip_suffix('-')?
            .parse::<usize>()
            .ok()
    });
    if let Some(start) = start {
        if start >= body.len() {
            state.sent.lock().unwrap().push(0);
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(CONTENT_RANGE, format!("bytes */{}", body.len()))],
            )
                .into_response();
        }
        if mode == Mode::OverlongOnce as u8 {
            let bytes = overlong(body, start);
            state.sent.lock().unwrap().push(bytes.len());
            let range = format!("bytes {start}-{}/{}", body.len() - 1, body.len());
            return Response::builder()
                .status(StatusCode::PARTIAL_CONTENT)
                .header(CONTENT_RANGE, range)
                .body(unsized_body(bytes))
                .unwrap();
        }
        state.sent.lock().unwrap().push(body.len() - start);
        return (
            StatusCode::PARTIAL_CONTENT,
            [
                (
                    CONTENT_RANGE,
                    format!("bytes {start}-{}/{}", body.len() - 1, body.len()),
                ),
                (CONTENT_LENGTH, (body.len() - start).to_string()),
            ],
            body[start..].to_vec(),
        )
            .into_response();
    }
    let half = Bytes::from(body[..body.len() / 2].to_vec());
    if mode == Mode::CutOnce as u8 {
        state.sent.lock().unwrap().push(half.len());
        // Half the promised body, a moment for it to reach the client, then a broken stream:
        // hyper aborts the connection.
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(half)]).chain(
            futures_util::stream::once(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Err(std::io::Error::other("connection cut by the test server"))
            }),
        );
        return Response::builder()
            .header(CONTENT_LENGTH, body.len())
            .body(Body::from_stream(stream))
            .unwrap();
    }
    if mode == Mode::StallOnce as u8 {
        state.sent.lock().unwrap().push(half.len());
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(half)])
            .chain(futures_util::stream::pending());
        return Response::builder()
            .header(CONTENT_LENGTH, body.len())
            .body(Body::from_stream(stream))
            .unwrap();
    }
    if mode == Mode::ShortOnce as u8 {
        state.sent.lock().unwrap().push(half.len());
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(half)]);
        return Response::new(Body::from_stream(stream));
    }
    if mode == Mode::OverlongOnce as u8 {
        let bytes = overlong(body, 0);
        state.sent.lock().unwrap().push(bytes.len());
        return Response::new(unsized_body(bytes));
    }
    if mode == Mode::EndlessOnce as u8 {
        state.sent.lock().unwrap().push(usize::MAX);
        let zeros = futures_util::stream::repeat_with(|| {
            Ok::<_, std::io::Error>(Bytes::from(vec![0u8; 16 * 1024]))
        });
        return Response::new(Body::from_stream(zeros));
    }
    state.sent.lock().unwrap().push(body.len());
    body.clone().into_response()
}

fn tiny_bytes() -> Vec<u8> {
    std::fs::read(tiny_model_path().unwrap()).unwrap()
}

fn entry(url: &str, size: Option<u64>, sha256: Option<String>) -> ManifestEntry {
    ManifestEntry {
        name: "tiny-test".into(),
        family: "qwen2.5".into(),
        architecture: "qwen2".into(),
        url: url.into(),
        size,
        sha256,
        quant: "q8_0".into(),
        context_length: 4096,
        ram_tier: "3gb".into(),
        chat_template: "chatml-qwen2.5".into(),
    }
}

fn known_entry(url: &str) -> ManifestEntry {
    let path = tiny_model_path().unwrap();
    entry(
        url,
        Some(std::fs::metadata(&path).unwrap().len()),
        Some(sha256_file(&path).unwrap()),
    )
}

fn options() -> PullOptions {
    PullOptions {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(10),
        ..PullOptions::default()
    }
}

fn part(dir: &Path) -> std::path::PathBuf {
    dir.join("tiny-test.gguf.part")
}

#[test]
fn a_full_download_is_verified_and_installed() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path().join("models"));
    let mut last = None;
    let pulled = pull(
        &store,
        &known_entry(&server.url),
        &options(),
        &mut |progress: &Progress| {
            last = Some(*progress);
        },
    )
    .unwrap();
    assert_eq!(pulled.path, dir.path().join("models/tiny-test.gguf"));
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert_eq!(pulled.resumed_from, 0);
    assert!(!pulled.already_installed);
    assert!(pulled.verification.sha256_checked && pulled.verification.size_checked);
    assert_eq!(last.unwrap().downloaded, body.len() as u64);
    assert_eq!(last.unwrap().total, Some(body.len() as u64));
    assert!(!part(&dir.path().join("models")).exists());
    assert_eq!(server.ranges(), [None]);

    // A second pull finds it installed and asks the server nothing.
    let again = pull(
        &store,
        &known_entry(&server.url),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap();
    assert!(again.already_installed);
    assert_eq!(server.ranges().len(), 1);
}

#[test]
fn a_cut_connection_resumes_from_the_partial_file() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::CutOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let entry = known_entry(&server.url);

    let error = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap_err();
    eprintln!("{error}");
    let ModelError::Interrupted { received, .. } = error else {
        panic!("expected Interrupted, got {error}");
    };
    assert!(
        error
            .to_string()
            .contains("run the same pull again to resume"),
        "{error}"
    );
    let partial = std::fs::metadata(part(dir.path())).unwrap().len();
    assert_eq!(partial, received);
    assert_eq!(
        partial,
        (body.len() / 2) as u64,
        "the half the server sent is kept"
    );
    assert!(!dir.path().join("tiny-test.gguf").exists());

    let pulled = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap();
    assert_eq!(pulled.resumed_from, partial);
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert!(pulled.verification.sha256_checked);
    assert_eq!(server.ranges(), [None, Some(format!("bytes={partial}-"))]);
    assert_eq!(
        server.sent()[1],
        body.len() - partial as usize,
        "only the rest was sent"
    );
    assert!(!part(dir.path()).exists());
}

#[test]
fn a_body_that_ends_early_is_kept_and_resumed() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::ShortOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let entry = known_entry(&server.url);
    let error = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap_err();
    assert!(matches!(error, ModelError::Truncated { .. }), "{error}");
    assert_eq!(
        std::fs::metadata(part(dir.path())).unwrap().len(),
        (body.len() / 2) as u64
    );
    let pulled = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap();
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert_eq!(
        server.ranges()[1],
        Some(format!("bytes={}-", body.len() / 2))
    );
}

#[test]
fn a_wrong_hash_is_rejected_and_the_partial_file_removed() {
    let server = Server::start(tiny_bytes(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let mut entry = known_entry(&server.url);
    entry.sha256 = Some("0".repeat(64));
    let error = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap_err();
    assert!(
        matches!(error, ModelError::HashMismatch { removed: true, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("removed"), "{error}");
    assert!(!part(dir.path()).exists());
    assert!(!dir.path().join("tiny-test.gguf").exists());
}

#[test]
fn a_server_ignoring_ranges_restarts_the_file() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::Normal, true);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    std::fs::write(part(dir.path()), b"stale bytes from another file").unwrap();
    let pulled = pull(
        &store,
        &known_entry(&server.url),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap();
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert_eq!(server.ranges(), [Some("bytes=29-".into())]);
}

#[test]
fn a_complete_partial_file_of_unknown_size_is_verified_after_a_416() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    std::fs::write(part(dir.path()), &body).unwrap();
    let pulled = pull(
        &store,
        &entry(&server.url, None, None),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap();
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert_eq!(pulled.verification.summary(), "GGUF header, architecture");
    assert_eq!(server.ranges(), [Some(format!("bytes={}-", body.len()))]);
}

#[test]
fn without_size_or_hash_a_non_gguf_download_is_refused() {
    let server = Server::start(b"<html>maintenance</html>".to_vec(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let error = pull(
        &store,
        &entry(&server.url, None, None),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("not a GGUF file"), "{error}");
    assert!(!part(dir.path()).exists());
}

#[test]
fn a_size_other_than_the_manifest_is_not_downloaded() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let entry = entry(&server.url, Some(body.len() as u64 + 1), None);
    let error = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap_err();
    assert!(
        matches!(error, ModelError::UnexpectedSize { .. }),
        "{error}"
    );
    assert!(!part(dir.path()).exists());
}

#[test]
fn not_found_is_an_http_error() {
    let server = Server::start(tiny_bytes(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let url = server.url.replace("model.gguf", "missing.gguf");
    let error = pull(
        &store,
        &known_entry(&url),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap_err();
    assert!(matches!(error, ModelError::HttpStatus { .. }), "{error}");
    assert!(error.to_string().contains("404"), "{error}");
    assert!(!part(dir.path()).exists());
}

#[test]
fn a_dead_port_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let url = format!("http://{address}/model.gguf");
    let error = pull(
        &store,
        &known_entry(&url),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap_err();
    assert!(matches!(error, ModelError::Network { .. }), "{error}");
    let message = error.to_string();
    eprintln!("{message}");
    assert!(
        message.contains("could not reach") && message.contains("is the network up?"),
        "{message}"
    );
    assert!(!part(dir.path()).exists());
}

#[test]
fn a_body_longer_than_the_manifest_size_is_stopped_and_deleted() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::OverlongOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let entry = known_entry(&server.url);
    let error = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap_err();
    let ModelError::Oversized {
        limit, received, ..
    } = &error
    else {
        panic!("expected Oversized, got {error}");
    };
    assert_eq!(*limit, body.len() as u64);
    assert!(*received > *limit && *received <= (body.len() + EXTRA) as u64);
    let message = error.to_string();
    assert!(
        message.contains("the manifest size")
            && message.contains(&body.len().to_string())
            && message.contains("deleted the partial file"),
        "{message}"
    );
    assert!(!part(dir.path()).exists());
    assert!(!dir.path().join("tiny-test.gguf").exists());

    // The server behaves again: the next pull starts over and installs the file.
    let pulled = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap();
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert_eq!(server.ranges(), [None, None]);
}

#[test]
fn a_resumed_body_longer_than_the_rest_is_stopped_and_deleted() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::OverlongOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let half = body.len() / 2;
    std::fs::write(part(dir.path()), &body[..half]).unwrap();
    let error = pull(
        &store,
        &known_entry(&server.url),
        &options(),
        &mut |_: &Progress| {},
    )
    .unwrap_err();
    assert!(
        matches!(error, ModelError::Oversized { limit, .. } if limit == body.len() as u64),
        "{error}"
    );
    assert_eq!(server.ranges(), [Some(format!("bytes={half}-"))]);
    assert!(!part(dir.path()).exists());
}

#[test]
fn an_endless_body_of_unknown_size_stops_at_the_cap() {
    let server = Server::start(tiny_bytes(), Mode::EndlessOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let cap = 256 * 1024;
    let options = PullOptions {
        size_cap: cap,
        ..options()
    };
    let mut most = 0;
    let error = pull(
        &store,
        &entry(&server.url, None, None),
        &options,
        &mut |progress: &Progress| most = most.max(progress.downloaded),
    )
    .unwrap_err();
    assert!(
        matches!(error, ModelError::Oversized { limit, .. } if limit == cap),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains("the cap for downloads of unknown size") && message.contains("262144"),
        "{message}"
    );
    assert!(most <= cap, "never more than the cap on disk: {most}");
    assert!(!part(dir.path()).exists());
}

#[test]
fn an_announced_size_over_the_cap_is_refused_before_writing() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::Normal, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let options = PullOptions {
        size_cap: (body.len() / 2) as u64,
        ..options()
    };
    let mut calls = 0;
    let error = pull(
        &store,
        &entry(&server.url, None, None),
        &options,
        &mut |_: &Progress| calls += 1,
    )
    .unwrap_err();
    assert!(
        matches!(error, ModelError::Oversized { received: 0, .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains(&format!("it announced {}", body.len())),
        "{error}"
    );
    assert_eq!(calls, 0, "nothing was written");
    assert!(!part(dir.path()).exists());
}

#[test]
fn a_download_cancelled_from_another_thread_stops_at_once_keeps_its_part_and_resumes() {
    let body = tiny_bytes();
    let server = Server::start(body.clone(), Mode::StallOnce, false);
    let dir = tempfile::tempdir().unwrap();
    let store = ModelStore::new(dir.path());
    let entry = known_entry(&server.url);
    let cancel = CancelFlag::new();
    let cancellable = PullOptions {
        cancel: cancel.clone(),
        ..options()
    };
    let half = (body.len() / 2) as u64;
    let (reached_half, halfway) = std::sync::mpsc::channel();
    let puller = {
        let (store, entry) = (store.clone(), entry.clone());
        std::thread::spawn(move || {
            pull(&store, &entry, &cancellable, &mut |progress: &Progress| {
                if progress.downloaded >= half {
                    let _ = reached_half.send(());
                }
            })
        })
    };
    // The server now holds the connection open without sending: only the flag can end the
    // pull before the 10 s read timeout.
    halfway.recv_timeout(Duration::from_secs(10)).unwrap();
    let cancelled_at = std::time::Instant::now();
    cancel.cancel();
    let error = puller.join().unwrap().unwrap_err();
    assert!(
        cancelled_at.elapsed() < Duration::from_secs(5),
        "took {:?}",
        cancelled_at.elapsed()
    );
    let ModelError::Cancelled { received, .. } = error else {
        panic!("expected Cancelled, got {error}");
    };
    assert!(error.to_string().contains("was cancelled"), "{error}");
    assert_eq!(received, half);
    assert_eq!(std::fs::metadata(part(dir.path())).unwrap().len(), half);
    assert!(!dir.path().join("tiny-test.gguf").exists());

    // A raised flag stays raised: a pull with it asks the server nothing.
    let again = pull(
        &store,
        &entry,
        &PullOptions {
            cancel: cancel.clone(),
            ..options()
        },
        &mut |_: &Progress| {},
    )
    .unwrap_err();
    assert!(matches!(again, ModelError::Cancelled { received, .. } if received == half));
    assert_eq!(server.ranges().len(), 1);

    // A new flag resumes from the kept half.
    let pulled = pull(&store, &entry, &options(), &mut |_: &Progress| {}).unwrap();
    assert_eq!(pulled.resumed_from, half);
    assert_eq!(std::fs::read(&pulled.path).unwrap(), body);
    assert!(pulled.verification.sha256_checked);
    assert_eq!(server.ranges(), [None, Some(format!("bytes={half}-"))]);
}
