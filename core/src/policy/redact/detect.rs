//! Finding personal data in screen text: phone numbers, e-mail addresses, card numbers, ID
//! numbers and one-time codes.
//!
//! Why hand-written scanners and not regular expressions: each kind needs a check a pattern
//! cannot express (a card number passes Luhn, a Chinese resident ID its ISO 7064 check digit, a
//! one-time code needs a "code"/"验证码" cue nearby), and the false positives matter as much as
//! the hits. The planner must still read times (`07:30`), prices (`$14.99`, `¥1,299.00`),
//! dates (`2024-05-01`), percentages, build numbers and the element ids of the encoded screen
//! (`[12]`), so a digit run counts only when it stands alone as a token: not glued to letters,
//! not part of a larger number written with `:`, `,`, `.` or `/`, not after a currency sign,
//! not inside brackets. When in doubt between masking and not, the scanners mask: a masked
//! number costs the cloud model a little context, a leaked one cannot be taken back.

use std::ops::Range;

/// What kind of personal data a finding is; also the name in its placeholder (`{phone_1}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SensitiveKind {
    /// A phone number (international with `+`, national with 10+ digits, or a grouped local
    /// number like `555-0123`).
    Phone,
    /// An e-mail address.
    Email,
    /// A payment card number (13–19 digits passing the Luhn check).
    Card,
    /// An identity number: a Chinese resident ID (18 characters with a valid check digit) or a
    /// US social security number (`123-45-6789`).
    Id,
    /// A one-time code: 4–8 digits near a cue such as "code", "OTP" or "验证码".
    Code,
}

impl SensitiveKind {
    /// Every kind, in placeholder-name order.
    pub const ALL: [SensitiveKind; 5] = [
        SensitiveKind::Phone,
        SensitiveKind::Email,
        SensitiveKind::Card,
        SensitiveKind::Id,
        SensitiveKind::Code,
    ];

    /// The name used in placeholders: `phone`, `email`, `card`, `id`, `code`.
    pub fn name(self) -> &'static str {
        match self {
            SensitiveKind::Phone => "phone",
            SensitiveKind::Email => "email",
            SensitiveKind::Card => "card",
            SensitiveKind::Id => "id",
            SensitiveKind::Code => "code",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<SensitiveKind> {
        SensitiveKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// One piece of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What it is.
    pub kind: SensitiveKind,
    /// Where it is, in bytes of the text.
    pub range: Range<usize>,
}

/// Every piece of personal data in `text`, in order, without overlaps.
pub fn find_sensitive(text: &str) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut findings = find_emails(text, &chars);
    let mut index = 0;
    while index < chars.len() {
        let inside_email = findings
            .iter()
            .any(|finding| finding.range.contains(&chars[index].0));
        if inside_email {
            index += 1;
            continue;
        }
        match number_token(&chars, index) {
            Some(token) => {
                if let Some(kind) = classify(text, &chars, &token) {
                    findings.push(Finding {
                        kind,
                        range: byte_range(text, &chars, token.start, token.end),
                    });
                }
                index = token.end.max(index + 1);
            }
            None => index += 1,
        }
    }
    findings.sort_by_key(|finding| finding.range.start);
    // Findings can share characters: addresses glued together (`a@b.cc@d.ee`, where the
    // second address's local part is the first one's domain) or a number running into an
    // address's local part. When in doubt, mask: a finding that overlaps the one before is
    // merged into it (found by fuzzing, `fuzz/regressions/redact/`).
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        match merged.last_mut() {
            Some(last) if finding.range.start < last.range.end => {
                last.range.end = last.range.end.max(finding.range.end);
            }
            _ => merged.push(finding),
        }
    }
    merged
}

fn byte_range(text: &str, chars: &[(usize, char)], start: usize, end: usize) -> Range<usize> {
    let offset = |index: usize| chars.get(index).map_or(text.len(), |&(offset, _)| offset);
    let (from, to) = (offset(start), offset(end));
    from..to
}

/// A letter, digit or underscore of ASCII: what glues a digit run into a word (`A12`, `v2`,
/// `LSIM.240101`). Chinese characters do not: `电话13812345678` holds a phone number.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses
// ---------------------------------------------------------------------------------------------

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn find_emails(text: &str, chars: &[(usize, char)]) -> Vec<Finding> {
    let mut found = Vec::new();
    for (at, &(_, c)) in chars.iter().enumerate() {
        if c != '@' {
            continue;
        }
        let mut start = at;
        while start > 0 && is_local_char(chars[start - 1].1) {
            start -= 1;
        }
        while start < at && chars[start].1 == '.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < chars.len() && is_domain_char(chars[end].1) {
            end += 1;
        }
        while end > at + 1 && matches!(chars[end - 1].1, '.' | '-') {
            end -= 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        let domain: String = chars[at + 1..end].iter().map(|&(_, c)| c).collect();
        let labels: Vec<&str> = domain.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) || !tld_ok {
            continue;
        }
        found.push(Finding {
            kind: SensitiveKind::Email,
            range: byte_range(text, chars, start, end),
        });
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Number tokens
// ---------------------------------------------------------------------------------------------

/// A run of digits with the separators phone and card numbers are written with.
#[derive(Debug)]
struct NumberToken {
    /// First char (index into the chars), the `+` or `(` included.
    start: usize,
    /// One past the last char.
    end: usize,
    /// The digit groups, in order.
    groups: Vec<String>,
    /// Starts with `+`.
    plus: bool,
    /// Separators used between groups.
    separators: Vec<char>,
    /// A Chinese ID's final `X`, taken into the token.
    check_x: bool,
}

impl NumberToken {
    fn digits(&self) -> String {
        self.groups.concat()
    }

    fn digit_count(&self) -> usize {
        self.groups.iter().map(String::len).sum()
    }

    fn only_separators(&self, allowed: &[char]) -> bool {
        self.separators.iter().all(|c| allowed.contains(c))
    }
}

const SEPARATORS: [char; 6] = [' ', '-', '.', '(', ')', '\u{a0}'];
const CURRENCY: [char; 8] = ['$', '¥', '￥', '€', '£', '₹', '₩', '元'];

/// The number token starting at `index`, if one starts there.
fn number_token(chars: &[(usize, char)], index: usize) -> Option<NumberToken> {
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let first = at(index)?;
    let mut position = index;
    let plus = first == '+';
    if plus || first == '(' {
        position += 1;
    }
    if !at(position)?.is_ascii_digit() {
        return None;
    }
    if !starts_alone(chars, index) {
        return None;
    }
    let mut groups = vec![String::new()];
    let mut separators = Vec::new();
    let mut end = position;
    while let Some(c) = at(position) {
        if c.is_ascii_digit() {
            if let Some(group) = groups.last_mut() {
                group.push(c);
            }
            position += 1;
            end = position;
            continue;
        }
        // At most two separators in a row (`) `), and only when a digit follows.
        let mut look = position;
        let mut run = Vec::new();
        while let Some(s) = at(look).filter(|s| SEPARATORS.contains(s)) {
            run.push(s);
            look += 1;
        }
        if run.is_empty() || run.len() > 2 || !at(look).is_some_and(|d| d.is_ascii_digit()) {
            break;
        }
        separators.push(
            *run.iter()
                .find(|s| **s != ')' && **s != '(')
                .unwrap_or(&run[0]),
        );
        groups.push(String::new());
        position = look;
    }
    let mut token = NumberToken {
        start: index,
        end,
        groups,
        plus,
        separators,
        check_x: false,
    };
    // A Chinese resident ID may end in X.
    if token.digit_count() == 17 && matches!(at(end), Some('X' | 'x')) {
        token.check_x = true;
        token.end += 1;
    }
    if !ends_alone(chars, token.end) {
        return None;
    }
    Some(token)
}

/// Whether a token may start at `index`: not glued to a word, not the tail of a larger number
/// (`1,499`, `14:30`, `2024/05`), not a price, not an element id in brackets.
fn starts_alone(chars: &[(usize, char)], index: usize) -> bool {
    let Some(&(_, before)) = index.checked_sub(1).and_then(|i| chars.get(i)) else {
        return true;
    };
    if is_word_char(before) || CURRENCY.contains(&before) || before == '[' || before == '#' {
        return false;
    }
    if matches!(before, '.' | ',' | ':' | '/' | '-' | '+')
        && index
            .checked_sub(2)
            .and_then(|i| chars.get(i))
            .is_some_and(|&(_, c)| c.is_ascii_digit())
    {
        return false;
    }
    // A currency sign then a space: `$ 12.50`, `¥ 1299`.
    if before == ' '
        && index
            .checked_sub(2)
            .and_then(|i| chars.get(i))
            .is_some_and(|&(_, c)| CURRENCY.contains(&c))
    {
        return false;
    }
    true
}

/// Whether a token may end at `end`: not glued to a word, not followed by more of a number
/// (`14:30`, `1,499`, `12.5`), not a percentage, not an element id in brackets.
fn ends_alone(chars: &[(usize, char)], end: usize) -> bool {
    let Some(&(_, after)) = chars.get(end) else {
        return true;
    };
    if is_word_char(after) || matches!(after, '%' | ']' | '°' | '元' | '℃') {
        return false;
    }
    !(matches!(after, '.' | ',' | ':' | '/')
        && chars.get(end + 1).is_some_and(|&(_, c)| c.is_ascii_digit()))
}

/// What a number token is, if it is personal data.
fn classify(text: &str, chars: &[(usize, char)], token: &NumberToken) -> Option<SensitiveKind> {
    if is_resident_id(token) || is_ssn(token) {
        return Some(SensitiveKind::Id);
    }
    if is_card(token) {
        return Some(SensitiveKind::Card);
    }
    if is_phone(token) {
        return Some(SensitiveKind::Phone);
    }
    if is_code_shape(token) && near_code_cue(text, chars, token) {
        return Some(SensitiveKind::Code);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Identity numbers
// ---------------------------------------------------------------------------------------------

/// A Chinese resident ID: 17 digits and a check character (digit or X), written as one run or
/// grouped 6-8-4, whose ISO 7064 MOD 11-2 check matches.
fn is_resident_id(token: &NumberToken) -> bool {
    if token.plus || !token.only_separators(&[' ']) {
        return false;
    }
    let digits = token.digits();
    let grouped_ok = token.groups.len() == 1
        || token.groups.iter().map(String::len).collect::<Vec<_>>()
            == [6, 8, if token.check_x { 3 } else { 4 }];
    let length_ok = if token.check_x {
        digits.len() == 17
    } else {
        digits.len() == 18
    };
    if !grouped_ok || !length_ok {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = digits
        .chars()
        .take(17)
        .zip(WEIGHTS)
        .map(|(digit, weight)| digit.to_digit(10).unwrap_or(0) * weight)
        .sum();
    let expected = CHECK[(sum % 11) as usize];
    let actual = if token.check_x {
        'X'
    } else {
        digits.chars().nth(17).unwrap_or(' ')
    };
    // The birth month in positions 11–12 must be a month: a cheap guard against look-alikes.
    let month: u32 = digits.get(10..12).and_then(|m| m.parse().ok()).unwrap_or(0);
    expected == actual && (1..=12).contains(&month)
}

/// A US social security number written `AAA-GG-SSSS` (or with spaces), with the ranges the
/// SSA never issues left out (area 000, 666 or 9xx, group 00, serial 0000).
fn is_ssn(token: &NumberToken) -> bool {
    let sizes: Vec<usize> = token.groups.iter().map(String::len).collect();
    if token.plus || sizes != [3, 2, 4] || !token.only_separators(&['-', ' ']) {
        return false;
    }
    let area: u32 = token.groups[0].parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && token.groups[1] != "00" && token.groups[2] != "0000"
}

// ---------------------------------------------------------------------------------------------
// Cards and phones
// ---------------------------------------------------------------------------------------------

/// A payment card number: 13–19 digits in one run or in groups of four (Amex 4-6-5), passing
/// the Luhn check.
fn is_card(token: &NumberToken) -> bool {
    if token.plus || token.check_x || !token.only_separators(&[' ', '-']) {
        return false;
    }
    let count = token.digit_count();
    if !(13..=19).contains(&count) {
        return false;
    }
    let sizes: Vec<usize> = token.groups.iter().map(String::len).collect();
    let grouped_ok = sizes.len() == 1
        || sizes == [4, 6, 5]
        || sizes == [4, 6, 4]
        || sizes[..sizes.len() - 1].iter().all(|&size| size == 4);
    grouped_ok && luhn(&token.digits())
}

/// The Luhn checksum used by payment cards.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(position, digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A phone number: international (`+` and 8–15 digits), national (10–13 digits, grouped in
/// groups of at least two), or local (7–9 digits in groups of at least three, the last of four
/// or more, like `555-0123` or `8888 6666`).
/// Dates (`2024-05-01`, `01.05.2024`) have a short group and are not phone numbers.
fn is_phone(token: &NumberToken) -> bool {
    if token.check_x {
        return false;
    }
    let count = token.digit_count();
    let sizes: Vec<usize> = token.groups.iter().map(String::len).collect();
    if token.plus {
        return (8..=15).contains(&count);
    }
    if (10..=13).contains(&count) {
        return sizes.iter().all(|&size| size >= 2) && !is_date_like(&sizes);
    }
    if (7..=9).contains(&count) {
        let last = sizes.last().copied().unwrap_or(0);
        return (2..=3).contains(&sizes.len())
            && sizes.iter().all(|&size| size >= 3)
            && last >= 4
            && !token.separators.contains(&'.');
    }
    false
}

/// Group sizes of a date or a date and time (`2024-05-01`, `2024 05 01 1430`).
fn is_date_like(sizes: &[usize]) -> bool {
    matches!(sizes, [4, 2, 2, ..] | [2, 2, 4, ..])
}

// ---------------------------------------------------------------------------------------------
// One-time codes
// ---------------------------------------------------------------------------------------------

/// 4–8 digits in one run, or split once in two halves (`482 913`, `4829-1375`).
fn is_code_shape(token: &NumberToken) -> bool {
    if token.plus || token.check_x {
        return false;
    }
    let count = token.digit_count();
    let sizes: Vec<usize> = token.groups.iter().map(String::len).collect();
    (4..=8).contains(&count)
        && (sizes.len() == 1
            || (sizes.len() == 2
                && sizes[0].abs_diff(sizes[1]) <= 1
                && token.only_separators(&[' ', '-'])))
}

/// How far from the digits (in characters, on the same line) a cue may stand.
const CUE_WINDOW_CHARS: usize = 32;

/// Words that mark a one-time code, matched as whole words, case-insensitively.
const CODE_CUES: [&str; 10] = [
    "code",
    "codes",
    "otp",
    "passcode",
    "pin",
    "verification",
    "verify",
    "one-time",
    "2fa",
    "authentication",
];

/// A word before "code" that makes it something else than a one-time code.
const NOT_A_CODE: [&str; 14] = [
    "zip", "postal", "post", "area", "country", "promo", "coupon", "discount", "error", "status",
    "source", "qr", "bar", "colour",
];

/// Chinese cues, matched as substrings.
const CODE_CUES_ZH: [&str; 9] = [
    "验证码",
    "校验码",
    "动态码",
    "动态密码",
    "确认码",
    "安全码",
    "短信码",
    "口令",
    "取件码",
];

/// Whether a code cue stands within [`CUE_WINDOW_CHARS`] of the token on its line, within the
/// same text (the encoder joins the texts of one element with ` | `: a sender's short number
/// beside a message about a code is not the code).
fn near_code_cue(text: &str, chars: &[(usize, char)], token: &NumberToken) -> bool {
    let is_break = |c: char| c == '\n' || c == '|';
    let line_start = chars[..token.start]
        .iter()
        .rposition(|&(_, c)| is_break(c))
        .map_or(0, |i| i + 1);
    let line_end = chars[token.end..]
        .iter()
        .position(|&(_, c)| is_break(c))
        .map_or(chars.len(), |i| token.end + i);
    let from = token.start.saturating_sub(CUE_WINDOW_CHARS).max(line_start);
    let to = (token.end + CUE_WINDOW_CHARS).min(line_end);
    let before = &text[byte_range(text, chars, from, token.start)];
    let after = &text[byte_range(text, chars, token.end, to)];
    has_cue(before) || has_cue(after)
}

fn has_cue(window: &str) -> bool {
    if CODE_CUES_ZH.iter().any(|cue| window.contains(cue)) {
        return true;
    }
    let lower = window.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| !word.is_empty())
        .collect();
    words.iter().enumerate().any(|(index, word)| {
        CODE_CUES.contains(word)
            && !(word.starts_with("code")
                && index
                    .checked_sub(1)
                    .and_then(|i| words.get(i))
                    .is_some_and(|previous| NOT_A_CODE.contains(previous)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings of `text` as (kind, matched text).
    fn found(text: &str) -> Vec<(SensitiveKind, &str)> {
        find_sensitive(text)
            .into_iter()
            .map(|finding| (finding.kind, &text[finding.range]))
            .collect()
    }

    use SensitiveKind::{Card, Code, Email, Id, Phone};

    #[test]
    fn phone_numbers_in_the_shapes_people_write_them() {
        assert_eq!(
            found("[5] Maria Lopez | +1 415-555-0115"),
            [(Phone, "+1 415-555-0115")]
        );
        assert_eq!(
            found("Call (415) 555-0177 now"),
            [(Phone, "(415) 555-0177")]
        );
        assert_eq!(found("415.555.0177"), [(Phone, "415.555.0177")]);
        assert_eq!(found("dial 555-0123."), [(Phone, "555-0123")]);
        assert_eq!(
            found("+44 20 7946 0958, +86 138 1234 5678"),
            [(Phone, "+44 20 7946 0958"), (Phone, "+86 138 1234 5678")]
        );
    }

    #[test]
    fn chinese_phone_numbers() {
        assert_eq!(found("妈妈 手机：13812345678"), [(Phone, "13812345678")]);
        assert_eq!(found("电话13812345678"), [(Phone, "13812345678")]);
        assert_eq!(found("座机 8888 6666"), [(Phone, "8888 6666")]);
        assert_eq!(
            found("请拨打 +86 10 6552 9988 联系客服"),
            [(Phone, "+86 10 6552 9988")]
        );
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            found("[9] maria.lopez@example.com (Email)"),
            [(Email, "maria.lopez@example.com")]
        );
        assert_eq!(
            found("写信给 wang.fang+work@mail.example.cn。"),
            [(Email, "wang.fang+work@mail.example.cn")]
        );
        // Not addresses: a handle, a version, a bare @.
        assert!(found("@lobster on 12 @ 3pm, a@b, x@localhost").is_empty());
    }

    #[test]
    fn card_numbers_pass_luhn() {
        assert_eq!(
            found("Card 4111 1111 1111 1111 exp 12/27"),
            [(Card, "4111 1111 1111 1111")]
        );
        assert_eq!(
            found("5500-0000-0000-0004"),
            [(Card, "5500-0000-0000-0004")]
        );
        assert_eq!(
            found("Amex 3782 822463 10005"),
            [(Card, "3782 822463 10005")]
        );
        assert_eq!(
            found("卡号 6222021234567890128"),
            [(Card, "6222021234567890128")]
        );
        // Luhn fails: a 16-digit order number is a long number, read as a national phone
        // number only when it fits one (it does not: 16 digits).
        assert!(found("Order 4111 1111 1111 1112").is_empty());
    }

    #[test]
    fn identity_numbers() {
        assert_eq!(
            found("身份证号 11010519491231002X"),
            [(Id, "11010519491231002X")]
        );
        assert_eq!(
            found("ID: 110105 19491231 002X"),
            [(Id, "110105 19491231 002X")]
        );
        assert_eq!(
            found("身份证 440524188001010014"),
            [(Id, "440524188001010014")]
        );
        assert_eq!(found("SSN 123-45-6789"), [(Id, "123-45-6789")]);
        // Never issued: area 000 / 666 / 9xx, group 00, serial 0000.
        assert!(found("000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000").is_empty());
        // A wrong check digit is not an ID (and 18 digits is too long for a phone number).
        assert!(found("110105194912310021").is_empty());
    }

    #[test]
    fn one_time_codes_need_a_cue() {
        assert_eq!(
            found("Your verification code is 482913. It expires in 10 minutes."),
            [(Code, "482913")]
        );
        assert_eq!(
            found("G-482913 is your Google verification code."),
            [(Code, "482913")]
        );
        assert_eq!(found("OTP: 7731"), [(Code, "7731")]);
        assert_eq!(found("Use code 482 913 to sign in"), [(Code, "482 913")]);
        assert_eq!(
            found("【顺丰】您的验证码为 386514，5分钟内有效"),
            [(Code, "386514")]
        );
        assert_eq!(found("验证码：48291375"), [(Code, "48291375")]);
        assert_eq!(found("动态密码 0427，请勿泄露"), [(Code, "0427")]);
        // No cue, no code.
        assert!(found("Order 482913 has shipped").is_empty());
        // Cues that are not one-time codes.
        assert!(found("Zip code 94107").is_empty());
        assert!(found("Enter the promo code SAVE2024 at checkout").is_empty());
    }

    #[test]
    fn times_prices_dates_and_ids_are_left_alone() {
        for text in [
            "[12] Alarm 07:30 (switch, on)",
            "[3] Wi-Fi | HomeNet-5G",
            "Meeting 14:30–15:45 on 2024-05-01",
            "Delivered 01.05.2024 at 8:05",
            "Total $1,499.00 (was $ 1999)",
            "¥1299 包邮，原价￥1,599.00",
            "售价 1299元，优惠 20%",
            "Battery 80%",
            "Build LSIM.240101.001, Android 14",
            "Rated 4.6 from 312 reviews",
            "… 9 more in [2]",
            "[1204] Send (disabled)",
            "Code [1234] Verify",
            "Row F, seat 12; flight LH2024",
            "40 x 38 cm, 350 ml, 26 cm skillet",
            "2024年5月1日 下午3:30",
            "v2.3.1 released 2023/11/02",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn mixed_text_finds_each_kind_once() {
        let text = "Chen Wei\n+1 415-555-0105\nchen.wei@example.com\n\
                    Your code: 551203\nCard 4111111111111111";
        assert_eq!(
            found(text),
            [
                (Phone, "+1 415-555-0105"),
                (Email, "chen.wei@example.com"),
                (Code, "551203"),
                (Card, "4111111111111111"),
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "+",
            "(",
            "+(",
            "@",
            "1",
            "12345678901234567890123",
            "X",
            "+1 ",
            "((1",
        ] {
            let _ = find_sensitive(text);
        }
    }

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in SensitiveKind::ALL {
            assert_eq!(SensitiveKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(SensitiveKind::from_name("secret"), None);
    }
}
