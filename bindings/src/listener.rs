//! The Kotlin listener of a task, and its bridge to core's
//! [`AgentListener`](lobster_core::agent::AgentListener).
//!
//! Every call into Kotlin is guarded: a listener that throws loses that one event (it is
//! logged), a confirmation whose listener throws is denied, and the task goes on. A broken UI
//! must not leave the agent acting on the phone unobserved, but it must not crash the app
//! either; and it can never turn a "no" into a "yes".

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use lobster_core::agent::{AgentEvent, AgentListener, CancelToken, Confirmation};

use crate::events::{ConfirmationRequest, TaskEvent, TaskResult};
use crate::panic::caught;
use crate::reply::{Answer, ConfirmationReply, QuestionReply, TakeoverReply};

/// Hears a task's events and answers its questions. Kotlin: `interface TaskListener`. Every
/// method is called on the task's thread, in order; post to the main thread to touch views.
#[uniffi::export(with_foreign)]
pub trait TaskListener: Send + Sync {
    /// An event happened. `Finished` is the last one of every task.
    fn on_event(&self, event: TaskEvent);

    /// A sensitive action needs the user's decision: show `request.reason` and call
    /// `reply.allow()` or `reply.deny()`, now or later, from any thread. The task waits (up to
    /// the configured timeout, or until cancelled) and denies when no answer comes.
    fn on_confirmation_request(&self, request: ConfirmationRequest, reply: Arc<ConfirmationReply>);

    /// The planner asks the user a question: call `reply.answer(text)` or `reply.dismiss()`,
    /// now or later. Without an answer the task fails.
    fn on_question(&self, question: String, reply: Arc<QuestionReply>);

    /// The agent hands the phone to the user to do `reason` (sign in, solve a captcha, enter a
    /// PIN): show it, let the user act, and call `reply.done()` when they hand the phone back
    /// or `reply.decline()`. The task waits (up to the configured timeout, or until cancelled)
    /// and fails when no answer comes; after `done()` it looks at the screen afresh.
    fn on_takeover(&self, reason: String, reply: Arc<TakeoverReply>);
}

/// Core's view of a Kotlin [`TaskListener`] for one task.
pub(crate) struct ForeignListener {
    listener: Arc<dyn TaskListener>,
    cancel: CancelToken,
    answer_timeout: Duration,
    /// Planner tokens seen in `ActionChosen` events, for the `Finished` event.
    tokens: AtomicU64,
    finished: AtomicBool,
}

impl ForeignListener {
    pub(crate) fn new(
        listener: Arc<dyn TaskListener>,
        cancel: CancelToken,
        answer_timeout: Duration,
    ) -> Self {
        ForeignListener {
            listener,
            cancel,
            answer_timeout,
            tokens: AtomicU64::new(0),
            finished: AtomicBool::new(false),
        }
    }

    /// Sends `event`, ignoring (and logging) a listener that throws.
    fn send(&self, event: TaskEvent) {
        if caught(|| self.listener.on_event(event)).is_none() {
            tracing::warn!("the task listener threw in onEvent; the event is lost");
        }
    }

    /// Sends the `Finished` event of a task that ended without one (its thread panicked).
    pub(crate) fn finish_after_panic(&self, result: TaskResult) {
        if !self.finished.swap(true, Ordering::SeqCst) {
            self.send(TaskEvent::Finished { result });
        }
    }
}

impl AgentListener for ForeignListener {
    fn on_event(&self, event: &AgentEvent) {
        let mut event = TaskEvent::from(event);
        match &mut event {
            TaskEvent::ActionChosen { planner, .. } => {
                let spent = u64::try_from(planner.prompt_tokens).unwrap_or(0)
                    + u64::try_from(planner.generated_tokens).unwrap_or(0);
                self.tokens.fetch_add(spent, Ordering::SeqCst);
            }
            TaskEvent::Finished { result } => {
                result.tokens =
                    i64::try_from(self.tokens.load(Ordering::SeqCst)).unwrap_or(i64::MAX);
                self.finished.store(true, Ordering::SeqCst);
            }
            _ => {}
        }
        self.send(event);
    }

    fn confirm(&self, request: &Confirmation) -> bool {
        let answer = Arc::new(Answer::default());
        let reply = Arc::new(ConfirmationReply::new(Arc::clone(&answer)));
        let request = ConfirmationRequest::from(request);
        if caught(|| self.listener.on_confirmation_request(request, reply)).is_none() {
            tracing::warn!("the task listener threw in onConfirmationRequest; denied");
            return false;
        }
        answer
            .wait(&self.cancel, self.answer_timeout)
            .unwrap_or(false)
    }

    fn ask_user(&self, question: &str) -> Option<String> {
        let answer = Arc::new(Answer::default());
        let reply = Arc::new(QuestionReply::new(Arc::clone(&answer)));
        let question = question.to_owned();
        if caught(|| self.listener.on_question(question, reply)).is_none() {
            tracing::warn!("the task listener threw in onQuestion; no answer");
            return None;
        }
        answer.wait(&self.cancel, self.answer_timeout).flatten()
    }

    fn take_over(&self, reason: &str) -> bool {
        let answer = Arc::new(Answer::default());
        let reply = Arc::new(TakeoverReply::new(Arc::clone(&answer)));
        if caught(|| self.listener.on_takeover(reason.to_owned(), reply)).is_none() {
            tracing::warn!("the task listener threw in onTakeover; not taken over");
            return false;
        }
        answer
            .wait(&self.cancel, self.answer_timeout)
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use lobster_core::planner::PlanMeta;
    use lobster_core::policy::Category;

    use super::*;
    use crate::agent::Agent;
    use crate::config::tests::script_config;
    use crate::events::TaskStatus;
    use crate::test_phone::{Answering, RecordingListener, TestPhone};

    fn confirmation() -> Confirmation {
        Confirmation {
            action: "tap 4".into(),
            category: Category::Pay,
            reason: "tap on \"Pay\" looks like a payment".into(),
            remember: None,
        }
    }

    fn bridge(listener: Arc<RecordingListener>) -> ForeignListener {
        ForeignListener::new(listener, CancelToken::new(), Duration::from_secs(5))
    }

    #[test]
    fn a_takeover_resumes_only_when_the_user_hands_the_phone_back() {
        let take = |answering| bridge(RecordingListener::answering(answering)).take_over("Sign in");
        assert!(take(Answering::Allow));
        assert!(take(Answering::AllowLater));
        assert!(!take(Answering::Deny));
        assert!(!take(Answering::Drop));
        assert!(!take(Answering::Throw));
    }

    #[test]
    fn confirmations_follow_the_listeners_answer() {
        assert!(bridge(RecordingListener::answering(Answering::Allow)).confirm(&confirmation()));
        assert!(!bridge(RecordingListener::answering(Answering::Deny)).confirm(&confirmation()));
        assert!(
            !bridge(RecordingListener::answering(Answering::Drop)).confirm(&confirmation()),
            "a reply dropped unanswered denies"
        );
        assert!(
            !bridge(RecordingListener::answering(Answering::Throw)).confirm(&confirmation()),
            "a listener that throws denies"
        );
        let later = RecordingListener::answering(Answering::AllowLater);
        assert!(bridge(later).confirm(&confirmation()));
    }

    #[test]
    fn a_confirmation_without_answer_is_denied_at_the_timeout_or_cancel() {
        let silent = RecordingListener::answering(Answering::Keep);
        let listener = ForeignListener::new(
            silent.clone(),
            CancelToken::new(),
            Duration::from_millis(30),
        );
        assert!(!listener.confirm(&confirmation()));
        let cancel = CancelToken::new();
        cancel.cancel();
        let listener = ForeignListener::new(silent, cancel, Duration::from_secs(60));
        assert!(!listener.confirm(&confirmation()));
    }

    #[test]
    fn questions_get_the_listeners_answer() {
        let listener = bridge(RecordingListener::answering(Answering::Allow));
        assert_eq!(listener.ask_user("Which time?").as_deref(), Some("yes"));
        let listener = bridge(RecordingListener::answering(Answering::Deny));
        assert_eq!(listener.ask_user("Which time?"), None);
    }

    #[test]
    fn finished_carries_the_tokens_seen_and_panics_end_once() {
        let recorder = RecordingListener::answering(Answering::Allow);
        let listener = bridge(recorder.clone());
        listener.on_event(&AgentEvent::ActionChosen {
            step: 1,
            action: "done".into(),
            reason: String::new(),
            meta: PlanMeta {
                prompt_tokens: 100,
                generated_tokens: 5,
                ..PlanMeta::default()
            },
        });
        listener.on_event(&AgentEvent::Finished {
            status: lobster_core::agent::TaskStatus::Cancelled,
            steps: 1,
            elapsed: Duration::ZERO,
        });
        listener.finish_after_panic(TaskResult {
            status: TaskStatus::Failed { reason: "x".into() },
            steps: 0,
            elapsed_ms: 0,
            tokens: 0,
        });
        let events = recorder.events();
        assert_eq!(events.len(), 2, "no second Finished");
        assert!(matches!(
            &events[1],
            TaskEvent::Finished { result } if result.tokens == 105
        ));
    }

    #[test]
    fn a_listener_that_throws_loses_the_event_not_the_task() {
        // The bridge survives the throw, and the listener's other calls still work.
        let recorder = RecordingListener::throwing_on_events();
        let listener = bridge(recorder.clone());
        listener.on_event(&AgentEvent::StepStarted {
            step: 1,
            subgoal: 0,
        });
        assert!(recorder.events().is_empty(), "the event is lost");
        assert_eq!(
            listener.ask_user("Which time?"),
            None,
            "answered: dismissed"
        );

        // A whole task whose listener throws at every event still runs to its end.
        let phone = Arc::new(TestPhone::default());
        let agent = Agent::new(
            script_config(&["type 1 \"Milk\"", "tap 2", "done \"saved\""]),
            phone.clone(),
        )
        .unwrap();
        let handle = agent
            .start(
                "Save a note".into(),
                RecordingListener::throwing_on_events(),
            )
            .unwrap();
        let result = handle.wait_for(10_000).unwrap().unwrap();
        assert_eq!(
            result.status,
            TaskStatus::Succeeded {
                answer: "saved".into()
            }
        );
        assert_eq!(result.steps, 3);
        assert!(phone.saved(), "the task acted on the phone");
        assert!(!agent.is_busy());
    }
}
