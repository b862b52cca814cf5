//! What the solver works toward: a task split into goals, each with a test on the phone's
//! state that says when it is reached, and the route the task plan gives each part.
//!
//! The goals and their tests are the sim's own ([`SimTask::goals`], the ones
//! [`SimTask::check`] judges the task by): this module only adds how to reach each one, so
//! the solver and the task check cannot disagree on what "done" is.
//!
//! Why goals and not a script: faults (a crash, an advert, a dropped tap) knock the phone off
//! any fixed sequence of taps. The solver instead asks, at every step, which goal is not yet
//! reached (by reading the state, as the task check does) and what one action on the current
//! screen brings it closer.

use lobster_core::action::{Intent, MediaCommand, SettingsPage};
use lobster_core::planner::Route;
use lobster_sim::{CREATE_NOTE, SimState, SimTask, TaskSpec, Toggle};
use serde_json::{Map, Value, json};

/// One thing to reach: the state the task is judged on, and how the solver gets there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Goal {
    /// How the solver works toward it.
    pub how: How,
    /// The sim's own goal ([`SimTask::goals`]): the one definition of "reached" the task's
    /// check uses too. `None` for an answer and for filling a draft, which are never reached
    /// in the state: their step says `done` itself.
    pub state: Option<lobster_sim::Goal>,
}

impl Goal {
    /// Whether the state shows the goal reached.
    pub fn reached(&self, state: &SimState) -> bool {
        self.state.as_ref().is_some_and(|goal| goal.reached(state))
    }

    /// A goal its step ends with `done` (an answer, a filled draft): never reached in the state.
    fn unjudged(how: How) -> Goal {
        Goal { how, state: None }
    }
}

/// How to reach one goal on the screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum How {
    /// A settings switch in a state.
    Toggle(Toggle, bool),
    /// Screen brightness within 5 % of this.
    Brightness(u8),
    /// Connected to this open network.
    ConnectWifi(String),
    /// Answer with the phone's model.
    AnswerModel,
    /// Answer with a contact's mobile number.
    AnswerNumber(String),
    /// Answer with a product's price.
    AnswerPrice(String),
    /// A contact exists.
    AddContact {
        /// Full name.
        name: String,
        /// Number.
        number: String,
    },
    /// A text sent to a contact, found in Contacts and texted from there.
    TextFromContacts {
        /// The contact.
        name: String,
        /// Their mobile number.
        number: String,
        /// The message.
        text: String,
    },
    /// A reply sent in an existing conversation.
    Reply {
        /// The contact.
        name: String,
        /// Their number.
        number: String,
        /// The message.
        text: String,
    },
    /// A text sent from a new conversation in Messages.
    Compose {
        /// What to type in the recipient field: a name (then the suggestion is picked) or the
        /// number itself.
        to: String,
        /// The number it must go to.
        number: String,
        /// The message.
        text: String,
        /// Stop before Send (the intent's part, when done through the UI).
        fill_only: bool,
    },
    /// An alarm exists and is on.
    SetAlarm {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
        /// Label (may be empty).
        label: String,
    },
    /// An alarm is on or off.
    AlarmEnabled {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
        /// Wanted state.
        on: bool,
    },
    /// An alarm is gone.
    DeleteAlarm {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
    },
    /// A timer runs.
    Timer {
        /// Minutes.
        minutes: u32,
    },
    /// A note exists.
    CreateNote {
        /// Title.
        title: String,
        /// Body.
        body: String,
    },
    /// A note is gone.
    DeleteNote {
        /// Title.
        title: String,
    },
    /// A note mentions a word.
    AppendToNote {
        /// Title.
        title: String,
        /// The word.
        text: String,
    },
    /// A product is in the cart.
    AddToCart {
        /// Product name.
        product: String,
    },
    /// A product was bought.
    Buy {
        /// Product name.
        product: String,
        /// How many.
        quantity: u32,
    },
    /// A state a system tool sets (the ringer, the flashlight, a level, the clipboard): call it.
    Tool(Intent),
    /// A question a system tool answers: call it, then answer.
    AnswerByTool {
        /// The tool.
        tool: Intent,
        /// The task, whose expected answer the solver gives.
        task: Box<SimTask>,
    },
}

/// One part of the plan: a subgoal's description, route, and the goals its UI steps reach.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// What it achieves.
    pub description: String,
    /// How the loop gets there.
    pub route: Route,
    /// The goals, in order, for when it is done through the UI.
    pub goals: Vec<Goal>,
}

impl Part {
    fn ui(description: &str, goals: Vec<Goal>) -> Part {
        Part {
            description: description.to_owned(),
            route: Route::Ui { app: None },
            goals,
        }
    }
}

/// The goals a task is made of, in order: the sim's goals of the task ([`SimTask::goals`]),
/// each with how to reach it; for a question, the answer.
pub(crate) fn goals(task: &SimTask) -> Vec<Goal> {
    match &task.spec {
        TaskSpec::PhoneModel => return vec![Goal::unjudged(How::AnswerModel)],
        TaskSpec::ContactNumber { name } => {
            return vec![Goal::unjudged(How::AnswerNumber(name.clone()))];
        }
        TaskSpec::Price { product } => {
            return vec![Goal::unjudged(How::AnswerPrice(product.clone()))];
        }
        _ => {}
    }
    if task.is_question()
        && let Some(tool) = tool_for(task)
    {
        return vec![Goal::unjudged(How::AnswerByTool {
            tool,
            task: Box::new(task.clone()),
        })];
    }
    task.goals()
        .into_iter()
        .map(|goal| Goal {
            how: how(task, &goal),
            state: Some(goal),
        })
        .collect()
}

/// How to reach one of the task's goals (messages: by the route the task names).
fn how(task: &SimTask, goal: &lobster_sim::Goal) -> How {
    use lobster_sim::Goal as G;
    match goal {
        G::Toggle(toggle, on) => How::Toggle(*toggle, *on),
        G::Brightness(percent) => How::Brightness(*percent),
        G::WifiConnected(ssid) => How::ConnectWifi(ssid.clone()),
        G::ContactAdded { name, number } => How::AddContact {
            name: name.clone(),
            number: number.clone(),
        },
        G::MessageSent { number, text } => match &task.spec {
            TaskSpec::TextContact { name, .. } => How::TextFromContacts {
                name: name.clone(),
                number: number.clone(),
                text: text.clone(),
            },
            TaskSpec::Reply { name, .. } => How::Reply {
                name: name.clone(),
                number: number.clone(),
                text: text.clone(),
            },
            _ => How::Compose {
                to: number.clone(),
                number: number.clone(),
                text: text.clone(),
                fill_only: false,
            },
        },
        G::NumberShared { to_number, number } => How::Compose {
            to: match &task.spec {
                TaskSpec::ShareNumber { to, .. } => to.clone(),
                _ => to_number.clone(),
            },
            number: to_number.clone(),
            text: number.clone(),
            fill_only: false,
        },
        G::AlarmOn {
            hour,
            minute,
            label,
        } => How::SetAlarm {
            hour: *hour,
            minute: *minute,
            label: label.clone().unwrap_or_default(),
        },
        G::AlarmOff { hour, minute } => How::AlarmEnabled {
            hour: *hour,
            minute: *minute,
            on: false,
        },
        G::AlarmDeleted { hour, minute } => How::DeleteAlarm {
            hour: *hour,
            minute: *minute,
        },
        G::TimerRunning { minutes } => How::Timer { minutes: *minutes },
        G::NoteCreated { title, body } => How::CreateNote {
            title: title.clone(),
            body: body.clone(),
        },
        G::NoteDeleted { title } => How::DeleteNote {
            title: title.clone(),
        },
        G::NoteAppended { title, text } => How::AppendToNote {
            title: title.clone(),
            text: text.clone(),
        },
        G::InCart { product } => How::AddToCart {
            product: product.clone(),
        },
        G::Bought { product, quantity } => How::Buy {
            product: product.clone(),
            quantity: *quantity,
        },
        G::Ringer(_) | G::Flashlight(_) | G::MediaVolume(_) | G::MediaPaused | G::Clipboard(_) => {
            match tool_for(task) {
                Some(tool) => How::Tool(tool),
                None => unreachable!("{}: a tool goal without a tool", task.name),
            }
        }
    }
}

/// The one system tool that does `task` (the tool tasks; Do Not Disturb alone).
fn tool_for(task: &SimTask) -> Option<Intent> {
    Some(match &task.spec {
        TaskSpec::BatteryLevel => Intent::BatteryStatus,
        TaskSpec::NextMeeting => Intent::NextEvent,
        TaskSpec::CurrentTime => Intent::CurrentTime,
        TaskSpec::NextAlarm => Intent::NextAlarm,
        TaskSpec::WifiNetwork => Intent::NetworkStatus,
        TaskSpec::Ringer { mode } => Intent::RingerMode { mode: *mode },
        TaskSpec::Flashlight { on } => Intent::Flashlight { on: *on },
        TaskSpec::MediaVolume { percent } => Intent::MediaVolume { percent: *percent },
        TaskSpec::PauseMusic => Intent::MediaControl {
            command: MediaCommand::Pause,
        },
        TaskSpec::CopyText { text } => Intent::CopyToClipboard { text: text.clone() },
        TaskSpec::Toggles { toggles } if toggles == &[(Toggle::DoNotDisturb, true)] => {
            Intent::DoNotDisturb { on: true }
        }
        _ => return None,
    })
}

/// The plan: one UI part with every goal, or, with `direct` routes, intents and app actions
/// where an app offers one.
pub(crate) fn plan(task: &SimTask, direct: bool) -> Vec<Part> {
    let all = goals(task);
    if !direct {
        return vec![Part::ui(&task.goal, all)];
    }
    let intent = |description: &str, intent: Intent, goals: Vec<Goal>| Part {
        description: description.to_owned(),
        route: Route::Intent(intent),
        goals,
    };
    // A call of an app's declared action (`sim/actions/*.json`).
    let call = |description: &str, name: &str, args: Value, goals: Vec<Goal>| Part {
        description: description.to_owned(),
        route: Route::AppAction {
            name: name.to_owned(),
            args: args.as_object().cloned().unwrap_or_default(),
        },
        goals,
    };
    match &task.spec {
        TaskSpec::DeleteNote { title } => {
            return vec![call(
                &task.goal,
                "notes.delete_note",
                json!({"title": title}),
                all,
            )];
        }
        TaskSpec::AppendToNote { title, text } => {
            return vec![call(
                &task.goal,
                "notes.append_to_note",
                json!({"title": title, "text": text}),
                all,
            )];
        }
        TaskSpec::AddToCart { product } => {
            return vec![call(
                &task.goal,
                "shop.add_to_cart",
                json!({"product": product}),
                all,
            )];
        }
        TaskSpec::Buy { product, quantity } => {
            return vec![
                call(
                    "Put it in the cart",
                    "shop.add_to_cart",
                    json!({"product": product, "quantity": quantity}),
                    Vec::new(),
                ),
                call("Pay for the cart", "shop.checkout", json!({}), all),
            ];
        }
        TaskSpec::ContactNumber { name } => {
            return vec![call(
                &task.goal,
                "contacts.find_contact",
                json!({"name": name}),
                all,
            )];
        }
        // A text to a contact needs their number, which the goal does not say: a planner looks
        // it up first (a step whose result it reads), so no plan can route it in one call.
        _ => {}
    }
    match &task.spec {
        TaskSpec::SetAlarm {
            hour,
            minute,
            label,
        } => vec![intent(
            &task.goal,
            Intent::SetAlarm {
                hour: *hour,
                minute: *minute,
                label: Some(label.clone()),
            },
            all,
        )],
        TaskSpec::Timer { minutes } => vec![intent(
            &task.goal,
            Intent::SetTimer {
                seconds: minutes * 60,
                label: None,
            },
            all,
        )],
        TaskSpec::CreateNote { title, body } => {
            let mut args = Map::new();
            args.insert("title".into(), Value::String(title.clone()));
            args.insert("body".into(), Value::String(body.clone()));
            vec![Part {
                description: task.goal.clone(),
                route: Route::AppAction {
                    name: CREATE_NOTE.into(),
                    args,
                },
                goals: all,
            }]
        }
        TaskSpec::TextNumber { number, text } => vec![
            intent(
                "Open a message draft",
                Intent::ComposeSms {
                    to: number.clone(),
                    body: Some(text.clone()),
                },
                vec![Goal::unjudged(How::Compose {
                    to: number.clone(),
                    number: number.clone(),
                    text: text.clone(),
                    fill_only: true,
                })],
            ),
            Part::ui("Send the message", all),
        ],
        TaskSpec::ConnectWifi { .. } => vec![
            intent(
                "Open the Wi-Fi settings",
                Intent::OpenSettings {
                    page: SettingsPage::Wifi,
                },
                Vec::new(),
            ),
            Part::ui(&task.goal, all),
        ],
        TaskSpec::DndAndAlarm { hour, minute } => {
            // The task's goals in order: Do Not Disturb, then the alarm.
            let mut goals = all.into_iter();
            let dnd: Vec<Goal> = goals.by_ref().take(1).collect();
            vec![
                Part::ui("Turn on Do Not Disturb", dnd),
                intent(
                    "Set the alarm",
                    Intent::SetAlarm {
                        hour: *hour,
                        minute: *minute,
                        label: None,
                    },
                    goals.collect(),
                ),
            ]
        }
        _ => match tool_for(task) {
            Some(tool) => vec![intent(&task.goal, tool, all)],
            None => vec![Part::ui(&task.goal, all)],
        },
    }
}
