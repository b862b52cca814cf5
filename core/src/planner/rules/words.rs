//! The small vocabulary the rules read: a goal's normal form, numbers written as words (English)
//! or numerals (Chinese), and phone numbers.
//!
//! Why by hand: these are closed, tiny tables (one to sixty, 零 to 九十九) where a library would
//! bring far more than is used; everything open-ended (the patterns) is left to `regex`.

/// `goal` as the rules match it: full-width digits and punctuation made ASCII, curly quotes
/// straight, whitespace collapsed, trailing full stops and exclamation marks dropped. Case is
/// kept (labels and message bodies keep theirs); the patterns match case-insensitively.
pub(super) fn normalize(goal: &str) -> String {
    let mapped: String = goal
        .chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '：' => ':',
            '，' | '、' => ',',
            '＋' => '+',
            '（' => '(',
            '）' => ')',
            '“' | '”' | '「' | '」' | '＂' => '"',
            '‘' | '’' => '\'',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let collapsed = mapped.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(['.', '!', '。', '！', '?', '？'])
        .trim()
        .to_owned()
}

/// An English number word from zero to fifty-nine (`seven`, `forty-five`, `forty five`), or
/// digits.
pub(super) fn english_number(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase();
    if let Ok(value) = text.parse::<u32>() {
        return Some(value);
    }
    const ONES: [&str; 20] = [
        "zero",
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
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 4] = ["twenty", "thirty", "forty", "fifty"];
    if let Some(value) = ONES.iter().position(|word| *word == text) {
        return u32::try_from(value).ok();
    }
    let mut parts = text.splitn(2, ['-', ' ']);
    let tens = parts.next()?;
    let ten = TENS.iter().position(|word| *word == tens)?;
    let ten = u32::try_from(ten).ok()? * 10 + 20;
    match parts.next() {
        None => Some(ten),
        Some(one) => {
            let one = ONES[1..10].iter().position(|word| *word == one.trim())?;
            Some(ten + u32::try_from(one).ok()? + 1)
        }
    }
}

/// A Chinese numeral up to 99 (`七`, `十`, `十五`, `二十`, `四十五`, `两`, `零五`), or digits.
pub(super) fn chinese_number(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(value) = text.parse::<u32>() {
        return Some(value);
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', one] => Some(10 + digit(*one)?),
        [tens, '十'] => Some(digit(*tens)? * 10),
        [tens, '十', one] => Some(digit(*tens)? * 10 + digit(*one)?),
        ['零' | '〇', one] => digit(*one),
        [one] => digit(*one),
        _ => None,
    }
}

/// A number in either language.
pub(in crate::planner) fn any_number(text: &str) -> Option<u32> {
    english_number(text).or_else(|| chinese_number(text))
}

/// A phone number as the catalog takes it: digits only, with a leading `+` when written. At
/// least three digits and at most fifteen (E.164); spaces, dashes, dots and parentheses between
/// digits are dropped. `None` for anything else (letters, a second `+`).
pub(super) fn phone_number(text: &str) -> Option<String> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", text),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    (3..=15)
        .contains(&digits.len())
        .then(|| format!("{plus}{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_normalized() {
        assert_eq!(
            normalize("  Set an alarm\tfor 6:45 . "),
            "Set an alarm for 6:45"
        );
        assert_eq!(normalize("定一个７：３０的闹钟。"), "定一个7:30的闹钟");
        assert_eq!(normalize("Text “hi” now!"), "Text \"hi\" now");
    }

    #[test]
    fn numbers_in_words_and_numerals() {
        for (text, value) in [
            ("seven", 7),
            ("Forty-five", 45),
            ("forty five", 45),
            ("twenty", 20),
            ("12", 12),
        ] {
            assert_eq!(english_number(text), Some(value), "{text}");
        }
        assert_eq!(english_number("sixty"), None);
        assert_eq!(english_number("forty-ten"), None);
        for (text, value) in [
            ("七", 7),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("四十五", 45),
            ("两", 2),
            ("零五", 5),
        ] {
            assert_eq!(chinese_number(text), Some(value), "{text}");
        }
        assert_eq!(chinese_number("百"), None);
        assert_eq!(chinese_number("一二三"), None);
    }

    #[test]
    fn phone_numbers_keep_digits_and_a_leading_plus() {
        assert_eq!(
            phone_number("+1 415-555-0123").as_deref(),
            Some("+14155550123")
        );
        assert_eq!(
            phone_number("(415) 555.0123").as_deref(),
            Some("4155550123")
        );
        assert_eq!(
            phone_number("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(phone_number("10086").as_deref(), Some("10086"));
        for bad in [
            "12",
            "Ana",
            "+1 415 555 0123 ext 4",
            "1+2",
            "1234567890123456",
        ] {
            assert_eq!(phone_number(bad), None, "{bad}");
        }
    }
}
