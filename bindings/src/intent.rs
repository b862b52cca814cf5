//! Catalog intents, spelled out for Android's `Intent` class.
//!
//! Core's intent catalog is typed (`set_alarm hour=7 minute=30`); Kotlin needs the action
//! string, the data URI, the MIME type and the extras with their Android types. The mapping is
//! done once, here, and tested, so the Kotlin side is a loop that copies fields: it cannot get
//! an extra's key or type wrong per intent. Data URIs are percent-encoded here (a `#` in a
//! phone number would otherwise end the URI). A date-time stays a calendar date-time: only the
//! phone knows its time zone, so Kotlin turns it into epoch milliseconds.

use lobster_core::action::{Intent, LocalDateTime};

/// `CalendarContract.Events.CONTENT_URI`.
const CALENDAR_EVENTS_URI: &str = "content://com.android.calendar/events";

/// An Android intent, ready to build: `Intent(action)`, `setData(Uri.parse(data))`,
/// `setType(mimeType)`, one `putExtra` per extra.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IntentSpec {
    /// The catalog name (`set_alarm`), for logs.
    pub name: String,
    /// The intent action (`android.intent.action.SET_ALARM`).
    pub action: String,
    /// The data URI, already encoded (`tel:%2B1%20555`), if any.
    pub data: Option<String>,
    /// The MIME type (`text/plain`), if any.
    pub mime_type: Option<String>,
    /// The extras.
    pub extras: Vec<IntentExtra>,
    /// Whether to wrap the intent in the system chooser (`Intent.createChooser`): for sharing.
    pub chooser: bool,
}

/// One extra of an intent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IntentExtra {
    /// The extra's key (`android.intent.extra.alarm.HOUR`).
    pub key: String,
    /// Its value, with the type `putExtra` must be given.
    pub value: IntentValue,
}

/// The value of an extra, typed as the receiving app reads it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum IntentValue {
    /// `putExtra(key, String)`.
    Text {
        /// The text.
        value: String,
    },
    /// `putExtra(key, Int)`.
    Int {
        /// The number.
        value: i32,
    },
    /// `putExtra(key, Array<String>)`.
    TextArray {
        /// The texts.
        values: Vec<String>,
    },
    /// `putExtra(key, Long)` of the epoch milliseconds of this date-time in the phone's time
    /// zone.
    LocalDateTime {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: i32,
        /// The day of the month, from 1.
        day: i32,
        /// The hour, 0–23.
        hour: i32,
        /// The minute, 0–59.
        minute: i32,
    },
}

impl IntentSpec {
    /// The intent that runs `intent`, or `None` for a catalog tool that is not an activity
    /// (the runner gets it as a [`ToolCall`](crate::ToolCall)).
    pub fn for_intent(intent: &Intent) -> Option<IntentSpec> {
        let mut spec = IntentSpec {
            name: intent.kind().name().to_owned(),
            action: intent.android_action()?.to_owned(),
            data: None,
            mime_type: None,
            extras: Vec::new(),
            chooser: false,
        };
        match intent {
            Intent::SetAlarm {
                hour,
                minute,
                label,
            } => {
                spec.int("android.intent.extra.alarm.HOUR", u32::from(*hour));
                spec.int("android.intent.extra.alarm.MINUTES", u32::from(*minute));
                spec.text_opt("android.intent.extra.alarm.MESSAGE", label);
            }
            Intent::SetTimer { seconds, label } => {
                spec.int("android.intent.extra.alarm.LENGTH", *seconds);
                spec.text_opt("android.intent.extra.alarm.MESSAGE", label);
            }
            Intent::Dial { number } => spec.data = Some(format!("tel:{}", encode(number))),
            Intent::ComposeSms { to, body } => {
                spec.data = Some(format!("smsto:{}", encode(to)));
                spec.text_opt("sms_body", body);
            }
            Intent::ComposeEmail { to, subject, body } => {
                spec.data = Some("mailto:".into());
                spec.extras.push(IntentExtra {
                    key: "android.intent.extra.EMAIL".into(),
                    value: IntentValue::TextArray {
                        values: vec![to.clone()],
                    },
                });
                spec.text_opt("android.intent.extra.SUBJECT", subject);
                spec.text_opt("android.intent.extra.TEXT", body);
            }
            Intent::OpenSettings { .. } => {}
            Intent::WebSearch { query } => spec.text("query", query),
            Intent::MapSearch { query } => {
                spec.data = Some(format!("geo:0,0?q={}", encode(query)));
            }
            Intent::Navigate { destination } => {
                spec.data = Some(format!("google.navigation:q={}", encode(destination)));
            }
            Intent::ShareText { text } => {
                spec.mime_type = Some("text/plain".into());
                spec.text("android.intent.extra.TEXT", text);
                spec.chooser = true;
            }
            Intent::InsertEvent {
                title,
                begin,
                end,
                location,
            } => {
                spec.data = Some(CALENDAR_EVENTS_URI.into());
                spec.text("title", title);
                spec.date_time("beginTime", *begin);
                if let Some(end) = end {
                    spec.date_time("endTime", *end);
                }
                spec.text_opt("eventLocation", location);
            }
            // A link is passed on as written: its scheme decides how it is encoded.
            Intent::ViewUrl { url } | Intent::OpenLink { uri: url } => {
                spec.data = Some(url.clone());
            }
            Intent::DismissAlarm { hour, minute } => {
                spec.text("android.intent.extra.alarm.SEARCH_MODE", "android.time");
                spec.int("android.intent.extra.alarm.HOUR", u32::from(*hour));
                spec.int("android.intent.extra.alarm.MINUTES", u32::from(*minute));
            }
            Intent::CallNumber { number } => spec.data = Some(format!("tel:{}", encode(number))),
            // The action alone: a settings panel, the camera, the alarm list, the timer. The
            // tools that are no activity left above (`android_action` is `None` for them).
            _ => {}
        }
        Some(spec)
    }

    fn text(&mut self, key: &str, value: &str) {
        self.extras.push(IntentExtra {
            key: key.into(),
            value: IntentValue::Text {
                value: value.into(),
            },
        });
    }

    fn text_opt(&mut self, key: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.text(key, value);
        }
    }

    fn int(&mut self, key: &str, value: u32) {
        self.extras.push(IntentExtra {
            key: key.into(),
            value: IntentValue::Int {
                value: i32::try_from(value).unwrap_or(i32::MAX),
            },
        });
    }

    fn date_time(&mut self, key: &str, at: LocalDateTime) {
        self.extras.push(IntentExtra {
            key: key.into(),
            value: IntentValue::LocalDateTime {
                year: i32::from(at.year()),
                month: i32::from(at.month()),
                day: i32::from(at.day()),
                hour: i32::from(at.hour()),
                minute: i32::from(at.minute()),
            },
        });
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, as `Uri.encode` does.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use lobster_core::action::SettingsPage;

    use super::*;

    fn spec_of(intent: &Intent) -> IntentSpec {
        IntentSpec::for_intent(intent).expect("the intent starts an activity")
    }

    fn text(key: &str, value: &str) -> IntentExtra {
        IntentExtra {
            key: key.into(),
            value: IntentValue::Text {
                value: value.into(),
            },
        }
    }

    #[test]
    fn an_alarm_carries_typed_extras() {
        let spec = spec_of(&Intent::SetAlarm {
            hour: 7,
            minute: 30,
            label: Some("Gym".into()),
        });
        assert_eq!(spec.name, "set_alarm");
        assert_eq!(spec.action, "android.intent.action.SET_ALARM");
        assert_eq!(spec.data, None);
        assert_eq!(
            spec.extras,
            [
                IntentExtra {
                    key: "android.intent.extra.alarm.HOUR".into(),
                    value: IntentValue::Int { value: 7 }
                },
                IntentExtra {
                    key: "android.intent.extra.alarm.MINUTES".into(),
                    value: IntentValue::Int { value: 30 }
                },
                text("android.intent.extra.alarm.MESSAGE", "Gym"),
            ]
        );
        let timer = spec_of(&Intent::SetTimer {
            seconds: 90,
            label: None,
        });
        assert_eq!(timer.extras.len(), 1);
    }

    #[test]
    fn data_uris_are_encoded() {
        let dial = spec_of(&Intent::Dial {
            number: "+1 (555) 010#2".into(),
        });
        assert_eq!(dial.data.as_deref(), Some("tel:%2B1%20%28555%29%20010%232"));
        let map = spec_of(&Intent::MapSearch {
            query: "café & bar".into(),
        });
        assert_eq!(map.data.as_deref(), Some("geo:0,0?q=caf%C3%A9%20%26%20bar"));
        let sms = spec_of(&Intent::ComposeSms {
            to: "5550100".into(),
            body: Some("late".into()),
        });
        assert_eq!(sms.action, "android.intent.action.SENDTO");
        assert_eq!(sms.data.as_deref(), Some("smsto:5550100"));
        assert_eq!(sms.extras, [text("sms_body", "late")]);
        let nav = spec_of(&Intent::Navigate {
            destination: "Main St".into(),
        });
        assert_eq!(nav.data.as_deref(), Some("google.navigation:q=Main%20St"));
        let url = spec_of(&Intent::ViewUrl {
            url: "https://example.com/a?b=c".into(),
        });
        assert_eq!(url.data.as_deref(), Some("https://example.com/a?b=c"));
    }

    #[test]
    fn email_share_search_and_settings() {
        let email = spec_of(&Intent::ComposeEmail {
            to: "a@example.com".into(),
            subject: Some("Hi".into()),
            body: None,
        });
        assert_eq!(email.data.as_deref(), Some("mailto:"));
        assert_eq!(
            email.extras[0].value,
            IntentValue::TextArray {
                values: vec!["a@example.com".into()]
            }
        );
        assert_eq!(email.extras[1], text("android.intent.extra.SUBJECT", "Hi"));
        let share = spec_of(&Intent::ShareText { text: "x".into() });
        assert!(share.chooser);
        assert_eq!(share.mime_type.as_deref(), Some("text/plain"));
        let search = spec_of(&Intent::WebSearch { query: "q".into() });
        assert_eq!(search.extras, [text("query", "q")]);
        let wifi = spec_of(&Intent::OpenSettings {
            page: SettingsPage::Wifi,
        });
        assert_eq!(wifi.action, "android.settings.WIFI_SETTINGS");
        assert!(wifi.extras.is_empty() && wifi.data.is_none());
    }

    #[test]
    fn calendar_events_keep_local_date_times() {
        let begin = LocalDateTime::new(2026, 11, 21, 9, 30).unwrap();
        let spec = spec_of(&Intent::InsertEvent {
            title: "Dentist".into(),
            begin,
            end: None,
            location: Some("Clinic".into()),
        });
        assert_eq!(spec.action, "android.intent.action.INSERT");
        assert_eq!(spec.data.as_deref(), Some(CALENDAR_EVENTS_URI));
        assert_eq!(
            spec.extras,
            [
                text("title", "Dentist"),
                IntentExtra {
                    key: "beginTime".into(),
                    value: IntentValue::LocalDateTime {
                        year: 2026,
                        month: 11,
                        day: 21,
                        hour: 9,
                        minute: 30
                    }
                },
                text("eventLocation", "Clinic"),
            ]
        );
    }
}
