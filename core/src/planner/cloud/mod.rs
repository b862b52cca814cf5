//! The cloud planner: an OpenAI-compatible `/v1/chat/completions` endpoint over HTTPS, for the
//! steps the small on-device model cannot handle (the router decides which), or for a whole
//! task when an integrator runs without a local model.
//!
//! Why it looks the way it does:
//! * **Synchronous outside, async inside.** The [`Planner`] trait is synchronous (the agent runs
//!   on its own thread, and the FFI exports no `async`), so the planner owns a single-threaded
//!   tokio runtime and blocks on it for each step. Do not call or drop it from inside another
//!   tokio runtime (tokio forbids blocking there).
//! * **Nothing private leaves unmasked.** The prompt is built from the goal, the history and the
//!   screen through a [`Redactor`] that keeps one placeholder per value for the whole task;
//!   windows of private apps are withheld; the answer's placeholders are mapped back to the
//!   real values on the device before the action is returned.
//! * **Speak the server's dialect.** The answer format ([`OutputMode`]) and the optional
//!   parameters are negotiated from the server's refusals and remembered per endpoint (see
//!   `dialect`); the system prompt always asks for the format the request asks for.
//! * **Never act on a bad answer.** The reply is read leniently (near-JSON, prose around it, a
//!   bare action line; see `answer`), then parsed with the action parser and validated against
//!   this screen; anything but exactly one valid action is a precise
//!   [`PlanError::InvalidOutput`] (counted in [`CloudStats::invalid_outputs`]), which the loop
//!   reports back to the model in the history.
//! * **Fail in bounded time, never retry in vain.** Each attempt has a timeout, each step a
//!   deadline; only timeouts, rate limits, overload and dropped connections are retried, with
//!   jittered backoff and `Retry-After` honoured; the cancel token ends any wait at once.
//! * **The key stays secret.** It is read from the configuration or `LOBSTER_API_KEY`, kept in
//!   an [`ApiKey`] that prints `***`, and sent only in the `Authorization` header.

mod answer;
mod config;
mod dialect;
mod exchange;
mod messages;
mod output_mode;
mod planning;
mod retry;
mod wire;

use std::collections::BTreeSet;
use std::time::Instant;

pub use config::{API_KEY_ENV, ApiKey, CloudConfig};
pub use output_mode::{OutputMode, UnknownOutputMode};

use answer::read_answer;
use dialect::Dialect;
use exchange::{ExchangeCounts, ExchangeError, RetryPolicy, Transport};
use messages::build_messages;
use planning::{plan_messages, read_plan};
use wire::{AnswerShape, Sampling, answer_schema, request_body};

use super::prompt::ChatMessage;
use super::{
    PlanError, PlanMeta, PlanUsage, PlannedAction, Planner, StepRequest, TaskPlan, TaskRequest,
    instant_after, plan_outline_schema,
};
use crate::action::{Action, GrammarContext, parse_for_screen};
use crate::cancel::CancelToken;
use crate::policy::redact::{Redactor, private_app_on_screen, withhold_private_steps};
use crate::screen::{Element, estimate_tokens};

/// What the cloud planner has done so far (over its whole life, across tasks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CloudStats {
    /// Steps asked for.
    pub steps: u64,
    /// HTTP requests sent (retries included).
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Answers rejected as malformed or not valid on their screen.
    pub invalid_outputs: u64,
    /// Prompt tokens the server reported, cached ones included (or estimated where it reported
    /// none).
    pub prompt_tokens: u64,
    /// Of those, tokens the server reported as served from its prompt cache.
    pub cached_tokens: u64,
    /// Generated tokens the server reported (or estimated).
    pub completion_tokens: u64,
    /// The answer format asked for now (after any step down).
    pub output_mode: OutputMode,
    /// Requests the server refused for a parameter the planner then changed (a step down of
    /// the output mode, a renamed length limit, a temperature left out).
    pub adaptations: u64,
}

/// Chooses actions with a model behind an OpenAI-compatible API.
pub struct CloudPlanner {
    config: CloudConfig,
    transport: Transport,
    /// The endpoint and model: the key of what the process learned about the server.
    endpoint_key: String,
    dialect: Dialect,
    redactor: Redactor,
    /// Steps of the current task whose screen showed a private app.
    private_steps: BTreeSet<u32>,
    /// The goal and last step seen, to tell a new task from the next step.
    task: Option<(String, u32)>,
    stats: CloudStats,
    /// What the last planning turn cost.
    plan_usage: PlanUsage,
}

impl std::fmt::Debug for CloudPlanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudPlanner")
            .field("config", &self.config)
            .field("dialect", &self.dialect)
            .field("redactor", &self.redactor)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl CloudPlanner {
    /// A planner for `config`. Fails when the URL is not HTTPS (plain HTTP is allowed to a
    /// loopback host only), the model is empty, or there is no key (in the configuration or
    /// `LOBSTER_API_KEY`). Nothing is sent until the first step.
    pub fn new(config: CloudConfig) -> Result<CloudPlanner, PlanError> {
        let endpoint = endpoint(&config.base_url)?;
        if config.model.trim().is_empty() {
            return Err(PlanError::Backend(
                "the cloud planner needs a model name".into(),
            ));
        }
        let key = config
            .api_key
            .clone()
            .filter(|key| !key.is_blank())
            .or_else(ApiKey::from_env)
            .ok_or_else(|| {
                PlanError::Backend(format!(
                    "the cloud planner needs an API key: set {API_KEY_ENV} or CloudConfig::api_key"
                ))
            })?;
        let endpoint_key = format!("{endpoint} {}", config.model.trim());
        let transport = Transport::new(
            endpoint,
            key,
            config.connect_timeout,
            config.max_response_bytes,
        )
        .map_err(PlanError::Backend)?;
        let dialect = Dialect::for_endpoint(&endpoint_key, config.output_mode);
        Ok(CloudPlanner {
            config,
            transport,
            endpoint_key,
            dialect,
            redactor: Redactor::new(),
            private_steps: BTreeSet::new(),
            task: None,
            plan_usage: PlanUsage::default(),
            stats: CloudStats {
                output_mode: dialect.mode(),
                ..CloudStats::default()
            },
        })
    }

    /// What the planner has done so far.
    pub fn stats(&self) -> CloudStats {
        self.stats
    }

    /// The configuration.
    pub fn config(&self) -> &CloudConfig {
        &self.config
    }

    /// The current task's placeholders: what the model was shown in place of which values.
    /// For audits and tests; its `Debug` prints counts only.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// Starts a new task: forgets the placeholders and private steps of the last one. The
    /// planner also notices a new task by itself (another goal, or the step count going back);
    /// this is for callers that plan the task elsewhere.
    pub fn start_task(&mut self, goal: &str) {
        self.begin_task(goal);
    }

    /// Forgets the current task's placeholders and private steps.
    fn begin_task(&mut self, goal: &str) {
        self.redactor.clear();
        self.private_steps.clear();
        self.task = Some((goal.to_owned(), 0));
    }

    /// The prompt exactly as it would be sent for `request`, masked, as one text (system
    /// message, then user message): for a privacy review of what leaves the phone, audits and
    /// tests. Its placeholders are registered, so the answer to the same step may use them.
    pub fn preview(&mut self, request: &StepRequest<'_>) -> String {
        self.track_task(request);
        let history = withhold_private_steps(request.history, &self.private_steps);
        build_messages(
            request,
            &history,
            &mut self.redactor,
            &self.config.private_apps,
            self.dialect.mode(),
        )
        .into_iter()
        .map(|message| message.content)
        .collect::<Vec<_>>()
        .join("\n\n")
    }

    /// The planning turn's prompt exactly as [`plan_task`](Planner::plan_task) would send it
    /// for `request`, masked, as one text; it starts the task, so its placeholders are
    /// registered and a plan answering it may use them.
    pub fn preview_plan(&mut self, request: &TaskRequest<'_>) -> String {
        self.begin_task(request.goal);
        plan_messages(request, &mut self.redactor)
            .into_iter()
            .map(|message| message.content)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Starts a new task when the goal changed or the step count went back, and notes a step
    /// on a private app's screen.
    fn track_task(&mut self, request: &StepRequest<'_>) {
        let same_task = self
            .task
            .as_ref()
            .is_some_and(|(goal, last)| goal == request.goal && *last <= request.step);
        if !same_task {
            self.begin_task(request.goal);
        }
        if let Some((_, last)) = self.task.as_mut() {
            *last = request.step;
        }
        if private_app_on_screen(request.screen, &self.config.private_apps).is_some() {
            self.private_steps.insert(request.step);
        }
    }

    /// Asks the server for this step's action.
    fn ask(
        &mut self,
        request: &StepRequest<'_>,
        deadline: Instant,
        cancel: &CancelToken,
    ) -> Result<(wire::Completion, u32), PlanError> {
        let history = withhold_private_steps(request.history, &self.private_steps);
        let private = self.config.private_apps.clone();
        let schema = answer_schema();
        let shape = AnswerShape {
            name: "lobster_action",
            schema: &schema,
            strict: true,
        };
        self.exchange(shape, deadline, cancel, |redactor, mode| {
            build_messages(request, &history, redactor, &private, mode)
        })
    }

    /// Sends the messages `build` makes for the current output mode, asking for an answer of
    /// `shape`, and adapts the request once per optional parameter a refusal names (see
    /// `dialect`), remembering the adaptation for the endpoint. Also returns the prompt's
    /// estimated size, for servers that report no usage.
    fn exchange(
        &mut self,
        shape: AnswerShape<'_>,
        deadline: Instant,
        cancel: &CancelToken,
        mut build: impl FnMut(&mut Redactor, OutputMode) -> Vec<ChatMessage>,
    ) -> Result<(wire::Completion, u32), PlanError> {
        let policy = RetryPolicy {
            request_timeout: self.config.request_timeout,
            max_retries: self.config.max_retries,
            initial_backoff: self.config.initial_backoff,
            max_backoff: self.config.max_backoff,
        };
        loop {
            let messages = build(&mut self.redactor, self.dialect.mode());
            let prompt_estimate = messages
                .iter()
                .map(|message| estimate_tokens(&message.content))
                .sum::<usize>();
            let body = request_body(
                Sampling {
                    model: &self.config.model,
                    max_output_tokens: self.config.max_output_tokens,
                    temperature: self.config.temperature,
                },
                &messages,
                &self.dialect,
                shape,
            );
            let mut counts = ExchangeCounts::default();
            let result = self
                .transport
                .complete(&body, policy, deadline, cancel, &mut counts);
            self.stats.requests += counts.requests;
            self.stats.retries += counts.retries;
            match result {
                Ok(completion) => {
                    return Ok((
                        completion,
                        u32::try_from(prompt_estimate).unwrap_or(u32::MAX),
                    ));
                }
                Err(ExchangeError::Refused { ref body, .. })
                    if self.dialect.adapt(body).is_some() =>
                {
                    self.dialect.remember(&self.endpoint_key);
                    self.stats.adaptations += 1;
                    self.stats.output_mode = self.dialect.mode();
                }
                Err(ExchangeError::Cancelled) => return Err(PlanError::Cancelled),
                Err(ExchangeError::ModelRefused(reason)) => {
                    self.stats.invalid_outputs += 1;
                    return Err(PlanError::InvalidOutput(reason));
                }
                Err(error @ ExchangeError::Refused { .. }) if self.dialect.forced => {
                    return Err(PlanError::Backend(format!(
                        "cloud planner: {error} (the output mode {} is set by the \
                         configuration, so it is not stepped down)",
                        self.dialect.mode()
                    )));
                }
                Err(error) => return Err(PlanError::Backend(format!("cloud planner: {error}"))),
            }
        }
    }

    /// Adds a completion's usage to the statistics; the counts for the caller's `PlanMeta`:
    /// (evaluated prompt tokens, cached prompt tokens, generated tokens).
    fn count_usage(
        &mut self,
        completion: &wire::Completion,
        prompt_estimate: u32,
    ) -> (u32, u32, u32) {
        // As for the on-device planner, `prompt_tokens` counts what was evaluated and
        // `cached_tokens` what the server reused from its prompt cache. The server's counts are
        // not trusted to agree: the cached part is at most the whole prompt, and sums saturate.
        let prompt_total = completion.prompt_tokens.unwrap_or(prompt_estimate);
        let cached_tokens = completion.cached_tokens.unwrap_or(0).min(prompt_total);
        let generated_tokens = completion.completion_tokens.unwrap_or_else(|| {
            u32::try_from(estimate_tokens(&completion.content)).unwrap_or(u32::MAX)
        });
        let stats = &mut self.stats;
        stats.prompt_tokens = stats.prompt_tokens.saturating_add(u64::from(prompt_total));
        stats.cached_tokens = stats.cached_tokens.saturating_add(u64::from(cached_tokens));
        stats.completion_tokens = stats
            .completion_tokens
            .saturating_add(u64::from(generated_tokens));
        (
            prompt_total - cached_tokens,
            cached_tokens,
            generated_tokens,
        )
    }

    /// The planning turn: the plan the model proposes for `request`, checked against the phone.
    fn ask_plan(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        let deadline = instant_after(Instant::now(), self.config.deadline);
        let schema = plan_outline_schema(request);
        // The outline has optional fields, which strict mode does not allow.
        let shape = AnswerShape {
            name: "lobster_plan",
            schema: &schema,
            strict: false,
        };
        let (completion, estimate) =
            self.exchange(shape, deadline, cancel, |redactor, _mode| {
                plan_messages(request, redactor)
            })?;
        let (prompt_tokens, cached_tokens, generated_tokens) =
            self.count_usage(&completion, estimate);
        self.plan_usage = PlanUsage {
            prompt_tokens,
            cached_tokens,
            generated_tokens,
        };
        read_plan(&completion.content, request, &self.redactor).map_err(|why| {
            self.stats.invalid_outputs += 1;
            PlanError::InvalidOutput(why)
        })
    }

    /// Turns the model's text into an action valid on this screen, with real values in place
    /// of placeholders.
    fn interpret(
        &mut self,
        content: &str,
        request: &StepRequest<'_>,
    ) -> Result<(crate::action::Action, String), PlanError> {
        let result = action_from_content(
            content,
            &self.redactor,
            &request.screen.elements,
            request.context,
        );
        result.map_err(|message| {
            self.stats.invalid_outputs += 1;
            PlanError::InvalidOutput(message)
        })
    }
}

/// Reads a chat-completion response body (HTTP 2xx) into the action it names and the model's
/// reason, exactly as the planner reads each step's reply: the envelope, the answer in either
/// output mode (the JSON object of structured output, or plain text with the action on the
/// first line), placeholders unmasked with `redactor`, then the action parsed and validated
/// against the screen's `elements` under `context`. The error is the message the planner would
/// report (masked). Public so the reply path can be fuzzed and tested without a server.
pub fn action_from_reply(
    body: &[u8],
    redactor: &Redactor,
    elements: &[Element],
    context: &GrammarContext,
) -> Result<(Action, String), String> {
    let completion = wire::parse_completion(body).map_err(|error| error.to_string())?;
    action_from_content(&completion.content, redactor, elements, context)
}

/// The model's text (the completion's `content`) to an action valid on the screen: exactly one
/// (a plain-text reply whose second line is an action too is refused, not guessed at).
fn action_from_content(
    content: &str,
    redactor: &Redactor,
    elements: &[Element],
    context: &GrammarContext,
) -> Result<(Action, String), String> {
    let answer = read_answer(content)?;
    let line = redactor
        .unmask(&answer.action)
        .map_err(|error| format!("{error}: {}", answer.action))?;
    let action = parse_for_screen(&line, elements, context)
        .map_err(|error| redactor.mask_known(&format!("{error} in the answer {line:?}")))?;
    let second_action = answer.plain_text
        && redactor
            .unmask(&answer.reason)
            .is_ok_and(|second| parse_for_screen(&second, elements, context).is_ok());
    if second_action {
        return Err(redactor.mask_known(&format!(
            "the reply holds more than one action ({line:?}, then {:?}); give exactly one",
            answer.reason
        )));
    }
    Ok((action, answer.reason))
}

/// `{base_url}/chat/completions`, checked: HTTPS, or HTTP to a loopback host.
fn endpoint(base_url: &str) -> Result<reqwest::Url, PlanError> {
    let invalid = |why: String| PlanError::Backend(format!("cloud base URL {base_url:?}: {why}"));
    let trimmed = base_url.trim().trim_end_matches('/');
    let joined = if trimmed.ends_with("/chat/completions") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/chat/completions")
    };
    let url = reqwest::Url::parse(&joined).map_err(|error| invalid(error.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL; use the API key".into()));
    }
    let loopback = match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback()),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(invalid(
            "plain HTTP would expose the key and the screen; use https (http is allowed for \
             localhost only)"
                .into(),
        )),
        other => Err(invalid(format!("unsupported scheme {other:?}"))),
    }
}

impl Planner for CloudPlanner {
    fn name(&self) -> &str {
        "cloud"
    }

    /// Starts a new task (placeholders from an earlier one are forgotten) and asks the model
    /// for a plan over this phone's intents, app actions and apps (`planning`). A plan that
    /// does not parse or names what the phone lacks, or a server that fails, leaves the goal to
    /// UI steps: the task goes on, and the statistics count the invalid answer.
    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        self.begin_task(request.goal);
        self.plan_usage = PlanUsage::default();
        match self.ask_plan(request, cancel) {
            Ok(plan) => Ok(plan),
            Err(PlanError::Cancelled) => Err(PlanError::Cancelled),
            Err(_) => Ok(TaskPlan::single_ui(request.goal)),
        }
    }

    fn plan_usage(&self) -> PlanUsage {
        self.plan_usage
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let started = Instant::now();
        let deadline = instant_after(started, self.config.deadline);
        self.track_task(request);
        self.stats.steps += 1;
        let (completion, prompt_estimate) = self.ask(request, deadline, cancel)?;
        let (prompt_tokens, cached_tokens, generated_tokens) =
            self.count_usage(&completion, prompt_estimate);
        let (action, reason) = self.interpret(&completion.content, request)?;
        Ok(PlannedAction {
            action,
            reason,
            meta: PlanMeta {
                planner: self.name().to_owned(),
                prompt_tokens,
                generated_tokens,
                cached_tokens,
                millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                confidence: None,
                ..PlanMeta::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_except_on_loopback() {
        assert_eq!(
            endpoint("https://api.openai.com/v1/").unwrap().as_str(),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:8080/v1").unwrap().as_str(),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        assert!(endpoint("http://localhost:1/v1/chat/completions").is_ok());
        assert!(endpoint("http://[::1]:1/v1").is_ok());
        let error = endpoint("http://api.example.com/v1")
            .unwrap_err()
            .to_string();
        assert!(error.contains("plain HTTP"), "{error}");
        assert!(endpoint("ftp://x/v1").is_err());
        assert!(endpoint("https://user:pw@x/v1").is_err());
        assert!(endpoint("not a url").is_err());
    }

    #[test]
    fn new_checks_model_and_key_and_never_prints_the_key() {
        let config = CloudConfig {
            api_key: Some(ApiKey::new("sk-test-secret-1")),
            ..CloudConfig::new("https://api.example.com/v1", "")
        };
        assert!(CloudPlanner::new(config).is_err());
        let planner = CloudPlanner::new(CloudConfig {
            api_key: Some(ApiKey::new("sk-test-secret-1")),
            ..CloudConfig::new("https://api.example.com/v1", "gpt-x")
        })
        .unwrap();
        let printed = format!("{planner:?}");
        assert!(!printed.contains("secret-1"), "{printed}");
        assert_eq!(planner.stats().requests, 0);
        assert_eq!(planner.stats().output_mode, OutputMode::JsonSchema);
    }
}
