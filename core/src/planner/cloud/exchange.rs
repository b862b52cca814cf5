//! One step's HTTP exchange with the server: attempts, retries, waits, the step deadline and
//! cancellation, on the planner's own tokio runtime.
//!
//! Why the loop lives here and not in reqwest: the decisions depend on the protocol (a 429's
//! `Retry-After` is a promise, a 2xx with a broken body is worth another try, a refusal that
//! will come again is final here and left to the planner's dialect) and on the agent (a cancel from the user's
//! stop button must end the wait at once, and nothing may run past the step's deadline). Every
//! attempt and every pause is raced against the cancel token. The key goes into the
//! `Authorization` header and nowhere else; error texts are scrubbed of it in case a server
//! echoes it.

use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;
use tokio::runtime::Runtime;

use super::config::ApiKey;
use super::retry::{StatusClass, backoff, classify_status, fails_the_same_way, retry_after};
use super::wire::{Completion, EnvelopeError, error_excerpt, parse_completion, shorten};
use crate::cancel::CancelToken;

/// The most of a refusal's body kept for the dialect to read.
const MAX_REFUSAL_BODY_CHARS: usize = 4_096;

/// How often a wait looks at the cancel token.
const CANCEL_POLL: Duration = Duration::from_millis(10);

/// The retry settings of an exchange.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub request_timeout: Duration,
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

/// What came of an exchange, besides a completion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExchangeError {
    /// The cancel token was set.
    #[error("cancelled")]
    Cancelled,
    /// The server refused the request in a way retrying cannot fix.
    #[error("the server refused the request: HTTP {status}: {message}")]
    Refused {
        /// The status code.
        status: u16,
        /// The server's message, shortened, key scrubbed.
        message: String,
        /// The start of the body, key scrubbed: what the dialect reads for the parameter named.
        body: String,
    },
    /// The model declined to answer (a well-formed completion with a refusal).
    #[error("{0}")]
    ModelRefused(String),
    /// Every attempt failed, or the deadline came; `last` is the last failure.
    #[error("{last} (after {attempts} attempts in {elapsed_ms} ms)")]
    GaveUp {
        /// The last failure, in words.
        last: String,
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed_ms: u64,
    },
}

/// Counts an exchange adds to the planner's statistics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ExchangeCounts {
    /// HTTP requests sent.
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
}

/// The HTTP side of the planner: a client, the endpoint, the key and a runtime to block on.
pub(crate) struct Transport {
    runtime: Runtime,
    client: reqwest::Client,
    endpoint: reqwest::Url,
    key: ApiKey,
    max_response_bytes: usize,
}

/// What one attempt got back.
enum Attempt {
    /// A response, read in full.
    Response {
        status: u16,
        wait: Option<Duration>,
        body: Vec<u8>,
    },
    /// No complete response: connection refused or dropped, body cut short, too large.
    Broken(String),
    /// The attempt ran past its timeout.
    TimedOut,
}

impl Transport {
    /// A transport posting to `endpoint` with `key`.
    pub fn new(
        endpoint: reqwest::Url,
        key: ApiKey,
        connect_timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<Self, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("starting the cloud planner's runtime: {error}"))?;
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .user_agent(concat!("lobster/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| format!("building the HTTP client: {error}"))?;
        Ok(Self {
            runtime,
            client,
            endpoint,
            key,
            max_response_bytes,
        })
    }

    /// Posts `body` until a completion comes back, a request is refused, the retries are spent,
    /// `deadline` passes or `cancel` is set.
    pub fn complete(
        &self,
        body: &Value,
        policy: RetryPolicy,
        deadline: Instant,
        cancel: &CancelToken,
        counts: &mut ExchangeCounts,
    ) -> Result<Completion, ExchangeError> {
        self.runtime
            .block_on(self.complete_async(body, policy, deadline, cancel, counts))
    }

    async fn complete_async(
        &self,
        body: &Value,
        policy: RetryPolicy,
        deadline: Instant,
        cancel: &CancelToken,
        counts: &mut ExchangeCounts,
    ) -> Result<Completion, ExchangeError> {
        let started = Instant::now();
        let mut attempts = 0u32;
        let give_up = |last: String, attempts: u32| ExchangeError::GaveUp {
            last: self.scrub(&last),
            attempts,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        loop {
            if cancel.is_cancelled() {
                return Err(ExchangeError::Cancelled);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(give_up("the step deadline passed".into(), attempts));
            }
            attempts += 1;
            counts.requests += 1;
            if attempts > 1 {
                counts.retries += 1;
            }
            let timeout = policy.request_timeout.min(remaining);
            let attempt = tokio::select! {
                attempt = tokio::time::timeout(timeout, self.attempt(body, remaining)) => {
                    attempt.unwrap_or(Attempt::TimedOut)
                }
                () = cancelled(cancel) => return Err(ExchangeError::Cancelled),
            };
            let (failure, asked_wait) = match attempt {
                Attempt::Response { status, wait, body } => match classify_status(status) {
                    StatusClass::Success => match parse_completion(&body) {
                        Ok(completion) => return Ok(completion),
                        Err(EnvelopeError::Refused(reason)) => {
                            return Err(ExchangeError::ModelRefused(
                                self.scrub(&format!("the model refused: {reason}")),
                            ));
                        }
                        Err(error) => (format!("HTTP {status}: {error}"), None),
                    },
                    class => {
                        let text = String::from_utf8_lossy(&body);
                        if class == StatusClass::Fatal || fails_the_same_way(&text) {
                            return Err(ExchangeError::Refused {
                                status,
                                message: self.scrub(&error_excerpt(&body)),
                                body: self.scrub(&shorten(&text, MAX_REFUSAL_BODY_CHARS)),
                            });
                        }
                        let asked = (class == StatusClass::Throttled).then_some(wait).flatten();
                        (format!("HTTP {status}: {}", error_excerpt(&body)), asked)
                    }
                },
                Attempt::Broken(reason) => (reason, None),
                Attempt::TimedOut => (
                    format!("no complete response within {} ms", timeout.as_millis()),
                    None,
                ),
            };
            if attempts > policy.max_retries {
                return Err(give_up(failure, attempts));
            }
            let pause = asked_wait
                .unwrap_or_else(|| backoff(policy.initial_backoff, policy.max_backoff, attempts));
            // Compared, not added: `Instant + Duration` can overflow.
            let left = deadline.saturating_duration_since(Instant::now());
            if pause >= left {
                let why = match asked_wait {
                    Some(_) => format!(
                        "{failure}; the server asked to wait past the step deadline ({} ms left)",
                        left.as_millis()
                    ),
                    None => format!("{failure}; no time left for another attempt"),
                };
                return Err(give_up(why, attempts));
            }
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = cancelled(cancel) => return Err(ExchangeError::Cancelled),
            }
        }
    }

    /// One POST, with the body read in full (up to the size limit). A wait the server asks for
    /// is read at most as `longest`.
    async fn attempt(&self, body: &Value, longest: Duration) -> Attempt {
        let sent = self
            .client
            .post(self.endpoint.clone())
            .bearer_auth(self.key.expose())
            .json(body)
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => return Attempt::Broken(describe(&error, "sending the request")),
        };
        let status = response.status().as_u16();
        // Every value of the header; a value that is not visible ASCII is no value.
        let header = |name: &str| {
            response
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok())
        };
        let wait = retry_after(
            header("retry-after-ms"),
            header("retry-after"),
            SystemTime::now(),
            longest,
        );
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > self.max_response_bytes {
                        return Attempt::Broken(format!(
                            "the response is larger than {} bytes",
                            self.max_response_bytes
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    return Attempt::Broken(describe(&error, "reading the response body"));
                }
            }
        }
        Attempt::Response {
            status,
            wait,
            body: bytes,
        }
    }

    /// `text` with the key replaced by `***`.
    fn scrub(&self, text: &str) -> String {
        let key = self.key.expose();
        if key.is_empty() {
            text.to_owned()
        } else {
            text.replace(key, "***")
        }
    }
}

/// Resolves once `cancel` is set.
async fn cancelled(cancel: &CancelToken) {
    while !cancel.is_cancelled() {
        tokio::time::sleep(CANCEL_POLL).await;
    }
}

/// A transport error in words, with its cause chain (reqwest's own message is terse).
fn describe(error: &reqwest::Error, doing: &str) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the body broke off"
    } else {
        "failed"
    };
    let mut text = format!("{doing} {kind}");
    let mut source = std::error::Error::source(error);
    let mut depth = 0;
    while let Some(cause) = source {
        if depth == 3 {
            break;
        }
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
        depth += 1;
    }
    text
}
