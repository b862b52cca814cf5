//! Reading and validating a GGUF header without loading the weights.
//!
//! A model that is downloaded, imported or generated is checked here before anything trusts
//! it: the magic and version, every metadata key and value (arrays such as the 150k-token
//! vocabulary are skipped unless asked for), every tensor's name, shape and type, and that the
//! tensor data llama.cpp will map really lies inside the file. The rules follow llama.cpp's own
//! loader (unique keys, power-of-two alignment, at most 4 dimensions, tensors laid out in order
//! at aligned offsets) so a file that passes here is one llama.cpp will accept.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::{ArrayValue, GgmlType, GgufError, MAGIC, MetadataValue, TensorInfo, ValueType};
use super::{DEFAULT_ALIGNMENT, align_up};

/// Limits that keep a corrupt header from asking for absurd allocations.
const MAX_TENSORS: u64 = 1 << 20;
const MAX_KEYS: u64 = 1 << 20;
const MAX_DIMS: u32 = 4;

/// The parsed header of a GGUF file.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufHeader {
    /// Format version (2 or 3).
    pub version: u32,
    /// Metadata in file order.
    pub metadata: Vec<(String, MetadataValue)>,
    /// Tensor infos in file order.
    pub tensors: Vec<TensorInfo>,
    /// The data alignment (`general.alignment`, default 32).
    pub alignment: u64,
    /// Where the data section starts, from the start of the file.
    pub data_offset: u64,
    /// The file's size in bytes.
    pub file_size: u64,
}

impl GgufHeader {
    /// Reads and validates the header of the file at `path`. With `keep_arrays`, string and
    /// numeric arrays are kept (the vocabulary); otherwise only their type and length are.
    pub fn read_path(path: &Path, keep_arrays: bool) -> Result<Self, GgufError> {
        let file = File::open(path)?;
        let file_size = file.metadata()?.len();
        Self::read(
            BufReader::with_capacity(1 << 16, file),
            file_size,
            keep_arrays,
        )
    }

    /// Reads and validates a header from a file held in memory.
    pub fn read_from_bytes(bytes: &[u8], keep_arrays: bool) -> Result<Self, GgufError> {
        Self::read(bytes, bytes.len() as u64, keep_arrays)
    }

    /// Reads and validates a header from `reader`, which yields a file of `file_size` bytes.
    pub fn read(reader: impl Read, file_size: u64, keep_arrays: bool) -> Result<Self, GgufError> {
        let mut input = Input {
            reader,
            position: 0,
            file_size,
        };
        let result = read_header(&mut input, keep_arrays);
        result.map_err(|error| match error {
            GgufError::Io(io) if io.kind() == io::ErrorKind::UnexpectedEof => {
                GgufError::Malformed(format!(
                    "the header ends early, at byte {} of a {file_size}-byte file (truncated?)",
                    input.position
                ))
            }
            other => other,
        })
    }

    /// A metadata value by key.
    pub fn get(&self, key: &str) -> Option<&MetadataValue> {
        self.metadata
            .iter()
            .find(|(candidate, _)| candidate == key)
            .map(|(_, value)| value)
    }

    /// A string metadata value by key.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(MetadataValue::as_str)
    }

    /// An integer metadata value by key.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(MetadataValue::as_u64)
    }

    /// `general.architecture` (`qwen2`, `qwen3`, …).
    pub fn architecture(&self) -> Option<&str> {
        self.get_str("general.architecture")
    }

    /// The metadata keys in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.metadata.iter().map(|(key, _)| key.as_str())
    }

    /// A tensor by name.
    pub fn tensor(&self, name: &str) -> Option<&TensorInfo> {
        self.tensors.iter().find(|tensor| tensor.name == name)
    }

    /// The vocabulary size: the length of `tokenizer.ggml.tokens`.
    pub fn vocab_size(&self) -> Option<u64> {
        self.get("tokenizer.ggml.tokens")
            .and_then(MetadataValue::as_array)
            .map(ArrayValue::len)
    }
}

struct Input<R> {
    reader: R,
    position: u64,
    file_size: u64,
}

impl<R: Read> Input<R> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        let mut buffer = [0; N];
        self.reader.read_exact(&mut buffer)?;
        self.position += N as u64;
        Ok(buffer)
    }

    fn u32(&mut self) -> Result<u32, GgufError> {
        self.bytes().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, GgufError> {
        self.bytes().map(u64::from_le_bytes)
    }

    fn remaining(&self) -> u64 {
        self.file_size.saturating_sub(self.position)
    }

    /// Checks that `bytes` more can still be in the file, before allocating for them.
    fn ensure(&self, bytes: u64, what: &str) -> Result<(), GgufError> {
        if bytes > self.remaining() {
            return Err(GgufError::Malformed(format!(
                "{what} of {bytes} bytes at byte {} runs past the end of the {}-byte file",
                self.position, self.file_size
            )));
        }
        Ok(())
    }

    fn string(&mut self) -> Result<String, GgufError> {
        let len = self.u64()?;
        self.ensure(len, "a string")?;
        let mut bytes = vec![0; len as usize];
        self.reader.read_exact(&mut bytes)?;
        self.position += len;
        String::from_utf8(bytes).map_err(|_| {
            GgufError::Malformed(format!("string before byte {} is not UTF-8", self.position))
        })
    }

    fn skip(&mut self, bytes: u64) -> Result<(), GgufError> {
        self.ensure(bytes, "a value")?;
        let copied = io::copy(&mut (&mut self.reader).take(bytes), &mut io::sink())?;
        self.position += copied;
        if copied != bytes {
            return Err(GgufError::Io(io::ErrorKind::UnexpectedEof.into()));
        }
        Ok(())
    }

    fn scalar(&mut self, value_type: ValueType) -> Result<MetadataValue, GgufError> {
        Ok(match value_type {
            ValueType::U8 => MetadataValue::U8(self.bytes::<1>()?[0]),
            ValueType::I8 => MetadataValue::I8(i8::from_le_bytes(self.bytes()?)),
            ValueType::U16 => MetadataValue::U16(u16::from_le_bytes(self.bytes()?)),
            ValueType::I16 => MetadataValue::I16(i16::from_le_bytes(self.bytes()?)),
            ValueType::U32 => MetadataValue::U32(self.u32()?),
            ValueType::I32 => MetadataValue::I32(i32::from_le_bytes(self.bytes()?)),
            ValueType::F32 => MetadataValue::F32(f32::from_le_bytes(self.bytes()?)),
            ValueType::Bool => match self.bytes::<1>()?[0] {
                0 => MetadataValue::Bool(false),
                1 => MetadataValue::Bool(true),
                other => {
                    return Err(GgufError::Malformed(format!("boolean with value {other}")));
                }
            },
            ValueType::String => MetadataValue::String(self.string()?),
            ValueType::U64 => MetadataValue::U64(self.u64()?),
            ValueType::I64 => MetadataValue::I64(i64::from_le_bytes(self.bytes()?)),
            ValueType::F64 => MetadataValue::F64(f64::from_le_bytes(self.bytes()?)),
            ValueType::Array => return Err(GgufError::Malformed("nested array".into())),
        })
    }

    fn array(&mut self, keep: bool) -> Result<ArrayValue, GgufError> {
        let element_type = ValueType::from_tag(self.u32()?)?;
        let len = self.u64()?;
        match element_type.fixed_size() {
            Some(size) => {
                let bytes = len
                    .checked_mul(size)
                    .ok_or_else(|| GgufError::Malformed(format!("array of {len} elements")))?;
                self.ensure(bytes, "an array")?;
            }
            // Each string takes at least its 8-byte length.
            None if element_type == ValueType::String => {
                self.ensure(len.saturating_mul(8), "a string array")?;
            }
            None => return Err(GgufError::Malformed("array of arrays".into())),
        }
        let keep = keep
            && matches!(
                element_type,
                ValueType::String
                    | ValueType::I32
                    | ValueType::U32
                    | ValueType::F32
                    | ValueType::U8
            );
        if !keep {
            match element_type.fixed_size() {
                Some(size) => self.skip(len * size)?,
                None => {
                    for _ in 0..len {
                        let string_len = self.u64()?;
                        self.skip(string_len)?;
                    }
                }
            }
            return Ok(ArrayValue::Skipped { element_type, len });
        }
        let len = len as usize;
        Ok(match element_type {
            ValueType::String => {
                ArrayValue::String((0..len).map(|_| self.string()).collect::<Result<_, _>>()?)
            }
            ValueType::I32 => ArrayValue::I32(
                (0..len)
                    .map(|_| self.bytes().map(i32::from_le_bytes))
                    .collect::<Result<_, _>>()?,
            ),
            ValueType::U32 => {
                ArrayValue::U32((0..len).map(|_| self.u32()).collect::<Result<_, _>>()?)
            }
            ValueType::F32 => ArrayValue::F32(
                (0..len)
                    .map(|_| self.bytes().map(f32::from_le_bytes))
                    .collect::<Result<_, _>>()?,
            ),
            _ => ArrayValue::U8(
                (0..len)
                    .map(|_| self.bytes::<1>().map(|[byte]| byte))
                    .collect::<Result<_, _>>()?,
            ),
        })
    }
}

fn read_header<R: Read>(input: &mut Input<R>, keep_arrays: bool) -> Result<GgufHeader, GgufError> {
    let magic = input.bytes::<4>()?;
    if magic != MAGIC {
        return Err(GgufError::BadMagic(magic));
    }
    let version = input.u32()?;
    if version != 2 && version != 3 {
        return Err(GgufError::UnsupportedVersion(version));
    }
    let tensor_count = input.u64()?;
    let kv_count = input.u64()?;
    if tensor_count > MAX_TENSORS || kv_count > MAX_KEYS {
        return Err(GgufError::Malformed(format!(
            "{tensor_count} tensors and {kv_count} metadata keys"
        )));
    }

    let mut metadata: Vec<(String, MetadataValue)> = Vec::with_capacity(kv_count as usize);
    let mut keys = std::collections::HashSet::new();
    for _ in 0..kv_count {
        let key = input.string()?;
        if !keys.insert(key.clone()) {
            return Err(GgufError::Malformed(format!(
                "duplicate metadata key {key}"
            )));
        }
        let value_type = ValueType::from_tag(input.u32()?)?;
        let value = match value_type {
            ValueType::Array => MetadataValue::Array(input.array(keep_arrays)?),
            scalar => input.scalar(scalar)?,
        };
        metadata.push((key, value));
    }

    let alignment = match metadata.iter().find(|(key, _)| key == "general.alignment") {
        None => DEFAULT_ALIGNMENT,
        Some((_, value)) => match value {
            MetadataValue::U32(alignment) if alignment.is_power_of_two() => u64::from(*alignment),
            other => {
                return Err(GgufError::Malformed(format!(
                    "general.alignment must be a power-of-two u32, found {other:?}"
                )));
            }
        },
    };

    let mut tensors = Vec::with_capacity(tensor_count as usize);
    let mut names = std::collections::HashSet::new();
    for _ in 0..tensor_count {
        let name = input.string()?;
        if !names.insert(name.clone()) {
            return Err(GgufError::Malformed(format!("duplicate tensor {name}")));
        }
        let n_dims = input.u32()?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(GgufError::Malformed(format!(
                "tensor {name} has {n_dims} dimensions (1 to {MAX_DIMS} allowed)"
            )));
        }
        let dims = (0..n_dims)
            .map(|_| input.u64())
            .collect::<Result<Vec<_>, _>>()?;
        if dims
            .iter()
            .try_fold(1u64, |product, &dim| product.checked_mul(dim))
            .is_none_or(|elements| elements > i64::MAX as u64)
        {
            return Err(GgufError::Malformed(format!(
                "tensor {name} has dimensions {dims:?}"
            )));
        }
        let ggml_type = GgmlType::from_id(input.u32()?);
        let offset = input.u64()?;
        tensors.push(TensorInfo {
            name,
            dims,
            ggml_type,
            offset,
        });
    }

    let data_offset = align_up(input.position, alignment);
    let file_size = input.file_size;
    let mut expected_offset = Some(0u64);
    let mut needed = data_offset;
    for tensor in &tensors {
        if tensor.offset % alignment != 0 {
            return Err(GgufError::Malformed(format!(
                "tensor {} at offset {} is not aligned to {alignment}",
                tensor.name, tensor.offset
            )));
        }
        if let Some(expected) = expected_offset
            && tensor.offset != expected
        {
            return Err(GgufError::Malformed(format!(
                "tensor {} has offset {}, expected {expected}",
                tensor.name, tensor.offset
            )));
        }
        let bytes = match tensor.ggml_type.block_size() {
            Some(block) if tensor.dims[0] % block != 0 => {
                return Err(GgufError::Malformed(format!(
                    "tensor {} of type {} has rows of {} elements, not whole blocks of {block}",
                    tensor.name,
                    tensor.ggml_type.name(),
                    tensor.dims[0]
                )));
            }
            _ => tensor.data_bytes(),
        };
        match bytes {
            Some(bytes) => {
                let end = data_offset
                    .checked_add(tensor.offset)
                    .and_then(|start| start.checked_add(bytes))
                    .ok_or_else(|| {
                        GgufError::Malformed(format!("tensor {} is too large", tensor.name))
                    })?;
                needed = needed.max(end);
                expected_offset = Some(align_up(tensor.offset + bytes, alignment));
            }
            // A known type whose size overflows: the dimensions are corrupt.
            None if tensor.ggml_type.block_size().is_some() => {
                return Err(GgufError::Malformed(format!(
                    "tensor {} is too large",
                    tensor.name
                )));
            }
            // A type this crate cannot size: keep checking bounds by offsets only.
            None => {
                needed = needed.max(data_offset.saturating_add(tensor.offset));
                expected_offset = None;
            }
        }
    }
    if needed > file_size {
        return Err(GgufError::Truncated { needed, file_size });
    }

    Ok(GgufHeader {
        version,
        metadata,
        tensors,
        alignment,
        data_offset,
        file_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::{GgufWriter, TensorDescriptor};

    fn file(tensor_bytes: usize) -> Vec<u8> {
        let metadata = vec![
            (
                "general.architecture".to_owned(),
                MetadataValue::String("qwen2".into()),
            ),
            (
                "tokenizer.ggml.tokens".to_owned(),
                MetadataValue::Array(ArrayValue::String(vec!["x".into(); 3])),
            ),
        ];
        let tensors = [TensorDescriptor::new(
            "w",
            &[tensor_bytes as u64 / 4],
            GgmlType::F32,
        )];
        let mut writer = GgufWriter::new(Vec::new(), &metadata, &tensors).unwrap();
        writer.write_tensor(&vec![7; tensor_bytes]).unwrap();
        writer.finish().unwrap()
    }

    #[test]
    fn arrays_are_summarised_unless_kept() {
        let bytes = file(64);
        let summary = GgufHeader::read_from_bytes(&bytes, false).unwrap();
        assert_eq!(
            summary.get("tokenizer.ggml.tokens").unwrap().as_array(),
            Some(&ArrayValue::Skipped {
                element_type: ValueType::String,
                len: 3
            })
        );
        assert_eq!(summary.vocab_size(), Some(3));
        let full = GgufHeader::read_from_bytes(&bytes, true).unwrap();
        assert_eq!(
            full.get("tokenizer.ggml.tokens").unwrap().as_array(),
            Some(&ArrayValue::String(vec!["x".into(); 3]))
        );
        assert_eq!(
            full.keys().collect::<Vec<_>>(),
            [
                "general.architecture",
                "tokenizer.ggml.tokens",
                "general.alignment"
            ]
        );
    }

    #[test]
    fn a_truncated_file_is_caught_by_its_tensor_extents() {
        let bytes = file(4096);
        let cut = &bytes[..bytes.len() - 100];
        match GgufHeader::read_from_bytes(cut, false) {
            Err(GgufError::Truncated { needed, file_size }) => {
                assert_eq!(needed, bytes.len() as u64);
                assert_eq!(file_size, cut.len() as u64);
            }
            other => panic!("expected Truncated, got {other:?}"),
        }
    }

    #[test]
    fn a_file_cut_inside_the_header_is_malformed() {
        let bytes = file(64);
        let error = GgufHeader::read_from_bytes(&bytes[..30], false).unwrap_err();
        assert!(
            error.to_string().contains("truncated") || error.to_string().contains("past the end"),
            "{error}"
        );
    }

    #[test]
    fn wrong_magic_and_version_are_refused() {
        let mut bytes = file(64);
        bytes[0] = b'X';
        assert!(matches!(
            GgufHeader::read_from_bytes(&bytes, false),
            Err(GgufError::BadMagic(_))
        ));
        let mut bytes = file(64);
        bytes[4] = 9;
        assert!(matches!(
            GgufHeader::read_from_bytes(&bytes, false),
            Err(GgufError::UnsupportedVersion(9))
        ));
    }

    #[test]
    fn absurd_lengths_do_not_allocate() {
        let mut bytes = file(64);
        // The first key's length, right after the 24-byte preamble.
        bytes[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
        let error = GgufHeader::read_from_bytes(&bytes, false).unwrap_err();
        assert!(error.to_string().contains("past the end"), "{error}");
    }

    #[test]
    fn html_error_pages_are_not_ggufs() {
        let error = GgufHeader::read_from_bytes(b"<!DOCTYPE html><html>", false).unwrap_err();
        assert!(error.to_string().contains("not a GGUF file"), "{error}");
    }
}
