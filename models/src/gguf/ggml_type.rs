//! ggml tensor types and their storage sizes.
//!
//! The writer only produces F32, F16, Q8_0 and Q4_0, but the reader must size the tensors of
//! any published GGUF (K-quants, i-quants, BF16…) to prove that a downloaded file really holds
//! all of its data: a truncated download then shows up as a tensor running past the end of the
//! file, without reading the weights.

/// A ggml tensor type (`ggml_type`), with the numeric ids GGUF stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GgmlType {
    /// 32-bit float.
    F32,
    /// 16-bit IEEE float.
    F16,
    /// 4-bit blocks of 32: an f16 scale and 16 bytes of nibbles.
    Q4_0,
    /// 8-bit blocks of 32: an f16 scale and 32 signed bytes.
    Q8_0,
    /// Any other type, by id, with its block size and bytes per block when known.
    Other {
        /// The `ggml_type` id.
        id: u32,
    },
}

/// (id, name, elements per block, bytes per block) for every type this crate can size.
const LAYOUTS: &[(u32, &str, u64, u64)] = &[
    (0, "F32", 1, 4),
    (1, "F16", 1, 2),
    (2, "Q4_0", 32, 18),
    (3, "Q4_1", 32, 20),
    (6, "Q5_0", 32, 22),
    (7, "Q5_1", 32, 24),
    (8, "Q8_0", 32, 34),
    (9, "Q8_1", 32, 36),
    (10, "Q2_K", 256, 84),
    (11, "Q3_K", 256, 110),
    (12, "Q4_K", 256, 144),
    (13, "Q5_K", 256, 176),
    (14, "Q6_K", 256, 210),
    (15, "Q8_K", 256, 292),
    (16, "IQ2_XXS", 256, 66),
    (17, "IQ2_XS", 256, 74),
    (18, "IQ3_XXS", 256, 98),
    (19, "IQ1_S", 256, 50),
    (20, "IQ4_NL", 32, 18),
    (21, "IQ3_S", 256, 110),
    (22, "IQ2_S", 256, 82),
    (23, "IQ4_XS", 256, 136),
    (24, "I8", 1, 1),
    (25, "I16", 1, 2),
    (26, "I32", 1, 4),
    (27, "I64", 1, 8),
    (28, "F64", 1, 8),
    (29, "IQ1_M", 256, 56),
    (30, "BF16", 1, 2),
    (34, "TQ1_0", 256, 54),
    (35, "TQ2_0", 256, 66),
    (39, "MXFP4", 32, 17),
];

impl GgmlType {
    /// The type for an id read from a file.
    pub fn from_id(id: u32) -> Self {
        match id {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            8 => Self::Q8_0,
            id => Self::Other { id },
        }
    }

    /// The `ggml_type` id.
    pub fn id(self) -> u32 {
        match self {
            Self::F32 => 0,
            Self::F16 => 1,
            Self::Q4_0 => 2,
            Self::Q8_0 => 8,
            Self::Other { id } => id,
        }
    }

    fn layout(self) -> Option<(&'static str, u64, u64)> {
        let id = self.id();
        LAYOUTS
            .iter()
            .find(|(layout_id, ..)| *layout_id == id)
            .map(|&(_, name, block, bytes)| (name, block, bytes))
    }

    /// ggml's name for the type (`"Q4_0"`), or `"type N"` for an unknown id.
    pub fn name(self) -> String {
        self.layout().map_or_else(
            || format!("type {}", self.id()),
            |(name, ..)| name.to_owned(),
        )
    }

    /// Elements per block (32 for Q4_0/Q8_0, 1 for floats); `None` for unknown types.
    pub fn block_size(self) -> Option<u64> {
        self.layout().map(|(_, block, _)| block)
    }

    /// Bytes per block; `None` for unknown types.
    pub fn block_bytes(self) -> Option<u64> {
        self.layout().map(|(_, _, bytes)| bytes)
    }

    /// Bytes of a row of `elements` values, or `None` when the type is unknown, the row is
    /// not a whole number of blocks, or the size overflows (a corrupt header's row length;
    /// found by fuzzing, `fuzz/regressions/gguf/`).
    pub fn row_bytes(self, elements: u64) -> Option<u64> {
        let (_, block, bytes) = self.layout()?;
        elements
            .is_multiple_of(block)
            .then_some(elements / block)
            .and_then(|blocks| blocks.checked_mul(bytes))
    }

    /// Bytes of a tensor with dimensions `dims` (`dims[0]` is the row length), or `None` when
    /// unknown, not whole blocks, or overflowing.
    pub fn tensor_bytes(self, dims: &[u64]) -> Option<u64> {
        let row_length = dims.first().copied().unwrap_or(1);
        let rows = dims
            .iter()
            .skip(1)
            .try_fold(1u64, |rows, &dim| rows.checked_mul(dim))?;
        self.row_bytes(row_length)?.checked_mul(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_layouts_match_ggml() {
        assert_eq!(GgmlType::Q8_0.row_bytes(64), Some(68));
        assert_eq!(GgmlType::Q4_0.row_bytes(64), Some(36));
        assert_eq!(GgmlType::F16.row_bytes(3), Some(6));
        assert_eq!(GgmlType::F32.row_bytes(3), Some(12));
        assert_eq!(GgmlType::Q4_0.row_bytes(33), None);
        assert_eq!(GgmlType::from_id(12).row_bytes(256), Some(144));
    }

    #[test]
    fn tensor_bytes_multiplies_rows() {
        assert_eq!(
            GgmlType::Q4_0.tensor_bytes(&[896, 151_936]),
            Some(896 / 32 * 18 * 151_936)
        );
        assert_eq!(GgmlType::F32.tensor_bytes(&[896]), Some(3584));
        assert_eq!(GgmlType::Other { id: 99 }.tensor_bytes(&[32]), None);
    }

    #[test]
    fn ids_round_trip() {
        for id in [0, 1, 2, 8, 12, 30] {
            assert_eq!(GgmlType::from_id(id).id(), id);
        }
        assert_eq!(GgmlType::Q4_0.name(), "Q4_0");
        assert_eq!(GgmlType::from_id(77).name(), "type 77");
    }
}
