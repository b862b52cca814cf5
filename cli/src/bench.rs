//! `lobster bench …`: benchmarks that print a report for BENCHMARKS.md.
//!
//! `tokens` is the encoder's scorecard on real screens: for every dump in a folder, Qwen tokens
//! of the encoded screen against the screen's own visible text (the information floor), and the
//! share of actionable nodes the planner can address. Counting tokens needs the real tokenizer,
//! which is why this lives in the CLI and not in a timed test.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use lobster_core::screen::{encode, reachability};

use crate::tokens::{TokenCounter, default_tokenizer_path};

/// The benchmarks.
#[derive(Subcommand)]
pub enum Bench {
    /// Tokens per encoded screen against the visible-text floor, for every dump in a folder.
    Tokens {
        /// Folder of dumps (default: ../shared/screens).
        #[arg(default_value = "../shared/screens")]
        dir: PathBuf,
        /// Qwen `tokenizer.json` (default: $LOBSTER_TOKENIZER or the shared one).
        #[arg(long)]
        tokenizer: Option<PathBuf>,
    },
}

/// Runs one benchmark.
pub fn run(bench: Bench) -> Result<()> {
    match bench {
        Bench::Tokens { dir, tokenizer } => tokens(&dir, tokenizer),
    }
}

/// One screen's figures.
struct Row {
    file: String,
    nodes: usize,
    /// Tokens of the dump file itself, the do-nothing baseline.
    raw: usize,
    tokens: usize,
    floor: usize,
    actionable: usize,
    reachable: usize,
}

fn tokens(dir: &Path, tokenizer: Option<PathBuf>) -> Result<()> {
    let Some(tokenizer) = tokenizer.or_else(default_tokenizer_path) else {
        bail!("no tokenizer: pass --tokenizer or set LOBSTER_TOKENIZER");
    };
    let counter = TokenCounter::load(&tokenizer)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| is_dump(path))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no dumps in {}", dir.display());
    }

    let mut rows = Vec::new();
    for path in &files {
        let imported = crate::read_dump(path)?;
        let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let snapshot = &imported.snapshot;
        let encoded = encode(snapshot, None);
        let reach = reachability(snapshot, &encoded);
        rows.push(Row {
            file: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            nodes: snapshot
                .windows
                .iter()
                .filter_map(|window| window.root.as_ref())
                .map(lobster_core::screen::count_nodes)
                .sum(),
            raw: counter.count(&String::from_utf8_lossy(&raw))?,
            tokens: counter.count(&encoded.text)?,
            floor: counter.count(&snapshot.visible_text_floor())?,
            actionable: reach.actionable,
            reachable: reach.reachable,
        });
    }

    println!("| screen | nodes | raw dump | tokens | floor | ratio | reachable |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {}/{} |",
            row.file,
            row.nodes,
            row.raw,
            row.tokens,
            row.floor,
            ratio(row),
            row.reachable,
            row.actionable
        );
    }
    let mut ratios: Vec<f64> = rows.iter().map(ratio).collect();
    ratios.sort_by(f64::total_cmp);
    let mut token_counts: Vec<usize> = rows.iter().map(|row| row.tokens).collect();
    token_counts.sort_unstable();
    let actionable: usize = rows.iter().map(|row| row.actionable).sum();
    let reachable: usize = rows.iter().map(|row| row.reachable).sum();
    println!();
    println!("screens: {}", rows.len());
    println!("median ratio (tokens / floor): {:.2}", median(&ratios));
    let mut shrink: Vec<f64> = rows
        .iter()
        .map(|row| row.raw as f64 / row.tokens.max(1) as f64)
        .collect();
    shrink.sort_by(f64::total_cmp);
    println!("median raw dump / encoded: {:.1}x", median(&shrink));
    println!("median tokens: {}", token_counts[token_counts.len() / 2]);
    println!(
        "max tokens: {}",
        token_counts.last().copied().unwrap_or_default()
    );
    println!(
        "reachable actionable nodes: {reachable}/{actionable} ({:.1} %)",
        100.0 * reachable as f64 / actionable.max(1) as f64
    );
    Ok(())
}

fn ratio(row: &Row) -> f64 {
    row.tokens as f64 / row.floor.max(1) as f64
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Dumps are the .xml and .json files, less the folder's own index.
fn is_dump(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    (name.ends_with(".xml") || name.ends_with(".json") || name.ends_with(".pb"))
        && name != "index.json"
}
