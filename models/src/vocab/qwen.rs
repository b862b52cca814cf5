//! The real Qwen vocabulary, read from a Hugging Face `tokenizer.json`.
//!
//! Benchmark models must tokenise exactly like the real Qwen2.5 so prompt lengths, and so
//! prefill times, are honest. The vocabulary, merges and added tokens come from the file; the
//! rest of the embedding (Qwen pads 151,665 real ids to 151,936 rows) is filled with unused
//! `[PAD<id>]` tokens, as llama.cpp's converter does for the published GGUFs.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::{TokenType, Vocabulary, added_token_type};
use crate::ModelError;

#[derive(Deserialize)]
struct TokenizerJson {
    model: BpeModel,
    #[serde(default)]
    added_tokens: Vec<AddedToken>,
}

#[derive(Deserialize)]
struct BpeModel {
    #[serde(rename = "type")]
    kind: Option<String>,
    vocab: HashMap<String, u32>,
    merges: Vec<Merge>,
}

/// Merges are `"a b"` strings in older files and `["a", "b"]` pairs in newer ones.
#[derive(Deserialize)]
#[serde(untagged)]
enum Merge {
    Joined(String),
    Pair(String, String),
}

#[derive(Deserialize)]
struct AddedToken {
    id: u32,
    content: String,
    #[serde(default)]
    special: bool,
}

/// Reads the vocabulary of a Qwen `tokenizer.json`, padded to `n_vocab` tokens.
pub fn qwen_vocabulary(path: &Path, n_vocab: usize) -> Result<Vocabulary, ModelError> {
    let invalid = |reason: String| ModelError::Tokenizer {
        path: path.to_owned(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(ModelError::io("reading", path))?;
    let parsed: TokenizerJson = serde_json::from_str(&text)
        .map_err(|error| invalid(format!("not a tokenizer.json: {error}")))?;
    if parsed
        .model
        .kind
        .as_deref()
        .is_some_and(|kind| kind != "BPE")
    {
        return Err(invalid("the model is not BPE".into()));
    }

    let mut tokens: Vec<Option<String>> = vec![None; n_vocab];
    let mut token_types = vec![TokenType::Unused; n_vocab];
    for (token, id) in parsed.model.vocab {
        let slot = tokens
            .get_mut(id as usize)
            .ok_or_else(|| invalid(format!("token id {id} does not fit {n_vocab} rows")))?;
        *slot = Some(token);
        token_types[id as usize] = TokenType::Normal;
    }
    for added in &parsed.added_tokens {
        let slot = tokens.get_mut(added.id as usize).ok_or_else(|| {
            invalid(format!(
                "added token id {} does not fit {n_vocab} rows",
                added.id
            ))
        })?;
        *slot = Some(added.content.clone());
        token_types[added.id as usize] = added_token_type(&added.content, added.special);
    }
    let tokens: Vec<String> = tokens
        .into_iter()
        .enumerate()
        .map(|(id, token)| token.unwrap_or_else(|| format!("[PAD{id}]")))
        .collect();

    let merges = parsed
        .model
        .merges
        .into_iter()
        .map(|merge| match merge {
            Merge::Joined(joined) => joined,
            Merge::Pair(left, right) => format!("{left} {right}"),
        })
        .collect();

    let id_of = |content: &str| {
        parsed
            .added_tokens
            .iter()
            .find(|added| added.content == content)
            .map(|added| added.id)
            .ok_or_else(|| invalid(format!("no {content} token: not a Qwen tokenizer")))
    };
    let vocabulary = Vocabulary {
        tokens,
        token_types,
        merges,
        bos: id_of("<|endoftext|>")?,
        eos: id_of("<|im_end|>")?,
        pad: id_of("<|endoftext|>")?,
    };
    vocabulary.validate().map_err(invalid)?;
    Ok(vocabulary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_tokenizer_json_is_padded_and_typed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenizer.json");
        std::fs::write(
            &path,
            r#"{"model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":[["a","b"]]},
                "added_tokens":[
                  {"id":3,"content":"<|endoftext|>","special":true},
                  {"id":4,"content":"<|im_start|>","special":true},
                  {"id":5,"content":"<|im_end|>","special":true},
                  {"id":6,"content":"<tool_call>","special":false},
                  {"id":7,"content":"<|fim_pad|>","special":false}]}"#,
        )
        .unwrap();
        let vocab = qwen_vocabulary(&path, 10).unwrap();
        assert_eq!(vocab.tokens[2], "ab");
        assert_eq!(vocab.merges, ["a b"]);
        assert_eq!(vocab.tokens[8], "[PAD8]");
        assert_eq!(vocab.token_types[8], TokenType::Unused);
        assert_eq!(vocab.token_types[0], TokenType::Normal);
        assert_eq!(vocab.token_types[4], TokenType::Control);
        assert_eq!(vocab.token_types[6], TokenType::UserDefined);
        assert_eq!(vocab.token_types[7], TokenType::Control);
        assert_eq!((vocab.bos, vocab.eos, vocab.pad), (3, 5, 3));
    }

    #[test]
    fn joined_merges_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenizer.json");
        std::fs::write(&path, r#"{"model":{"vocab":{"a":0},"merges":["a a"]}}"#).unwrap();
        let error = qwen_vocabulary(&path, 4).unwrap_err().to_string();
        assert!(
            error.contains("not a Qwen tokenizer") || error.contains("unknown token"),
            "{error}"
        );
        std::fs::write(&path, "not json").unwrap();
        assert!(
            qwen_vocabulary(&path, 4)
                .unwrap_err()
                .to_string()
                .contains("not a tokenizer.json")
        );
    }

    #[test]
    #[cfg_attr(shared_tokenizer_absent, ignore = "../shared/tokenizer is absent")]
    fn the_shared_qwen_tokenizer_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/tokenizer/qwen_tokenizer.json");
        let vocab = qwen_vocabulary(&path, 151_936).unwrap();
        assert_eq!(vocab.len(), 151_936);
        assert_eq!(vocab.tokens[151_643], "<|endoftext|>");
        assert_eq!(
            (vocab.bos, vocab.eos, vocab.pad),
            (151_643, 151_645, 151_643)
        );
        assert_eq!(vocab.tokens[151_935], "[PAD151935]");
        assert_eq!(vocab.token_types[151_660], TokenType::Control); // <|fim_middle|>
        assert_eq!(vocab.tokens[0], "!");
        assert!(vocab.merges.len() > 150_000);
    }
}
