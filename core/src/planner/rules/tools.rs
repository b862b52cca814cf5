//! Clauses a system tool serves in one call, in English and Chinese: the flashlight, Do Not
//! Disturb, the ringer, the media volume and keys, the battery, the time, the next alarm and
//! event, the network, the clipboard, an alarm switched off, the timer, screenshots, the lock,
//! the shade and the camera.
//!
//! Why apart from the other readers: these goals were UI tasks (or questions answered by
//! reading screens) before the catalog had tools; each pattern here is a whole clause whose
//! meaning is one tool call, so reading it is as sure as the alarm and timer patterns. A clause
//! that only resembles one ("turn the volume up", "play some jazz") is left to the model.

use std::sync::LazyLock;

use regex::Regex;

use super::clock::{chinese_clock, english_clock};
use super::words::english_number;
use super::{Context, intent, unquote};
use crate::action::{Intent, MediaCommand, RingerMode};
use crate::planner::Subgoal;

/// A whole-clause pattern, in English (case-insensitive, "please" and "can you" allowed in
/// front) or Chinese ("请", "帮我" allowed in front).
fn regex(pattern: &str) -> Option<Regex> {
    Regex::new(&format!(
        "(?i)^(?:please\\s+|can you\\s+|could you\\s+|请|帮我|麻烦|给我)?(?:{pattern})[.!?。！？]?$"
    ))
    .ok()
}

/// Patterns, each with the tool it means.
struct Table(Vec<(Regex, Intent)>);

impl Table {
    fn new(rows: &[(&str, Intent)]) -> Table {
        Table(
            rows.iter()
                .filter_map(|(pattern, intent)| Some((regex(pattern)?, intent.clone())))
                .collect(),
        )
    }

    fn find(&self, clause: &str) -> Option<Intent> {
        self.0
            .iter()
            .find(|(pattern, _)| pattern.is_match(clause))
            .map(|(_, intent)| intent.clone())
    }
}

/// Clauses with no slot: the whole clause names the tool and its arguments.
static FIXED: LazyLock<Table> = LazyLock::new(|| {
    let on = |on| Intent::Flashlight { on };
    let dnd = |on| Intent::DoNotDisturb { on };
    let ringer = |mode| Intent::RingerMode { mode };
    let media = |command| Intent::MediaControl { command };
    Table::new(&[
        (
            r"(?:turn|switch)\s+on\s+(?:the\s+|my\s+)?(?:flashlight|torch)|(?:turn|switch)\s+(?:the\s+|my\s+)?(?:flashlight|torch)\s+on|(?:打开|开启|开)(?:手电筒|闪光灯)",
            on(true),
        ),
        (
            r"(?:turn|switch)\s+off\s+(?:the\s+|my\s+)?(?:flashlight|torch)|(?:turn|switch)\s+(?:the\s+|my\s+)?(?:flashlight|torch)\s+off|(?:关闭|关掉|关上|关)(?:手电筒|闪光灯)",
            on(false),
        ),
        (
            r"(?:turn|switch)\s+on\s+(?:the\s+)?(?:do not disturb|dnd)(?:\s+mode)?|(?:enable|activate)\s+(?:do not disturb|dnd)|(?:打开|开启|开)(?:勿扰模式|免打扰模式|免打扰)",
            dnd(true),
        ),
        (
            r"(?:turn|switch)\s+off\s+(?:the\s+)?(?:do not disturb|dnd)(?:\s+mode)?|disable\s+(?:do not disturb|dnd)|(?:关闭|关掉|关)(?:勿扰模式|免打扰模式|免打扰)",
            dnd(false),
        ),
        (
            r"(?:silence|mute)\s+(?:my|the)\s+(?:phone|ringer)|(?:put|set|switch)\s+(?:my|the)\s+phone\s+(?:on|to)\s+silent(?:\s+mode)?|(?:手机)?静音|(?:把手机)?(?:调成|调到|设为|切换到)静音(?:模式)?|(?:打开|开启)静音模式",
            ringer(RingerMode::Silent),
        ),
        (
            r"(?:put|set|switch)\s+(?:my|the)\s+phone\s+(?:on|to)\s+vibrat(?:e|ion)(?:\s+mode)?|(?:手机)?(?:调成|调到|设为|切换到)(?:震动|振动)(?:模式)?",
            ringer(RingerMode::Vibrate),
        ),
        (
            r"unmute\s+(?:my|the)\s+(?:phone|ringer)|(?:turn|switch)\s+(?:the\s+)?ringer\s+(?:back\s+)?on|取消静音|(?:调成|调到|切换到)响铃(?:模式)?",
            ringer(RingerMode::Normal),
        ),
        (
            r"(?:pause|stop)\s+(?:the\s+|my\s+)?(?:music|song|playback|podcast)|暂停(?:音乐|播放|歌曲)?|停止播放",
            media(MediaCommand::Pause),
        ),
        (
            r"(?:resume|continue)\s+(?:the\s+)?(?:music|playback)|继续播放",
            media(MediaCommand::Play),
        ),
        (
            r"(?:skip\s+(?:this|the)\s+(?:song|track)|(?:play\s+)?(?:the\s+)?next\s+(?:song|track))|下一首(?:歌)?",
            media(MediaCommand::Next),
        ),
        (
            r"(?:play\s+)?(?:the\s+)?previous\s+(?:song|track)|上一首(?:歌)?",
            media(MediaCommand::Previous),
        ),
        (
            r"what(?:'s|\s+is)\s+my\s+battery(?:\s+level|\s+percentage|\s+at)?|how much battery (?:do i have(?: left)?|is left)|(?:check|show)\s+(?:my\s+|the\s+)?battery(?:\s+level)?|battery level|电量(?:还剩|还有)?多少|还(?:剩|有)多少电(?:量)?|(?:查看|看看)电量",
            Intent::BatteryStatus,
        ),
        (
            r"what time is it(?:\s+now)?|what(?:'s|\s+is)\s+the\s+time(?:\s+now)?|what(?:'s|\s+is)\s+(?:the\s+date\s+)?today(?:'s\s+date)?|what day is (?:it|today)|现在几点(?:了|钟)?|几点了|今天(?:几号|星期几|周几)",
            Intent::CurrentTime,
        ),
        (
            r"when\s+(?:does|will)\s+my\s+next\s+alarm\s+(?:ring|go off)|(?:when|what time)\s+is\s+my\s+next\s+alarm|下一个闹钟(?:是)?(?:几点|什么时候)(?:响)?",
            Intent::NextAlarm,
        ),
        (
            r"what(?:'s|\s+is)\s+(?:on\s+)?my\s+next\s+(?:meeting|event|appointment)|what(?:'s|\s+is)\s+next\s+(?:on|in)\s+my\s+calendar|what(?:'s|\s+is)\s+on\s+my\s+calendar(?:\s+today)?|when\s+is\s+my\s+next\s+(?:meeting|appointment)|我(?:的)?下一个(?:会议|日程|安排)(?:是什么|是啥)?|(?:今天)?(?:有什么|有哪些)日程",
            Intent::NextEvent,
        ),
        (
            r"which\s+wi-?fi(?:\s+network)?\s+am\s+i\s+(?:connected\s+to|on)|what\s+(?:wi-?fi\s+)?network\s+am\s+i\s+(?:connected\s+to|on)|am\s+i\s+(?:connected\s+to|on)\s+(?:the\s+)?wi-?fi|am i online|(?:现在)?连(?:的|接的)是?(?:哪个|什么)(?:wi-?fi|无线网络|无线网|网络)",
            Intent::NetworkStatus,
        ),
        (
            r"what(?:'s|\s+is)\s+(?:on|in)\s+(?:my|the)\s+clipboard|剪贴板(?:里|上)?(?:有|是)什么",
            Intent::ReadClipboard,
        ),
        (
            r"(?:cancel|stop)\s+(?:the|my)\s+timer|(?:取消|停止|关掉)计时器?",
            Intent::CancelTimer,
        ),
        (
            r"(?:show|open)\s+(?:me\s+)?my\s+alarms|(?:查看|打开)(?:我的)?闹钟(?:列表)?",
            Intent::ShowAlarms,
        ),
        (
            r"take\s+a\s+screenshot|截(?:个)?屏|截(?:个)?图",
            Intent::TakeScreenshot,
        ),
        (
            r"lock\s+(?:my|the)\s+(?:phone|screen)|锁屏|锁定屏幕",
            Intent::LockScreen,
        ),
        (
            r"(?:open|show)\s+(?:me\s+)?(?:my\s+|the\s+)?notifications|(?:打开|下拉)通知(?:栏|中心)?",
            Intent::OpenNotifications,
        ),
        (
            r"(?:open|show)\s+(?:the\s+)?quick settings|打开快捷设置",
            Intent::OpenQuickSettings,
        ),
        (
            r"take\s+a\s+(?:photo|picture|selfie)|拍(?:张|个)?(?:照|照片)",
            Intent::TakePhoto,
        ),
        (
            r"(?:record|take|shoot)\s+a\s+video|录(?:个|段)?(?:像|视频)",
            Intent::RecordVideo,
        ),
    ])
});

/// The clause's subgoal when a system tool serves it.
pub(super) fn read(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    let tool = FIXED
        .find(clause)
        .or_else(|| media_volume(clause))
        .or_else(|| copy(clause))
        .or_else(|| dismiss_alarm(clause))
        .or_else(|| contact_number(clause, context))?;
    intent(clause, tool)
}

/// "What is Ana Castillo's mobile number?", "安娜的电话号码是多少": the contact looked up
/// (`find_contact`, whose answer holds the number), where the phone runs that tool. An
/// English name is capitalised words; a Chinese one 2–4 characters that are not a pronoun
/// ("我的电话号码" is the user's own, not a contact's).
fn contact_number(clause: &str, context: &Context<'_>) -> Option<Intent> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"(?:what(?:'s|\s+is)|tell\s+me|give\s+me|find|show\s+me)\s+(?P<en>(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}))'s\s+(?:mobile\s+|cell\s+|phone\s+|telephone\s+)?(?:phone\s+)?number",
            r"(?:查一下|查查|告诉我)?(?P<zh>\p{Han}{2,4})的(?:手机|电话)(?:号码|号)?(?:是多少|是什么)?",
        ]
        .into_iter()
        .filter_map(regex)
        .collect()
    });
    if !context
        .tools
        .contains(crate::action::IntentKind::FindContact)
    {
        return None;
    }
    PATTERNS.iter().find_map(|pattern| {
        let captures = pattern.captures(clause)?;
        let name = captures.name("en").or(captures.name("zh"))?.as_str();
        if name.starts_with(['我', '你', '他', '她', '它', '咱']) {
            return None;
        }
        Some(Intent::FindContact {
            name: name.to_owned(),
        })
    })
}

/// "Set the media volume to 30%", "把音量调到30%".
fn media_volume(clause: &str) -> Option<Intent> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:set|turn|change)\s+(?:the\s+)?(?:media\s+|music\s+)?volume\s+to\s+(?P<n>\w+)\s*(?:%|percent)?|(?:把)?(?:媒体|音乐)?音量(?:调到|调成|设为|设置为|设置成)(?P<zh>[0-9]+)\s*%?",
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let number = match (captures.name("n"), captures.name("zh")) {
        (Some(word), _) => word
            .as_str()
            .parse()
            .ok()
            .or_else(|| english_number(word.as_str()))?,
        (None, Some(digits)) => digits.as_str().parse().ok()?,
        (None, None) => return None,
    };
    let percent = u8::try_from(number)
        .ok()
        .filter(|percent| *percent <= 100)?;
    Some(Intent::MediaVolume { percent })
}

/// "Copy 'Gate code 4521' to the clipboard", "复制“…”": only quoted text, which bounds it.
fn copy(clause: &str) -> Option<Intent> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r#"copy\s+(?P<text>"[^"]+"|'[^']+')(?:\s+to\s+(?:the|my)\s+clipboard)?|复制\s*(?:“(?P<zh>[^”]+)”|"(?P<zh2>[^"]+)")(?:到剪贴板)?"#,
        )
    });
    let captures = PATTERN.as_ref()?.captures(clause)?;
    let text = captures
        .name("text")
        .map(|text| unquote(text.as_str()))
        .or_else(|| {
            captures
                .name("zh")
                .or(captures.name("zh2"))
                .map(|t| t.as_str().trim())
        })?;
    (!text.is_empty()).then(|| Intent::CopyToClipboard {
        text: text.to_owned(),
    })
}

/// "Turn off the 7:00 alarm", "关掉早上七点的闹钟": the alarm switched off, kept.
fn dismiss_alarm(clause: &str) -> Option<Intent> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"(?:turn|switch)\s+off\s+(?:the|my)\s+(?P<en>.+?)\s+alarm",
            r"(?:disable|dismiss)\s+(?:the|my)\s+(?P<en>.+?)\s+alarm",
            r"(?:关掉|关闭|关上|取消)(?P<zh>.+?)的闹钟",
        ]
        .into_iter()
        .filter_map(regex)
        .collect()
    });
    PATTERNS.iter().find_map(|pattern| {
        let captures = pattern.captures(clause)?;
        let (hour, minute) = match (captures.name("en"), captures.name("zh")) {
            (Some(time), _) => english_clock(time.as_str())?,
            (None, Some(time)) => chinese_clock(time.as_str())?,
            (None, None) => return None,
        };
        Some(Intent::DismissAlarm { hour, minute })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::{CivilDate, Route};

    fn tool(clause: &str) -> Option<Intent> {
        let context = Context {
            installed: &[],
            app_actions: &[],
            today: CivilDate {
                year: 2026,
                month: 11,
                day: 23,
            },
            tools: crate::action::ToolSet::ALL,
        };
        let subgoals = read(clause, &context)?;
        assert_eq!(subgoals.len(), 1, "{clause}");
        match &subgoals[0].route {
            Route::Intent(intent) => Some(intent.clone()),
            other => panic!("{clause}: {other:?}"),
        }
    }

    #[test]
    fn each_tool_clause_reads_in_english_and_chinese() {
        let cases = [
            ("Turn on the flashlight", Intent::Flashlight { on: true }),
            ("打开手电筒", Intent::Flashlight { on: true }),
            ("switch the torch off", Intent::Flashlight { on: false }),
            ("Turn on Do Not Disturb", Intent::DoNotDisturb { on: true }),
            ("关闭勿扰模式", Intent::DoNotDisturb { on: false }),
            (
                "Silence my phone",
                Intent::RingerMode {
                    mode: RingerMode::Silent,
                },
            ),
            (
                "手机静音",
                Intent::RingerMode {
                    mode: RingerMode::Silent,
                },
            ),
            (
                "put my phone on vibrate",
                Intent::RingerMode {
                    mode: RingerMode::Vibrate,
                },
            ),
            (
                "Pause the music",
                Intent::MediaControl {
                    command: MediaCommand::Pause,
                },
            ),
            (
                "下一首",
                Intent::MediaControl {
                    command: MediaCommand::Next,
                },
            ),
            ("What's my battery level?", Intent::BatteryStatus),
            ("电量还剩多少", Intent::BatteryStatus),
            ("What time is it?", Intent::CurrentTime),
            ("现在几点了", Intent::CurrentTime),
            ("When does my next alarm ring?", Intent::NextAlarm),
            ("What's my next meeting?", Intent::NextEvent),
            (
                "Which Wi-Fi network am I connected to?",
                Intent::NetworkStatus,
            ),
            ("Take a screenshot", Intent::TakeScreenshot),
            ("锁屏", Intent::LockScreen),
            ("cancel the timer", Intent::CancelTimer),
            (
                "Set the media volume to 30%",
                Intent::MediaVolume { percent: 30 },
            ),
            (
                "set the volume to fifty percent",
                Intent::MediaVolume { percent: 50 },
            ),
            ("把音量调到20%", Intent::MediaVolume { percent: 20 }),
            (
                "Copy 'Gate code 4521' to the clipboard",
                Intent::CopyToClipboard {
                    text: "Gate code 4521".into(),
                },
            ),
            (
                "复制“门禁码4521”",
                Intent::CopyToClipboard {
                    text: "门禁码4521".into(),
                },
            ),
            (
                "Turn off the 7:00 alarm",
                Intent::DismissAlarm { hour: 7, minute: 0 },
            ),
            (
                "turn off the 10 pm alarm",
                Intent::DismissAlarm {
                    hour: 22,
                    minute: 0,
                },
            ),
        ];
        for (clause, expected) in cases {
            assert_eq!(tool(clause), Some(expected), "{clause}");
        }
    }

    #[test]
    fn look_alikes_are_left_to_the_model() {
        for clause in [
            "Turn the volume up",
            "Set the alarm volume to max",
            "Set the media volume to 130%",
            "Play some jazz",
            "Copy my notes to the clipboard",
            "Turn off the alarm",
            "What's the battery saver?",
            "Turn off the lights in the kitchen",
        ] {
            assert_eq!(tool(clause), None, "{clause}");
        }
    }
}
