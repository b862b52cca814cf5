//! The on-device planner: a quantised Qwen model run by llama.cpp, decoding one action under the
//! screen's grammar, with the prompt's unchanged prefix kept in the KV cache.
//!
//! This is the only file that imports `llama_cpp_2`. The model and its context live on one
//! worker thread for the planner's whole life (a llama.cpp context is not to be shared across
//! threads, and loading a model is seconds); the planner sends it a job per step and waits,
//! watching the cancel token so that a stop returns at once. The backend is initialised once per
//! process.
//!
//! A step costs what it evaluates. The prompt is the [`Conversation`]'s append-only chat in the
//! model's own chat template; the worker keeps the tokens its KV cache holds, keeps their longest
//! common prefix with the new prompt and evaluates only the rest (see [`CachedTokens`]). The
//! evaluated system prompt is saved to a file keyed by the model and the prompt, so a cold start
//! loads it instead of evaluating it.
//!
//! Decoding is constrained by the per-screen grammar, so the model cannot emit an action that
//! does not parse or names an id not on the screen. The constraint must not cost what it
//! constrains: llama.cpp's GBNF sampler over all 151,936 candidates takes as long as a decode
//! step, so by default each token's mask comes from llguidance ([`ActionConstraint`]), which
//! computes it over the whole vocabulary in a fraction of a millisecond, and the best allowed
//! logit is taken. llama.cpp's own sampler stays available ([`GrammarCheck`]) so tests and
//! benchmarks can show both choose the same tokens.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::{KvCacheType, LlamaContextParams};
use llama_cpp_2::context::session::{LlamaStateSeqFlags, SeqState};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;
use llama_cpp_2::vocab::LlamaVocab;
use sha2::{Digest, Sha256};
use toktrie::{SimpleVob, TokEnv, TokTrie, TokenId, TokenizerEnv};
use unicode_normalization::UnicodeNormalization;

use crate::action::parse_for_screen;
use crate::cancel::CancelToken;

use super::checkpoints::Checkpoints;
use super::constraint::{ActionConstraint, best_allowed as best_under_mask, compact};
use super::conversation::Conversation;
use super::goal_draft::goal_draft;
use super::local_options::{KvCacheKind, LocalOptions};
use super::plan_prompt::{plan_system_prompt, plan_user_prompt};
use super::prefix::CachedTokens;
use super::prompt::{ChatMessage, Role};
use super::saved_prompts;
use super::thinking::{EMPTY_THINKING, thinks};
use super::{
    PlanError, PlanMeta, PlanUsage, PlannedAction, Planner, StepRequest, TaskPlan, TaskRequest,
    grounded_plan, plan_as_written, plan_from_json, plan_schema,
};

/// How many of the most likely tokens are offered to the grammar before the full pass.
const TOP_CANDIDATES: usize = 8;
/// The most tokens drafted from the goal at a time: a span of a goal rarely runs longer, and a
/// wrong draft costs a little compute per token.
const MAX_DRAFT_TOKENS: usize = 8;
/// The most characters of the goal a draft copies (covers [`MAX_DRAFT_TOKENS`]).
const MAX_DRAFT_CHARS: usize = 48;
/// Recent checkpoints a recurrent model holds: the newest prompt's end. A step's prompt extends
/// the last one (its answer and the new report appended), so it parts from the cache after the
/// newest checkpoint; a compacted history or the next task parts before every step's end,
/// where only the system prompt's end is of use, and that comes from the saved system prompt's
/// file (held in memory as a pinned checkpoint only when no file is saved). Each checkpoint
/// held is the recurrent state's size (19 MiB on the 0.8B); one more (the step before) was
/// never the one restored on the bench's tasks.
const MAX_RECENT_CHECKPOINTS: usize = 1;

/// How often a waiting planner looks at the cancel token.
const CANCEL_POLL: Duration = Duration::from_millis(5);

/// What one step cost inside the worker, for benchmarks and tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepStats {
    /// Tokens in the whole prompt.
    pub prompt_tokens: usize,
    /// Prompt tokens kept from the KV cache.
    pub reused_tokens: usize,
    /// Prompt tokens evaluated this step (the prompt's new suffix).
    pub evaluated_tokens: usize,
    /// Of the reused tokens, those loaded from a saved prefix file this step.
    pub loaded_prefix_tokens: usize,
    /// Tokens generated, the end-of-generation token excluded.
    pub generated_tokens: usize,
    /// Time spent evaluating the prompt.
    pub prefill: Duration,
    /// Time spent generating, sampling included.
    pub decode: Duration,
    /// Of `decode`, the time spent on the grammar: compiling it for the screen and choosing
    /// each token under it.
    pub sampling: Duration,
    /// How many tokens were checked against the whole vocabulary (every token under
    /// [`GrammarCheck::TokenMask`]; with llama.cpp's sampler, those the top candidates missed).
    pub full_grammar_passes: usize,
    /// Of the generated tokens, those the grammar forced (a plan's keys and punctuation),
    /// evaluated in one batch with the token before them instead of a decode pass each.
    pub forced_tokens: usize,
    /// The mean log-probability of the tokens the model chose (the model's own, before the
    /// grammar; forced tokens were not its choice).
    pub mean_logprob: f32,
    /// Decode passes while generating: one per batch evaluated after the prompt.
    pub decode_passes: usize,
    /// Tokens drafted from the goal and checked by the model ([`LocalOptions::goal_drafts`]).
    pub drafted_tokens: usize,
    /// Of those, the ones the model confirmed: each a decode pass saved.
    pub accepted_draft_tokens: usize,
    /// Checkpoints of a recurrent model's state held after this step (none for a plain KV
    /// cache).
    pub checkpoints: usize,
    /// Their bytes.
    pub checkpoint_bytes: usize,
    /// Of `prefill`, the time spent taking checkpoints and going back to one.
    pub checkpoint_time: Duration,
}

/// How the grammar is applied to each token's candidates. All three choose the same tokens;
/// they differ in cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GrammarCheck {
    /// llguidance's mask over the whole vocabulary, then the best allowed logit.
    #[default]
    TokenMask,
    /// llama.cpp's GBNF sampler on the most likely tokens first, on the whole vocabulary only
    /// when it rejects them all (cheap when the model is confident, a full pass when it is not).
    TopCandidatesFirst,
    /// llama.cpp's GBNF sampler on the whole vocabulary for every token (its plain grammar
    /// sampling; for comparison).
    WholeVocabulary,
}

/// The on-device planner.
pub struct LocalPlanner {
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<thread::JoinHandle<()>>,
    conversation: Conversation,
    model_name: String,
    context_length: u32,
    max_action_tokens: u32,
    max_plan_tokens: u32,
    last_stats: Option<StepStats>,
    last_plan_stats: Option<StepStats>,
    last_plan_fallback: Option<String>,
    last_prompt: Option<String>,
    grammar_check: GrammarCheck,
}

impl std::fmt::Debug for LocalPlanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalPlanner")
            .field("model", &self.model_name)
            .field("context_length", &self.context_length)
            .finish_non_exhaustive()
    }
}

impl LocalPlanner {
    /// Loads the GGUF model at `path` (read into memory, or memory-mapped with
    /// [`LocalOptions::use_mmap`]) on a new
    /// worker thread and makes its context. Fails with [`PlanError::Backend`] when the options
    /// are out of their bounds ([`LocalOptions::validate`]), the file is missing, is not a model
    /// llama.cpp can load, or has no chat template.
    pub fn load(path: &Path, options: LocalOptions) -> Result<LocalPlanner, PlanError> {
        // Bounds first, for every caller: llama.cpp would try to allocate whatever it is given.
        options
            .validate()
            .map_err(|error| PlanError::Backend(format!("invalid local options: {error}")))?;
        if !path.is_file() {
            return Err(PlanError::Backend(format!(
                "no model file at {}",
                path.display()
            )));
        }
        let (jobs, inbox) = mpsc::channel();
        let (ready, loaded) = mpsc::channel();
        let worker_path = path.to_path_buf();
        let worker_options = options.clone();
        let worker = thread::Builder::new()
            .name("lobster-llama".into())
            .spawn(move || serve(&worker_path, &worker_options, &ready, &inbox))
            .map_err(|error| {
                PlanError::Backend(format!("cannot start the model thread: {error}"))
            })?;
        let model_name = match loaded.recv() {
            Ok(Ok(name)) => name,
            Ok(Err(error)) => {
                let _ = worker.join();
                return Err(error);
            }
            Err(_) => {
                let _ = worker.join();
                return Err(PlanError::Backend(
                    "the model thread stopped while loading".into(),
                ));
            }
        };
        Ok(LocalPlanner {
            jobs: Some(jobs),
            worker: Some(worker),
            conversation: Conversation::new(),
            model_name,
            context_length: options.context_length,
            max_action_tokens: options.max_action_tokens,
            max_plan_tokens: options.max_plan_tokens,
            last_stats: None,
            last_plan_stats: None,
            last_plan_fallback: None,
            last_prompt: None,
            grammar_check: GrammarCheck::default(),
        })
    }

    /// The model's name from its metadata (or its file name).
    pub fn model_name(&self) -> &str {
        &self.model_name
    }

    /// What the last planning turn cost.
    pub fn last_plan_stats(&self) -> Option<&StepStats> {
        self.last_plan_stats.as_ref()
    }

    /// Why the last planning turn left the goal (or some of its routes: those the goal does not
    /// ground, `planner::ungrounded`) to UI steps, if it did.
    pub fn last_plan_fallback(&self) -> Option<&str> {
        self.last_plan_fallback.as_deref()
    }

    /// What the last step cost.
    pub fn last_stats(&self) -> Option<&StepStats> {
        self.last_stats.as_ref()
    }

    /// The last prompt as rendered in the chat template (for benchmarks that replay it).
    pub fn last_prompt(&self) -> Option<&str> {
        self.last_prompt.as_deref()
    }

    /// Chooses how the grammar is applied (the default is the fast path).
    pub fn set_grammar_check(&mut self, check: GrammarCheck) {
        self.grammar_check = check;
    }

    /// Sends a job and waits for its answer, returning at once when `cancel` is set.
    /// What a planning turn for `request` costs when its answer is `plan`: the same prompt,
    /// saved prefix, schema masks, forced tokens and decode passes as
    /// [`plan_task`](Planner::plan_task), with the model's choices replaced by the plan's
    /// tokens. For benchmarks on models whose weights are placeholders (their own plans never
    /// end); an error when the plan is not one the plan schema admits for this phone.
    pub fn plan_cost(
        &mut self,
        request: &TaskRequest<'_>,
        plan: &TaskPlan,
        cancel: &CancelToken,
    ) -> Result<StepStats, PlanError> {
        let answer = plan_as_written(plan).to_string();
        match self.ask(self.planning_turn(request, Some(answer)), cancel)? {
            Answer::Planned { stats, .. } => Ok(stats),
            Answer::RanLong { max_tokens, .. } => Err(PlanError::InvalidOutput(format!(
                "the plan is longer than the planning turn's {max_tokens} tokens"
            ))),
            Answer::Overflow { prompt_tokens } => Err(PlanError::InvalidOutput(format!(
                "the planning prompt ({prompt_tokens} tokens) does not fit the context"
            ))),
        }
    }

    /// The planning turn for `request`: the planning prompt, and the plan's JSON schema (without
    /// whitespace, as the prompt's examples: fewer tokens, one way to write each plan).
    fn planning_turn(&self, request: &TaskRequest<'_>, script: Option<String>) -> Work {
        let messages = vec![
            ChatMessage::new(Role::System, plan_system_prompt(request)),
            ChatMessage::new(Role::User, plan_user_prompt(request.goal, request.today)),
        ];
        let schema = compact(plan_schema(request));
        Work::Plan {
            messages,
            grammar: Grammar::Json(schema),
            max_tokens: self.max_plan_tokens,
            grammar_check: self.grammar_check,
            script,
            draft_source: Some(request.goal.to_owned()),
        }
    }

    fn ask(&self, job: Work, cancel: &CancelToken) -> Result<Answer, PlanError> {
        let jobs = self
            .jobs
            .as_ref()
            .ok_or_else(|| PlanError::Backend("the model thread has stopped".into()))?;
        let (reply, answer) = mpsc::channel();
        jobs.send(Job {
            work: job,
            cancel: cancel.clone(),
            reply,
        })
        .map_err(|_| PlanError::Backend("the model thread has stopped".into()))?;
        loop {
            if cancel.is_cancelled() {
                return Err(PlanError::Cancelled);
            }
            match answer.recv_timeout(CANCEL_POLL) {
                Ok(result) => return result,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(PlanError::Backend("the model thread has stopped".into()));
                }
            }
        }
    }
}

impl Drop for LocalPlanner {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop; it frees the context and the model.
        self.jobs.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl Planner for LocalPlanner {
    fn name(&self) -> &str {
        "local"
    }

    fn plan_usage(&self) -> PlanUsage {
        self.last_plan_stats
            .as_ref()
            .map(|stats| PlanUsage {
                prompt_tokens: count(stats.evaluated_tokens),
                cached_tokens: count(stats.reused_tokens),
                generated_tokens: count(stats.generated_tokens),
            })
            .unwrap_or_default()
    }

    /// The planning turn: a plan over this phone's intents, app actions and apps
    /// (`plan_prompt`), generated under the plan's JSON schema with token masks, so that it
    /// always parses and names only what the phone offers. A plan that runs past its token
    /// allowance, does not fit the context, or is refused when read leaves the goal to UI
    /// steps; a model that cannot run at all is an error (the router then asks the cloud).
    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let work = self.planning_turn(request, None);
        self.last_plan_stats = None;
        let why = match self.ask(work, cancel) {
            Ok(Answer::Planned { text, stats, .. }) => {
                self.last_plan_stats = Some(stats);
                let plan = serde_json::from_str::<serde_json::Value>(&text)
                    .map_err(|error| error.to_string())
                    .and_then(|value| plan_from_json(&value, request));
                match plan {
                    Ok(plan) => {
                        // A route the goal does not ground goes through the UI instead.
                        let (plan, refused) = grounded_plan(plan, request.goal);
                        self.last_plan_fallback = (!refused.is_empty())
                            .then(|| format!("routes not in the goal: {}", refused.join("; ")));
                        return Ok(plan);
                    }
                    Err(why) => why,
                }
            }
            Ok(Answer::RanLong { max_tokens, stats }) => {
                self.last_plan_stats = Some(stats);
                format!("the plan ran past {max_tokens} tokens")
            }
            Ok(Answer::Overflow { prompt_tokens }) => format!(
                "the planning prompt ({prompt_tokens} tokens) and the plan's room do not fit \
                 the context of {}",
                self.context_length
            ),
            Err(PlanError::InvalidOutput(why)) => why,
            Err(error) => return Err(error),
        };
        self.last_plan_fallback = Some(why);
        Ok(TaskPlan::single_ui(request.goal))
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let started = Instant::now();
        self.conversation.update(request);
        let mut compacted = false;
        let answer = loop {
            let work = Work::Plan {
                messages: self.conversation.messages(),
                grammar: Grammar::Action {
                    gbnf: request.grammar.to_owned(),
                    call_arguments: request.context.app_action_arguments.clone(),
                },
                max_tokens: self.max_action_tokens,
                grammar_check: self.grammar_check,
                script: None,
                draft_source: None,
            };
            match self.ask(work, cancel)? {
                Answer::Planned {
                    text,
                    prompt,
                    stats,
                } => break (text, prompt, stats),
                Answer::RanLong { max_tokens, .. } => {
                    return Err(PlanError::InvalidOutput(format!(
                        "the model's action ran past {max_tokens} tokens"
                    )));
                }
                Answer::Overflow { prompt_tokens } => {
                    if !compacted {
                        self.conversation.compact();
                        compacted = true;
                    } else if !self.conversation.drop_middle_step() {
                        return Err(PlanError::Backend(format!(
                            "the goal and the current screen alone take {prompt_tokens} tokens, \
                             more than the context of {} holds",
                            self.context_length
                        )));
                    }
                }
            }
        };
        let (text, prompt, stats) = answer;
        self.last_prompt = Some(prompt);
        let line = text.trim();
        let parsed = parse_for_screen(line, &request.screen.elements, request.context);
        let meta = PlanMeta {
            planner: self.name().to_owned(),
            prompt_tokens: count(stats.evaluated_tokens),
            cached_tokens: count(stats.reused_tokens),
            generated_tokens: count(stats.generated_tokens),
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            confidence: (stats.generated_tokens > 0).then(|| stats.mean_logprob.exp()),
            ..PlanMeta::default()
        };
        self.last_stats = Some(stats);
        let action = parsed.map_err(|error| {
            PlanError::InvalidOutput(format!("the model's line {line:?} is not valid: {error}"))
        })?;
        Ok(PlannedAction {
            action,
            reason: String::new(),
            meta,
        })
    }
}

fn count(tokens: usize) -> u32 {
    u32::try_from(tokens).unwrap_or(u32::MAX)
}

/// One request to the worker.
struct Job {
    work: Work,
    cancel: CancelToken,
    reply: mpsc::Sender<Result<Answer, PlanError>>,
}

enum Work {
    Plan {
        messages: Vec<ChatMessage>,
        grammar: Grammar,
        max_tokens: u32,
        grammar_check: GrammarCheck,
        /// An answer to decode in place of the model's choices (`LocalPlanner::plan_cost`).
        script: Option<String>,
        /// The text drafts are copied from (the goal, in a planning turn).
        draft_source: Option<String>,
    },
}

/// What a generation follows besides the model.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    /// An answer to decode in place of the model's choices.
    script: Option<&'a str>,
    /// The text drafts are copied from.
    draft_source: Option<&'a str>,
}

/// A token drafted from the goal, with the grammar's mask at its position.
struct Drafted {
    token: LlamaToken,
    mask: SimpleVob,
}

/// What the model made of a draft.
struct CheckedDraft {
    /// The drafted tokens it confirmed, with their log-probabilities.
    accepted: Vec<(LlamaToken, f32)>,
    /// Its own choice where it first disagreed (none when it confirmed the whole draft).
    next: Option<(LlamaToken, f32)>,
}

/// What the answer must be.
enum Grammar {
    /// One action line under the screen's GBNF grammar, a declared action's arguments under
    /// its schema where token masks check it.
    Action {
        gbnf: String,
        call_arguments: BTreeMap<String, serde_json::Value>,
    },
    /// One JSON value under a schema (the planning turn; always checked by token masks, which
    /// llama.cpp's GBNF sampler cannot do for JSON Schema).
    Json(serde_json::Value),
}

enum Answer {
    /// The generated line, the rendered prompt and the costs.
    Planned {
        text: String,
        prompt: String,
        stats: StepStats,
    },
    /// The prompt and the answer's room do not fit the context; nothing was evaluated.
    Overflow { prompt_tokens: usize },
    /// The answer ran past its token allowance; what it cost.
    RanLong { max_tokens: u32, stats: StepStats },
}

/// The llama.cpp backend, initialised once per process.
fn backend() -> Result<&'static LlamaBackend, PlanError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs every tensor it loads to stderr; silence it, unless
            // `LOBSTER_LLAMA_LOG` is set (to see buffer sizes and the chosen kernels).
            if std::env::var_os("LOBSTER_LLAMA_LOG").is_none() {
                llama_cpp_2::send_logs_to_tracing(
                    llama_cpp_2::LogOptions::default().with_logs_enabled(false),
                );
            }
            LlamaBackend::init().map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(|error| PlanError::Backend(format!("llama.cpp backend: {error}")))
}

/// The worker thread: loads the model, makes the context, serves jobs until the planner drops
/// its sender.
fn serve(
    path: &Path,
    options: &LocalOptions,
    ready: &mpsc::Sender<Result<String, PlanError>>,
    inbox: &mpsc::Receiver<Job>,
) {
    let loaded = Loaded::open(path, options);
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    let mut engine = match Engine::new(&loaded, options) {
        Ok(engine) => engine,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    let _ = ready.send(Ok(loaded.name.clone()));
    while let Ok(job) = inbox.recv() {
        let answer = match job.work {
            Work::Plan {
                messages,
                grammar,
                max_tokens,
                grammar_check,
                script,
                draft_source,
            } => engine.plan(
                &messages,
                &grammar,
                max_tokens,
                grammar_check,
                Inputs {
                    script: script.as_deref(),
                    draft_source: draft_source.as_deref(),
                },
                &job.cancel,
            ),
        };
        let _ = job.reply.send(answer);
    }
}

/// A loaded model with what the worker needs about it.
struct Loaded {
    model: Arc<LlamaModel>,
    template: LlamaChatTemplate,
    /// Action lines' grammar, over llama-cpp-2's greedy vocabulary: the masks the GBNF sampler's
    /// choices are checked against token for token.
    constraint: ActionConstraint,
    /// Plans' JSON schema, over the model's own tokenizer, so forced text is fast-forwarded
    /// (`ModelTokenizer`).
    plan_constraint: ActionConstraint,
    /// Whether the template is a thinking model's: its prompts close an empty thinking block
    /// after the assistant's header ([`EMPTY_THINKING`]).
    thinks: bool,
    name: String,
    fingerprint: String,
}

impl Loaded {
    fn open(path: &Path, options: &LocalOptions) -> Result<Loaded, PlanError> {
        let backend = backend()?;
        let params = LlamaModelParams::default().with_use_mmap(options.use_mmap);
        let model = LlamaModel::load_from_file(backend, path, &params).map_err(|error| {
            PlanError::Backend(format!("llama.cpp cannot load {}: {error}", path.display()))
        })?;
        let model = Arc::new(model);
        let template = match &options.chat_template {
            Some(name) => LlamaChatTemplate::new(name).map_err(|error| {
                PlanError::Backend(format!("the chat template {name:?}: {error}"))
            })?,
            None => model.chat_template(None).map_err(|error| {
                PlanError::Backend(format!(
                    "{} has no chat template ({error}); name one for its family with \
                     --chat-template NAME (chatml, llama3, gemma, mistral-v7, phi3, …; \
                     LocalOptions::chat_template)",
                    path.display()
                ))
            })?,
        };
        let name = model
            .meta_val_str("general.name")
            .ok()
            .filter(|name| !name.is_empty())
            .or_else(|| {
                path.file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "model".into());
        let fingerprint = fingerprint(path)?;
        // One vocabulary trie for both: at Qwen3.5's 248,320 tokens a trie is tens of MiB.
        let vocabulary = LlamaSampler::llguidance_tok_env(&model);
        let constraint = ActionConstraint::new(&vocabulary)?;
        let plan_constraint = ActionConstraint::new(&ModelTokenizer::env(&model, vocabulary))?;
        Ok(Loaded {
            thinks: template.to_str().is_ok_and(thinks),
            model,
            template,
            constraint,
            plan_constraint,
            name,
            fingerprint,
        })
    }
}

/// The model's own tokenizer as llguidance's vocabulary. llama-cpp-2's vocabulary for
/// llguidance tokenizes greedily over its trie, which llguidance rightly treats as
/// non-canonical and so never fast-forwards forced text; with the model's tokenizer, the text a
/// grammar forces (a plan's keys and punctuation) comes as the tokens the model itself would
/// read, and can be evaluated in one batch.
struct ModelTokenizer {
    model: Arc<LlamaModel>,
    /// llama-cpp-2's vocabulary for llguidance, whose trie this shares rather than copies.
    approximate: TokEnv,
}

impl ModelTokenizer {
    /// The vocabulary of `model`: the token trie of `approximate` (llama-cpp-2's: every
    /// token's bytes, the end-of-generation tokens) with the model's tokenizer.
    fn env(model: &Arc<LlamaModel>, approximate: TokEnv) -> TokEnv {
        Arc::new(ModelTokenizer {
            model: Arc::clone(model),
            approximate,
        })
    }
}

impl TokenizerEnv for ModelTokenizer {
    fn tok_trie(&self) -> &TokTrie {
        self.approximate.tok_trie()
    }

    /// Text in the model's tokens; special-token text stays text, as in screen content.
    fn tokenize_bytes(&self, bytes: &[u8]) -> Vec<TokenId> {
        self.model
            .vocab()
            .tokenize(bytes, false, false)
            .into_iter()
            .map(|token| token.0.cast_unsigned())
            .collect()
    }
}

/// A short identity of a model file: its size and the hash of its first mebibyte (the GGUF
/// header with all metadata and the start of the weights), so that a saved prefix is never
/// loaded into another model, without hashing hundreds of megabytes at every start.
fn fingerprint(path: &Path) -> Result<String, PlanError> {
    let io = |error: std::io::Error| {
        PlanError::Backend(format!("cannot read {}: {error}", path.display()))
    };
    let mut file = fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let mut head = Vec::with_capacity(1 << 20);
    file.by_ref()
        .take(1 << 20)
        .read_to_end(&mut head)
        .map_err(io)?;
    let mut hasher = Sha256::new();
    hasher.update(size.to_le_bytes());
    hasher.update(&head);
    Ok(hex(&hasher.finalize()[..8]))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The model's context and what its KV cache holds.
struct Engine<'m> {
    loaded: &'m Loaded,
    context: LlamaContext<'m>,
    cached: CachedTokens,
    options: LocalOptions,
    kv_name: &'static str,
    /// The last system prompt and its tokens.
    system_tokens: Option<(String, Vec<i32>)>,
    /// For a model with recurrent memory (which cannot drop a suffix of its state): copies of
    /// that state along the cached tokens ([`Checkpoints`]); empty for the others.
    checkpoints: Checkpoints<SeqState>,
    /// Whether the model's memory is recurrent (wholly or in part).
    recurrent: bool,
}

impl<'m> Engine<'m> {
    fn new(loaded: &'m Loaded, options: &LocalOptions) -> Result<Engine<'m>, PlanError> {
        let threads = i32::try_from(options.effective_threads()).unwrap_or(4);
        let params = |kv_type| {
            LlamaContextParams::default()
                .with_n_ctx(NonZeroU32::new(options.context_length))
                .with_n_batch(options.batch_size.max(1))
                .with_n_ubatch(options.micro_batch_size.clamp(1, options.batch_size.max(1)))
                .with_n_threads(threads)
                .with_n_threads_batch(threads)
                .with_type_k(kv_type)
                .with_type_v(kv_type)
        };
        let f16 = || {
            loaded
                .model
                .new_context(backend()?, params(KvCacheType::F16))
                .map_err(|error| PlanError::Backend(format!("cannot make a context: {error}")))
        };
        // An 8-bit cache needs attention heads of a multiple of 32 values (and flash attention
        // for its V half); a model without them keeps the F16 cache rather than not starting.
        let (context, kv_name) = match options.kv_cache {
            KvCacheKind::F16 => (f16()?, "f16"),
            KvCacheKind::Q8_0 => match loaded
                .model
                .new_context(backend()?, params(KvCacheType::Q8_0))
            {
                Ok(context) => (context, "q8_0"),
                Err(_) => (f16()?, "f16"),
            },
        };
        Ok(Engine {
            loaded,
            context,
            cached: CachedTokens::new(),
            options: options.clone(),
            kv_name,
            system_tokens: None,
            checkpoints: Checkpoints::new(MAX_RECENT_CHECKPOINTS),
            recurrent: loaded.model.is_recurrent() || loaded.model.is_hybrid(),
        })
    }

    fn plan(
        &mut self,
        messages: &[ChatMessage],
        grammar: &Grammar,
        max_tokens: u32,
        grammar_check: GrammarCheck,
        inputs: Inputs<'_>,
        cancel: &CancelToken,
    ) -> Result<Answer, PlanError> {
        let script = inputs.script.map(|text| self.tokenize(text));
        let prompt = self.render(messages, true)?;
        let tokens = self.tokenize(&prompt);
        let room = usize::try_from(max_tokens).unwrap_or(64);
        if tokens.len() + room > self.context.n_ctx() as usize {
            return Ok(Answer::Overflow {
                prompt_tokens: tokens.len(),
            });
        }
        let mut stats = StepStats {
            prompt_tokens: tokens.len(),
            ..StepStats::default()
        };
        if !self.options.reuse_prefix {
            self.forget_all();
        }
        // A saved system prompt is loaded on a cold start, and also when the cache holds another
        // prompt's (the planning turn's before the first step, or the other way round): loading
        // its state costs a file read where evaluating it costs hundreds of tokens.
        if self.cached.is_empty() || self.system_prompt_not_cached(messages, &tokens) {
            let saved = self.system_prompt_saved(messages, &tokens);
            if saved {
                self.forget_all();
            }
            if self.cached.is_empty() {
                stats.loaded_prefix_tokens = self.load_saved_prefix(messages, &tokens);
            }
        }

        let clock = Instant::now();
        let restore = Instant::now();
        let mut reuse = self.cached.reuse_for(&tokens);
        // A recurrent model going back before every checkpoint it holds (the next task, a
        // compacted history): its system prompt's state comes from the saved file.
        if self.recurrent
            && reuse.keep < self.cached.len()
            && self.checkpoints.at_or_before(reuse.keep).is_none()
        {
            self.forget_all();
            stats.loaded_prefix_tokens = self.load_saved_prefix(messages, &tokens);
            reuse = self.cached.reuse_for(&tokens);
        }
        let keep = self.forget_from(reuse.keep)?;
        if self.recurrent {
            stats.checkpoint_time += restore.elapsed();
        }
        stats.reused_tokens = keep;
        stats.evaluated_tokens = tokens.len() - keep;
        let save_at = self.prefix_to_save(messages, &tokens, keep);
        let mut position = keep;
        // A recurrent model's checkpoints: where the system prompt ends (every later prompt of
        // the same kind shares it), and where this prompt ends (the next step's prompt shares
        // it, up to the answer, whose tokens the template may write differently).
        let system_end = match save_at {
            Some((end, _)) => Some(end),
            None if self.recurrent => self
                .system_prefix(messages, &tokens)
                .map(|system| system.len())
                .filter(|end| (position + 1..tokens.len()).contains(end)),
            None => None,
        };
        if let Some(end) = system_end {
            self.evaluate(&tokens[position..end], false, cancel)?;
            position = end;
            let saved = match &save_at {
                Some((_, path)) => self.save_prefix(path),
                None => self.system_prompt_saved(messages, &tokens),
            };
            // The saved file stands in for a checkpoint of the system prompt's end.
            if !saved {
                self.pin_checkpoint(&mut stats)?;
            }
        }
        // A thinking model's prompt ends with an empty thinking block, which the next prompt
        // does not repeat (the template writes earlier answers without it): its checkpoint
        // goes where the block starts.
        let answer_start = self
            .answer_start(&prompt, &tokens)
            .filter(|start| (position + 1..tokens.len()).contains(start));
        if let Some(start) = answer_start {
            self.evaluate(&tokens[position..start], false, cancel)?;
            position = start;
            self.checkpoint(&mut stats)?;
        }
        // A recurrent model's checkpoint of the prompt's end goes after this batch, so the
        // batch ends there (the next prompt shares the prompt, not the answer).
        let checkpoint_at_end = self.recurrent && answer_start.is_none();
        // Compiling the grammar counts as grammar time, and so as decode time
        // (`StepStats::sampling` is part of it), though it comes before the prompt's last batch.
        let compiling = Instant::now();
        let start = self.start_answer(
            grammar,
            grammar_check,
            !checkpoint_at_end,
            script.as_deref(),
            &mut stats,
        )?;
        let compiling = compiling.elapsed();
        stats.sampling += compiling;
        let mut last_batch = tokens[position..].to_vec();
        last_batch.extend(start.opening.iter().map(|token| token.0));
        let last = self.evaluate(&last_batch, true, cancel)?;
        if answer_start.is_none() {
            self.checkpoint(&mut stats)?;
        }
        stats.prefill = clock.elapsed().saturating_sub(compiling);

        let clock = Instant::now();
        // Drafts need a memory that can take back a rejected suffix.
        let draft_source = inputs
            .draft_source
            .filter(|_| self.options.goal_drafts && !self.recurrent);
        let text = self.generate(
            last,
            start,
            max_tokens,
            grammar_check,
            script.as_deref(),
            draft_source,
            cancel,
            &mut stats,
        )?;
        stats.decode = clock.elapsed() + compiling;
        Ok(match text {
            Some(text) => Answer::Planned {
                text,
                prompt,
                stats,
            },
            None => Answer::RanLong { max_tokens, stats },
        })
    }

    /// The chat in the model's template, with thinking off when it asks for an answer; screen
    /// text cannot smuggle in special tokens.
    fn render(&self, messages: &[ChatMessage], add_assistant: bool) -> Result<String, PlanError> {
        let chat = messages
            .iter()
            .map(|message| {
                let content: String = message.content.replace("<|", "< |").nfc().collect();
                LlamaChatMessage::new(message.role.as_str().to_owned(), content)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| PlanError::Backend(format!("prompt text: {error}")))?;
        let mut text = self
            .loaded
            .model
            .apply_chat_template(&self.loaded.template, &chat, add_assistant)
            .map_err(|error| PlanError::Backend(format!("chat template: {error}")))?;
        if add_assistant && self.loaded.thinks {
            text.push_str(EMPTY_THINKING);
        }
        Ok(text)
    }

    /// For a recurrent model with a thinking template: where the empty thinking block starts
    /// in `tokens` (the tokens of `prompt`), when the prompt without it is a token prefix.
    fn answer_start(&self, prompt: &str, tokens: &[i32]) -> Option<usize> {
        if !self.recurrent || !self.loaded.thinks {
            return None;
        }
        let bare = self.tokenize(prompt.strip_suffix(EMPTY_THINKING)?);
        tokens.starts_with(&bare).then_some(bare.len())
    }

    fn tokenize(&self, text: &str) -> Vec<i32> {
        self.loaded
            .model
            .vocab()
            .tokenize(text.as_bytes(), false, true)
            .into_iter()
            .map(|token| token.0)
            .collect()
    }

    fn forget_all(&mut self) {
        self.context.clear_kv_cache();
        self.cached.clear();
        self.checkpoints.clear();
    }

    /// Drops the cached tokens from `keep` on and returns how many stay. A model with
    /// recurrent memory cannot drop a suffix of its state: it goes back to the newest
    /// checkpoint at or before `keep`, or to nothing, so fewer may stay.
    fn forget_from(&mut self, keep: usize) -> Result<usize, PlanError> {
        if keep >= self.cached.len() {
            return Ok(self.cached.len());
        }
        let keep = if self.recurrent {
            let Some((at, state)) = self.checkpoints.at_or_before(keep) else {
                self.forget_all();
                return Ok(0);
            };
            // The recurrent part first: once it stands at `at`, dropping the tokens from `at`
            // on removes nothing of it, and the attention layers' KV cache drops its suffix.
            self.context
                .state_seq_set(state, 0)
                .map_err(|error| PlanError::Backend(format!("restoring a checkpoint: {error}")))?;
            at
        } else {
            keep
        };
        let start = u32::try_from(keep).unwrap_or(u32::MAX);
        self.context
            .kv_cache_seq_rm(0, Some(start), None)
            .map_err(|error| PlanError::Backend(format!("KV cache: {error}")))?;
        self.cached.truncate(keep);
        self.checkpoints.forget_after(keep);
        Ok(keep)
    }

    /// Copies the recurrent state at the cache's end, for a later step to go back to (a model
    /// with recurrent memory only; the others need none).
    fn checkpoint(&mut self, stats: &mut StepStats) -> Result<(), PlanError> {
        self.take_checkpoint(stats, false)
    }

    /// Like [`Engine::checkpoint`], for the system prompt's end: held until the cache is cut
    /// before it.
    fn pin_checkpoint(&mut self, stats: &mut StepStats) -> Result<(), PlanError> {
        self.take_checkpoint(stats, true)
    }

    fn take_checkpoint(&mut self, stats: &mut StepStats, pinned: bool) -> Result<(), PlanError> {
        if !self.recurrent || self.cached.is_empty() {
            return Ok(());
        }
        let clock = Instant::now();
        // The checkpoint this one replaces goes first: never one more state in memory than
        // the limit, even while the new one is copied.
        if !pinned {
            self.checkpoints.make_room();
        }
        let state = self
            .context
            .state_seq_get(0, LlamaStateSeqFlags::PARTIAL_ONLY)
            .map_err(|error| PlanError::Backend(format!("taking a checkpoint: {error}")))?;
        if pinned {
            self.checkpoints.pin(self.cached.len(), state);
        } else {
            self.checkpoints.push(self.cached.len(), state);
        }
        stats.checkpoints = self.checkpoints.len();
        stats.checkpoint_bytes = self.checkpoints.states().map(SeqState::byte_len).sum();
        stats.checkpoint_time += clock.elapsed();
        Ok(())
    }

    /// Evaluates `tokens` after the cached ones, a batch at a time, checking `cancel` between
    /// batches; returns the batch index of the last token's logits when `logits_at_end`.
    fn evaluate(
        &mut self,
        tokens: &[i32],
        logits_at_end: bool,
        cancel: &CancelToken,
    ) -> Result<i32, PlanError> {
        let batch_size = self.batch_size();
        let mut batch = LlamaBatch::new(batch_size, 1);
        let mut last = 0;
        for (index, chunk) in tokens.chunks(batch_size).enumerate() {
            if cancel.is_cancelled() {
                return Err(PlanError::Cancelled);
            }
            batch.clear();
            let final_chunk = (index + 1) * batch_size >= tokens.len();
            for (offset, token) in chunk.iter().enumerate() {
                let position = i32::try_from(self.cached.len() + offset)
                    .map_err(|_| PlanError::Backend("prompt too long".into()))?;
                let wants_logits = logits_at_end && final_chunk && offset + 1 == chunk.len();
                batch
                    .add(LlamaToken(*token), position, &[0], wants_logits)
                    .map_err(|error| PlanError::Backend(format!("batch: {error}")))?;
                if wants_logits {
                    last = i32::try_from(offset).unwrap_or(0);
                }
            }
            self.context
                .decode(&mut batch)
                .map_err(|error| PlanError::Backend(format!("llama.cpp decode: {error}")))?;
            self.cached.extend(chunk);
        }
        Ok(last)
    }

    /// The grammar's state at the start of an answer under `grammar`. Under a JSON schema, the
    /// tokens it forces before the first choice (a plan's `{"subgoals":[{"goal":"`) are taken
    /// here, to be evaluated in the prompt's last batch instead of a decode pass of their own;
    /// not where that batch must end at the prompt's end (a recurrent model's checkpoint there,
    /// `opening_allowed` false).
    fn start_answer(
        &self,
        grammar: &Grammar,
        grammar_check: GrammarCheck,
        opening_allowed: bool,
        script: Option<&[i32]>,
        stats: &mut StepStats,
    ) -> Result<AnswerStart, PlanError> {
        let mut constraint = match (grammar, grammar_check) {
            // A schema llguidance cannot compile (an app's argument schema with a keyword it
            // does not support) leaves the goal to UI steps, as an unreadable plan does.
            (Grammar::Json(schema), _) => Constraint::Mask(Box::new(
                self.loaded
                    .plan_constraint
                    .start_json(schema.clone())
                    .map_err(|error| {
                        PlanError::InvalidOutput(format!("the plan's schema: {error}"))
                    })?,
            )),
            (
                Grammar::Action {
                    gbnf,
                    call_arguments,
                },
                GrammarCheck::TokenMask,
            ) => Constraint::Mask(Box::new(
                self.loaded.constraint.start(gbnf, call_arguments)?,
            )),
            // llama.cpp's sampler reads the GBNF alone: a call's arguments are checked against
            // their schema after the step, before the call.
            (
                Grammar::Action { gbnf: grammar, .. },
                GrammarCheck::TopCandidatesFirst | GrammarCheck::WholeVocabulary,
            ) => Constraint::Gbnf(
                LlamaSampler::grammar(&self.loaded.model, grammar, "root").map_err(|error| {
                    PlanError::Backend(format!("llama.cpp rejected the grammar: {error}"))
                })?,
            ),
        };
        // Action lines stay one decode per token, so the three grammar checks keep choosing
        // the same tokens (tests/tests/local_planner.rs compares them).
        let fast_forward = matches!(grammar, Grammar::Json(_));
        let opening = if fast_forward && opening_allowed {
            constraint.take_forced(script)?
        } else {
            Vec::new()
        };
        stats.forced_tokens += opening.len();
        Ok(AnswerStart {
            constraint,
            opening,
            fast_forward,
        })
    }

    /// Generates one answer from `start` ([`Engine::start_answer`]: its grammar, and the forced
    /// opening already evaluated), starting from the logits at batch index `first_logits`;
    /// `None` when it runs past `max_tokens` (the costs are in `stats`). Under a
    /// JSON schema, the tokens the grammar forces (keys, punctuation, the rest of a name it has
    /// narrowed to one) are accepted without a choice and evaluated in one batch with the token
    /// before them, where each would otherwise cost a decode pass; and with a `draft_source`,
    /// the tokens that would continue a span of it the answer is copying are drafted into the
    /// same batch and kept as far as the model confirms them ([`goal_draft`]). With `script`,
    /// its tokens are taken in place of the model's choices, each still masked and decoded
    /// (then end-of-generation): what answering exactly that costs.
    #[allow(clippy::too_many_arguments)]
    fn generate(
        &mut self,
        first_logits: i32,
        start: AnswerStart,
        max_tokens: u32,
        grammar_check: GrammarCheck,
        script: Option<&[i32]>,
        draft_source: Option<&str>,
        cancel: &CancelToken,
        stats: &mut StepStats,
    ) -> Result<Option<String>, PlanError> {
        let AnswerStart {
            mut constraint,
            opening,
            fast_forward,
        } = start;
        let draft_source = draft_source.filter(|_| fast_forward);
        let vocab = self.loaded.model.vocab();
        let max_tokens = usize::try_from(max_tokens).unwrap_or(64);
        let mut generated: Vec<LlamaToken> = opening;
        let mut chosen = 0usize;
        let mut logprob_sum = 0.0f32;
        let mut logits_index = first_logits;
        // A token already chosen from logits a draft's batch computed.
        let mut carried: Option<(LlamaToken, f32)> = None;
        // Drafts shrink to one token when the model rejects the first, and grow again while it
        // confirms them whole: a model that keeps writing something else than the goal wastes
        // one drafted token a pass, not eight.
        let mut draft_limit = MAX_DRAFT_TOKENS;
        loop {
            if cancel.is_cancelled() {
                return Err(PlanError::Cancelled);
            }
            let (token, logprob) = match carried.take() {
                Some(choice) => choice,
                None => {
                    let clock = Instant::now();
                    let logits = self.context.get_logits_ith(logits_index);
                    let (mut token, full_pass) = constraint.choose(logits, grammar_check)?;
                    if let Some(script) = script {
                        token = scripted(script, generated.len(), &vocab);
                    }
                    let logprob = log_softmax_at(logits, token);
                    stats.sampling += clock.elapsed();
                    stats.full_grammar_passes += usize::from(full_pass);
                    (token, logprob)
                }
            };
            if vocab.is_eog(token) {
                break;
            }
            if generated.len() >= max_tokens {
                stats.generated_tokens = generated.len();
                return Ok(None);
            }
            constraint.accept(token)?;
            logprob_sum += logprob;
            chosen += 1;
            generated.push(token);
            let mut step = vec![token.0];
            if fast_forward {
                let clock = Instant::now();
                let rest = script.map(|script| script.get(generated.len()..).unwrap_or_default());
                let forced = constraint.take_forced(rest)?;
                stats.sampling += clock.elapsed();
                stats.forced_tokens += forced.len();
                step.extend(forced.iter().map(|token| token.0));
                generated.extend(forced);
            }
            // A complete answer that can only end needs no logits: it ends here, without a
            // decode pass (its last tokens are evaluated with the next prompt, if one shares
            // them).
            // (The mask this computes is the next choice's, so it counts as grammar time.)
            let clock = Instant::now();
            let complete = constraint.only_end_remains()?;
            stats.sampling += clock.elapsed();
            if complete {
                break;
            }
            let room = max_tokens
                .saturating_sub(generated.len())
                .min(self.batch_size().saturating_sub(step.len()))
                .min(draft_limit);
            let draft = match draft_source {
                Some(source) => self.draft(&mut constraint, &generated, source, room, stats)?,
                None => Vec::new(),
            };
            stats.decode_passes += 1;
            if draft.is_empty() {
                logits_index = self.evaluate(&step, true, cancel)?;
                continue;
            }
            let indices = self.evaluate_with_draft(&step, &draft, cancel)?;
            let checked = self.check_draft(&draft, &indices, script, generated.len(), stats)?;
            for &(token, logprob) in &checked.accepted {
                logprob_sum += logprob;
                chosen += 1;
                generated.push(token);
            }
            let rejected = draft.len() - checked.accepted.len();
            draft_limit = match (checked.accepted.len(), rejected) {
                (0, _) => 1,
                (_, 0) => (draft_limit * 2).min(MAX_DRAFT_TOKENS),
                _ => draft_limit,
            };
            if rejected > 0 {
                constraint.rollback(rejected)?;
                // Drafts run only where a suffix can be dropped exactly (not on recurrent
                // memory), so this keeps every token up to the last confirmed one.
                let keep = self.cached.len() - rejected;
                if self.forget_from(keep)? != keep {
                    return Err(PlanError::Backend(
                        "a rejected draft could not be taken back".into(),
                    ));
                }
            }
            match checked.next {
                Some(choice) => carried = Some(choice),
                None => logits_index = indices[draft.len()],
            }
        }
        stats.generated_tokens = generated.len();
        if chosen > 0 {
            stats.mean_logprob = logprob_sum / chosen as f32;
        }
        Ok(Some(text_of(&vocab, &generated)))
    }

    /// Tokens to check after `generated`: the continuation of the span of `source` it ends
    /// with ([`goal_draft`]), as far as the grammar admits it and at most `room`, each accepted
    /// into the grammar with the mask it was admitted under.
    fn draft(
        &self,
        constraint: &mut Constraint,
        generated: &[LlamaToken],
        source: &str,
        room: usize,
        stats: &mut StepStats,
    ) -> Result<Vec<Drafted>, PlanError> {
        let Constraint::Mask(matcher) = constraint else {
            return Ok(Vec::new());
        };
        let clock = Instant::now();
        let vocab = self.loaded.model.vocab();
        let written = text_of(&vocab, generated);
        let mut draft = Vec::new();
        if let Some(text) = goal_draft(&written, source, MAX_DRAFT_CHARS) {
            for token in vocab
                .tokenize(text.as_bytes(), false, false)
                .into_iter()
                .take(room)
            {
                let Ok(id) = u32::try_from(token.0) else {
                    break;
                };
                let mask = matcher.allowed()?;
                stats.full_grammar_passes += 1;
                if !mask.is_allowed(id) {
                    break;
                }
                matcher.accept(id)?;
                draft.push(Drafted { token, mask });
            }
        }
        stats.drafted_tokens += draft.len();
        stats.sampling += clock.elapsed();
        Ok(draft)
    }

    /// Evaluates `step` and `draft` after the cached tokens in one batch, with logits after
    /// the step's last token and after each drafted one; returns their batch indices.
    fn evaluate_with_draft(
        &mut self,
        step: &[i32],
        draft: &[Drafted],
        cancel: &CancelToken,
    ) -> Result<Vec<i32>, PlanError> {
        if cancel.is_cancelled() {
            return Err(PlanError::Cancelled);
        }
        let tokens: Vec<i32> = step
            .iter()
            .copied()
            .chain(draft.iter().map(|drafted| drafted.token.0))
            .collect();
        let mut batch = LlamaBatch::new(tokens.len(), 1);
        let mut indices = Vec::with_capacity(draft.len() + 1);
        for (offset, token) in tokens.iter().enumerate() {
            let position = i32::try_from(self.cached.len() + offset)
                .map_err(|_| PlanError::Backend("prompt too long".into()))?;
            let wants_logits = offset + 1 >= step.len();
            batch
                .add(LlamaToken(*token), position, &[0], wants_logits)
                .map_err(|error| PlanError::Backend(format!("batch: {error}")))?;
            if wants_logits {
                indices.push(i32::try_from(offset).unwrap_or(0));
            }
        }
        self.context
            .decode(&mut batch)
            .map_err(|error| PlanError::Backend(format!("llama.cpp decode: {error}")))?;
        self.cached.extend(&tokens);
        Ok(indices)
    }

    /// The model's verdict on `draft`, whose logits are at batch `indices`: the drafted tokens
    /// it would have chosen itself, in order, and its own choice where it first disagrees.
    /// `written` tokens precede the draft (a `script` is followed from there).
    fn check_draft(
        &self,
        draft: &[Drafted],
        indices: &[i32],
        script: Option<&[i32]>,
        written: usize,
        stats: &mut StepStats,
    ) -> Result<CheckedDraft, PlanError> {
        let clock = Instant::now();
        let vocab = self.loaded.model.vocab();
        let mut checked = CheckedDraft {
            accepted: Vec::new(),
            next: None,
        };
        for (offset, (drafted, index)) in draft.iter().zip(indices).enumerate() {
            let logits = self.context.get_logits_ith(*index);
            let choice = match script {
                Some(script) => scripted(script, written + offset, &vocab),
                None => best_under_mask(logits, &drafted.mask)
                    .and_then(|token| i32::try_from(token).ok())
                    .map(LlamaToken)
                    .ok_or_else(|| {
                        PlanError::InvalidOutput("the grammar admits no next token".into())
                    })?,
            };
            let logprob = log_softmax_at(logits, choice);
            if choice == drafted.token {
                checked.accepted.push((choice, logprob));
            } else {
                checked.next = Some((choice, logprob));
                break;
            }
        }
        stats.accepted_draft_tokens += checked.accepted.len();
        stats.sampling += clock.elapsed();
        Ok(checked)
    }

    /// The most tokens one batch evaluates.
    fn batch_size(&self) -> usize {
        usize::try_from(self.options.batch_size.max(1)).unwrap_or(256)
    }

    /// The system prompt's tokens, when they are a prefix of `prompt`. Rendered and tokenized
    /// once per system prompt: it is the same for every step of a task.
    fn system_prefix(&mut self, messages: &[ChatMessage], prompt: &[i32]) -> Option<Vec<i32>> {
        let system = messages.first()?;
        let known = self
            .system_tokens
            .as_ref()
            .filter(|(content, _)| *content == system.content);
        let tokens = match known {
            Some((_, tokens)) => tokens.clone(),
            None => {
                let text = self.render(std::slice::from_ref(system), false).ok()?;
                let tokens = self.tokenize(&text);
                self.system_tokens = Some((system.content.clone(), tokens.clone()));
                tokens
            }
        };
        prompt.starts_with(&tokens).then_some(tokens)
    }

    /// Whether the cache lacks part of this prompt's system prompt.
    fn system_prompt_not_cached(&mut self, messages: &[ChatMessage], prompt: &[i32]) -> bool {
        self.system_prefix(messages, prompt)
            .is_some_and(|prefix| self.cached.reuse_for(prompt).keep < prefix.len())
    }

    /// Whether a file holds the saved state of this prompt's system prompt.
    fn system_prompt_saved(&mut self, messages: &[ChatMessage], prompt: &[i32]) -> bool {
        self.system_prefix(messages, prompt)
            .and_then(|prefix| self.prefix_path(&prefix))
            .is_some_and(|path| path.is_file())
    }

    fn prefix_path(&self, prefix: &[i32]) -> Option<PathBuf> {
        let dir = self.options.prefix_cache_dir.as_ref()?;
        let mut hasher = Sha256::new();
        for token in prefix {
            hasher.update(token.to_le_bytes());
        }
        let prompt = hex(&hasher.finalize()[..8]);
        Some(dir.join(format!(
            "{}-{prompt}-{}-{}.{}",
            self.loaded.fingerprint,
            self.kv_name,
            self.options.context_length,
            saved_prompts::EXTENSION
        )))
    }

    /// Loads the saved system prompt into an empty cache; returns the tokens loaded.
    fn load_saved_prefix(&mut self, messages: &[ChatMessage], prompt: &[i32]) -> usize {
        let Some(prefix) = self.system_prefix(messages, prompt) else {
            return 0;
        };
        let Some(path) = self.prefix_path(&prefix).filter(|path| path.is_file()) else {
            return 0;
        };
        match self.context.state_seq_load_file(&path, 0, prefix.len()) {
            Ok((tokens, _))
                if tokens
                    .iter()
                    .map(|token| token.0)
                    .eq(prefix.iter().copied()) =>
            {
                self.cached.extend(&prefix);
                saved_prompts::touch(&path);
                prefix.len()
            }
            // A stale or foreign file: start clean and evaluate.
            _ => {
                self.context.clear_kv_cache();
                self.cached.clear();
                0
            }
        }
    }

    /// Where the evaluation should pause to save the system prompt: when saving is on, no file
    /// exists yet and the prefix is not all cached.
    fn prefix_to_save(
        &mut self,
        messages: &[ChatMessage],
        prompt: &[i32],
        keep: usize,
    ) -> Option<(usize, PathBuf)> {
        self.options.prefix_cache_dir.as_ref()?;
        let prefix = self.system_prefix(messages, prompt)?;
        if keep >= prefix.len() {
            return None;
        }
        let path = self.prefix_path(&prefix)?;
        (!path.exists()).then_some((prefix.len(), path))
    }

    /// Saves the cache (which holds exactly the system prompt) to `path`, atomically; `true`
    /// when saved. A failure only costs the next cold start its evaluation (and a recurrent
    /// model a checkpoint held in memory), so it is not raised.
    fn save_prefix(&self, path: &Path) -> bool {
        let Some(dir) = path.parent() else {
            return false;
        };
        if fs::create_dir_all(dir).is_err() {
            return false;
        }
        let partial = path.with_extension(saved_prompts::PARTIAL_EXTENSION);
        let tokens: Vec<LlamaToken> = self
            .cached
            .tokens()
            .iter()
            .map(|t| LlamaToken(*t))
            .collect();
        let saved = self
            .context
            .state_seq_save_file(&partial, 0, &tokens)
            .is_ok()
            && fs::rename(&partial, path).is_ok();
        if saved {
            // A failure to prune only leaves more files.
            let _ = saved_prompts::prune(dir, saved_prompts::KEPT);
        } else {
            let _ = fs::remove_file(&partial);
        }
        saved
    }
}

/// An answer's start: its grammar's constraint, the tokens that grammar forced before the first
/// choice (accepted, and evaluated with the prompt), and whether forced tokens are
/// fast-forwarded (under a JSON schema).
struct AnswerStart {
    constraint: Constraint,
    opening: Vec<LlamaToken>,
    fast_forward: bool,
}

/// The grammar's state during one generation, in whichever engine checks it.
enum Constraint {
    /// llguidance's matcher ([`GrammarCheck::TokenMask`]).
    Mask(Box<super::constraint::ActionMatcher>),
    /// llama.cpp's GBNF sampler (the other checks).
    Gbnf(LlamaSampler),
}

impl Constraint {
    /// Chooses the next token greedily among those the grammar accepts; `true` when the whole
    /// vocabulary was checked.
    fn choose(
        &mut self,
        logits: &[f32],
        check: GrammarCheck,
    ) -> Result<(LlamaToken, bool), PlanError> {
        let no_token = || PlanError::InvalidOutput("the grammar admits no next token".into());
        match self {
            Constraint::Mask(matcher) => {
                let allowed = matcher.allowed()?;
                let token = best_under_mask(logits, &allowed).ok_or_else(no_token)?;
                let token = i32::try_from(token).map_err(|_| no_token())?;
                Ok((LlamaToken(token), true))
            }
            Constraint::Gbnf(sampler) => {
                if check == GrammarCheck::TopCandidatesFirst {
                    let mut top =
                        LlamaTokenDataArray::new(top_candidates(logits, TOP_CANDIDATES), false);
                    sampler.apply(&mut top);
                    if let Some(best) = best_allowed(&top) {
                        return Ok((best, false));
                    }
                }
                let mut all = LlamaTokenDataArray::new(
                    logits
                        .iter()
                        .enumerate()
                        .map(|(id, logit)| LlamaTokenData::new(LlamaToken(id as i32), *logit, 0.0))
                        .collect(),
                    false,
                );
                sampler.apply(&mut all);
                best_allowed(&all)
                    .map(|best| (best, true))
                    .ok_or_else(no_token)
            }
        }
    }

    /// The tokens the grammar forces next, accepted (none with llama.cpp's sampler, which
    /// cannot say).
    fn take_forced(&mut self, script: Option<&[i32]>) -> Result<Vec<LlamaToken>, PlanError> {
        let Constraint::Mask(matcher) = self else {
            return Ok(Vec::new());
        };
        let forced: Vec<i32> = matcher
            .forced()
            .into_iter()
            .filter_map(|token| i32::try_from(token).ok())
            .collect();
        // A scripted answer is followed token for token: its own tokens of the forced text
        // may differ, and then it is not fast-forwarded.
        if forced.is_empty() || script.is_some_and(|script| !script.starts_with(&forced)) {
            return Ok(Vec::new());
        }
        let unsigned: Vec<u32> = forced.iter().map(|token| token.cast_unsigned()).collect();
        matcher.accept_all(&unsigned)?;
        Ok(forced.into_iter().map(LlamaToken).collect())
    }

    /// Whether the answer is complete and can only end (never with llama.cpp's sampler, which
    /// cannot say without logits).
    fn only_end_remains(&mut self) -> Result<bool, PlanError> {
        match self {
            Constraint::Mask(matcher) => matcher.only_end_remains(),
            Constraint::Gbnf(_) => Ok(false),
        }
    }

    /// Takes back the last `count` tokens (only drafts, which only masks make).
    fn rollback(&mut self, count: usize) -> Result<(), PlanError> {
        match self {
            Constraint::Mask(matcher) => matcher.rollback(count),
            Constraint::Gbnf(_) => Err(PlanError::Backend(
                "llama.cpp's grammar sampler cannot take tokens back".into(),
            )),
        }
    }

    /// Moves the grammar past `token`.
    fn accept(&mut self, token: LlamaToken) -> Result<(), PlanError> {
        match self {
            Constraint::Mask(matcher) => matcher.accept(token.0.cast_unsigned()),
            Constraint::Gbnf(sampler) => {
                sampler.accept(token);
                Ok(())
            }
        }
    }
}

/// The text of `tokens`, special tokens left out. llama-cpp-2's `detokenize` underflows on an
/// empty slice (a turn the grammar ended at once), so that one is answered here.
fn text_of(vocab: &LlamaVocab, tokens: &[LlamaToken]) -> String {
    if tokens.is_empty() {
        return String::new();
    }
    String::from_utf8_lossy(&vocab.detokenize(tokens, true, false)).into_owned()
}

/// The token a scripted answer has at `index`; end-of-generation past its end.
fn scripted(script: &[i32], index: usize, vocab: &LlamaVocab) -> LlamaToken {
    script
        .get(index)
        .map_or_else(|| vocab.eos(), |token| LlamaToken(*token))
}

/// The `k` tokens with the highest logits.
fn top_candidates(logits: &[f32], k: usize) -> Vec<LlamaTokenData> {
    let mut top: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
    for (id, &logit) in logits.iter().enumerate() {
        if top.len() == k && top.last().is_some_and(|&(_, lowest)| logit <= lowest) {
            continue;
        }
        let at = top.partition_point(|&(_, other)| other >= logit);
        top.insert(at, (id, logit));
        top.truncate(k);
    }
    top.into_iter()
        .map(|(id, logit)| LlamaTokenData::new(LlamaToken(id as i32), logit, 0.0))
        .collect()
}

/// The highest-logit token the grammar left finite.
fn best_allowed(candidates: &LlamaTokenDataArray) -> Option<LlamaToken> {
    candidates
        .data
        .iter()
        .filter(|candidate| candidate.logit().is_finite())
        .max_by(|a, b| a.logit().total_cmp(&b.logit()))
        .map(LlamaTokenData::id)
}

/// `log p(token)` under the softmax of `logits`.
fn log_softmax_at(logits: &[f32], token: LlamaToken) -> f32 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = logits.iter().map(|logit| (logit - max).exp()).sum();
    let chosen = usize::try_from(token.0)
        .ok()
        .and_then(|index| logits.get(index))
        .copied()
        .unwrap_or(f32::NEG_INFINITY);
    chosen - max - sum.ln()
}

/// Prefill and decode speed of a bare llama.cpp loop, the yardstick for the planner's overhead.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceRun {
    /// Prompt tokens evaluated.
    pub prompt_tokens: usize,
    /// Time to evaluate them.
    pub prefill: Duration,
    /// Tokens generated.
    pub generated_tokens: usize,
    /// Time to generate them.
    pub decode: Duration,
}

/// Runs the plainest llama.cpp loop on `prompt` with the same model and options: tokenize,
/// evaluate in batches of the same size, then `generate` tokens with the greedy sampler, no
/// grammar, no cache bookkeeping. Benchmarks compare the planner against it.
pub fn reference_run(
    model_path: &Path,
    options: &LocalOptions,
    prompt: &str,
    generate: usize,
) -> Result<ReferenceRun, PlanError> {
    let loaded = Loaded::open(model_path, options)?;
    let mut engine = Engine::new(&loaded, options)?;
    let tokens = engine.tokenize(prompt);
    let cancel = CancelToken::new();
    let clock = Instant::now();
    let mut last = engine.evaluate(&tokens, true, &cancel)?;
    let prefill = clock.elapsed();
    let mut sampler = LlamaSampler::greedy();
    let mut batch = LlamaBatch::new(1, 1);
    let clock = Instant::now();
    for _ in 0..generate {
        let token = sampler.sample(&engine.context, last);
        batch.clear();
        let position = i32::try_from(engine.cached.len())
            .map_err(|_| PlanError::Backend("prompt too long".into()))?;
        batch
            .add(token, position, &[0], true)
            .map_err(|error| PlanError::Backend(format!("batch: {error}")))?;
        engine
            .context
            .decode(&mut batch)
            .map_err(|error| PlanError::Backend(format!("llama.cpp decode: {error}")))?;
        engine.cached.extend(&[token.0]);
        last = 0;
    }
    Ok(ReferenceRun {
        prompt_tokens: tokens.len(),
        prefill,
        generated_tokens: generate,
        decode: clock.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_candidates_are_the_highest_logits_in_order() {
        let logits = [0.5, 3.0, -1.0, 2.0, 2.5, 0.0];
        let top: Vec<i32> = top_candidates(&logits, 3)
            .iter()
            .map(|data| data.id().0)
            .collect();
        assert_eq!(top, vec![1, 4, 3]);
        assert_eq!(top_candidates(&logits, 10).len(), 6);
    }

    #[test]
    fn log_softmax_matches_the_definition() {
        let logits = [1.0f32, 2.0, 3.0];
        let total: f32 = logits.iter().map(|l| l.exp()).sum();
        let expected = (3.0f32.exp() / total).ln();
        assert!((log_softmax_at(&logits, LlamaToken(2)) - expected).abs() < 1e-5);
    }

    /// Logits over the tiny model's vocabulary, flat but for the given (token, logit) spikes.
    fn spiked_logits(model: &LlamaModel, spikes: &[(i32, f32)]) -> Vec<f32> {
        let mut logits = vec![0.0f32; usize::try_from(model.n_vocab()).unwrap()];
        for &(token, logit) in spikes {
            logits[usize::try_from(token).unwrap()] = logit;
        }
        logits
    }

    #[test]
    fn top_candidates_first_skips_the_full_pass_only_when_a_top_token_is_grammatical() {
        // Random weights never put a grammatical token among the top candidates (the
        // integration test sees every choice take the full pass), so the shortcut is checked
        // here on logits made for it, against the full pass and llguidance's mask.
        let path = lobster_models::tiny_model_path().unwrap();
        let loaded = Loaded::open(&path, &LocalOptions::default()).unwrap();
        let token = |text: &str| {
            let tokens = loaded.model.vocab().tokenize(text.as_bytes(), false, true);
            assert_eq!(tokens.len(), 1, "{text:?} is one token");
            tokens[0].0
        };
        let (back, home, hello) = (token("back"), token("home"), token("hello"));
        let grammar = r#"root ::= "back" | "home""#;
        let below_the_top = i32::try_from(TOP_CANDIDATES).unwrap() + 10;
        let mut far_down: Vec<(i32, f32)> = (0..below_the_top)
            .map(|offset| (hello + 1 + offset, 5.0))
            .filter(|&(id, _)| id != back && id != home)
            .collect();
        far_down.extend([(hello, 9.0), (home, 1.0)]);
        let cases = [
            // The best token is grammatical: taken from the top candidates.
            (
                spiked_logits(&loaded.model, &[(home, 9.0), (back, 8.0)]),
                home,
                false,
            ),
            // The best is not, the second is: still among the top candidates.
            (
                spiked_logits(&loaded.model, &[(hello, 9.0), (back, 8.0)]),
                back,
                false,
            ),
            // Every top candidate is ungrammatical: the whole vocabulary is checked.
            (spiked_logits(&loaded.model, &far_down), home, true),
        ];
        for (logits, expected, full_pass) in cases {
            let gbnf = || LlamaSampler::grammar(&loaded.model, grammar, "root").unwrap();
            let mut top_first = Constraint::Gbnf(gbnf());
            let mut whole = Constraint::Gbnf(gbnf());
            let mut mask = Constraint::Mask(Box::new(
                loaded.constraint.start(grammar, &BTreeMap::new()).unwrap(),
            ));
            let chosen = |constraint: &mut Constraint, check| {
                let (token, full) = constraint.choose(&logits, check).unwrap();
                (token.0, full)
            };
            assert_eq!(
                chosen(&mut top_first, GrammarCheck::TopCandidatesFirst),
                (expected, full_pass)
            );
            assert_eq!(
                chosen(&mut whole, GrammarCheck::WholeVocabulary),
                (expected, true)
            );
            assert_eq!(chosen(&mut mask, GrammarCheck::TokenMask), (expected, true));
        }
    }

    /// Under a JSON schema, the text the schema forces before the first choice (`{"answer":"`)
    /// is evaluated in the prompt's last batch: an answer whose one choice then completes it
    /// costs no decode pass at all (before, the forced `{"` was chosen from the prompt's logits
    /// and the rest of the opening cost a pass).
    #[test]
    fn a_schemas_forced_opening_is_evaluated_with_the_prompt() {
        let path = lobster_models::tiny_model_path().unwrap();
        let loaded = Loaded::open(&path, &LocalOptions::default()).unwrap();
        let mut engine = Engine::new(&loaded, &LocalOptions::default()).unwrap();
        let grammar = Grammar::Json(compact(serde_json::json!({
            "type": "object",
            "properties": {"answer": {"enum": ["yes", "no"]}},
            "required": ["answer"],
            "additionalProperties": false,
        })));
        let mut stats = StepStats::default();
        let start = engine
            .start_answer(&grammar, GrammarCheck::TokenMask, true, None, &mut stats)
            .unwrap();
        let vocab = loaded.model.vocab();
        assert_eq!(text_of(&vocab, &start.opening), "{\"answer\":\"");
        assert_eq!(stats.forced_tokens, start.opening.len());
        // Where the prompt's batch must end at the prompt (a recurrent model's checkpoint).
        let held_back = engine
            .start_answer(&grammar, GrammarCheck::TokenMask, false, None, &mut stats)
            .unwrap();
        assert!(held_back.opening.is_empty());

        let messages = [
            ChatMessage::new(Role::System, "Answer yes or no."),
            ChatMessage::new(Role::User, "Is it raining?"),
        ];
        let inputs = Inputs {
            script: None,
            draft_source: None,
        };
        let answer = engine
            .plan(
                &messages,
                &grammar,
                16,
                GrammarCheck::TokenMask,
                inputs,
                &CancelToken::new(),
            )
            .unwrap();
        let Answer::Planned { text, stats, .. } = answer else {
            panic!("no answer");
        };
        assert!(
            text == r#"{"answer":"yes"}"# || text == r#"{"answer":"no"}"#,
            "{text}"
        );
        assert_eq!(stats.decode_passes, 0, "{stats:?}");
        // The grammar's time, its compilation included, is part of the decode's.
        assert!(stats.sampling <= stats.decode, "{stats:?}");
    }

    #[test]
    fn options_out_of_bounds_are_refused_before_loading() {
        let options = LocalOptions {
            threads: 1_000_000,
            ..LocalOptions::default()
        };
        let error = LocalPlanner::load(Path::new("/nonexistent/model.gguf"), options).unwrap_err();
        assert!(
            matches!(&error, PlanError::Backend(message)
                if message.starts_with("invalid local options: threads")),
            "{error}"
        );
    }

    #[test]
    fn a_missing_model_file_is_a_clear_error() {
        let error = LocalPlanner::load(
            Path::new("/nonexistent/model.gguf"),
            LocalOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            error,
            PlanError::Backend("no model file at /nonexistent/model.gguf".into())
        );
    }

    #[test]
    fn a_file_that_is_not_a_model_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("lobster-local-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("garbage.gguf");
        fs::write(&path, b"this is not a GGUF file").unwrap();
        let error = LocalPlanner::load(&path, LocalOptions::default()).unwrap_err();
        assert!(
            matches!(&error, PlanError::Backend(message) if message.contains("cannot load")),
            "{error}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
