//! ggml block quantisation: Q8_0 and Q4_0, plus F16 rows.
//!
//! llama.cpp's CPU kernels read these bytes directly, so the layouts must be exactly ggml's:
//!
//! - **Q8_0**: blocks of 32 values, each an `f16` scale `d = max|x| / 127` followed by 32
//!   signed bytes `round(x / d)`; 34 bytes per block.
//! - **Q4_0**: blocks of 32 values, each an `f16` scale `d = m / -8` (where `m` is the value of
//!   largest magnitude, sign kept) followed by 16 bytes; byte `j` holds value `j` in its low
//!   nibble and value `j + 16` in its high nibble, each stored as `min(15, trunc(x / d + 8.5))`
//!   and read back as `(q - 8) * d`; 18 bytes per block.
//!
//! The arithmetic follows ggml's reference quantisers (`quantize_row_q8_0_ref`,
//! `quantize_row_q4_0_ref`), the ones it uses to create model files deterministically.

use half::f16;

use crate::gguf::GgmlType;

/// Values per Q8_0 and Q4_0 block.
pub const BLOCK: usize = 32;
/// Bytes per Q8_0 block.
pub const Q8_0_BYTES: usize = 34;
/// Bytes per Q4_0 block.
pub const Q4_0_BYTES: usize = 18;

/// A row whose length is not a whole number of 32-value blocks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a row of {0} values is not a whole number of {BLOCK}-value blocks")]
pub struct RowLengthError(pub usize);

/// Appends the Q8_0 encoding of `row` to `out`.
pub fn quantize_row_q8_0(row: &[f32], out: &mut Vec<u8>) -> Result<(), RowLengthError> {
    if !row.len().is_multiple_of(BLOCK) {
        return Err(RowLengthError(row.len()));
    }
    out.reserve(row.len() / BLOCK * Q8_0_BYTES);
    for block in row.chunks_exact(BLOCK) {
        let amax = block
            .iter()
            .fold(0.0f32, |amax, value| amax.max(value.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        // `as i8` saturates; |x * id| <= 127 up to rounding, as in ggml.
        out.extend(block.iter().map(|value| (value * id).round() as i8 as u8));
    }
    Ok(())
}

/// Decodes Q8_0 bytes (whole blocks) into `out`.
pub fn dequantize_row_q8_0(bytes: &[u8], out: &mut Vec<f32>) -> Result<(), RowLengthError> {
    if !bytes.len().is_multiple_of(Q8_0_BYTES) {
        return Err(RowLengthError(bytes.len()));
    }
    for block in bytes.chunks_exact(Q8_0_BYTES) {
        let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
        out.extend(block[2..].iter().map(|&q| f32::from(q as i8) * d));
    }
    Ok(())
}

/// Appends the Q4_0 encoding of `row` to `out`.
pub fn quantize_row_q4_0(row: &[f32], out: &mut Vec<u8>) -> Result<(), RowLengthError> {
    if !row.len().is_multiple_of(BLOCK) {
        return Err(RowLengthError(row.len()));
    }
    out.reserve(row.len() / BLOCK * Q4_0_BYTES);
    for block in row.chunks_exact(BLOCK) {
        let mut amax = 0.0f32;
        let mut max = 0.0f32;
        for &value in block {
            if amax < value.abs() {
                amax = value.abs();
                max = value;
            }
        }
        let d = max / -8.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
        let nibble = |value: f32| -> u8 { ((value * id + 8.5) as i8).min(15) as u8 };
        let (low, high) = block.split_at(BLOCK / 2);
        out.extend(
            low.iter()
                .zip(high)
                .map(|(&low, &high)| nibble(low) | (nibble(high) << 4)),
        );
    }
    Ok(())
}

/// Decodes Q4_0 bytes (whole blocks) into `out`.
pub fn dequantize_row_q4_0(bytes: &[u8], out: &mut Vec<f32>) -> Result<(), RowLengthError> {
    if !bytes.len().is_multiple_of(Q4_0_BYTES) {
        return Err(RowLengthError(bytes.len()));
    }
    for block in bytes.chunks_exact(Q4_0_BYTES) {
        let d = f16::from_le_bytes([block[0], block[1]]).to_f32();
        let quants = &block[2..];
        out.extend(quants.iter().map(|&q| (f32::from(q & 0x0f) - 8.0) * d));
        out.extend(quants.iter().map(|&q| (f32::from(q >> 4) - 8.0) * d));
    }
    Ok(())
}

/// Appends `row` as little-endian `f16` values.
pub fn encode_row_f16(row: &[f32], out: &mut Vec<u8>) {
    out.reserve(row.len() * 2);
    for &value in row {
        out.extend_from_slice(&f16::from_f32(value).to_le_bytes());
    }
}

/// Appends `row` as little-endian `f32` values.
pub fn encode_row_f32(row: &[f32], out: &mut Vec<u8>) {
    out.reserve(row.len() * 4);
    for &value in row {
        out.extend_from_slice(&value.to_le_bytes());
    }
}

/// Appends `row` encoded as `ggml_type` (F32, F16, Q8_0 or Q4_0).
pub fn encode_row(
    ggml_type: GgmlType,
    row: &[f32],
    out: &mut Vec<u8>,
) -> Result<(), RowLengthError> {
    match ggml_type {
        GgmlType::F32 => encode_row_f32(row, out),
        GgmlType::F16 => encode_row_f16(row, out),
        GgmlType::Q8_0 => quantize_row_q8_0(row, out)?,
        GgmlType::Q4_0 => quantize_row_q4_0(row, out)?,
        GgmlType::Other { .. } => return Err(RowLengthError(row.len())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp() -> Vec<f32> {
        (0..32).map(|i| i as f32 - 16.0).collect()
    }

    #[test]
    fn q8_0_block_matches_a_hand_computed_one() {
        // Values -16..=15: amax 16, d = 16/127, q = round(x * 127/16).
        let mut out = Vec::new();
        quantize_row_q8_0(&ramp(), &mut out).unwrap();
        assert_eq!(out.len(), Q8_0_BYTES);
        assert_eq!(&out[..2], &f16::from_f32(16.0 / 127.0).to_le_bytes());
        let id = 1.0 / (16.0f32 / 127.0);
        let expected: Vec<u8> = ramp()
            .iter()
            .map(|x| (x * id).round() as i8 as u8)
            .collect();
        assert_eq!(&out[2..], expected.as_slice());
        assert_eq!(out[2] as i8, -127);
        assert_eq!(out[2 + 16] as i8, 0);
        assert_eq!(out[2 + 31] as i8, 119); // round(15 * 7.9375) = 119
    }

    #[test]
    fn q4_0_block_matches_a_hand_computed_one() {
        // Largest magnitude is -16, so d = -16 / -8 = 2 and q = trunc(x / 2 + 8.5) capped at 15.
        let mut out = Vec::new();
        quantize_row_q4_0(&ramp(), &mut out).unwrap();
        assert_eq!(out.len(), Q4_0_BYTES);
        assert_eq!(&out[..2], &f16::from_f32(2.0).to_le_bytes());
        // Byte 0: value 0 (-16 -> 0) low, value 16 (0 -> 8) high.
        assert_eq!(out[2], 0x80);
        // Byte 1: value 1 (-15 -> trunc(1.0) = 1) low, value 17 (1 -> trunc(9.0) = 9) high.
        assert_eq!(out[3], 0x91);
        // Byte 15: value 15 (-1 -> trunc(8.0) = 8) low, value 31 (15 -> min(15, 16) = 15) high.
        assert_eq!(out[17], 0xf8);
    }

    #[test]
    fn nibble_order_puts_the_second_half_in_high_nibbles() {
        let mut row = vec![0.0f32; 32];
        row[16] = -8.0; // d = 1; value 16 -> q 0, everything else -> q 8
        let mut out = Vec::new();
        quantize_row_q4_0(&row, &mut out).unwrap();
        assert_eq!(out[2], 0x08);
        assert!(out[3..].iter().all(|&byte| byte == 0x88));
        let mut back = Vec::new();
        dequantize_row_q4_0(&out, &mut back).unwrap();
        assert_eq!(back, row);
    }

    type Quantize = fn(&[f32], &mut Vec<u8>) -> Result<(), RowLengthError>;
    type Dequantize = fn(&[u8], &mut Vec<f32>) -> Result<(), RowLengthError>;

    /// Q8_0 rounds to the nearest of 255 levels: at most half a step off. Q4_0 has 16 levels,
    /// -8..=7 steps, with the largest magnitude mapped to -8; values of the other sign clamp
    /// at +7, so the bound is one step.
    #[test]
    fn round_trip_errors_stay_within_the_step_bounds() {
        let row: Vec<f32> = (0..256)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 1000.0)
            .collect();
        let cases: [(Quantize, Dequantize, f32, f32); 2] = [
            (quantize_row_q8_0, dequantize_row_q8_0, 127.0, 0.5),
            (quantize_row_q4_0, dequantize_row_q4_0, 8.0, 1.0),
        ];
        for (quantize, dequantize, levels, steps) in cases {
            let mut bytes = Vec::new();
            quantize(&row, &mut bytes).unwrap();
            let mut back = Vec::new();
            dequantize(&bytes, &mut back).unwrap();
            assert_eq!(back.len(), row.len());
            for (block, decoded) in row.chunks(32).zip(back.chunks(32)) {
                let amax = block.iter().fold(0.0f32, |a, v| a.max(v.abs()));
                let step = amax / levels;
                for (x, y) in block.iter().zip(decoded) {
                    // Plus the f16 rounding of the scale.
                    assert!((x - y).abs() <= step * steps + amax * 2e-3, "{x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn zero_blocks_encode_a_zero_scale() {
        let mut out = Vec::new();
        quantize_row_q8_0(&[0.0; 32], &mut out).unwrap();
        assert!(out.iter().all(|&byte| byte == 0));
        out.clear();
        quantize_row_q4_0(&[0.0; 32], &mut out).unwrap();
        // ggml computes d = 0 / -8 = -0.0, stored as the f16 negative zero.
        assert_eq!(&out[..2], &f16::from_f32(-0.0).to_le_bytes());
        assert!(out[2..].iter().all(|&byte| byte == 0x88));
    }

    #[test]
    fn partial_blocks_are_refused() {
        assert_eq!(
            quantize_row_q8_0(&[0.0; 33], &mut Vec::new()),
            Err(RowLengthError(33))
        );
        assert!(quantize_row_q4_0(&[0.0; 31], &mut Vec::new()).is_err());
        assert!(dequantize_row_q4_0(&[0; 17], &mut Vec::new()).is_err());
    }

    #[test]
    fn float_rows_are_little_endian() {
        let mut out = Vec::new();
        encode_row(GgmlType::F32, &[1.0], &mut out).unwrap();
        assert_eq!(out, 1.0f32.to_le_bytes());
        out.clear();
        encode_row(GgmlType::F16, &[1.0], &mut out).unwrap();
        assert_eq!(out, [0x00, 0x3c]);
    }
}
