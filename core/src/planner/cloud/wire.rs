//! The OpenAI chat-completions protocol as the cloud planner speaks it: the request body and
//! the response envelope.
//!
//! Why structured output first: with `response_format: json_schema` a capable server
//! guarantees one JSON object `{"action": "…", "reason": "…"}`, so the answer cannot run on
//! into prose. Not every OpenAI-compatible server supports it, so the planner steps down to
//! `json_object` (with the same schema beside it, which llama.cpp-based servers enforce) and
//! then to plain text when the server refuses a mode (see `dialect` and [`OutputMode`]), and
//! reads a plain reply even in a JSON mode (see `answer`). Whatever the model wrote, the action
//! line still goes through the action parser and the screen's validation before anything acts
//! on it.

use serde_json::{Value, json};

use super::dialect::Dialect;
use super::output_mode::OutputMode;
use crate::planner::prompt::ChatMessage;

/// The request body's settings besides the messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sampling<'a> {
    pub model: &'a str,
    pub max_output_tokens: u32,
    pub temperature: f32,
}

/// What the answer must look like: a name for the schema, the JSON schema, and whether the
/// server may enforce it strictly (OpenAI's strict mode wants every property required).
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnswerShape<'a> {
    pub name: &'a str,
    pub schema: &'a Value,
    pub strict: bool,
}

/// The JSON schema of a step's answer. Bare: the system prompt already says what each field
/// holds, and the schema travels with every request.
pub(crate) fn answer_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "action": {"type": "string"},
            "reason": {"type": "string"}
        },
        "required": ["action", "reason"],
        "additionalProperties": false
    })
}

/// The body of `POST /chat/completions` in the server's `dialect`.
pub(crate) fn request_body(
    sampling: Sampling<'_>,
    messages: &[ChatMessage],
    dialect: &Dialect,
    shape: AnswerShape<'_>,
) -> Value {
    let messages: Vec<Value> = messages
        .iter()
        .map(|message| json!({"role": message.role.as_str(), "content": message.content}))
        .collect();
    let mut body = serde_json::Map::new();
    body.insert("model".into(), json!(sampling.model));
    body.insert("messages".into(), Value::Array(messages));
    body.insert(
        dialect.max_tokens_key.into(),
        json!(sampling.max_output_tokens),
    );
    if dialect.send_temperature {
        body.insert("temperature".into(), json!(sampling.temperature));
    }
    body.insert("n".into(), json!(1));
    body.insert("stream".into(), json!(false));
    match dialect.mode() {
        OutputMode::JsonSchema => {
            body.insert(
                "response_format".into(),
                json!({
                    "type": "json_schema",
                    "json_schema": {
                        "name": shape.name,
                        "strict": shape.strict,
                        "schema": shape.schema,
                    }
                }),
            );
        }
        // `schema` beside the type is llama-cpp-python's and llama-server's extension (they
        // compile it to a grammar); OpenAI-style servers read the type alone.
        OutputMode::JsonObject => {
            body.insert(
                "response_format".into(),
                json!({"type": "json_object", "schema": shape.schema}),
            );
        }
        OutputMode::Text => {}
    }
    Value::Object(body)
}

/// What a successful response carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Completion {
    /// The model's text.
    pub content: String,
    /// Prompt tokens, when the server reported usage.
    pub prompt_tokens: Option<u32>,
    /// Generated tokens, when the server reported usage.
    pub completion_tokens: Option<u32>,
    /// Of the prompt tokens, those the server had cached from an earlier request with the same
    /// prefix (`usage.prompt_tokens_details.cached_tokens`), when it said.
    pub cached_tokens: Option<u32>,
}

/// Why a 2xx response body is not a usable completion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum EnvelopeError {
    /// The body is not JSON (cut short, HTML from a proxy, garbage).
    #[error("the response body is not valid JSON ({0})")]
    NotJson(String),
    /// JSON, but not a chat completion.
    #[error("the response is not a chat completion: {0}")]
    NotACompletion(&'static str),
    /// The model declined to answer.
    #[error("the model refused: {0}")]
    Refused(String),
}

/// Reads a chat-completion response body.
pub(crate) fn parse_completion(body: &[u8]) -> Result<Completion, EnvelopeError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        EnvelopeError::NotJson(format!(
            "{} at line {} column {}",
            describe_json_error(&error),
            error.line(),
            error.column()
        ))
    })?;
    let message = value
        .get("choices")
        .and_then(Value::as_array)
        .ok_or(EnvelopeError::NotACompletion("no `choices` array"))?
        .first()
        .ok_or(EnvelopeError::NotACompletion("`choices` is empty"))?
        .get("message")
        .ok_or(EnvelopeError::NotACompletion("the choice has no `message`"))?;
    if let Some(refusal) = message.get("refusal").and_then(Value::as_str)
        && !refusal.is_empty()
    {
        return Err(EnvelopeError::Refused(shorten(refusal, 200)));
    }
    let content =
        message
            .get("content")
            .and_then(Value::as_str)
            .ok_or(EnvelopeError::NotACompletion(
                "the message has no text `content`",
            ))?;
    let usage = value.get("usage");
    let count = |path: &[&str]| {
        path.iter()
            .try_fold(usage?, |value, key| value.get(key))
            .and_then(Value::as_u64)
            .map(|tokens| u32::try_from(tokens).unwrap_or(u32::MAX))
    };
    Ok(Completion {
        content: content.to_owned(),
        prompt_tokens: count(&["prompt_tokens"]),
        completion_tokens: count(&["completion_tokens"]),
        cached_tokens: count(&["prompt_tokens_details", "cached_tokens"]),
    })
}

fn describe_json_error(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Eof => "it ends early",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Io => "read error",
    }
}

/// A short excerpt of an error body for a message: the server's message where one of the
/// shapes servers use holds it (`{"error": {"message"}}` from OpenAI, llama-server, vLLM,
/// Ollama and DashScope; `{"error": "…"}` from vLLM's and SGLang's key check; a flat
/// `{"object": "error", "message"}` from SGLang and vLLM before 0.10.1; FastAPI's
/// `{"detail": …}` from llama-cpp-python's key check), else the start of the body.
pub(crate) fn error_excerpt(body: &[u8]) -> String {
    let message = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|value| {
            let error = value.get("error");
            let found = error
                .and_then(|error| error.get("message"))
                .or(error)
                .or_else(|| value.get("message"))
                .or_else(|| value.get("detail"))?;
            Some(match found {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
        });
    let text = message.unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    shorten(text.trim(), 160)
}

/// `text` cut to `max` characters with `…`.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(content: &str) -> Vec<u8> {
        json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 812, "completion_tokens": 17, "total_tokens": 829,
                      "prompt_tokens_details": {"cached_tokens": 768}}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn the_body_asks_for_the_schema_or_for_text() {
        let sampling = Sampling {
            model: "m",
            max_output_tokens: 64,
            temperature: 0.0,
        };
        let messages = [ChatMessage::new(crate::planner::prompt::Role::User, "hi")];
        let schema = answer_schema();
        let shape = AnswerShape {
            name: "lobster_action",
            schema: &schema,
            strict: true,
        };
        let structured = request_body(sampling, &messages, &Dialect::new(None), shape);
        assert_eq!(structured["response_format"]["type"], "json_schema");
        assert_eq!(
            structured["response_format"]["json_schema"]["schema"]["required"],
            json!(["action", "reason"])
        );
        assert_eq!(structured["messages"][0]["content"], "hi");
        assert_eq!(structured["max_tokens"], 64);
        assert_eq!(structured["temperature"], 0.0);
        let object = request_body(
            sampling,
            &messages,
            &Dialect::new(Some(OutputMode::JsonObject)),
            shape,
        );
        assert_eq!(object["response_format"]["type"], "json_object");
        assert_eq!(
            object["response_format"]["schema"],
            structured["response_format"]["json_schema"]["schema"]
        );
        let plain = Dialect {
            output: OutputMode::Text,
            forced: false,
            max_tokens_key: "max_completion_tokens",
            send_temperature: false,
        };
        let plain = request_body(sampling, &messages, &plain, shape);
        assert!(plain.get("response_format").is_none());
        assert!(plain.get("temperature").is_none());
        assert!(plain.get("max_tokens").is_none());
        assert_eq!(plain["max_completion_tokens"], 64);
    }

    #[test]
    fn a_completion_gives_content_and_usage() {
        let parsed = parse_completion(&completion("{\"action\":\"tap 3\",\"reason\":\"x\"}"));
        assert_eq!(
            parsed,
            Ok(Completion {
                content: "{\"action\":\"tap 3\",\"reason\":\"x\"}".into(),
                prompt_tokens: Some(812),
                completion_tokens: Some(17),
                cached_tokens: Some(768),
            })
        );
    }

    #[test]
    fn broken_envelopes_say_what_is_wrong() {
        let cut = &completion("tap 3")[..40];
        let error = parse_completion(cut).unwrap_err().to_string();
        assert!(error.contains("not valid JSON (it ends early"), "{error}");
        assert!(matches!(
            parse_completion(b"<html>502 Bad Gateway</html>"),
            Err(EnvelopeError::NotJson(_))
        ));
        assert_eq!(
            parse_completion(b"{\"choices\": []}"),
            Err(EnvelopeError::NotACompletion("`choices` is empty"))
        );
        // JSON of the wrong shape, and nesting deeper than the parser follows.
        for body in [
            "null",
            "[]",
            "\"text\"",
            "{\"choices\": {\"0\": 1}}",
            "{\"choices\": [\"hi\"]}",
            "{\"choices\": [{\"message\": \"hi\"}]}",
            "{\"choices\": [{\"message\": {\"content\": 42}}]}",
        ] {
            assert!(
                matches!(
                    parse_completion(body.as_bytes()),
                    Err(EnvelopeError::NotACompletion(_))
                ),
                "{body}"
            );
        }
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse_completion(deep.as_bytes()),
            Err(EnvelopeError::NotJson(_))
        ));
        // Usage that is negative, fractional or past u32 is absent or clamped.
        let usage = json!({"choices": [{"message": {"content": "tap 1"}}],
                           "usage": {"prompt_tokens": -5, "completion_tokens": 1.5,
                                     "prompt_tokens_details": {"cached_tokens": u64::MAX}}});
        let parsed = parse_completion(usage.to_string().as_bytes()).unwrap();
        assert_eq!(
            (
                parsed.prompt_tokens,
                parsed.completion_tokens,
                parsed.cached_tokens
            ),
            (None, None, Some(u32::MAX))
        );
        let refused = json!({"choices": [{"message": {"content": null, "refusal": "I can't"}}]});
        assert_eq!(
            parse_completion(refused.to_string().as_bytes()),
            Err(EnvelopeError::Refused("I can't".into()))
        );
    }

    #[test]
    fn error_bodies_are_excerpted() {
        let body = json!({"error": {"message": "Invalid parameter: response_format", "type": "x"}});
        let bytes = body.to_string().into_bytes();
        assert_eq!(error_excerpt(&bytes), "Invalid parameter: response_format");
        assert_eq!(error_excerpt(b"upstream timed out"), "upstream timed out");
        assert_eq!(error_excerpt(b"{\"error\": \"bad model\"}"), "bad model");
        let flat = br#"{"object":"error","message":"[{'type': 'literal_error'}]","type":"Bad Request","param":null,"code":400}"#;
        assert_eq!(error_excerpt(flat), "[{'type': 'literal_error'}]");
        assert_eq!(
            error_excerpt(br#"{"detail":"Invalid API key"}"#),
            "Invalid API key"
        );
        assert_eq!(
            error_excerpt(br#"{"detail":[{"loc":["body","x"]}]}"#),
            r#"[{"loc":["body","x"]}]"#
        );
    }
}
