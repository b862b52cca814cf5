//! How the cloud model is asked to give its answer, from the most constrained to the least.
//!
//! Why three modes and a ladder: OpenAI-compatible servers agree on the chat-completions
//! envelope but not on constrained output. OpenAI, vLLM, SGLang, llama.cpp's llama-server,
//! Ollama and DashScope accept `response_format: {"type": "json_schema", …}`; llama-cpp-python's
//! server accepts only `text` and `json_object` (with an optional `schema` beside the type,
//! which it and llama-server turn into a grammar); some endpoints take neither. Each step down
//! keeps as much of the guarantee as the server gives: a schema-constrained object, then an
//! object, then an action line read leniently. The planner starts at the top and steps down
//! when a server refuses the mode by name (see `dialect`), unless the integrator forced one.

use std::fmt;
use std::str::FromStr;

/// The answer format asked of the cloud model; the default is where negotiation starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum OutputMode {
    /// `response_format: {"type": "json_schema", …}`: a JSON object `{"action", "reason"}` the
    /// server constrains to the schema.
    #[default]
    JsonSchema,
    /// `response_format: {"type": "json_object", "schema": …}`: a JSON object, constrained to
    /// the schema by the servers that read `schema` there (llama-cpp-python, llama-server) and
    /// to any JSON object by the others.
    JsonObject,
    /// No `response_format`: the action on the first line, nothing else.
    Text,
}

impl OutputMode {
    /// Every mode, most constrained first: the order the planner steps down in.
    pub const ALL: [OutputMode; 3] = [
        OutputMode::JsonSchema,
        OutputMode::JsonObject,
        OutputMode::Text,
    ];

    /// The mode's name as `--output-mode` and `response_format.type` spell it (`text` for no
    /// `response_format`).
    pub fn name(self) -> &'static str {
        match self {
            OutputMode::JsonSchema => "json_schema",
            OutputMode::JsonObject => "json_object",
            OutputMode::Text => "text",
        }
    }

    /// The next, less constrained mode; `None` below plain text.
    pub fn step_down(self) -> Option<OutputMode> {
        match self {
            OutputMode::JsonSchema => Some(OutputMode::JsonObject),
            OutputMode::JsonObject => Some(OutputMode::Text),
            OutputMode::Text => None,
        }
    }

    /// Whether the model answers with a JSON object.
    pub fn is_json(self) -> bool {
        self != OutputMode::Text
    }
}

impl fmt::Display for OutputMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not an output mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output mode {0:?}: expected json_schema, json_object or text")]
pub struct UnknownOutputMode(pub String);

impl FromStr for OutputMode {
    type Err = UnknownOutputMode;

    /// `json_schema`, `json_object` or `text` (case and `-`/`_` ignored).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let normal = name.trim().to_ascii_lowercase().replace('-', "_");
        OutputMode::ALL
            .into_iter()
            .find(|mode| mode.name() == normal)
            .ok_or_else(|| UnknownOutputMode(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_step_down_in_order_and_parse_by_name() {
        assert_eq!(
            OutputMode::JsonSchema.step_down(),
            Some(OutputMode::JsonObject)
        );
        assert_eq!(OutputMode::JsonObject.step_down(), Some(OutputMode::Text));
        assert_eq!(OutputMode::Text.step_down(), None);
        for mode in OutputMode::ALL {
            assert_eq!(mode.name().parse(), Ok(mode));
        }
        assert_eq!("JSON-Object".parse(), Ok(OutputMode::JsonObject));
        assert!("auto".parse::<OutputMode>().is_err());
    }
}
