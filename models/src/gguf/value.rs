//! GGUF metadata values and their on-disk encoding.
//!
//! A GGUF header is a list of typed key/value pairs. The writer needs every type llama.cpp's
//! loaders read for a Qwen model (integers, floats, booleans, strings, and arrays of strings,
//! `i32` and `f32`); the reader decodes every type the format defines so it can walk any GGUF,
//! including real downloads, without understanding each key.

use std::io::{self, Write};

use super::GgufError;

/// The type tag GGUF stores before each value (`gguf_type` in ggml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum ValueType {
    /// `u8`.
    U8 = 0,
    /// `i8`.
    I8 = 1,
    /// `u16`.
    U16 = 2,
    /// `i16`.
    I16 = 3,
    /// `u32`.
    U32 = 4,
    /// `i32`.
    I32 = 5,
    /// `f32`.
    F32 = 6,
    /// A boolean stored as one byte.
    Bool = 7,
    /// A UTF-8 string: `u64` length, then bytes.
    String = 8,
    /// An array: element type, `u64` count, then elements.
    Array = 9,
    /// `u64`.
    U64 = 10,
    /// `i64`.
    I64 = 11,
    /// `f64`.
    F64 = 12,
}

impl ValueType {
    /// The type for a tag read from a file.
    pub fn from_tag(tag: u32) -> Result<Self, GgufError> {
        Ok(match tag {
            0 => Self::U8,
            1 => Self::I8,
            2 => Self::U16,
            3 => Self::I16,
            4 => Self::U32,
            5 => Self::I32,
            6 => Self::F32,
            7 => Self::Bool,
            8 => Self::String,
            9 => Self::Array,
            10 => Self::U64,
            11 => Self::I64,
            12 => Self::F64,
            other => return Err(GgufError::Malformed(format!("unknown value type {other}"))),
        })
    }

    /// The size in bytes of one value of a fixed-size type; `None` for strings and arrays.
    pub fn fixed_size(self) -> Option<u64> {
        match self {
            Self::U8 | Self::I8 | Self::Bool => Some(1),
            Self::U16 | Self::I16 => Some(2),
            Self::U32 | Self::I32 | Self::F32 => Some(4),
            Self::U64 | Self::I64 | Self::F64 => Some(8),
            Self::String | Self::Array => None,
        }
    }
}

/// One metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum MetadataValue {
    /// `u8`.
    U8(u8),
    /// `i8`.
    I8(i8),
    /// `u16`.
    U16(u16),
    /// `i16`.
    I16(i16),
    /// `u32` (token ids, counts, `general.alignment`, `general.file_type`).
    U32(u32),
    /// `i32`.
    I32(i32),
    /// `f32` (rope base, norm epsilon).
    F32(f32),
    /// A boolean.
    Bool(bool),
    /// A string.
    String(String),
    /// `u64`.
    U64(u64),
    /// `i64`.
    I64(i64),
    /// `f64`.
    F64(f64),
    /// An array of one element type.
    Array(ArrayValue),
}

/// An array value. The reader keeps arrays only on request (vocabularies are large), and
/// otherwise records their element type and length as [`ArrayValue::Skipped`].
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayValue {
    /// Strings (tokens, merges).
    String(Vec<String>),
    /// `i32` (token types).
    I32(Vec<i32>),
    /// `u32`.
    U32(Vec<u32>),
    /// `f32` (token scores).
    F32(Vec<f32>),
    /// `u8`.
    U8(Vec<u8>),
    /// An array the reader did not keep (or whose element type it does not keep).
    Skipped {
        /// The element type.
        element_type: ValueType,
        /// The number of elements.
        len: u64,
    },
}

impl ArrayValue {
    /// The number of elements.
    pub fn len(&self) -> u64 {
        match self {
            Self::String(values) => values.len() as u64,
            Self::I32(values) => values.len() as u64,
            Self::U32(values) => values.len() as u64,
            Self::F32(values) => values.len() as u64,
            Self::U8(values) => values.len() as u64,
            Self::Skipped { len, .. } => *len,
        }
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The element type.
    pub fn element_type(&self) -> ValueType {
        match self {
            Self::String(_) => ValueType::String,
            Self::I32(_) => ValueType::I32,
            Self::U32(_) => ValueType::U32,
            Self::F32(_) => ValueType::F32,
            Self::U8(_) => ValueType::U8,
            Self::Skipped { element_type, .. } => *element_type,
        }
    }
}

impl MetadataValue {
    /// The value's type tag.
    pub fn value_type(&self) -> ValueType {
        match self {
            Self::U8(_) => ValueType::U8,
            Self::I8(_) => ValueType::I8,
            Self::U16(_) => ValueType::U16,
            Self::I16(_) => ValueType::I16,
            Self::U32(_) => ValueType::U32,
            Self::I32(_) => ValueType::I32,
            Self::F32(_) => ValueType::F32,
            Self::Bool(_) => ValueType::Bool,
            Self::String(_) => ValueType::String,
            Self::U64(_) => ValueType::U64,
            Self::I64(_) => ValueType::I64,
            Self::F64(_) => ValueType::F64,
            Self::Array(_) => ValueType::Array,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(value) => Some(value),
            _ => None,
        }
    }

    /// The value as `u64`, if it is a non-negative integer of any width.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::U8(value) => Some(value.into()),
            Self::U16(value) => Some(value.into()),
            Self::U32(value) => Some(value.into()),
            Self::U64(value) => Some(value),
            Self::I8(value) => u64::try_from(value).ok(),
            Self::I16(value) => u64::try_from(value).ok(),
            Self::I32(value) => u64::try_from(value).ok(),
            Self::I64(value) => u64::try_from(value).ok(),
            _ => None,
        }
    }

    /// The value as `f64`, if it is a float.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::F32(value) => Some(value.into()),
            Self::F64(value) => Some(value),
            _ => None,
        }
    }

    /// The array, if this is an array.
    pub fn as_array(&self) -> Option<&ArrayValue> {
        match self {
            Self::Array(array) => Some(array),
            _ => None,
        }
    }

    /// Writes the value without its type tag (the caller writes the tag).
    pub(crate) fn write_payload(&self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Self::U8(value) => out.write_all(&[*value]),
            Self::I8(value) => out.write_all(&value.to_le_bytes()),
            Self::U16(value) => out.write_all(&value.to_le_bytes()),
            Self::I16(value) => out.write_all(&value.to_le_bytes()),
            Self::U32(value) => out.write_all(&value.to_le_bytes()),
            Self::I32(value) => out.write_all(&value.to_le_bytes()),
            Self::F32(value) => out.write_all(&value.to_le_bytes()),
            Self::Bool(value) => out.write_all(&[u8::from(*value)]),
            Self::String(value) => write_string(out, value),
            Self::U64(value) => out.write_all(&value.to_le_bytes()),
            Self::I64(value) => out.write_all(&value.to_le_bytes()),
            Self::F64(value) => out.write_all(&value.to_le_bytes()),
            Self::Array(array) => write_array(out, array),
        }
    }
}

/// Writes a GGUF string: `u64` byte length, then the UTF-8 bytes (no terminator).
pub(crate) fn write_string(out: &mut impl Write, value: &str) -> io::Result<()> {
    out.write_all(&(value.len() as u64).to_le_bytes())?;
    out.write_all(value.as_bytes())
}

fn write_array(out: &mut impl Write, array: &ArrayValue) -> io::Result<()> {
    out.write_all(&(array.element_type() as u32).to_le_bytes())?;
    out.write_all(&array.len().to_le_bytes())?;
    match array {
        ArrayValue::String(values) => values.iter().try_for_each(|value| write_string(out, value)),
        ArrayValue::I32(values) => values
            .iter()
            .try_for_each(|value| out.write_all(&value.to_le_bytes())),
        ArrayValue::U32(values) => values
            .iter()
            .try_for_each(|value| out.write_all(&value.to_le_bytes())),
        ArrayValue::F32(values) => values
            .iter()
            .try_for_each(|value| out.write_all(&value.to_le_bytes())),
        ArrayValue::U8(values) => out.write_all(values),
        ArrayValue::Skipped { .. } => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "cannot write an array whose elements were not kept",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_length_prefixed_without_terminator() {
        let mut out = Vec::new();
        MetadataValue::String("qwen2".into())
            .write_payload(&mut out)
            .unwrap();
        assert_eq!(out, [5, 0, 0, 0, 0, 0, 0, 0, b'q', b'w', b'e', b'n', b'2']);
    }

    #[test]
    fn arrays_carry_element_type_and_count() {
        let mut out = Vec::new();
        MetadataValue::Array(ArrayValue::I32(vec![1, 3]))
            .write_payload(&mut out)
            .unwrap();
        assert_eq!(
            out,
            [5, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0]
        );
    }

    #[test]
    fn every_tag_round_trips() {
        for tag in 0..=12 {
            assert_eq!(ValueType::from_tag(tag).unwrap() as u32, tag);
        }
        assert!(ValueType::from_tag(13).is_err());
    }

    #[test]
    fn integers_widen_and_negative_ones_do_not() {
        assert_eq!(MetadataValue::U32(7).as_u64(), Some(7));
        assert_eq!(MetadataValue::I32(-1).as_u64(), None);
        assert_eq!(MetadataValue::F32(1e6).as_f64(), Some(1e6));
    }
}
