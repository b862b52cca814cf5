//! Qwen's pre-tokenizer: how text is cut into pieces before BPE merges apply inside each.
//!
//! Qwen (llama.cpp's `qwen2` pre-tokenizer) splits with the regex
//! `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`:
//! words keep one leading space or punctuation mark, every digit stands alone, punctuation
//! runs keep one leading space and trailing newlines. The tiny vocabulary is trained on pieces
//! cut the same way, so its merges are ones llama.cpp can actually apply. This is a direct
//! hand-written matcher of that regex (it has a look-ahead, so the `regex` crate cannot run it).

/// Splits `text` into pre-tokens.
pub fn pretokenize(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |index: usize| chars.get(index).map_or(text.len(), |(byte, _)| *byte);
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let end = match_at(&chars, start);
        pieces.push(&text[byte_at(start)..byte_at(end)]);
        start = end;
    }
    pieces
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_number(c: char) -> bool {
    c.is_numeric()
}

fn is_newline(c: char) -> bool {
    c == '\r' || c == '\n'
}

/// The end (exclusive, in chars) of the regex match starting at `start`.
fn match_at(chars: &[(usize, char)], start: usize) -> usize {
    let at = |index: usize| chars.get(index).map(|(_, c)| *c);
    let run = |from: usize, predicate: fn(char) -> bool| {
        let mut end = from;
        while at(end).is_some_and(predicate) {
            end += 1;
        }
        end
    };
    let Some(first) = at(start) else {
        return start;
    };

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)
    if first == '\'' {
        let next = |offset: usize| at(start + offset).map(|c| c.to_ascii_lowercase());
        for contraction in ["s", "t", "re", "ve", "m", "ll", "d"] {
            if contraction
                .chars()
                .enumerate()
                .all(|(offset, expected)| next(offset + 1) == Some(expected))
            {
                return start + 1 + contraction.len();
            }
        }
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if is_letter(first) {
        return run(start, is_letter);
    }
    if !is_newline(first) && !is_number(first) && at(start + 1).is_some_and(is_letter) {
        return run(start + 1, is_letter);
    }
    // \p{N}
    if is_number(first) {
        return start + 1;
    }
    // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
    let punctuation = |c: char| !c.is_whitespace() && !is_letter(c) && !is_number(c);
    let after_space = if first == ' ' { start + 1 } else { start };
    if at(after_space).is_some_and(punctuation) {
        let end = run(after_space, punctuation);
        return run(end, is_newline);
    }
    // \s*[\r\n]+ : up to the last newline of the whitespace run.
    let whitespace_end = run(start, char::is_whitespace);
    if let Some(last_newline) = (start..whitespace_end)
        .rev()
        .find(|&i| at(i).is_some_and(is_newline))
    {
        return last_newline + 1;
    }
    // \s+(?!\S) : all of it at the end of the text, else all but the last one.
    if whitespace_end > start {
        if whitespace_end == chars.len() || whitespace_end - start == 1 {
            return whitespace_end;
        }
        return whitespace_end - 1;
    }
    start + 1
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
    fn pieces_cover_the_text() {
        let text = "# app com.android.settings\n[1] Navigate up\n  type 7 \"hello\" clear enter  ";
        assert_eq!(pretokenize(text).concat(), text);
    }
}
