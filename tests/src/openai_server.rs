//! [`OpenAiServer`]: a real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions
//! protocol, for testing the cloud planner end to end.
//!
//! Why a real server and not a mock transport: the failures worth testing happen on the wire
//! (a 429 with `Retry-After`, a response that stalls past the timeout, a body cut short, a
//! connection dropped before any response), and only a socket produces them as a phone would
//! meet them. The server records every request (method, path, headers, body, arrival time) so
//! tests can assert what left the device, and answers from a script: replies queued per
//! request, in order, then the oracle's answer (set per step by the test's smart-model stand-in,
//! see `CloudOracle`), then a 500 saying nothing was scripted. Replies come in the format the
//! request asked for: the JSON object of the `json_schema` when `response_format` is present,
//! plain text otherwise; a server can also be told to reject optional parameters
//! (`response_format`, `max_tokens`, `temperature`) as some servers and models do, or to speak
//! a real server's dialect ([`ServerDialect`]): its refusals, its JSON modes, its usage block.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use crate::server_dialect::{ServerDialect, Verdict};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `POST`.
    pub method: String,
    /// `/v1/chat/completions`.
    pub path: String,
    /// Every header, names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// When it arrived.
    pub at: Instant,
    /// The usage the server reported in its answer, if it answered with a completion.
    pub reported_usage: Option<(u32, u32)>,
    /// The completion's content, if it answered with one.
    pub answer: Option<String>,
}

impl RecordedRequest {
    /// The value of header `name` (lower-case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// Whether this is a cloud planner's planning turn (the plan schema, or the planning
    /// prompt when no schema is sent).
    pub fn is_planning(&self) -> bool {
        let body = self.json();
        body.pointer("/response_format/json_schema/name") == Some(&json!("lobster_plan"))
            || body
                .pointer("/messages/0/content")
                .and_then(Value::as_str)
                .is_some_and(|system| system.starts_with("You plan tasks"))
    }

    /// The goal of a planning turn, as the model read it (masked).
    pub fn planning_goal(&self) -> Option<String> {
        let user = self
            .json()
            .pointer("/messages/1/content")?
            .as_str()?
            .to_owned();
        user.lines()
            .find_map(|line| line.strip_prefix("Goal: "))
            .map(str::to_owned)
    }

    /// Whether the request asked for structured output.
    pub fn asks_for_json_schema(&self) -> bool {
        self.json().get("response_format").is_some()
    }

    /// The text of every message, joined: what the model would read.
    pub fn prompt(&self) -> String {
        self.json()
            .get("messages")
            .and_then(Value::as_array)
            .map(|messages| {
                messages
                    .iter()
                    .filter_map(|message| message.get("content").and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A completion whose answer is this action line and reason, in the format asked for.
    Action {
        /// The action line.
        action: String,
        /// The reason.
        reason: String,
    },
    /// A completion whose message content is exactly this text.
    Content(String),
    /// An error status with a JSON error body and extra headers (`Retry-After`), sent as
    /// given: a name listed twice is sent twice, and a value may hold any bytes HTTP allows
    /// (a hostile server's `1e20`, `NaN` or a date in any format).
    Status {
        /// The status code.
        status: u16,
        /// The error message.
        message: String,
        /// Extra headers.
        headers: Vec<(String, String)>,
    },
    /// A 200 whose body is exactly this text (malformed JSON, an HTML page).
    RawBody(String),
    /// Wait, then do `then` (or, when `None`, whatever the script says next).
    Stall {
        /// How long to wait.
        delay: Duration,
        /// What to do after.
        then: Option<Box<Reply>>,
    },
    /// A 200 completion whose body stops halfway: `Content-Length` promises more than comes.
    Truncated,
    /// The connection is dropped with no response at all.
    Drop,
    /// The oracle's answer for the current step (what the request gets when nothing is
    /// scripted), queued between faults.
    Oracle,
}

impl Reply {
    /// A completion answering `action`.
    pub fn action(action: &str) -> Reply {
        Reply::Action {
            action: action.to_owned(),
            reason: "scripted".to_owned(),
        }
    }

    /// A status with an error message.
    pub fn status(status: u16, message: &str) -> Reply {
        Reply::Status {
            status,
            message: message.to_owned(),
            headers: Vec::new(),
        }
    }

    /// A 429 asking to come back after `seconds`.
    pub fn rate_limited(seconds: u32) -> Reply {
        Reply::Status {
            status: 429,
            message: "Rate limit reached, please retry".to_owned(),
            headers: vec![("retry-after".to_owned(), seconds.to_string())],
        }
    }

    /// A 429 with these `Retry-After` values, one header each, exactly as given.
    pub fn rate_limited_with(values: &[&str]) -> Reply {
        Reply::throttled_with("retry-after", values)
    }

    /// A 429 with one header `name` per value, exactly as given (`retry-after`,
    /// `retry-after-ms`).
    pub fn throttled_with(name: &str, values: &[&str]) -> Reply {
        Reply::Status {
            status: 429,
            message: "Rate limit reached, please retry".to_owned(),
            headers: values
                .iter()
                .map(|value| (name.to_owned(), (*value).to_owned()))
                .collect(),
        }
    }

    /// Wait `delay`, then answer as the script would have without it.
    pub fn stall(delay: Duration) -> Reply {
        Reply::Stall { delay, then: None }
    }
}

/// The server's shared state.
#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    /// What every request gets once the script is empty, instead of a 500.
    fallback: Mutex<Option<Reply>>,
    /// The oracle's answer for the current step.
    oracle: Mutex<Option<(String, String)>>,
    requests: Mutex<Vec<RecordedRequest>>,
    rejected_parameters: Mutex<Vec<String>>,
    dialect: Mutex<ServerDialect>,
    /// Replies to planning turns, in order; then a one-UI-subgoal plan of the goal.
    plan_script: Mutex<VecDeque<Reply>>,
    plan_requests: Mutex<Vec<RecordedRequest>>,
}

/// Locks a mutex, ignoring poisoning (a panicking test thread must not hide the record).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A handle on the server's script, cheap to clone and to move into a planner.
#[derive(Clone)]
pub struct ScriptHandle {
    shared: Arc<Shared>,
}

impl ScriptHandle {
    /// Queues `reply` for a later request.
    pub fn push(&self, reply: Reply) {
        lock(&self.shared.script).push_back(reply);
    }

    /// Sets the oracle's answer: what requests get once the script is empty.
    pub fn set_oracle_answer(&self, action: &str, reason: &str) {
        *lock(&self.shared.oracle) = Some((action.to_owned(), reason.to_owned()));
    }

    /// Sets what every request gets once the script is empty (over the oracle's answer).
    pub fn set_fallback(&self, reply: Option<Reply>) {
        *lock(&self.shared.fallback) = reply;
    }

    /// Makes the server answer 400 to requests that carry one of these top-level parameters
    /// (`response_format`, `max_tokens`, `temperature`), as servers and models that do not
    /// support them do.
    pub fn reject_parameters(&self, parameters: &[&str]) {
        *lock(&self.shared.rejected_parameters) =
            parameters.iter().map(|name| (*name).to_owned()).collect();
    }

    /// Queues `reply` for a later planning turn (planning turns never take the step script's
    /// replies; unscripted, they get a plan of one UI subgoal: the goal itself).
    pub fn push_plan(&self, reply: Reply) {
        lock(&self.shared.plan_script).push_back(reply);
    }

    /// Every planning request received so far (they are not in [`requests`](Self::requests)).
    pub fn plan_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.plan_requests).clone()
    }

    /// Makes the server speak `dialect`: its refusals come before any scripted reply.
    pub fn set_dialect(&self, dialect: ServerDialect) {
        *lock(&self.shared.dialect) = dialect;
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The next reply for `request`.
    fn next_reply(&self, request: &RecordedRequest) -> Reply {
        let body = request.json();
        let rejected = lock(&self.shared.rejected_parameters)
            .iter()
            .find(|name| body.get(name.as_str()).is_some())
            .cloned();
        if let Some(name) = rejected {
            return Reply::status(
                400,
                &format!("Unsupported parameter: '{name}' is not supported with this model."),
            );
        }
        let scripted = lock(&self.shared.script).pop_front();
        match scripted {
            Some(Reply::Oracle) => return self.oracle_reply(),
            Some(reply) => return reply,
            None => {}
        }
        if let Some(reply) = lock(&self.shared.fallback).clone() {
            return reply;
        }
        self.oracle_reply()
    }

    /// The next reply to a planning turn: scripted, or a plan of one UI subgoal, the goal.
    fn next_plan_reply(&self, request: &RecordedRequest) -> Reply {
        if let Some(reply) = lock(&self.shared.plan_script).pop_front() {
            return reply;
        }
        let goal = request.planning_goal().unwrap_or_default();
        Reply::Content(
            json!({"subgoals": [{"goal": goal, "route": {"kind": "ui", "app": null}}]}).to_string(),
        )
    }

    /// The oracle's answer, or a 500 when there is none.
    fn oracle_reply(&self) -> Reply {
        match lock(&self.shared.oracle).clone() {
            Some((action, reason)) => Reply::Action { action, reason },
            None => Reply::status(500, "the test server has no reply scripted"),
        }
    }
}

/// An OpenAI-protocol server on 127.0.0.1, running on its own thread until dropped.
pub struct OpenAiServer {
    address: SocketAddr,
    script: ScriptHandle,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl OpenAiServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> std::io::Result<OpenAiServer> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Shared::default());
        let script = ScriptHandle { shared };
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(script.clone());
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                tokio::select! {
                    served = axum::serve(listener, app) => {
                        if let Err(error) = served {
                            eprintln!("test OpenAI server stopped: {error}");
                        }
                    }
                    _ = stop => {}
                }
            });
            // Stalled handlers are dropped, not awaited.
            runtime.shutdown_background();
        });
        Ok(OpenAiServer {
            address,
            script,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The base URL to configure the cloud planner with: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.address)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The script.
    pub fn script(&self) -> ScriptHandle {
        self.script.clone()
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.script.requests()
    }

    /// Every planning request received so far.
    pub fn plan_requests(&self) -> Vec<RecordedRequest> {
        self.script.plan_requests()
    }
}

impl Drop for OpenAiServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Every request: record it, then answer from the script.
async fn handle(
    State(script): State<ScriptHandle>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut request = RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        headers: headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
        reported_usage: None,
        answer: None,
    };
    let planning = request.is_planning();
    let (index, previous_prompt) = {
        let mut requests = if planning {
            lock(&script.shared.plan_requests)
        } else {
            lock(&script.shared.requests)
        };
        let previous = requests.last().map(RecordedRequest::prompt);
        requests.push(request.clone());
        (requests.len() - 1, previous.unwrap_or_default())
    };
    if request.method != "POST" || request.path != "/v1/chat/completions" {
        return error_response(404, "no such endpoint", &[]);
    }
    let dialect = *lock(&script.shared.dialect);
    let json_answer = match dialect.judge(&request.json()) {
        Verdict::Refuse(status, body) => {
            return json_response(
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                Body::from(body.to_string()),
                None,
            );
        }
        Verdict::Serve { json } => json,
    };
    let prompt = request.prompt();
    let serving = Serving {
        dialect,
        prompt: &prompt,
        cached_bytes: common_prefix(&prompt, &previous_prompt),
        json_answer,
    };
    let mut reply = if planning {
        script.next_plan_reply(&request)
    } else {
        script.next_reply(&request)
    };
    while let Reply::Stall { delay, then } = reply {
        tokio::time::sleep(delay).await;
        reply = match then {
            Some(then) => *then,
            None => script.next_reply(&request),
        };
    }
    let (response, answered) = respond(reply, &serving);
    if let Some(Answered { usage, content }) = answered {
        let (usage, answer) = (Some(usage), Some(content));
        request.reported_usage = usage;
        request.answer.clone_from(&answer);
        let mut requests = if planning {
            lock(&script.shared.plan_requests)
        } else {
            lock(&script.shared.requests)
        };
        if let Some(recorded) = requests.get_mut(index) {
            recorded.reported_usage = usage;
            recorded.answer = answer;
        }
    }
    response
}

/// How a request is served: the server's dialect, the prompt, how much of it the previous
/// request shared, and whether the answer is a JSON object.
struct Serving<'a> {
    dialect: ServerDialect,
    prompt: &'a str,
    cached_bytes: usize,
    json_answer: bool,
}

/// The length in bytes of the prefix `a` and `b` share.
fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The response for `reply`, and the usage it reports.
/// What a completion carried: the usage the server reported and the content.
struct Answered {
    usage: (u32, u32),
    content: String,
}

fn respond(reply: Reply, serving: &Serving<'_>) -> (Response, Option<Answered>) {
    match reply {
        Reply::Action { action, reason } => {
            let content = if serving.json_answer {
                json!({"action": action, "reason": reason}).to_string()
            } else {
                format!("{action}\n{reason}")
            };
            completion(&content, serving)
        }
        Reply::Content(content) => completion(&content, serving),
        Reply::Status {
            status,
            message,
            headers,
        } => (error_response(status, &message, &headers), None),
        Reply::RawBody(body) => (json_response(StatusCode::OK, Body::from(body), None), None),
        Reply::Stall { then, .. } => match then {
            Some(then) => respond(*then, serving),
            None => completion("", serving),
        },
        Reply::Truncated => {
            let (full, usage) = completion_body("tap 1", serving);
            let length = full.len();
            let first = Bytes::from(full[..length / 2].to_owned());
            // The first half goes out (hyper flushes while the body is pending), then the
            // stream breaks: the client has headers and half a body.
            let body = Body::from_stream(futures_util::stream::unfold(0u8, move |part| {
                let first = first.clone();
                async move {
                    match part {
                        0 => Some((Ok(first), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            let broken: Result<Bytes, std::io::Error> = Err(std::io::Error::new(
                                std::io::ErrorKind::ConnectionReset,
                                "the test server cut the body short",
                            ));
                            Some((broken, 2))
                        }
                        _ => None,
                    }
                }
            }));
            (
                json_response(StatusCode::OK, body, Some(length)),
                Some(Answered {
                    usage,
                    content: "tap 1".into(),
                }),
            )
        }
        Reply::Oracle => (
            error_response(500, "the oracle reply was not resolved", &[]),
            None,
        ),
        Reply::Drop => {
            let broken: Result<Bytes, std::io::Error> = Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "the test server dropped the connection",
            ));
            let body = Body::from_stream(futures_util::stream::iter([broken]));
            (json_response(StatusCode::OK, body, Some(1)), None)
        }
    }
}

/// A chat completion with `content`, and usage estimated from the prompt (4 bytes a token), in
/// the server's dialect.
fn completion(content: &str, serving: &Serving<'_>) -> (Response, Option<Answered>) {
    let (body, usage) = completion_body(content, serving);
    (
        json_response(StatusCode::OK, Body::from(body), None),
        Some(Answered {
            usage,
            content: content.to_owned(),
        }),
    )
}

fn completion_body(content: &str, serving: &Serving<'_>) -> (String, (u32, u32)) {
    let tokens = |bytes: usize| u32::try_from(bytes.div_ceil(4)).unwrap_or(u32::MAX);
    let prompt_tokens = tokens(serving.prompt.len());
    let completion_tokens = tokens(content.len());
    let cached_tokens = u32::try_from(serving.cached_bytes / 4).unwrap_or(u32::MAX);
    let mut body = json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content},
            "finish_reason": "stop"
        }],
        "usage": serving.dialect.usage(prompt_tokens, completion_tokens, cached_tokens),
    });
    if let (Some(body), Value::Object(extra)) =
        (body.as_object_mut(), serving.dialect.extra_fields())
    {
        body.extend(extra);
    }
    (body.to_string(), (prompt_tokens, completion_tokens))
}

fn error_response(status: u16, message: &str, headers: &[(String, String)]) -> Response {
    let body = json!({"error": {"message": message, "type": "test_error", "code": status}});
    let mut response = json_response(
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        Body::from(body.to_string()),
        None,
    );
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            axum::http::HeaderValue::from_bytes(value.as_bytes()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

fn json_response(status: StatusCode, body: Body, content_length: Option<usize>) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    if let Some(length) = content_length {
        response.headers_mut().insert(
            axum::http::header::CONTENT_LENGTH,
            axum::http::HeaderValue::from(length),
        );
    }
    response
}
