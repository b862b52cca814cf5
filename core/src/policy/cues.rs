//! The words that make an action sensitive, and how a label is matched against them.
//!
//! Why word lists and not a model: the guard must run before every action, on the phone, in
//! microseconds, and its answer must be explainable to the user ("looks like a payment: cue
//! `pay now`"). Why so many rules around the lists: a guard that asks for confirmation on every
//! third tap gets switched off, so false positives matter as much as misses. The rules that keep
//! them low:
//!
//! * English is matched by whole tokens, never substrings: "Sandy Payne" has no `pay`,
//!   "Deleted items" no `delete`, "Sender name" no `send`.
//! * A cue counts anywhere only in a short label (≤ [`SHORT_WORDS`] words, ≤ [`SHORT_CJK`]
//!   Chinese characters): "Delete for everyone", "Confirm and pay". In a longer text, such as a
//!   chat preview that happens to say "send me the photos", only the leading verb counts.
//! * Ambiguous words ([`Reach::Leading`]: `pay`, `post`, `forward`, `支付`…) count only as the
//!   leading verb (after fillers such as "Confirm and", "Tap to"): "Pay now" is a payment,
//!   "Google Pay" is a menu row; "支付 ¥25" is a payment, "支付宝" is an app.
//! * A negation right before the cue cancels it: "Don't allow", "Cancel send", "不允许",
//!   "已发送" (already sent: a state, not an action).
//! * Resource ids and declared action names are split into words (`btn_send`, `buttonPay`,
//!   `pay_invoice`), with the package prefix dropped so `com.example.share:id/title` is not
//!   a share button.
//!
//! When several cues match, the longest wins, so "Send money" is a payment and "Delete account"
//! an account change.

use super::Category;

/// A label of at most this many words is short: a cue may match anywhere in it.
pub(crate) const SHORT_WORDS: usize = 4;
/// A label of at most this many Chinese characters is short. Larger than the English limit
/// because Chinese buttons often put the verb last ("仅在使用该应用时允许").
pub(crate) const SHORT_CJK: usize = 12;
/// Dialog texts (titles, messages) of at most this many words are searched anywhere for the
/// unambiguous cues.
const CONTEXT_WORDS: usize = 12;
/// Dialog texts of at most this many Chinese characters are searched anywhere.
const CONTEXT_CJK: usize = 24;

/// Where in a label a cue may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Anywhere in a short label, or as the leading verb of a long one: words that are almost
    /// always an action ("delete", "install", "删除").
    Anywhere,
    /// Only as the leading verb: words that are also nouns or names ("Google Pay", "New post",
    /// "支付宝").
    Leading,
}

use Category::{Account, Delete, GrantPermission, Install, Pay, Send, Share};
use Reach::{Anywhere, Leading};

/// English cues, lower case, words separated by one space.
const ENGLISH: &[(&str, Category, Reach)] = &[
    // Send
    ("send", Send, Anywhere),
    ("resend", Send, Anywhere),
    ("send now", Send, Anywhere),
    ("post", Send, Leading),
    ("publish", Send, Leading),
    ("tweet", Send, Leading),
    // Pay
    ("pay", Pay, Leading),
    ("pay now", Pay, Anywhere),
    ("buy", Pay, Anywhere),
    ("buy now", Pay, Anywhere),
    ("purchase", Pay, Anywhere),
    ("checkout", Pay, Anywhere),
    ("check out", Pay, Leading),
    ("place order", Pay, Anywhere),
    ("confirm order", Pay, Anywhere),
    ("submit order", Pay, Anywhere),
    ("order now", Pay, Anywhere),
    ("book now", Pay, Anywhere),
    ("confirm payment", Pay, Anywhere),
    ("make payment", Pay, Anywhere),
    ("make a payment", Pay, Anywhere),
    ("submit payment", Pay, Anywhere),
    ("complete payment", Pay, Anywhere),
    ("complete purchase", Pay, Anywhere),
    ("send money", Pay, Anywhere),
    ("transfer money", Pay, Anywhere),
    ("transfer funds", Pay, Anywhere),
    ("transfer", Pay, Leading),
    ("top up", Pay, Leading),
    ("recharge", Pay, Leading),
    ("donate", Pay, Anywhere),
    ("subscribe", Pay, Leading),
    // Delete
    ("delete", Delete, Anywhere),
    ("remove", Delete, Anywhere),
    ("erase", Delete, Anywhere),
    ("uninstall", Delete, Anywhere),
    ("discard", Delete, Anywhere),
    ("wipe", Delete, Anywhere),
    ("clear all", Delete, Anywhere),
    ("clear data", Delete, Anywhere),
    ("clear storage", Delete, Anywhere),
    ("clear history", Delete, Anywhere),
    ("clear chat", Delete, Anywhere),
    ("clear conversation", Delete, Anywhere),
    ("empty trash", Delete, Anywhere),
    ("empty bin", Delete, Anywhere),
    ("move to trash", Delete, Anywhere),
    ("move to bin", Delete, Anywhere),
    ("factory reset", Delete, Anywhere),
    // Install
    ("install", Install, Anywhere),
    ("reinstall", Install, Anywhere),
    ("install now", Install, Anywhere),
    // GrantPermission
    ("allow", GrantPermission, Anywhere),
    ("always allow", GrantPermission, Anywhere),
    ("grant", GrantPermission, Anywhere),
    ("permit", GrantPermission, Anywhere),
    // The other answers of Android's permission dialog that grant.
    ("while using the app", GrantPermission, Leading),
    ("only this time", GrantPermission, Leading),
    // Share
    ("share", Share, Anywhere),
    ("forward", Share, Leading),
    // Account
    ("sign out", Account, Anywhere),
    ("signout", Account, Anywhere),
    ("log out", Account, Anywhere),
    ("logout", Account, Anywhere),
    ("log off", Account, Anywhere),
    ("delete account", Account, Anywhere),
    ("delete my account", Account, Anywhere),
    ("remove account", Account, Anywhere),
    ("close account", Account, Anywhere),
    ("deactivate account", Account, Anywhere),
    ("deactivate", Account, Leading),
    ("switch account", Account, Anywhere),
    ("switch accounts", Account, Anywhere),
    ("add account", Account, Anywhere),
    ("add another account", Account, Anywhere),
];

/// Chinese cues, matched as substrings with the same reach rules.
const CHINESE: &[(&str, Category, Reach)] = &[
    // Send
    ("发送", Send, Anywhere),
    ("重新发送", Send, Anywhere),
    ("重发", Send, Anywhere),
    ("发布", Send, Leading),
    ("发表", Send, Leading),
    // Pay
    ("支付", Pay, Leading),
    ("付款", Pay, Leading),
    ("购买", Pay, Anywhere),
    ("立即购买", Pay, Anywhere),
    ("下单", Pay, Anywhere),
    ("提交订单", Pay, Anywhere),
    ("确认支付", Pay, Anywhere),
    ("立即支付", Pay, Anywhere),
    ("确认付款", Pay, Anywhere),
    ("去支付", Pay, Anywhere),
    ("去付款", Pay, Anywhere),
    ("结算", Pay, Anywhere),
    ("充值", Pay, Anywhere),
    ("转账", Pay, Anywhere),
    ("买单", Pay, Anywhere),
    ("订阅", Pay, Leading),
    // Delete
    ("删除", Delete, Anywhere),
    ("彻底删除", Delete, Anywhere),
    ("移除", Delete, Anywhere),
    ("清空", Delete, Anywhere),
    ("清除数据", Delete, Anywhere),
    ("卸载", Delete, Anywhere),
    ("恢复出厂设置", Delete, Anywhere),
    // Install
    ("安装", Install, Anywhere),
    ("下载安装", Install, Anywhere),
    ("立即安装", Install, Anywhere),
    // GrantPermission
    ("允许", GrantPermission, Anywhere),
    ("始终允许", GrantPermission, Anywhere),
    ("授权", GrantPermission, Anywhere),
    ("仅限这一次", GrantPermission, Leading),
    // Share
    ("分享", Share, Anywhere),
    ("转发", Share, Anywhere),
    ("共享", Share, Leading),
    // Account
    ("退出登录", Account, Anywhere),
    ("退出账号", Account, Anywhere),
    ("登出", Account, Anywhere),
    ("注销", Account, Anywhere),
    ("注销账号", Account, Anywhere),
    ("删除账号", Account, Anywhere),
    ("切换账号", Account, Anywhere),
    ("添加账号", Account, Anywhere),
];

/// Words that may come before the leading verb without making it a non-leading one:
/// "Confirm and pay", "Tap to send", "Yes, delete".
const FILLERS: &[&str] = &[
    "yes",
    "ok",
    "okay",
    "confirm",
    "and",
    "please",
    "tap",
    "click",
    "press",
    "to",
    "continue",
    "proceed",
    "slide",
    "swipe",
    "securely",
    "now",
    "permanently",
];

/// The same for resource ids and declared action names (`btn_send`, `action_delete`).
const ID_FILLERS: &[&str] = &[
    "btn", "button", "bt", "ib", "iv", "img", "image", "ic", "icon", "action", "menu", "fab", "id",
    "do", "on", "item", "view", "tv", "txt",
];

/// Ids with one of these words name a text describing something (`post_title`, `share_count`,
/// `pay_amount`), not a control: no cue counts in them.
const ID_DESCRIPTORS: &[&str] = &[
    "title", "name", "count", "label", "text", "info", "summary", "status", "time", "date",
    "header", "avatar", "badge", "number", "amount", "total", "price",
];

/// A word right before a cue that cancels it: "Don't allow", "Cancel send", "Undo delete".
const NEGATORS: &[&str] = &[
    "dont", "not", "never", "cancel", "undo", "stop", "deny", "doesnt", "didnt", "wont", "cannot",
    "cant", "unable",
];

/// The same for Chinese, as text right before the cue: "不允许", "取消分享", "已发送".
const CJK_NEGATORS: &[&str] = &[
    "不", "别", "勿", "未", "已", "没", "取消", "停止", "撤销", "拒绝", "禁止",
];

/// Chinese fillers before a leading verb: "确定删除", "是否要删除", "点击安装".
const CJK_FILLERS: &[&str] = &[
    "确定", "确认", "是否", "要", "请", "立即", "马上", "点击", "一键", "去", "你", "您",
];

/// Labels that only confirm what a dialog asked ("OK", "Yes", "确定"): their meaning is the
/// dialog's text, which [`Cues::in_context`] reads.
const AFFIRMATIVE_WORDS: &[&str] = &[
    "ok", "okay", "yes", "confirm", "continue", "proceed", "sure", "im", "i", "am", "agree",
];
const AFFIRMATIVE_CJK: &[&str] = &["确定", "确认", "是", "是的", "好", "好的", "继续", "同意"];

/// Words in a field that make pressing Enter in it likely to send what was typed.
const MESSAGE_FIELD_WORDS: &[&str] = &[
    "message", "messages", "msg", "comment", "comments", "reply", "chat", "compose", "tweet",
];
const MESSAGE_FIELD_CJK: &[&str] = &["消息", "评论", "回复", "说点什么", "聊天", "发消息", "留言"];
/// Words that mark a search field, where Enter searches whatever else the field says.
const SEARCH_WORDS: &[&str] = &["search", "find", "filter"];
const SEARCH_CJK: &[&str] = &["搜索", "查找"];

/// What an ad or a fake "update" overlay says: cues of [`Category::Install`] in a window of
/// another app only.
const AD_WORDS: &[&str] = &["install", "download", "get", "claim", "update"];
const AD_CJK: &[&str] = &["安装", "下载", "领取", "获取", "更新"];

/// A cue found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CueMatch {
    /// What the cue means.
    pub category: Category,
    /// The cue as listed, for the reason shown to the user.
    pub cue: String,
}

/// One English cue, split into words.
#[derive(Debug, Clone)]
struct PhraseCue {
    words: Vec<String>,
    text: String,
    category: Category,
    reach: Reach,
}

/// One Chinese cue.
#[derive(Debug, Clone)]
struct CjkCue {
    text: String,
    category: Category,
    reach: Reach,
}

/// A candidate match with its length, to pick the longest.
struct Candidate<'a> {
    category: Category,
    text: &'a str,
    weight: usize,
}

/// The cue table of one guard: the built-in lists plus the integrator's words, without the
/// categories whose confirmation is switched off.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    english: Vec<PhraseCue>,
    chinese: Vec<CjkCue>,
    /// Whether [`Category::Send`] is confirmed at all (for [`Cues::enter_sends`]).
    send_enabled: bool,
}

impl Cues {
    /// The built-in cues and `extra` ones (matched anywhere), keeping only categories for which
    /// `enabled` holds.
    pub fn new(extra: &[(Category, String)], enabled: impl Fn(Category) -> bool) -> Self {
        let mut cues = Cues {
            english: Vec::new(),
            chinese: Vec::new(),
            send_enabled: enabled(Send),
        };
        let builtin = ENGLISH.iter().chain(CHINESE);
        for &(text, category, reach) in builtin {
            if enabled(category) {
                cues.add(text, category, reach);
            }
        }
        for (category, text) in extra {
            if enabled(*category) {
                cues.add(text, *category, Anywhere);
            }
        }
        cues
    }

    fn add(&mut self, text: &str, category: Category, reach: Reach) {
        if text.chars().any(is_cjk) {
            let text = text.trim().to_lowercase();
            if !text.is_empty() {
                self.chinese.push(CjkCue {
                    text,
                    category,
                    reach,
                });
            }
        } else {
            let words = words(text);
            if !words.is_empty() {
                self.english.push(PhraseCue {
                    text: words.join(" "),
                    words,
                    category,
                    reach,
                });
            }
        }
    }

    /// Whether sending is confirmed by this guard.
    pub fn sends(&self) -> bool {
        self.send_enabled
    }

    /// The cue in a label, text or content description: anywhere in a short one, only the
    /// leading verb in a long one.
    pub fn in_label(&self, text: &str) -> Option<CueMatch> {
        let short = is_within(text, SHORT_WORDS, SHORT_CJK);
        self.best(text, short, FILLERS, CJK_FILLERS)
    }

    /// The cue in a dialog's title or message, read when the tapped button only says "OK":
    /// unambiguous cues anywhere in a sentence-sized text.
    pub fn in_context(&self, text: &str) -> Option<CueMatch> {
        let short = is_within(text, CONTEXT_WORDS, CONTEXT_CJK);
        self.best(text, short, FILLERS, CJK_FILLERS)
    }

    /// The cue in a text only when the whole text is the cue ("Buy", "安装"): for the secondary
    /// parts of a folded label ("$4.99 | Buy").
    pub fn exactly(&self, text: &str) -> Option<CueMatch> {
        let words = words(text);
        if !words.is_empty()
            && !text.chars().any(is_cjk)
            && let Some(cue) = self.english.iter().find(|cue| cue.words == words)
        {
            return Some(CueMatch {
                category: cue.category,
                cue: cue.text.clone(),
            });
        }
        let bare: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
            .collect::<String>()
            .to_lowercase();
        self.chinese
            .iter()
            .find(|cue| cue.text == bare)
            .map(|cue| CueMatch {
                category: cue.category,
                cue: cue.text.clone(),
            })
    }

    /// The cue in an identifier: a resource id (`com.app:id/btn_send`) or a declared action name
    /// (`send_message`, `notes.delete`).
    pub fn in_identifier(&self, identifier: &str) -> Option<CueMatch> {
        let entry = crate::screen::resource_entry(identifier);
        let words = identifier_words(entry);
        if words.is_empty() {
            return None;
        }
        // A dotted action name (`notes.post_comment`) leads with its last segment's verb.
        let last_segment = entry.rsplit('.').next().unwrap_or(entry);
        let lead_start = words.len() - identifier_words(last_segment).len();
        let descriptive = words
            .iter()
            .any(|word| ID_DESCRIPTORS.contains(&word.as_str()));
        let lead_end = lead_start
            + words[lead_start..]
                .iter()
                .take_while(|word| ID_FILLERS.contains(&word.as_str()))
                .count();
        let mut best: Option<Candidate> = None;
        for cue in &self.english {
            for start in phrase_positions(&words, &cue.words) {
                let allowed = match cue.reach {
                    Anywhere => true,
                    Leading => (lead_start..=lead_end).contains(&start),
                };
                if allowed && !descriptive && !negated(&words, start) {
                    consider(&mut best, cue.category, &cue.text);
                }
            }
        }
        best.map(Candidate::into_match)
    }

    /// Whether pressing Enter in a field that says `text` (its hint, description or resource id)
    /// probably sends a message: a chat or comment box, not a search box.
    pub fn enter_sends(text: &str) -> bool {
        // A resource id names its package first (`com.example.chat:id/url`): read its entry only.
        let entry = if text.contains(char::is_whitespace) {
            text
        } else {
            crate::screen::resource_entry(text)
        };
        let words = identifier_words(entry);
        let lower = text.to_lowercase();
        let search = words.iter().any(|w| SEARCH_WORDS.contains(&w.as_str()))
            || SEARCH_CJK.iter().any(|cue| lower.contains(cue));
        let message = words
            .iter()
            .any(|w| MESSAGE_FIELD_WORDS.contains(&w.as_str()))
            || MESSAGE_FIELD_CJK.iter().any(|cue| lower.contains(cue));
        message && !search
    }

    /// The ad-like cue ("Install", "Download", "领取") of a short label, for buttons in another
    /// app's window.
    pub fn ad_cue(text: &str) -> Option<&'static str> {
        if !is_within(text, SHORT_WORDS, SHORT_CJK) {
            return None;
        }
        let words = words(text);
        let lower = text.to_lowercase();
        AD_WORDS
            .iter()
            .find(|ad| words.iter().any(|w| w == *ad))
            .or_else(|| AD_CJK.iter().find(|ad| lower.contains(*ad)))
            .copied()
    }

    /// Whether a label only affirms ("OK", "Yes, I'm sure", "确定"), so its meaning is the
    /// dialog's question.
    pub fn is_affirmative(label: &str) -> bool {
        let words = words(label);
        if label.chars().any(is_cjk) {
            let bare: String = label
                .chars()
                .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
                .collect();
            return words.is_empty() && AFFIRMATIVE_CJK.contains(&bare.as_str());
        }
        !words.is_empty()
            && words
                .iter()
                .all(|word| AFFIRMATIVE_WORDS.contains(&word.as_str()))
    }

    /// The longest cue in `text`, anywhere when `anywhere` holds, else only leading.
    fn best(
        &self,
        text: &str,
        anywhere: bool,
        fillers: &[&str],
        cjk_fillers: &[&str],
    ) -> Option<CueMatch> {
        let mut best: Option<Candidate> = None;
        let words = words(text);
        if !words.is_empty() {
            let lead_end = words
                .iter()
                .take_while(|word| fillers.contains(&word.as_str()))
                .count();
            for cue in &self.english {
                for start in phrase_positions(&words, &cue.words) {
                    let leading = start <= lead_end;
                    let allowed = leading || (anywhere && cue.reach == Anywhere);
                    if allowed && !negated(&words, start) {
                        consider(&mut best, cue.category, &cue.text);
                    }
                }
            }
        }
        if text.chars().any(is_cjk) {
            let lower = text.to_lowercase();
            for cue in &self.chinese {
                for (index, _) in lower.match_indices(cue.text.as_str()) {
                    let before = &lower[..index];
                    let after = &lower[index + cue.text.len()..];
                    let leading = is_cjk_leading(before, cjk_fillers);
                    let allowed = match cue.reach {
                        Anywhere => leading || anywhere,
                        // An ambiguous word must stand alone: "支付 ¥25", not "支付宝".
                        Leading => leading && !after.chars().next().is_some_and(is_cjk),
                    };
                    if allowed && !cjk_negated(before) {
                        consider(&mut best, cue.category, &cue.text);
                    }
                }
            }
        }
        best.map(Candidate::into_match)
    }
}

impl Candidate<'_> {
    fn into_match(self) -> CueMatch {
        CueMatch {
            category: self.category,
            cue: self.text.to_owned(),
        }
    }
}

/// Keeps the longer of the best so far and a new match.
fn consider<'a>(best: &mut Option<Candidate<'a>>, category: Category, text: &'a str) {
    let weight = text.chars().count();
    if best.as_ref().is_none_or(|current| weight > current.weight) {
        *best = Some(Candidate {
            category,
            text,
            weight,
        });
    }
}

/// The start positions of `phrase` in `words`.
fn phrase_positions<'a>(
    words: &'a [String],
    phrase: &'a [String],
) -> impl Iterator<Item = usize> + 'a {
    let last = words.len().saturating_sub(phrase.len());
    (0..=last).filter(move |&start| {
        !phrase.is_empty()
            && words.len() >= phrase.len()
            && words[start..start + phrase.len()] == *phrase
    })
}

fn negated(words: &[String], start: usize) -> bool {
    start
        .checked_sub(1)
        .and_then(|previous| words.get(previous))
        .is_some_and(|word| NEGATORS.contains(&word.as_str()))
}

fn cjk_negated(before: &str) -> bool {
    let before = before.trim_end();
    CJK_NEGATORS.iter().any(|negator| before.ends_with(negator))
}

/// Whether only punctuation, spaces and fillers come before a Chinese cue.
fn is_cjk_leading(before: &str, fillers: &[&str]) -> bool {
    let mut rest = before;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || is_punctuation(c));
        match fillers.iter().find(|filler| rest.starts_with(**filler)) {
            Some(filler) => rest = &rest[filler.len()..],
            None => return rest.is_empty(),
        }
    }
}

/// Whether `text` has at most `max_words` English words (numbers and prices do not count) and
/// at most `max_cjk` Chinese characters.
fn is_within(text: &str, max_words: usize, max_cjk: usize) -> bool {
    let word_count = words(text)
        .iter()
        .filter(|word| !word.chars().all(|c| c.is_ascii_digit()))
        .count();
    let cjk_count = text.chars().filter(|c| is_cjk(*c)).count();
    word_count <= max_words && cjk_count <= max_cjk
}

/// The lower-case words of a label: runs of letters and digits outside Chinese text, with
/// apostrophes dropped ("Don't" → `dont`).
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() && !is_cjk(c) {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The lower-case words of an identifier, split at `_`, `.`, `-`, camelCase and digits:
/// `buttonPay` → `button pay`, `IMEActionSend2` → `ime action send 2`.
pub(crate) fn identifier_words(identifier: &str) -> Vec<String> {
    let mut spaced = String::new();
    let chars: Vec<char> = identifier.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            spaced.push(' ');
            continue;
        }
        if let Some(&previous) = index.checked_sub(1).and_then(|i| chars.get(i)) {
            let next = chars.get(index + 1).copied();
            let camel = previous.is_lowercase() && c.is_uppercase();
            let acronym_end =
                previous.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase);
            let digits =
                previous.is_ascii_digit() != c.is_ascii_digit() && previous.is_alphanumeric();
            if camel || acronym_end || digits {
                spaced.push(' ');
            }
        }
        spaced.push(c);
    }
    words(&spaced)
}

/// Han characters (CJK unified ideographs and their extensions and compatibility forms).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '，' | '。'
                | '？'
                | '！'
                | '：'
                | '；'
                | '、'
                | '“'
                | '”'
                | '（'
                | '）'
                | '…'
                | '·'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Cues {
        Cues::new(&[], |_| true)
    }

    fn label(text: &str) -> Option<Category> {
        cues().in_label(text).map(|found| found.category)
    }

    fn id(text: &str) -> Option<Category> {
        cues().in_identifier(text).map(|found| found.category)
    }

    #[test]
    fn english_buttons_are_recognised() {
        let cases = [
            ("Send", Send),
            ("Resend code in 30s", Send),
            ("Post", Send),
            ("Pay now", Pay),
            ("Pay $24.99", Pay),
            ("Confirm and pay", Pay),
            ("Buy now", Pay),
            ("Buy with Google Pay", Pay),
            ("Place order", Pay),
            ("Proceed to checkout", Pay),
            ("Send money", Pay),
            ("Delete", Delete),
            ("Delete for everyone", Delete),
            ("Yes, delete", Delete),
            ("Remove from cart", Delete),
            ("Move to trash", Delete),
            ("Uninstall", Delete),
            ("Install", Install),
            ("Allow", GrantPermission),
            ("Allow only while using the app", GrantPermission),
            ("Share", Share),
            ("Share link", Share),
            ("Forward", Share),
            ("Sign out", Account),
            ("Log out", Account),
            ("Delete account", Account),
            ("Switch account", Account),
            ("Add another account", Account),
        ];
        for (text, category) in cases {
            assert_eq!(label(text), Some(category), "{text}");
        }
    }

    #[test]
    fn english_look_alikes_are_not_cues() {
        let cases = [
            "Sandy Payne",
            "Sender name",
            "Deleted items",
            "Shared with me",
            "Google Pay",
            "Payment methods",
            "New post",
            "Posts",
            "Installed apps",
            "Allowed apps",
            "Don't allow",
            "Do not allow",
            "Cancel",
            "Stop sharing",
            "Orders",
            "Alice: can you send me the photos from yesterday?",
            "Mom said we should pay the rent tomorrow morning",
            "Search",
            "Trash",
            "Apple Pay and Google Pay",
        ];
        for text in cases {
            assert_eq!(label(text), None, "{text}");
        }
    }

    #[test]
    fn long_texts_count_only_their_leading_verb() {
        assert_eq!(
            label("Send feedback to the developers of this app"),
            Some(Send)
        );
        assert_eq!(label("How do I delete my old photos and videos"), None);
        assert_eq!(label("How to delete files"), Some(Delete));
    }

    #[test]
    fn chinese_buttons_are_recognised() {
        let cases = [
            ("发送", Send),
            ("重新发送(59s)", Send),
            ("立即支付", Pay),
            ("确认支付", Pay),
            ("支付 ¥25.00", Pay),
            ("付款", Pay),
            ("立即购买", Pay),
            ("提交订单", Pay),
            ("去结算(3)", Pay),
            ("删除", Delete),
            ("确定删除", Delete),
            ("清空聊天记录", Delete),
            ("移除", Delete),
            ("安装", Install),
            ("下载安装", Install),
            ("始终允许", GrantPermission),
            ("仅在使用中允许", GrantPermission),
            ("授权", GrantPermission),
            ("分享", Share),
            ("转发给朋友", Share),
            ("退出登录", Account),
            ("注销账号", Account),
            ("切换账号", Account),
        ];
        for (text, category) in cases {
            assert_eq!(label(text), Some(category), "{text}");
        }
    }

    #[test]
    fn chinese_look_alikes_are_not_cues() {
        let cases = [
            "支付宝",
            "支付方式",
            "付款码",
            "不允许",
            "拒绝",
            "已发送",
            "已安装",
            "取消分享",
            "禁止",
            "取消",
            "张三",
            "我的订单",
            "妈妈：记得明天把照片发送给我，还有上次说的那些文件",
        ];
        for text in cases {
            assert_eq!(label(text), None, "{text}");
        }
    }

    #[test]
    fn resource_ids_are_split_into_words() {
        assert_eq!(id("com.whatsapp:id/send"), Some(Send));
        assert_eq!(id("com.example:id/btn_send"), Some(Send));
        assert_eq!(id("com.example:id/buttonPay"), Some(Pay));
        assert_eq!(id("com.example:id/action_delete"), Some(Delete));
        assert_eq!(
            id("com.android.permissioncontroller:id/permission_allow_button"),
            Some(GrantPermission)
        );
        assert_eq!(
            id("com.android.permissioncontroller:id/permission_allow_foreground_only_button"),
            Some(GrantPermission)
        );
        assert_eq!(id("com.example:id/fabShare"), Some(Share));
        assert_eq!(id("send_message"), Some(Send));
        assert_eq!(id("pay_invoice"), Some(Pay));
        assert_eq!(id("delete_note"), Some(Delete));
        assert_eq!(id("send_money"), Some(Pay));
        assert_eq!(id("notes.post_comment"), Some(Send));
    }

    #[test]
    fn resource_id_look_alikes_are_not_cues() {
        let cases = [
            "com.android.permissioncontroller:id/permission_deny_button",
            "com.android.permissioncontroller:id/permission_deny_and_dont_ask_again_button",
            "com.example.share:id/title",
            "com.paypal.android:id/toolbar",
            "com.example:id/tv_sender_name",
            "com.example:id/post_title",
            "com.example:id/share_count",
            "com.example:id/payment_method_row",
            "com.example:id/pay_amount",
            "get_post",
            "list_deleted_notes",
            "get_payment_status",
        ];
        for text in cases {
            assert_eq!(id(text), None, "{text}");
        }
    }

    #[test]
    fn the_longest_cue_wins() {
        let found = cues().in_label("Delete account");
        assert_eq!(
            found,
            Some(CueMatch {
                category: Account,
                cue: "delete account".into()
            })
        );
        assert_eq!(label("删除账号"), Some(Account));
    }

    #[test]
    fn exact_parts_and_affirmatives() {
        assert_eq!(cues().exactly("Buy").map(|m| m.category), Some(Pay));
        assert_eq!(cues().exactly("安装").map(|m| m.category), Some(Install));
        assert_eq!(cues().exactly("Buy it later"), None);
        assert!(Cues::is_affirmative("OK"));
        assert!(Cues::is_affirmative("Yes, I'm sure"));
        assert!(Cues::is_affirmative("确定"));
        assert!(!Cues::is_affirmative("Delete"));
        assert!(!Cues::is_affirmative("Cancel"));
        assert!(!Cues::is_affirmative("确定删除"));
    }

    #[test]
    fn dialog_texts_are_searched_anywhere() {
        let found = |text: &str| cues().in_context(text).map(|m| m.category);
        assert_eq!(
            found("Are you sure you want to delete this photo?"),
            Some(Delete)
        );
        assert_eq!(found("确定要退出登录吗？"), Some(Account));
        assert_eq!(found("是否删除该聊天记录？删除后将无法恢复"), Some(Delete));
        assert_eq!(found("Discard changes?"), Some(Delete));
        assert_eq!(found("Your changes have been saved."), None);
    }

    #[test]
    fn enter_sends_in_message_fields_only() {
        assert!(Cues::enter_sends("Text message"));
        assert!(Cues::enter_sends(
            "com.google.android.apps.messaging:id/compose_message_text"
        ));
        assert!(Cues::enter_sends("Add a comment…"));
        assert!(Cues::enter_sends("发消息"));
        assert!(!Cues::enter_sends("Search messages"));
        assert!(!Cues::enter_sends("搜索聊天记录"));
        assert!(!Cues::enter_sends("Email"));
        assert!(!Cues::enter_sends("com.android.chrome:id/url_bar"));
    }

    #[test]
    fn extra_cues_and_disabled_categories() {
        let cues = Cues::new(
            &[(Pay, "Zahlen".into()), (Send, "投递".into())],
            |category| category != Share,
        );
        assert_eq!(cues.in_label("Jetzt zahlen").map(|m| m.category), Some(Pay));
        assert_eq!(cues.in_label("立即投递").map(|m| m.category), Some(Send));
        assert_eq!(cues.in_label("Share"), None);
        assert_eq!(cues.in_label("分享"), None);
    }

    #[test]
    fn ad_cues() {
        assert_eq!(Cues::ad_cue("Download"), Some("download"));
        assert_eq!(Cues::ad_cue("立即领取"), Some("领取"));
        assert_eq!(Cues::ad_cue("Close"), None);
    }

    #[test]
    fn identifier_words_split_camel_case_and_digits() {
        assert_eq!(
            identifier_words("IMEActionSend2"),
            vec!["ime", "action", "send", "2"]
        );
        assert_eq!(identifier_words("btn_send_msg"), vec!["btn", "send", "msg"]);
    }
}
