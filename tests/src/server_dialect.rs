//! [`ServerDialect`]: what real OpenAI-compatible servers do with the parts of a chat-completion
//! request they disagree on, reproduced by the test server so the cloud planner meets each one.
//!
//! Why fixtures and not the servers: the servers need GPUs, model files or accounts; what the
//! planner depends on is their behaviour at the protocol's edges, which is small and documented.
//! Each rule below names the source it was read from (the server's code at the path given, or
//! its documentation); the error texts are theirs, verbatim where the source gives them. The
//! rules cover `response_format` (which types, whether a `schema` beside `json_object` is read,
//! the word "json" some require), `max_tokens` / `max_completion_tokens`, `temperature`, unknown
//! parameters, `tools`, the `usage` block with its cached-token fields, and the error body's
//! shape and status.

use serde_json::{Value, json};

/// A real server's dialect of the OpenAI chat-completions protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServerDialect {
    /// The test server's own: everything accepted, JSON when `response_format` is present.
    #[default]
    Scripted,
    /// llama-cpp-python's server (0.3.x, `llama_cpp/server/`).
    LlamaCppPython,
    /// llama.cpp's llama-server (`tools/server/`).
    LlamaServer,
    /// vLLM 0.10.1 and later (`vllm/entrypoints/openai/`).
    Vllm,
    /// SGLang (`python/sglang/srt/entrypoints/openai/`).
    Sglang,
    /// Ollama's OpenAI endpoint (`openai/openai.go`).
    Ollama,
    /// OpenAI's API with a chat model (gpt-4o class).
    OpenAi,
    /// OpenAI's API with a reasoning model (o-series, gpt-5): `max_completion_tokens` only, the
    /// default temperature only.
    OpenAiReasoning,
    /// Alibaba Model Studio (DashScope), OpenAI-compatible mode.
    DashScope,
}

/// What the server does with a request, before any scripted reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Refused with this status and JSON body.
    Refuse(u16, Value),
    /// Served; the answer is a JSON object when `json` is true, plain text otherwise.
    Serve {
        /// The model's output is constrained to (or asked for as) a JSON object.
        json: bool,
    },
}

impl ServerDialect {
    /// Every real server's dialect.
    pub const REAL: [ServerDialect; 8] = [
        ServerDialect::LlamaCppPython,
        ServerDialect::LlamaServer,
        ServerDialect::Vllm,
        ServerDialect::Sglang,
        ServerDialect::Ollama,
        ServerDialect::OpenAi,
        ServerDialect::OpenAiReasoning,
        ServerDialect::DashScope,
    ];

    /// What the server does with `request` (the body as JSON).
    pub fn judge(self, request: &Value) -> Verdict {
        match self.refusal(request) {
            Some((status, body)) => Verdict::Refuse(status, body),
            None => Verdict::Serve {
                json: self.answers_in_json(request),
            },
        }
    }

    /// The refusal for `request`, if this server refuses it.
    fn refusal(self, request: &Value) -> Option<(u16, Value)> {
        let format_type = request
            .pointer("/response_format/type")
            .and_then(Value::as_str);
        match self {
            ServerDialect::Scripted => None,
            // llama_cpp/llama_types.py: `type: Literal["text", "json_object"]`; every exception,
            // FastAPI's RequestValidationError included, becomes a 500 in
            // llama_cpp/server/errors.py (`RouteErrorHandler`: `return 500,
            // ErrorResponse(message=str(error), type="internal_server_error", param=None,
            // code=None)`). Unknown fields (`max_completion_tokens`) are ignored (pydantic's
            // default).
            ServerDialect::LlamaCppPython => match format_type {
                Some(kind) if kind != "text" && kind != "json_object" => Some((
                    500,
                    json!({"error": {
                        "message": format!(
                            "[{{'type': 'literal_error', 'loc': ('body', 'response_format', \
                             'type'), 'msg': \"Input should be 'text' or 'json_object'\", \
                             'input': '{kind}', 'ctx': {{'expected': \"'text' or 'json_object'\"}}}}]"
                        ),
                        "type": "internal_server_error",
                        "param": null,
                        "code": null,
                    }}),
                )),
                _ => None,
            },
            // tools/server/server-common.cpp, `oaicompat_chat_params_parse`: json_object (with an
            // optional `schema`) and json_schema (`json_schema.schema`) are read; another type
            // throws std::invalid_argument, which `ex_wrapper` answers with a 400
            // `{"error": {"code", "message", "type"}}`. Tools need `--jinja`
            // ("tools param requires --jinja flag", a runtime_error: 500).
            ServerDialect::LlamaServer => match format_type {
                Some(kind) if !["text", "json_object", "json_schema"].contains(&kind) => Some((
                    400,
                    json!({"error": {
                        "code": 400,
                        "message": format!(
                            "response_format type must be one of \"text\" or \
                             \"json_object\", but got: {kind}"
                        ),
                        "type": "invalid_request_error",
                    }}),
                )),
                _ if request.get("tools").is_some() => Some((
                    500,
                    json!({"error": {"code": 500, "message": "tools param requires --jinja flag",
                                     "type": "server_error"}}),
                )),
                _ => None,
            },
            // vllm/entrypoints/openai/protocol.py: `type: Literal["text", "json_object",
            // "json_schema"]`, `json_schema.name` required; validation errors are a 400 with
            // `type: "Bad Request"` in `{"error": {message, type, param, code}}` (v0.10.1+).
            // Unknown fields are allowed (`extra="allow"`, logged).
            ServerDialect::Vllm => {
                let unnamed_schema = format_type == Some("json_schema")
                    && request
                        .pointer("/response_format/json_schema/name")
                        .is_none();
                let bad_type = format_type
                    .is_some_and(|kind| !["text", "json_object", "json_schema"].contains(&kind));
                let missing = if unnamed_schema {
                    "response_format.json_schema.name\n  Field required"
                } else {
                    "response_format.type\n  Input should be 'text', 'json_object' or 'json_schema'"
                };
                (unnamed_schema || bad_type).then(|| {
                    (
                        400,
                        json!({"error": {
                            "message": format!(
                                "1 validation error for ChatCompletionRequest\n{missing}"
                            ),
                            "type": "Bad Request",
                            "param": null,
                            "code": 400,
                        }}),
                    )
                })
            }
            // python/sglang/srt/entrypoints/openai/protocol.py: the same literal types; its
            // validation handler answers 400 in the flat legacy shape
            // `{"object": "error", "message", "type", "param", "code"}`.
            ServerDialect::Sglang => format_type
                .is_some_and(|kind| !["text", "json_object", "json_schema"].contains(&kind))
                .then(|| {
                    (
                        400,
                        json!({"object": "error",
                               "message": "1 validation error for ChatCompletionRequest \
                                           response_format.type Input should be 'text', \
                                           'json_object' or 'json_schema'",
                               "type": "Bad Request", "param": null, "code": 400}),
                    )
                }),
            // openai/openai.go: gin binds into a struct, so unknown fields and unknown
            // response_format types are ignored (no constraint, HTTP 200).
            ServerDialect::Ollama => None,
            ServerDialect::OpenAi => openai_refusal(request, format_type),
            // The reasoning models' two refusals, verbatim from OpenAI's 400 bodies.
            ServerDialect::OpenAiReasoning => {
                if request.get("max_tokens").is_some() {
                    return Some(openai_error(
                        "Unsupported parameter: 'max_tokens' is not supported with this model. \
                         Use 'max_completion_tokens' instead.",
                        "max_tokens",
                        "unsupported_parameter",
                    ));
                }
                let temperature = request.get("temperature").and_then(Value::as_f64);
                if let Some(value) = temperature.filter(|value| *value != 1.0) {
                    return Some(openai_error(
                        &format!(
                            "Unsupported value: 'temperature' does not support {value} with this \
                             model. Only the default (1) value is supported."
                        ),
                        "temperature",
                        "unsupported_value",
                    ));
                }
                openai_refusal(request, format_type)
            }
            // Model Studio's JSON-mode guide: json_object needs the word "JSON" in the
            // messages; the compatible mode wraps the algorithm's message and adds a top-level
            // `request_id`.
            ServerDialect::DashScope => {
                (format_type == Some("json_object") && !mentions_json(request)).then(|| {
                    (
                        400,
                        json!({"error": {
                        "code": "invalid_parameter_error",
                        "param": null,
                        "message": "<400> InternalError.Algo.InvalidParameter: 'messages' must \
                                    contain the word 'json' in some form, to use \
                                    'response_format' of type 'json_object'.",
                        "type": "invalid_request_error",
                    }, "request_id": "3f9c2a4e-7d1b-4c55-9e0a-1b2c3d4e5f60"}),
                    )
                })
            }
        }
    }

    /// Whether the answer comes as a JSON object: the request asked for a JSON type this server
    /// honours.
    fn answers_in_json(self, request: &Value) -> bool {
        let format_type = request
            .pointer("/response_format/type")
            .and_then(Value::as_str);
        match self {
            ServerDialect::Scripted => request.get("response_format").is_some(),
            _ => matches!(format_type, Some("json_object" | "json_schema")),
        }
    }

    /// The `usage` block of a completion with these counts; `cached` is the prefix the server
    /// could reuse from the previous request.
    pub fn usage(self, prompt: u32, completion: u32, cached: u32) -> Value {
        let total = prompt.saturating_add(completion);
        match self {
            // llama_cpp/llama.py: the three counts only. Ollama's `Usage` struct: the same.
            ServerDialect::Scripted | ServerDialect::LlamaCppPython | ServerDialect::Ollama => {
                json!({"prompt_tokens": prompt, "completion_tokens": completion,
                       "total_tokens": total})
            }
            // tools/server/server-task.cpp, `usage_json_oaicompat`: the cached prefix in
            // `prompt_tokens_details`.
            ServerDialect::LlamaServer => json!({
                "completion_tokens": completion, "prompt_tokens": prompt, "total_tokens": total,
                "prompt_tokens_details": {"cached_tokens": cached}}),
            // vLLM's `UsageInfo`: `prompt_tokens_details` is null unless the server runs with
            // `--enable-prompt-tokens-details`.
            ServerDialect::Vllm => json!({
                "prompt_tokens": prompt, "total_tokens": total, "completion_tokens": completion,
                "prompt_tokens_details": null}),
            // SGLang's `UsageInfo`: null details without `--enable-cache-report`, and its own
            // `reasoning_tokens`.
            ServerDialect::Sglang => json!({
                "prompt_tokens": prompt, "total_tokens": total, "completion_tokens": completion,
                "prompt_tokens_details": null, "reasoning_tokens": 0}),
            // OpenAI's usage object, with prompt caching and the completion details.
            ServerDialect::OpenAi | ServerDialect::OpenAiReasoning => json!({
                "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total,
                "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                    "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}),
            // Model Studio: context-cache hits in `prompt_tokens_details.cached_tokens`.
            ServerDialect::DashScope => json!({
                "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total,
                "prompt_tokens_details": {"cached_tokens": cached}}),
        }
    }

    /// Top-level fields this server adds to a completion besides OpenAI's.
    pub fn extra_fields(self) -> Value {
        match self {
            // llama-server's `timings` and build fingerprint.
            ServerDialect::LlamaServer => json!({
                "system_fingerprint": "b6500-1a2b3c4d",
                "timings": {"cache_n": 0, "prompt_n": 1, "prompt_ms": 1.0,
                            "predicted_n": 1, "predicted_ms": 1.0}}),
            ServerDialect::Ollama => json!({"system_fingerprint": "fp_ollama"}),
            ServerDialect::DashScope => {
                json!({"request_id": "0c5b7a1e-2d3f-4a6b-8c9d-0e1f2a3b4c5d"})
            }
            _ => json!({}),
        }
    }
}

/// OpenAI's checks shared by its models: the response format type, the word "json" for
/// `json_object`, and unknown top-level arguments.
fn openai_refusal(request: &Value, format_type: Option<&str>) -> Option<(u16, Value)> {
    if let Some(kind) = format_type
        && !["text", "json_object", "json_schema"].contains(&kind)
    {
        return Some(openai_error(
            &format!(
                "Invalid value: '{kind}'. Supported values are: 'json_object', 'json_schema', \
                 and 'text'."
            ),
            "response_format.type",
            "invalid_value",
        ));
    }
    if format_type == Some("json_object") && !mentions_json(request) {
        return Some(openai_error(
            "'messages' must contain the word 'json' in some form, to use 'response_format' of \
             type 'json_object'.",
            "messages",
            "",
        ));
    }
    const KNOWN: [&str; 18] = [
        "model",
        "messages",
        "max_tokens",
        "max_completion_tokens",
        "temperature",
        "top_p",
        "n",
        "stream",
        "stream_options",
        "stop",
        "seed",
        "response_format",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "presence_penalty",
        "frequency_penalty",
        "user",
    ];
    let unknown: Vec<&str> = request
        .as_object()?
        .keys()
        .map(String::as_str)
        .filter(|key| !KNOWN.contains(key))
        .collect();
    (!unknown.is_empty()).then(|| {
        openai_error(
            &format!(
                "Unrecognized request argument supplied: {}",
                unknown.join(", ")
            ),
            "",
            "",
        )
    })
}

/// OpenAI's 400 body (`param` and `code` null when empty).
fn openai_error(message: &str, param: &str, code: &str) -> (u16, Value) {
    let or_null = |text: &str| {
        if text.is_empty() {
            Value::Null
        } else {
            json!(text)
        }
    };
    (
        400,
        json!({"error": {"message": message, "type": "invalid_request_error",
                         "param": or_null(param), "code": or_null(code)}}),
    )
}

/// Whether any message mentions "json", in any case.
fn mentions_json(request: &Value) -> bool {
    request
        .get("messages")
        .and_then(Value::as_array)
        .is_some_and(|messages| {
            messages.iter().any(|message| {
                message
                    .get("content")
                    .and_then(Value::as_str)
                    .is_some_and(|content| content.to_lowercase().contains("json"))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asking(format: Value) -> Value {
        json!({"model": "m", "messages": [{"role": "user", "content": "hi"}],
               "max_tokens": 64, "temperature": 0.0, "response_format": format})
    }

    #[test]
    fn each_server_judges_the_json_schema_request_as_its_source_says() {
        let schema = asking(json!({"type": "json_schema",
                                   "json_schema": {"name": "a", "schema": {}}}));
        for dialect in ServerDialect::REAL {
            let verdict = dialect.judge(&schema);
            match dialect {
                ServerDialect::LlamaCppPython => {
                    let Verdict::Refuse(500, body) = verdict else {
                        panic!("{verdict:?}")
                    };
                    assert!(
                        body["error"]["message"]
                            .as_str()
                            .unwrap()
                            .contains("Input should be 'text' or 'json_object'")
                    );
                }
                ServerDialect::OpenAiReasoning => {
                    assert!(matches!(verdict, Verdict::Refuse(400, _)), "{verdict:?}");
                }
                _ => assert_eq!(verdict, Verdict::Serve { json: true }, "{dialect:?}"),
            }
        }
    }

    #[test]
    fn json_object_needs_the_word_json_at_openai_and_dashscope() {
        let object = asking(json!({"type": "json_object"}));
        for dialect in [ServerDialect::OpenAi, ServerDialect::DashScope] {
            let Verdict::Refuse(400, body) = dialect.judge(&object) else {
                panic!("{dialect:?}")
            };
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("must contain the word 'json'")
            );
        }
        let mut said = object.clone();
        said["messages"][0]["content"] = json!("Reply with one JSON object");
        assert_eq!(
            ServerDialect::OpenAi.judge(&said),
            Verdict::Serve { json: true }
        );
        assert_eq!(
            ServerDialect::Ollama.judge(&asking(json!({"type": "xml"}))),
            Verdict::Serve { json: false }
        );
    }
}
