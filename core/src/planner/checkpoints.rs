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
//! 0.8B), so few are held: the newest ones, and the system prompt's end ("pinned") only where
//! no saved file of the system prompt can stand in for it.
//!
//! Generic over the state so this bookkeeping is tested without a model; the planner keeps
//! llama.cpp's opaque sequence states in it.

/// The checkpoints of one sequence, each at a count of cached tokens.
#[derive(Debug)]
pub(crate) struct Checkpoints<S> {
    /// The system prompt's end, held while no saved file holds that state.
    pinned: Option<(usize, S)>,
    /// The newest checkpoints, oldest first.
    recent: Vec<(usize, S)>,
    /// At most this many recent ones.
    limit: usize,
}

impl<S> Checkpoints<S> {
    /// At most `limit` recent checkpoints (at least 1), besides a pinned one.
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            pinned: None,
            recent: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// Keeps `state`, taken when `tokens` tokens were cached, as the pinned checkpoint (the
    /// system prompt's end), replacing the one before.
    pub(crate) fn pin(&mut self, tokens: usize, state: S) {
        self.recent.retain(|(at, _)| *at != tokens);
        self.pinned = Some((tokens, state));
    }

    /// Keeps `state`, taken when `tokens` tokens were cached, as a recent checkpoint. Replaces
    /// one at the same count; beyond the limit, the oldest recent one goes.
    pub(crate) fn push(&mut self, tokens: usize, state: S) {
        self.recent.retain(|(at, _)| *at != tokens);
        let at = self.recent.partition_point(|(at, _)| *at < tokens);
        self.recent.insert(at, (tokens, state));
        if self.recent.len() > self.limit {
            self.recent.remove(0);
        }
    }

    /// Drops the oldest recent checkpoints that the next [`Checkpoints::push`] would drop, so
    /// that taking the next state never holds one more than the limit.
    pub(crate) fn make_room(&mut self) {
        let excess = (self.recent.len() + 1).saturating_sub(self.limit);
        self.recent.drain(..excess.min(self.recent.len()));
    }

    /// The newest checkpoint at or before `tokens` cached tokens.
    pub(crate) fn at_or_before(&self, tokens: usize) -> Option<(usize, &S)> {
        self.recent
            .iter()
            .rev()
            .chain(self.pinned.as_ref())
            .filter(|(at, _)| *at <= tokens)
            .max_by_key(|(at, _)| *at)
            .map(|(at, state)| (*at, state))
    }

    /// Drops the checkpoints past `tokens` (the cache was cut there).
    pub(crate) fn forget_after(&mut self, tokens: usize) {
        self.recent.retain(|(at, _)| *at <= tokens);
        if self.pinned.as_ref().is_some_and(|(at, _)| *at > tokens) {
            self.pinned = None;
        }
    }

    /// Drops them all.
    pub(crate) fn clear(&mut self) {
        self.recent.clear();
        self.pinned = None;
    }

    /// How many are held.
    pub(crate) fn len(&self) -> usize {
        self.recent.len() + usize::from(self.pinned.is_some())
    }

    /// The states held.
    pub(crate) fn states(&self) -> impl Iterator<Item = &S> {
        self.pinned
            .iter()
            .chain(&self.recent)
            .map(|(_, state)| state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_checkpoint_at_or_before_a_count_is_found() {
        let mut checkpoints = Checkpoints::new(2);
        checkpoints.pin(600, "system");
        checkpoints.push(700, "step 1");
        checkpoints.push(820, "step 2");
        assert_eq!(checkpoints.at_or_before(819), Some((700, &"step 1")));
        assert_eq!(checkpoints.at_or_before(820), Some((820, &"step 2")));
        assert_eq!(checkpoints.at_or_before(10_000), Some((820, &"step 2")));
        assert_eq!(checkpoints.at_or_before(650), Some((600, &"system")));
        assert_eq!(checkpoints.at_or_before(599), None);
    }

    #[test]
    fn the_pinned_checkpoint_stays_and_the_oldest_recent_one_goes() {
        let mut checkpoints = Checkpoints::new(1);
        checkpoints.pin(600, "system");
        for (at, name) in [(700, "a"), (800, "b"), (900, "c")] {
            checkpoints.push(at, name);
        }
        assert_eq!(checkpoints.len(), 2);
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system", "c"]
        );
        // The same count again replaces, in place; a new pin replaces the old one.
        checkpoints.push(900, "c again");
        checkpoints.pin(650, "system again");
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system again", "c again"]
        );
        // Room is made before the next state is taken: the oldest recent one goes first.
        checkpoints.make_room();
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system again"]
        );
        checkpoints.push(1000, "d");
        checkpoints.make_room();
        checkpoints.push(1100, "e");
        assert_eq!(
            checkpoints.states().copied().collect::<Vec<_>>(),
            ["system again", "e"]
        );
        // Without a pin, only the recent ones are held.
        let mut unpinned = Checkpoints::new(1);
        unpinned.push(700, "a");
        unpinned.push(800, "b");
        assert_eq!(unpinned.states().copied().collect::<Vec<_>>(), ["b"]);
        assert_eq!(unpinned.at_or_before(750), None);
    }

    #[test]
    fn cutting_the_cache_drops_the_checkpoints_past_the_cut() {
        let mut checkpoints = Checkpoints::new(4);
        checkpoints.pin(600, 600);
        for at in [700, 800] {
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
        checkpoints.forget_after(599);
        assert_eq!(checkpoints.len(), 0);
        checkpoints.push(650, 650);
        checkpoints.clear();
        assert_eq!(checkpoints.at_or_before(10_000), None);
        assert_eq!(Checkpoints::<u8>::new(0).limit, 1);
    }
}
