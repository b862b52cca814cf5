//! Times of day and lengths of time, as people say them: "6:45", "half past five", "7 pm",
//! "noon", "晚上十点", "下午三点半"; "90 seconds", "1 hour 30 minutes", "half an hour", "十分钟",
//! "一个半小时".
//!
//! Why whole-phrase matching: the rules answer only when sure, so a phrase either reads
//! completely as a time (or a length) or not at all; "at 7 with Ana" is not a time.

use std::sync::LazyLock;

use regex::Regex;

use super::words::{any_number, chinese_number, english_number};

/// A time of day: hour 0–23, minute 0–59.
pub(super) type Clock = (u8, u8);

/// Number words from zero to fifty-nine, as a regex alternation (longest first where one word
/// starts another, so `seventeen` is not read as `seven`).
const EN_WORDS: &str = "(?:twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\
     |eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen\
     |zero|one|two|three|four|five|six|seven|eight|nine|ten";
/// Numbers as the Chinese patterns accept them: digits or numerals.
const ZH_NUM: &str = "[0-9零〇一二两三四五六七八九十]{1,3}";

/// A pattern, or `None` if it does not compile: then it reads nothing (the unit tests below
/// would fail).
fn regex(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

/// An English time of day, with an optional day word (`tomorrow`, `today`, `tonight`) around it.
pub(super) fn english_clock(text: &str) -> Option<Clock> {
    static DAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"^(?i)(?:(?:tomorrow|today)(?: morning| evening)?\s+(?:at\s+)?)?(.+?)(?:\s+(tomorrow|today))?$",
        )
    });
    let captures = DAY.as_ref()?.captures(text.trim())?;
    let phrase = captures.get(1)?.as_str().to_lowercase();
    let morning = text.to_lowercase().contains("morning");
    let evening = text.to_lowercase().contains("evening");
    let (phrase, period) = split_period(&phrase);
    let period = period.or(if evening {
        Some(Period::Pm)
    } else if morning {
        Some(Period::Am)
    } else {
        None
    });
    let (hour, minute) = bare_english_clock(phrase)?;
    with_period(hour, minute, period)
}

/// Morning or afternoon, as said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Am,
    Pm,
}

/// The phrase without its `am`/`pm` (or `in the morning`, `at night`, …), and which it was.
fn split_period(phrase: &str) -> (&str, Option<Period>) {
    const SUFFIXES: [(&str, Period); 10] = [
        ("a.m.", Period::Am),
        ("a.m", Period::Am),
        ("am", Period::Am),
        ("in the morning", Period::Am),
        ("p.m.", Period::Pm),
        ("p.m", Period::Pm),
        ("pm", Period::Pm),
        ("in the afternoon", Period::Pm),
        ("in the evening", Period::Pm),
        ("at night", Period::Pm),
    ];
    for (suffix, period) in SUFFIXES {
        if let Some(rest) = phrase.strip_suffix(suffix) {
            return (rest.trim(), Some(period));
        }
    }
    if let Some(rest) = phrase.strip_suffix("tonight") {
        return (rest.trim(), Some(Period::Pm));
    }
    (phrase, None)
}

/// `6:45`, `6.45`, `7`, `seven`, `seven o'clock`, `six forty-five`, `half past six`,
/// `quarter to eight`, `ten past six`, `noon`, `midnight`: hour as said (0–23) and minute.
fn bare_english_clock(phrase: &str) -> Option<Clock> {
    static DIGITS: LazyLock<Option<Regex>> =
        LazyLock::new(|| regex(r"^(\d{1,2})(?:[:.](\d{2}))?(?:\s*o'?clock)?$"));
    static RELATIVE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            r"^(half|quarter|\d{{1,2}}|{EN_WORDS})(?: minutes?)? (past|after|to|before) (\d{{1,2}}|{EN_WORDS})$"
        ))
    });
    static WORDS: LazyLock<Option<Regex>> =
        LazyLock::new(|| regex(&format!(r"^({EN_WORDS})(?:\s+o'?clock|\s+({EN_WORDS}))?$")));
    let phrase = phrase.trim();
    match phrase {
        "noon" | "midday" | "12 noon" => return Some((12, 0)),
        "midnight" | "12 midnight" => return Some((0, 0)),
        _ => {}
    }
    if let Some(captures) = DIGITS.as_ref()?.captures(phrase) {
        let hour = captures.get(1)?.as_str().parse::<u8>().ok()?;
        let minute = match captures.get(2) {
            Some(minute) => minute.as_str().parse::<u8>().ok()?,
            None => 0,
        };
        return valid(hour, minute);
    }
    if let Some(captures) = RELATIVE.as_ref()?.captures(phrase) {
        let minutes = match captures.get(1)?.as_str() {
            "half" => 30,
            "quarter" => 15,
            number => english_number(number).filter(|minutes| *minutes <= 30)?,
        };
        let hour = u8::try_from(english_number(captures.get(3)?.as_str())?).ok()?;
        if !(1..=12).contains(&hour) {
            return None;
        }
        let minutes = u8::try_from(minutes).ok()?;
        return match captures.get(2)?.as_str() {
            "past" | "after" => valid(hour, minutes),
            _ => valid((hour + 11) % 12, 60 - minutes).map(|(hour, minute)| {
                // "quarter to twelve" is 11:45; "quarter to one" is 12:45.
                (if hour == 0 { 12 } else { hour }, minute)
            }),
        };
    }
    let captures = WORDS.as_ref()?.captures(phrase)?;
    let hour = u8::try_from(english_number(captures.get(1)?.as_str())?).ok()?;
    if !(1..=12).contains(&hour) {
        return None;
    }
    let minute = match captures.get(2) {
        Some(minute) => u8::try_from(english_number(minute.as_str())?).ok()?,
        None => 0,
    };
    // "six five" is not a time; "six oh five" is not handled either.
    if captures.get(2).is_some() && minute < 10 {
        return None;
    }
    valid(hour, minute)
}

/// `hour:minute` if it is a time of day.
fn valid(hour: u8, minute: u8) -> Option<Clock> {
    (hour <= 23 && minute <= 59).then_some((hour, minute))
}

/// The 24-hour time for `hour` as said with `period`: `7 pm` is 19, `12 am` is 0; an hour past
/// 12 cannot take a period.
fn with_period(hour: u8, minute: u8, period: Option<Period>) -> Option<Clock> {
    match period {
        None => valid(hour, minute),
        Some(_) if !(1..=12).contains(&hour) => None,
        Some(Period::Am) => valid(hour % 12, minute),
        Some(Period::Pm) => valid(hour % 12 + 12, minute),
    }
}

/// A Chinese time of day: `七点`, `7点半`, `早上六点四十五`, `下午三点一刻`, `晚上十点`, `中午12点`,
/// `凌晨两点`, `明天早上7:30`.
pub(super) fn chinese_clock(text: &str) -> Option<Clock> {
    static CLOCK: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            "^(?:明天|今天|后天)?(早上|早晨|清晨|上午|凌晨|中午|下午|傍晚|晚上|夜里|今晚)?\
             ({ZH_NUM})(?:点|點|时|:)(?:(半|一刻|三刻|{ZH_NUM})分?)?钟?$"
        ))
    });
    let text = text.trim();
    let text = text
        .strip_prefix("今晚")
        .map_or_else(|| text.to_owned(), |rest| format!("晚上{rest}"));
    let captures = CLOCK.as_ref()?.captures(&text)?;
    let hour = u8::try_from(chinese_number(captures.get(2)?.as_str())?).ok()?;
    let minute = match captures.get(3).map(|minute| minute.as_str()) {
        None => 0,
        Some("半") => 30,
        Some("一刻") => 15,
        Some("三刻") => 45,
        Some(number) => u8::try_from(chinese_number(number)?).ok()?,
    };
    let hour = match captures.get(1).map(|period| period.as_str()) {
        Some("下午" | "傍晚" | "晚上" | "夜里") if (1..=11).contains(&hour) => hour + 12,
        Some("晚上" | "夜里") if hour == 12 => 0,
        Some("中午") if (1..=2).contains(&hour) => hour + 12,
        Some("凌晨") if hour == 12 => 0,
        Some("早上" | "早晨" | "清晨" | "上午" | "凌晨") if hour > 12 => return None,
        _ => hour,
    };
    valid(hour, minute)
}

/// A time of day in either language.
pub(super) fn clock(text: &str) -> Option<Clock> {
    english_clock(text).or_else(|| chinese_clock(text))
}

/// A length of time in seconds, 1 to 86,400 (what a timer takes): `90 seconds`, `12 minutes`,
/// `1 hour 30 minutes`, `1h30m`, `an hour`, `half an hour`, `1.5 hours`, `十分钟`, `一个半小时`,
/// `1小时20分钟`, `三十秒`.
pub(super) fn duration(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase();
    let seconds = english_duration(&text).or_else(|| chinese_duration(&text))?;
    (1..=86_400).contains(&seconds).then_some(seconds)
}

fn english_duration(text: &str) -> Option<u32> {
    static PARTS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            r"^(?:(\d+\.\d+|\d+|{EN_WORDS}|an?)\s*(?:hours?|hrs?|h))?(?:,?\s*(?:and\s+)?(\d+|{EN_WORDS}|an?)\s*(?:minutes?|mins?|m))?(?:,?\s*(?:and\s+)?(\d+|{EN_WORDS}|an?)\s*(?:seconds?|secs?|s))?$"
        ))
    });
    match text {
        "half an hour" | "half hour" | "a half hour" => return Some(1_800),
        "an hour and a half" | "one and a half hours" | "one hour and a half" => {
            return Some(5_400);
        }
        "a quarter of an hour" | "quarter of an hour" | "quarter hour" => return Some(900),
        _ => {}
    }
    let captures = PARTS.as_ref()?.captures(text)?;
    if captures.get(1).is_none() && captures.get(2).is_none() && captures.get(3).is_none() {
        return None;
    }
    let count = |index: usize| -> Option<Option<f64>> {
        match captures.get(index).map(|part| part.as_str()) {
            None => Some(None),
            Some("a" | "an") => Some(Some(1.0)),
            Some(number) if number.contains('.') => number.parse::<f64>().ok().map(Some),
            Some(number) => english_number(number).map(|value| Some(f64::from(value))),
        }
    };
    let hours = count(1)?.unwrap_or(0.0);
    let minutes = count(2)?.unwrap_or(0.0);
    let seconds = count(3)?.unwrap_or(0.0);
    let total = hours * 3_600.0 + minutes * 60.0 + seconds;
    (total.fract() == 0.0 && total <= 86_400.0).then_some(total as u32)
}

fn chinese_duration(text: &str) -> Option<u32> {
    static PARTS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(&format!(
            "^(?:({ZH_NUM})个?(半)?(?:小时|钟头))?(?:({ZH_NUM})(?:分钟|分))?(?:({ZH_NUM})(?:秒钟|秒))?$"
        ))
    });
    if matches!(text, "半小时" | "半个小时" | "半个钟头") {
        return Some(1_800);
    }
    let captures = PARTS.as_ref()?.captures(text)?;
    if captures.get(1).is_none() && captures.get(3).is_none() && captures.get(4).is_none() {
        return None;
    }
    let count = |index: usize| -> Option<u32> {
        captures
            .get(index)
            .map_or(Some(0), |part| any_number(part.as_str()))
    };
    let half = if captures.get(2).is_some() { 1_800 } else { 0 };
    Some(count(1)? * 3_600 + half + count(3)? * 60 + count(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_times_of_day() {
        for (text, expected) in [
            ("6:45", (6, 45)),
            ("6.45", (6, 45)),
            ("7", (7, 0)),
            ("7 am", (7, 0)),
            ("7pm", (19, 0)),
            ("7:30 p.m.", (19, 30)),
            ("12 am", (0, 0)),
            ("12 pm", (12, 0)),
            ("18:30", (18, 30)),
            ("seven", (7, 0)),
            ("seven o'clock", (7, 0)),
            ("six forty-five", (6, 45)),
            ("six thirty pm", (18, 30)),
            ("half past five", (5, 30)),
            ("half past five in the evening", (17, 30)),
            ("quarter past seven", (7, 15)),
            ("quarter to eight", (7, 45)),
            ("quarter to one", (12, 45)),
            ("ten past six", (6, 10)),
            ("twenty to seven", (6, 40)),
            ("noon", (12, 0)),
            ("midnight", (0, 0)),
            ("7 tomorrow", (7, 0)),
            ("tomorrow at 6:30", (6, 30)),
            ("tomorrow morning at 6", (6, 0)),
            ("10 tonight", (22, 0)),
        ] {
            assert_eq!(english_clock(text), Some(expected), "{text}");
        }
        for text in [
            "25:00",
            "7:60",
            "13 pm",
            "seven with Ana",
            "six five",
            "half past",
            "soon",
            "",
            "the morning",
        ] {
            assert_eq!(english_clock(text), None, "{text}");
        }
    }

    #[test]
    fn chinese_times_of_day() {
        for (text, expected) in [
            ("七点", (7, 0)),
            ("7点半", (7, 30)),
            ("早上六点四十五", (6, 45)),
            ("早上6点45分", (6, 45)),
            ("下午三点一刻", (15, 15)),
            ("晚上十点", (22, 0)),
            ("今晚十点", (22, 0)),
            ("中午12点", (12, 0)),
            ("中午一点", (13, 0)),
            ("凌晨两点", (2, 0)),
            ("明天早上7:30", (7, 30)),
            ("晚上十二点", (0, 0)),
            ("18点", (18, 0)),
            ("八点三刻", (8, 45)),
        ] {
            assert_eq!(chinese_clock(text), Some(expected), "{text}");
        }
        for text in ["二十五点", "七点六十", "早上十五点", "点", "七"] {
            assert_eq!(chinese_clock(text), None, "{text}");
        }
    }

    #[test]
    fn lengths_of_time() {
        for (text, seconds) in [
            ("90 seconds", 90),
            ("12 minutes", 720),
            ("1 hour 30 minutes", 5_400),
            ("1 hour and 30 minutes", 5_400),
            ("1h30m", 5_400),
            ("an hour", 3_600),
            ("a minute", 60),
            ("half an hour", 1_800),
            ("1.5 hours", 5_400),
            ("five minutes", 300),
            ("forty five seconds", 45),
            ("2 minutes 10 seconds", 130),
            ("十分钟", 600),
            ("一个半小时", 5_400),
            ("半小时", 1_800),
            ("1小时20分钟", 4_800),
            ("三十秒", 30),
            ("两个小时", 7_200),
        ] {
            assert_eq!(duration(text), Some(seconds), "{text}");
        }
        for text in [
            "",
            "minutes",
            "0 seconds",
            "25 hours",
            "soon",
            "1.25 minutes",
            "十",
        ] {
            assert_eq!(duration(text), None, "{text}");
        }
    }
}
