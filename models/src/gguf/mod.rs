//! GGUF, the model file format of llama.cpp: a streaming writer and a header reader.
//!
//! The writer exists so Lobster can generate models with a real Qwen architecture and
//! vocabulary but random weights (tests and benchmarks need llama.cpp to load *something*, and
//! no weights can be downloaded here). The reader exists to check a downloaded or imported file
//! before it is trusted: magic, version, architecture, metadata keys, and that every tensor lies
//! inside the file, all without loading the weights.
//!
//! Layout (version 3, little-endian): magic `GGUF`, `u32` version, `u64` tensor count, `u64`
//! metadata count, the metadata key/value pairs, the tensor infos (name, dimension count,
//! dimensions with the row length first, ggml type, offset into the data section), padding to
//! `general.alignment` (32 by default), then the tensor data, each tensor starting aligned.

mod ggml_type;
mod reader;
mod tensor;
mod value;
mod writer;

pub use ggml_type::GgmlType;
pub use reader::GgufHeader;
pub use tensor::{TensorDescriptor, TensorInfo};
pub use value::{ArrayValue, MetadataValue, ValueType};
pub use writer::GgufWriter;

/// The four bytes every GGUF starts with.
pub const MAGIC: [u8; 4] = *b"GGUF";
/// The format version this crate writes.
pub const VERSION: u32 = 3;
/// The data alignment when `general.alignment` is absent, and the one this crate writes.
pub const DEFAULT_ALIGNMENT: u64 = 32;

/// What can be wrong with a GGUF file, or with a request to write one.
#[derive(Debug, thiserror::Error)]
pub enum GgufError {
    /// Reading or writing failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The file does not start with `GGUF`.
    #[error("not a GGUF file (starts with {0:?}, expected \"GGUF\")")]
    BadMagic([u8; 4]),
    /// A version this crate cannot read.
    #[error("unsupported GGUF version {0} (supported: 2 and 3)")]
    UnsupportedVersion(u32),
    /// The header is inconsistent or absurd.
    #[error("malformed GGUF: {0}")]
    Malformed(String),
    /// The header promises more tensor data than the file holds.
    #[error(
        "truncated: the tensor data needs {needed} bytes but the file has {file_size} \
         (an incomplete download?)"
    )]
    Truncated {
        /// Bytes the header says the file must have.
        needed: u64,
        /// Bytes the file has.
        file_size: u64,
    },
    /// The writer was used out of order or given the wrong amount of data.
    #[error("GGUF writer: {0}")]
    Writer(String),
}

/// Rounds `offset` up to a multiple of `alignment` (a power of two or any positive number).
pub(crate) fn align_up(offset: u64, alignment: u64) -> u64 {
    // Saturating: a corrupt header's offset near `u64::MAX` then fails the offset checks.
    offset.div_ceil(alignment).saturating_mul(alignment)
}
