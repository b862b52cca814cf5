//! Test doubles for this crate's Rust tests: a one-app phone implementing the foreign
//! [`Device`] trait (as the Kotlin fake does in the JVM tests) and a recording listener.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use lobster_core::screen::{
    AccessibilityAction, Node, Rect, Snapshot, SourceFormat, StandardAction, Window, WindowType,
};
use prost::Message;

use crate::action::{ActionOutcome, DeviceAction};
use crate::device::{AppActionInfo, AppInfo, Device, DeviceError};
use crate::events::{ConfirmationRequest, TaskEvent};
use crate::listener::TaskListener;
use crate::reply::{ConfirmationReply, QuestionReply, TakeoverReply};

fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Option<Rect> {
    Some(Rect {
        left,
        top,
        right,
        bottom,
    })
}

fn action(kind: StandardAction) -> AccessibilityAction {
    AccessibilityAction {
        kind: kind as i32,
        id: 0,
        label: String::new(),
    }
}

fn node(key: &str, class: &str, bounds: Option<Rect>) -> Node {
    Node {
        key: key.into(),
        class_name: class.into(),
        bounds,
        enabled: true,
        visible: true,
        ..Node::default()
    }
}

fn button(key: &str, text: &str, bounds: Option<Rect>) -> Node {
    Node {
        text: text.into(),
        clickable: true,
        focusable: true,
        actions: vec![action(StandardAction::Click)],
        ..node(key, "android.widget.Button", bounds)
    }
}

/// The notes app: a heading, a title field, Save and "Delete all" (sensitive). The encoder
/// gives the field id 1, Save 2 and Delete all 3.
pub(crate) fn notes_snapshot(title: &str, saved: bool) -> Snapshot {
    let heading = Node {
        text: if saved { "Notes (1 saved)" } else { "Notes" }.into(),
        ..node(
            "heading",
            "android.widget.TextView",
            rect(0, 100, 1080, 200),
        )
    };
    let field = Node {
        text: title.into(),
        hint: "Title".into(),
        editable: true,
        clickable: true,
        focusable: true,
        actions: vec![
            action(StandardAction::Click),
            action(StandardAction::SetText),
        ],
        ..node("title", "android.widget.EditText", rect(0, 200, 1080, 320))
    };
    let root = Node {
        children: vec![
            heading,
            field,
            button("save", "Save", rect(0, 400, 540, 520)),
            button("delete", "Delete all", rect(540, 400, 1080, 520)),
        ],
        ..node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400))
    };
    Snapshot {
        screen_width: 1080,
        screen_height: 2400,
        foreground_package: "com.example.notes".into(),
        timestamp_ms: 0,
        windows: vec![Window {
            id: 1,
            r#type: WindowType::Application as i32,
            package: "com.example.notes".into(),
            layer: 0,
            focused: true,
            bounds: rect(0, 0, 1080, 2400),
            title: "Notes".into(),
            root: Some(root),
        }],
        source: SourceFormat::Accessibility as i32,
    }
}

/// A one-app phone: typing sets the title, Save saves it, Delete all clears everything.
#[derive(Debug, Default)]
pub(crate) struct TestPhone {
    state: Mutex<PhoneState>,
    /// Throw from `observe` after this many observations.
    pub(crate) fail_after: Option<usize>,
}

#[derive(Debug, Default)]
struct PhoneState {
    title: String,
    saved: bool,
    observed: usize,
    performed: Vec<DeviceAction>,
}

impl TestPhone {
    /// A phone whose `observe` throws after `limit` observations.
    pub(crate) fn failing_after(limit: usize) -> Self {
        TestPhone {
            fail_after: Some(limit),
            ..TestPhone::default()
        }
    }

    /// Actions performed so far.
    pub(crate) fn performed(&self) -> Vec<DeviceAction> {
        self.state.lock().unwrap().performed.clone()
    }

    /// Whether a note was saved.
    pub(crate) fn saved(&self) -> bool {
        self.state.lock().unwrap().saved
    }
}

impl Device for TestPhone {
    fn observe(&self) -> Result<Vec<u8>, DeviceError> {
        let mut state = self.state.lock().unwrap();
        state.observed += 1;
        if self.fail_after.is_some_and(|limit| state.observed > limit) {
            return Err(DeviceError::Unavailable {
                reason: "the service disconnected".into(),
            });
        }
        Ok(notes_snapshot(&state.title, state.saved).encode_to_vec())
    }

    fn perform(&self, action: DeviceAction) -> Result<ActionOutcome, DeviceError> {
        let mut state = self.state.lock().unwrap();
        state.performed.push(action.clone());
        match action {
            DeviceAction::SetText {
                target,
                text,
                clear,
            } if target.node_key == "title" => {
                if clear {
                    state.title = text;
                } else {
                    state.title.push_str(&text);
                }
            }
            DeviceAction::Tap { target } if target.node_key == "save" => state.saved = true,
            DeviceAction::Tap { target } if target.node_key == "delete" => {
                state.saved = false;
                state.title.clear();
            }
            DeviceAction::Tap { .. } | DeviceAction::Global { .. } => {}
            _ => {
                return Ok(ActionOutcome::Rejected {
                    reason: "not supported".into(),
                });
            }
        }
        Ok(ActionOutcome::Performed)
    }

    fn launch_app(&self, label: String) -> Result<ActionOutcome, DeviceError> {
        Ok(if label == "Notes" {
            ActionOutcome::Performed
        } else {
            ActionOutcome::NoHandler
        })
    }

    fn installed_apps(&self) -> Result<Vec<AppInfo>, DeviceError> {
        Ok(vec![AppInfo {
            label: "Notes".into(),
            package_name: "com.example.notes".into(),
        }])
    }

    fn app_actions(&self) -> Result<Vec<AppActionInfo>, DeviceError> {
        Ok(Vec::new())
    }

    fn available_tools(&self) -> Result<Vec<String>, DeviceError> {
        Ok(vec!["set_alarm".into(), "battery_status".into()])
    }

    fn settle(&self, _max_ms: i64) -> Result<(), DeviceError> {
        Ok(())
    }
}

/// How a [`RecordingListener`] answers confirmations and questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answering {
    /// Allow at once (questions: answer "yes").
    Allow,
    /// Allow from another thread a moment later.
    AllowLater,
    /// Deny at once (questions: dismiss).
    Deny,
    /// Drop the reply unanswered.
    Drop,
    /// Keep the reply and never answer.
    Keep,
    /// Panic, as a Kotlin exception does through UniFFI.
    Throw,
}

/// Records events; answers as told.
#[derive(Debug)]
pub(crate) struct RecordingListener {
    answering: Answering,
    throw_on_events: bool,
    events: Mutex<Vec<TaskEvent>>,
    kept: Mutex<Vec<Arc<ConfirmationReply>>>,
}

impl RecordingListener {
    pub(crate) fn answering(answering: Answering) -> Arc<Self> {
        Arc::new(RecordingListener {
            answering,
            throw_on_events: false,
            events: Mutex::default(),
            kept: Mutex::default(),
        })
    }

    pub(crate) fn throwing_on_events() -> Arc<Self> {
        Arc::new(RecordingListener {
            throw_on_events: true,
            ..Arc::into_inner(Self::answering(Answering::Deny)).unwrap()
        })
    }

    pub(crate) fn events(&self) -> Vec<TaskEvent> {
        self.events.lock().unwrap().clone()
    }
}

impl TaskListener for RecordingListener {
    fn on_event(&self, event: TaskEvent) {
        if self.throw_on_events {
            panic!("Callback interface failure: listener threw");
        }
        self.events.lock().unwrap().push(event);
    }

    fn on_confirmation_request(
        &self,
        _request: ConfirmationRequest,
        reply: Arc<ConfirmationReply>,
    ) {
        match self.answering {
            Answering::Allow => reply.allow(),
            Answering::AllowLater => {
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(20));
                    reply.allow();
                });
            }
            Answering::Deny => reply.deny(),
            Answering::Drop => drop(reply),
            Answering::Keep => self.kept.lock().unwrap().push(reply),
            Answering::Throw => panic!("Callback interface failure: listener threw"),
        }
    }

    fn on_question(&self, _question: String, reply: Arc<QuestionReply>) {
        match self.answering {
            Answering::Allow | Answering::AllowLater => reply.answer("yes".into()),
            _ => reply.dismiss(),
        }
    }

    fn on_takeover(&self, _reason: String, reply: Arc<TakeoverReply>) {
        match self.answering {
            Answering::Allow => reply.done(),
            Answering::AllowLater => {
                thread::spawn(move || {
                    thread::sleep(Duration::from_millis(20));
                    reply.done();
                });
            }
            Answering::Throw => panic!("Callback interface failure: listener threw"),
            _ => reply.decline(),
        }
    }
}
