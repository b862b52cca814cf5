//! The on-device planner's knobs, with defaults chosen by how much memory the phone has.
//!
//! Kept apart from `local.rs` so that integrators (and the bindings) can build and test options
//! without compiling llama.cpp. A phone with 3 GB cannot spend 200 MB on a long KV cache, and a
//! phone with 12 GB should not page out a step log it could keep; the tier decides.

use std::path::PathBuf;

const GIB: u64 = 1 << 30;

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
    /// Keep the KV cache between steps and evaluate only the prompt's new suffix. Off only to
    /// measure what it saves.
    pub reuse_prefix: bool,
    /// Where the evaluated system prompt is saved, keyed by model and prompt, so a cold start
    /// loads it instead of evaluating it; `None` turns saving off.
    pub prefix_cache_dir: Option<PathBuf>,
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
            reuse_prefix: true,
            prefix_cache_dir: None,
            use_mmap: false,
        }
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
