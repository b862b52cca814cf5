//! Whether a model's plan is grounded in the goal it answers.
//!
//! Why: a small model copies what its prompt shows (SmolLM2-135M answered most goals of the
//! corpus with the prompt's example, an alarm at 7:30), and a direct route runs without a model
//! step, so a copied route would set an alarm nobody asked for. Precision first, as for the
//! rules: a route whose values the goal does not carry is not run; its subgoal goes through the
//! UI instead, where every step is chosen on the screen and guarded. The check is lexical:
//! strict where a value is copied from the goal (a phone number's digits, an e-mail address, a
//! web address's name), loose where rephrasing is normal (a search query or a message shares at
//! least half its words with the goal; times need a number or a time word in the goal).
//! Opening a settings page changes nothing, so it is never refused.

use crate::action::{Intent, IntentKind};

use super::rules::words::any_number;
use super::{Route, TaskPlan};

/// Replaces every route of `plan` that `goal` does not ground with UI steps; returns the plan
/// and why each replaced route was refused. When that leaves no direct route at all, the plan
/// is the goal as one UI subgoal: the model's split was built around routes it made up (a small
/// model repeats one route several times), and its subgoals would only misdirect the UI steps.
pub fn grounded_plan(mut plan: TaskPlan, goal: &str) -> (TaskPlan, Vec<String>) {
    let mut refused = Vec::new();
    for subgoal in &mut plan.subgoals {
        if let Some(why) = ungrounded(&subgoal.route, goal) {
            refused.push(format!("{}: {why}", subgoal.route));
            subgoal.route = Route::Ui { app: None };
        }
    }
    let no_route_left = plan
        .subgoals
        .iter()
        .all(|subgoal| matches!(subgoal.route, Route::Ui { .. }));
    if !refused.is_empty() && no_route_left {
        plan = TaskPlan::single_ui(goal);
    }
    (plan, refused)
}

/// Why `route` is not grounded in `goal`, or `None` when it is.
pub fn ungrounded(route: &Route, goal: &str) -> Option<String> {
    if creates(route) && undoes_without_creating(goal) {
        return Some("it creates where the goal asks to remove or turn off".into());
    }
    match route {
        Route::Ui { .. } => None,
        Route::AppAction { args, .. } => args
            .iter()
            .filter_map(|(key, value)| value.as_str().map(|text| (key, text)))
            .find(|(_, text)| !said(text, goal))
            .map(|(key, _)| format!("its {key} is not in the goal")),
        Route::Intent(intent) => ungrounded_intent(intent, goal),
    }
}

/// Whether a route makes something new: an alarm, a timer, an event, an app action named for
/// creating.
fn creates(route: &Route) -> bool {
    match route {
        Route::Intent(intent) => matches!(
            intent,
            Intent::SetAlarm { .. } | Intent::SetTimer { .. } | Intent::InsertEvent { .. }
        ),
        Route::AppAction { name, .. } => ["create", "add", "new", "set"]
            .iter()
            .any(|verb| name.starts_with(verb)),
        Route::Ui { .. } => false,
    }
}

/// Whether the goal asks to delete, cancel or turn something off and to make nothing ("Delete
/// the 22:15 alarm": a small model answered it with an alarm at 22:15).
fn undoes_without_creating(goal: &str) -> bool {
    const UNDO: [&str; 14] = [
        "delete",
        "remove",
        "cancel",
        "turn off",
        "switch off",
        "disable",
        "dismiss",
        "stop",
        "clear",
        "删除",
        "删掉",
        "取消",
        "关闭",
        "关掉",
    ];
    const MAKE: [&str; 14] = [
        "set", "create", "add", "make", "new", "schedule", "remind", "start", "wake", "设", "定",
        "创建", "添加", "新建",
    ];
    let goal = lower(goal);
    let has = |words: &[&str]| {
        words.iter().any(|word| {
            if word.is_ascii() {
                goal.split(|c: char| !c.is_ascii_alphanumeric() && c != ' ')
                    .any(|part| format!(" {part} ").contains(&format!(" {word} ")))
            } else {
                goal.contains(word)
            }
        })
    };
    has(&UNDO) && !has(&MAKE)
}

fn ungrounded_intent(intent: &Intent, goal: &str) -> Option<String> {
    let text = |name: &str, value: &Option<String>| {
        value
            .as_deref()
            .filter(|value| !said(value, goal))
            .map(|_| format!("its {name} is not in the goal"))
    };
    let time = || (!names_a_time(goal)).then(|| "the goal names no time".to_owned());
    match intent {
        Intent::SetAlarm {
            hour,
            minute,
            label,
        } => alarm_time_in(*hour, *minute, goal).or_else(|| text("label", label)),
        Intent::SetTimer { seconds, label } => {
            duration_in(*seconds, goal).or_else(|| text("label", label))
        }
        Intent::Dial { number } => number_in(number, goal),
        Intent::ComposeSms { to, body } => number_in(to, goal).or_else(|| text("body", body)),
        Intent::ComposeEmail { to, subject, body } => (!lower(goal).contains(&lower(to)))
            .then(|| "its address is not in the goal".to_owned())
            .or_else(|| text("subject", subject))
            .or_else(|| text("body", body)),
        Intent::OpenSettings { .. } => None,
        Intent::WebSearch { query } | Intent::MapSearch { query } => {
            text("query", &Some(query.clone()))
        }
        Intent::Navigate { destination } => text("destination", &Some(destination.clone())),
        Intent::ShareText { text: shared } => text("text", &Some(shared.clone())),
        Intent::InsertEvent {
            title, location, ..
        } => time()
            .or_else(|| text("title", &Some(title.clone())))
            .or_else(|| text("location", location)),
        Intent::Flashlight { on } | Intent::DoNotDisturb { on } => {
            unnamed(intent, goal).or_else(|| {
                (*on && undoes_without_creating(goal))
                    .then(|| "it turns on where the goal asks to turn off".to_owned())
            })
        }
        Intent::MediaVolume { percent } | Intent::ScreenBrightness { percent } => {
            unnamed(intent, goal).or_else(|| {
                (!numbers_in(goal).contains(&u32::from(*percent)))
                    .then(|| "its percentage is not in the goal".to_owned())
            })
        }
        Intent::DismissAlarm { hour, minute } => {
            unnamed(intent, goal).or_else(|| alarm_time_in(*hour, *minute, goal))
        }
        Intent::FindContact { name } => text("name", &Some(name.clone())),
        Intent::CopyToClipboard { text: copied } => {
            unnamed(intent, goal).or_else(|| text("text", &Some(copied.clone())))
        }
        Intent::SendSms { to, body } => {
            number_in(to, goal).or_else(|| text("body", &Some(body.clone())))
        }
        Intent::CallNumber { number } => number_in(number, goal),
        Intent::OpenLink { uri } => {
            let rest = uri.split_once(':').map_or(uri.as_str(), |(_, rest)| rest);
            let words_said = rest
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| word.len() > 2)
                .any(|word| lower(goal).contains(&lower(word)));
            (!words_said).then(|| "its link names nothing in the goal".to_owned())
        }
        // The rest take no value from the goal, but the goal must name what they touch: a
        // small model picks a tool by chance as readily as an element.
        Intent::RingerMode { .. }
        | Intent::SettingsPanel { .. }
        | Intent::MediaControl { .. }
        | Intent::TakePhoto
        | Intent::RecordVideo
        | Intent::ShowAlarms
        | Intent::NextAlarm
        | Intent::CancelTimer
        | Intent::NextEvent
        | Intent::BatteryStatus
        | Intent::NetworkStatus
        | Intent::CurrentTime
        | Intent::ReadClipboard
        | Intent::OpenNotifications
        | Intent::OpenQuickSettings
        | Intent::LockScreen
        | Intent::TakeScreenshot => unnamed(intent, goal),
        Intent::ViewUrl { url } => {
            let host = url
                .split("://")
                .last()
                .unwrap_or(url)
                .split(['/', '?', '#'])
                .next()
                .unwrap_or_default();
            let name = host.trim_start_matches("www.");
            let name = name.split('.').next().unwrap_or(name);
            (!lower(goal).contains(&lower(name)))
                .then(|| "its address is not in the goal".to_owned())
        }
    }
}

/// Why a system tool's route is not what the goal talks about: none of the tool's cue words
/// (English or Chinese) is in the goal. `None` for the standard intents, whose values ground
/// them instead.
fn unnamed(intent: &Intent, goal: &str) -> Option<String> {
    let kind = intent.kind();
    (!goal_names_tool(kind, goal))
        .then(|| format!("the goal does not mention what {} does", kind.name()))
}

/// Whether `goal` names what the system tool `kind` touches (one of its cue words, English or
/// Chinese); always for the standard intents, whose values ground them instead.
pub fn goal_names_tool(kind: IntentKind, goal: &str) -> bool {
    let cues = tool_cues(kind);
    let goal = lower(goal);
    cues.is_empty() || cues.iter().any(|cue| goal.contains(cue))
}

/// Words, lower case, of which a goal for the tool names at least one.
fn tool_cues(kind: IntentKind) -> &'static [&'static str] {
    match kind {
        IntentKind::Flashlight => &["flashlight", "torch", "手电", "闪光灯"],
        IntentKind::DoNotDisturb => &["disturb", "dnd", "勿扰", "免打扰"],
        IntentKind::RingerMode => &[
            "ring", "silen", "mute", "vibrat", "sound", "静音", "震动", "振动", "响铃", "铃声",
        ],
        IntentKind::MediaVolume => &["volume", "loud", "音量"],
        IntentKind::ScreenBrightness => &["bright", "dim", "亮度"],
        IntentKind::SettingsPanel => &[
            "wi-fi", "wifi", "internet", "nfc", "volume", "network", "网络", "无线", "音量",
        ],
        IntentKind::MediaControl => &[
            "music", "song", "track", "play", "pause", "resume", "skip", "podcast", "音乐", "歌",
            "播放", "暂停", "首",
        ],
        IntentKind::TakePhoto => &[
            "photo", "picture", "selfie", "camera", "拍照", "照片", "相机",
        ],
        IntentKind::RecordVideo => &["video", "film", "录像", "视频"],
        IntentKind::ShowAlarms | IntentKind::NextAlarm | IntentKind::DismissAlarm => {
            &["alarm", "wake", "闹钟"]
        }
        IntentKind::CancelTimer => &["timer", "countdown", "计时", "倒计时"],
        IntentKind::NextEvent => &[
            "meeting",
            "event",
            "appointment",
            "calendar",
            "schedule",
            "agenda",
            "会议",
            "日程",
            "安排",
            "日历",
        ],
        IntentKind::BatteryStatus => &["battery", "charg", "电量", "电池", "充电", "多少电"],
        IntentKind::NetworkStatus => &[
            "wi-fi",
            "wifi",
            "network",
            "online",
            "internet",
            "connected",
            "网络",
            "无线",
            "连",
        ],
        IntentKind::CurrentTime => &[
            "time", "date", "day", "clock", "几点", "时间", "几号", "星期", "周几",
        ],
        IntentKind::ReadClipboard | IntentKind::CopyToClipboard => {
            &["clipboard", "copy", "paste", "剪贴板", "复制", "粘贴"]
        }
        IntentKind::OpenNotifications => &["notification", "通知"],
        IntentKind::OpenQuickSettings => &["quick settings", "快捷设置", "控制中心"],
        IntentKind::LockScreen => &["lock", "锁"],
        IntentKind::TakeScreenshot => &["screenshot", "screen shot", "截屏", "截图"],
        _ => &[],
    }
}

/// The numbers a goal says: digit runs, English number words (`seven`, `forty-five`) and
/// Chinese numerals (`七`, `四十五`).
fn numbers_in(goal: &str) -> Vec<u32> {
    let goal = lower(goal);
    let mut numbers = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, numbers: &mut Vec<u32>| {
        if let Some(number) = any_number(run) {
            numbers.push(number);
        }
        run.clear();
    };
    // Runs of digits and runs of Chinese numerals.
    for c in goal.chars() {
        let same_kind = |other: char| {
            other.is_ascii_digit() == c.is_ascii_digit()
                && CHINESE_NUMERALS.contains(other) == CHINESE_NUMERALS.contains(c)
        };
        if c.is_ascii_digit() || CHINESE_NUMERALS.contains(c) {
            if run.chars().last().is_some_and(|last| !same_kind(last)) {
                flush(&mut run, &mut numbers);
            }
            run.push(c);
        } else if !run.is_empty() {
            flush(&mut run, &mut numbers);
        }
    }
    flush(&mut run, &mut numbers);
    // English words, alone and in pairs ("forty five").
    let words: Vec<&str> = goal
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| !word.is_empty())
        .collect();
    for (index, word) in words.iter().enumerate() {
        numbers.extend(any_number(word));
        if let Some(next) = words.get(index + 1) {
            numbers.extend(any_number(&format!("{word} {next}")));
        }
    }
    numbers
}

/// The numerals of Chinese times and durations.
const CHINESE_NUMERALS: &str = "零〇一二两三四五六七八九十";

/// Whether the goal says an alarm's hour (on a 12- or 24-hour clock) and its minute.
fn alarm_time_in(hour: u8, minute: u8, goal: &str) -> Option<String> {
    let numbers = numbers_in(goal);
    let says = |value: u32| numbers.contains(&value);
    let text = lower(goal);
    let hour = u32::from(hour);
    // "A quarter to seven" names the next hour.
    let next = (hour + 1) % 24;
    let hour_said = says(hour)
        || says(hour % 12)
        || (text.contains(" to ") && (says(next) || says(next % 12)))
        || (hour % 12 == 0 && (text.contains("noon") || text.contains("midnight")));
    let minute = u32::from(minute);
    let minute_said = minute == 0
        || says(minute)
        || (minute == 30 && (text.contains("half") || text.contains('半')))
        || (matches!(minute, 15 | 45) && (text.contains("quarter") || text.contains('刻')));
    (!(hour_said && minute_said)).then(|| "the goal does not say its time".to_owned())
}

/// Whether the goal says a timer's length, in seconds, minutes or hours (or a half or quarter).
fn duration_in(seconds: u32, goal: &str) -> Option<String> {
    let numbers = numbers_in(goal);
    let says = |value: u32| numbers.contains(&value);
    let text = lower(goal);
    // One number in seconds, minutes or hours, or two together ("1 hour 30 minutes", "2
    // minutes 30 seconds").
    let pairs = numbers.iter().enumerate().any(|(at, big)| {
        numbers.iter().skip(at + 1).any(|small| {
            let seconds = u64::from(seconds);
            let (big, small) = (u64::from(*big), u64::from(*small));
            big * 3600 + small * 60 == seconds || big * 60 + small == seconds
        })
    });
    // A single number counts in the unit the goal names: "12 minutes" is not 12 seconds.
    let names = |units: &[&str]| units.iter().any(|unit| text.contains(unit));
    let single = (says(seconds) && names(&["sec", "秒"]))
        || (seconds.is_multiple_of(60) && says(seconds / 60) && names(&["min", "分"]))
        || (seconds.is_multiple_of(3600)
            && says(seconds / 3600)
            && names(&["hour", "小时", "钟头"]));
    let said = single
        || pairs
        || ["half", "quarter", "半", "刻"]
            .iter()
            .any(|word| text.contains(word));
    (!said).then(|| "the goal does not say its length".to_owned())
}

fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// A phone number whose digits the goal carries.
fn number_in(number: &str, goal: &str) -> Option<String> {
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let wanted = digits(number);
    (wanted.is_empty() || !digits(goal).contains(&wanted))
        .then(|| "its number is not in the goal".to_owned())
}

/// Whether the goal names a time, a duration or a day: a digit, a number word, or a time word.
fn names_a_time(goal: &str) -> bool {
    const WORDS: [&str; 40] = [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "ninety",
        "hundred",
        "half",
        "quarter",
        "noon",
        "midnight",
        "hour",
        "minute",
        "second",
        "morning",
        "evening",
        "night",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "week",
    ];
    let goal = lower(goal);
    goal.chars().any(|c| {
        c.is_ascii_digit()
            || c.is_numeric()
            || "〇零一二两三四五六七八九十百半点分秒钟天周".contains(c)
    }) || goal
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| WORDS.iter().any(|time| word.starts_with(time)))
}

/// Whether the goal says `text`: it contains it (ignoring case and punctuation), or at least
/// half of its words (of its characters, for text without spaces such as Chinese).
fn said(text: &str, goal: &str) -> bool {
    let clean = |text: &str| -> String {
        text.to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (text, goal) = (clean(text), clean(goal));
    if text.is_empty() || goal.contains(&text) {
        return true;
    }
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() > 1 {
        let goal_words: Vec<&str> = goal.split(' ').collect();
        words
            .iter()
            .filter(|word| goal_words.contains(word))
            .count()
            * 2
            >= words.len()
    } else {
        let chars: Vec<char> = text.chars().collect();
        chars.iter().filter(|c| goal.contains(**c)).count() * 2 >= chars.len() && !text.is_ascii()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::SettingsPage;

    fn alarm(hour: u8, minute: u8, label: Option<&str>) -> Route {
        Route::Intent(Intent::SetAlarm {
            hour,
            minute,
            label: label.map(str::to_owned),
        })
    }

    #[test]
    fn a_copied_example_alarm_is_refused_and_a_real_one_kept() {
        assert_eq!(
            ungrounded(&alarm(7, 30, None), "What is the model name of this phone?").as_deref(),
            Some("the goal does not say its time")
        );
        // Numbers that are not the alarm's time.
        for goal in [
            "Set the screen brightness to 70%",
            "Turn off the 07:00 alarm",
            "Text Maria: 'Running 10 minutes late'",
            "Buy 2 × Canvas Tote Bag",
        ] {
            assert!(ungrounded(&alarm(7, 30, None), goal).is_some(), "{goal}");
        }
        assert_eq!(ungrounded(&alarm(19, 30, None), "alarm at 7:30 pm"), None);
        assert!(ungrounded(&alarm(22, 15, None), "Delete the 22:15 alarm").is_some());
        assert!(ungrounded(&alarm(7, 0, None), "取消早上七点的闹钟").is_some());
        assert_eq!(
            ungrounded(&alarm(7, 0, None), "Turn off Wi-Fi and set an alarm for 7"),
            None
        );
        assert_eq!(
            ungrounded(&alarm(6, 45, None), "wake me at a quarter to seven"),
            None
        );
        assert_eq!(
            ungrounded(
                &alarm(6, 45, Some("Gym")),
                "Set an alarm for 6:45 labelled Gym"
            ),
            None
        );
        assert_eq!(
            ungrounded(&alarm(5, 30, None), "wake me at half past five"),
            None
        );
        assert_eq!(ungrounded(&alarm(22, 0, None), "晚上十点叫我"), None);
        assert_eq!(
            ungrounded(&alarm(7, 45, None), "明天早上七点四十五叫我"),
            None
        );
        let timer = |seconds| {
            Route::Intent(Intent::SetTimer {
                seconds,
                label: None,
            })
        };
        assert_eq!(ungrounded(&timer(720), "Set a timer for 12 minutes"), None);
        assert_eq!(ungrounded(&timer(600), "倒计时十分钟"), None);
        assert!(ungrounded(&timer(300), "Set a timer for 12 minutes").is_some());
        // A small model's 12-second timer for "12 minutes".
        assert!(ungrounded(&timer(12), "Set a timer for 12 minutes").is_some());
        assert_eq!(ungrounded(&timer(90), "timer for 90 seconds"), None);
        assert!(ungrounded(&alarm(6, 45, Some("Gym")), "Set an alarm for 6:45").is_some());
    }

    #[test]
    fn copied_values_must_be_in_the_goal_and_rephrasings_may_differ() {
        let sms = |to: &str, body: &str| {
            Route::Intent(Intent::ComposeSms {
                to: to.into(),
                body: Some(body.into()),
            })
        };
        let goal = "Text +1 415-555-0123 saying 'Your table is ready'";
        assert_eq!(
            ungrounded(&sms("+14155550123", "Your table is ready"), goal),
            None
        );
        assert!(ungrounded(&sms("+14155550199", "Your table is ready"), goal).is_some());
        assert!(ungrounded(&sms("+14155550123", "Send money now"), goal).is_some());
        let search = |query: &str| {
            Route::Intent(Intent::WebSearch {
                query: query.into(),
            })
        };
        assert_eq!(
            ungrounded(&search("weather Paris"), "What's the weather in Paris?"),
            None
        );
        assert!(ungrounded(&search("cheap flights"), "What's the weather in Paris?").is_some());
        assert_eq!(ungrounded(&search("北京天气"), "搜索一下北京的天气"), None);
        let url = Route::Intent(Intent::ViewUrl {
            url: "https://www.wikipedia.org/wiki/Lobster".into(),
        });
        assert_eq!(ungrounded(&url, "open wikipedia"), None);
        assert!(ungrounded(&url, "open the news").is_some());
    }

    #[test]
    fn a_system_tool_needs_a_goal_that_names_what_it_touches() {
        let route = |intent: Intent| Route::Intent(intent);
        let silent = route(Intent::RingerMode {
            mode: crate::action::RingerMode::Silent,
        });
        assert!(ungrounded(&silent, "Turn off Wi-Fi").is_some());
        assert_eq!(ungrounded(&silent, "Silence my phone"), None);
        assert_eq!(ungrounded(&silent, "手机静音"), None);
        assert!(ungrounded(&route(Intent::LockScreen), "Set an alarm for 7").is_some());
        assert_eq!(
            ungrounded(&route(Intent::BatteryStatus), "电量还剩多少"),
            None
        );
        let torch_on = route(Intent::Flashlight { on: true });
        assert_eq!(ungrounded(&torch_on, "Turn on the flashlight"), None);
        assert!(ungrounded(&torch_on, "Turn off the flashlight").is_some());
        assert!(ungrounded(&torch_on, "Turn on Bluetooth").is_some());
        let volume = route(Intent::MediaVolume { percent: 30 });
        assert_eq!(ungrounded(&volume, "Set the media volume to 30%"), None);
        assert!(ungrounded(&volume, "Set the media volume to 40%").is_some());
        assert!(ungrounded(&volume, "Set the brightness to 30%").is_some());
        // A plan of made-up routes only is the goal as one UI subgoal.
        let repeated = TaskPlan {
            subgoals: vec![
                crate::planner::Subgoal::new("a", silent.clone()),
                crate::planner::Subgoal::new("b", silent),
            ],
        };
        let (plan, refused) = grounded_plan(repeated, "Turn off Wi-Fi");
        assert_eq!(refused.len(), 2);
        assert_eq!(plan, TaskPlan::single_ui("Turn off Wi-Fi"));
    }

    #[test]
    fn every_route_the_rules_read_from_the_corpus_is_grounded() {
        // The rules take every value from the goal, so none of their routes may be refused:
        // the check must not cost a right plan.
        let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/goals.jsonl");
        let notes = [crate::device::AppActionInfo::undeclared(
            "notes.create_note",
            "com.example.notes",
            "",
        )];
        let today = super::super::CivilDate {
            year: 2026,
            month: 12,
            day: 7,
        };
        let mut routes = 0;
        for line in std::fs::read_to_string(corpus).unwrap_or_default().lines() {
            let goal: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let goal = goal["goal"].as_str().unwrap_or_default();
            let Some(plan) =
                super::super::plan_by_rules(goal, &[], &notes, today, crate::action::ToolSet::ALL)
            else {
                continue;
            };
            for subgoal in &plan.subgoals {
                routes += 1;
                assert_eq!(
                    ungrounded(&subgoal.route, goal),
                    None,
                    "{goal}: {}",
                    subgoal.route
                );
            }
        }
        assert!(routes > 100, "{routes} routes");
    }

    #[test]
    fn a_plan_keeps_its_grounded_routes_and_sends_the_rest_through_the_ui() {
        let plan = TaskPlan {
            subgoals: vec![
                super::super::Subgoal::new(
                    "",
                    Route::Intent(Intent::OpenSettings {
                        page: SettingsPage::Wifi,
                    }),
                ),
                super::super::Subgoal::new("", alarm(7, 30, None)),
            ],
        };
        let (plan, refused) = grounded_plan(plan, "Turn on Wi-Fi");
        assert!(matches!(plan.subgoals[0].route, Route::Intent(_)));
        assert_eq!(plan.subgoals[1].route, Route::Ui { app: None });
        assert_eq!(refused.len(), 1);
        assert!(refused[0].contains("does not say its time"), "{refused:?}");
    }
}
