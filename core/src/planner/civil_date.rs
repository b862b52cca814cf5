//! A calendar date, for goals that name a day ("tomorrow at 3 pm", "明天下午三点").
//!
//! Why its own type: plans carry dates as plain year, month and day (an intent's `begin`), and
//! every planner must read "today" the way the user does — the phone's local date, not UTC
//! (from 16:00 in Los Angeles UTC already has tomorrow's date, and until 08:00 in Shanghai it
//! still has yesterday's). The arithmetic and the local time zone come from
//! chrono, which reads `TZ` or `/etc/localtime` on Linux and the time zone property and tzdata
//! on Android.

use chrono::{Datelike, Days, Local, NaiveDate};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilDate {
    /// The year.
    pub year: u16,
    /// The month, 1–12.
    pub month: u8,
    /// The day of the month.
    pub day: u8,
}

impl CivilDate {
    /// Today on this device's clock, in its local time zone.
    pub fn today() -> CivilDate {
        CivilDate::from_naive(Local::now().date_naive())
    }

    /// The date `YYYY-MM-DD` names, or `None` when it names none (month 13, 30 February).
    pub fn parse(text: &str) -> Option<CivilDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(CivilDate::from_naive)
    }

    /// The date `count` days later (or earlier); the same date when that leaves the calendar.
    pub fn plus_days(self, count: i64) -> CivilDate {
        let Some(date) = self.naive() else {
            return self;
        };
        let days = Days::new(count.unsigned_abs());
        let moved = if count >= 0 {
            date.checked_add_days(days)
        } else {
            date.checked_sub_days(days)
        };
        moved.map_or(self, CivilDate::from_naive)
    }

    /// Monday 0 … Sunday 6 (Monday for a date that is not one).
    pub fn weekday(self) -> i64 {
        self.naive()
            .map_or(0, |date| i64::from(date.weekday().num_days_from_monday()))
    }

    fn naive(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    fn from_naive(date: NaiveDate) -> CivilDate {
        CivilDate {
            year: u16::try_from(date.year().clamp(1, 9_999)).unwrap_or(1),
            month: u8::try_from(date.month()).unwrap_or(1),
            day: u8::try_from(date.day()).unwrap_or(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> CivilDate {
        CivilDate { year, month, day }
    }

    #[test]
    fn dates_count_days_and_weekdays() {
        assert_eq!(date(2026, 12, 7).weekday(), 0, "2026-12-07 is a Monday");
        assert_eq!(date(2026, 12, 13).weekday(), 6, "and the 13th a Sunday");
        assert_eq!(date(2026, 12, 7).plus_days(25), date(2027, 1, 1));
        assert_eq!(date(2028, 2, 28).plus_days(1), date(2028, 2, 29));
        assert_eq!(date(2027, 3, 1).plus_days(-1), date(2027, 2, 28));
        assert_eq!(date(9_999, 12, 31).plus_days(i64::MAX), date(9_999, 12, 31));
        assert_eq!(date(2026, 2, 30).plus_days(1), date(2026, 2, 30));
    }

    #[test]
    fn only_real_dates_parse() {
        assert_eq!(CivilDate::parse("2026-12-07"), Some(date(2026, 12, 7)));
        for bad in [
            "2026-13-01",
            "2026-02-30",
            "tomorrow",
            "",
            "2026-12-07T10:00",
        ] {
            assert_eq!(CivilDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn today_is_the_local_date() {
        let local = Local::now().date_naive();
        let today = CivilDate::today();
        // Around midnight the two reads may straddle it; one day apart at most.
        let apart = (i64::from(today.day) - i64::from(local.day())).abs();
        assert!(
            apart <= 1 || today.day == 1 || local.day() == 1,
            "{today:?}"
        );
    }
}
