//! A streaming GGUF writer.
//!
//! The header (metadata and every tensor's offset) comes before the data, but the offsets only
//! depend on shapes and types, so the writer computes them up front, writes the header, and
//! then takes each tensor's bytes in order, in as many pieces as the caller likes. A 0.5B model
//! is therefore generated and quantised row by row straight to disk, never held in memory.

use std::io::Write;

use super::value::write_string;
use super::{DEFAULT_ALIGNMENT, GgufError, MAGIC, MetadataValue, TensorDescriptor, VERSION};
use super::{TensorInfo, align_up};

/// Writes one GGUF file: construct with the metadata and tensor list, feed each tensor's data
/// in declaration order with [`GgufWriter::write_data`] and [`GgufWriter::end_tensor`], then
/// [`GgufWriter::finish`].
#[derive(Debug)]
pub struct GgufWriter<W: Write> {
    out: W,
    tensors: Vec<TensorInfo>,
    sizes: Vec<u64>,
    current: usize,
    written_in_current: u64,
    position: u64,
    alignment: u64,
}

impl<W: Write> GgufWriter<W> {
    /// Writes the header. `general.alignment` is added (32) unless `metadata` has it (as a
    /// power-of-two `u32`, as llama.cpp requires); every
    /// tensor's type must be one whose size is known and its rows whole blocks.
    pub fn new(
        mut out: W,
        metadata: &[(String, MetadataValue)],
        tensors: &[TensorDescriptor],
    ) -> Result<Self, GgufError> {
        let alignment = match metadata.iter().find(|(key, _)| key == "general.alignment") {
            // llama.cpp reads the alignment as a u32 and requires a power of two.
            Some((_, MetadataValue::U32(alignment))) if alignment.is_power_of_two() => {
                u64::from(*alignment)
            }
            Some(_) => {
                return Err(GgufError::Writer(
                    "general.alignment must be a power-of-two u32".into(),
                ));
            }
            None => DEFAULT_ALIGNMENT,
        };
        let mut keys = std::collections::HashSet::new();
        for (key, _) in metadata {
            if !keys.insert(key.as_str()) {
                return Err(GgufError::Writer(format!("duplicate metadata key {key}")));
            }
        }
        let mut names = std::collections::HashSet::new();
        let mut infos = Vec::with_capacity(tensors.len());
        let mut sizes = Vec::with_capacity(tensors.len());
        let mut offset = 0u64;
        for tensor in tensors {
            if !names.insert(tensor.name.as_str()) {
                return Err(GgufError::Writer(format!(
                    "duplicate tensor {}",
                    tensor.name
                )));
            }
            if tensor.dims.is_empty() || tensor.dims.len() > 4 {
                return Err(GgufError::Writer(format!(
                    "tensor {} has {} dimensions (1 to 4 allowed)",
                    tensor.name,
                    tensor.dims.len()
                )));
            }
            let size = tensor.data_bytes().ok_or_else(|| {
                GgufError::Writer(format!(
                    "tensor {} of type {} cannot have rows of {} elements",
                    tensor.name,
                    tensor.ggml_type.name(),
                    tensor.dims[0]
                ))
            })?;
            offset = align_up(offset, alignment);
            infos.push(TensorInfo {
                name: tensor.name.clone(),
                dims: tensor.dims.clone(),
                ggml_type: tensor.ggml_type,
                offset,
            });
            sizes.push(size);
            offset += size;
        }

        let mut header = Vec::new();
        header.extend_from_slice(&MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&(infos.len() as u64).to_le_bytes());
        let alignment_missing = !keys.contains("general.alignment");
        let kv_count = metadata.len() as u64 + u64::from(alignment_missing);
        header.extend_from_slice(&kv_count.to_le_bytes());
        for (key, value) in metadata {
            write_string(&mut header, key)?;
            header.extend_from_slice(&(value.value_type() as u32).to_le_bytes());
            value.write_payload(&mut header)?;
        }
        if alignment_missing {
            write_string(&mut header, "general.alignment")?;
            let value = MetadataValue::U32(DEFAULT_ALIGNMENT as u32);
            header.extend_from_slice(&(value.value_type() as u32).to_le_bytes());
            value.write_payload(&mut header)?;
        }
        for info in &infos {
            write_string(&mut header, &info.name)?;
            header.extend_from_slice(&(info.dims.len() as u32).to_le_bytes());
            for dim in &info.dims {
                header.extend_from_slice(&dim.to_le_bytes());
            }
            header.extend_from_slice(&info.ggml_type.id().to_le_bytes());
            header.extend_from_slice(&info.offset.to_le_bytes());
        }
        let padded = align_up(header.len() as u64, alignment);
        header.resize(padded as usize, 0);
        out.write_all(&header)?;

        Ok(Self {
            out,
            tensors: infos,
            sizes,
            current: 0,
            written_in_current: 0,
            position: 0,
            alignment,
        })
    }

    /// The tensors with the offsets the header gives them.
    pub fn tensors(&self) -> &[TensorInfo] {
        &self.tensors
    }

    /// The name of the tensor whose data is expected next, if any.
    pub fn current_tensor(&self) -> Option<&str> {
        self.tensors
            .get(self.current)
            .map(|info| info.name.as_str())
    }

    /// Appends bytes to the current tensor's data.
    pub fn write_data(&mut self, bytes: &[u8]) -> Result<(), GgufError> {
        let Some(&size) = self.sizes.get(self.current) else {
            return Err(GgufError::Writer(
                "data written after the last tensor".into(),
            ));
        };
        if self.written_in_current + bytes.len() as u64 > size {
            return Err(GgufError::Writer(format!(
                "tensor {} takes {size} bytes, got more",
                self.tensors[self.current].name
            )));
        }
        if self.written_in_current == 0 {
            self.pad_to(self.tensors[self.current].offset)?;
        }
        self.out.write_all(bytes)?;
        self.written_in_current += bytes.len() as u64;
        self.position += bytes.len() as u64;
        Ok(())
    }

    /// Ends the current tensor; its data must be complete.
    pub fn end_tensor(&mut self) -> Result<(), GgufError> {
        let Some(&size) = self.sizes.get(self.current) else {
            return Err(GgufError::Writer("no tensor left to end".into()));
        };
        if self.written_in_current != size {
            return Err(GgufError::Writer(format!(
                "tensor {} takes {size} bytes, got {}",
                self.tensors[self.current].name, self.written_in_current
            )));
        }
        if size == 0 {
            self.pad_to(self.tensors[self.current].offset)?;
        }
        self.current += 1;
        self.written_in_current = 0;
        Ok(())
    }

    /// Writes one whole tensor.
    pub fn write_tensor(&mut self, bytes: &[u8]) -> Result<(), GgufError> {
        self.write_data(bytes)?;
        self.end_tensor()
    }

    /// Checks that every tensor was written, pads the end to the alignment, flushes, and
    /// returns the output.
    pub fn finish(mut self) -> Result<W, GgufError> {
        if self.current != self.tensors.len() {
            return Err(GgufError::Writer(format!(
                "only {} of {} tensors written",
                self.current,
                self.tensors.len()
            )));
        }
        let end = align_up(self.position, self.alignment);
        self.pad_to(end)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn pad_to(&mut self, offset: u64) -> Result<(), GgufError> {
        const ZEROS: [u8; 64] = [0; 64];
        while self.position < offset {
            let step = (offset - self.position).min(ZEROS.len() as u64);
            self.out.write_all(&ZEROS[..step as usize])?;
            self.position += step;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::{ArrayValue, GgmlType, GgufHeader};

    fn small_file() -> Vec<u8> {
        let metadata = vec![
            (
                "general.architecture".to_owned(),
                MetadataValue::String("qwen2".into()),
            ),
            ("qwen2.block_count".to_owned(), MetadataValue::U32(2)),
            ("qwen2.rope.freq_base".to_owned(), MetadataValue::F32(1e6)),
            (
                "tokenizer.ggml.add_bos_token".to_owned(),
                MetadataValue::Bool(false),
            ),
            (
                "tokenizer.ggml.tokens".to_owned(),
                MetadataValue::Array(ArrayValue::String(vec!["a".into(), "Ġb".into()])),
            ),
            (
                "tokenizer.ggml.token_type".to_owned(),
                MetadataValue::Array(ArrayValue::I32(vec![1, 3])),
            ),
        ];
        let tensors = [
            TensorDescriptor::new("norm.weight", &[3], GgmlType::F32),
            TensorDescriptor::new("w.weight", &[32, 2], GgmlType::Q8_0),
        ];
        let mut writer = GgufWriter::new(Vec::new(), &metadata, &tensors).unwrap();
        writer.write_tensor(&[0; 12]).unwrap();
        writer.write_data(&[1; 34]).unwrap();
        writer.write_data(&[2; 34]).unwrap();
        writer.end_tensor().unwrap();
        writer.finish().unwrap()
    }

    #[test]
    fn header_starts_with_magic_version_and_counts() {
        let file = small_file();
        assert_eq!(&file[..4], b"GGUF");
        assert_eq!(u32::from_le_bytes(file[4..8].try_into().unwrap()), 3);
        assert_eq!(u64::from_le_bytes(file[8..16].try_into().unwrap()), 2);
        // Six given keys plus general.alignment.
        assert_eq!(u64::from_le_bytes(file[16..24].try_into().unwrap()), 7);
        assert_eq!(file.len() % 32, 0);
    }

    #[test]
    fn tensors_are_aligned_and_read_back() {
        let file = small_file();
        let header = GgufHeader::read_from_bytes(&file, true).unwrap();
        assert_eq!(header.version, 3);
        assert_eq!(header.alignment, 32);
        assert_eq!(header.data_offset % 32, 0);
        assert_eq!(header.tensors[0].offset, 0);
        // 12 bytes of F32, padded to 32.
        assert_eq!(header.tensors[1].offset, 32);
        assert_eq!(header.tensors[1].dims, [32, 2]);
        assert_eq!(header.tensors[1].ggml_type, GgmlType::Q8_0);
        let data = header.data_offset as usize;
        assert_eq!(&file[data..data + 12], &[0; 12]);
        assert_eq!(&file[data + 32..data + 66], &[1; 34]);
        assert_eq!(&file[data + 66..data + 100], &[2; 34]);
        assert_eq!(header.architecture(), Some("qwen2"));
        assert_eq!(
            header.get("qwen2.rope.freq_base").unwrap().as_f64(),
            Some(1e6)
        );
        assert_eq!(
            header.get("tokenizer.ggml.token_type").unwrap().as_array(),
            Some(&ArrayValue::I32(vec![1, 3]))
        );
        assert_eq!(
            header.get("tokenizer.ggml.add_bos_token"),
            Some(&MetadataValue::Bool(false))
        );
    }

    #[test]
    fn wrong_amounts_of_data_are_refused() {
        let tensors = [TensorDescriptor::new("t", &[4], GgmlType::F32)];
        let mut writer = GgufWriter::new(Vec::new(), &[], &tensors).unwrap();
        assert!(writer.write_data(&[0; 20]).is_err());
        writer.write_data(&[0; 8]).unwrap();
        assert!(writer.end_tensor().is_err());
        let writer = GgufWriter::new(Vec::new(), &[], &tensors).unwrap();
        assert!(writer.finish().is_err());
    }

    #[test]
    fn a_custom_alignment_is_honoured_and_checked() {
        let metadata = vec![("general.alignment".to_owned(), MetadataValue::U32(64))];
        let tensors = [
            TensorDescriptor::new("a", &[1], GgmlType::F32),
            TensorDescriptor::new("b", &[1], GgmlType::F32),
        ];
        let mut writer = GgufWriter::new(Vec::new(), &metadata, &tensors).unwrap();
        assert_eq!(writer.tensors()[1].offset, 64);
        writer.write_tensor(&[0; 4]).unwrap();
        writer.write_tensor(&[0; 4]).unwrap();
        let file = writer.finish().unwrap();
        let header = GgufHeader::read_from_bytes(&file, false).unwrap();
        assert_eq!(header.alignment, 64);
        assert_eq!(header.data_offset % 64, 0);
        for bad in [MetadataValue::U32(48), MetadataValue::U64(64)] {
            let metadata = vec![("general.alignment".to_owned(), bad)];
            assert!(GgufWriter::new(Vec::new(), &metadata, &tensors).is_err());
        }
    }

    #[test]
    fn quantised_rows_must_be_whole_blocks() {
        let tensors = [TensorDescriptor::new("t", &[40, 2], GgmlType::Q4_0)];
        assert!(GgufWriter::new(Vec::new(), &[], &tensors).is_err());
    }

    #[test]
    fn duplicate_names_are_refused() {
        let tensors = [
            TensorDescriptor::new("t", &[4], GgmlType::F32),
            TensorDescriptor::new("t", &[4], GgmlType::F32),
        ];
        assert!(GgufWriter::new(Vec::new(), &[], &tensors).is_err());
        let metadata = vec![
            ("k".to_owned(), MetadataValue::U32(1)),
            ("k".to_owned(), MetadataValue::U32(2)),
        ];
        assert!(GgufWriter::new(Vec::new(), &metadata, &[]).is_err());
    }
}
