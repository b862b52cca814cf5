//! The on-device planner on a model with Qwen2.5-0.5B-Instruct's exact shapes and vocabulary
//! (random weights, Q4_0 by default), over a simulated-phone task, side by side in one run:
//! with prefix caching and without, the fast grammar path and the full pass, and a bare
//! llama.cpp loop on the same prompt (three times, between the planner's runs). It also reads
//! the process's peak memory over a fresh process's first task and over one later task.
//! BENCHMARKS.md quotes its output.
//!
//! ```sh
//! cargo bench -p lobster-tests --bench local_planner -- [--model PATH] [--task NAME] \
//!     [--threads N] [--quant q4_0|q8_0] [--micro-batch N] [--mmap] [--kv-q8]
//! ```
//!
//! Without `--model` the model is generated once from `../shared/tokenizer/qwen_tokenizer.json`
//! into `target/bench-models/`. Random weights choose random actions, so the agent acts on the
//! test-only solver's choice while the local planner plans every step in its shadow: the
//! prompts, the caching and the decoding are the real ones; only the choice is discarded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lobster_core::agent::{
    Agent, AgentConfig, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo, TaskStatus,
};
use lobster_core::planner::{
    GrammarCheck, KvCacheKind, LocalOptions, LocalPlanner, PlanError, PlannedAction, Planner,
    StepRequest, StepStats, TaskPlan, TaskRequest, reference_run,
};
use lobster_models::{ModelSpec, Quant, generate};
use lobster_sim::{Faults, SimTask};
use lobster_tests::SolverPlanner;

struct Args {
    model: Option<PathBuf>,
    task: String,
    threads: u32,
    quant: Quant,
    micro_batch: Option<u32>,
    mmap: bool,
    kv_q8: bool,
    /// `--device-ram-mib N`: start from the options the library picks for a phone reporting N
    /// MiB (`LocalOptions::for_device_ram`: context, KV cache) instead of the defaults.
    device_ram_mib: Option<u64>,
}

fn args() -> Args {
    let mut args = Args {
        model: None,
        task: "text_number".into(),
        threads: 2,
        quant: Quant::Q4_0,
        micro_batch: None,
        mmap: false,
        kv_q8: false,
        device_ram_mib: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--model" => args.model = words.next().map(PathBuf::from),
            "--task" => args.task = words.next().unwrap(),
            "--threads" => args.threads = words.next().unwrap().parse().unwrap(),
            "--mmap" => args.mmap = true,
            "--kv-q8" => args.kv_q8 = true,
            "--device-ram-mib" => {
                args.device_ram_mib = Some(words.next().unwrap().parse().unwrap());
            }
            "--micro-batch" => args.micro_batch = Some(words.next().unwrap().parse().unwrap()),
            "--quant" => {
                args.quant = match words.next().unwrap().as_str() {
                    "q8_0" => Quant::Q8_0,
                    _ => Quant::Q4_0,
                }
            }
            _ => {} // cargo's own `--bench`
        }
    }
    args
}

/// The model: given, or generated once into target/bench-models.
fn model(args: &Args) -> PathBuf {
    if let Some(path) = &args.model {
        return path.clone();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tokenizer = root.join("../shared/tokenizer/qwen_tokenizer.json");
    assert!(
        tokenizer.is_file(),
        "pass --model PATH, or run beside ../shared (the Qwen tokenizer builds the model)"
    );
    let quant = match args.quant {
        Quant::Q8_0 => "q8_0",
        _ => "q4_0",
    };
    let spec = ModelSpec::qwen2_5_0_5b(args.quant, tokenizer);
    let out = root.join(format!(
        "target/bench-models/qwen2.5-0.5b-shape-{quant}-{}.gguf",
        spec.fingerprint()
    ));
    if !out.is_file() {
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let clock = Instant::now();
        generate(&spec, &out).unwrap();
        eprintln!("generated {} in {:.1?}", out.display(), clock.elapsed());
    }
    out
}

/// Plans every step with the local planner, then acts on the solver's choice.
/// Actions the planner's model wrote past its token allowance, over the whole run.
static RAN_LONG: AtomicUsize = AtomicUsize::new(0);

struct Shadow {
    local: LocalPlanner,
    solver: SolverPlanner,
    steps: Vec<(StepStats, Duration)>,
}

impl Planner for Shadow {
    fn name(&self) -> &str {
        "local"
    }

    fn plan_task(
        &mut self,
        request: &TaskRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<TaskPlan, PlanError> {
        self.solver.plan_task(request, cancel)
    }

    fn next_action(
        &mut self,
        request: &StepRequest<'_>,
        cancel: &CancelToken,
    ) -> Result<PlannedAction, PlanError> {
        let clock = Instant::now();
        let local = self.local.next_action(request, cancel);
        let took = clock.elapsed();
        if let Err(error) = &local {
            // Random weights may write a text argument until the token allowance runs out:
            // the step's costs still count; any other invalid output is a grammar fault.
            let ran_long = error.to_string().contains("ran past");
            assert!(
                ran_long || !matches!(error, PlanError::InvalidOutput(_)),
                "the grammar let an invalid action through: {error}"
            );
            RAN_LONG.fetch_add(usize::from(ran_long), Ordering::Relaxed);
        }
        self.steps
            .push((self.local.last_stats().cloned().unwrap_or_default(), took));
        self.solver.next_action(request, cancel)
    }
}

/// Says yes to every confirmation (the user wants the task done; the bench measures planning).
struct AllowAll;

impl AgentListener for AllowAll {
    fn on_event(&self, _event: &AgentEvent) {}

    fn confirm(&self, _request: &Confirmation) -> bool {
        true
    }
}

struct Run {
    label: &'static str,
    steps: Vec<(StepStats, Duration)>,
    last_prompt: String,
}

fn run(task: &SimTask, model: &Path, options: LocalOptions, check: GrammarCheck) -> Run {
    let mut local = LocalPlanner::load(model, options).unwrap();
    local.set_grammar_check(check);
    let mut sim = task.sim(Faults::none());
    let solver = SolverPlanner::ui_only(task, sim.handle());
    let mut shadow = Shadow {
        local,
        solver,
        steps: Vec::new(),
    };
    let listener = AllowAll;
    let result = Agent::new(AgentConfig {
        settle_interval: Duration::from_millis(1),
        ..AgentConfig::default()
    })
    .run(
        &task.goal,
        TaskIo {
            device: &mut sim,
            planner: &mut shadow,
            listener: &listener as &dyn AgentListener,
            cancel: &CancelToken::new(),
            trajectory: None,
        },
    );
    let answer = match &result.status {
        TaskStatus::Succeeded { answer } if !answer.is_empty() => Some(answer.as_str()),
        _ => None,
    };
    let handle = sim.handle();
    let state = handle.lock();
    assert!(
        task.check(&state, answer).is_ok(),
        "the solver's task failed: {:?}",
        result.status
    );
    Run {
        label: "",
        last_prompt: shadow.local.last_prompt().unwrap_or_default().to_owned(),
        steps: shadow.steps,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A figure of this process's memory from /proc/self/status (Linux and Android), in MiB:
/// `VmHWM` is the peak resident size, `VmRSS` the current one.
fn memory_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Restarts the peak (`VmHWM`) from the current resident size, so a later reading covers only
/// what ran in between (Linux 4.0+: writing 5 to clear_refs).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() {
    let args = args();
    let model = model(&args);
    let task = SimTask::named(&args.task, 1).expect("a sim task name (see `lobster sim list`)");
    let base = match args.device_ram_mib {
        Some(mib) => LocalOptions::for_device_ram(mib << 20),
        None => LocalOptions {
            context_length: 4096,
            ..LocalOptions::default()
        },
    };
    let options = LocalOptions {
        threads: args.threads,
        micro_batch_size: args.micro_batch.unwrap_or(base.micro_batch_size),
        use_mmap: args.mmap,
        kv_cache: if args.kv_q8 {
            KvCacheKind::Q8_0
        } else {
            base.kv_cache
        },
        ..base
    };
    let file_mb = std::fs::metadata(&model).unwrap().len() as f64 / (1024.0 * 1024.0);
    println!(
        "model {} ({file_mb:.0} MiB), task {}, {} threads, {} context, micro-batch {}, mmap {}, \
         KV {:?}",
        model.display(),
        task.name,
        args.threads,
        options.context_length,
        options.micro_batch_size,
        options.use_mmap,
        options.kv_cache
    );

    // The system prompt's evaluated state is saved on a model's first task and loaded by every
    // later one: a first (cold) run saves it, the measured run loads it.
    let prefix_dir = model.with_file_name("prefix-cache");
    let _ = std::fs::remove_dir_all(&prefix_dir);
    let saving = LocalOptions {
        prefix_cache_dir: Some(prefix_dir),
        ..options.clone()
    };
    // The bare llama.cpp loop runs three times, spread over the bench (after the prefix-cache
    // runs, between the uncached and the GBNF runs, and at the end), on the first task's last
    // prompt, so the machine's drift weighs on both sides alike; its figures are the medians.
    let bare = |prompt: &str| reference_run(&model, &options, prompt, 64).unwrap();
    let at_start = memory_mb("VmRSS:");
    let mut cold = run(&task, &model, saving.clone(), GrammarCheck::TokenMask);
    cold.label = "prefix cache, first task (saves the system prompt)";
    let first_peak = memory_mb("VmHWM:");
    // The memory figure covers one planner's whole life: loading, every step, dropping.
    let before = memory_mb("VmRSS:");
    let peak_is_fresh = reset_peak_rss();
    let mut cached = run(&task, &model, saving, GrammarCheck::TokenMask);
    cached.label = "prefix cache, later task (loads it)";
    let peak = memory_mb("VmHWM:");
    let mut references = vec![bare(&cold.last_prompt)];
    let mut uncached = run(
        &task,
        &model,
        LocalOptions {
            reuse_prefix: false,
            ..options.clone()
        },
        GrammarCheck::TokenMask,
    );
    uncached.label = "no prefix cache";
    references.push(bare(&cold.last_prompt));
    let mut full = run(
        &task,
        &model,
        options.clone(),
        GrammarCheck::WholeVocabulary,
    );
    full.label = "prefix cache, llama.cpp GBNF sampler on every token";

    println!(
        "\n| run | steps | mean evaluated tokens/step | median evaluated | mean step ms | median step ms | steps 2+ mean ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    for run in [&cold, &cached, &uncached, &full] {
        let evaluated: Vec<f64> = run
            .steps
            .iter()
            .map(|(stats, _)| stats.evaluated_tokens as f64)
            .collect();
        let times: Vec<f64> = run.steps.iter().map(|(_, took)| ms(*took)).collect();
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            run.label,
            run.steps.len(),
            mean(&evaluated),
            median(evaluated.clone()),
            mean(&times),
            median(times.clone()),
            mean(&times[1.min(times.len())..]),
        );
    }
    println!(
        "\nevaluated tokens per step (prefix cache): {:?}",
        cached
            .steps
            .iter()
            .map(|(stats, _)| stats.evaluated_tokens)
            .collect::<Vec<_>>()
    );
    if let Some((last, _)) = cached.steps.last()
        && last.checkpoints > 0
    {
        // A recurrent model's checkpoints (Qwen3.5): what they hold, and what taking and
        // restoring them costs at most (prefill includes both).
        let times: Vec<f64> = cached
            .steps
            .iter()
            .map(|(stats, _)| ms(stats.checkpoint_time))
            .collect();
        println!(
            "checkpoints of the recurrent state held after the task: {} ({:.1} MiB); taking \
             and restoring them: {:.1} ms a step (median), {:.1} ms at most",
            last.checkpoints,
            last.checkpoint_bytes as f64 / f64::from(1 << 20),
            median(times.clone()),
            times.iter().copied().fold(0.0, f64::max)
        );
    }
    let prompt_file = model.with_file_name("last_prompt.txt");
    if std::fs::write(&prompt_file, &cached.last_prompt).is_ok() {
        println!("the last step's prompt: {}", prompt_file.display());
    }
    let later = |run: &Run| -> f64 {
        mean(
            &run.steps[1.min(run.steps.len())..]
                .iter()
                .map(|(_, took)| ms(*took))
                .collect::<Vec<_>>(),
        )
    };
    println!(
        "\ncached steps (2+) take {:.2}× the uncached time",
        later(&cached) / later(&uncached)
    );

    // Speeds: prefill from the uncached run (whole prompts), decode from the cached run.
    let prefill_tokens: usize = uncached.steps.iter().map(|(s, _)| s.evaluated_tokens).sum();
    let prefill_time: Duration = uncached.steps.iter().map(|(s, _)| s.prefill).sum();
    let generated: usize = cached.steps.iter().map(|(s, _)| s.generated_tokens).sum();
    let decode_time: Duration = cached.steps.iter().map(|(s, _)| s.decode).sum();
    let sampling_time: Duration = cached.steps.iter().map(|(s, _)| s.sampling).sum();
    let full_sampling: Duration = full.steps.iter().map(|(s, _)| s.sampling).sum();
    let full_generated: usize = full.steps.iter().map(|(s, _)| s.generated_tokens).sum();
    let choices = generated + cached.steps.len();
    let full_choices = full_generated + full.steps.len();
    let our_prefill = prefill_tokens as f64 / prefill_time.as_secs_f64();
    let our_decode = generated as f64 / decode_time.as_secs_f64();
    let decode_step_ms = ms(decode_time - sampling_time) / generated.max(1) as f64;

    references.push(bare(&cold.last_prompt));
    let bare_prefill = median(
        references
            .iter()
            .map(|r| r.prompt_tokens as f64 / r.prefill.as_secs_f64())
            .collect(),
    );
    let bare_decode = median(
        references
            .iter()
            .map(|r| r.generated_tokens as f64 / r.decode.as_secs_f64())
            .collect(),
    );
    let reference = &references[0];

    println!("\n| figure | planner | bare llama.cpp loop | planner / bare |");
    println!("|---|---|---|---|");
    println!(
        "| prefill tok/s | {our_prefill:.0} | {bare_prefill:.0} ({} tokens) | {:.2} |",
        reference.prompt_tokens,
        our_prefill / bare_prefill
    );
    println!(
        "| decode tok/s | {our_decode:.1} | {bare_decode:.1} | {:.2} |",
        our_decode / bare_decode
    );

    let per_action: Vec<f64> = cached
        .steps
        .iter()
        .map(|(s, _)| s.generated_tokens as f64)
        .collect();
    println!(
        "\ngrammar: {:.3} ms per token with llguidance masks ({choices} choices) vs {:.3} ms with \
         llama.cpp's GBNF sampler; a decode step is {decode_step_ms:.2} ms: masks {:.1} % of a \
         decode step, GBNF sampler {:.1} %",
        ms(sampling_time) / choices as f64,
        ms(full_sampling) / full_choices.max(1) as f64,
        100.0 * ms(sampling_time) / choices as f64 / decode_step_ms,
        100.0 * ms(full_sampling) / full_choices.max(1) as f64 / decode_step_ms,
    );
    println!(
        "generated tokens per action: median {:.0}, max {:.0}; actions that ran past the \
         allowance (random weights writing text): {}",
        median(per_action.clone()),
        per_action.iter().copied().fold(0.0, f64::max),
        RAN_LONG.load(Ordering::Relaxed)
    );
    if let (Some(peak), Some(at_start)) = (first_peak, at_start) {
        println!(
            "peak RSS of a fresh process through its first task: {peak:.0} MiB = model file + \
             {:.0} MiB (the process held {at_start:.0} MiB before loading)",
            peak - file_mb
        );
    }
    if let (Some(peak), Some(before)) = (peak, before) {
        let scope = if peak_is_fresh {
            format!("of the later task (load, {} steps)", cached.steps.len())
        } else {
            "of the process so far (clear_refs refused)".to_owned()
        };
        println!(
            "peak RSS {scope}: {peak:.0} MiB = model file + {:.0} MiB; the process held {before:.0} \
             MiB before loading",
            peak - file_mb
        );
    }
}
