//! When to try a request again, and how long to wait first.
//!
//! Why the distinctions matter: a rate limit (429) or an overloaded server (503) says when to
//! come back (`Retry-After`), and coming back sooner only earns another refusal; a server error
//! (500, 502, 504), a timeout or a dropped connection is worth another try after a growing,
//! jittered pause, so that many phones do not retry in lockstep; a request the server refused
//! as wrong (400, 401, 403, 404, 422) fails the same way every time and is not retried.

use std::time::{Duration, SystemTime};

use rand::Rng as _;

/// What a response status means for the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusClass {
    /// 2xx: read the body.
    Success,
    /// 429 or 503: retry, after `Retry-After` when the server gave one.
    Throttled,
    /// 408, 425, 500, 502, 504 and other 5xx: retry after a backoff.
    Transient,
    /// Any other status (400, 401, 403, 404, 422, …): the request cannot succeed as it is.
    Fatal,
}

/// Sorts a status code.
pub(crate) fn classify_status(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Success,
        429 | 503 => StatusClass::Throttled,
        408 | 425 | 500..=599 => StatusClass::Transient,
        _ => StatusClass::Fatal,
    }
}

/// The pause before retry number `retry` (from 1): `initial · 2^(retry-1)`, capped at `max`,
/// then drawn uniformly from its upper half ("equal jitter": never less than half the
/// schedule, so a retry storm still thins out, and never in lockstep).
pub(crate) fn backoff(initial: Duration, max: Duration, retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(20);
    let scheduled = initial.saturating_mul(1u32 << exponent).min(max);
    let half = scheduled / 2;
    let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    let jitter = if jitter_nanos == 0 {
        0
    } else {
        rand::rng().random_range(0..=jitter_nanos)
    };
    half + Duration::from_nanos(jitter)
}

/// The wait a response asks for: `retry-after-ms` (milliseconds, as OpenAI sends), or
/// `Retry-After` in seconds or as an HTTP date. `now` is the clock to measure a date against.
pub(crate) fn retry_after(
    retry_after_ms: Option<&str>,
    retry_after: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    if let Some(millis) = retry_after_ms.and_then(|value| value.trim().parse::<f64>().ok())
        && millis.is_finite()
        && millis >= 0.0
    {
        return Some(Duration::from_secs_f64(millis / 1000.0));
    }
    let value = retry_after?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let when = http_date(value)?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP date format servers send.
fn http_date(value: &str) -> Option<SystemTime> {
    let (_, rest) = value.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| name == month)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let clock: Vec<i64> = time
        .split(':')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [hour, minute, second] = clock.as_slice() else {
        return None;
    };
    if !(1..=31).contains(&day) || *hour > 23 || *minute > 59 || *second > 60 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    let seconds = u64::try_from(seconds).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_sorted() {
        assert_eq!(classify_status(200), StatusClass::Success);
        assert_eq!(classify_status(429), StatusClass::Throttled);
        assert_eq!(classify_status(503), StatusClass::Throttled);
        for status in [408, 425, 500, 502, 504, 599] {
            assert_eq!(classify_status(status), StatusClass::Transient, "{status}");
        }
        for status in [400, 401, 403, 404, 409, 413, 422] {
            assert_eq!(classify_status(status), StatusClass::Fatal, "{status}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_millis(1_000);
        for _ in 0..200 {
            let first = backoff(initial, max, 1);
            assert!((50..=100).contains(&first.as_millis()), "{first:?}");
            let third = backoff(initial, max, 3);
            assert!((200..=400).contains(&third.as_millis()), "{third:?}");
            let late = backoff(initial, max, 30);
            assert!((500..=1_000).contains(&late.as_millis()), "{late:?}");
        }
        assert_eq!(backoff(Duration::ZERO, max, 2), Duration::ZERO);
    }

    #[test]
    fn retry_after_in_its_three_spellings() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(
            retry_after(None, Some("2"), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(Some("350"), Some("2"), now),
            Some(Duration::from_millis(350))
        );
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777: 7 s after `now`.
        assert_eq!(
            retry_after(None, Some("Sun, 06 Nov 1994 08:49:37 GMT"), now),
            Some(Duration::from_secs(7))
        );
        // A date in the past means now.
        assert_eq!(
            retry_after(None, Some("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(None, Some("soon"), now), None);
        assert_eq!(retry_after(None, Some("-3"), now), None);
        assert_eq!(retry_after(Some("x"), None, now), None);
        assert_eq!(retry_after(None, None, now), None);
    }
}
