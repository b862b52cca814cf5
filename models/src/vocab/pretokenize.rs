//! Qwen's pre-tokenizer: how text is cut into pieces before BPE merges apply inside each.
//!
//! Qwen (llama.cpp's `qwen2` pre-tokenizer) splits with the regex in [`QWEN_PATTERN`]: words
//! keep one leading space or punctuation mark, every digit stands alone, punctuation runs keep
//! one leading space and trailing newlines. The tiny vocabulary is trained on pieces cut the
//! same way, so its merges are ones llama.cpp can actually apply. The pattern has a look-ahead
//! (`\s+(?!\S)`), which the `regex` crate cannot run, so it runs on `fancy-regex` (the engine
//! Hugging Face's `tokenizers` uses for the same pattern).

use std::sync::LazyLock;

use fancy_regex::Regex;

/// Qwen2's pre-tokenizer pattern, as its `tokenizer.json` and llama.cpp's `qwen2` pre-tokenizer
/// write it.
pub const QWEN_PATTERN: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// The compiled pattern; `None` only if fancy-regex rejected it (a unit test proves it does
/// not), in which case [`pretokenize`] falls back to one piece per character.
static QWEN_REGEX: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(QWEN_PATTERN).ok());

/// Splits `text` into pre-tokens; the pieces concatenate to `text`.
pub fn pretokenize(text: &str) -> Vec<&str> {
    let Some(regex) = QWEN_REGEX.as_ref() else {
        return text.split_inclusive(|_| true).collect();
    };
    let mut pieces = Vec::new();
    let mut covered = 0;
    for found in regex.find_iter(text) {
        // A backtracking limit hit: keep the rest as it is rather than lose it.
        let Ok(found) = found else { break };
        if found.start() > covered {
            pieces.push(&text[covered..found.start()]);
        }
        pieces.push(found.as_str());
        covered = found.end();
    }
    if covered < text.len() {
        pieces.push(&text[covered..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_leading_space_and_digits_stand_alone() {
        assert_eq!(pretokenize("tap 12"), ["tap", " ", "1", "2"]);
        assert_eq!(
            pretokenize("open \"Settings\""),
            ["open", " \"", "Settings", "\""]
        );
        assert_eq!(pretokenize("scroll 3 down"), ["scroll", " ", "3", " down"]);
    }

    #[test]
    fn contractions_punctuation_and_newlines_split_like_qwen() {
        assert_eq!(pretokenize("I'll go."), ["I", "'ll", " go", "."]);
        assert_eq!(pretokenize("a\n\nb"), ["a", "\n\n", "b"]);
        assert_eq!(pretokenize("x  y"), ["x", " ", " y"]);
        assert_eq!(pretokenize("end  "), ["end", "  "]);
        assert_eq!(pretokenize("[4] Wi-Fi"), ["[", "4", "]", " Wi", "-Fi"]);
        assert_eq!(pretokenize("ok!\n"), ["ok", "!\n"]);
    }

    #[test]
    fn the_pattern_compiles() {
        assert!(QWEN_REGEX.is_some());
    }

    #[test]
    fn other_scripts_and_symbols_split_like_qwen() {
        assert_eq!(pretokenize("打开 设置"), ["打开", " 设置"]);
        assert_eq!(pretokenize("2½ km"), ["2", "½", " km"]);
        assert_eq!(pretokenize("a \t\n b"), ["a", " \t\n", " b"]);
        assert_eq!(pretokenize("DON'T"), ["DON", "'T"]);
        assert!(pretokenize("").is_empty());
    }

    #[test]
    fn pieces_cover_the_text() {
        let text = "# app com.android.settings\n[1] Navigate up\n  type 7 \"hello\" clear enter  ";
        assert_eq!(pretokenize(text).concat(), text);
    }
}
