//! English clauses the rules read: alarms, new notes, timers, calls and texts to a number,
//! e-mail to an address, settings pages and switches, Wi-Fi networks, web and map searches, navigation,
//! web addresses and calendar events.
//!
//! Each pattern matches a whole clause, case-insensitively; its slots are then parsed by the
//! shared vocabulary, and a slot that does not parse makes the clause unread.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::clock::{duration, english_clock};
use super::settings::{page_named, switch_named};
use super::words::phone_number;
use super::{
    CivilDate, Context, EMAIL_APP, Reader, SETTINGS_APP, declared_action, first, intent, note,
    switch_subgoals, text_message, ui, unquote, web_address, well_known,
};
use crate::action::{Intent, LocalDateTime, SettingsPage};
use crate::planner::{Route, Subgoal};

fn regex(pattern: &str) -> Option<Regex> {
    // A pattern that does not compile reads nothing (the corpus tests would show the loss).
    Regex::new(&format!("(?i)^(?:please\\s+)?(?:can you\\s+)?{pattern}$")).ok()
}

/// A phone number as the patterns find it (checked by `phone_number` after).
const PHONE: &str = r"(?P<number>\+?\(?[0-9][0-9 ().-]{1,22}[0-9])";
/// A label after the thing it names.
const LABEL: &str =
    r"(?:\s+(?:labell?ed|called|named|titled|with (?:the )?(?:label|name))\s+(?P<label>.+))?";

/// The clause's subgoals, if a pattern reads it.
pub(super) fn read(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    let readers: [Reader; 15] = [
        alarm,
        new_note,
        delete_note,
        append_to_note,
        add_to_cart,
        timer,
        call,
        text,
        email,
        settings_page,
        switch,
        wifi_network,
        url,
        navigate,
        event,
    ];
    readers
        .iter()
        .find_map(|reader| reader(clause, context))
        .or_else(|| search(clause, context))
}

/// "Create a note titled 'Packing list' that says 'passport, charger'": the title quoted (a
/// note's title is anything, so only quotes bound it), the body quoted or the rest.
fn new_note(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r#"(?:create|make|add|write|take|start)\s+(?:a\s+)?(?:new\s+)?note\s+(?:titled|called|named|with the title)\s+(?P<title>"[^"]+"|'[^']+')(?:\s*,?\s*(?:that says|saying|with the (?:text|body)|containing|with)\s+(?P<body>"[^"]+"|'.+'))?"#,
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    note(
        clause,
        captures.name("title")?.as_str(),
        captures.name("body").map(|body| body.as_str()),
        context,
    )
}

/// A quoted note title, as the note patterns take it.
const TITLE: &str = r#"(?P<title>"[^"]+"|'[^']+')"#;

/// "Delete the note 'Old wifi codes'", "remove my 'Dentist' note": by an app's declared
/// `delete_note` (irreversible: the guard asks).
fn delete_note(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            r"(?:delete|remove|trash)\s+(?:the\s+|my\s+)?(?:note\s+(?:titled\s+|called\s+|named\s+)?{TITLE}|{TITLE2}\s+note)",
            TITLE2 = TITLE.replace("title", "title2"),
        ))
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let title = captures.name("title").or(captures.name("title2"))?;
    declared_action(
        clause,
        well_known::DELETE_NOTE,
        &[("title", title.as_str())],
        context,
    )
}

/// "Add 'bananas' to the end of my note 'Shopping list'", "append 'rice' to the note 'Shopping
/// list'": by an app's declared `append_to_note`; both the text and the title quoted.
fn append_to_note(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            r#"(?:add|append|write)\s+(?P<text>"[^"]+"|'[^']+')\s+(?:to|at)\s+(?:the\s+end\s+of\s+)?(?:my\s+|the\s+)?note\s+(?:titled\s+|called\s+|named\s+)?{TITLE}"#
        ))
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    declared_action(
        clause,
        well_known::APPEND_TO_NOTE,
        &[
            ("title", captures.name("title")?.as_str()),
            ("text", captures.name("text")?.as_str()),
        ],
        context,
    )
}

/// "Add the Trail Water Bottle to my cart in the Shop app, but don't buy it": by the declared
/// `add_to_cart` of the app named (or of the one app that declares it). The product is what
/// lies between the verb and "to my cart", a name, not a quantity ("add 2 …" is the model's).
fn add_to_cart(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:add|put)\s+(?:the\s+|a\s+|an\s+)?(?P<product>[a-z][^,.;:!?]*?)\s+(?:to|in|into)\s+(?:my|the)\s+(?:shopping\s+)?(?:cart|basket)(?:\s+in\s+the\s+(?P<app>[a-z][\w-]*)\s+app)?(?:\s*,?\s*but\s+(?:don't|do\s+not)\s+(?:buy|order|check\s*out|pay\s+for)(?:\s+it)?)?",
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let product = captures.name("product")?.as_str().trim();
    // "Add this to my cart" names nothing the rules can look up.
    const UNNAMED: [&str; 8] = [
        "this",
        "that",
        "it",
        "these",
        "those",
        "them",
        "everything",
        "all",
    ];
    if UNNAMED
        .iter()
        .any(|word| product.eq_ignore_ascii_case(word))
    {
        return None;
    }
    // The app the goal names must be the one whose action is called.
    let id = match captures.name("app") {
        Some(app) => format!(
            "{}.{}",
            app.as_str().to_lowercase(),
            well_known::ADD_TO_CART
        ),
        None => well_known::ADD_TO_CART.to_owned(),
    };
    declared_action(clause, &id, &[("product", product)], context)
}

fn label(captures: &Captures<'_>) -> Option<String> {
    captures
        .name("label")
        .map(|label| unquote(label.as_str()).to_owned())
        .filter(|label| !label.is_empty())
}

fn alarm(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(&format!(
                r"(?:set|create|add|make|put|schedule)(?: me)?\s+(?:an?\s+|one\s+)?(?:new\s+)?alarm\s+(?:for|at)\s+(?P<time>.+?){LABEL}"
            )),
            regex(&format!(
                r"(?:set|create|add|make)\s+(?:an?\s+)?(?P<time>.+?)\s+alarm{LABEL}"
            )),
            regex(r"wake me(?: up)?\s+(?:at\s+)?(?P<time>.+)"),
            regex(&format!(r"alarm\s+(?:for|at)\s+(?P<time>.+?){LABEL}")),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let alarm = first(&PATTERNS, clause, |captures| {
        let (hour, minute) = english_clock(captures.name("time")?.as_str())?;
        Some(Intent::SetAlarm {
            hour,
            minute,
            label: label(captures),
        })
    })?;
    intent(clause, alarm)
}

fn timer(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let label = r"(?:\s+(?:labell?ed|called|named|for)\s+(?P<label>.+))?";
        [
            regex(&format!(
                r"(?:set|start|create|make|put on)\s+(?:an?\s+)?(?:new\s+)?timer\s+(?:for\s+)?(?P<length>.+?){label}"
            )),
            regex(&format!(
                r"(?:set|start|create|make)\s+(?:an?\s+)?(?P<length>.+?)\s+timer{label}"
            )),
            regex(&format!(
                r"(?:timer|count ?down|countdown)\s+(?:for\s+)?(?P<length>.+?){label}"
            )),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let timer = first(&PATTERNS, clause, |captures| {
        // "10-minute" as in "a 10-minute timer".
        let length = captures.name("length")?.as_str().replace('-', " ");
        Some(Intent::SetTimer {
            seconds: duration(&length)?,
            label: label(captures),
        })
    })?;
    intent(clause, timer)
}

fn call(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(&format!(
                r"(?:call|dial|phone|ring|make a call to)\s+{PHONE}"
            )),
            regex(&format!(r"give\s+{PHONE}\s+a (?:call|ring)")),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let number = first(&PATTERNS, clause, |captures| {
        phone_number(captures.name("number")?.as_str())
    })?;
    intent(clause, Intent::Dial { number })
}

fn text(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(&format!(
                r#"(?:send\s+(?:an?\s+)?(?:text(?:\s+message)?|sms|message)\s+to|text|sms|message)\s+{PHONE}\s*(?:,?\s*saying|,?\s*that says|,?\s*with the (?:text|message)|:|,)\s*(?P<body>.+)"#
            )),
            regex(&format!(
                r#"send\s+(?P<body>"[^"]+"|'.+')\s+to\s+{PHONE}(?:\s+by (?:text|sms))?"#
            )),
            regex(&format!(
                r#"(?:text|sms)\s+{PHONE}\s+(?P<body>"[^"]+"|'.+')"#
            )),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let (to, body) = first(&PATTERNS, clause, |captures| {
        let to = phone_number(captures.name("number")?.as_str())?;
        let body = unquote(captures.name("body")?.as_str()).to_owned();
        (!body.is_empty()).then_some((to, body))
    })?;
    text_message(clause, to, body, "Send the message", context)
}

fn email(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r#"(?:send\s+an?\s+e-?mail\s+to|write\s+an?\s+e-?mail\s+to|compose\s+an?\s+e-?mail\s+to|e-?mail)\s+(?P<to>[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})(?:\s+(?:with (?:the )?subject|subject|about)\s+(?P<subject>"[^"]+"|'[^']+'|.+?))?(?:\s+(?:saying|that says|with the (?:text|body|message))\s+(?P<body>.+))?"#,
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let text = |name: &str| {
        captures
            .name(name)
            .map(|part| unquote(part.as_str()).to_owned())
            .filter(|part| !part.is_empty())
    };
    Some(vec![
        Subgoal::new(
            clause,
            Route::Intent(Intent::ComposeEmail {
                to: captures.name("to")?.as_str().to_lowercase(),
                subject: text("subject"),
                body: text("body"),
            }),
        ),
        ui("Send the email", context.app(&EMAIL_APP)),
    ])
}

fn settings_page(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(
                r"(?:open|go to|show(?: me)?|launch|take me to)\s+(?:the\s+)?(?:phone's\s+)?(?P<page>.+?)\s+settings?(?: page)?",
            ),
            regex(
                r"(?:open|launch|go to|show(?: me)?|take me to)\s+(?:the\s+)?(?P<page>)settings(?: app| page)?",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let page = first(&PATTERNS, clause, |captures| {
        page_named(captures.name("page")?.as_str())
    })?;
    intent(clause, Intent::OpenSettings { page })
}

fn switch(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(r"(?:turn|switch)\s+(?:on|off)\s+(?P<what>.+)"),
            regex(r"(?:turn|switch)\s+(?P<what>.+?)\s+(?:on|off)"),
            regex(r"(?:enable|disable)\s+(?P<what>.+)"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let page = first(&PATTERNS, clause, |captures| {
        switch_named(captures.name("what")?.as_str())
    })?;
    switch_subgoals(clause, page, context)
}

fn wifi_network(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:connect|join)\s+(?:to\s+|with\s+)?(?:the\s+)?(?:wi-?fi|wlan|wireless)(?: network)?\s+(?P<ssid>.+)",
        )
    });
    let ssid = unquote(PATTERN.as_ref()?.captures(clause)?.name("ssid")?.as_str()).to_owned();
    if ssid.is_empty() {
        return None;
    }
    Some(vec![
        Subgoal::new(
            "Open the Wi-Fi settings",
            Route::Intent(Intent::OpenSettings {
                page: SettingsPage::Wifi,
            }),
        ),
        ui(clause, context.app(&SETTINGS_APP)),
    ])
}

fn url(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:open|go to|visit|browse to|load)\s+(?:the (?:website|site|page)\s+)?(?P<url>https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|edu|gov|cn|uk|de|fr|jp|co|info|me)(?:/\S*)?)",
        )
    });
    let url = PATTERN.as_ref()?.captures(clause)?.name("url")?.as_str();
    intent(
        clause,
        Intent::ViewUrl {
            url: web_address(url),
        },
    )
}

fn navigate(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(
                r"(?:navigate|drive|take me|get me|walk|route me|give me directions|get directions|directions)\s+to\s+(?P<place>.+)",
            ),
            regex(r"navigate\s+(?P<place>home|to work)"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    // "Take me to the settings page" is a screen of the phone, not a place.
    static SCREEN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:settings?|page|screen|app|tab|menu|inbox|folder)\b").ok()
    });
    let destination = first(&PATTERNS, clause, |captures| {
        let place = unquote(captures.name("place")?.as_str());
        let place = place.strip_prefix("to ").unwrap_or(place);
        let screen = SCREEN.as_ref().is_none_or(|screen| screen.is_match(place));
        (!place.is_empty() && !screen).then(|| place.to_owned())
    })?;
    intent(clause, Intent::Navigate { destination })
}

fn search(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static MAP: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(
                r"(?:show(?: me)?|find|search for|locate|look up)\s+(?P<query>.+?)\s+(?:on|in)\s+(?:the\s+)?maps?",
            ),
            regex(
                r"(?:find|show me|where is|where's)\s+(?:the\s+)?(?P<query>(?:nearest|closest)\s+.+)",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    static WEB: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:search (?:the web |online |google |the internet )?for|google|look up|search(?: the web)?)\s+(?P<query>.+)",
        )
    });
    // What lives on the phone is not searched on the web: "look it up in Settings", "search my
    // notes", "find Ana in contacts".
    static PERSONAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:my|it|in (?:the )?\w+ app|in settings|contacts?|messages?|notes?|photos?|gallery|inbox|app)\b").ok()
    });
    // Without the pattern, nothing is known to be safe to search.
    let personal = |query: &str| {
        PERSONAL
            .as_ref()
            .is_none_or(|personal| personal.is_match(query))
    };
    if let Some(query) = first(&MAP, clause, |captures| {
        let query = unquote(captures.name("query")?.as_str());
        (!personal(query)).then(|| query.to_owned())
    }) {
        return intent(clause, Intent::MapSearch { query });
    }
    let captures = WEB.as_ref()?.captures(clause)?;
    let query = unquote(captures.name("query")?.as_str()).to_owned();
    // "Google Maps" names an app; a bare "google" needs a query of more than one word.
    let bare_google = captures
        .get(0)
        .is_some_and(|all| all.as_str().to_lowercase().starts_with("google "));
    if personal(&query) || (bare_google && !query.contains(' ')) {
        return None;
    }
    intent(clause, Intent::WebSearch { query })
}

fn event(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r#"(?:add|create|schedule|put|make)\s+(?:an?\s+)?(?:calendar\s+)?(?:event|meeting|appointment)\s+(?:(?:called|titled|named)\s+(?P<title>"[^"]+"|'[^']+'|.+?)|(?P<quoted>"[^"]+"|'[^']+'))\s+(?P<day>today|tomorrow|the day after tomorrow|on \w+|on \d{4}-\d{2}-\d{2})\s+at\s+(?P<time>.+?)(?:\s+(?:at|in)\s+(?P<place>.+))?"#,
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let date = day(captures.name("day")?.as_str(), context.today)?;
    let (hour, minute) = english_clock(captures.name("time")?.as_str())?;
    let begin = LocalDateTime::new(date.year, date.month, date.day, hour, minute)?;
    // A title only where the goal marks it ("called Dentist", or quoted): "a meeting with the
    // design team" has none to read.
    let title = captures.name("title").or(captures.name("quoted"))?;
    let title = unquote(title.as_str()).to_owned();
    intent(
        clause,
        Intent::InsertEvent {
            title,
            begin,
            end: None,
            location: captures
                .name("place")
                .map(|place| unquote(place.as_str()).to_owned()),
        },
    )
}

/// `today`, `tomorrow`, `on friday` (the next one, today excluded), `on 2026-12-12`.
fn day(text: &str, today: CivilDate) -> Option<CivilDate> {
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let text = text.to_lowercase();
    match text.as_str() {
        "today" => return Some(today),
        "tomorrow" => return Some(today.plus_days(1)),
        "the day after tomorrow" => return Some(today.plus_days(2)),
        _ => {}
    }
    let named = text.strip_prefix("on ")?;
    if let Some(weekday) = WEEKDAYS.iter().position(|day| *day == named) {
        let ahead = (i64::try_from(weekday).ok()? - today.weekday()).rem_euclid(7);
        return Some(today.plus_days(if ahead == 0 { 7 } else { ahead }));
    }
    let date = LocalDateTime::parse(&format!("{named}T00:00"))?;
    Some(CivilDate {
        year: date.year(),
        month: date.month(),
        day: date.day(),
    })
}
