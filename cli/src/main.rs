//! `lobster`: the command-line face of the agent.
//!
//! `run` drives an agent task on the simulated phone and streams its steps; `plan` prints the
//! plan a planner makes for a goal; `eval` runs the sim's tasks with a planner and reports what
//! they cost, or (`--goals`) scores plans against a corpus; `replay` prints a recorded
//! trajectory; `encode` and `grammar` show exactly what the planner reads and may
//! answer for a dump of any supported format; `bench tokens` measures the encoder against the
//! information floor with the real Qwen tokenizer. Planner text goes to stdout and nothing else
//! does, so the output can be piped; statistics and warnings go to stderr.

mod actions;
mod bench;
mod corpus;
mod eval;
mod eval_goals;
mod models;
mod plan;
mod planners;
mod replay;
mod run;
mod tokens;
mod tools;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use lobster_core::action::{GrammarContext, ToolSet, grammar_for_screen};
use lobster_core::policy::GuardConfig;
use lobster_core::screen::import::{Imported, import};
use lobster_core::screen::{encode, reachability};

use crate::tokens::{TokenCounter, default_tokenizer_path};

/// Lobster, the on-device phone agent.
#[derive(Parser)]
#[command(name = "lobster", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `lobster actions …`.
#[derive(Subcommand)]
enum ActionsCommand {
    /// Validate a declaration: JSON Schema of parameters and results, ids unique and well
    /// formed, descriptions present and short, examples that fit their schema, confirmation
    /// consistent with side effect. Every error with its place; exit 1 when there is one.
    Check {
        /// The declaration document (JSON).
        file: PathBuf,
    },
    /// Print what the planner sees of each declared action.
    Show {
        /// The declaration document (JSON).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Run an agent task on a device, streaming its steps.
    Run(run::RunArgs),
    /// Print the plan a planner makes for a goal (routes: intents, app actions, UI steps).
    Plan(plan::PlanArgs),
    /// Run sim tasks × seeds × faults with a planner and report success, steps, model calls,
    /// tokens, time and routes; or score plans against a goal corpus (--goals FILE).
    Eval(eval::EvalArgs),
    /// List the tool catalog: arguments, what each tool does and returns, the tier its calls
    /// ask under, its sensitive category, what the phone needs.
    Tools {
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check an app's action declaration (the SDK's JSON document), or show what the planner
    /// sees of it.
    Actions {
        #[command(subcommand)]
        command: ActionsCommand,
    },
    /// The simulated phone.
    Sim {
        #[command(subcommand)]
        command: SimCommand,
    },
    /// Print a trajectory file written by `run --trajectory`.
    Replay {
        /// The trajectory file.
        file: PathBuf,
        /// Also print each step's screen as the planner saw it.
        #[arg(long)]
        screens: bool,
    },
    /// Print the planner's text for a screen dump (uiautomator XML, Appium XML, DroidBot JSON,
    /// DroidRun JSON, or a Lobster snapshot as protobuf or JSON).
    Encode {
        /// The dump to encode.
        file: PathBuf,
        /// Also print token, node and element counts on stderr.
        #[arg(long)]
        stats: bool,
        /// The screen before, to print the diff from it instead of the full screen.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Qwen `tokenizer.json` for `--stats` (default: $LOBSTER_TOKENIZER or
        /// ../shared/tokenizer/qwen_tokenizer.json).
        #[arg(long)]
        tokenizer: Option<PathBuf>,
    },
    /// Print the GBNF grammar that admits exactly the actions possible on a screen.
    Grammar {
        /// The dump of the screen.
        file: PathBuf,
        /// Installed app names `open "…"` may name (repeatable); any name when absent.
        #[arg(long = "app")]
        apps: Vec<String>,
    },
    /// Benchmarks that print a report.
    Bench {
        #[command(subcommand)]
        bench: bench::Bench,
    },
    /// Model files: list, pull, import, generate.
    Models {
        #[command(subcommand)]
        command: models::ModelsCommand,
    },
}

#[derive(Subcommand)]
enum SimCommand {
    /// List the sim's tasks.
    List {
        /// Seed for the tasks' parameters.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

fn main() -> std::process::ExitCode {
    quiet_on_closed_stdout();
    match run(Cli::parse()) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(error) => {
            eprintln!("lobster: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A reader that stops reading (`lobster tools | head`) closes the pipe; Rust's `println!`
/// then panics, since Rust ignores SIGPIPE. Such an ending is the reader's choice, not an
/// error: the process exits at once with 141, as a tool killed by SIGPIPE does, and says
/// nothing. Every other panic is reported as before.
fn quiet_on_closed_stdout() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        report(info);
    }));
}

/// Runs a command; `Ok(false)` when it ran but the task did not succeed.
fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Plan(args) => plan::plan(args),
        Command::Eval(args) => eval::eval(args),
        Command::Sim {
            command: SimCommand::List { seed },
        } => {
            run::list_tasks(seed);
            Ok(true)
        }
        Command::Tools { json } => tools::tools(json, &GuardConfig::default()).map(|()| true),
        Command::Actions {
            command: ActionsCommand::Check { file },
        } => actions::check(&file),
        Command::Actions {
            command: ActionsCommand::Show { file },
        } => actions::show(&file),
        Command::Replay { file, screens } => replay::replay(&file, screens).map(|()| true),
        Command::Encode {
            file,
            stats,
            previous,
            tokenizer,
        } => encode_command(&file, stats, previous.as_deref(), tokenizer.as_deref()).map(|()| true),
        Command::Grammar { file, apps } => {
            let imported = read_dump(&file)?;
            let screen = encode(&imported.snapshot, None);
            let context = GrammarContext {
                installed_apps: (!apps.is_empty()).then_some(apps),
                app_actions: Vec::new(),
                app_action_arguments: Default::default(),
                allow_ask: true,
                allow_intents: true,
                allow_swipe: true,
                tools: ToolSet::ALL,
            };
            print_stdout(&grammar_for_screen(&screen.elements, &context)).map(|()| true)
        }
        Command::Bench { bench } => bench::run(bench).map(|()| true),
        Command::Models { command } => models::run(command).map(|()| true),
    }
}

/// Reads and imports a dump, reporting import warnings on stderr.
pub fn read_dump(path: &Path) -> Result<Imported> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let imported = import(&bytes).with_context(|| format!("importing {}", path.display()))?;
    for warning in &imported.warnings {
        eprintln!("lobster: warning: {}: {warning}", path.display());
    }
    Ok(imported)
}

fn encode_command(
    file: &Path,
    stats: bool,
    previous: Option<&Path>,
    tokenizer: Option<&Path>,
) -> Result<()> {
    let imported = read_dump(file)?;
    let (text, encoded) = match previous {
        Some(previous) => {
            let before = encode(&read_dump(previous)?.snapshot, None);
            let after = encode(&imported.snapshot, Some(&before));
            (
                lobster_core::screen::diff(&before, &after).to_string(),
                after,
            )
        }
        None => {
            let encoded = encode(&imported.snapshot, None);
            (encoded.text.clone(), encoded)
        }
    };
    print_stdout(&text)?;
    if stats {
        let snapshot = &imported.snapshot;
        let nodes: usize = snapshot
            .windows
            .iter()
            .filter_map(|window| window.root.as_ref())
            .map(lobster_core::screen::count_nodes)
            .sum();
        let reach = reachability(snapshot, &encoded);
        eprintln!(
            "format: {:?}\nwindows: {}\nnodes: {nodes}\nelements: {}\nreachable: {}/{} actionable",
            imported.format,
            snapshot.windows.len(),
            encoded.elements.len(),
            reach.reachable,
            reach.actionable,
        );
        let path = tokenizer
            .map(Path::to_path_buf)
            .or_else(default_tokenizer_path);
        match path {
            Some(path) => {
                let counter = TokenCounter::load(&path)?;
                let tokens = counter.count(&text)?;
                let floor = counter.count(&snapshot.visible_text_floor())?;
                eprintln!(
                    "tokens: {tokens}\nfloor tokens: {floor}\nratio: {:.2}",
                    tokens as f64 / floor.max(1) as f64
                );
            }
            None => eprintln!(
                "tokens: unknown (no tokenizer: pass --tokenizer or set LOBSTER_TOKENIZER)\n\
                 estimated tokens: {}",
                lobster_core::screen::estimate_tokens(&text)
            ),
        }
    }
    Ok(())
}

fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")?;
    stdout.flush()?;
    Ok(())
}
