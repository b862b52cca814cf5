//! Lobster's model files.
//!
//! The on-device planner runs a quantised Qwen GGUF with llama.cpp. This crate is everything
//! about those files that is not inference:
//!
//! - [`gguf`]: write GGUF v3 files and read/validate their headers without loading weights.
//! - [`quant`]: ggml's Q8_0 and Q4_0 block quantisation, bit-exact.
//! - [`generate`](mod@generate): Qwen2 and Qwen3 models with real shapes, names, metadata and
//!   vocabulary but random weights, for tests ([`tiny_model_path`], [`tiny_qwen3_model_path`])
//!   and benchmarks (Qwen2.5-0.5B's and Qwen3-0.6B's shapes).
//! - [`generate_qwen35`](mod@generate_qwen35): the same for Qwen3.5's hybrid architecture
//!   (`qwen35`: Gated DeltaNet and full-attention layers), tiny ([`tiny_qwen35_model_path`]),
//!   0.8B and 2B.
//! - [`Manifest`]: the supported Qwen GGUFs, with sizes and hashes where they can be cited.
//! - [`ModelStore`] and [`pull`]: the local models directory, name resolution with errors that
//!   say what to do, imports, and resumable, verified, cancellable downloads, from the
//!   manifest's host or a [`mirror`].
//! - [`ram`]: which model suits a phone's memory (the manifest's RAM tiers).

pub mod chat_template;
pub mod download;
mod error;
pub mod generate;
pub mod generate_qwen35;
pub mod gguf;
pub mod manifest;
pub mod mirror;
pub mod quant;
pub mod ram;
mod random;
pub mod store;
pub mod verify;
pub mod vocab;

pub use download::{
    CancelFlag, DEFAULT_SIZE_CAP, Progress, PullOptions, PulledModel, pull, pull_async,
};
pub use error::ModelError;
pub use generate::{
    Architecture, Dimensions, GeneratedModel, ModelSpec, Quant, Shape, generate, tiny_model_path,
    tiny_qwen3_model_path,
};
pub use generate_qwen35::{
    Qwen35Dimensions, Qwen35Shape, Qwen35Spec, generate_qwen35, tiny_qwen35_model_path,
};
pub use manifest::{Manifest, ManifestEntry};
pub use store::{
    ImportedModel, InstalledModel, ModelStore, TESTED_ARCHITECTURES, is_tested_architecture,
    resolve,
};
pub use verify::{Expectation, Verification, verify_file};
