//! Prefix reuse: which prompt tokens the KV cache already holds, and which must be evaluated.
//!
//! Prefill dominates a step on a phone, so a step must evaluate only what changed. The local
//! planner remembers the tokens its KV cache holds; for a new prompt it keeps the longest common
//! prefix, removes the cache's cells after it, and evaluates the rest. At least the prompt's last
//! token is always evaluated, because sampling needs its logits. Kept apart from llama.cpp so the
//! arithmetic is tested without a model.

/// The tokens the KV cache holds, in position order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CachedTokens {
    tokens: Vec<i32>,
}

/// How to bring the cache from what it holds to a new prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// Cached tokens to keep: positions `0..keep` stay, everything from `keep` is removed.
    pub keep: usize,
    /// Prompt tokens to evaluate, from position `keep` to the prompt's end.
    pub evaluate: usize,
}

impl CachedTokens {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The tokens held.
    pub fn tokens(&self) -> &[i32] {
        &self.tokens
    }

    /// How many tokens are held.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// What to keep and what to evaluate for `prompt`.
    pub fn reuse_for(&self, prompt: &[i32]) -> Reuse {
        let common = self
            .tokens
            .iter()
            .zip(prompt)
            .take_while(|(cached, wanted)| cached == wanted)
            .count();
        // The last prompt token is evaluated again when everything matched: its logits are the
        // ones the next token is sampled from, and they are not kept.
        let keep = if common == prompt.len() {
            common.saturating_sub(1)
        } else {
            common
        };
        Reuse {
            keep,
            evaluate: prompt.len() - keep,
        }
    }

    /// Forgets everything from position `keep` on (after removing those cells from the cache).
    pub fn truncate(&mut self, keep: usize) {
        self.tokens.truncate(keep);
    }

    /// Records tokens just evaluated at the end of the cache.
    pub fn extend(&mut self, evaluated: &[i32]) {
        self.tokens.extend_from_slice(evaluated);
    }

    /// Forgets everything (after clearing the cache).
    pub fn clear(&mut self) {
        self.tokens.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(tokens: &[i32]) -> CachedTokens {
        let mut cache = CachedTokens::new();
        cache.extend(tokens);
        cache
    }

    #[test]
    fn an_empty_cache_evaluates_everything() {
        assert_eq!(
            CachedTokens::new().reuse_for(&[1, 2, 3]),
            Reuse {
                keep: 0,
                evaluate: 3
            }
        );
    }

    #[test]
    fn an_appended_prompt_evaluates_only_the_suffix() {
        // System prompt and first screen cached, plus the action the model generated.
        let cached = cache(&[1, 2, 3, 4, 5, 6]);
        let next = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(
            cached.reuse_for(&next),
            Reuse {
                keep: 6,
                evaluate: 3
            }
        );
    }

    #[test]
    fn a_divergence_removes_everything_after_it() {
        let cached = cache(&[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            cached.reuse_for(&[1, 2, 9, 4, 5, 6, 7]),
            Reuse {
                keep: 2,
                evaluate: 5
            }
        );
    }

    #[test]
    fn the_same_prompt_re_evaluates_its_last_token() {
        let cached = cache(&[1, 2, 3]);
        assert_eq!(
            cached.reuse_for(&[1, 2, 3]),
            Reuse {
                keep: 2,
                evaluate: 1
            }
        );
    }

    #[test]
    fn a_shorter_prompt_keeps_its_own_prefix() {
        let cached = cache(&[1, 2, 3, 4, 5]);
        assert_eq!(
            cached.reuse_for(&[1, 2, 3]),
            Reuse {
                keep: 2,
                evaluate: 1
            }
        );
        assert_eq!(
            cached.reuse_for(&[1, 2]),
            Reuse {
                keep: 1,
                evaluate: 1
            }
        );
        assert_eq!(
            cached.reuse_for(&[]),
            Reuse {
                keep: 0,
                evaluate: 0
            }
        );
    }

    #[test]
    fn truncate_and_extend_track_the_cache() {
        let mut cached = cache(&[1, 2, 3, 4]);
        let reuse = cached.reuse_for(&[1, 2, 7, 8]);
        cached.truncate(reuse.keep);
        cached.extend(&[7, 8]);
        assert_eq!(cached.tokens(), &[1, 2, 7, 8]);
        assert_eq!(cached.reuse_for(&[1, 2, 7, 8, 9]).evaluate, 1);
        cached.clear();
        assert!(cached.is_empty());
    }
}
