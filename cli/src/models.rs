//! `lobster models`: the model files the on-device planner runs.
//!
//! `list` shows the manifest of supported Qwen GGUFs and what is installed; `pull` downloads a
//! model (resumable, verified); `import` installs a GGUF the user already has; `generate`
//! writes a random-weight Qwen2, Qwen3 or Qwen3.5 model with real shapes and vocabulary, which
//! is how the tests' tiny models and the benchmarks' Qwen2.5-0.5B-, Qwen3-0.6B-, Qwen3.5-0.8B-
//! and 2B-shaped models are made. Results go to stdout, progress to stderr.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lobster_models::{
    Manifest, ModelSpec, ModelStore, Progress, PullOptions, Quant, Qwen35Shape, Qwen35Spec, Shape,
    generate, generate_qwen35, pull,
};

use crate::print_stdout;
use crate::tokens::default_tokenizer_path;

/// `lobster models …`.
#[derive(Subcommand)]
pub enum ModelsCommand {
    /// List the supported models, which are installed, and where.
    List,
    /// Download a model from the manifest into the models directory (resumes a partial
    /// download; verifies size, SHA-256 where known, GGUF header and architecture).
    Pull {
        /// The model's name (`lobster models list`).
        name: String,
        /// Download from this URL instead of the manifest's (a mirror).
        #[arg(long)]
        url: Option<String>,
    },
    /// Install a GGUF file you already have into the models directory.
    Import {
        /// The GGUF file.
        path: PathBuf,
        /// The name to install it under (default: the file name without `.gguf`); a manifest
        /// name also checks the file against the manifest.
        #[arg(long)]
        name: Option<String>,
    },
    /// Write a Qwen2, Qwen3 or Qwen3.5 model with random weights: real shapes, tensor names,
    /// metadata and vocabulary size, for tests and benchmarks.
    Generate {
        /// The shape: `tiny` (tests) or `qwen2.5-0.5b` (Qwen2.5-0.5B-Instruct's shapes); for
        /// Qwen3 (architecture `qwen3`), `qwen3-tiny` (tests) or `qwen3-0.6b`; for Qwen3.5
        /// (architecture `qwen35`), `qwen3.5-tiny` (tests), `qwen3.5-0.8b` or `qwen3.5-2b`.
        #[arg(value_enum)]
        shape: ShapeArg,
        /// Storage of the linear weights and the embedding (default: q8_0 for the tiny shapes,
        /// q4_0 for the others; a Qwen3-0.6B or Qwen3.5 q4_0 file keeps its tied embedding at
        /// q8_0).
        #[arg(long, value_enum)]
        quant: Option<QuantArg>,
        /// Qwen `tokenizer.json` for the real-sized shapes (default: $LOBSTER_TOKENIZER or
        /// ../shared/tokenizer/qwen_tokenizer.json); the Qwen3.5 shapes pad its vocabulary to
        /// Qwen3.5's 248,320 rows.
        #[arg(long)]
        tokenizer: Option<PathBuf>,
        /// Random seed (the same seed gives the same file).
        #[arg(long)]
        seed: Option<u64>,
        /// Where to write the GGUF.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Shapes `generate` accepts.
#[derive(Clone, Copy, ValueEnum)]
pub enum ShapeArg {
    /// A few hundred kilobytes, built-in vocabulary.
    Tiny,
    /// Qwen2.5-0.5B-Instruct's shapes and vocabulary.
    #[value(name = "qwen2.5-0.5b")]
    Qwen2_5_0_5b,
    /// Qwen3 (`qwen3`) in miniature: 4 heads of 32 on a 64-wide model, built-in vocabulary.
    #[value(name = "qwen3-tiny")]
    Qwen3Tiny,
    /// Qwen3-0.6B's shapes and vocabulary (Qwen's 151,936 rows, tied output head).
    #[value(name = "qwen3-0.6b")]
    Qwen3_0_6b,
    /// Qwen3.5 (`qwen35`) in miniature: 3 DeltaNet + 1 attention layer, built-in vocabulary.
    #[value(name = "qwen3.5-tiny")]
    Qwen3_5Tiny,
    /// Qwen3.5-0.8B's shapes, Qwen2.5's vocabulary padded to 248,320 rows.
    #[value(name = "qwen3.5-0.8b")]
    Qwen3_5_0_8b,
    /// Qwen3.5-2B's shapes, Qwen2.5's vocabulary padded to 248,320 rows.
    #[value(name = "qwen3.5-2b")]
    Qwen3_5_2b,
}

/// Quantisations `generate` accepts.
#[derive(Clone, Copy, ValueEnum)]
pub enum QuantArg {
    /// ggml Q4_0.
    #[value(name = "q4_0")]
    Q4_0,
    /// ggml Q8_0.
    #[value(name = "q8_0")]
    Q8_0,
    /// 32-bit floats.
    F32,
}

/// Runs a `lobster models` command.
pub fn run(command: ModelsCommand) -> Result<()> {
    match command {
        ModelsCommand::List => list(),
        ModelsCommand::Pull { name, url } => pull_command(&name, url),
        ModelsCommand::Import { path, name } => import(&path, name.as_deref()),
        ModelsCommand::Generate {
            shape,
            quant,
            tokenizer,
            seed,
            out,
        } => generate_command(shape, quant, tokenizer, seed, &out),
    }
}

fn store() -> Result<ModelStore> {
    Ok(ModelStore::open_default()?)
}

/// `428.7 MB` style sizes.
fn human_size(bytes: u64) -> String {
    let bytes = bytes as f64;
    if bytes >= 1e9 {
        format!("{:.2} GB", bytes / 1e9)
    } else if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.1} kB", bytes / 1e3)
    }
}

fn list() -> Result<()> {
    let manifest = Manifest::builtin()?;
    let store = store()?;
    let installed = store.installed()?;
    let mut text = format!("models directory: {}\n", store.dir().display());
    text.push_str(&format!(
        "  {:<30} {:<7} {:<9} {:<5} {}\n",
        "NAME", "QUANT", "SIZE", "RAM", "INSTALLED"
    ));
    for entry in &manifest.models {
        let marker = if entry.name == manifest.default {
            '*'
        } else {
            ' '
        };
        let size = entry.size.map_or_else(|| "unknown".to_owned(), human_size);
        let state = match installed.iter().find(|model| model.name == entry.name) {
            Some(model) => format!("yes  {}", model.path.display()),
            None => match store
                .part_path_of(&entry.name)
                .ok()
                .and_then(|part| std::fs::metadata(part).ok())
            {
                Some(part) => format!("partial ({}; `pull` resumes)", human_size(part.len())),
                None => "no".to_owned(),
            },
        };
        text.push_str(&format!(
            "{marker} {:<30} {:<7} {:<9} {:<5} {state}\n",
            entry.name, entry.quant, size, entry.ram_tier
        ));
    }
    let others: Vec<_> = installed
        .iter()
        .filter(|model| manifest.get(&model.name).is_none())
        .collect();
    if !others.is_empty() {
        text.push_str("other installed models:\n");
        for model in others {
            text.push_str(&format!(
                "  {:<30} {:<17} {}\n",
                model.name,
                human_size(model.bytes),
                model.path.display()
            ));
        }
    }
    text.push_str("* default model");
    print_stdout(&text)
}

fn pull_command(name: &str, url: Option<String>) -> Result<()> {
    let manifest = Manifest::builtin()?;
    let entry = manifest.get(name).ok_or_else(|| {
        anyhow!("unknown model `{name}`; `lobster models list` shows the names that can be pulled")
    })?;
    let store = store()?;
    let options = PullOptions {
        url,
        ..PullOptions::default()
    };
    let bar = ProgressBar::with_draw_target(entry.size, ProgressDrawTarget::stderr()).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )?
        .progress_chars("=> "),
    );
    bar.set_message(entry.name.clone());
    let mut on_progress = |progress: &Progress| {
        if let Some(total) = progress.total {
            bar.set_length(total);
        }
        bar.set_position(progress.downloaded);
    };
    let result = pull(&store, entry, &options, &mut on_progress);
    bar.finish_and_clear();
    let pulled = result?;
    let how = if pulled.already_installed {
        "already installed".to_owned()
    } else if pulled.resumed_from > 0 {
        format!("downloaded, resumed after {} bytes", pulled.resumed_from)
    } else {
        "downloaded".to_owned()
    };
    print_stdout(&format!(
        "{}: {how} at {} ({} bytes; checked: {})",
        entry.name,
        pulled.path.display(),
        pulled.bytes,
        pulled.verification.summary()
    ))
}

fn import(path: &std::path::Path, name: Option<&str>) -> Result<()> {
    let manifest = Manifest::builtin()?;
    let imported = store()?
        .import(path, name, &manifest)
        .with_context(|| format!("importing {}", path.display()))?;
    print_stdout(&format!(
        "imported {} as {} ({}; checked: {})",
        path.display(),
        imported.path.display(),
        if imported.linked { "hard link" } else { "copy" },
        imported.verification.summary()
    ))
}

fn generate_command(
    shape: ShapeArg,
    quant: Option<QuantArg>,
    tokenizer: Option<PathBuf>,
    seed: Option<u64>,
    out: &std::path::Path,
) -> Result<()> {
    let qwen35 = |shape| generate_qwen35_command(shape, quant, tokenizer.clone(), seed, out);
    let shape = match shape {
        ShapeArg::Tiny => Shape::Tiny,
        ShapeArg::Qwen2_5_0_5b => Shape::Qwen2_5_0_5b,
        ShapeArg::Qwen3Tiny => Shape::Qwen3Tiny,
        ShapeArg::Qwen3_0_6b => Shape::Qwen3_0_6b,
        ShapeArg::Qwen3_5Tiny => return qwen35(Qwen35Shape::Tiny),
        ShapeArg::Qwen3_5_0_8b => return qwen35(Qwen35Shape::Qwen3_5_0_8b),
        ShapeArg::Qwen3_5_2b => return qwen35(Qwen35Shape::Qwen3_5_2b),
    };
    let quant = chosen_quant(quant, shape.is_tiny());
    let tokenizer = if shape.is_tiny() {
        None
    } else {
        Some(tokenizer.or_else(default_tokenizer_path).ok_or_else(|| {
            anyhow!(
                "{shape} needs Qwen's tokenizer.json: pass --tokenizer PATH or set \
                 LOBSTER_TOKENIZER"
            )
        })?)
    };
    let spec = ModelSpec {
        shape,
        quant,
        seed: seed.unwrap_or(lobster_models::generate::DEFAULT_SEED),
        tokenizer,
    };
    let start = Instant::now();
    let model = generate(&spec, out).with_context(|| format!("generating {}", out.display()))?;
    print_stdout(&format!(
        "wrote {}: random-weight {} {shape} ({quant}), {} bytes, {} tensors, {} parameters, \
         vocabulary {}, in {:.1} s",
        model.path.display(),
        shape.architecture().title(),
        model.bytes,
        model.tensors,
        model.parameters,
        model.vocab_size,
        start.elapsed().as_secs_f64()
    ))
}

/// The quantisation asked for, else q8_0 for a tiny shape and q4_0 for a real-sized one.
fn chosen_quant(quant: Option<QuantArg>, tiny: bool) -> Quant {
    match quant {
        Some(QuantArg::Q4_0) => Quant::Q4_0,
        Some(QuantArg::Q8_0) => Quant::Q8_0,
        Some(QuantArg::F32) => Quant::F32,
        None if tiny => Quant::Q8_0,
        None => Quant::Q4_0,
    }
}

/// `generate` for a Qwen3.5 shape; also prints the recurrent state per sequence and the F16 KV
/// cache per token, the two parts of Qwen3.5's hybrid memory.
fn generate_qwen35_command(
    shape: Qwen35Shape,
    quant: Option<QuantArg>,
    tokenizer: Option<PathBuf>,
    seed: Option<u64>,
    out: &std::path::Path,
) -> Result<()> {
    let quant = chosen_quant(quant, !shape.needs_tokenizer());
    let tokenizer = if shape.needs_tokenizer() {
        Some(tokenizer.or_else(default_tokenizer_path).ok_or_else(|| {
            anyhow!(
                "{shape} needs Qwen's tokenizer.json: pass --tokenizer PATH or set \
                 LOBSTER_TOKENIZER"
            )
        })?)
    } else {
        None
    };
    let spec = Qwen35Spec {
        shape,
        quant,
        seed: seed.unwrap_or(lobster_models::generate::DEFAULT_SEED),
        tokenizer,
    };
    let start = Instant::now();
    let model =
        generate_qwen35(&spec, out).with_context(|| format!("generating {}", out.display()))?;
    let dims = shape.dimensions();
    print_stdout(&format!(
        "wrote {}: random-weight Qwen3.5 {shape} ({quant}), {} bytes, {} tensors, {} \
         parameters, vocabulary {}, recurrent state {} bytes per sequence, KV {} bytes per \
         token, in {:.1} s",
        model.path.display(),
        model.bytes,
        model.tensors,
        model.parameters,
        model.vocab_size,
        dims.recurrent_state_bytes(),
        dims.kv_bytes_per_token(),
        start.elapsed().as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qwen3_5_shapes_parse_by_their_command_line_names() {
        for (name, shape) in [
            ("qwen3.5-tiny", ShapeArg::Qwen3_5Tiny),
            ("qwen3.5-0.8b", ShapeArg::Qwen3_5_0_8b),
            ("qwen3.5-2b", ShapeArg::Qwen3_5_2b),
        ] {
            let parsed = ShapeArg::from_str(name, false).unwrap();
            assert_eq!(
                std::mem::discriminant(&parsed),
                std::mem::discriminant(&shape),
                "{name}"
            );
            // The library knows the same names.
            assert_eq!(name.parse::<Qwen35Shape>().unwrap().name(), name);
        }
        assert!(ShapeArg::from_str("qwen3.5-4b", false).is_err());
    }

    #[test]
    fn the_qwen3_shapes_parse_and_a_qwen3_tiny_model_is_written() {
        for (name, shape) in [
            ("qwen3-tiny", ShapeArg::Qwen3Tiny),
            ("qwen3-0.6b", ShapeArg::Qwen3_0_6b),
        ] {
            let parsed = ShapeArg::from_str(name, false).unwrap();
            assert_eq!(
                std::mem::discriminant(&parsed),
                std::mem::discriminant(&shape),
                "{name}"
            );
            assert_eq!(name.parse::<Shape>().unwrap().name(), name);
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("qwen3.gguf");
        generate_command(ShapeArg::Qwen3Tiny, None, None, None, &out).unwrap();
        let header = lobster_models::gguf::GgufHeader::read_path(&out, false).unwrap();
        assert_eq!(header.architecture(), Some("qwen3"));
        assert_eq!(header.get_u64("general.file_type"), Some(7));
        let error = generate_command(
            ShapeArg::Qwen3_0_6b,
            None,
            Some(dir.path().join("missing.json")),
            None,
            &dir.path().join("big.gguf"),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("missing.json"), "{error:#}");
    }

    #[test]
    fn a_qwen3_5_tiny_model_is_written_and_a_real_shape_without_tokenizer_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("tiny.gguf");
        generate_command(ShapeArg::Qwen3_5Tiny, None, None, None, &out).unwrap();
        let header = lobster_models::gguf::GgufHeader::read_path(&out, false).unwrap();
        assert_eq!(header.architecture(), Some("qwen35"));
        assert_eq!(
            header.get_u64("general.file_type"),
            Some(7),
            "q8_0 by default"
        );
        let error = generate_qwen35_command(
            Qwen35Shape::Qwen3_5_0_8b,
            None,
            Some(dir.path().join("missing.json")),
            None,
            &dir.path().join("big.gguf"),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("missing.json"), "{error:#}");
        assert!(!dir.path().join("big.gguf").exists());
    }
}
