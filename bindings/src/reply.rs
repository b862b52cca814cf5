//! Answers that come back later: the user's decision on a confirmation, a reply to a question.
//!
//! A phone UI cannot answer inside the listener call: it shows a dialog on the main thread and
//! the user taps seconds later. So the listener gets a reply object and returns at once; the
//! task thread waits on the answer, in short slices so that a cancel stops the wait, and gives
//! up after the configured timeout. An answer that never comes counts as "no": the reply object
//! answers "no" itself when Kotlin drops it unanswered, and the wait ends at the timeout.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use lobster_core::agent::CancelToken;

/// How often a waiting task checks for cancellation.
const CANCEL_CHECK: Duration = Duration::from_millis(50);

/// An answer that arrives once, from any thread.
#[derive(Debug, Default)]
pub(crate) struct Answer<T> {
    value: Mutex<Option<T>>,
    arrived: Condvar,
}

impl<T: Clone> Answer<T> {
    /// Gives the answer; only the first one counts.
    pub(crate) fn give(&self, value: T) {
        let mut slot = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(value);
            self.arrived.notify_all();
        }
    }

    /// Waits for the answer until `timeout` passes or `cancel` is set; `None` then.
    pub(crate) fn wait(&self, cancel: &CancelToken, timeout: Duration) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut slot = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(value) = slot.as_ref() {
                return Some(value.clone());
            }
            let now = Instant::now();
            if cancel.is_cancelled() || now >= deadline {
                return None;
            }
            let slice = CANCEL_CHECK.min(deadline - now);
            slot = self
                .arrived
                .wait_timeout(slot, slice)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// The user's answer to a confirmation request. Call `allow()` or `deny()` once, from any
/// thread; later calls are ignored. Dropping it unanswered denies.
#[derive(Debug, uniffi::Object)]
pub struct ConfirmationReply {
    answer: Arc<Answer<bool>>,
}

impl ConfirmationReply {
    pub(crate) fn new(answer: Arc<Answer<bool>>) -> Self {
        ConfirmationReply { answer }
    }
}

#[uniffi::export]
impl ConfirmationReply {
    /// The user allows the action.
    pub fn allow(&self) {
        self.answer.give(true);
    }

    /// The user refuses the action; the planner is told and chooses another.
    pub fn deny(&self) {
        self.answer.give(false);
    }
}

impl Drop for ConfirmationReply {
    fn drop(&mut self) {
        self.answer.give(false);
    }
}

/// The user's reply to the planner's question. Call `answer(text)` or `dismiss()` once, from
/// any thread. Dropping it unanswered dismisses.
#[derive(Debug, uniffi::Object)]
pub struct QuestionReply {
    answer: Arc<Answer<Option<String>>>,
}

impl QuestionReply {
    pub(crate) fn new(answer: Arc<Answer<Option<String>>>) -> Self {
        QuestionReply { answer }
    }
}

#[uniffi::export]
impl QuestionReply {
    /// The user's answer, given to the planner.
    pub fn answer(&self, text: String) {
        self.answer.give(Some(text));
    }

    /// No answer: the task fails, since the planner needed one.
    pub fn dismiss(&self) {
        self.answer.give(None);
    }
}

impl Drop for QuestionReply {
    fn drop(&mut self) {
        self.answer.give(None);
    }
}

/// The user's word on a takeover. Call `done()` once the phone is handed back, or
/// `decline()`, once, from any thread. Dropping it unanswered declines.
#[derive(Debug, uniffi::Object)]
pub struct TakeoverReply {
    answer: Arc<Answer<bool>>,
}

impl TakeoverReply {
    pub(crate) fn new(answer: Arc<Answer<bool>>) -> Self {
        TakeoverReply { answer }
    }
}

#[uniffi::export]
impl TakeoverReply {
    /// The user did what was asked and hands the phone back: the task resumes.
    pub fn done(&self) {
        self.answer.give(true);
    }

    /// The user will not do it: the task ends.
    pub fn decline(&self) {
        self.answer.give(false);
    }
}

impl Drop for TakeoverReply {
    fn drop(&mut self) {
        self.answer.give(false);
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;

    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn an_answer_from_another_thread_ends_the_wait() {
        let answer = Arc::new(Answer::default());
        let reply = ConfirmationReply::new(Arc::clone(&answer));
        let waiter = thread::spawn({
            let answer = Arc::clone(&answer);
            move || answer.wait(&CancelToken::new(), LONG)
        });
        thread::sleep(Duration::from_millis(20));
        reply.allow();
        reply.deny();
        assert_eq!(
            waiter.join().unwrap(),
            Some(true),
            "the first answer counts"
        );
    }

    #[test]
    fn cancel_and_timeout_end_the_wait_without_an_answer() {
        let answer: Answer<bool> = Answer::default();
        let started = Instant::now();
        assert_eq!(
            answer.wait(&CancelToken::new(), Duration::from_millis(30)),
            None
        );
        assert!(started.elapsed() >= Duration::from_millis(30));
        let cancel = CancelToken::new();
        cancel.cancel();
        let started = Instant::now();
        assert_eq!(answer.wait(&cancel, LONG), None);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_dropped_reply_says_no() {
        let answer = Arc::new(Answer::default());
        drop(ConfirmationReply::new(Arc::clone(&answer)));
        assert_eq!(answer.wait(&CancelToken::new(), LONG), Some(false));

        let question = Arc::new(Answer::default());
        let reply = QuestionReply::new(Arc::clone(&question));
        reply.answer("7:30".into());
        drop(reply);
        assert_eq!(
            question.wait(&CancelToken::new(), LONG),
            Some(Some("7:30".into()))
        );
        let dismissed = Arc::new(Answer::default());
        QuestionReply::new(Arc::clone(&dismissed)).dismiss();
        assert_eq!(dismissed.wait(&CancelToken::new(), LONG), Some(None));
    }
}
