//! Chinese clauses the rules read: 闹钟 (alarms), 笔记 / 备忘录 (new notes), 计时器 / 倒计时
//! (timers), calls and texts to a number, settings pages and switches, web searches, maps, navigation and web addresses.
//!
//! As for English, each pattern matches a whole clause and every slot must parse; the clause
//! is unread otherwise.

use std::sync::LazyLock;

use regex::Regex;

use super::clock::{clock, duration};
use super::settings::{page_named, switch_named};
use super::words::phone_number;
use super::{
    Context, Reader, first, intent, note, switch_subgoals, text_message, unquote, web_address,
};
use crate::action::Intent;
use crate::planner::Subgoal;

fn regex(pattern: &str) -> Option<Regex> {
    // A pattern that does not compile reads nothing (the corpus tests would show the loss).
    Regex::new(&format!("(?i)^(?:请|帮我|麻烦|给我)?{pattern}$")).ok()
}

/// A phone number as the patterns find it.
const PHONE: &str = r"(?P<number>\+?[0-9][0-9 -]{1,22}[0-9])";

/// The clause's subgoals, if a pattern reads it.
pub(super) fn read(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    let readers: [Reader; 10] = [
        alarm,
        new_note,
        timer,
        call,
        text,
        settings_page,
        switch,
        url,
        navigate,
        search,
    ];
    readers.iter().find_map(|reader| reader(clause, context))
}

/// "新建一个备忘录，标题是购物清单，内容是牛奶": the title up to a comma (or quoted), the
/// content the rest.
fn new_note(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r#"(?:新建|创建|写|记|添加|建)(?:一条|一个|一则|一篇|个|条)?(?:新的?)?(?:笔记|备忘录|备忘)[,]?\s*(?:标题(?:是|为|叫)?|题为|叫做|叫|名为)[:]?\s*(?P<title>"[^"]+"|[^,"]+?)(?:[,]?\s*内容(?:是|为)?[:]?\s*(?P<body>.+))?"#,
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

fn alarm(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        let label = r"(?:[,，]?(?:备注|标签|名字|名称)(?:是|为|叫)?[:：]?(?P<label>.+))?";
        [
            regex(&format!(
                r"(?:设置?|定|订|设定|建|添加|创建|来)?(?:一个|一|个)?(?P<time>[^的]+?)的?闹钟{label}"
            )),
            regex(&format!(
                r"(?:设置?|定|订|设定|添加|创建)(?:一个|一|个)?闹钟[,，]?(?P<time>.+?){label}"
            )),
            regex(r"(?P<time>.+?)(?:叫醒我|叫我起床|叫我)"),
            regex(&format!(r"闹钟[,，]?(?P<time>.+?){label}")),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let alarm = first(&PATTERNS, clause, |captures| {
        let (hour, minute) = clock(captures.name("time")?.as_str())?;
        let label = captures
            .name("label")
            .map(|label| unquote(label.as_str()).to_owned())
            .filter(|label| !label.is_empty());
        Some(Intent::SetAlarm {
            hour,
            minute,
            label,
        })
    })?;
    intent(clause, alarm)
}

fn timer(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(
                r"(?:设置?|定|开始|启动|来)?(?:一个|一|个)?(?P<length>[^的]+?)的?(?:计时器|倒计时|定时器|计时)",
            ),
            regex(r"(?:倒计时|计时|定时)(?P<length>.+)"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let seconds = first(&PATTERNS, clause, |captures| {
        duration(captures.name("length")?.as_str())
    })?;
    intent(
        clause,
        Intent::SetTimer {
            seconds,
            label: None,
        },
    )
}

fn call(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(&format!(r"(?:打电话给|拨打|呼叫|打给|拨)\s*{PHONE}")),
            regex(&format!(r"给\s*{PHONE}\s*(?:打电话|打个电话|打一个电话)")),
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
                r"(?:给|发短信给|发信息给|发消息给)\s*{PHONE}\s*(?:发短信|发条短信|发个短信|发一条短信|发信息|发消息)?[,，]?\s*(?:说|内容是|内容为|告诉他|告诉她)[,，:：]?\s*(?P<body>.+)"
            )),
            regex(&format!(
                r"(?:发短信|发信息|发消息)\s*(?P<body>.+?)\s*(?:给|到)\s*{PHONE}"
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
    text_message(clause, to, body, "发送短信", context)
}

fn settings_page(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> =
        LazyLock::new(|| regex(r"(?:打开|进入|去|显示)(?P<page>.*?)的?设置(?:页面|界面)?"));
    let page = page_named(PATTERN.as_ref()?.captures(clause)?.name("page")?.as_str())?;
    intent(clause, Intent::OpenSettings { page })
}

fn switch(clause: &str, context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> =
        LazyLock::new(|| regex(r"(?:打开|开启|开|关闭|关掉|关上|关)(?P<what>.+)"));
    let page = switch_named(PATTERN.as_ref()?.captures(clause)?.name("what")?.as_str())?;
    switch_subgoals(clause, page, context)
}

fn url(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:打开|访问|浏览|进入)(?:网址|网站|网页)?\s*(?P<url>https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|cn|edu|gov)(?:/\S*)?)",
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
    static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(r"(?:导航到|导航去|导航至|带我去|开车去|我要去|怎么去)\s*(?P<place>.+)")
    });
    let place = unquote(PATTERN.as_ref()?.captures(clause)?.name("place")?.as_str()).to_owned();
    if place.is_empty() {
        return None;
    }
    intent(clause, Intent::Navigate { destination: place })
}

fn search(clause: &str, _context: &Context<'_>) -> Option<Vec<Subgoal>> {
    static MAP: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            regex(r"在地图上(?:找|搜索?|查找?|显示)(?P<query>.+)"),
            regex(r"(?:找|搜索?|查找?)(?:一下)?(?P<query>附近的.+)"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    static WEB: LazyLock<Option<Regex>> = LazyLock::new(|| {
        regex(
            r"(?:搜索一下|搜一下|搜一搜|搜索|百度一下|百度|上网查一下|上网查|在网上搜索?)\s*(?P<query>.+)",
        )
    });
    if let Some(query) = first(&MAP, clause, |captures| {
        Some(unquote(captures.name("query")?.as_str()).to_owned())
    }) {
        return intent(clause, Intent::MapSearch { query });
    }
    let query = unquote(WEB.as_ref()?.captures(clause)?.name("query")?.as_str()).to_owned();
    // What lives on the phone is not searched on the web.
    let personal = [
        "我的",
        "联系人",
        "短信",
        "信息",
        "备忘录",
        "笔记",
        "相册",
        "照片",
        "设置",
        "应用",
    ];
    if query.is_empty() || personal.iter().any(|word| query.contains(word)) {
        return None;
    }
    intent(clause, Intent::WebSearch { query })
}
