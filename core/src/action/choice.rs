//! The fixed word sets some tools take: `on`/`off`, the ringer's modes, media commands and the
//! settings panels.
//!
//! Why words and not numbers or free text: a small model picks a word from a short list reliably
//! and the grammar can offer exactly that list; each set is declared once ([`Choice::words`]) so
//! the parser, the grammar, the plan schema and the prompt list the same words.

/// Which word set a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// `on` or `off`.
    Switch,
    /// A [`RingerMode`].
    Ringer,
    /// A [`MediaCommand`].
    Media,
    /// A [`SettingsPanel`].
    Panel,
}

impl Choice {
    /// The words, in the order the grammar lists them.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Choice::Switch => &["on", "off"],
            Choice::Ringer => &["normal", "vibrate", "silent"],
            Choice::Media => &["play", "pause", "next", "previous"],
            Choice::Panel => &["internet", "wifi", "nfc", "volume"],
        }
    }

    /// The listed word equal to `word`, as the `'static` the argument keeps.
    pub fn word(self, word: &str) -> Option<&'static str> {
        self.words().iter().copied().find(|listed| *listed == word)
    }

    /// A name for messages and listings (`on|off`).
    pub fn describe(self) -> String {
        self.words().join("|")
    }
}

/// `on` → `true`, `off` → `false`.
pub fn switch_from_word(word: &str) -> Option<bool> {
    match word {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// The word for a switch state.
pub fn switch_word(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// The ringer's mode: `AudioManager.RINGER_MODE_NORMAL`, `_VIBRATE`, `_SILENT`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RingerMode {
    /// Rings.
    #[default]
    Normal,
    /// Vibrates only.
    Vibrate,
    /// Neither rings nor vibrates.
    Silent,
}

/// A media-session command, sent as the matching media key event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaCommand {
    /// `KEYCODE_MEDIA_PLAY`.
    Play,
    /// `KEYCODE_MEDIA_PAUSE`.
    Pause,
    /// `KEYCODE_MEDIA_NEXT`.
    Next,
    /// `KEYCODE_MEDIA_PREVIOUS`.
    Previous,
}

/// A settings panel (`android.provider.Settings.Panel`, API 29+): a sheet over the current app
/// where the user flips a switch apps may no longer flip themselves (Wi-Fi since API 29).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingsPanel {
    /// `Settings.Panel.ACTION_INTERNET_CONNECTIVITY`: Wi-Fi, mobile data, airplane mode.
    Internet,
    /// `Settings.Panel.ACTION_WIFI`.
    Wifi,
    /// `Settings.Panel.ACTION_NFC`.
    Nfc,
    /// `Settings.Panel.ACTION_VOLUME`.
    Volume,
}

/// A closed word set, read and written through its [`Choice`].
pub trait Worded: Sized + Copy + 'static {
    /// Every value, in the order of the set's words.
    const ALL: &'static [Self];

    /// The word for this value.
    fn word(self) -> &'static str;

    /// The value written `word`.
    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|value| value.word() == word)
    }
}

impl Worded for RingerMode {
    const ALL: &'static [RingerMode] =
        &[RingerMode::Normal, RingerMode::Vibrate, RingerMode::Silent];

    fn word(self) -> &'static str {
        match self {
            RingerMode::Normal => "normal",
            RingerMode::Vibrate => "vibrate",
            RingerMode::Silent => "silent",
        }
    }
}

impl Worded for MediaCommand {
    const ALL: &'static [MediaCommand] = &[
        MediaCommand::Play,
        MediaCommand::Pause,
        MediaCommand::Next,
        MediaCommand::Previous,
    ];

    fn word(self) -> &'static str {
        match self {
            MediaCommand::Play => "play",
            MediaCommand::Pause => "pause",
            MediaCommand::Next => "next",
            MediaCommand::Previous => "previous",
        }
    }
}

impl Worded for SettingsPanel {
    const ALL: &'static [SettingsPanel] = &[
        SettingsPanel::Internet,
        SettingsPanel::Wifi,
        SettingsPanel::Nfc,
        SettingsPanel::Volume,
    ];

    fn word(self) -> &'static str {
        match self {
            SettingsPanel::Internet => "internet",
            SettingsPanel::Wifi => "wifi",
            SettingsPanel::Nfc => "nfc",
            SettingsPanel::Volume => "volume",
        }
    }
}

impl SettingsPanel {
    /// The panel's intent action (`android.settings.panel.action.WIFI`).
    pub fn android_action(self) -> &'static str {
        match self {
            SettingsPanel::Internet => "android.settings.panel.action.INTERNET_CONNECTIVITY",
            SettingsPanel::Wifi => "android.settings.panel.action.WIFI",
            SettingsPanel::Nfc => "android.settings.panel.action.NFC",
            SettingsPanel::Volume => "android.settings.panel.action.VOLUME",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_words<T: Worded>(choice: Choice) {
        let words: Vec<&str> = T::ALL.iter().map(|value| value.word()).collect();
        assert_eq!(words, choice.words());
        for value in T::ALL {
            assert_eq!(
                T::from_word(value.word()).map(Worded::word),
                Some(value.word())
            );
        }
        assert!(T::from_word("loud").is_none());
    }

    #[test]
    fn each_typed_set_has_its_choice_words() {
        same_words::<RingerMode>(Choice::Ringer);
        same_words::<MediaCommand>(Choice::Media);
        same_words::<SettingsPanel>(Choice::Panel);
        assert_eq!(Choice::Switch.words(), ["on", "off"]);
        assert_eq!(switch_from_word(switch_word(true)), Some(true));
        assert_eq!(switch_from_word(switch_word(false)), Some(false));
        assert_eq!(switch_from_word("maybe"), None);
        assert_eq!(Choice::Ringer.word("silent"), Some("silent"));
        assert_eq!(Choice::Ringer.word("Silent"), None);
        assert_eq!(Choice::Media.describe(), "play|pause|next|previous");
    }
}
