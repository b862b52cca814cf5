//! What the server accepts: OpenAI-compatible servers differ in the optional parameters of a
//! chat completion, and the planner learns each endpoint's dialect from its refusals.
//!
//! Why learn instead of configure: the same base URL may serve models that differ (OpenAI's
//! reasoning models reject `max_tokens` for `max_completion_tokens` and any `temperature` but
//! the default), and servers refuse what they lack in their own ways: vLLM and OpenAI with a
//! 400, llama-cpp-python's server with a **500** for a `response_format` type it does not know
//! (its route handler turns every exception, validation errors included, into a 500). So a
//! refusal of any 4xx or 5xx status whose body names a parameter the planner sent is answered by
//! changing that parameter and asking again: the output mode steps down one rung
//! (`json_schema` → `json_object` → text, see [`OutputMode`]), the length limit is renamed,
//! the temperature left out. Each change happens at most once per parameter, so a step sends
//! at most a few refused requests. What was learned is remembered for the endpoint and model
//! for the rest of the process, so later tasks (and later planners for the same endpoint, as
//! the FFI builds one per agent) start where the last one ended: one refused request per
//! endpoint, not one per step. An output mode the integrator forced is never stepped down.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use super::output_mode::OutputMode;

/// The optional parts of a request this server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// How the model is asked to answer.
    pub output: OutputMode,
    /// The integrator chose `output`: refusals of it are final.
    pub forced: bool,
    /// The name of the output-length limit: `max_tokens` or `max_completion_tokens`.
    pub max_tokens_key: &'static str,
    /// Send `temperature`.
    pub send_temperature: bool,
}

/// What the process has learned, per endpoint and model.
static LEARNED: LazyLock<Mutex<HashMap<String, Dialect>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Words in a refusal that name the output format.
const OUTPUT_FORMAT_NAMES: [&str; 4] = [
    "response_format",
    "json_schema",
    "json_object",
    "structured output",
];

impl Dialect {
    /// Everything sent, the output mode as `forced`, or negotiated from the top.
    pub fn new(forced: Option<OutputMode>) -> Self {
        Self {
            output: forced.unwrap_or_default(),
            forced: forced.is_some(),
            max_tokens_key: "max_tokens",
            send_temperature: true,
        }
    }

    /// The dialect to start with at `endpoint` (the endpoint URL and the model): what this
    /// process learned there, with the output mode `forced` when it is.
    pub fn for_endpoint(endpoint: &str, forced: Option<OutputMode>) -> Self {
        let learned = LEARNED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(endpoint)
            .copied();
        let mut dialect = learned.unwrap_or_else(|| Self::new(None));
        if let Some(mode) = forced {
            dialect.output = mode;
            dialect.forced = true;
        }
        dialect
    }

    /// Keeps what was learned at `endpoint` for later planners of this process. A forced
    /// output mode is the integrator's choice, not the server's: it is not recorded.
    pub fn remember(&self, endpoint: &str) {
        let mut learned = LEARNED.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = learned
            .entry(endpoint.to_owned())
            .or_insert_with(|| Self::new(None));
        entry.max_tokens_key = self.max_tokens_key;
        entry.send_temperature = self.send_temperature;
        if !self.forced {
            entry.output = self.output;
        }
    }

    /// How the model is asked to answer.
    pub fn mode(&self) -> OutputMode {
        self.output
    }

    /// Adapts to a refusal whose body (any status) is `body`; what changed, or `None` when the
    /// body names nothing the planner sent and can change.
    pub fn adapt(&mut self, body: &str) -> Option<String> {
        let body = body.to_lowercase();
        let names = |words: &[&str]| words.iter().any(|word| body.contains(word));
        if !self.forced
            && self.output.is_json()
            && names(&OUTPUT_FORMAT_NAMES)
            && let Some(lower) = self.output.step_down()
        {
            let change = format!("output mode {} refused; now {lower}", self.output);
            self.output = lower;
            return Some(change);
        }
        if self.max_tokens_key == "max_tokens" && names(&["max_tokens"]) {
            self.max_tokens_key = "max_completion_tokens";
            return Some("max_completion_tokens instead of max_tokens".into());
        }
        if self.send_temperature && names(&["temperature"]) {
            self.send_temperature = false;
            return Some("temperature left out".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rejected_parameter_is_adapted_once_and_the_output_mode_steps_down() {
        let mut dialect = Dialect::new(None);
        assert_eq!(dialect.mode(), OutputMode::JsonSchema);
        // llama-cpp-python's 500: the type it does not know, named by pydantic.
        assert_eq!(
            dialect
                .adapt(
                    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  \
                     Input should be 'text' or 'json_object'"
                )
                .as_deref(),
            Some("output mode json_schema refused; now json_object")
        );
        assert_eq!(dialect.mode(), OutputMode::JsonObject);
        assert_eq!(
            dialect
                .adapt(
                    "Invalid parameter: 'response_format' of type 'json_object' is not supported"
                )
                .as_deref(),
            Some("output mode json_object refused; now text")
        );
        assert_eq!(dialect.mode(), OutputMode::Text);
        // Text sends no response_format: a body naming it is not about this request.
        assert_eq!(dialect.adapt("response_format"), None);
        assert_eq!(
            dialect
                .adapt(
                    "Unsupported parameter: 'max_tokens' is not supported with this model. Use \
                     'max_completion_tokens' instead."
                )
                .as_deref(),
            Some("max_completion_tokens instead of max_tokens")
        );
        assert_eq!(
            dialect
                .adapt("Unsupported value: 'temperature' does not support 0 with this model.")
                .as_deref(),
            Some("temperature left out")
        );
        assert_eq!(dialect.adapt("Unsupported value: 'temperature'"), None);
        assert_eq!(dialect.adapt("The model `gpt-9` does not exist"), None);
    }

    #[test]
    fn a_forced_mode_is_never_stepped_down_nor_remembered() {
        let mut forced = Dialect::new(Some(OutputMode::JsonObject));
        assert_eq!(forced.adapt("'response_format' is not supported"), None);
        assert_eq!(forced.mode(), OutputMode::JsonObject);
        assert!(forced.adapt("'max_tokens' is not supported").is_some());
        let endpoint = "https://forced.example/v1/chat/completions m";
        forced.remember(endpoint);
        let later = Dialect::for_endpoint(endpoint, None);
        assert_eq!(later.mode(), OutputMode::JsonSchema);
        assert!(!later.forced);
        assert_eq!(later.max_tokens_key, "max_completion_tokens");
    }

    #[test]
    fn what_one_planner_learned_is_where_the_next_starts() {
        let endpoint = "http://127.0.0.1:1/v1/chat/completions learned-model";
        let mut first = Dialect::for_endpoint(endpoint, None);
        assert_eq!(first, Dialect::new(None));
        first.adapt("response_format.type: Input should be 'text' or 'json_object'");
        first.remember(endpoint);
        assert_eq!(
            Dialect::for_endpoint(endpoint, None).mode(),
            OutputMode::JsonObject
        );
        assert_eq!(
            Dialect::for_endpoint(endpoint, Some(OutputMode::Text)).mode(),
            OutputMode::Text
        );
        assert_eq!(
            Dialect::for_endpoint("http://127.0.0.1:1/v1/chat/completions other", None).mode(),
            OutputMode::JsonSchema
        );
    }
}
