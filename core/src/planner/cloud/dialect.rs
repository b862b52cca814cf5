//! What the server accepts: OpenAI-compatible servers differ in the optional parameters of a
//! chat completion, and the planner learns each server's dialect from its 400 answers.
//!
//! Why learn instead of configure: the same base URL may serve models that differ (OpenAI's
//! reasoning models reject `max_tokens` for `max_completion_tokens` and any `temperature` but
//! the default; llama.cpp's server and older vLLM builds reject `response_format:
//! json_schema`). A 400 that names one of the optional parameters the planner sent is answered
//! by changing that parameter and asking again, once per parameter; the planner remembers the
//! change for the rest of its life. Any other 400 is a request that cannot succeed.

use super::wire::OutputMode;

/// The optional parts of a request this server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// Ask for `response_format: json_schema`.
    pub structured: bool,
    /// The name of the output-length limit: `max_tokens` or `max_completion_tokens`.
    pub max_tokens_key: &'static str,
    /// Send `temperature`.
    pub send_temperature: bool,
}

impl Dialect {
    /// The dialect to start with: everything sent, structured output as configured.
    pub fn new(structured: bool) -> Self {
        Self {
            structured,
            max_tokens_key: "max_tokens",
            send_temperature: true,
        }
    }

    /// How the model is asked to answer.
    pub fn mode(&self) -> OutputMode {
        if self.structured {
            OutputMode::JsonSchema
        } else {
            OutputMode::PlainText
        }
    }

    /// Adapts to a 400 whose message is `message`; what changed, or `None` when the message
    /// names nothing the planner can leave out.
    pub fn adapt(&mut self, message: &str) -> Option<&'static str> {
        let message = message.to_lowercase();
        if self.structured
            && (message.contains("response_format") || message.contains("json_schema"))
        {
            self.structured = false;
            return Some("structured output off");
        }
        if self.max_tokens_key == "max_tokens" && message.contains("max_tokens") {
            self.max_tokens_key = "max_completion_tokens";
            return Some("max_completion_tokens instead of max_tokens");
        }
        if self.send_temperature && message.contains("temperature") {
            self.send_temperature = false;
            return Some("temperature left out");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rejected_parameter_is_adapted_once() {
        let mut dialect = Dialect::new(true);
        assert_eq!(
            dialect.adapt(
                "Invalid parameter: 'response_format' of type 'json_schema' is not supported"
            ),
            Some("structured output off")
        );
        assert_eq!(dialect.mode(), OutputMode::PlainText);
        assert_eq!(
            dialect.adapt(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use \
                 'max_completion_tokens' instead."
            ),
            Some("max_completion_tokens instead of max_tokens")
        );
        assert_eq!(
            dialect.adapt("Unsupported value: 'temperature' does not support 0 with this model."),
            Some("temperature left out")
        );
        assert_eq!(dialect.adapt("Unsupported value: 'temperature'"), None);
        assert_eq!(dialect.adapt("The model `gpt-9` does not exist"), None);
    }
}
