//! The phone's data: what the apps keep in their databases, apart from what any screen shows.
//!
//! Why a separate state: a task is judged by what the phone ended up storing (the alarm exists,
//! the message went to the right number, the order was paid), as AndroidWorld reads the
//! device's databases, never by the last screen, which an agent can reach by accident or leave
//! in a misleading state. Tests, task checks and the test solver read it through a
//! [`SimHandle`] while the [`Sim`](super::Sim) owns the screens.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use lobster_core::action::RingerMode;

/// Everything the simulated phone stores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimState {
    /// System settings.
    pub settings: Settings,
    /// What "About phone" shows.
    pub about: AboutPhone,
    /// The address book, in insertion order (the app sorts by name).
    pub contacts: Vec<Contact>,
    /// SMS conversations, one per phone number.
    pub threads: Vec<Thread>,
    /// Alarms.
    pub alarms: Vec<Alarm>,
    /// Countdown timers.
    pub timers: Vec<Timer>,
    /// Whether the stopwatch runs.
    pub stopwatch_running: bool,
    /// Notes.
    pub notes: Vec<Note>,
    /// The shop's catalogue.
    pub products: Vec<Product>,
    /// The shop's cart.
    pub cart: Vec<CartLine>,
    /// Paid orders.
    pub orders: Vec<Order>,
    /// A promotional banner on the shop's home page.
    pub banner: Option<Banner>,
    /// Apps installed by tapping an advert (the `overlay_ad` fault); no task wants any.
    pub ad_installs: Vec<String>,
    /// The last id handed out for a contact, alarm, timer, note or order.
    pub last_id: u32,
    /// What the system tools read and change: the flashlight, the ringer, media, the
    /// clipboard, the clock.
    pub system: SystemState,
    /// Calendar events, soonest first.
    pub events: Vec<Event>,
}

/// The phone's own state that no app shows but the system tools read and change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemState {
    /// The flashlight.
    pub flashlight: bool,
    /// The ringer's mode.
    pub ringer: RingerMode,
    /// Media volume in percent, 0–100.
    pub media_volume: u8,
    /// Whether music plays.
    pub media_playing: bool,
    /// The track playing, counted from 0 (next and previous move it).
    pub media_track: u32,
    /// Whether the battery charges.
    pub charging: bool,
    /// The clipboard's text, if any.
    pub clipboard: Option<String>,
    /// Numbers called directly, in order.
    pub calls: Vec<String>,
    /// Whether the screen was locked.
    pub locked: bool,
    /// Screenshots taken.
    pub screenshots: u32,
    /// The phone's date and time (the status bar's clock).
    pub now: Now,
}

/// The simulated phone's date and time: fixed, so answers replay.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Now {
    /// The date (`2026-11-23`).
    pub date: &'static str,
    /// The day of the week (`Monday`).
    pub weekday: &'static str,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
}

impl Now {
    /// The time as the status bar shows it (`9:41`).
    pub fn clock(&self) -> String {
        format!("{}:{:02}", self.hour, self.minute)
    }
}

/// One calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its title.
    pub title: String,
    /// Days from today (0 today, 1 tomorrow).
    pub day: u8,
    /// Start hour.
    pub hour: u8,
    /// Start minute.
    pub minute: u8,
}

/// The system settings the Settings app and the quick settings change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Wi-Fi radio.
    pub wifi: bool,
    /// The network Wi-Fi is connected to (while Wi-Fi is on).
    pub wifi_network: Option<String>,
    /// The networks in range.
    pub networks: Vec<WifiNetwork>,
    /// Bluetooth radio.
    pub bluetooth: bool,
    /// Airplane mode.
    pub airplane_mode: bool,
    /// Do Not Disturb.
    pub do_not_disturb: bool,
    /// Dark theme.
    pub dark_theme: bool,
    /// Screen brightness in percent, 0–100.
    pub brightness: u8,
    /// Adaptive brightness.
    pub adaptive_brightness: bool,
    /// Location services.
    pub location: bool,
    /// Battery Saver.
    pub battery_saver: bool,
    /// Auto-rotate screen.
    pub auto_rotate: bool,
    /// Battery level in percent (read-only).
    pub battery_percent: u8,
}

/// A switch of the system settings, for tasks and checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Toggle {
    /// Wi-Fi.
    Wifi,
    /// Bluetooth.
    Bluetooth,
    /// Airplane mode.
    AirplaneMode,
    /// Do Not Disturb.
    DoNotDisturb,
    /// Dark theme.
    DarkTheme,
    /// Adaptive brightness.
    AdaptiveBrightness,
    /// Location.
    Location,
    /// Battery Saver.
    BatterySaver,
    /// Auto-rotate screen.
    AutoRotate,
}

/// `on` or `off`, for checks and notes (Settings shows its own capitalised words).
pub(crate) fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

impl Toggle {
    /// The setting's name as Settings shows it.
    pub fn label(self) -> &'static str {
        match self {
            Toggle::Wifi => "Wi-Fi",
            Toggle::Bluetooth => "Bluetooth",
            Toggle::AirplaneMode => "Airplane mode",
            Toggle::DoNotDisturb => "Do Not Disturb",
            Toggle::DarkTheme => "Dark theme",
            Toggle::AdaptiveBrightness => "Adaptive brightness",
            Toggle::Location => "Location",
            Toggle::BatterySaver => "Battery Saver",
            Toggle::AutoRotate => "Auto-rotate screen",
        }
    }
}

impl Settings {
    /// The state of a switch.
    pub fn get(&self, toggle: Toggle) -> bool {
        match toggle {
            Toggle::Wifi => self.wifi,
            Toggle::Bluetooth => self.bluetooth,
            Toggle::AirplaneMode => self.airplane_mode,
            Toggle::DoNotDisturb => self.do_not_disturb,
            Toggle::DarkTheme => self.dark_theme,
            Toggle::AdaptiveBrightness => self.adaptive_brightness,
            Toggle::Location => self.location,
            Toggle::BatterySaver => self.battery_saver,
            Toggle::AutoRotate => self.auto_rotate,
        }
    }

    /// Sets a switch. Turning Wi-Fi on reconnects to the first saved network in range, turning
    /// it off drops the connection, as a phone does.
    pub fn set(&mut self, toggle: Toggle, on: bool) {
        match toggle {
            Toggle::Wifi => {
                self.wifi = on;
                self.wifi_network = if on {
                    self.networks
                        .iter()
                        .find(|network| network.saved)
                        .map(|network| network.ssid.clone())
                } else {
                    None
                };
            }
            Toggle::Bluetooth => self.bluetooth = on,
            Toggle::AirplaneMode => self.airplane_mode = on,
            Toggle::DoNotDisturb => self.do_not_disturb = on,
            Toggle::DarkTheme => self.dark_theme = on,
            Toggle::AdaptiveBrightness => self.adaptive_brightness = on,
            Toggle::Location => self.location = on,
            Toggle::BatterySaver => self.battery_saver = on,
            Toggle::AutoRotate => self.auto_rotate = on,
        }
    }
}

/// A Wi-Fi network in range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WifiNetwork {
    /// The network name.
    pub ssid: String,
    /// Whether it needs a password.
    pub secured: bool,
    /// Whether the phone knows its password.
    pub saved: bool,
    /// Its password, for the simulated join dialog (empty for open networks).
    pub password: String,
    /// Signal strength in bars, 1–4.
    pub bars: u8,
}

/// What "About phone" shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AboutPhone {
    /// The device name.
    pub device_name: String,
    /// The model.
    pub model: String,
    /// The Android version.
    pub android_version: String,
    /// The phone's own number.
    pub phone_number: String,
    /// The build number.
    pub build: String,
}

/// One contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Stable id.
    pub id: u32,
    /// Full name.
    pub name: String,
    /// Mobile number.
    pub mobile: String,
    /// Work number, if any.
    pub work: Option<String>,
    /// E-mail address, if any.
    pub email: Option<String>,
    /// Starred as a favourite.
    pub starred: bool,
}

/// One SMS conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The other party's number, as first written.
    pub number: String,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Sent by the phone's owner.
    pub outgoing: bool,
    /// The text.
    pub text: String,
    /// When, as the app shows it ("09:12", "Yesterday").
    pub time: String,
}

/// A message the owner sent, flattened for checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// The recipient's number.
    pub number: String,
    /// The text.
    pub text: String,
}

/// One alarm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// Stable id.
    pub id: u32,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Label; may be empty.
    pub label: String,
    /// Whether it will ring.
    pub enabled: bool,
}

/// One countdown timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    /// Stable id.
    pub id: u32,
    /// Length in seconds.
    pub seconds: u32,
    /// Label; may be empty.
    pub label: String,
    /// Whether it counts down.
    pub running: bool,
}

/// One note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Stable id.
    pub id: u32,
    /// Title.
    pub title: String,
    /// Body text.
    pub body: String,
}

/// One product of the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Stable id.
    pub id: u32,
    /// Name.
    pub name: String,
    /// Price in cents.
    pub price_cents: u32,
    /// Average rating in tenths of a star (45 = 4.5).
    pub rating_tenths: u8,
    /// Number of reviews.
    pub reviews: u32,
    /// Description on the product page.
    pub description: String,
}

/// One line of the cart or of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CartLine {
    /// The product.
    pub product_id: u32,
    /// How many.
    pub quantity: u32,
}

/// A promotional banner on the shop's home page; tapping it opens a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// What it says.
    pub text: String,
    /// The product it opens.
    pub product_id: u32,
}

/// A paid order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Order number.
    pub id: u32,
    /// What was bought.
    pub lines: Vec<CartLine>,
    /// The amount paid, in cents.
    pub total_cents: u32,
}

impl SimState {
    /// The phone as it comes: invented contacts, conversations, alarms, notes and products.
    pub fn seeded() -> SimState {
        super::content::seeded_state()
    }

    /// A fresh id for a new record.
    pub fn next_id(&mut self) -> u32 {
        self.last_id += 1;
        self.last_id
    }

    /// The contact with exactly this name (case-insensitive).
    pub fn contact_named(&self, name: &str) -> Option<&Contact> {
        self.contacts
            .iter()
            .find(|contact| contact.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The contact with this id.
    pub fn contact(&self, id: u32) -> Option<&Contact> {
        self.contacts.iter().find(|contact| contact.id == id)
    }

    /// The contact one of whose numbers is `number` (compared by digits).
    pub fn contact_for_number(&self, number: &str) -> Option<&Contact> {
        self.contacts.iter().find(|contact| {
            same_number(&contact.mobile, number)
                || contact
                    .work
                    .as_deref()
                    .is_some_and(|work| same_number(work, number))
        })
    }

    /// The name to show for a number: the contact's name, or the number itself.
    pub fn display_name(&self, number: &str) -> String {
        self.contact_for_number(number)
            .map_or_else(|| number.to_owned(), |contact| contact.name.clone())
    }

    /// The conversation with `number` (compared by digits).
    pub fn thread(&self, number: &str) -> Option<&Thread> {
        self.threads
            .iter()
            .find(|thread| same_number(&thread.number, number))
    }

    /// Sends an SMS: appends it to the conversation with `number`, starting one if needed, and
    /// moves that conversation to the top of the list.
    pub fn send_message(&mut self, number: &str, text: &str) {
        let index = match self
            .threads
            .iter()
            .position(|thread| same_number(&thread.number, number))
        {
            Some(index) => index,
            None => {
                self.threads.push(Thread {
                    number: number.trim().to_owned(),
                    messages: Vec::new(),
                });
                self.threads.len() - 1
            }
        };
        let mut thread = self.threads.remove(index);
        thread.messages.push(Message {
            outgoing: true,
            text: text.to_owned(),
            time: "Now".into(),
        });
        self.threads.insert(0, thread);
    }

    /// Every message the owner sent, in conversation order.
    pub fn sent_messages(&self) -> Vec<SentMessage> {
        self.threads
            .iter()
            .flat_map(|thread| {
                thread
                    .messages
                    .iter()
                    .filter(|message| message.outgoing)
                    .map(|message| SentMessage {
                        number: thread.number.clone(),
                        text: message.text.clone(),
                    })
            })
            .collect()
    }

    /// The note with this title (case-insensitive).
    pub fn note_titled(&self, title: &str) -> Option<&Note> {
        self.notes
            .iter()
            .find(|note| note.title.eq_ignore_ascii_case(title.trim()))
    }

    /// The next enabled alarm after the clock's time, and whether it rings today.
    pub fn next_alarm(&self) -> Option<(&Alarm, bool)> {
        let now = self.system.now;
        let minutes = |hour: u8, minute: u8| u32::from(hour) * 60 + u32::from(minute);
        let current = minutes(now.hour, now.minute);
        let later_today = |alarm: &Alarm| minutes(alarm.hour, alarm.minute) > current;
        self.alarms
            .iter()
            .filter(|alarm| alarm.enabled)
            .min_by_key(|alarm| {
                let at = minutes(alarm.hour, alarm.minute);
                if later_today(alarm) { at } else { at + 24 * 60 }
            })
            .map(|alarm| (alarm, later_today(alarm)))
    }

    /// The calendar's events from the clock's time on, soonest first.
    pub fn upcoming_events(&self) -> impl Iterator<Item = &Event> {
        let now = self.system.now;
        self.events.iter().filter(move |event| {
            event.day > 0 || (event.hour, event.minute) >= (now.hour, now.minute)
        })
    }

    /// The product with this id.
    pub fn product(&self, id: u32) -> Option<&Product> {
        self.products.iter().find(|product| product.id == id)
    }

    /// The product with this name (case-insensitive).
    pub fn product_named(&self, name: &str) -> Option<&Product> {
        self.products
            .iter()
            .find(|product| product.name.eq_ignore_ascii_case(name.trim()))
    }

    /// Adds `quantity` of a product to the cart.
    pub fn add_to_cart(&mut self, product_id: u32, quantity: u32) {
        match self
            .cart
            .iter_mut()
            .find(|line| line.product_id == product_id)
        {
            Some(line) => line.quantity += quantity,
            None => self.cart.push(CartLine {
                product_id,
                quantity,
            }),
        }
    }

    /// The price of some lines, in cents.
    pub fn total_cents(&self, lines: &[CartLine]) -> u32 {
        lines
            .iter()
            .map(|line| {
                self.product(line.product_id)
                    .map_or(0, |product| product.price_cents * line.quantity)
            })
            .sum()
    }

    /// Pays for the cart: records an order and empties the cart. `None` when the cart is empty.
    pub fn pay(&mut self) -> Option<u32> {
        if self.cart.is_empty() {
            return None;
        }
        let lines = std::mem::take(&mut self.cart);
        let total_cents = self.total_cents(&lines);
        let id = 1000 + self.next_id();
        self.orders.push(Order {
            id,
            lines,
            total_cents,
        });
        Some(id)
    }

    /// The alarm at this time.
    pub fn alarm_at(&self, hour: u8, minute: u8) -> Option<&Alarm> {
        self.alarms
            .iter()
            .find(|alarm| alarm.hour == hour && alarm.minute == minute)
    }
}

/// The digits of a phone number, for comparing numbers however they are written.
pub fn digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Whether two phone numbers are the same line: equal digits, or equal last ten digits when
/// one is written with the country code and the other without.
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    if a.len() >= 10 && b.len() >= 10 {
        a[a.len() - 10..] == b[b.len() - 10..]
    } else {
        !a.is_empty() && a == b
    }
}

/// A price in cents as the shop writes it: `$18.50`.
pub fn price(cents: u32) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// A time of day as the clock writes it: `06:45`.
pub fn clock_time(hour: u8, minute: u8) -> String {
    format!("{hour:02}:{minute:02}")
}

/// A shared handle on the simulated phone's state: the [`Sim`](super::Sim) changes it, tests,
/// task checks and the test solver read it. Clones share the state.
#[derive(Debug, Clone, Default)]
pub struct SimHandle {
    state: Arc<Mutex<SimState>>,
}

impl SimHandle {
    /// A handle on `state`.
    pub fn new(state: SimState) -> SimHandle {
        SimHandle {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// Locks the state. A panic elsewhere while it was locked does not make it unreadable: the
    /// data is plain values and stays consistent between actions.
    pub fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the state.
    pub fn read<R>(&self, read: impl FnOnce(&SimState) -> R) -> R {
        read(&self.lock())
    }

    /// Changes the state.
    pub fn update<R>(&self, update: impl FnOnce(&mut SimState) -> R) -> R {
        update(&mut self.lock())
    }

    /// A copy of the state as it is now.
    pub fn snapshot(&self) -> SimState {
        self.lock().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sending_starts_or_extends_a_conversation_and_moves_it_to_the_top() {
        let mut state = SimState::seeded();
        let before = state.threads.len();
        state.send_message("+1 415-555-0123", "Hello");
        assert_eq!(state.threads.len(), before + 1);
        assert_eq!(digits(&state.threads[0].number), "14155550123");
        state.send_message("(415) 555-0123", "Again");
        assert_eq!(state.threads.len(), before + 1);
        let sent: Vec<_> = state
            .sent_messages()
            .into_iter()
            .filter(|message| same_number(&message.number, "415 555 0123"))
            .map(|message| message.text)
            .collect();
        assert_eq!(sent, ["Hello", "Again"]);
    }

    #[test]
    fn paying_records_an_order_and_empties_the_cart() {
        let mut state = SimState::seeded();
        assert_eq!(state.pay(), None);
        let product = state.products[0].clone();
        state.add_to_cart(product.id, 1);
        state.add_to_cart(product.id, 1);
        let id = state.pay();
        assert!(id.is_some());
        assert!(state.cart.is_empty());
        assert_eq!(state.orders[0].lines[0].quantity, 2);
        assert_eq!(state.orders[0].total_cents, product.price_cents * 2);
    }

    #[test]
    fn wifi_reconnects_to_a_saved_network() {
        let mut settings = SimState::seeded().settings;
        settings.set(Toggle::Wifi, false);
        assert_eq!(settings.wifi_network, None);
        settings.set(Toggle::Wifi, true);
        assert!(settings.wifi_network.is_some());
    }

    #[test]
    fn formats() {
        assert_eq!(price(1850), "$18.50");
        assert_eq!(clock_time(6, 5), "06:05");
        assert_eq!(digits("+1 (415) 555-0142"), "14155550142");
        assert!(same_number("+1 415-555-0142", "(415) 555-0142"));
        assert!(!same_number("+1 415-555-0142", "+1 628-555-0142"));
    }
}
