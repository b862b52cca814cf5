//! Vocabularies for generated models, as llama.cpp's `gpt2` (byte-level BPE) tokenizer reads
//! them from GGUF metadata.
//!
//! Two sources: the tiny built-in vocabulary ([`tiny_vocabulary`]) that tests use on any
//! checkout, and the real Qwen vocabulary read from a `tokenizer.json` ([`qwen_vocabulary`])
//! for models with Qwen2.5's exact shapes. Either way the special tokens, their types and the
//! bos/eos/padding ids are Qwen2.5-Instruct's, because llama.cpp decides from them which
//! tokens are control tokens (parsed whole, never split), which end a turn, and which chat
//! template applies.

mod bpe;
mod byte_level;
mod pretokenize;
mod qwen;
mod tiny;

pub use bpe::{BpeEncoder, train};
pub use byte_level::{byte_order, byte_to_char_table, encode_bytes};
pub use pretokenize::pretokenize;
pub use qwen::qwen_vocabulary;
pub use tiny::{TINY_CORPUS, tiny_vocabulary};

use crate::gguf::{ArrayValue, MetadataValue};

/// llama.cpp's token types (`llama_token_type`), stored as `i32` in `tokenizer.ggml.token_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum TokenType {
    /// Ordinary text token.
    Normal = 1,
    /// The unknown token.
    Unknown = 2,
    /// A control token: matched whole, never produced from text unless specials are parsed.
    Control = 3,
    /// A user-defined added token: always matched whole.
    UserDefined = 4,
    /// Padding that exists only to round the vocabulary up.
    Unused = 5,
    /// A raw byte token (SentencePiece vocabularies; not used by byte-level BPE).
    Byte = 6,
}

/// Qwen2.5-Instruct's added tokens in id order, with the `special` flag its tokenizer gives
/// them.
pub const QWEN_ADDED_TOKENS: &[(&str, bool)] = &[
    ("<|endoftext|>", true),
    ("<|im_start|>", true),
    ("<|im_end|>", true),
    ("<|object_ref_start|>", true),
    ("<|object_ref_end|>", true),
    ("<|box_start|>", true),
    ("<|box_end|>", true),
    ("<|quad_start|>", true),
    ("<|quad_end|>", true),
    ("<|vision_start|>", true),
    ("<|vision_end|>", true),
    ("<|vision_pad|>", true),
    ("<|image_pad|>", true),
    ("<|video_pad|>", true),
    ("<tool_call>", false),
    ("</tool_call>", false),
    ("<|fim_prefix|>", false),
    ("<|fim_middle|>", false),
    ("<|fim_suffix|>", false),
    ("<|fim_pad|>", false),
    ("<|repo_name|>", false),
    ("<|file_sep|>", false),
];

/// The type llama.cpp's converter gives an added token: control when the tokenizer marks it
/// special or it looks like `<|…|>` (so `<|fim_prefix|>`, `<|repo_name|>` and `<|file_sep|>`
/// are control too), user-defined otherwise (`<tool_call>`).
pub fn added_token_type(content: &str, special: bool) -> TokenType {
    let looks_special = content.starts_with("<|") && content.ends_with("|>");
    if special || looks_special {
        TokenType::Control
    } else {
        TokenType::UserDefined
    }
}

/// A complete byte-level BPE vocabulary with Qwen's special tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    /// Token strings by id (byte-level characters, `Ġ` for a space).
    pub tokens: Vec<String>,
    /// Token types by id.
    pub token_types: Vec<TokenType>,
    /// Merges in rank order, as `"left right"`.
    pub merges: Vec<String>,
    /// Beginning-of-sequence id (`<|endoftext|>`, never added since `add_bos` is false).
    pub bos: u32,
    /// End-of-sequence id (`<|im_end|>`, the end of an assistant turn).
    pub eos: u32,
    /// Padding id (`<|endoftext|>`).
    pub pad: u32,
}

impl Vocabulary {
    /// Number of tokens (the embedding's row count).
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The id of a token string.
    pub fn token_id(&self, token: &str) -> Option<u32> {
        self.tokens
            .iter()
            .position(|candidate| candidate == token)
            .and_then(|index| u32::try_from(index).ok())
    }

    /// The `tokenizer.*` GGUF metadata llama.cpp needs to tokenise like Qwen: model `gpt2`,
    /// pre-tokenizer `qwen2`, tokens, types, merges, bos/eos/padding ids, `add_bos_token =
    /// false`, and `chat_template` (a Jinja chat template, e.g.
    /// [`QWEN2_5_CHAT_TEMPLATE`](crate::chat_template::QWEN2_5_CHAT_TEMPLATE)).
    pub fn gguf_metadata(&self, chat_template: &str) -> Vec<(String, MetadataValue)> {
        let string = |value: &str| MetadataValue::String(value.to_owned());
        vec![
            ("tokenizer.ggml.model".into(), string("gpt2")),
            ("tokenizer.ggml.pre".into(), string("qwen2")),
            (
                "tokenizer.ggml.tokens".into(),
                MetadataValue::Array(ArrayValue::String(self.tokens.clone())),
            ),
            (
                "tokenizer.ggml.token_type".into(),
                MetadataValue::Array(ArrayValue::I32(
                    self.token_types.iter().map(|kind| *kind as i32).collect(),
                )),
            ),
            (
                "tokenizer.ggml.merges".into(),
                MetadataValue::Array(ArrayValue::String(self.merges.clone())),
            ),
            (
                "tokenizer.ggml.eos_token_id".into(),
                MetadataValue::U32(self.eos),
            ),
            (
                "tokenizer.ggml.padding_token_id".into(),
                MetadataValue::U32(self.pad),
            ),
            (
                "tokenizer.ggml.bos_token_id".into(),
                MetadataValue::U32(self.bos),
            ),
            (
                "tokenizer.ggml.add_bos_token".into(),
                MetadataValue::Bool(false),
            ),
            ("tokenizer.chat_template".into(), string(chat_template)),
        ]
    }

    /// Checks what llama.cpp's loader relies on: every merge joins two tokens into a token,
    /// types and tokens have the same length, and the special ids exist.
    pub fn validate(&self) -> Result<(), String> {
        if self.tokens.len() != self.token_types.len() {
            return Err(format!(
                "{} tokens but {} token types",
                self.tokens.len(),
                self.token_types.len()
            ));
        }
        let index: std::collections::HashSet<&str> =
            self.tokens.iter().map(String::as_str).collect();
        for merge in &self.merges {
            let Some((left, right)) = merge.split_once(' ') else {
                return Err(format!("merge {merge:?} has no space"));
            };
            if !index.contains(left) || !index.contains(right) {
                return Err(format!("merge {merge:?} joins unknown tokens"));
            }
            if !index.contains(format!("{left}{right}").as_str()) {
                return Err(format!("merge {merge:?} makes an unknown token"));
            }
        }
        for (name, id) in [("bos", self.bos), ("eos", self.eos), ("pad", self.pad)] {
            if id as usize >= self.tokens.len() {
                return Err(format!("{name} id {id} is outside the vocabulary"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_tokens_are_typed_like_llama_cpp_converts_qwen() {
        assert_eq!(added_token_type("<|im_start|>", true), TokenType::Control);
        assert_eq!(
            added_token_type("<|fim_prefix|>", false),
            TokenType::Control
        );
        assert_eq!(added_token_type("<|file_sep|>", false), TokenType::Control);
        assert_eq!(
            added_token_type("<tool_call>", false),
            TokenType::UserDefined
        );
    }
}
