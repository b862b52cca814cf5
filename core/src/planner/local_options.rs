//! The on-device planner's knobs, with defaults chosen by how much memory the phone has.
//!
//! Kept apart from `local.rs` so that integrators (and the bindings) can build and test options
//! without compiling llama.cpp. A phone with 3 GB cannot spend 200 MB on a long KV cache, and a
//! phone with 12 GB should not page out a step log it could keep; the tier decides.
//!
//! The options also carry their bounds ([`LocalOptions::validate`]): llama.cpp sizes its KV
//! cache and compute buffers from them without asking, and aborts the process when an
//! allocation fails, so a value from a settings screen or a Kotlin caller must be checked
//! before it reaches llama.cpp. The CLI and the bindings check with the same function.

use std::path::PathBuf;

const GIB: u64 = 1 << 30;

/// An option out of its bounds: which field, and what it must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {requirement} (got {value})")]
pub struct InvalidOption {
    /// The field of [`LocalOptions`], as Rust spells it (`context_length`).
    pub field: &'static str,
    /// What the field must be, e.g. "must be between 512 and 32768".
    pub requirement: String,
    /// The value given.
    pub value: String,
}

/// Fails with `field` unless `low <= value <= high`.
fn within<T: PartialOrd + std::fmt::Display>(
    field: &'static str,
    value: T,
    low: T,
    high: T,
) -> Result<(), InvalidOption> {
    if value >= low && value <= high {
        return Ok(());
    }
    Err(InvalidOption {
        field,
        requirement: format!("must be between {low} and {high}"),
        value: value.to_string(),
    })
}

/// How the KV cache stores keys and values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KvCacheKind {
    /// 16-bit floats: llama.cpp's default, the fastest on most CPUs.
    #[default]
    F16,
    /// 8-bit blocks: half the memory (keys and values; needs flash attention, turned on with it).
    Q8_0,
}

/// Options of the [`LocalPlanner`](super::LocalPlanner).
#[derive(Debug, Clone, PartialEq)]
pub struct LocalOptions {
    /// Threads for decoding and prefill; 0 picks the available cores, at most 4 (a phone's big
    /// cores; the little ones slow a step down).
    pub threads: u32,
    /// The context length in tokens: system prompt, step log, screen and the answer.
    pub context_length: u32,
    /// Tokens evaluated per batch during prefill; cancellation is checked between batches.
    pub batch_size: u32,
    /// Tokens llama.cpp computes at once within a batch (its `n_ubatch`). Its compute buffer is
    /// sized for the logits of this many tokens, 151,936 × 4 bytes each with Qwen's vocabulary,
    /// so after the model and the KV cache this sets the planner's memory; 64 costs 39 MiB.
    /// Smaller saves little and slows prefill (at 32 it ran about a quarter slower on the
    /// Qwen2.5-0.5B-shaped model).
    pub micro_batch_size: u32,
    /// How the KV cache is stored.
    pub kv_cache: KvCacheKind,
    /// Sampling temperature; 0 decodes greedily (the default: an action is not creative writing).
    pub temperature: f32,
    /// Seed for sampling at a temperature above 0.
    pub seed: u32,
    /// The most tokens one action may take before the answer is rejected.
    pub max_action_tokens: u32,
    /// The most tokens a plan may take; past it the goal is worked through the UI. A plan of
    /// four subgoals with a text message in one is about 150 tokens in Qwen's vocabulary.
    pub max_plan_tokens: u32,
    /// Keep the KV cache between steps and evaluate only the prompt's new suffix. Off only to
    /// measure what it saves.
    pub reuse_prefix: bool,
    /// In a planning turn, draft the tokens that continue a span of the goal the plan is
    /// copying (a label, a query, the digits of a number) and have the model check them all in
    /// one batch: greedy decoding chooses exactly the same plan, in fewer decode passes. Off
    /// only to measure what it saves; never on a model with recurrent memory, whose state
    /// cannot take a rejected draft back.
    pub goal_drafts: bool,
    /// Where the evaluated system prompt is saved, keyed by model and prompt, so a cold start
    /// loads it instead of evaluating it; `None` turns saving off. The directory keeps the
    /// four saved prompts used last (saved or loaded) and deletes older ones (only the
    /// planner's own `*.kv` files).
    pub prefix_cache_dir: Option<PathBuf>,
    /// The chat template to format prompts with, for a model whose file has none (or whose own
    /// is wrong): a name llama.cpp knows (`chatml`, `llama3`, `gemma`, `mistral-v7`, `phi3`,
    /// …) or a whole Jinja template. `None` uses the file's `tokenizer.chat_template`.
    pub chat_template: Option<String>,
    /// Memory-map the model file instead of reading it into memory. Off by default: llama.cpp
    /// repacks quantised weights into its CPU-interleaved layouts (Q4_0 as 4×8 or 8×8 blocks
    /// for NEON and AVX2 dot products) at load, so with a mapping every page of the file is
    /// read once and then stays resident beside its repacked copy; measured on the
    /// Qwen2.5-0.5B-shaped model, the mapping raised peak resident memory by 193 MiB and saved
    /// nothing afterwards (BENCHMARKS.md). Turn it on for a build whose weights are used in
    /// place (llama.cpp built with `GGML_CPU_REPACK=OFF`, or offloaded to a GPU): there it
    /// peaks no higher than reading and leaves the weights in the page cache, which the system
    /// can reclaim under memory pressure, but prefill ran 0.72× and decode 0.81× as fast on
    /// this x86 machine (BENCHMARKS.md).
    pub use_mmap: bool,
}

impl LocalOptions {
    /// The shortest context: the system prompt and one small screen need about 400 tokens.
    pub const MIN_CONTEXT_LENGTH: u32 = 512;

    /// The longest context: 32,768 tokens, the context Qwen2.5 0.5B–3B were trained on (longer
    /// contexts need RoPE scaling the planner does not set up). Its F16 KV cache is already
    /// 384 MiB for 0.5B and 1.1 GiB for 3B.
    pub const MAX_CONTEXT_LENGTH: u32 = 32_768;

    /// Threads per available core at most: more only adds switching (a phone's big cores are the
    /// ones that help), and each thread has its own scratch buffers.
    pub const MAX_THREADS_PER_CORE: u32 = 2;

    /// The most threads on any machine, whatever its core count says.
    pub const MAX_THREADS: u32 = 64;

    /// The highest sampling temperature; above it the action grammar is all that keeps the answer
    /// meaningful.
    pub const MAX_TEMPERATURE: f32 = 2.0;

    /// The most threads [`LocalOptions::threads`] may ask for on this machine: the available cores
    /// times [`MAX_THREADS_PER_CORE`](Self::MAX_THREADS_PER_CORE), at most [`MAX_THREADS`](Self::MAX_THREADS).
    pub fn max_threads() -> u32 {
        let cores = std::thread::available_parallelism()
            .map(|cores| u32::try_from(cores.get()).unwrap_or(Self::MAX_THREADS))
            .unwrap_or(4);
        cores
            .saturating_mul(Self::MAX_THREADS_PER_CORE)
            .min(Self::MAX_THREADS)
    }

    /// Defaults for a phone with `total_ram` bytes of memory.
    pub fn for_device_ram(total_ram: u64) -> Self {
        let context_length = match total_ram {
            ram if ram < 4 * GIB => 2048,
            ram if ram < 8 * GIB => 4096,
            _ => 8192,
        };
        Self {
            threads: 0,
            context_length,
            batch_size: 256,
            micro_batch_size: 64,
            kv_cache: if total_ram < 4 * GIB {
                KvCacheKind::Q8_0
            } else {
                KvCacheKind::F16
            },
            temperature: 0.0,
            seed: 0,
            max_action_tokens: 64,
            max_plan_tokens: 384,
            reuse_prefix: true,
            goal_drafts: true,
            prefix_cache_dir: None,
            chat_template: None,
            use_mmap: false,
        }
    }

    /// Checks every bound: threads (0 to [`max_threads`](Self::max_threads)), context length
    /// ([`MIN_CONTEXT_LENGTH`](Self::MIN_CONTEXT_LENGTH) to
    /// [`MAX_CONTEXT_LENGTH`](Self::MAX_CONTEXT_LENGTH)), batch size (1 to the context length),
    /// micro-batch size (1 to the batch size), action and plan tokens (1 to the context length) and
    /// temperature (0 to [`MAX_TEMPERATURE`](Self::MAX_TEMPERATURE)). Call it before loading the
    /// planner with options that come from outside the program.
    pub fn validate(&self) -> Result<(), InvalidOption> {
        within("threads", self.threads, 0, Self::max_threads())?;
        within(
            "context_length",
            self.context_length,
            Self::MIN_CONTEXT_LENGTH,
            Self::MAX_CONTEXT_LENGTH,
        )?;
        within("batch_size", self.batch_size, 1, self.context_length)?;
        within(
            "micro_batch_size",
            self.micro_batch_size,
            1,
            self.batch_size,
        )?;
        within(
            "max_action_tokens",
            self.max_action_tokens,
            1,
            self.context_length,
        )?;
        within(
            "max_plan_tokens",
            self.max_plan_tokens,
            1,
            self.context_length,
        )?;
        if let Some(template) = &self.chat_template {
            let length = template.len();
            if template.trim().is_empty() || length > 65_536 || template.contains('\0') {
                return Err(InvalidOption {
                    field: "chat_template",
                    requirement: "must be a template name or a template of at most 64 KiB, \
                                  without NUL"
                        .into(),
                    value: format!("{length} bytes"),
                });
            }
        }
        // `within` is false for NaN, so a NaN temperature is refused too.
        within("temperature", self.temperature, 0.0, Self::MAX_TEMPERATURE)
    }

    /// The number of threads to run: [`threads`](Self::threads), or the available cores up to 4.
    pub fn effective_threads(&self) -> u32 {
        if self.threads > 0 {
            return self.threads;
        }
        std::thread::available_parallelism()
            .map(|cores| u32::try_from(cores.get()).unwrap_or(4).min(4))
            .unwrap_or(2)
    }
}

impl Default for LocalOptions {
    /// The 4–8 GB tier: a 4k context in F16.
    fn default() -> Self {
        Self::for_device_ram(6 * GIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_grow_the_context_with_memory() {
        let small = LocalOptions::for_device_ram(3 * GIB);
        let middle = LocalOptions::for_device_ram(6 * GIB);
        let large = LocalOptions::for_device_ram(12 * GIB);
        assert_eq!(small.context_length, 2048);
        assert_eq!(small.kv_cache, KvCacheKind::Q8_0);
        assert_eq!(middle.context_length, 4096);
        assert_eq!(middle.kv_cache, KvCacheKind::F16);
        assert_eq!(large.context_length, 8192);
        assert_eq!(LocalOptions::default(), middle);
    }

    #[test]
    fn every_tier_is_valid() {
        for ram in [2 * GIB, 6 * GIB, 16 * GIB] {
            assert_eq!(LocalOptions::for_device_ram(ram).validate(), Ok(()));
        }
    }

    #[test]
    fn each_bound_names_its_field() {
        let field = |change: fn(&mut LocalOptions)| {
            let mut options = LocalOptions::default();
            change(&mut options);
            options.validate().map_err(|error| error.field)
        };
        assert_eq!(
            field(|o| o.threads = LocalOptions::max_threads() + 1),
            Err("threads")
        );
        assert_eq!(field(|o| o.threads = u32::MAX), Err("threads"));
        assert_eq!(field(|o| o.threads = LocalOptions::max_threads()), Ok(()));
        assert_eq!(field(|o| o.context_length = 511), Err("context_length"));
        assert_eq!(
            field(|o| o.context_length = LocalOptions::MAX_CONTEXT_LENGTH + 1),
            Err("context_length")
        );
        assert_eq!(
            field(|o| o.context_length = LocalOptions::MAX_CONTEXT_LENGTH),
            Ok(())
        );
        assert_eq!(field(|o| o.batch_size = 0), Err("batch_size"));
        assert_eq!(field(|o| o.batch_size = 4097), Err("batch_size"));
        assert_eq!(field(|o| o.micro_batch_size = 0), Err("micro_batch_size"));
        assert_eq!(field(|o| o.micro_batch_size = 257), Err("micro_batch_size"));
        assert_eq!(field(|o| o.max_action_tokens = 0), Err("max_action_tokens"));
        assert_eq!(
            field(|o| o.max_action_tokens = 4097),
            Err("max_action_tokens")
        );
        assert_eq!(field(|o| o.temperature = f32::NAN), Err("temperature"));
        assert_eq!(field(|o| o.temperature = -0.5), Err("temperature"));
        assert_eq!(field(|o| o.temperature = 2.5), Err("temperature"));
    }

    #[test]
    fn the_error_says_the_field_the_range_and_the_value() {
        let options = LocalOptions {
            context_length: 1_000_000,
            ..LocalOptions::default()
        };
        assert_eq!(
            options.validate().unwrap_err().to_string(),
            "context_length must be between 512 and 32768 (got 1000000)"
        );
        assert!((1..=LocalOptions::MAX_THREADS).contains(&LocalOptions::max_threads()));
    }

    #[test]
    fn threads_default_to_the_cores_up_to_four() {
        let options = LocalOptions::default();
        assert!((1..=4).contains(&options.effective_threads()));
        let pinned = LocalOptions {
            threads: 6,
            ..LocalOptions::default()
        };
        assert_eq!(pinned.effective_threads(), 6);
    }
}
