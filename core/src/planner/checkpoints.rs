//! Checkpoints of a recurrent model's state along the cached prompt, so a step can go back to
//! where its prompt stops matching the cache.
//!
//! Why: a plain KV cache can drop any suffix, so the prefix cache keeps what the new prompt
//! shares and evaluates the rest. A model with recurrent memory (Qwen3.5's Gated DeltaNet
//! layers, Mamba) folds every token into one running state per sequence: it cannot drop a
//! suffix, and without help each step would evaluate its whole prompt again. So the planner
//! copies the recurrent part of the state at the points later prompts share — the end of the
//! system prompt, the end of each step's prompt before the answer — and goes back to the
//! newest one at or before where the new prompt parts from the cache (as llama-server's
//! context checkpoints do). A checkpoint costs the recurrent state's size (about 19 MiB for the
//! 0.8B), so only a few are kept: the first (the system prompt's end, which every step shares)
//! and the newest ones.
//!
//! Generic over the state so this bookkeeping is tested without a model; the planner keeps
//! llama.cpp's opaque sequence states in it.

/// The checkpoints of one sequence, oldest first, each at a count of cached tokens.
#[derive(Debug)]
pub(crate) struct Checkpoints<S> {
    kept: Vec<(usize, S)>,
    limit: usize,
}

impl<S> Checkpoints<S> {
    /// At most `limit` checkpoints (at least 2: the first and the newest).
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            kept: Vec::new(),
            limit: limit.max(2),
        }
    }

    /// Keeps `state`, taken when `tokens` tokens were cached. Replaces a checkpoint at the same
    /// count; beyond the limit, the oldest but the first goes.
    pub(crate) fn push(&mut self, tokens: usize, state: S) {
        self.kept.retain(|(at, _)| *at != tokens);
        let at = self.kept.partition_point(|(at, _)| *at < tokens);
        self.kept.insert(at, (tokens, state));
        if self.kept.len() > self.limit {
            self.kept.remove(1);
        }
    }

    /// The newest checkpoint at or before `tokens` cached tokens.
    pub(crate) fn at_or_before(&self, tokens: usize) -> Option<(usize, &S)> {
        self.kept
            .iter()
            .rev()
            .find(|(at, _)| *at <= tokens)
            .map(|(at, state)| (*at, state))
    }

    /// Drops the checkpoints past `tokens` (the cache was cut there).
    pub(crate) fn forget_after(&mut self, tokens: usize) {
        self.kept.retain(|(at, _)| *at <= tokens);
    }

    /// Drops them all.
    pub(crate) fn clear(&mut self) {
        self.kept.clear();
    }

    /// How many are kept.
    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// The states kept, oldest first.
    pub(crate) fn states(&self) -> impl Iterator<Item = &S> {
        self.kept.iter().map(|(_, state)| state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_checkpoint_at_or_before_a_count_is_found() {
        let mut checkpoints = Checkpoints::new(4);
        checkpoints.push(600, "system");
        checkpoints.push(700, "step 1");
        checkpoints.push(820, "step 2");
        assert_eq!(checkpoints.at_or_before(819), Some((700, &"step 1")));
        assert_eq!(checkpoints.at_or_before(820), Some((820, &"step 2")));
        assert_eq!(checkpoints.at_or_before(10_000), Some((820, &"step 2")));
        assert_eq!(checkpoints.at_or_before(599), None);
    }

    #[test]
    fn the_first_checkpoint_stays_and_the_oldest_after_it_goes() {
        let mut checkpoints = Checkpoints::new(3);
        for (at, name) in [(600, "system"), (700, "a"), (800, "b"), (900, "c")] {
            checkpoints.push(at, name);
        }
        assert_eq!(checkpoints.len(), 3);
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system", "b", "c"]
        );
        // The same count again replaces, in place.
        checkpoints.push(800, "b again");
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system", "b again", "c"]
        );
    }

    #[test]
    fn cutting_the_cache_drops_the_checkpoints_past_the_cut() {
        let mut checkpoints = Checkpoints::new(4);
        for at in [600, 700, 800] {
            checkpoints.push(at, at);
        }
        checkpoints.forget_after(700);
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            [600, 700]
        );
        // An earlier checkpoint pushed later still sorts in place.
        checkpoints.push(650, 650);
        assert_eq!(checkpoints.at_or_before(690), Some((650, &650)));
        checkpoints.clear();
        assert_eq!(checkpoints.at_or_before(10_000), None);
        assert_eq!(Checkpoints::<u8>::new(0).limit, 2);
    }
}
