//! The invented content of the simulated phone: contacts, conversations, alarms, notes,
//! products and Wi-Fi networks.
//!
//! Why fixed and invented: tasks must be reproducible and need real-looking material to work
//! on (a contact far down a list, a person with two numbers, a note to delete), and nothing may
//! come from a real person's phone. All names, numbers and products here are made up; numbers
//! use the 555-01xx range reserved for fiction.

use super::state::{
    AboutPhone, Alarm, Contact, Event, Message, Note, Now, Product, Settings, SimState,
    SystemState, Thread, WifiNetwork,
};

/// The contacts: (name, mobile, work). The list is longer than a screen on purpose.
pub(crate) const CONTACTS: &[(&str, &str, Option<&str>)] = &[
    ("Aaron Whitfield", "+1 415-555-0101", None),
    ("Ana Castillo", "+1 415-555-0102", Some("+1 628-555-0140")),
    ("Bea Lindqvist", "+1 415-555-0103", None),
    ("Carlos Mendes", "+1 415-555-0104", None),
    ("Chen Wei", "+1 415-555-0105", Some("+1 628-555-0141")),
    ("Dana Okafor", "+1 415-555-0106", None),
    ("Elif Demir", "+1 415-555-0107", None),
    ("Farah Haddad", "+1 415-555-0108", None),
    ("Gabriel Rossi", "+1 415-555-0109", None),
    ("Hana Sato", "+1 415-555-0110", None),
    ("Ivan Petrov", "+1 415-555-0111", None),
    ("Jonas Berg", "+1 415-555-0112", Some("+1 628-555-0142")),
    ("Kiara Singh", "+1 415-555-0113", None),
    ("Leo Park", "+1 415-555-0114", None),
    ("Maria Lopez", "+1 415-555-0115", Some("+1 628-555-0143")),
    ("Mateo Alvarez", "+1 415-555-0116", None),
    ("Nina Kowalski", "+1 415-555-0117", None),
    ("Omar Farouk", "+1 415-555-0118", None),
    ("Priya Nair", "+1 415-555-0119", Some("+1 628-555-0144")),
    ("Rosa Ferreira", "+1 415-555-0120", None),
    ("Sam Turner", "+1 415-555-0121", None),
    ("Tomasz Nowak", "+1 415-555-0122", None),
    ("Uma Reddy", "+1 415-555-0124", None),
    ("Yusuf Tan", "+1 415-555-0125", Some("+1 628-555-0145")),
    ("Zoe Martin", "+1 415-555-0126", None),
];

/// The notes: (title, body).
pub(crate) const NOTES: &[(&str, &str)] = &[
    ("Shopping list", "oat milk, apples, coffee beans"),
    ("Old wifi codes", "guest network: tulip-4471"),
    (
        "Book ideas",
        "A lighthouse keeper who collects lost letters",
    ),
    ("Trip to Lisbon", "Tram 28, Alfama, pastel de nata at Belem"),
    ("Dentist", "Tuesday 14:30 with Dr. Amaral, bring X-rays"),
];

/// The alarms: (hour, minute, label, enabled).
/// The phone's clock: the status bar shows it.
pub(crate) const NOW: Now = Now {
    date: "2026-11-23",
    weekday: "Monday",
    hour: 9,
    minute: 41,
};

/// The calendar: (title, days from today, hour, minute), soonest first.
pub(crate) const EVENTS: &[(&str, u8, u8, u8)] = &[
    ("Team standup", 0, 10, 0),
    ("Dentist", 0, 15, 30),
    ("Dinner with Leo", 1, 19, 30),
];

pub(crate) const ALARMS: &[(u8, u8, &str, bool)] = &[
    (7, 0, "Work", true),
    (8, 30, "Weekend run", false),
    (22, 15, "Pills", true),
];

/// The products: (name, price in cents, rating in tenths, reviews, description).
pub(crate) const PRODUCTS: &[(&str, u32, u8, u32, &str)] = &[
    (
        "Canvas Tote Bag",
        1499,
        46,
        312,
        "Heavy cotton canvas tote with an inner pocket. 40 x 38 cm.",
    ),
    (
        "Ceramic Pour-Over Set",
        3400,
        47,
        128,
        "Dripper, carafe and two cups in matte white stoneware.",
    ),
    (
        "Wool Hiking Socks",
        1600,
        45,
        540,
        "Merino blend, cushioned sole, two pairs.",
    ),
    (
        "Desk Plant - Pothos",
        1250,
        44,
        96,
        "Easy-care trailing plant in a 12 cm pot.",
    ),
    (
        "USB-C Cable 2 m",
        999,
        43,
        1210,
        "Braided USB-C to USB-C cable, 60 W charging.",
    ),
    (
        "Linen Tea Towels",
        1800,
        48,
        77,
        "Set of two stonewashed linen towels.",
    ),
    (
        "Cast Iron Skillet",
        3900,
        49,
        860,
        "Pre-seasoned 26 cm skillet for stove, oven and campfire.",
    ),
    (
        "Beeswax Food Wraps",
        1400,
        42,
        210,
        "Three reusable wraps in assorted sizes.",
    ),
    (
        "Dotted Notebook A5",
        1100,
        47,
        402,
        "160 pages of 100 gsm paper, lay-flat binding.",
    ),
    (
        "Enamel Camping Mug",
        1300,
        45,
        188,
        "Speckled blue enamel mug, 350 ml.",
    ),
    (
        "Bamboo Cutting Board",
        1850,
        46,
        233,
        "Large two-tone bamboo board with a juice groove.",
    ),
    (
        "LED Desk Lamp",
        4500,
        44,
        654,
        "Dimmable lamp with three colour temperatures and a USB port.",
    ),
    (
        "Trail Water Bottle",
        2150,
        48,
        991,
        "Insulated steel bottle, 750 ml, keeps drinks cold for 24 hours.",
    ),
    (
        "Yoga Mat",
        2900,
        45,
        377,
        "6 mm non-slip mat with a carrying strap.",
    ),
    (
        "Rain Jacket",
        8900,
        46,
        145,
        "Packable waterproof jacket with taped seams.",
    ),
    (
        "Travel Adapter",
        2400,
        43,
        510,
        "Universal adapter for 150 countries with two USB ports.",
    ),
];

/// The conversations: (contact name or number, messages as (outgoing, text, time)).
type SeedThread = (&'static str, &'static [(bool, &'static str, &'static str)]);

const THREADS: &[SeedThread] = &[
    (
        "Leo Park",
        &[
            (false, "Did you get the tickets?", "Yesterday"),
            (true, "Yes, row F!", "Yesterday"),
            (false, "Are we still on for Saturday?", "09:12"),
        ],
    ),
    (
        "Maria Lopez",
        &[
            (true, "Lunch on Thursday?", "Mon"),
            (false, "See you at 7?", "08:47"),
        ],
    ),
    (
        "+1 415-555-0188",
        &[(
            false,
            "Your parcel is out for delivery. Track it in the courier app.",
            "08:02",
        )],
    ),
    (
        "Hana Sato",
        &[
            (false, "Thanks for the book!", "Tue"),
            (true, "Enjoy it", "Tue"),
        ],
    ),
    (
        "Carlos Mendes",
        &[(false, "The match starts at 8, bring snacks", "Sun")],
    ),
];

/// The Wi-Fi networks in range: (name, secured, saved, password, bars).
const NETWORKS: &[(&str, bool, bool, &str, u8)] = &[
    ("HomeNet-5G", true, true, "kettle-blue-88", 4),
    ("HomeNet", true, true, "kettle-blue-88", 3),
    ("Cafe Lumen", false, false, "", 3),
    ("Harbor Guest", false, false, "", 2),
    ("NETGEAR-7F", true, false, "owl-canyon-12", 2),
    ("Pixel-Hotspot-22", true, false, "sunflower90", 1),
];

/// The phone as it comes out of the box for every task.
pub(crate) fn seeded_state() -> SimState {
    let mut state = SimState {
        settings: Settings {
            wifi: true,
            wifi_network: Some("HomeNet-5G".into()),
            networks: NETWORKS
                .iter()
                .map(|&(ssid, secured, saved, password, bars)| WifiNetwork {
                    ssid: ssid.into(),
                    secured,
                    saved,
                    password: password.into(),
                    bars,
                })
                .collect(),
            bluetooth: false,
            airplane_mode: false,
            do_not_disturb: false,
            dark_theme: false,
            brightness: 40,
            adaptive_brightness: true,
            location: true,
            battery_saver: false,
            auto_rotate: false,
            battery_percent: 80,
        },
        about: AboutPhone {
            device_name: "Lobster Sim".into(),
            model: "Lobster S1".into(),
            android_version: "14".into(),
            phone_number: "+1 415-555-0100".into(),
            build: "LSIM.240101.001".into(),
        },
        system: SystemState {
            media_volume: 60,
            media_playing: true,
            now: NOW,
            ..SystemState::default()
        },
        events: EVENTS
            .iter()
            .map(|&(title, day, hour, minute)| Event {
                title: title.into(),
                day,
                hour,
                minute,
            })
            .collect(),
        ..SimState::default()
    };
    for &(name, mobile, work) in CONTACTS {
        let id = state.next_id();
        let email = format!(
            "{}@example.com",
            name.to_lowercase().replace(' ', ".").replace('-', "")
        );
        state.contacts.push(Contact {
            id,
            name: name.into(),
            mobile: mobile.into(),
            work: work.map(str::to_owned),
            email: Some(email),
            starred: false,
        });
    }
    for &(who, messages) in THREADS {
        let number = state
            .contact_named(who)
            .map_or_else(|| who.to_owned(), |contact| contact.mobile.clone());
        state.threads.push(Thread {
            number,
            messages: messages
                .iter()
                .map(|&(outgoing, text, time)| Message {
                    outgoing,
                    text: text.into(),
                    time: time.into(),
                })
                .collect(),
        });
    }
    for &(hour, minute, label, enabled) in ALARMS {
        let id = state.next_id();
        state.alarms.push(Alarm {
            id,
            hour,
            minute,
            label: label.into(),
            enabled,
        });
    }
    for &(title, body) in NOTES {
        let id = state.next_id();
        state.notes.push(Note {
            id,
            title: title.into(),
            body: body.into(),
        });
    }
    for &(name, price_cents, rating_tenths, reviews, description) in PRODUCTS {
        let id = state.next_id();
        state.products.push(Product {
            id,
            name: name.into(),
            price_cents,
            rating_tenths,
            reviews,
            description: description.into(),
        });
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_content_is_consistent() {
        let state = seeded_state();
        assert_eq!(state.contacts.len(), CONTACTS.len());
        assert!(state.contacts.len() >= 20);
        // Every conversation with a name resolved to that contact's number.
        assert_eq!(
            state.display_name(&state.threads[0].number),
            "Leo Park".to_owned()
        );
        let mut ids: Vec<u32> = state
            .contacts
            .iter()
            .map(|c| c.id)
            .chain(state.notes.iter().map(|n| n.id))
            .chain(state.products.iter().map(|p| p.id))
            .chain(state.alarms.iter().map(|a| a.id))
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "ids are unique");
    }
}
