//! The tiny built-in vocabulary: 256 byte tokens, merges learned from a built-in corpus of
//! phone-UI text and Lobster action lines, and Qwen2.5's added tokens.
//!
//! It exists so tests have a real byte-level BPE tokenizer (loaded and run by llama.cpp)
//! without the 11 MB Qwen tokenizer file, and so action lines such as `tap 12` or
//! `open "Settings"` take a handful of tokens, as they do with Qwen's vocabulary.

use super::bpe::train;
use super::byte_level::{byte_order, byte_to_char_table};
use super::{QWEN_ADDED_TOKENS, TokenType, Vocabulary, added_token_type};

/// The training corpus: screen text as the encoder prints it, and action lines.
pub const TINY_CORPUS: &str = include_str!("tiny_corpus.txt");

/// At most this many merges are learned.
const MAX_MERGES: usize = 480;
/// A pair must occur this often to be merged.
const MIN_PAIR_COUNT: usize = 2;

/// Builds the tiny vocabulary (deterministic: the same on every machine and run).
pub fn tiny_vocabulary() -> Vocabulary {
    let table = byte_to_char_table();
    let mut tokens: Vec<String> = byte_order()
        .into_iter()
        .map(|byte| table[byte as usize].to_string())
        .collect();
    let mut token_types = vec![TokenType::Normal; tokens.len()];

    let learned = train(TINY_CORPUS, MAX_MERGES, MIN_PAIR_COUNT);
    let mut merges = Vec::with_capacity(learned.len());
    for (left, right) in learned {
        tokens.push(format!("{left}{right}"));
        token_types.push(TokenType::Normal);
        merges.push(format!("{left} {right}"));
    }

    let first_added = tokens.len() as u32;
    for (content, special) in QWEN_ADDED_TOKENS {
        tokens.push((*content).to_owned());
        token_types.push(added_token_type(content, *special));
    }
    let id_of = |content: &str| {
        QWEN_ADDED_TOKENS
            .iter()
            .position(|(candidate, _)| *candidate == content)
            .map_or(first_added, |offset| first_added + offset as u32)
    };
    Vocabulary {
        tokens,
        token_types,
        merges,
        bos: id_of("<|endoftext|>"),
        eos: id_of("<|im_end|>"),
        pad: id_of("<|endoftext|>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::BpeEncoder;

    #[test]
    fn the_vocabulary_is_consistent_and_small() {
        let vocab = tiny_vocabulary();
        vocab.validate().unwrap();
        assert!(
            vocab.len() > 256 + 200 && vocab.len() < 1024,
            "{}",
            vocab.len()
        );
        assert_eq!(vocab.tokens[vocab.eos as usize], "<|im_end|>");
        assert_eq!(vocab.tokens[vocab.bos as usize], "<|endoftext|>");
        assert_eq!(vocab.pad, vocab.bos);
        let im_start = vocab.token_id("<|im_start|>").unwrap();
        assert_eq!(vocab.token_types[im_start as usize], TokenType::Control);
        let tool_call = vocab.token_id("<tool_call>").unwrap();
        assert_eq!(
            vocab.token_types[tool_call as usize],
            TokenType::UserDefined
        );
        for name in ["<|fim_prefix|>", "<|repo_name|>", "<|file_sep|>"] {
            let id = vocab.token_id(name).unwrap();
            assert_eq!(vocab.token_types[id as usize], TokenType::Control, "{name}");
        }
    }

    #[test]
    fn it_is_deterministic() {
        assert_eq!(tiny_vocabulary(), tiny_vocabulary());
    }

    #[test]
    fn action_lines_take_few_tokens() {
        let vocab = tiny_vocabulary();
        let pairs: Vec<(String, String)> = vocab
            .merges
            .iter()
            .filter_map(|merge| merge.split_once(' '))
            .map(|(left, right)| (left.to_owned(), right.to_owned()))
            .collect();
        let encoder = BpeEncoder::new(&pairs);
        for (line, most) in [
            ("tap 12", 4),
            ("scroll 3 down", 4),
            ("open \"Settings\"", 4),
            ("type 7 \"hello\"", 6),
            ("done", 1),
            ("back", 1),
        ] {
            let tokens = encoder.encode(line);
            assert!(tokens.len() <= most, "{line}: {tokens:?}");
            for token in &tokens {
                assert!(vocab.token_id(token).is_some(), "{token}");
            }
        }
    }
}
