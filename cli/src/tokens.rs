//! Counting Qwen tokens with the real tokenizer (`tokenizer.json`), for `--stats` and the token
//! benchmark. The phone never needs this: the encoder budgets with a cheap estimate, and these
//! counts are how that estimate and the encoding are checked.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use tokenizers::Tokenizer;

/// Where the tokenizer is looked for when no path is given: `$LOBSTER_TOKENIZER`, then the
/// shared Qwen tokenizer beside the checkout.
pub fn default_tokenizer_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LOBSTER_TOKENIZER") {
        return Some(PathBuf::from(path));
    }
    let beside_checkout =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tokenizer/qwen_tokenizer.json");
    let beside_cwd = Path::new("../shared/tokenizer/qwen_tokenizer.json").to_path_buf();
    [beside_cwd, beside_checkout]
        .into_iter()
        .find(|path| path.is_file())
}

/// A loaded tokenizer that counts tokens.
pub struct TokenCounter {
    tokenizer: Tokenizer,
}

impl TokenCounter {
    /// Loads a Hugging Face `tokenizer.json`.
    pub fn load(path: &Path) -> Result<Self> {
        let tokenizer = Tokenizer::from_file(path)
            .map_err(|error| anyhow!("{error}"))
            .with_context(|| format!("loading tokenizer {}", path.display()))?;
        Ok(Self { tokenizer })
    }

    /// The number of tokens `text` encodes to, without special tokens.
    pub fn count(&self, text: &str) -> Result<usize> {
        let encoding = self
            .tokenizer
            .encode(text, false)
            .map_err(|error| anyhow!("tokenizing: {error}"))?;
        Ok(encoding.len())
    }
}
