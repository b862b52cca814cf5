//! What an integrator sets for the cloud planner: the endpoint, the model, the key, and how long
//! and how often it may try.
//!
//! Why the key has its own type: it must never reach a log, an error, an event or a trajectory.
//! [`ApiKey`] prints `***` in `Debug` and `Display`, and only the transport reads its value, to
//! put it in the `Authorization: Bearer` header.

use std::fmt;
use std::time::Duration;

use super::output_mode::OutputMode;
use crate::policy::redact::PrivateApps;

/// The environment variable the key is read from when the configuration gives none.
pub const API_KEY_ENV: &str = "LOBSTER_API_KEY";

/// An API key. Prints as `***`; its value is only sent in the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps `key`.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key in [`API_KEY_ENV`], if it is set and not blank.
    pub fn from_env() -> Option<Self> {
        std::env::var(API_KEY_ENV)
            .ok()
            .map(|key| key.trim().to_owned())
            .filter(|key| !key.is_empty())
            .map(Self)
    }

    /// The value, for the transport only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is blank.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The cloud planner's settings.
#[derive(Debug, Clone)]
pub struct CloudConfig {
    /// The API's base URL, up to and including the version: `https://api.openai.com/v1`. The
    /// planner posts to `{base_url}/chat/completions`. Plain `http` is accepted only for a
    /// loopback host (a test server or a model server on the same machine).
    pub base_url: String,
    /// The model name the server expects (`gpt-4o-mini`, `qwen2.5-72b-instruct`).
    pub model: String,
    /// The key; `None` reads [`API_KEY_ENV`].
    pub api_key: Option<ApiKey>,
    /// How long one HTTP attempt may take, from connecting to the last byte of the body.
    pub request_timeout: Duration,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How long one step may take in all: attempts, waits between them and `Retry-After`
    /// pauses. Nothing is retried past it.
    pub deadline: Duration,
    /// Retries after the first attempt, for server errors, rate limits, timeouts and broken
    /// connections. Requests that cannot succeed (400, 401, 403, 404, 422) are not retried.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles with each retry, with random jitter.
    pub initial_backoff: Duration,
    /// The longest wait between retries (a server's `Retry-After` may ask for more, up to the
    /// deadline).
    pub max_backoff: Duration,
    /// The most tokens the model may generate per step.
    pub max_output_tokens: u32,
    /// Sampling temperature; 0 for the most likely action.
    pub temperature: f32,
    /// The answer format to ask for, or `None` to negotiate it with the server: `json_schema`
    /// first, stepping down to `json_object` and then plain text when the server refuses a
    /// mode by name (any 4xx or 5xx), remembered for this endpoint and model for the rest of
    /// the process. A mode given here is used as it is, and a refusal of it fails the step.
    pub output_mode: Option<OutputMode>,
    /// Apps whose windows are withheld from the prompt.
    pub private_apps: PrivateApps,
    /// The longest response body read, in bytes.
    pub max_response_bytes: usize,
}

impl Default for CloudConfig {
    /// OpenAI's endpoint with no model chosen (set `model`), the key from the environment, 30 s
    /// per attempt, 60 s per step, 3 retries starting at 0.5 s.
    fn default() -> Self {
        Self {
            base_url: "https://api.openai.com/v1".into(),
            model: String::new(),
            api_key: None,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_output_tokens: 256,
            temperature: 0.0,
            output_mode: None,
            private_apps: PrivateApps::default(),
            max_response_bytes: 1 << 20,
        }
    }
}

impl CloudConfig {
    /// The defaults with `base_url` and `model`.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints() {
        let config = CloudConfig {
            api_key: Some(ApiKey::new("sk-live-abc123")),
            ..CloudConfig::new("https://example.com/v1", "m")
        };
        let printed = format!("{config:?} {}", ApiKey::new("sk-live-abc123"));
        assert!(!printed.contains("abc123"), "{printed}");
        assert!(printed.contains("***"), "{printed}");
    }
}
