//! The tasks an agent is measured on: a goal in plain English, a setup of the phone's state, and
//! a check of the state afterwards (and of the answer, for questions).
//!
//! Why checks read the state and not the screen: an agent can end on a screen that looks right
//! by accident, and a task done right can end anywhere; what counts is what the phone stored,
//! as AndroidWorld validates the device's databases. Every check also fails when the agent was
//! misled (an advert installed, an injected instruction obeyed). Parameters come from small
//! pools chosen by a seed, so runs vary yet replay exactly; seed 0 gives the first of each pool.
//!
//! A task's check is its [`Goal`]s (each a state judged on the data) plus what it must leave
//! alone (other people's messages, the seeded notes and alarms, the orders). The goals are the
//! one definition of "reached": the test-only solver works toward these same goals.

use super::content;
use super::device::{Sim, SimConfig};
use super::faults::{Faults, check_not_misled};
use super::state::{
    Order, SentMessage, SimState, Toggle, clock_time, digits, on_off, price, same_number,
};
use lobster_core::action::RingerMode;

/// One task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimTask {
    /// A short stable name (`wifi_off`).
    pub name: &'static str,
    /// The goal as a user would say it.
    pub goal: String,
    /// What the task asks for, with its parameters.
    pub spec: TaskSpec,
}

/// What a task asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskSpec {
    /// Set system switches.
    Toggles {
        /// Each switch and the state it must end in.
        toggles: Vec<(Toggle, bool)>,
    },
    /// Set the screen brightness.
    Brightness {
        /// The level in percent (within 5).
        percent: u8,
    },
    /// Connect to an open Wi-Fi network.
    ConnectWifi {
        /// The network.
        ssid: String,
    },
    /// Answer with the phone's model name (from About phone, low on the Settings list).
    PhoneModel,
    /// Answer with a contact's mobile number.
    ContactNumber {
        /// The contact.
        name: String,
    },
    /// Create a contact.
    AddContact {
        /// The full name.
        name: String,
        /// The phone number.
        number: String,
    },
    /// Text a contact's mobile number (looked up in Contacts).
    TextContact {
        /// The contact.
        name: String,
        /// Their mobile number, where the text must go.
        number: String,
        /// The message.
        text: String,
    },
    /// Reply in an existing conversation.
    Reply {
        /// The contact.
        name: String,
        /// Their number.
        number: String,
        /// The message.
        text: String,
    },
    /// Text a number that is not a contact.
    TextNumber {
        /// The number.
        number: String,
        /// The message.
        text: String,
    },
    /// Send one contact's mobile number to another contact.
    ShareNumber {
        /// Whose number is sent.
        of: String,
        /// That number.
        number: String,
        /// Who receives it.
        to: String,
        /// The recipient's mobile number.
        to_number: String,
    },
    /// Create an alarm.
    SetAlarm {
        /// Hour, 0–23.
        hour: u8,
        /// Minute.
        minute: u8,
        /// Its label.
        label: String,
    },
    /// Switch an alarm off (keeping it).
    AlarmOff {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
    },
    /// Delete an alarm.
    DeleteAlarm {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
    },
    /// Start a countdown timer.
    Timer {
        /// Its length in minutes.
        minutes: u32,
    },
    /// Create a note.
    CreateNote {
        /// Title.
        title: String,
        /// Body.
        body: String,
    },
    /// Delete a note (others must stay).
    DeleteNote {
        /// Its title.
        title: String,
    },
    /// Add a word to a note's text (what was there must stay).
    AppendToNote {
        /// The note's title.
        title: String,
        /// What to add.
        text: String,
    },
    /// Put a product in the cart without buying it.
    AddToCart {
        /// The product.
        product: String,
    },
    /// Buy a product: cart, checkout, pay (the guard asks the user to confirm).
    Buy {
        /// The product.
        product: String,
        /// How many.
        quantity: u32,
    },
    /// Answer with a product's price.
    Price {
        /// The product.
        product: String,
    },
    /// Answer with the battery level (a system tool reads it).
    BatteryLevel,
    /// Answer with the next calendar event's title.
    NextMeeting,
    /// Answer with the time the clock shows.
    CurrentTime,
    /// Answer with the time of the next alarm.
    NextAlarm,
    /// Answer with the Wi-Fi network the phone uses.
    WifiNetwork,
    /// Set the ringer's mode.
    Ringer {
        /// The mode.
        mode: RingerMode,
    },
    /// Turn the flashlight on or off.
    Flashlight {
        /// On or off.
        on: bool,
    },
    /// Set the media volume.
    MediaVolume {
        /// Percent.
        percent: u8,
    },
    /// Pause the music that plays.
    PauseMusic,
    /// Put a text on the clipboard.
    CopyText {
        /// The text.
        text: String,
    },
    /// Turn on Do Not Disturb and set an alarm: two apps, one of them reachable by intent.
    DndAndAlarm {
        /// Hour.
        hour: u8,
        /// Minute.
        minute: u8,
    },
}

/// A deterministic choice from a pool: seed 0 takes the first entry.
fn pick<T: Clone>(pool: &[T], seed: u64, salt: u64) -> T {
    if seed == 0 || pool.len() < 2 {
        return pool[0].clone();
    }
    // splitmix64
    let mut z = seed.wrapping_add(salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let index = usize::try_from(z % pool.len() as u64).unwrap_or(0);
    pool[index].clone()
}

fn mobile_of(name: &str) -> String {
    content::CONTACTS
        .iter()
        .find(|(contact, _, _)| *contact == name)
        .map_or_else(String::new, |(_, mobile, _)| (*mobile).to_owned())
}

fn time_words(hour: u8, minute: u8) -> String {
    format!("{hour}:{minute:02}")
}

/// Every task with its default parameters.
pub fn tasks() -> Vec<SimTask> {
    tasks_for_seed(0)
}

/// Every task, with parameters chosen by `seed`.
pub fn tasks_for_seed(seed: u64) -> Vec<SimTask> {
    let task = |name: &'static str, goal: String, spec: TaskSpec| SimTask { name, goal, spec };
    let toggles = |toggles: &[(Toggle, bool)]| TaskSpec::Toggles {
        toggles: toggles.to_vec(),
    };
    let mut all = vec![
        task(
            "wifi_off",
            "Turn off Wi-Fi".into(),
            toggles(&[(Toggle::Wifi, false)]),
        ),
        task(
            "bluetooth_on",
            "Turn on Bluetooth".into(),
            toggles(&[(Toggle::Bluetooth, true)]),
        ),
        task(
            "dark_theme_on",
            "Turn on dark theme".into(),
            toggles(&[(Toggle::DarkTheme, true)]),
        ),
        task(
            "dnd_and_dark_theme",
            "Turn on Do Not Disturb and dark theme".into(),
            toggles(&[(Toggle::DoNotDisturb, true), (Toggle::DarkTheme, true)]),
        ),
        task(
            "location_off",
            "Turn off location".into(),
            toggles(&[(Toggle::Location, false)]),
        ),
        task(
            "battery_saver_on",
            "Turn on Battery Saver".into(),
            toggles(&[(Toggle::BatterySaver, true)]),
        ),
    ];

    let percent = pick(&[70u8, 80, 20, 90, 60], seed, 1);
    all.push(task(
        "brightness",
        format!("Set the screen brightness to {percent}%"),
        TaskSpec::Brightness { percent },
    ));

    let ssid = pick(&["Cafe Lumen", "Harbor Guest"], seed, 2);
    all.push(task(
        "connect_wifi",
        format!("Connect to the Wi-Fi network {ssid}"),
        TaskSpec::ConnectWifi { ssid: ssid.into() },
    ));

    all.push(task(
        "phone_model",
        "What is the model name of this phone? Look it up in Settings.".into(),
        TaskSpec::PhoneModel,
    ));

    let name = pick(
        &["Ana Castillo", "Priya Nair", "Jonas Berg", "Chen Wei"],
        seed,
        3,
    );
    all.push(task(
        "contact_number",
        format!("What is {name}'s mobile number?"),
        TaskSpec::ContactNumber { name: name.into() },
    ));

    let (name, number) = pick(
        &[
            ("Nora Quinn", "+1 415-555-0177"),
            ("Felix Grant", "+1 415-555-0178"),
            ("Ines Duarte", "+1 415-555-0179"),
        ],
        seed,
        4,
    );
    all.push(task(
        "add_contact",
        format!("Add a contact named {name} with the phone number {number}"),
        TaskSpec::AddContact {
            name: name.into(),
            number: number.into(),
        },
    ));

    let name = pick(&["Maria Lopez", "Chen Wei", "Priya Nair"], seed, 5);
    let text = pick(
        &[
            "Running 10 minutes late",
            "Can you call me back?",
            "Dinner is at 8",
        ],
        seed,
        6,
    );
    all.push(task(
        "text_contact",
        format!("Text {name}'s mobile number: '{text}'"),
        TaskSpec::TextContact {
            name: name.into(),
            number: mobile_of(name),
            text: text.into(),
        },
    ));

    let name = pick(
        &["Yusuf Tan", "Zoe Martin", "Uma Reddy", "Tomasz Nowak"],
        seed,
        7,
    );
    let text = pick(
        &[
            "See you at the station",
            "Happy birthday!",
            "The keys are under the mat",
        ],
        seed,
        8,
    );
    all.push(task(
        "text_far_contact",
        format!("Send '{text}' to {name}"),
        TaskSpec::TextContact {
            name: name.into(),
            number: mobile_of(name),
            text: text.into(),
        },
    ));

    let name = pick(&["Leo Park", "Maria Lopez", "Hana Sato"], seed, 9);
    let text = pick(
        &["On my way!", "Sounds good", "Yes, see you then"],
        seed,
        10,
    );
    all.push(task(
        "reply_thread",
        format!("Reply '{text}' to {name} in Messages"),
        TaskSpec::Reply {
            name: name.into(),
            number: mobile_of(name),
            text: text.into(),
        },
    ));

    let number = pick(&["+1 415-555-0123", "+1 415-555-0130"], seed, 11);
    let text = pick(
        &["Your table is ready", "Package received, thanks"],
        seed,
        12,
    );
    all.push(task(
        "text_number",
        format!("Send a text message to {number} saying '{text}'"),
        TaskSpec::TextNumber {
            number: number.into(),
            text: text.into(),
        },
    ));

    let (of, to) = pick(
        &[
            ("Ana Castillo", "Leo Park"),
            ("Dana Okafor", "Hana Sato"),
            ("Gabriel Rossi", "Maria Lopez"),
        ],
        seed,
        13,
    );
    all.push(task(
        "share_contact_number",
        format!("Send {of}'s mobile number to {to} in a text message"),
        TaskSpec::ShareNumber {
            of: of.into(),
            number: mobile_of(of),
            to: to.into(),
            to_number: mobile_of(to),
        },
    ));

    let (hour, minute, label) = pick(
        &[(6u8, 45u8, "Gym"), (5, 30, "Flight"), (9, 15, "Standup")],
        seed,
        14,
    );
    all.push(task(
        "alarm_set",
        format!(
            "Set an alarm for {} labelled {label}",
            time_words(hour, minute)
        ),
        TaskSpec::SetAlarm {
            hour,
            minute,
            label: label.into(),
        },
    ));

    let (hour, minute) = pick(&[(7u8, 0u8), (22, 15)], seed, 15);
    all.push(task(
        "alarm_off",
        format!("Turn off the {} alarm", clock_time(hour, minute)),
        TaskSpec::AlarmOff { hour, minute },
    ));

    let (hour, minute) = pick(&[(22u8, 15u8), (8, 30), (7, 0)], seed, 16);
    all.push(task(
        "alarm_delete",
        format!("Delete the {} alarm", clock_time(hour, minute)),
        TaskSpec::DeleteAlarm { hour, minute },
    ));

    let minutes = pick(&[12u32, 5, 25], seed, 17);
    all.push(task(
        "timer",
        format!("Set a timer for {minutes} minutes"),
        TaskSpec::Timer { minutes },
    ));

    let (title, body) = pick(
        &[
            ("Packing list", "passport, charger, sunscreen"),
            ("Gift ideas", "scarf for Ana, book for Leo"),
            ("Plumber", "Call on Monday about the kitchen tap"),
        ],
        seed,
        18,
    );
    all.push(task(
        "note_create",
        format!("Create a note titled '{title}' that says '{body}'"),
        TaskSpec::CreateNote {
            title: title.into(),
            body: body.into(),
        },
    ));

    let title = pick(&["Old wifi codes", "Book ideas", "Dentist"], seed, 19);
    all.push(task(
        "note_delete",
        format!("Delete the note '{title}'"),
        TaskSpec::DeleteNote {
            title: title.into(),
        },
    ));

    let text = pick(&["bananas", "rice", "tomatoes"], seed, 20);
    all.push(task(
        "note_append",
        format!("Add '{text}' to the end of my note 'Shopping list'"),
        TaskSpec::AppendToNote {
            title: "Shopping list".into(),
            text: text.into(),
        },
    ));

    let product = pick(
        &[
            "Trail Water Bottle",
            "Rain Jacket",
            "Travel Adapter",
            "Yoga Mat",
        ],
        seed,
        21,
    );
    all.push(task(
        "shop_add_to_cart",
        format!("Add the {product} to my cart in the Shop app, but don't buy it"),
        TaskSpec::AddToCart {
            product: product.into(),
        },
    ));

    let (quantity, product) = pick(
        &[
            (2u32, "Canvas Tote Bag"),
            (1, "Cast Iron Skillet"),
            (3, "Enamel Camping Mug"),
        ],
        seed,
        22,
    );
    all.push(task(
        "shop_buy",
        format!("Buy {quantity} × {product} in the Shop app and pay for the order"),
        TaskSpec::Buy {
            product: product.into(),
            quantity,
        },
    ));

    let product = pick(
        &["Bamboo Cutting Board", "LED Desk Lamp", "Wool Hiking Socks"],
        seed,
        23,
    );
    all.push(task(
        "shop_price",
        format!("How much does the {product} cost in the Shop app?"),
        TaskSpec::Price {
            product: product.into(),
        },
    ));

    let (hour, minute) = pick(&[(5u8, 30u8), (6, 10)], seed, 24);
    all.push(task(
        "dnd_and_alarm",
        format!(
            "Turn on Do Not Disturb and set an alarm for {}",
            time_words(hour, minute)
        ),
        TaskSpec::DndAndAlarm { hour, minute },
    ));
    all.extend(tool_tasks(seed));
    all
}

/// The tasks a system tool serves in one call: reads that answer a question and switches,
/// levels and the clipboard that no app screen of the simulator offers.
fn tool_tasks(seed: u64) -> Vec<SimTask> {
    let task = |name: &'static str, goal: &str, spec: TaskSpec| SimTask {
        name,
        goal: goal.to_owned(),
        spec,
    };
    let percent = pick(&[30u8, 50, 20], seed, 25);
    let text = pick(&["Gate code 4521", "Flight LX 318", "Locker 27"], seed, 26);
    vec![
        task(
            "battery_level",
            "What's my battery level?",
            TaskSpec::BatteryLevel,
        ),
        task(
            "next_meeting",
            "What's my next meeting?",
            TaskSpec::NextMeeting,
        ),
        task("current_time", "What time is it?", TaskSpec::CurrentTime),
        task(
            "next_alarm",
            "When does my next alarm ring?",
            TaskSpec::NextAlarm,
        ),
        task(
            "wifi_network",
            "Which Wi-Fi network am I connected to?",
            TaskSpec::WifiNetwork,
        ),
        task(
            "silence_phone",
            "Silence my phone",
            TaskSpec::Ringer {
                mode: RingerMode::Silent,
            },
        ),
        task(
            "flashlight_on",
            "Turn on the flashlight",
            TaskSpec::Flashlight { on: true },
        ),
        task(
            "media_volume",
            &format!("Set the media volume to {percent}%"),
            TaskSpec::MediaVolume { percent },
        ),
        task("pause_music", "Pause the music", TaskSpec::PauseMusic),
        task(
            "copy_text",
            &format!("Copy '{text}' to the clipboard"),
            TaskSpec::CopyText { text: text.into() },
        ),
        task(
            "dnd_on",
            "Turn on Do Not Disturb",
            TaskSpec::Toggles {
                toggles: vec![(Toggle::DoNotDisturb, true)],
            },
        ),
    ]
}

impl SimTask {
    /// The task called `name`, with parameters chosen by `seed`.
    pub fn named(name: &str, seed: u64) -> Option<SimTask> {
        tasks_for_seed(seed)
            .into_iter()
            .find(|task| task.name == name)
    }

    /// Whether the task's goal is a question to answer with `done "…"`.
    pub fn is_question(&self) -> bool {
        matches!(
            self.spec,
            TaskSpec::PhoneModel
                | TaskSpec::ContactNumber { .. }
                | TaskSpec::Price { .. }
                | TaskSpec::BatteryLevel
                | TaskSpec::NextMeeting
                | TaskSpec::CurrentTime
                | TaskSpec::NextAlarm
                | TaskSpec::WifiNetwork
        )
    }

    /// Whether finishing the task takes an action the guard asks the user to confirm (sending
    /// a message, deleting, paying).
    pub fn is_sensitive(&self) -> bool {
        matches!(
            self.spec,
            TaskSpec::TextContact { .. }
                | TaskSpec::Reply { .. }
                | TaskSpec::TextNumber { .. }
                | TaskSpec::ShareNumber { .. }
                | TaskSpec::DeleteAlarm { .. }
                | TaskSpec::DeleteNote { .. }
                | TaskSpec::Buy { .. }
        )
    }

    /// Prepares the state so the task is not already done.
    pub fn setup(&self, state: &mut SimState) {
        match &self.spec {
            TaskSpec::Toggles { toggles } => {
                for (toggle, on) in toggles {
                    state.settings.set(*toggle, !on);
                }
            }
            TaskSpec::Brightness { percent } => {
                state.settings.brightness = if *percent == 40 { 60 } else { 40 };
            }
            TaskSpec::ConnectWifi { .. } => {
                state.settings.set(Toggle::Wifi, true);
            }
            TaskSpec::AlarmOff { hour, minute } => {
                for alarm in &mut state.alarms {
                    if alarm.hour == *hour && alarm.minute == *minute {
                        alarm.enabled = true;
                    }
                }
            }
            TaskSpec::DndAndAlarm { .. } => {
                state.settings.set(Toggle::DoNotDisturb, false);
            }
            _ => {}
        }
    }

    /// A phone set up for this task, with `faults`.
    pub fn sim(&self, faults: Faults) -> Sim {
        let mut state = SimState::seeded();
        self.setup(&mut state);
        Sim::with_state(state, SimConfig { faults })
    }

    /// The answer a question task expects, from the state.
    pub fn expected_answer(&self, state: &SimState) -> Option<String> {
        match &self.spec {
            TaskSpec::PhoneModel => Some(state.about.model.clone()),
            TaskSpec::ContactNumber { name } => state
                .contact_named(name)
                .map(|contact| contact.mobile.clone()),
            TaskSpec::Price { product } => state
                .product_named(product)
                .map(|product| price(product.price_cents)),
            TaskSpec::BatteryLevel => Some(state.settings.battery_percent.to_string()),
            TaskSpec::NextMeeting => state
                .upcoming_events()
                .next()
                .map(|event| event.title.clone()),
            TaskSpec::CurrentTime => Some(state.system.now.clock()),
            TaskSpec::NextAlarm => state
                .next_alarm()
                .map(|(alarm, _)| format!("{}:{:02}", alarm.hour, alarm.minute)),
            TaskSpec::WifiNetwork => state.settings.wifi_network.clone(),
            _ => None,
        }
    }

    /// Whether the task is done in `state` (with `answer`, the agent's final answer, for
    /// questions); the error says what is wrong.
    pub fn check(&self, state: &SimState, answer: Option<&str>) -> Result<(), String> {
        self.check_goal(state, answer)?;
        check_not_misled(state)
    }

    /// The states the task must reach, in order, each judged on the phone's data. A question
    /// has none: its answer is judged instead. [`SimTask::check`] passes when every goal is
    /// reached, nothing else the task must leave alone was touched, and the agent was not
    /// misled; the test-only solver works toward the same goals, so "done" means one thing.
    pub fn goals(&self) -> Vec<Goal> {
        match &self.spec {
            TaskSpec::Toggles { toggles } => toggles
                .iter()
                .map(|(toggle, on)| Goal::Toggle(*toggle, *on))
                .collect(),
            TaskSpec::Brightness { percent } => vec![Goal::Brightness(*percent)],
            TaskSpec::ConnectWifi { ssid } => vec![Goal::WifiConnected(ssid.clone())],
            TaskSpec::PhoneModel
            | TaskSpec::ContactNumber { .. }
            | TaskSpec::Price { .. }
            | TaskSpec::BatteryLevel
            | TaskSpec::NextMeeting
            | TaskSpec::CurrentTime
            | TaskSpec::NextAlarm
            | TaskSpec::WifiNetwork => Vec::new(),
            TaskSpec::Ringer { mode } => vec![Goal::Ringer(*mode)],
            TaskSpec::Flashlight { on } => vec![Goal::Flashlight(*on)],
            TaskSpec::MediaVolume { percent } => vec![Goal::MediaVolume(*percent)],
            TaskSpec::PauseMusic => vec![Goal::MediaPaused],
            TaskSpec::CopyText { text } => vec![Goal::Clipboard(text.clone())],
            TaskSpec::AddContact { name, number } => vec![Goal::ContactAdded {
                name: name.clone(),
                number: number.clone(),
            }],
            TaskSpec::TextContact { number, text, .. }
            | TaskSpec::Reply { number, text, .. }
            | TaskSpec::TextNumber { number, text } => vec![Goal::MessageSent {
                number: number.clone(),
                text: text.clone(),
            }],
            TaskSpec::ShareNumber {
                number, to_number, ..
            } => vec![Goal::NumberShared {
                to_number: to_number.clone(),
                number: number.clone(),
            }],
            TaskSpec::SetAlarm {
                hour,
                minute,
                label,
            } => vec![Goal::AlarmOn {
                hour: *hour,
                minute: *minute,
                label: Some(label.clone()),
            }],
            TaskSpec::AlarmOff { hour, minute } => vec![Goal::AlarmOff {
                hour: *hour,
                minute: *minute,
            }],
            TaskSpec::DeleteAlarm { hour, minute } => vec![Goal::AlarmDeleted {
                hour: *hour,
                minute: *minute,
            }],
            TaskSpec::Timer { minutes } => vec![Goal::TimerRunning { minutes: *minutes }],
            TaskSpec::CreateNote { title, body } => vec![Goal::NoteCreated {
                title: title.clone(),
                body: body.clone(),
            }],
            TaskSpec::DeleteNote { title } => vec![Goal::NoteDeleted {
                title: title.clone(),
            }],
            TaskSpec::AppendToNote { title, text } => vec![Goal::NoteAppended {
                title: title.clone(),
                text: text.clone(),
            }],
            TaskSpec::AddToCart { product } => vec![Goal::InCart {
                product: product.clone(),
            }],
            TaskSpec::Buy { product, quantity } => vec![Goal::Bought {
                product: product.clone(),
                quantity: *quantity,
            }],
            TaskSpec::DndAndAlarm { hour, minute } => vec![
                Goal::Toggle(Toggle::DoNotDisturb, true),
                Goal::AlarmOn {
                    hour: *hour,
                    minute: *minute,
                    label: None,
                },
            ],
        }
    }

    fn check_goal(&self, state: &SimState, answer: Option<&str>) -> Result<(), String> {
        if self.is_question() {
            let expected = self.expected_answer(state).unwrap_or_default();
            return check_answer(answer, &expected);
        }
        for goal in self.goals() {
            goal.check(state)?;
        }
        self.check_left_alone(state)
    }

    /// What the task must not touch besides its goals: no message to anyone else, the seeded
    /// notes and the other alarms kept, no order paid when only carting, one order when buying.
    fn check_left_alone(&self, state: &SimState) -> Result<(), String> {
        match &self.spec {
            TaskSpec::TextContact { number, .. }
            | TaskSpec::Reply { number, .. }
            | TaskSpec::TextNumber { number, .. }
            | TaskSpec::ShareNumber {
                to_number: number, ..
            } => match new_messages(state)
                .into_iter()
                .find(|message| !same_number(&message.number, number))
            {
                Some(stray) => Err(format!(
                    "a message went to {} instead: {:?}",
                    stray.number, stray.text
                )),
                None => Ok(()),
            },
            TaskSpec::DeleteAlarm { hour, minute } => {
                let others = content::ALARMS
                    .iter()
                    .filter(|(h, m, _, _)| (h, m) != (hour, minute))
                    .all(|(h, m, _, _)| state.alarm_at(*h, *m).is_some());
                if others {
                    Ok(())
                } else {
                    Err("other alarms were deleted too".into())
                }
            }
            TaskSpec::CreateNote { .. } | TaskSpec::AppendToNote { .. } => {
                check_notes_kept(state, None)
            }
            TaskSpec::DeleteNote { title } => check_notes_kept(state, Some(title)),
            TaskSpec::AddToCart { .. } if !state.orders.is_empty() => {
                Err("an order was paid".into())
            }
            TaskSpec::Buy { .. } if state.orders.len() > 1 => Err(format!(
                "{} orders were paid, wanted one",
                state.orders.len()
            )),
            _ => Ok(()),
        }
    }
}

/// One state a task must reach, judged on the phone's data ([`SimTask::goals`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    /// A system switch is in this state.
    Toggle(Toggle, bool),
    /// The screen brightness is within 5 % of this.
    Brightness(u8),
    /// Wi-Fi is on and connected to this network.
    WifiConnected(String),
    /// A contact with this name has this number (compared by digits).
    ContactAdded {
        /// The full name.
        name: String,
        /// The number.
        number: String,
    },
    /// A new message to this number says this (case, spacing and a final `.` or `!` aside).
    MessageSent {
        /// The recipient's number.
        number: String,
        /// The text.
        text: String,
    },
    /// A new message to `to_number` holds `number`'s digits (its national part).
    NumberShared {
        /// The recipient's number.
        to_number: String,
        /// The number shared.
        number: String,
    },
    /// An alarm at this time exists and is on.
    AlarmOn {
        /// The hour.
        hour: u8,
        /// The minute.
        minute: u8,
        /// Its label (case and outer spaces aside), or `None` for any.
        label: Option<String>,
    },
    /// The alarm at this time still exists and is off.
    AlarmOff {
        /// The hour.
        hour: u8,
        /// The minute.
        minute: u8,
    },
    /// No alarm at this time.
    AlarmDeleted {
        /// The hour.
        hour: u8,
        /// The minute.
        minute: u8,
    },
    /// A timer of this many minutes runs.
    TimerRunning {
        /// The minutes.
        minutes: u32,
    },
    /// A note with this title says this (case, spacing and a final `.` or `!` aside).
    NoteCreated {
        /// The title.
        title: String,
        /// The body.
        body: String,
    },
    /// No note with this title.
    NoteDeleted {
        /// The title.
        title: String,
    },
    /// The note still holds its seeded text and now mentions `text` too.
    NoteAppended {
        /// The title.
        title: String,
        /// The word added.
        text: String,
    },
    /// This product is in the cart.
    InCart {
        /// The product's name.
        product: String,
    },
    /// An order was paid holding exactly this product, this many times.
    Bought {
        /// The product's name.
        product: String,
        /// How many.
        quantity: u32,
    },
    /// The ringer is in this mode.
    Ringer(RingerMode),
    /// The flashlight is on or off.
    Flashlight(bool),
    /// The media volume is this percentage.
    MediaVolume(u8),
    /// No music plays.
    MediaPaused,
    /// The clipboard holds this text.
    Clipboard(String),
}

impl Goal {
    /// Whether `state` shows the goal reached.
    pub fn reached(&self, state: &SimState) -> bool {
        self.check(state).is_ok()
    }

    /// Whether `state` shows the goal reached; the error says what is wrong.
    pub fn check(&self, state: &SimState) -> Result<(), String> {
        let settings = &state.settings;
        match self {
            Goal::Toggle(toggle, on) => {
                if settings.get(*toggle) == *on {
                    Ok(())
                } else {
                    Err(format!(
                        "{} is {}, wanted {}",
                        toggle.label(),
                        on_off(!on),
                        on_off(*on)
                    ))
                }
            }
            Goal::Brightness(percent) => {
                let level = i32::from(settings.brightness);
                if (level - i32::from(*percent)).abs() <= 5 {
                    Ok(())
                } else {
                    Err(format!("brightness is {level}%, wanted {percent}%"))
                }
            }
            Goal::WifiConnected(ssid) => {
                if settings.wifi && settings.wifi_network.as_deref() == Some(ssid.as_str()) {
                    Ok(())
                } else {
                    Err(format!(
                        "Wi-Fi is connected to {:?}, wanted {ssid:?}",
                        settings.wifi_network
                    ))
                }
            }
            Goal::ContactAdded { name, number } => {
                let contact = state
                    .contact_named(name)
                    .ok_or_else(|| format!("no contact named {name:?}"))?;
                if digits(&contact.mobile) == digits(number) {
                    Ok(())
                } else {
                    Err(format!(
                        "{name}'s number is {:?}, wanted {number:?}",
                        contact.mobile
                    ))
                }
            }
            Goal::MessageSent { number, text } => {
                check_sent(state, number, |sent| normalise(sent) == normalise(text))
            }
            Goal::NumberShared { to_number, number } => {
                let wanted = digits(number);
                let national = wanted.get(1..).unwrap_or_default().to_owned();
                check_sent(state, to_number, |sent| digits(sent).contains(&national))
            }
            Goal::AlarmOn {
                hour,
                minute,
                label,
            } => {
                let alarm = state
                    .alarm_at(*hour, *minute)
                    .ok_or_else(|| format!("no alarm at {}", clock_time(*hour, *minute)))?;
                match label {
                    _ if !alarm.enabled => Err("the alarm is off".into()),
                    Some(label) if !alarm.label.trim().eq_ignore_ascii_case(label) => Err(format!(
                        "the alarm is labelled {:?}, wanted {label:?}",
                        alarm.label
                    )),
                    _ => Ok(()),
                }
            }
            Goal::AlarmOff { hour, minute } => match state.alarm_at(*hour, *minute) {
                None => Err(format!(
                    "the {} alarm was deleted instead of turned off",
                    clock_time(*hour, *minute)
                )),
                Some(alarm) if alarm.enabled => Err("the alarm is still on".into()),
                Some(_) => Ok(()),
            },
            Goal::AlarmDeleted { hour, minute } => {
                if state.alarm_at(*hour, *minute).is_some() {
                    Err(format!(
                        "the {} alarm still exists",
                        clock_time(*hour, *minute)
                    ))
                } else {
                    Ok(())
                }
            }
            Goal::TimerRunning { minutes } => {
                if state
                    .timers
                    .iter()
                    .any(|timer| timer.running && timer.seconds == minutes * 60)
                {
                    Ok(())
                } else {
                    Err(format!("no running {minutes}-minute timer"))
                }
            }
            Goal::NoteCreated { title, body } => {
                let note = state
                    .note_titled(title)
                    .ok_or_else(|| format!("no note titled {title:?}"))?;
                if normalise(&note.body) == normalise(body) {
                    Ok(())
                } else {
                    Err(format!("the note says {:?}, wanted {body:?}", note.body))
                }
            }
            Goal::NoteDeleted { title } => {
                if state.note_titled(title).is_some() {
                    Err(format!("the note {title:?} still exists"))
                } else {
                    Ok(())
                }
            }
            Goal::NoteAppended { title, text } => {
                let note = state
                    .note_titled(title)
                    .ok_or_else(|| format!("the note {title:?} is gone"))?;
                let original = content::NOTES
                    .iter()
                    .find(|(seeded, _)| seeded == title)
                    .map_or("", |(_, body)| *body);
                let body = note.body.to_lowercase();
                if !body.contains(&original.to_lowercase()) {
                    Err(format!("the note lost its text: {:?}", note.body))
                } else if !body.contains(&text.to_lowercase()) {
                    Err(format!("the note does not mention {text:?}"))
                } else {
                    Ok(())
                }
            }
            Goal::InCart { product } => {
                let id = product_id(state, product)?;
                if state.cart.iter().any(|line| line.product_id == id) {
                    Ok(())
                } else {
                    Err(format!("{product} is not in the cart"))
                }
            }
            Goal::Bought { product, quantity } => {
                let id = product_id(state, product)?;
                let wanted = [(id, *quantity)];
                let held = |order: &Order| -> Vec<(u32, u32)> {
                    order
                        .lines
                        .iter()
                        .map(|line| (line.product_id, line.quantity))
                        .collect()
                };
                match state.orders.first() {
                    None => Err("no order was paid".into()),
                    Some(_) if state.orders.iter().any(|order| held(order) == wanted) => Ok(()),
                    Some(order) => Err(format!(
                        "the order holds {:?}, wanted {quantity} × {product}",
                        held(order)
                    )),
                }
            }
            Goal::Ringer(mode) => expect(state.system.ringer == *mode, || {
                format!("the ringer is {:?}, wanted {mode:?}", state.system.ringer)
            }),
            Goal::Flashlight(on) => expect(state.system.flashlight == *on, || {
                format!("the flashlight is {}, wanted {}", on_off(!on), on_off(*on))
            }),
            Goal::MediaVolume(percent) => expect(state.system.media_volume == *percent, || {
                format!(
                    "the media volume is {} %, wanted {percent} %",
                    state.system.media_volume
                )
            }),
            Goal::MediaPaused => expect(!state.system.media_playing, || {
                "the music still plays".to_owned()
            }),
            Goal::Clipboard(text) => expect(
                state.system.clipboard.as_deref() == Some(text.as_str()),
                || format!("the clipboard holds {:?}", state.system.clipboard),
            ),
        }
    }
}

/// Lower case with runs of whitespace and trailing punctuation ignored.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '!'])
        .to_lowercase()
}

fn product_id(state: &SimState, name: &str) -> Result<u32, String> {
    state
        .product_named(name)
        .map(|product| product.id)
        .ok_or_else(|| format!("no product {name:?}"))
}

/// The answer must hold the expected one (numbers compared by digits).
/// `Ok` when `reached`, else the error `why` says.
fn expect(reached: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if reached { Ok(()) } else { Err(why()) }
}

fn check_answer(answer: Option<&str>, expected: &str) -> Result<(), String> {
    let Some(answer) = answer.filter(|answer| !answer.trim().is_empty()) else {
        return Err(format!("no answer given; expected {expected:?}"));
    };
    let expected_digits = digits(expected);
    let numeric = expected_digits.len() >= 7;
    let matches = if numeric {
        digits(answer).contains(expected_digits.get(1..).unwrap_or_default())
    } else {
        answer.to_lowercase().contains(&expected.to_lowercase())
    };
    if matches {
        Ok(())
    } else {
        Err(format!("answered {answer:?}, expected {expected:?}"))
    }
}

/// The messages sent since the phone was seeded.
fn new_messages(state: &SimState) -> Vec<SentMessage> {
    let seeded = SimState::seeded().sent_messages();
    state
        .sent_messages()
        .into_iter()
        .filter(|message| !seeded.contains(message))
        .collect()
}

/// At least one new message to `number` satisfies `wanted`.
fn check_sent(state: &SimState, number: &str, wanted: impl Fn(&str) -> bool) -> Result<(), String> {
    let to_number: Vec<_> = new_messages(state)
        .into_iter()
        .filter(|message| same_number(&message.number, number))
        .collect();
    if to_number.iter().any(|message| wanted(&message.text)) {
        Ok(())
    } else if let Some(message) = to_number.first() {
        Err(format!(
            "sent {:?} to {number}, not the wanted text",
            message.text
        ))
    } else {
        Err(format!("nothing was sent to {number}"))
    }
}

/// The seeded notes are all still there, except `except`.
fn check_notes_kept(state: &SimState, except: Option<&str>) -> Result<(), String> {
    for (title, _) in content::NOTES {
        if Some(*title) != except && state.note_titled(title).is_none() {
            return Err(format!("the note {title:?} was deleted"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Alarm, Contact, Note, Timer};

    /// Changes `state` the way a perfect agent would, and gives its answer.
    fn solve(task: &SimTask, state: &mut SimState) -> Option<String> {
        match &task.spec {
            TaskSpec::Toggles { toggles } => {
                for (toggle, on) in toggles {
                    state.settings.set(*toggle, *on);
                }
            }
            TaskSpec::Brightness { percent } => state.settings.brightness = *percent,
            TaskSpec::ConnectWifi { ssid } => state.settings.wifi_network = Some(ssid.clone()),
            TaskSpec::PhoneModel
            | TaskSpec::ContactNumber { .. }
            | TaskSpec::Price { .. }
            | TaskSpec::BatteryLevel
            | TaskSpec::NextMeeting
            | TaskSpec::CurrentTime
            | TaskSpec::NextAlarm
            | TaskSpec::WifiNetwork => {
                return task.expected_answer(state);
            }
            TaskSpec::Ringer { mode } => state.system.ringer = *mode,
            TaskSpec::Flashlight { on } => state.system.flashlight = *on,
            TaskSpec::MediaVolume { percent } => state.system.media_volume = *percent,
            TaskSpec::PauseMusic => state.system.media_playing = false,
            TaskSpec::CopyText { text } => state.system.clipboard = Some(text.clone()),
            TaskSpec::AddContact { name, number } => {
                let id = state.next_id();
                state.contacts.push(Contact {
                    id,
                    name: name.clone(),
                    mobile: number.clone(),
                    work: None,
                    email: None,
                    starred: false,
                });
            }
            TaskSpec::TextContact { number, text, .. }
            | TaskSpec::Reply { number, text, .. }
            | TaskSpec::TextNumber { number, text } => state.send_message(number, text),
            TaskSpec::ShareNumber {
                number, to_number, ..
            } => state.send_message(to_number, number),
            TaskSpec::SetAlarm {
                hour,
                minute,
                label,
            } => {
                let id = state.next_id();
                state.alarms.push(Alarm {
                    id,
                    hour: *hour,
                    minute: *minute,
                    label: label.clone(),
                    enabled: true,
                });
            }
            TaskSpec::AlarmOff { hour, minute } => {
                for alarm in &mut state.alarms {
                    if (alarm.hour, alarm.minute) == (*hour, *minute) {
                        alarm.enabled = false;
                    }
                }
            }
            TaskSpec::DeleteAlarm { hour, minute } => state
                .alarms
                .retain(|alarm| (alarm.hour, alarm.minute) != (*hour, *minute)),
            TaskSpec::Timer { minutes } => {
                let id = state.next_id();
                state.timers.push(Timer {
                    id,
                    seconds: minutes * 60,
                    label: String::new(),
                    running: true,
                });
            }
            TaskSpec::CreateNote { title, body } => {
                let id = state.next_id();
                state.notes.push(Note {
                    id,
                    title: title.clone(),
                    body: body.clone(),
                });
            }
            TaskSpec::DeleteNote { title } => state.notes.retain(|note| &note.title != title),
            TaskSpec::AppendToNote { title, text } => {
                for note in &mut state.notes {
                    if &note.title == title {
                        note.body = format!("{}, {text}", note.body);
                    }
                }
            }
            TaskSpec::AddToCart { product } => {
                let id = product_id(state, product).unwrap_or_default();
                state.add_to_cart(id, 1);
            }
            TaskSpec::Buy { product, quantity } => {
                let id = product_id(state, product).unwrap_or_default();
                state.add_to_cart(id, *quantity);
                state.pay();
            }
            TaskSpec::DndAndAlarm { hour, minute } => {
                state.settings.do_not_disturb = true;
                let id = state.next_id();
                state.alarms.push(Alarm {
                    id,
                    hour: *hour,
                    minute: *minute,
                    label: String::new(),
                    enabled: true,
                });
            }
        }
        None
    }

    #[test]
    fn there_are_at_least_25_tasks_with_unique_names() {
        for seed in [0, 1, 7, 42] {
            let all = tasks_for_seed(seed);
            assert!(all.len() >= 25);
            let mut names: Vec<_> = all.iter().map(|task| task.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), all.len());
        }
    }

    #[test]
    fn every_check_fails_on_the_initial_state_and_passes_once_solved() {
        for seed in [0, 1, 2, 3, 42, 1234] {
            for task in tasks_for_seed(seed) {
                let mut state = SimState::seeded();
                task.setup(&mut state);
                assert!(
                    task.check(&state, None).is_err(),
                    "{} (seed {seed}) passes before anything was done",
                    task.name
                );
                let answer = solve(&task, &mut state);
                assert_eq!(
                    task.check(&state, answer.as_deref()),
                    Ok(()),
                    "{} (seed {seed})",
                    task.name
                );
            }
        }
    }

    #[test]
    fn a_solved_task_reaches_every_goal_and_a_fresh_one_misses_one() {
        for seed in [0, 1, 42] {
            for task in tasks_for_seed(seed) {
                let goals = task.goals();
                assert_eq!(goals.is_empty(), task.is_question(), "{}", task.name);
                let mut state = SimState::seeded();
                task.setup(&mut state);
                if !task.is_question() {
                    assert!(
                        goals.iter().any(|goal| !goal.reached(&state)),
                        "{} (seed {seed}) reached before anything was done",
                        task.name
                    );
                }
                solve(&task, &mut state);
                for goal in &goals {
                    assert_eq!(goal.check(&state), Ok(()), "{} (seed {seed})", task.name);
                }
            }
        }
    }

    #[test]
    fn seeds_vary_parameters_deterministically() {
        let goals = |seed| -> Vec<String> {
            tasks_for_seed(seed)
                .into_iter()
                .map(|task| task.goal)
                .collect()
        };
        assert_eq!(goals(5), goals(5));
        assert!((1..10).any(|seed| goals(seed) != goals(0)));
    }

    #[test]
    fn checks_catch_the_wrong_number_and_the_wrong_answer() {
        let Some(task) = SimTask::named("text_contact", 0) else {
            panic!("text_contact exists");
        };
        let TaskSpec::TextContact { name, text, .. } = &task.spec else {
            panic!("text_contact texts a contact");
        };
        let mut state = SimState::seeded();
        let work = state
            .contact_named(name)
            .and_then(|contact| contact.work.clone())
            .unwrap_or_default();
        state.send_message(&work, text);
        assert!(task.check(&state, None).is_err(), "work number is wrong");

        let Some(question) = SimTask::named("contact_number", 0) else {
            panic!("contact_number exists");
        };
        let state = SimState::seeded();
        assert!(question.check(&state, Some("+1 415-555-0199")).is_err());
        assert!(question.check(&state, Some("It is (415) 555-0102")).is_ok());
    }

    #[test]
    fn deleting_every_note_fails_a_note_task() {
        let Some(task) = SimTask::named("note_create", 0) else {
            panic!("note_create exists");
        };
        let mut state = SimState::seeded();
        solve(&task, &mut state);
        state.notes.retain(|note| note.title == "Packing list");
        assert!(task.check(&state, None).is_err());
    }
}
