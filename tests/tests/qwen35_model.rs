//! Generated Qwen3.5 models (`qwen35`: Gated DeltaNet + full attention, hybrid memory) through
//! the real llama.cpp: the tiny one loads, evaluates a prompt and decodes; the on-device
//! planner runs sim tasks on it with every action admitted by its screen's grammar, and from
//! the second step on evaluates only the new part of the prompt, going back to a checkpoint of
//! the recurrent state where the prompt parts from the cache (recurrent layers cannot drop a
//! suffix); a cancelled step leaves the next one as a fresh planner would answer it. With
//! `LOBSTER_QWEN35_MODEL` set to a generated 0.8B or 2B file, an ignored test loads it and times
//! prefill and decode.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use lobster_core::agent::{Agent, CancelToken, TaskIo};
use lobster_core::planner::{LocalOptions, LocalPlanner, PlanError, StepStats, reference_run};
use lobster_models::gguf::GgufHeader;
use lobster_sim::Faults;
use lobster_tests::{
    CheckedPlanner, EventLog, TwoSteps, local_test_options as options, sim_config,
};

fn tiny_qwen35() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        lobster_models::tiny_qwen35_model_path().expect("generate the tiny Qwen3.5 model")
    })
    .clone()
}

const PROMPT: &str = "<|im_start|>system\nYou operate a phone.<|im_end|>\n<|im_start|>user\n\
                      Turn off Wi-Fi. Screen: [1] Settings [2] Wi-Fi on [3] Bluetooth<|im_end|>\n\
                      <|im_start|>assistant\n";

#[test]
fn the_tiny_qwen35_model_loads_evaluates_and_decodes() {
    let path = tiny_qwen35();
    let header = GgufHeader::read_path(&path, false).unwrap();
    assert_eq!(header.architecture(), Some("qwen35"));
    let run = reference_run(&path, &options(), PROMPT, 8).unwrap();
    // The control tokens are parsed whole, so the prompt is far shorter than its bytes.
    assert!(
        run.prompt_tokens > 10 && run.prompt_tokens < PROMPT.len() / 2,
        "{} prompt tokens",
        run.prompt_tokens
    );
    assert_eq!(run.generated_tokens, 8);
}

#[test]
fn a_first_planner_step_on_qwen35_holds_to_the_screens_grammar() {
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(&tiny_qwen35(), options()).unwrap();
    let planned = steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    steps.assert_on_screen(&planned, false);
    let stats = planner.last_stats().unwrap();
    assert_eq!(stats.reused_tokens, 0);
    assert_eq!(stats.evaluated_tokens, stats.prompt_tokens);
    assert!(stats.generated_tokens >= 1);
}

#[test]
fn sim_steps_on_qwen35_hold_to_the_grammar_and_evaluate_only_the_new_prompt() {
    let planner = LocalPlanner::load(&tiny_qwen35(), options()).unwrap();
    let mut checked = CheckedPlanner::new(planner);
    let (actions, stats) = (checked.actions(), checked.stats());
    let mut rejected = Vec::new();
    for task in lobster_sim::tasks().into_iter().take(4) {
        let mut sim = task.sim(Faults::none());
        let events = EventLog::new(false);
        let _ = Agent::new(sim_config(5)).run(
            &task.goal,
            TaskIo {
                device: &mut sim,
                planner: &mut checked,
                listener: &events,
                cancel: &CancelToken::new(),
                trajectory: None,
            },
        );
        rejected.extend(events.rejections());
    }
    assert!(rejected.is_empty(), "rejected: {rejected:?}");
    let stats = stats.lock().unwrap();
    assert!(
        actions.lock().unwrap().len() >= 8,
        "{:?}",
        actions.lock().unwrap()
    );
    // The first step evaluates everything; every later one, of its task or the next (which
    // shares the system prompt), goes back to a checkpoint and evaluates only the rest.
    assert_eq!(stats[0].reused_tokens, 0);
    for (index, step) in stats.iter().enumerate().skip(1) {
        assert!(
            step.reused_tokens > 0 && step.evaluated_tokens < step.prompt_tokens,
            "step {index}: {} of {} prompt tokens evaluated",
            step.evaluated_tokens,
            step.prompt_tokens
        );
    }
    assert!(
        stats
            .iter()
            .all(|step| step.checkpoints >= 1 && step.checkpoint_bytes > 0)
    );
    let median = |mut values: Vec<usize>| {
        values.sort_unstable();
        values[values.len() / 2]
    };
    eprintln!(
        "{} steps; evaluated tokens per step after the first, median {} of {} prompt tokens; \
         checkpoints held {} ({} bytes)",
        stats.len(),
        median(
            stats[1..]
                .iter()
                .map(|step| step.evaluated_tokens)
                .collect()
        ),
        median(stats[1..].iter().map(|step| step.prompt_tokens).collect()),
        stats.last().unwrap().checkpoints,
        stats.last().unwrap().checkpoint_bytes,
    );
}

#[test]
fn a_cancelled_qwen35_step_leaves_the_next_one_as_a_fresh_planner_answers_it() {
    let steps = TwoSteps::new();
    let fresh = || {
        // Small batches: the worker is busy between many short chunks when the cancel comes.
        LocalPlanner::load(
            &tiny_qwen35(),
            LocalOptions {
                batch_size: 4,
                micro_batch_size: 4,
                ..options()
            },
        )
        .unwrap()
    };
    let mut reference = fresh();
    steps
        .ask(&mut reference, false, &CancelToken::new())
        .unwrap();
    let clock = Instant::now();
    let expected = steps
        .ask(&mut reference, true, &CancelToken::new())
        .unwrap();
    let uncancelled = clock.elapsed();

    let mut planner = fresh();
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        let delay = uncancelled / 4;
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            cancel.cancel();
        })
    };
    let result = steps.ask(&mut planner, true, &cancel);
    canceller.join().unwrap();
    assert!(matches!(result, Err(PlanError::Cancelled)), "{result:?}");
    // Asked again, the step is answered from a state as good as new: the same action, the
    // same tokens and the same log-probability as the planner that was never cancelled.
    let again = steps.ask(&mut planner, true, &CancelToken::new()).unwrap();
    assert_eq!(again.action, expected.action);
    let (a, b) = (
        planner.last_stats().unwrap(),
        reference.last_stats().unwrap(),
    );
    assert_same_answer(a, b);
    assert!(a.reused_tokens > 0, "the checkpoint was not used: {a:?}");
}

/// Two steps answered alike: the same number of tokens with the same log-probability, equal up
/// to rounding (a prompt evaluated in other chunks sums the DeltaNet layers a chunk at a time;
/// a corrupted state is off by whole units).
fn assert_same_answer(a: &StepStats, b: &StepStats) {
    assert_eq!(a.generated_tokens, b.generated_tokens);
    assert!(
        (a.mean_logprob - b.mean_logprob).abs() < 1e-2,
        "{} against {}",
        a.mean_logprob,
        b.mean_logprob
    );
}

/// With the system prompt saved, a Qwen3.5 planner holds one checkpoint (the newest prompt's
/// end), not also the system prompt's (19 MiB on the 0.8B): a prompt that parts from the cache
/// before it (the next task, a compacted history) loads the system prompt's state from its file,
/// and is answered as it was the first time.
#[test]
fn going_back_before_the_checkpoint_held_loads_the_saved_system_prompt() {
    let dir = std::env::temp_dir().join(format!("lobster-qwen35-prefix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let steps = TwoSteps::new();
    let cancel = CancelToken::new();
    let mut planner = LocalPlanner::load(
        &tiny_qwen35(),
        LocalOptions {
            prefix_cache_dir: Some(dir.clone()),
            ..options()
        },
    )
    .unwrap();
    let first = steps.ask(&mut planner, false, &cancel).unwrap();
    let one = planner.last_stats().unwrap().clone();
    assert_eq!(one.loaded_prefix_tokens, 0);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "the saved system prompt"
    );
    assert_eq!(
        one.checkpoints, 1,
        "the system prompt's end is in its file, not in memory"
    );
    steps.ask(&mut planner, true, &cancel).unwrap();
    let two = planner.last_stats().unwrap().clone();
    assert!(two.reused_tokens > one.prompt_tokens / 2, "{two:?}");
    assert_eq!(two.loaded_prefix_tokens, 0);
    assert_eq!(two.checkpoints, 1);
    // The first screen again: its prompt parts from the cache before the one checkpoint held.
    let again = steps.ask(&mut planner, false, &cancel).unwrap();
    let three = planner.last_stats().unwrap().clone();
    assert!(three.loaded_prefix_tokens > 0, "{three:?}");
    assert_eq!(three.reused_tokens, three.loaded_prefix_tokens);
    assert!(three.evaluated_tokens < three.prompt_tokens);
    assert_eq!(three.prompt_tokens, one.prompt_tokens);
    assert_eq!(again.action, first.action);
    assert_same_answer(&three, &one);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A ChatML prompt read back into its turns: `(role, content)` in order, and whether it ends
/// with an open assistant turn (the generation prompt), with what follows that header.
fn chatml_turns(prompt: &str) -> (Vec<(String, String)>, Option<String>) {
    let mut turns = Vec::new();
    let mut open = None;
    for part in prompt.split("<|im_start|>").skip(1) {
        let (role, rest) = part.split_once('\n').unwrap();
        match rest.strip_suffix("<|im_end|>\n") {
            Some(content) => turns.push((role.to_owned(), content.to_owned())),
            None => {
                assert_eq!(
                    role, "assistant",
                    "an unclosed turn that is not the answer's"
                );
                open = Some(rest.to_owned());
            }
        }
    }
    (turns, open)
}

/// `template` (Jinja) rendered over `turns` with the generation prompt, and `enable_thinking`
/// set when it is `Some`.
fn render_jinja(
    template: &str,
    turns: &[(String, String)],
    enable_thinking: Option<bool>,
) -> String {
    let mut env = minijinja::Environment::new();
    env.add_template("chat", template).unwrap();
    let messages: Vec<_> = turns
        .iter()
        .map(|(role, content)| minijinja::context! { role => role, content => content })
        .collect();
    let chat = env.get_template("chat").unwrap();
    match enable_thinking {
        Some(on) => chat.render(minijinja::context! {
            messages => messages, add_generation_prompt => true, enable_thinking => on
        }),
        None => chat.render(minijinja::context! {
            messages => messages, add_generation_prompt => true
        }),
    }
    .unwrap()
}

/// The generated Qwen3.5 model carries a template with Qwen3.5-0.8B/2B's generation prompt
/// (thinking off unless asked: an empty, closed block after the assistant's header). The
/// planner's prompt is exactly what that Jinja template renders with thinking off (and by
/// default), never what it renders with thinking on; the grammar starts after the block.
#[test]
fn the_prompt_of_a_qwen35_gguf_ends_as_its_template_says_with_thinking_off() {
    let path = tiny_qwen35();
    let header = GgufHeader::read_path(&path, false).unwrap();
    let template = header
        .get_str("tokenizer.chat_template")
        .unwrap()
        .to_owned();
    assert!(template.contains("enable_thinking"), "{template}");
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(&path, options()).unwrap();
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    let first = planner.last_stats().unwrap().prompt_tokens;
    let prompt = planner.last_prompt().unwrap().to_owned();
    let (turns, answer) = chatml_turns(&prompt);
    assert_eq!(
        answer.as_deref(),
        Some("<think>\n\n</think>\n\n"),
        "{prompt:?}"
    );
    assert_eq!(turns.len(), 2, "{prompt:?}");
    assert_eq!(render_jinja(&template, &turns, None), prompt);
    assert_eq!(render_jinja(&template, &turns, Some(false)), prompt);
    let thinking = render_jinja(&template, &turns, Some(true));
    assert!(
        thinking.ends_with("<|im_start|>assistant\n<think>\n"),
        "{thinking:?}"
    );
    assert_ne!(thinking, prompt);
    // The answer follows the block (the grammar starts after it).
    assert!(planner.last_stats().unwrap().generated_tokens > 0);

    // The next step's prompt writes the earlier answer without the block (the template writes
    // turns before the last user message so), and the checkpoint sits where the block starts:
    // all of the first prompt but the block is reused.
    steps.ask(&mut planner, true, &CancelToken::new()).unwrap();
    let prompt = planner.last_prompt().unwrap().to_owned();
    assert_eq!(prompt.matches("<think>").count(), 1, "{prompt:?}");
    let (turns, _) = chatml_turns(&prompt);
    assert_eq!(turns.len(), 4, "{prompt:?}");
    assert_eq!(render_jinja(&template, &turns, Some(false)), prompt);
    let stats = planner.last_stats().unwrap();
    assert!(
        stats.reused_tokens < first && stats.reused_tokens + 32 > first,
        "{} reused of the first prompt's {first} tokens",
        stats.reused_tokens
    );

    // A template without a thinking block (llama.cpp's built-in ChatML, named) gets none.
    let mut plain = LocalPlanner::load(
        &path,
        LocalOptions {
            chat_template: Some("chatml".into()),
            ..options()
        },
    )
    .unwrap();
    steps.ask(&mut plain, false, &CancelToken::new()).unwrap();
    assert!(!plain.last_prompt().unwrap().contains("<think>"));
}

/// Loads a real-sized generated Qwen3.5 model and times one prompt's prefill and 32 decoded
/// tokens with 2 threads; with `LOBSTER_BASELINE_MODEL` (e.g. a generated qwen2.5-0.5b) it
/// times that model on the same prompt in the same run, for comparison:
///
/// ```sh
/// lobster models generate qwen3.5-0.8b --out /work/models/qwen3.5-0.8b-random-q4_0.gguf
/// LOBSTER_QWEN35_MODEL=/work/models/qwen3.5-0.8b-random-q4_0.gguf \
///     cargo test -p lobster-tests --test qwen35_model -- --ignored --nocapture
/// ```
#[test]
#[ignore = "needs LOBSTER_QWEN35_MODEL: a generated qwen3.5-0.8b or qwen3.5-2b file"]
fn a_real_sized_qwen35_model_loads_and_decodes() {
    let path = PathBuf::from(
        std::env::var_os("LOBSTER_QWEN35_MODEL").expect("set LOBSTER_QWEN35_MODEL to a GGUF"),
    );
    let header = GgufHeader::read_path(&path, false).unwrap();
    assert_eq!(header.architecture(), Some("qwen35"));
    let prompt = PROMPT.repeat(8);
    time_model(&path, &prompt);
    if let Some(baseline) = std::env::var_os("LOBSTER_BASELINE_MODEL") {
        time_model(&PathBuf::from(baseline), &prompt);
        time_model(&path, &prompt);
    }
}

/// Times prefill of `prompt` and 32 decoded tokens on `path`, and prints the figures.
fn time_model(path: &std::path::Path, prompt: &str) {
    let header = GgufHeader::read_path(path, false).unwrap();
    let start = Instant::now();
    let run = reference_run(path, &options(), prompt, 32).unwrap();
    let total = start.elapsed();
    assert_eq!(run.generated_tokens, 32);
    eprintln!(
        "{} ({}): {} bytes; {} prompt tokens in {:.3} s ({:.1} tok/s); {} decoded in {:.3} s \
         ({:.1} ms/token, {:.1} tok/s); load + run {:.2} s",
        path.display(),
        header.architecture().unwrap_or("?"),
        header.file_size,
        run.prompt_tokens,
        run.prefill.as_secs_f64(),
        run.prompt_tokens as f64 / run.prefill.as_secs_f64(),
        run.generated_tokens,
        run.decode.as_secs_f64(),
        run.decode.as_secs_f64() * 1000.0 / run.generated_tokens as f64,
        run.generated_tokens as f64 / run.decode.as_secs_f64(),
        total.as_secs_f64()
    );
}
