//! When to try a request again, and how long to wait first.
//!
//! Why the distinctions matter: a rate limit (429) or an overloaded server (503) says when to
//! come back (`Retry-After`), and coming back sooner only earns another refusal; a timeout, a
//! dropped connection or a gateway's report of one (502, 504) is worth another try after a
//! growing, jittered pause, so that many phones do not retry in lockstep. Anything else fails
//! the same way every time and is not retried: 400, 401, 403, 404, 422, and 500, which real
//! servers use for requests they could not parse (llama-cpp-python answers a `response_format`
//! it does not know with a 500 and a pydantic validation error). The body has the last word:
//! a validation error, an unknown parameter or model, a bad key or a spent quota is final
//! whatever status carries it, since retrying it only spends the step's time and the user's
//! money.
//!
//! Why `Retry-After` is read so warily: it is a number or a date chosen by the server (or by any
//! proxy on the way), and a value like `1e20` seconds does not fit a `Duration` or an `Instant`.
//! Every value is parsed without panicking and clamped to the time the step has left.

use std::time::{Duration, SystemTime};

use rand::Rng as _;

/// What a response status means for the retry loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusClass {
    /// 2xx: read the body.
    Success,
    /// 429 or 503: retry, after `Retry-After` when the server gave one.
    Throttled,
    /// 408, 502 or 504: a timeout or a dropped connection on the way; retry after a backoff.
    Transient,
    /// Any other status (400, 401, 403, 404, 422, 500, …): the request cannot succeed as it is.
    Fatal,
}

/// Sorts a status code.
pub(crate) fn classify_status(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Success,
        429 | 503 => StatusClass::Throttled,
        408 | 502 | 504 => StatusClass::Transient,
        _ => StatusClass::Fatal,
    }
}

/// Words of an error body (lower-cased) that say the request itself is wrong: a validation
/// error (pydantic's, FastAPI's, OpenAI's `invalid_request_error`), a parameter the server does
/// not take (and the optional ones the planner sends, named), an unknown model, a bad key, a
/// spent quota (OpenAI's 429 `insufficient_quota`).
const FINAL_WORDS: [&str; 24] = [
    "invalid_request_error",
    "validation error",
    "input should be",
    "extra inputs are not permitted",
    "extra_forbidden",
    "unsupported parameter",
    "unsupported value",
    "unknown parameter",
    "unrecognized request argument",
    "invalid parameter",
    "response_format",
    "json_schema",
    "max_tokens",
    "temperature",
    "model_not_found",
    "does not exist",
    "no such model",
    "invalid_api_key",
    "incorrect api key",
    "invalid api key",
    "unauthorized",
    "authentication",
    "insufficient_quota",
    "exceeded your current quota",
];

/// Whether an error body says the same request will fail the same way again, whatever the
/// status that carried it.
pub(crate) fn fails_the_same_way(body: &str) -> bool {
    let body = body.to_lowercase();
    FINAL_WORDS.iter().any(|word| body.contains(word))
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

/// The wait a response asks for, at most `longest` (the time left to the step's deadline: a
/// longer wait means the same, "not within this step").
///
/// Read from `retry-after-ms` (milliseconds, as OpenAI sends) when it holds a usable value, else
/// from `Retry-After`: seconds (an integer or a decimal) or an HTTP date in any of the three
/// formats HTTP allows, measured against `now`; a date in the past means now. Each value comes
/// from the server and is treated as hostile: not a number, negative or unreadable is ignored;
/// too large to hold (`1e20`, infinity, the year 9999) is `longest`. Of several headers of one
/// name, the longest wait wins.
pub(crate) fn retry_after<'a>(
    retry_after_ms: impl IntoIterator<Item = &'a str>,
    retry_after: impl IntoIterator<Item = &'a str>,
    now: SystemTime,
    longest: Duration,
) -> Option<Duration> {
    let longest_of = |waits: Vec<Option<Duration>>| waits.into_iter().flatten().max();
    let millis = retry_after_ms
        .into_iter()
        .map(|value| seconds(value, 1_000.0, longest))
        .collect();
    longest_of(millis).or_else(|| {
        let header = retry_after
            .into_iter()
            .map(|value| seconds(value, 1.0, longest).or_else(|| until(value, now, longest)))
            .collect();
        longest_of(header)
    })
}

/// `value` as a number of `per_second` units, at most `longest`; `None` when it is not a
/// number, not a number at all (NaN) or negative.
fn seconds(value: &str, per_second: f64, longest: Duration) -> Option<Duration> {
    let number = value.trim().parse::<f64>().ok()?;
    if number.is_nan() || number < 0.0 {
        return None;
    }
    if number <= 0.0 {
        // Zero, and `-0` (which `Duration` would refuse as negative).
        return Some(Duration::ZERO);
    }
    // Infinity and values past `Duration::MAX` fail to convert: longer than any deadline.
    let wait = Duration::try_from_secs_f64(number / per_second).unwrap_or(Duration::MAX);
    Some(wait.min(longest))
}

/// The time from `now` to the HTTP date `value`, at most `longest`: zero for a date in the past.
fn until(value: &str, now: SystemTime, longest: Duration) -> Option<Duration> {
    let when = httpdate::parse_http_date(value.trim()).ok()?;
    let wait = when.duration_since(now).unwrap_or(Duration::ZERO);
    Some(wait.min(longest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_sorted() {
        assert_eq!(classify_status(200), StatusClass::Success);
        assert_eq!(classify_status(429), StatusClass::Throttled);
        assert_eq!(classify_status(503), StatusClass::Throttled);
        for status in [408, 502, 504] {
            assert_eq!(classify_status(status), StatusClass::Transient, "{status}");
        }
        for status in [400, 401, 403, 404, 409, 413, 422, 425, 500, 501, 599] {
            assert_eq!(classify_status(status), StatusClass::Fatal, "{status}");
        }
    }

    #[test]
    fn bodies_that_will_fail_again_are_told_from_passing_trouble() {
        for body in [
            r#"{"error":{"message":"1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be 'text' or 'json_object'","type":"internal_server_error"}}"#,
            r#"{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}}"#,
            r#"{"error":{"message":"Incorrect API key provided: sk-***","type":"invalid_request_error","code":"invalid_api_key"}}"#,
            r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}}"#,
            r#"{"object":"error","message":"[{'type': 'extra_forbidden', 'loc': ('body', 'foo')}]","type":"BadRequestError","code":400}"#,
            "Unauthorized",
        ] {
            assert!(fails_the_same_way(body), "{body}");
        }
        for body in [
            r#"{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"#,
            r#"{"error":{"message":"The server is overloaded, try again later","type":"server_error"}}"#,
            "<html>502 Bad Gateway</html>",
            "",
        ] {
            assert!(!fails_the_same_way(body), "{body}");
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

    /// Plenty: no deadline in these tests.
    const LONG: Duration = Duration::from_secs(3_600);

    fn one(value: &str, now: SystemTime) -> Option<Duration> {
        retry_after(None, Some(value), now, LONG)
    }

    #[test]
    fn retry_after_in_seconds_milliseconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_770);
        assert_eq!(one("2", now), Some(Duration::from_secs(2)));
        assert_eq!(one(" 1.5 ", now), Some(Duration::from_millis(1_500)));
        assert_eq!(
            retry_after(Some("350"), Some("2"), now, LONG),
            Some(Duration::from_millis(350))
        );
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777: 7 s after `now`, in all three formats.
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(one(date, now), Some(Duration::from_secs(7)), "{date}");
        }
        // A date in the past means now.
        assert_eq!(
            one("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(None, None, now, LONG), None);
    }

    #[test]
    fn hostile_retry_after_values_are_ignored_or_clamped() {
        let now = SystemTime::now();
        for garbage in [
            "soon",
            "",
            "-3",
            "-inf",
            "NaN",
            "0x10",
            "1, 2",
            "Sun, 32 Nov 1994",
        ] {
            assert_eq!(one(garbage, now), None, "{garbage:?}");
        }
        for huge in [
            "1e20",
            "10000000000000000000",
            "18446744073709551616",
            "inf",
            "1e308",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(one(huge, now), Some(LONG), "{huge:?}");
        }
        assert_eq!(
            retry_after(Some("1e30"), None, now, LONG),
            Some(LONG),
            "retry-after-ms"
        );
        // An unusable `retry-after-ms` leaves the word to `Retry-After`.
        assert_eq!(
            retry_after(Some("NaN"), Some("2"), now, LONG),
            Some(Duration::from_secs(2))
        );
        assert_eq!(one("-0", now), Some(Duration::ZERO));
    }

    #[test]
    fn of_several_headers_the_longest_readable_wait_wins() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(None, ["NaN", "1", "soon", "3", "-5"], now, LONG),
            Some(Duration::from_secs(3))
        );
        assert_eq!(retry_after(None, ["x", "y"], now, LONG), None);
        assert_eq!(retry_after(None, ["1", "1e20"], now, LONG), Some(LONG));
    }
}
