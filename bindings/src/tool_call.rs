//! Catalog tools that are not activities, spelled out for the Kotlin tool runner.
//!
//! Most of the catalog starts an activity and travels as an [`IntentSpec`](crate::IntentSpec).
//! The rest (the flashlight, the ringer, the battery, the clipboard, the notification shade …)
//! are calls of a platform API or of the accessibility service that only the phone can make;
//! they travel as a [`ToolCall`]: the catalog name and its arguments, typed as the catalog
//! declares them, so the Kotlin runner reads `percent` as an Int and `state` as a word without
//! parsing text. [`tool_names`] parses the names the phone reports available back into the
//! catalog's set, ignoring names it does not know (a newer Kotlin side).

use lobster_core::action::{Intent, IntentArg, IntentKind, ToolSet};

/// A tool call for the Kotlin runner: `ToolRunner.run(call)`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ToolCall {
    /// The catalog name (`flashlight`).
    pub name: String,
    /// The arguments, in the catalog's order.
    pub args: Vec<ToolArg>,
}

/// One argument of a tool call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ToolArg {
    /// The catalog's key (`percent`).
    pub key: String,
    /// Its value.
    pub value: ToolValue,
}

/// A tool argument's value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ToolValue {
    /// A number within the catalog's range.
    Int {
        /// The number.
        value: i32,
    },
    /// Text: a name, a message, a phone number.
    Text {
        /// The text.
        value: String,
    },
    /// A word of a closed set (`on`, `silent`, `pause`).
    Word {
        /// The word.
        value: String,
    },
}

impl From<&Intent> for ToolCall {
    fn from(intent: &Intent) -> Self {
        let args = intent
            .args()
            .into_iter()
            .map(|(key, value)| ToolArg {
                key: key.to_owned(),
                value: match value {
                    IntentArg::Int(number) => ToolValue::Int {
                        value: i32::try_from(number).unwrap_or(i32::MAX),
                    },
                    IntentArg::Text(text) => ToolValue::Text { value: text },
                    IntentArg::DateTime(at) => ToolValue::Text {
                        value: at.to_string(),
                    },
                    IntentArg::SettingsPage(page) => ToolValue::Word {
                        value: page.word().to_owned(),
                    },
                    IntentArg::Choice(word) => ToolValue::Word {
                        value: word.to_owned(),
                    },
                },
            })
            .collect();
        ToolCall {
            name: intent.kind().name().to_owned(),
            args,
        }
    }
}

/// The catalog's set of the tools named `names`; unknown names are ignored.
pub fn tool_names(names: &[String]) -> ToolSet {
    names
        .iter()
        .filter_map(|name| IntentKind::from_name(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use lobster_core::action::{MediaCommand, RingerMode};

    use super::*;

    #[test]
    fn a_tool_call_carries_typed_arguments_in_catalog_order() {
        let call = ToolCall::from(&Intent::SendSms {
            to: "+15550100".into(),
            body: "On my way".into(),
        });
        assert_eq!(call.name, "send_sms");
        assert_eq!(
            call.args,
            [
                ToolArg {
                    key: "to".into(),
                    value: ToolValue::Text {
                        value: "+15550100".into()
                    }
                },
                ToolArg {
                    key: "body".into(),
                    value: ToolValue::Text {
                        value: "On my way".into()
                    }
                },
            ]
        );
        let volume = ToolCall::from(&Intent::MediaVolume { percent: 40 });
        assert_eq!(volume.args[0].value, ToolValue::Int { value: 40 });
        let ringer = ToolCall::from(&Intent::RingerMode {
            mode: RingerMode::Silent,
        });
        assert_eq!(
            ringer.args[0].value,
            ToolValue::Word {
                value: "silent".into()
            }
        );
        let media = ToolCall::from(&Intent::MediaControl {
            command: MediaCommand::Pause,
        });
        assert_eq!(media.args[0].key, "command");
        assert!(ToolCall::from(&Intent::BatteryStatus).args.is_empty());
    }

    #[test]
    fn reported_names_become_the_catalog_set_and_unknown_ones_are_dropped() {
        let set = tool_names(&[
            "flashlight".into(),
            "teleport".into(),
            "battery_status".into(),
            "".into(),
        ]);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [IntentKind::Flashlight, IntentKind::BatteryStatus]
        );
    }
}
