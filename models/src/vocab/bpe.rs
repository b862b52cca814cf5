//! A small byte-level BPE trainer and encoder.
//!
//! The tiny test model needs a vocabulary that does not depend on the real Qwen tokenizer file
//! (tests must pass on a fresh clone), yet should tokenise the agent's action lines into few
//! tokens, as the real vocabulary does. Training a few hundred merges over a built-in corpus of
//! UI text and action lines gives exactly that. The encoder applies the merges the way
//! llama.cpp's BPE does (lowest-ranked adjacent pair first, within each pre-token), so tests
//! can count tokens without llama.cpp.

use std::collections::HashMap;

use super::byte_level::{byte_to_char_table, encode_bytes};
use super::pretokenize::pretokenize;

/// Learns up to `max_merges` merges from `corpus`, stopping early when no pair occurs at least
/// `min_count` times. Returns the merges in rank order as `(left, right)` byte-level strings.
/// Deterministic: ties go to the lexicographically smallest pair.
pub fn train(corpus: &str, max_merges: usize, min_count: usize) -> Vec<(String, String)> {
    let table = byte_to_char_table();
    let mut word_counts: HashMap<String, usize> = HashMap::new();
    for piece in pretokenize(corpus) {
        *word_counts.entry(encode_bytes(piece, &table)).or_default() += 1;
    }
    let mut words: Vec<(Vec<String>, usize)> = word_counts
        .into_iter()
        .map(|(word, count)| (word.chars().map(String::from).collect(), count))
        .collect();
    words.sort();

    let mut merges = Vec::new();
    while merges.len() < max_merges {
        let mut pair_counts: HashMap<(&str, &str), usize> = HashMap::new();
        for (symbols, count) in &words {
            for pair in symbols.windows(2) {
                *pair_counts.entry((&pair[0], &pair[1])).or_default() += count;
            }
        }
        let best = pair_counts
            .into_iter()
            .max_by(|(pair_a, count_a), (pair_b, count_b)| {
                count_a.cmp(count_b).then_with(|| pair_b.cmp(pair_a))
            });
        let Some(((left, right), count)) = best else {
            break;
        };
        if count < min_count {
            break;
        }
        let (left, right) = (left.to_owned(), right.to_owned());
        for (symbols, _) in &mut words {
            merge_pair(symbols, &left, &right);
        }
        merges.push((left, right));
    }
    merges
}

/// Replaces every non-overlapping occurrence of `left right`, left to right, by their join.
fn merge_pair(symbols: &mut Vec<String>, left: &str, right: &str) {
    let mut index = 0;
    while index + 1 < symbols.len() {
        if symbols[index] == left && symbols[index + 1] == right {
            let joined = format!("{left}{right}");
            symbols.splice(index..index + 2, [joined]);
        }
        index += 1;
    }
}

/// Applies ranked merges to text, yielding byte-level token strings.
#[derive(Debug, Clone)]
pub struct BpeEncoder {
    ranks: HashMap<(String, String), usize>,
    table: [char; 256],
}

impl BpeEncoder {
    /// An encoder for merges in rank order.
    pub fn new(merges: &[(String, String)]) -> Self {
        let ranks = merges
            .iter()
            .enumerate()
            .map(|(rank, pair)| (pair.clone(), rank))
            .collect();
        Self {
            ranks,
            table: byte_to_char_table(),
        }
    }

    /// The token strings `text` encodes to (no special-token handling).
    pub fn encode(&self, text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        for piece in pretokenize(text) {
            let mut symbols: Vec<String> = encode_bytes(piece, &self.table)
                .chars()
                .map(String::from)
                .collect();
            loop {
                let best = symbols
                    .windows(2)
                    .enumerate()
                    .filter_map(|(index, pair)| {
                        self.ranks
                            .get(&(pair[0].clone(), pair[1].clone()))
                            .map(|rank| (*rank, index))
                    })
                    .min();
                let Some((_, index)) = best else {
                    break;
                };
                let joined = format!("{}{}", symbols[index], symbols[index + 1]);
                symbols.splice(index..index + 2, [joined]);
            }
            tokens.extend(symbols);
        }
        tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_pairs_merge_first() {
        // (a, p), (t, a) and (Ġ, t) all occur 3 times: the smallest pair wins the tie.
        let merges = train("tap tap tap tip", 10, 2);
        assert_eq!(merges[0], ("a".to_owned(), "p".to_owned()));
        assert_eq!(merges[1], ("t".to_owned(), "ap".to_owned()));
        let encoder = BpeEncoder::new(&merges);
        assert_eq!(encoder.encode("tap"), ["tap"]);
        assert_eq!(encoder.encode(" tap"), ["Ġtap"]);
    }

    #[test]
    fn training_is_deterministic() {
        let corpus = "scroll down scroll up tap 1 tap 2 open Settings done";
        assert_eq!(train(corpus, 50, 1), train(corpus, 50, 1));
    }

    #[test]
    fn rare_pairs_stop_training() {
        assert!(train("ab cd", 10, 2).is_empty());
    }

    #[test]
    fn unknown_text_falls_back_to_bytes() {
        let encoder = BpeEncoder::new(&[]);
        assert_eq!(encoder.encode("é"), ["Ã", "©"]);
    }
}
