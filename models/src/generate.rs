//! Generated Qwen2 and Qwen3 models with random weights.
//!
//! Transformer compute does not depend on weight values, so a file with Qwen2's exact
//! architecture, tensor names, metadata and vocabulary but random weights exercises every line
//! of llama.cpp's loading, tokenising and decoding, and gives honest speed figures. No weights
//! can be downloaded where Lobster is built and tested, so this is how tests get a model
//! ([`tiny_model_path`]) and how the benchmarks get a Qwen2.5-0.5B-shaped one (`lobster models
//! generate qwen2.5-0.5b`).
//!
//! Qwen3 (llama.cpp architecture `qwen3`; `lobster models generate qwen3-0.6b`, and
//! [`tiny_qwen3_model_path`] for tests) is the same dense transformer with three differences,
//! checked against the llama.cpp inside llama-cpp-sys-2 0.1.161 (`src/models/qwen3.cpp`,
//! `src/llama-model.cpp`, `src/llama-arch.cpp`): no query/key/value biases; an RMS norm over
//! each query and each key head (`blk.N.attn_q_norm.weight`, `blk.N.attn_k_norm.weight`, one
//! head wide) before the rotary embedding; and a head size that is not width / heads (0.6B:
//! 16 heads of 128 on a 1024-wide model), written as `qwen3.attention.key_length` and
//! `value_length` (llama.cpp would otherwise take width / heads). llama.cpp requires
//! `qwen3.attention.layer_norm_rms_epsilon`; the other keys are Qwen2's under `qwen3.`. See
//! [`Architecture`].
//!
//! Generation streams: the header is written first, then each tensor is produced in fixed-size
//! chunks of rows (in parallel, each chunk with its own seeded stream so the output does not
//! depend on the thread count), quantised and written, so memory stays at a few megabytes even
//! for the 0.5B model.

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::ModelError;
use crate::gguf::{GgmlType, GgufHeader, GgufWriter, MetadataValue, TensorDescriptor};
use crate::quant::encode_row;
use crate::random::{SplitMix64, mix};
use crate::vocab::{TINY_CORPUS, Vocabulary, qwen_vocabulary, tiny_vocabulary};

/// Bumped whenever generated files change for the same spec, so cached tiny models renew.
const GENERATOR_VERSION: u32 = 2;
/// Standard deviation of random weights and biases.
const WEIGHT_STD: f32 = 0.02;
/// Values per generation chunk (a fixed number, so output is independent of threads).
const CHUNK_ELEMENTS: u64 = 1 << 18;
/// Qwen2.5's and Qwen3's rotary base (llama.cpp silently uses 10000 when the key is missing).
const ROPE_FREQ_BASE: f32 = 1e6;
/// Qwen2.5's and Qwen3's RMS-norm epsilon.
const RMS_NORM_EPS: f32 = 1e-6;
/// The default seed.
pub const DEFAULT_SEED: u64 = 0x10b5_7e12;

/// The llama.cpp architectures of the shapes in this module (Qwen3.5's `qwen35` is
/// [`crate::generate_qwen35`](mod@crate::generate_qwen35)'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Architecture {
    /// `qwen2`: biases on the query, key and value projections; head size = width / heads.
    Qwen2,
    /// `qwen3`: no projection biases; per-head RMS norms of queries and keys (`attn_q_norm`,
    /// `attn_k_norm`); the head size written as `attention.key_length`/`value_length`.
    Qwen3,
}

impl Architecture {
    /// `general.architecture`, also the prefix of the architecture's metadata keys.
    pub fn name(self) -> &'static str {
        match self {
            Self::Qwen2 => "qwen2",
            Self::Qwen3 => "qwen3",
        }
    }

    /// The family's name (`Qwen2`, `Qwen3`), as `general.name` gives it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Qwen2 => "Qwen2",
            Self::Qwen3 => "Qwen3",
        }
    }

    /// The metadata key `<architecture>.<suffix>`.
    fn key(self, suffix: &str) -> String {
        format!("{}.{suffix}", self.name())
    }
}

impl fmt::Display for Architecture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The model shapes this crate generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// A few hundred kilobytes: 64-wide, 2 layers, 4 heads (2 for keys/values), feed-forward
    /// 128, context 4096, with the built-in tiny vocabulary. For tests.
    Tiny,
    /// Qwen2.5-0.5B-Instruct's exact shapes: 896-wide, 24 layers, 14 heads (2 for keys/values),
    /// feed-forward 4864, context 32768, Qwen's 151,936-row vocabulary. For benchmarks.
    Qwen2_5_0_5b,
    /// Qwen3 (`qwen3`) in miniature, for tests: [`Shape::Tiny`]'s sizes with 4 heads of 32
    /// (2 for keys/values), so, as in the 0.6B, the query projection is wider than the model
    /// (64 → 128) and the head size has to come from `attention.key_length`.
    Qwen3Tiny,
    /// Qwen3-0.6B's exact shapes: 1024-wide, 28 layers, 16 query heads and 8 key/value heads
    /// of 128 (query projection 1024 → 2048), feed-forward 3072, context 40960, Qwen's
    /// 151,936-row vocabulary. For benchmarks.
    Qwen3_0_6b,
}

impl Shape {
    /// The transformer dimensions.
    pub fn dimensions(self) -> Dimensions {
        match self {
            Self::Tiny => Dimensions {
                n_embd: 64,
                n_layer: 2,
                n_head: 4,
                n_head_kv: 2,
                head_dim: 16,
                n_ff: 128,
                n_ctx: 4096,
            },
            Self::Qwen2_5_0_5b => Dimensions {
                n_embd: 896,
                n_layer: 24,
                n_head: 14,
                n_head_kv: 2,
                head_dim: 64,
                n_ff: 4864,
                n_ctx: 32768,
            },
            Self::Qwen3Tiny => Dimensions {
                head_dim: 32,
                ..Self::Tiny.dimensions()
            },
            // Qwen3-0.6B's config.json: hidden_size 1024, num_hidden_layers 28,
            // num_attention_heads 16, num_key_value_heads 8, head_dim 128,
            // intermediate_size 3072, max_position_embeddings 40960 (also `qwen3.context_length`
            // in the published GGUF, see the manifest).
            Self::Qwen3_0_6b => Dimensions {
                n_embd: 1024,
                n_layer: 28,
                n_head: 16,
                n_head_kv: 8,
                head_dim: 128,
                n_ff: 3072,
                n_ctx: 40960,
            },
        }
    }

    /// The llama.cpp architecture.
    pub fn architecture(self) -> Architecture {
        match self {
            Self::Tiny | Self::Qwen2_5_0_5b => Architecture::Qwen2,
            Self::Qwen3Tiny | Self::Qwen3_0_6b => Architecture::Qwen3,
        }
    }

    /// Whether the shape is one of the small test models with the built-in vocabulary (the
    /// others need Qwen's `tokenizer.json`).
    pub fn is_tiny(self) -> bool {
        matches!(self, Self::Tiny | Self::Qwen3Tiny)
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tiny => "tiny",
            Self::Qwen2_5_0_5b => "qwen2.5-0.5b",
            Self::Qwen3Tiny => "qwen3-tiny",
            Self::Qwen3_0_6b => "qwen3-0.6b",
        }
    }

    /// How the output head (hidden state → vocabulary logits) is stored for `quant`: `None`
    /// when it is tied to the embedding, else the type of a separate `output.weight`.
    ///
    /// The tiny model ties it (llama.cpp's tied path stays tested). Qwen's published
    /// Qwen2.5-0.5B-Instruct GGUFs, the files the manifest lists, carry a separate head, kept
    /// at Q8_0 in the lower quantisations (llama.cpp's quantiser does that for an output head
    /// whose width, 896, is not a multiple of 256). The evidence: the published q4_0 and q8_0
    /// sizes minus this layout's tensor bytes both leave the same header size, within 100
    /// bytes of the header this generator writes (see the test
    /// `the_big_shape_matches_the_published_files`); a tied layout would leave 150 MB more.
    /// The layout matters for memory: llama.cpp keeps a tied embedding twice (one copy for
    /// row lookups, one for the output product), a separate head once.
    ///
    /// Qwen3-0.6B is tied, like its Hugging Face checkpoint (`tie_word_embeddings`), by the same
    /// kind of evidence: Qwen's published Q8_0 file, the one the manifest lists, minus the tied
    /// layout's tensor bytes leaves a vocabulary-sized header, and a separate head (165 MB)
    /// would not fit in it (test `the_qwen3_shape_matches_the_published_file`); with the real
    /// vocabulary the generated Q8_0 file is within 2 kB of the published one (test
    /// `with_the_real_vocabulary_the_qwen3_shape_is_near_the_published_file`). The tiny Qwen3
    /// ties it too.
    pub fn output_head(self, quant: Quant) -> Option<GgmlType> {
        match (self, quant) {
            (Self::Tiny | Self::Qwen3Tiny | Self::Qwen3_0_6b, _) => None,
            (Self::Qwen2_5_0_5b, Quant::F32) => Some(GgmlType::F32),
            (Self::Qwen2_5_0_5b, Quant::Q4_0 | Quant::Q8_0) => Some(GgmlType::Q8_0),
        }
    }

    /// The type of `token_embd.weight` for `quant`: the linear weights' type, except that
    /// Qwen3-0.6B's tied embedding (its output head too) is Q8_0 in a `q4_0` file.
    ///
    /// llama.cpp's quantiser treats a tied embedding as the output head and gives it Q6_K in a
    /// Q4_0 file (`llama-quant.cpp`: the output category, width 1024 a multiple of the block
    /// size), a type this crate does not write; Q8_0 is the nearest it does, the choice
    /// [`crate::generate_qwen35`](mod@crate::generate_qwen35) makes for Qwen3.5's tied
    /// embedding. (Qwen publishes only a Q8_0 Qwen3-0.6B GGUF, so no file settles it.) The tiny
    /// shapes keep the weights' type, so a `q4_0` tiny file tests a Q4_0 output product.
    pub fn embedding_type(self, quant: Quant) -> GgmlType {
        match (self, quant) {
            (Self::Qwen3_0_6b, Quant::Q4_0) => GgmlType::Q8_0,
            _ => quant.ggml_type(),
        }
    }

    /// Rows of the embedding: the vocabulary size, padded for the real-sized shapes as the real
    /// models are.
    fn embedding_rows(self, vocabulary: &Vocabulary) -> usize {
        match self {
            Self::Tiny | Self::Qwen3Tiny => vocabulary.len(),
            Self::Qwen2_5_0_5b | Self::Qwen3_0_6b => QWEN2_5_VOCAB_ROWS,
        }
    }
}

/// Qwen2.5's embedding rows (151,665 real tokens padded), also Qwen3's (`vocab_size` 151,936 in
/// Qwen3-0.6B's config.json).
pub const QWEN2_5_VOCAB_ROWS: usize = 151_936;

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Shape {
    type Err = ModelError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "tiny" => Ok(Self::Tiny),
            "qwen2.5-0.5b" => Ok(Self::Qwen2_5_0_5b),
            "qwen3-tiny" => Ok(Self::Qwen3Tiny),
            "qwen3-0.6b" => Ok(Self::Qwen3_0_6b),
            other => Err(ModelError::InvalidSpec(format!(
                "unknown shape `{other}` (known: tiny, qwen2.5-0.5b, qwen3-tiny, qwen3-0.6b)"
            ))),
        }
    }
}

/// Transformer dimensions of a Qwen2 or Qwen3 model (keys under `qwen2.` or `qwen3.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dimensions {
    /// Hidden size (`qwen2.embedding_length`).
    pub n_embd: u32,
    /// Layers (`qwen2.block_count`).
    pub n_layer: u32,
    /// Query heads (`qwen2.attention.head_count`).
    pub n_head: u32,
    /// Key/value heads (`qwen2.attention.head_count_kv`).
    pub n_head_kv: u32,
    /// Size of each query, key and value head: width / heads in Qwen2 (not written), 128 in
    /// Qwen3-0.6B (`qwen3.attention.key_length`, `value_length`).
    pub head_dim: u32,
    /// Feed-forward size (`qwen2.feed_forward_length`).
    pub n_ff: u32,
    /// Training context (`qwen2.context_length`).
    pub n_ctx: u32,
}

impl Dimensions {
    /// Width of the query projection (and the input of the attention output).
    pub fn n_embd_q(&self) -> u32 {
        self.head_dim * self.n_head
    }

    /// Width of the key and value projections.
    pub fn n_embd_kv(&self) -> u32 {
        self.head_dim * self.n_head_kv
    }
}

/// How the linear weights and the embedding are stored (norms and biases are always F32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quant {
    /// 32-bit floats.
    F32,
    /// ggml Q8_0.
    Q8_0,
    /// ggml Q4_0.
    Q4_0,
}

impl Quant {
    /// The ggml type of quantised tensors.
    pub fn ggml_type(self) -> GgmlType {
        match self {
            Self::F32 => GgmlType::F32,
            Self::Q8_0 => GgmlType::Q8_0,
            Self::Q4_0 => GgmlType::Q4_0,
        }
    }

    /// `general.file_type` (`llama_ftype`): all F32 = 0, mostly Q4_0 = 2, mostly Q8_0 = 7.
    pub fn file_type(self) -> u32 {
        match self {
            Self::F32 => 0,
            Self::Q4_0 => 2,
            Self::Q8_0 => 7,
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::Q8_0 => "q8_0",
            Self::Q4_0 => "q4_0",
        }
    }
}

impl fmt::Display for Quant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Quant {
    type Err = ModelError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "f32" => Ok(Self::F32),
            "q8_0" => Ok(Self::Q8_0),
            "q4_0" => Ok(Self::Q4_0),
            other => Err(ModelError::InvalidSpec(format!(
                "unknown quantisation `{other}` (known: q4_0, q8_0, f32)"
            ))),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModelSpec {
    /// The shape.
    pub shape: Shape,
    /// Storage of linear weights and the embedding.
    pub quant: Quant,
    /// The random seed; the same spec always gives the same file.
    pub seed: u64,
    /// Qwen `tokenizer.json`, required for [`Shape::Qwen2_5_0_5b`] and [`Shape::Qwen3_0_6b`],
    /// ignored for the tiny shapes (which have their own vocabulary).
    pub tokenizer: Option<PathBuf>,
}

impl ModelSpec {
    /// The tiny test model: Q8_0, default seed.
    pub fn tiny() -> Self {
        Self {
            shape: Shape::Tiny,
            quant: Quant::Q8_0,
            seed: DEFAULT_SEED,
            tokenizer: None,
        }
    }

    /// A Qwen2.5-0.5B-shaped model with the vocabulary of `tokenizer`.
    pub fn qwen2_5_0_5b(quant: Quant, tokenizer: impl Into<PathBuf>) -> Self {
        Self {
            shape: Shape::Qwen2_5_0_5b,
            quant,
            seed: DEFAULT_SEED,
            tokenizer: Some(tokenizer.into()),
        }
    }

    /// The tiny test model of Qwen3's architecture ([`Shape::Qwen3Tiny`]): Q8_0, default seed.
    pub fn qwen3_tiny() -> Self {
        Self {
            shape: Shape::Qwen3Tiny,
            ..Self::tiny()
        }
    }

    /// A Qwen3-0.6B-shaped model with the vocabulary of `tokenizer`.
    pub fn qwen3_0_6b(quant: Quant, tokenizer: impl Into<PathBuf>) -> Self {
        Self {
            shape: Shape::Qwen3_0_6b,
            ..Self::qwen2_5_0_5b(quant, tokenizer)
        }
    }

    fn vocabulary(&self) -> Result<Vocabulary, ModelError> {
        if self.shape.is_tiny() {
            return Ok(tiny_vocabulary());
        }
        let path = self.tokenizer.as_deref().ok_or_else(|| {
            ModelError::InvalidSpec(format!(
                "{} needs Qwen's tokenizer.json: pass --tokenizer PATH or set LOBSTER_TOKENIZER",
                self.shape
            ))
        })?;
        qwen_vocabulary(path, QWEN2_5_VOCAB_ROWS)
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedModel {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Number of tensors.
    pub tensors: usize,
    /// Number of weights.
    pub parameters: u64,
    /// Embedding rows (vocabulary size).
    pub vocab_size: usize,
}

/// How a tensor is filled.
#[derive(Clone, Copy)]
pub(crate) enum Fill {
    /// Every value 1 (norm weights).
    Ones,
    /// Normal values with standard deviation 0.02.
    Normal,
    /// Every value the same (e.g. a recurrent layer's decay, which must stay negative).
    Constant(f32),
}

/// The tensors of a model of `shape` in `quant`, with llama.cpp's names and GGUF dimension
/// order (the row length first), over `n_vocab` embedding rows; with a separate
/// `output.weight` where [`Shape::output_head`] says so, else the head is tied to the
/// embedding.
fn model_tensors(shape: Shape, quant: Quant, n_vocab: u64) -> Vec<(TensorDescriptor, Fill)> {
    let dims = shape.dimensions();
    let embd = u64::from(dims.n_embd);
    let mut tensors = vec![(
        TensorDescriptor::new(
            "token_embd.weight",
            &[embd, n_vocab],
            shape.embedding_type(quant),
        ),
        Fill::Normal,
    )];
    for layer in 0..dims.n_layer {
        tensors.extend(layer_tensors(
            shape.architecture(),
            &dims,
            layer,
            quant.ggml_type(),
        ));
    }
    tensors.push((
        TensorDescriptor::new("output_norm.weight", &[embd], GgmlType::F32),
        Fill::Ones,
    ));
    if let Some(head_type) = shape.output_head(quant) {
        tensors.push((
            TensorDescriptor::new("output.weight", &[embd, n_vocab], head_type),
            Fill::Normal,
        ));
    }
    tensors
}

/// The tensors of block `layer`: attention (with Qwen2's projection biases or Qwen3's per-head
/// query/key norms) and the SwiGLU feed-forward, linear weights of `weight_type`.
fn layer_tensors(
    architecture: Architecture,
    dims: &Dimensions,
    layer: u32,
    weight_type: GgmlType,
) -> Vec<(TensorDescriptor, Fill)> {
    let embd = u64::from(dims.n_embd);
    let q = u64::from(dims.n_embd_q());
    let kv = u64::from(dims.n_embd_kv());
    let ff = u64::from(dims.n_ff);
    let name = |suffix: &str| format!("blk.{layer}.{suffix}");
    let weight = |suffix: &str, dims: &[u64]| {
        (
            TensorDescriptor::new(name(suffix), dims, weight_type),
            Fill::Normal,
        )
    };
    let vector = |suffix: &str, width: u64, fill: Fill| {
        (
            TensorDescriptor::new(name(suffix), &[width], GgmlType::F32),
            fill,
        )
    };
    let qwen2 = architecture == Architecture::Qwen2;
    let mut tensors = vec![vector("attn_norm.weight", embd, Fill::Ones)];
    for (projection, width) in [("attn_q", q), ("attn_k", kv), ("attn_v", kv)] {
        tensors.push(weight(&format!("{projection}.weight"), &[embd, width]));
        if qwen2 {
            tensors.push(vector(&format!("{projection}.bias"), width, Fill::Normal));
        }
    }
    tensors.push(weight("attn_output.weight", &[q, embd]));
    if !qwen2 {
        let head = u64::from(dims.head_dim);
        tensors.push(vector("attn_q_norm.weight", head, Fill::Ones));
        tensors.push(vector("attn_k_norm.weight", head, Fill::Ones));
    }
    tensors.extend([
        vector("ffn_norm.weight", embd, Fill::Ones),
        weight("ffn_gate.weight", &[embd, ff]),
        weight("ffn_up.weight", &[embd, ff]),
        weight("ffn_down.weight", &[ff, embd]),
    ]);
    tensors
}

/// Checks that `dims` make a model llama.cpp can load as `architecture` and that can be stored
/// in `quant`.
fn check_dimensions(
    architecture: Architecture,
    dims: &Dimensions,
    quant: Quant,
) -> Result<(), ModelError> {
    let invalid = |reason: String| Err(ModelError::InvalidSpec(reason));
    if dims.n_head == 0 || dims.n_head_kv == 0 || !dims.n_head.is_multiple_of(dims.n_head_kv) {
        return invalid(format!(
            "{} key/value heads do not divide {} heads",
            dims.n_head_kv, dims.n_head
        ));
    }
    // Qwen2 files carry no head size: llama.cpp takes width / heads.
    if architecture == Architecture::Qwen2 && dims.n_embd_q() != dims.n_embd {
        return invalid(format!(
            "{} heads of {} do not make width {}",
            dims.n_head, dims.head_dim, dims.n_embd
        ));
    }
    if dims.head_dim == 0 || !dims.head_dim.is_multiple_of(2) {
        return invalid("the head size must be even for rotary embeddings".into());
    }
    let rows = [dims.n_embd, dims.n_ff, dims.n_embd_q()];
    if quant != Quant::F32 && rows.iter().any(|row| !row.is_multiple_of(32)) {
        return invalid(format!(
            "width {}, feed-forward {} and query width {} must be multiples of 32 to quantise",
            dims.n_embd,
            dims.n_ff,
            dims.n_embd_q()
        ));
    }
    Ok(())
}

/// The metadata of `spec`'s file: `general.*`, the architecture's hyperparameters (Qwen3's
/// with its head size, which is not width / heads), then what [`finish_metadata`] adds.
fn metadata(
    spec: &ModelSpec,
    dims: &Dimensions,
    vocabulary: &Vocabulary,
) -> Vec<(String, MetadataValue)> {
    let architecture = spec.shape.architecture();
    let key = |suffix: &str| architecture.key(suffix);
    let u32 = MetadataValue::U32;
    let mut metadata = general_metadata(
        architecture.name(),
        &format!("{} {}", architecture.title(), spec.shape),
        spec.quant,
    );
    metadata.extend([
        (key("context_length"), u32(dims.n_ctx)),
        (key("embedding_length"), u32(dims.n_embd)),
        (key("block_count"), u32(dims.n_layer)),
        (key("feed_forward_length"), u32(dims.n_ff)),
        (key("attention.head_count"), u32(dims.n_head)),
        (key("attention.head_count_kv"), u32(dims.n_head_kv)),
    ]);
    if architecture == Architecture::Qwen3 {
        metadata.extend([
            (key("attention.key_length"), u32(dims.head_dim)),
            (key("attention.value_length"), u32(dims.head_dim)),
        ]);
    }
    metadata.extend([
        (key("rope.freq_base"), MetadataValue::F32(ROPE_FREQ_BASE)),
        (
            key("attention.layer_norm_rms_epsilon"),
            MetadataValue::F32(RMS_NORM_EPS),
        ),
    ]);
    finish_metadata(
        &mut metadata,
        spec.seed,
        vocabulary,
        crate::chat_template::QWEN2_5_CHAT_TEMPLATE,
    );
    metadata
}

/// The `general.*` entries of a generated file: its architecture, a name that says it is
/// Lobster's random-weight `model` (`Qwen2 tiny`), and its quantisation.
pub(crate) fn general_metadata(
    architecture: &str,
    model: &str,
    quant: Quant,
) -> Vec<(String, MetadataValue)> {
    vec![
        (
            "general.architecture".to_owned(),
            MetadataValue::String(architecture.into()),
        ),
        (
            "general.name".to_owned(),
            MetadataValue::String(format!("Lobster random-weight {model} ({quant})")),
        ),
        (
            "general.file_type".to_owned(),
            MetadataValue::U32(quant.file_type()),
        ),
        (
            "general.quantization_version".to_owned(),
            MetadataValue::U32(2),
        ),
    ]
}

/// Ends a generated file's metadata: what it is (`lobster.*`, not llama.cpp keys: random
/// weights from `seed`, for anyone who finds the file later), then the vocabulary with
/// `chat_template`.
pub(crate) fn finish_metadata(
    metadata: &mut Vec<(String, MetadataValue)>,
    seed: u64,
    vocabulary: &Vocabulary,
    chat_template: &str,
) {
    metadata.push((
        "lobster.random_weights".to_owned(),
        MetadataValue::Bool(true),
    ));
    metadata.push(("lobster.seed".to_owned(), MetadataValue::U64(seed)));
    metadata.extend(vocabulary.gguf_metadata(chat_template));
}

/// What a generated file holds: its metadata and its tensors in order, over `n_vocab`
/// embedding rows.
pub(crate) struct Layout {
    pub(crate) metadata: Vec<(String, MetadataValue)>,
    pub(crate) tensors: Vec<(TensorDescriptor, Fill)>,
    pub(crate) n_vocab: usize,
}

impl Layout {
    /// The layout, checked: the embedding has a row for every token of `vocabulary`.
    pub(crate) fn checked(
        metadata: Vec<(String, MetadataValue)>,
        tensors: Vec<(TensorDescriptor, Fill)>,
        n_vocab: usize,
        vocabulary: &Vocabulary,
    ) -> Result<Layout, ModelError> {
        if n_vocab < vocabulary.len() {
            return Err(ModelError::InvalidSpec(format!(
                "the vocabulary has {} tokens, more than the {n_vocab} embedding rows",
                vocabulary.len()
            )));
        }
        Ok(Layout {
            metadata,
            tensors,
            n_vocab,
        })
    }

    /// Writes the file at `out`, its weights filled from `seed` ([`write_generated`]).
    pub(crate) fn write(&self, out: &Path, seed: u64) -> Result<GeneratedModel, ModelError> {
        write_generated(out, seed, &self.metadata, &self.tensors, self.n_vocab)
    }
}

/// What `spec`'s file holds, checked.
fn layout(spec: &ModelSpec) -> Result<Layout, ModelError> {
    let dims = spec.shape.dimensions();
    check_dimensions(spec.shape.architecture(), &dims, spec.quant)?;
    let vocabulary = spec.vocabulary()?;
    let n_vocab = spec.shape.embedding_rows(&vocabulary);
    let tensors = model_tensors(spec.shape, spec.quant, n_vocab as u64);
    Layout::checked(
        metadata(spec, &dims, &vocabulary),
        tensors,
        n_vocab,
        &vocabulary,
    )
}

/// Generates the model described by `spec` at `out` (written beside it under a temporary name,
/// synced, then renamed, so `out` is never seen half-written), and returns what was written.
pub fn generate(spec: &ModelSpec, out: &Path) -> Result<GeneratedModel, ModelError> {
    layout(spec)?.write(out, spec.seed)
}

/// Writes a generated model's `metadata` and `tensors` (filled from `seed`) at `out`: beside it
/// under a temporary name, synced, then renamed; returns what was written, read back from the
/// file's header.
pub(crate) fn write_generated(
    out: &Path,
    seed: u64,
    metadata: &[(String, MetadataValue)],
    tensors: &[(TensorDescriptor, Fill)],
    n_vocab: usize,
) -> Result<GeneratedModel, ModelError> {
    if let Some(parent) = out.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(ModelError::io("creating", parent))?;
    }
    let temporary = temporary_sibling(out);
    let result = write_model(&temporary, seed, metadata, tensors);
    if let Err(error) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(error);
    }
    std::fs::rename(&temporary, out).map_err(ModelError::io("renaming into place", out))?;

    let header = GgufHeader::read_path(out, false).map_err(|source| ModelError::Gguf {
        path: out.to_owned(),
        source,
    })?;
    Ok(GeneratedModel {
        path: out.to_owned(),
        bytes: header.file_size,
        tensors: header.tensors.len(),
        parameters: tensors.iter().map(|(tensor, _)| tensor.elements()).sum(),
        vocab_size: n_vocab,
    })
}

/// A unique temporary name beside `path`.
pub(crate) fn temporary_sibling(path: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let mut name = path
        .file_name()
        .map(|name| name.to_os_string())
        .unwrap_or_default();
    name.push(format!(".tmp-{}-{nanos}", std::process::id()));
    path.with_file_name(name)
}

fn write_model(
    path: &Path,
    seed: u64,
    metadata: &[(String, MetadataValue)],
    tensors: &[(TensorDescriptor, Fill)],
) -> Result<(), ModelError> {
    let gguf_error = |source| ModelError::Gguf {
        path: path.to_owned(),
        source,
    };
    let file = File::create(path).map_err(ModelError::io("creating", path))?;
    let descriptors: Vec<TensorDescriptor> =
        tensors.iter().map(|(tensor, _)| tensor.clone()).collect();
    let mut writer = GgufWriter::new(
        BufWriter::with_capacity(1 << 20, file),
        metadata,
        &descriptors,
    )
    .map_err(gguf_error)?;
    for (index, (tensor, fill)) in tensors.iter().enumerate() {
        write_tensor(
            &mut writer,
            tensor,
            *fill,
            SplitMix64::stream(seed, index as u64).next_u64(),
        )
        .map_err(|error| match error {
            TensorError::Gguf(source) => gguf_error(source),
            TensorError::Spec(reason) => ModelError::InvalidSpec(reason),
        })?;
    }
    let buffered = writer.finish().map_err(gguf_error)?;
    let file = buffered
        .into_inner()
        .map_err(|error| ModelError::io("writing", path)(error.into_error()))?;
    file.sync_all().map_err(ModelError::io("syncing", path))
}

enum TensorError {
    Gguf(crate::gguf::GgufError),
    Spec(String),
}

/// Generates, encodes and writes one tensor chunk by chunk, chunks in parallel.
fn write_tensor<W: Write>(
    writer: &mut GgufWriter<W>,
    tensor: &TensorDescriptor,
    fill: Fill,
    tensor_seed: u64,
) -> Result<(), TensorError> {
    let row_length = tensor.dims[0];
    let rows = tensor.elements() / row_length.max(1);
    let chunk_rows = (CHUNK_ELEMENTS / row_length.max(1)).max(1);
    let chunks = rows.div_ceil(chunk_rows);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as u64;

    let encode_chunk = |chunk: u64| -> Result<Vec<u8>, String> {
        let mut rng = SplitMix64::stream(tensor_seed, mix(chunk));
        let first_row = chunk * chunk_rows;
        let chunk_rows = chunk_rows.min(rows - first_row);
        let mut row = vec![0.0f32; row_length as usize];
        let mut bytes = Vec::new();
        for _ in 0..chunk_rows {
            for value in &mut row {
                *value = match fill {
                    Fill::Ones => 1.0,
                    Fill::Normal => rng.normal() * WEIGHT_STD,
                    Fill::Constant(value) => value,
                };
            }
            encode_row(tensor.ggml_type, &row, &mut bytes)
                .map_err(|error| format!("tensor {}: {error}", tensor.name))?;
        }
        Ok(bytes)
    };

    let mut next = 0;
    while next < chunks {
        let wave: Vec<u64> = (next..chunks.min(next + threads)).collect();
        next += wave.len() as u64;
        let results: Vec<Result<Vec<u8>, String>> = if wave.len() == 1 {
            vec![encode_chunk(wave[0])]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = wave
                    .iter()
                    .map(|&chunk| scope.spawn(move || encode_chunk(chunk)))
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle
                            .join()
                            .unwrap_or_else(|_| Err("a generator thread panicked".into()))
                    })
                    .collect()
            })
        };
        for result in results {
            writer
                .write_data(&result.map_err(TensorError::Spec)?)
                .map_err(TensorError::Gguf)?;
        }
    }
    writer.end_tensor().map_err(TensorError::Gguf)
}

/// The path of the tiny test model, generating it on first use.
///
/// The file lives in `std::env::temp_dir()/lobster-models/tiny-<hash>.gguf`, where the hash
/// covers everything that determines its bytes, so a changed generator never serves a stale
/// file. It is written under a temporary name and renamed, so tests running in parallel (in
/// one process or several) never see a partial file; a cached file that no longer validates is
/// regenerated.
pub fn tiny_model_path() -> Result<PathBuf, ModelError> {
    let spec = ModelSpec::tiny();
    cached_model(
        &format!("tiny-{}.gguf", spec.fingerprint()),
        "qwen2",
        |path| generate(&spec, path),
    )
}

/// The path of the tiny Qwen3 test model ([`ModelSpec::qwen3_tiny`]), generated on first use
/// and cached like [`tiny_model_path`]'s (as `tiny-qwen3-<hash>.gguf`).
pub fn tiny_qwen3_model_path() -> Result<PathBuf, ModelError> {
    let spec = ModelSpec::qwen3_tiny();
    cached_model(
        &format!("tiny-qwen3-{}.gguf", spec.fingerprint()),
        Architecture::Qwen3.name(),
        |path| generate(&spec, path),
    )
}

/// The path of a generated model cached as `file_name` in the temporary directory's
/// `lobster-models/`, made by `generate` when no valid file of `architecture` is there. One
/// generation at a time in this process; across processes the write-then-rename keeps readers
/// from a partial file.
pub(crate) fn cached_model(
    file_name: &str,
    architecture: &str,
    generate: impl FnOnce(&Path) -> Result<GeneratedModel, ModelError>,
) -> Result<PathBuf, ModelError> {
    static GENERATING: Mutex<()> = Mutex::new(());
    let path = std::env::temp_dir().join("lobster-models").join(file_name);
    let _guard = GENERATING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let valid = GgufHeader::read_path(&path, false)
        .is_ok_and(|header| header.architecture() == Some(architecture));
    if !valid {
        generate(&path)?;
    }
    Ok(path)
}

impl ModelSpec {
    /// A short hash of everything that determines the generated file's bytes (the generator's
    /// version included), for naming cached files.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        hasher
            .update(format!("lobster-models generator {GENERATOR_VERSION}\n{self:?}\n").as_bytes());
        hasher.update(TINY_CORPUS.as_bytes());
        hasher.update(crate::chat_template::QWEN2_5_CHAT_TEMPLATE.as_bytes());
        hasher
            .finalize()
            .iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::ArrayValue;
    use crate::quant::dequantize_row_q8_0;

    #[test]
    fn the_tiny_model_has_qwen2_names_and_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny.gguf");
        let model = generate(&ModelSpec::tiny(), &path).unwrap();
        assert_eq!(model.tensors, 1 + 2 * 12 + 1);
        let header = GgufHeader::read_path(&path, true).unwrap();
        assert_eq!(header.architecture(), Some("qwen2"));
        for key in [
            "qwen2.context_length",
            "qwen2.embedding_length",
            "qwen2.block_count",
            "qwen2.feed_forward_length",
            "qwen2.attention.head_count",
            "qwen2.attention.head_count_kv",
            "general.file_type",
            "general.alignment",
        ] {
            assert!(header.get_u64(key).is_some(), "{key}");
        }
        assert_eq!(header.get_u64("qwen2.embedding_length"), Some(64));
        assert_eq!(header.get_u64("qwen2.attention.head_count_kv"), Some(2));
        assert_eq!(header.get_u64("general.file_type"), Some(7));
        assert_eq!(
            header.get("qwen2.rope.freq_base").unwrap().as_f64(),
            Some(1e6)
        );
        assert_eq!(
            header
                .get("qwen2.attention.layer_norm_rms_epsilon")
                .unwrap()
                .as_f64(),
            Some(f64::from(1e-6f32))
        );
        assert_eq!(header.get_str("tokenizer.ggml.model"), Some("gpt2"));
        assert_eq!(header.get_str("tokenizer.ggml.pre"), Some("qwen2"));
        assert!(
            header
                .get_str("tokenizer.chat_template")
                .unwrap()
                .contains("<|im_start|>")
        );
        assert_eq!(
            header.get("tokenizer.ggml.add_bos_token"),
            Some(&MetadataValue::Bool(false))
        );
        assert!(
            header.tensor("output.weight").is_none(),
            "the output head is tied"
        );
        for name in [
            "token_embd.weight",
            "output_norm.weight",
            "blk.1.attn_norm.weight",
            "blk.1.attn_q.weight",
            "blk.1.attn_q.bias",
            "blk.1.attn_k.weight",
            "blk.1.attn_k.bias",
            "blk.1.attn_v.weight",
            "blk.1.attn_v.bias",
            "blk.1.attn_output.weight",
            "blk.1.ffn_norm.weight",
            "blk.1.ffn_gate.weight",
            "blk.1.ffn_up.weight",
            "blk.1.ffn_down.weight",
        ] {
            assert!(header.tensor(name).is_some(), "{name}");
        }
        let n_vocab = header.vocab_size().unwrap();
        assert_eq!(
            header.tensor("token_embd.weight").unwrap().dims,
            [64, n_vocab]
        );
        assert_eq!(header.tensor("blk.0.attn_k.weight").unwrap().dims, [64, 32]);
        assert_eq!(
            header.tensor("blk.0.ffn_down.weight").unwrap().dims,
            [128, 64]
        );
        assert_eq!(
            header.tensor("blk.0.ffn_down.weight").unwrap().ggml_type,
            GgmlType::Q8_0
        );
        assert_eq!(
            header.tensor("blk.0.attn_q.bias").unwrap().ggml_type,
            GgmlType::F32
        );
        let Some(ArrayValue::I32(types)) = header
            .get("tokenizer.ggml.token_type")
            .and_then(MetadataValue::as_array)
        else {
            panic!("token types missing");
        };
        assert_eq!(types.len() as u64, n_vocab);
        let eos = header.get_u64("tokenizer.ggml.eos_token_id").unwrap();
        let Some(ArrayValue::String(tokens)) = header
            .get("tokenizer.ggml.tokens")
            .and_then(MetadataValue::as_array)
        else {
            panic!("tokens missing");
        };
        assert_eq!(tokens[eos as usize], "<|im_end|>");
        assert!(model.bytes < 4 << 20, "{} bytes", model.bytes);
    }

    #[test]
    fn weights_are_small_normals_and_norms_are_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny.gguf");
        generate(&ModelSpec::tiny(), &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let header = GgufHeader::read_from_bytes(&bytes, false).unwrap();
        let slice = |name: &str| {
            let tensor = header.tensor(name).unwrap();
            let start = (header.data_offset + tensor.offset) as usize;
            &bytes[start..start + tensor.data_bytes().unwrap() as usize]
        };
        let norm: Vec<f32> = slice("output_norm.weight")
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes(chunk.try_into().unwrap()))
            .collect();
        assert!(norm.iter().all(|&value| value == 1.0));
        let mut weights = Vec::new();
        dequantize_row_q8_0(slice("blk.0.ffn_up.weight"), &mut weights).unwrap();
        let std = (weights.iter().map(|w| w * w).sum::<f32>() / weights.len() as f32).sqrt();
        assert!((std - 0.02).abs() < 0.002, "{std}");
    }

    #[test]
    fn generation_is_deterministic_and_seeded() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        generate(&ModelSpec::tiny(), &a).unwrap();
        generate(&ModelSpec::tiny(), &b).unwrap();
        generate(
            &ModelSpec {
                seed: 1,
                ..ModelSpec::tiny()
            },
            &c,
        )
        .unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    }

    #[test]
    fn q4_0_and_f32_tiny_models_validate() {
        let dir = tempfile::tempdir().unwrap();
        for quant in [Quant::Q4_0, Quant::F32] {
            let path = dir.path().join(format!("{quant}.gguf"));
            generate(
                &ModelSpec {
                    quant,
                    ..ModelSpec::tiny()
                },
                &path,
            )
            .unwrap();
            let header = GgufHeader::read_path(&path, false).unwrap();
            assert_eq!(
                header.tensor("blk.0.attn_q.weight").unwrap().ggml_type,
                quant.ggml_type()
            );
            assert_eq!(
                header.get_u64("general.file_type"),
                Some(u64::from(quant.file_type()))
            );
        }
    }

    #[test]
    fn the_big_shape_needs_a_tokenizer() {
        let spec = ModelSpec {
            tokenizer: None,
            ..ModelSpec::qwen2_5_0_5b(Quant::Q4_0, "x")
        };
        let error = generate(&spec, Path::new("unused.gguf")).unwrap_err();
        assert!(error.to_string().contains("--tokenizer"), "{error}");
    }

    #[test]
    fn shapes_and_quants_parse() {
        assert_eq!("tiny".parse::<Shape>().unwrap(), Shape::Tiny);
        assert_eq!(
            "qwen2.5-0.5b".parse::<Shape>().unwrap(),
            Shape::Qwen2_5_0_5b
        );
        assert!("llama".parse::<Shape>().is_err());
        assert_eq!("Q4_0".parse::<Quant>().unwrap(), Quant::Q4_0);
        assert!("q4_k_m".parse::<Quant>().is_err());
        assert_eq!(Shape::Qwen2_5_0_5b.dimensions().n_embd_kv(), 128);
    }

    #[test]
    fn the_cached_tiny_model_is_reused() {
        let first = tiny_model_path().unwrap();
        let modified = std::fs::metadata(&first).unwrap().modified().unwrap();
        let second = tiny_model_path().unwrap();
        assert_eq!(first, second);
        assert_eq!(
            std::fs::metadata(&second).unwrap().modified().unwrap(),
            modified
        );
        assert!(
            first
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("tiny-")
        );
    }

    /// Counts what is written, to learn a header's size without a file.
    struct Counting(u64);

    impl Write for Counting {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len() as u64;
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// (header bytes, data bytes up to the end of the last tensor) of a layout.
    fn sizes(
        metadata: &[(String, MetadataValue)],
        tensors: &[(TensorDescriptor, Fill)],
    ) -> (u64, u64) {
        let descriptors: Vec<TensorDescriptor> =
            tensors.iter().map(|(tensor, _)| tensor.clone()).collect();
        let mut header = Counting(0);
        let writer = GgufWriter::new(&mut header, metadata, &descriptors).unwrap();
        let last = writer.tensors().last().unwrap();
        let data = last.offset + last.data_bytes().unwrap();
        drop(writer);
        (header.0, data)
    }

    /// The size the manifest gives for Qwen's published 0.5B file in `quant`.
    fn published(quant: Quant) -> u64 {
        published_size(&format!("qwen2.5-0.5b-instruct-{quant}"))
    }

    /// The size the manifest gives for the file `name`.
    fn published_size(name: &str) -> u64 {
        crate::Manifest::builtin()
            .unwrap()
            .get(name)
            .and_then(|entry| entry.size)
            .unwrap()
    }

    #[test]
    fn the_big_shape_matches_the_published_files() {
        let shape = Shape::Qwen2_5_0_5b;
        // Without the vocabulary: what the published files hold beyond this layout's tensor
        // data is their header (vocabulary, merges, template), the same in both quantisations.
        let mut headers = Vec::new();
        for quant in [Quant::Q4_0, Quant::Q8_0] {
            let tensors = model_tensors(shape, quant, QWEN2_5_VOCAB_ROWS as u64);
            let (_, data) = sizes(&[], &tensors);
            headers.push(published(quant) as i64 - data as i64);
        }
        assert_eq!(headers[0], headers[1], "the same header in both files");
        assert!(
            (5_000_000..7_000_000).contains(&headers[0]),
            "a vocabulary-sized header, got {} bytes",
            headers[0]
        );
    }

    #[test]
    #[cfg_attr(shared_tokenizer_absent, ignore = "../shared/tokenizer is absent")]
    fn with_the_real_vocabulary_the_big_shape_is_the_published_file() {
        // With the vocabulary: the whole file, within a few bytes of metadata wording.
        let tokenizer = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/tokenizer/qwen_tokenizer.json");
        for quant in [Quant::Q4_0, Quant::Q8_0] {
            let Layout {
                metadata, tensors, ..
            } = layout(&ModelSpec::qwen2_5_0_5b(quant, &tokenizer)).unwrap();
            let (header, data) = sizes(&metadata, &tensors);
            let difference = (header + data) as i64 - published(quant) as i64;
            assert!(difference.abs() < 1024, "{quant}: {difference} bytes off");
        }
    }

    /// `dims` of tensor `name` in `header`.
    fn dims_of(header: &GgufHeader, name: &str) -> Vec<u64> {
        header
            .tensor(name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .dims
            .clone()
    }

    #[test]
    fn the_tiny_qwen3_model_has_qwen3_names_and_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qwen3.gguf");
        let model = generate(&ModelSpec::qwen3_tiny(), &path).unwrap();
        // Per layer: 2 norms, 4 attention weights, 2 head norms, 3 FFN weights.
        assert_eq!(model.tensors, 1 + 2 * 11 + 1);
        let header = GgufHeader::read_path(&path, true).unwrap();
        assert_eq!(header.architecture(), Some("qwen3"));
        assert_eq!(header.get_u64("qwen3.attention.key_length"), Some(32));
        assert_eq!(header.get_u64("qwen3.attention.value_length"), Some(32));
        assert_eq!(header.get_u64("qwen3.embedding_length"), Some(64));
        assert!(header.get("qwen2.embedding_length").is_none());
        assert_eq!(header.get_str("tokenizer.ggml.pre"), Some("qwen2"));
        assert!(header.tensor("blk.0.attn_q.bias").is_none(), "no biases");
        assert!(header.tensor("output.weight").is_none(), "tied");
        assert_eq!(dims_of(&header, "blk.1.attn_q.weight"), [64, 128]);
        assert_eq!(dims_of(&header, "blk.1.attn_output.weight"), [128, 64]);
        assert_eq!(dims_of(&header, "blk.1.attn_q_norm.weight"), [32]);
        assert_eq!(
            header.tensor("token_embd.weight").unwrap().ggml_type,
            GgmlType::Q8_0
        );
    }

    #[test]
    #[cfg_attr(shared_tokenizer_absent, ignore = "../shared/tokenizer is absent")]
    fn the_qwen3_0_6b_header_has_qwen3s_keys_and_dimensions() {
        let tokenizer = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/tokenizer/qwen_tokenizer.json");
        let Layout {
            metadata, tensors, ..
        } = layout(&ModelSpec::qwen3_0_6b(Quant::Q4_0, &tokenizer)).unwrap();
        // Write the header alone and read it back as the start of a file with the data.
        let descriptors: Vec<TensorDescriptor> =
            tensors.iter().map(|(tensor, _)| tensor.clone()).collect();
        let (_, data) = sizes(&metadata, &tensors);
        let mut bytes = Vec::new();
        drop(GgufWriter::new(&mut bytes, &metadata, &descriptors).unwrap());
        let file_size = bytes.len() as u64 + data;
        let header = GgufHeader::read(bytes.as_slice(), file_size, false).unwrap();
        assert_eq!(header.architecture(), Some("qwen3"));
        for (key, value) in [
            ("qwen3.context_length", 40960),
            ("qwen3.embedding_length", 1024),
            ("qwen3.block_count", 28),
            ("qwen3.feed_forward_length", 3072),
            ("qwen3.attention.head_count", 16),
            ("qwen3.attention.head_count_kv", 8),
            ("qwen3.attention.key_length", 128),
            ("qwen3.attention.value_length", 128),
            ("general.file_type", 2),
        ] {
            assert_eq!(header.get_u64(key), Some(value), "{key}");
        }
        for (key, value) in [
            ("qwen3.rope.freq_base", 1e6),
            ("qwen3.attention.layer_norm_rms_epsilon", f64::from(1e-6f32)),
        ] {
            assert_eq!(header.get(key).unwrap().as_f64(), Some(value), "{key}");
        }
        assert_eq!(header.vocab_size(), Some(151_936));
        assert_eq!(header.tensors.len(), 1 + 28 * 11 + 1);
        for (name, dims) in [
            ("token_embd.weight", vec![1024, 151_936]),
            ("blk.27.attn_norm.weight", vec![1024]),
            ("blk.27.attn_q.weight", vec![1024, 2048]),
            ("blk.27.attn_k.weight", vec![1024, 1024]),
            ("blk.27.attn_v.weight", vec![1024, 1024]),
            ("blk.27.attn_output.weight", vec![2048, 1024]),
            ("blk.27.attn_q_norm.weight", vec![128]),
            ("blk.27.attn_k_norm.weight", vec![128]),
            ("blk.27.ffn_norm.weight", vec![1024]),
            ("blk.27.ffn_gate.weight", vec![1024, 3072]),
            ("blk.27.ffn_up.weight", vec![1024, 3072]),
            ("blk.27.ffn_down.weight", vec![3072, 1024]),
            ("output_norm.weight", vec![1024]),
        ] {
            assert_eq!(dims_of(&header, name), dims, "{name}");
        }
        for name in ["blk.0.attn_q.bias", "blk.0.attn_k.bias", "output.weight"] {
            assert!(header.tensor(name).is_none(), "{name}");
        }
        let type_of = |name: &str| header.tensor(name).unwrap().ggml_type;
        assert_eq!(type_of("blk.0.attn_q.weight"), GgmlType::Q4_0);
        assert_eq!(type_of("token_embd.weight"), GgmlType::Q8_0, "tied head");
        assert_eq!(type_of("blk.0.attn_q_norm.weight"), GgmlType::F32);
    }

    #[test]
    fn the_qwen3_shape_matches_the_published_file() {
        // Qwen publishes Qwen3-0.6B at Q8_0 only. What it holds beyond the tied layout's
        // tensor data is its header (vocabulary, merges, template): 5-7 MB, as for Qwen2.5.
        let shape = Shape::Qwen3_0_6b;
        let tensors = model_tensors(shape, Quant::Q8_0, QWEN2_5_VOCAB_ROWS as u64);
        let (_, data) = sizes(&[], &tensors);
        let header = published_size("qwen3-0.6b-q8_0") as i64 - data as i64;
        assert!(
            (5_000_000..7_000_000).contains(&header),
            "a vocabulary-sized header, got {header} bytes"
        );
        // A separate head would not fit in the file at all.
        let head = TensorDescriptor::new("output.weight", &[1024, 151_936], GgmlType::Q8_0);
        assert!(head.data_bytes().unwrap() as i64 > header);
    }

    #[test]
    #[cfg_attr(shared_tokenizer_absent, ignore = "../shared/tokenizer is absent")]
    fn with_the_real_vocabulary_the_qwen3_shape_is_near_the_published_file() {
        // 1,632 bytes short when written. The tensors are the published file's, so that is
        // header: chiefly the chat template (Qwen2.5's here, shorter than Qwen3's with its
        // think blocks; the shared tokenizer already has Qwen3's `<think>` tokens) and the
        // wording of the `general.*` keys.
        let tokenizer = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/tokenizer/qwen_tokenizer.json");
        let Layout {
            metadata, tensors, ..
        } = layout(&ModelSpec::qwen3_0_6b(Quant::Q8_0, &tokenizer)).unwrap();
        let (header, data) = sizes(&metadata, &tensors);
        let difference = (header + data) as i64 - published_size("qwen3-0.6b-q8_0") as i64;
        assert!(difference.abs() < 4096, "{difference} bytes off");
    }

    #[test]
    fn qwen3_shapes_parse_and_reject_what_llama_cpp_would_misread() {
        assert_eq!("qwen3-0.6b".parse::<Shape>().unwrap(), Shape::Qwen3_0_6b);
        assert_eq!("qwen3-tiny".parse::<Shape>().unwrap(), Shape::Qwen3Tiny);
        let dims = Shape::Qwen3_0_6b.dimensions();
        assert_eq!((dims.n_embd_q(), dims.n_embd_kv()), (2048, 1024));
        for shape in [Shape::Qwen3Tiny, Shape::Qwen3_0_6b] {
            for quant in [Quant::Q4_0, Quant::Q8_0, Quant::F32] {
                check_dimensions(Architecture::Qwen3, &shape.dimensions(), quant).unwrap();
            }
        }
        // Qwen2 files carry no head size, so their heads must make the width.
        assert!(check_dimensions(Architecture::Qwen2, &dims, Quant::F32).is_err());
        assert_eq!(Shape::Qwen3_0_6b.embedding_type(Quant::F32), GgmlType::F32);
        let error = generate(
            &ModelSpec {
                tokenizer: None,
                ..ModelSpec::qwen3_0_6b(Quant::Q4_0, "x")
            },
            Path::new("unused.gguf"),
        )
        .unwrap_err();
        assert!(error.to_string().contains("qwen3-0.6b needs"), "{error}");
    }

    #[test]
    fn the_cached_tiny_qwen3_model_is_qwen3() {
        let path = tiny_qwen3_model_path().unwrap();
        assert_eq!(tiny_qwen3_model_path().unwrap(), path);
        let header = GgufHeader::read_path(&path, false).unwrap();
        assert_eq!(header.architecture(), Some("qwen3"));
        assert_ne!(path, tiny_model_path().unwrap());
    }
}
