//! Tensor descriptions: what the writer is told, and what the reader finds.
//!
//! GGUF stores dimensions innermost first (`ne[0]` is the row length), so a weight that maps
//! `n_embd` inputs to `n_ff` outputs is `[n_embd, n_ff]`; quantisation runs along `ne[0]`.

use super::GgmlType;

/// A tensor to write: name, dimensions (row length first) and storage type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorDescriptor {
    /// The llama.cpp tensor name (`blk.0.attn_q.weight`).
    pub name: String,
    /// Dimensions, `dims[0]` being the row length.
    pub dims: Vec<u64>,
    /// The storage type.
    pub ggml_type: GgmlType,
}

impl TensorDescriptor {
    /// A descriptor.
    pub fn new(name: impl Into<String>, dims: &[u64], ggml_type: GgmlType) -> Self {
        Self {
            name: name.into(),
            dims: dims.to_vec(),
            ggml_type,
        }
    }

    /// Number of elements.
    pub fn elements(&self) -> u64 {
        self.dims.iter().product()
    }

    /// Bytes of data, when the type is known and rows are whole blocks.
    pub fn data_bytes(&self) -> Option<u64> {
        self.ggml_type.tensor_bytes(&self.dims)
    }
}

/// A tensor as recorded in a GGUF header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    /// The tensor name.
    pub name: String,
    /// Dimensions, row length first.
    pub dims: Vec<u64>,
    /// The storage type.
    pub ggml_type: GgmlType,
    /// Offset of the data from the start of the data section.
    pub offset: u64,
}

impl TensorInfo {
    /// Bytes of data, when the type is known.
    pub fn data_bytes(&self) -> Option<u64> {
        self.ggml_type.tensor_bytes(&self.dims)
    }
}
