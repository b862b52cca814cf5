//! What the solver works toward: a task split into goals, each with a test on the phone's
//! state that says when it is reached, and the route the task plan gives each part.
//!
//! Why goals and not a script: faults (a crash, an advert, a dropped tap) knock the phone off
//! any fixed sequence of taps. The solver instead asks, at every step, which goal is not yet
//! reached (by reading the state, as the task check does) and what one action on the current
//! screen brings it closer.

use lobster_core::action::{Intent, SettingsPage};
use lobster_core::planner::Route;
use lobster_sim::{CREATE_NOTE, SimState, SimTask, TaskSpec, Toggle, same_number};
use serde_json::{Map, Value};

/// One thing to reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Goal {
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
}

impl Goal {
    /// Whether the state shows the goal reached. Questions and the filling of a draft are
    /// never reached in the state: their step says `done` itself.
    pub fn reached(&self, state: &SimState) -> bool {
        let sent = |number: &str, text: &str| {
            state
                .sent_messages()
                .iter()
                .any(|message| same_number(&message.number, number) && message.text == text)
        };
        match self {
            Goal::Toggle(toggle, on) => state.settings.get(*toggle) == *on,
            Goal::Brightness(percent) => {
                (i32::from(state.settings.brightness) - i32::from(*percent)).abs() <= 5
            }
            Goal::ConnectWifi(ssid) => {
                state.settings.wifi && state.settings.wifi_network.as_deref() == Some(ssid)
            }
            Goal::AnswerModel | Goal::AnswerNumber(_) | Goal::AnswerPrice(_) => false,
            Goal::AddContact { name, .. } => state.contact_named(name).is_some(),
            Goal::TextFromContacts { number, text, .. } | Goal::Reply { number, text, .. } => {
                sent(number, text)
            }
            Goal::Compose {
                number,
                text,
                fill_only,
                ..
            } => !fill_only && sent(number, text),
            Goal::SetAlarm {
                hour,
                minute,
                label,
            } => state
                .alarm_at(*hour, *minute)
                .is_some_and(|alarm| alarm.enabled && alarm.label.eq_ignore_ascii_case(label)),
            Goal::AlarmEnabled { hour, minute, on } => state
                .alarm_at(*hour, *minute)
                .is_some_and(|alarm| alarm.enabled == *on),
            Goal::DeleteAlarm { hour, minute } => state.alarm_at(*hour, *minute).is_none(),
            Goal::Timer { minutes } => state
                .timers
                .iter()
                .any(|timer| timer.running && timer.seconds == minutes * 60),
            Goal::CreateNote { title, .. } => state.note_titled(title).is_some(),
            Goal::DeleteNote { title } => state.note_titled(title).is_none(),
            Goal::AppendToNote { title, text } => state
                .note_titled(title)
                .is_some_and(|note| note.body.to_lowercase().contains(&text.to_lowercase())),
            Goal::AddToCart { product } => state
                .product_named(product)
                .is_some_and(|product| state.cart.iter().any(|line| line.product_id == product.id)),
            Goal::Buy { product, .. } => state.product_named(product).is_some_and(|product| {
                state
                    .orders
                    .iter()
                    .any(|order| order.lines.iter().any(|line| line.product_id == product.id))
            }),
        }
    }
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
            route: Route::Ui,
            goals,
        }
    }
}

/// The goals a task is made of, in order.
pub(crate) fn goals(task: &SimTask) -> Vec<Goal> {
    match &task.spec {
        TaskSpec::Toggles { toggles } => toggles
            .iter()
            .map(|(toggle, on)| Goal::Toggle(*toggle, *on))
            .collect(),
        TaskSpec::Brightness { percent } => vec![Goal::Brightness(*percent)],
        TaskSpec::ConnectWifi { ssid } => vec![Goal::ConnectWifi(ssid.clone())],
        TaskSpec::PhoneModel => vec![Goal::AnswerModel],
        TaskSpec::ContactNumber { name } => vec![Goal::AnswerNumber(name.clone())],
        TaskSpec::AddContact { name, number } => vec![Goal::AddContact {
            name: name.clone(),
            number: number.clone(),
        }],
        TaskSpec::TextContact { name, number, text } => vec![Goal::TextFromContacts {
            name: name.clone(),
            number: number.clone(),
            text: text.clone(),
        }],
        TaskSpec::Reply { name, number, text } => vec![Goal::Reply {
            name: name.clone(),
            number: number.clone(),
            text: text.clone(),
        }],
        TaskSpec::TextNumber { number, text } => vec![Goal::Compose {
            to: number.clone(),
            number: number.clone(),
            text: text.clone(),
            fill_only: false,
        }],
        TaskSpec::ShareNumber {
            number,
            to,
            to_number,
            ..
        } => vec![Goal::Compose {
            to: to.clone(),
            number: to_number.clone(),
            text: number.clone(),
            fill_only: false,
        }],
        TaskSpec::SetAlarm {
            hour,
            minute,
            label,
        } => vec![Goal::SetAlarm {
            hour: *hour,
            minute: *minute,
            label: label.clone(),
        }],
        TaskSpec::AlarmOff { hour, minute } => vec![Goal::AlarmEnabled {
            hour: *hour,
            minute: *minute,
            on: false,
        }],
        TaskSpec::DeleteAlarm { hour, minute } => vec![Goal::DeleteAlarm {
            hour: *hour,
            minute: *minute,
        }],
        TaskSpec::Timer { minutes } => vec![Goal::Timer { minutes: *minutes }],
        TaskSpec::CreateNote { title, body } => vec![Goal::CreateNote {
            title: title.clone(),
            body: body.clone(),
        }],
        TaskSpec::DeleteNote { title } => vec![Goal::DeleteNote {
            title: title.clone(),
        }],
        TaskSpec::AppendToNote { title, text } => vec![Goal::AppendToNote {
            title: title.clone(),
            text: text.clone(),
        }],
        TaskSpec::AddToCart { product } => vec![Goal::AddToCart {
            product: product.clone(),
        }],
        TaskSpec::Buy { product, quantity } => vec![Goal::Buy {
            product: product.clone(),
            quantity: *quantity,
        }],
        TaskSpec::Price { product } => vec![Goal::AnswerPrice(product.clone())],
        TaskSpec::DndAndAlarm { hour, minute } => vec![
            Goal::Toggle(Toggle::DoNotDisturb, true),
            Goal::SetAlarm {
                hour: *hour,
                minute: *minute,
                label: String::new(),
            },
        ],
    }
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
                vec![Goal::Compose {
                    to: number.clone(),
                    number: number.clone(),
                    text: text.clone(),
                    fill_only: true,
                }],
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
        TaskSpec::DndAndAlarm { hour, minute } => vec![
            Part::ui(
                "Turn on Do Not Disturb",
                vec![Goal::Toggle(Toggle::DoNotDisturb, true)],
            ),
            intent(
                "Set the alarm",
                Intent::SetAlarm {
                    hour: *hour,
                    minute: *minute,
                    label: None,
                },
                vec![Goal::SetAlarm {
                    hour: *hour,
                    minute: *minute,
                    label: String::new(),
                }],
            ),
        ],
        _ => vec![Part::ui(&task.goal, all)],
    }
}
