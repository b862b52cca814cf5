//! Permission tiers for tools: whether calling a tool needs the user's yes, and how often.
//!
//! Why tiers and not only the guard's categories: a tool call has no screen to read a cue from
//! (no "Pay now" button), so its risk is declared per tool — the way phone makers' system
//! agents gate their tools: always allowed, asked the first time (the yes is remembered for the
//! tool), or asked every time. Each tool has a default here; the integrator overrides it per
//! tool ([`GuardConfig::tool_tiers`](super::GuardConfig)) and hands in the tools the user
//! already allowed ([`GuardConfig::granted_tools`](super::GuardConfig)), which the integrator
//! persists when a confirmation it answered yes carries a tool to remember
//! ([`Sensitive::grant`](super::Sensitive)).

use std::fmt;

use super::Category;
use crate::action::IntentKind;

/// How often calling a tool asks the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Never asks.
    Always,
    /// Asks the first time; a yes is remembered for the tool.
    FirstTime,
    /// Asks every time.
    EveryTime,
}

impl Tier {
    /// Every tier, from the least to the most asking.
    pub const ALL: [Tier; 3] = [Tier::Always, Tier::FirstTime, Tier::EveryTime];

    /// A stable snake_case name (`first_time`), for configuration and listings.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Always => "always",
            Tier::FirstTime => "first_time",
            Tier::EveryTime => "every_time",
        }
    }

    /// The tier named `name` (as [`Tier::name`] prints it).
    pub fn from_name(name: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|tier| tier.name() == name)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A tool's risk as the catalog declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToolRisk {
    /// How often it asks by default.
    pub tier: Tier,
    /// What it does that is sensitive, if anything; a confirmation names it, and switching the
    /// category off in the guard's settings stops the tool asking.
    pub category: Option<Category>,
}

/// The default risk of `kind`. Drafts (a message, an e-mail, a number in the dialer, a calendar
/// event) never ask: nothing leaves the phone until the user or the agent taps Send or Call,
/// and that tap is guarded on the screen where it happens. What leaves the phone at once (a
/// text sent, a call placed, a share) asks every time; reading personal data for the planner
/// asks the first time; settings, the clock, the camera and the shade never ask.
pub fn default_risk(kind: IntentKind) -> ToolRisk {
    let (tier, category) = match kind {
        IntentKind::ShareText => (Tier::EveryTime, Some(Category::Share)),
        IntentKind::SendSms => (Tier::EveryTime, Some(Category::Send)),
        IntentKind::CallNumber => (Tier::EveryTime, Some(Category::Call)),
        IntentKind::FindContact
        | IntentKind::NextEvent
        | IntentKind::ReadClipboard
        | IntentKind::TakeScreenshot => (Tier::FirstTime, Some(Category::PersonalData)),
        IntentKind::ComposeSms | IntentKind::ComposeEmail => (Tier::Always, Some(Category::Send)),
        IntentKind::Flashlight
        | IntentKind::RingerMode
        | IntentKind::MediaVolume
        | IntentKind::DoNotDisturb
        | IntentKind::ScreenBrightness
        | IntentKind::SettingsPanel
        | IntentKind::MediaControl
        | IntentKind::TakePhoto
        | IntentKind::RecordVideo
        | IntentKind::OpenLink
        | IntentKind::ShowAlarms
        | IntentKind::NextAlarm
        | IntentKind::DismissAlarm
        | IntentKind::CancelTimer
        | IntentKind::BatteryStatus
        | IntentKind::NetworkStatus
        | IntentKind::CurrentTime
        | IntentKind::CopyToClipboard
        | IntentKind::OpenNotifications
        | IntentKind::OpenQuickSettings
        | IntentKind::LockScreen => (Tier::Always, None),
        IntentKind::SetAlarm
        | IntentKind::SetTimer
        | IntentKind::Dial
        | IntentKind::OpenSettings
        | IntentKind::WebSearch
        | IntentKind::MapSearch
        | IntentKind::Navigate
        | IntentKind::InsertEvent
        | IntentKind::ViewUrl => (Tier::Always, None),
    };
    ToolRisk { tier, category }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_round_trip_their_names() {
        for tier in Tier::ALL {
            assert_eq!(Tier::from_name(tier.name()), Some(tier));
        }
        assert_eq!(Tier::from_name("sometimes"), None);
    }

    #[test]
    fn only_what_leaves_the_phone_or_reads_personal_data_asks_by_default() {
        let asking = |tier: Tier| -> Vec<&str> {
            IntentKind::ALL
                .into_iter()
                .filter(|kind| default_risk(*kind).tier == tier)
                .map(IntentKind::name)
                .collect()
        };
        assert_eq!(
            asking(Tier::EveryTime),
            ["share_text", "send_sms", "call_number"]
        );
        assert_eq!(
            asking(Tier::FirstTime),
            [
                "find_contact",
                "next_event",
                "read_clipboard",
                "take_screenshot"
            ]
        );
        for kind in IntentKind::ALL {
            let risk = default_risk(kind);
            assert!(
                risk.tier == Tier::Always || risk.category.is_some(),
                "{}: an asking tool names what it does",
                kind.name()
            );
        }
    }
}
