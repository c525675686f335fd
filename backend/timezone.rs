//! Conversions between stored UTC and the configured local zone. Evening shifts cross
//! midnight and daylight-saving days have 23 or 25 hours, so every conversion goes here.

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

#[derive(Clone, Copy, Debug)]
pub struct Zone(pub Tz);

/// Which reading of a wall time that occurs twice (the October change, 02:00-03:00) to take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeated {
    /// The first occurrence (summer time): for starts and moments.
    First,
    /// The second occurrence (winter time): for ends, so a span covers the whole night.
    Second,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimeParseError {
    #[error("not a date and time; use 2026-10-24T20:00 (local) or RFC 3339")]
    Malformed,
    #[error("{0} does not exist in {1}: the clocks skip that hour")]
    Skipped(NaiveDateTime, Tz),
    #[error("give a time between the years {first} and {last}", first = PLAUSIBLE_YEARS.start(), last = PLAUSIBLE_YEARS.end())]
    Implausible,
}

/// The years a time given to InBeeld may lie in. Outside them it is a typing mistake, and
/// years such as 0 or 10000 have no valid RFC 3339 form to answer with.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

impl Zone {
    /// A stored UTC instant as local time with its offset (RFC 3339 when serialised).
    pub fn to_local(&self, utc: NaiveDateTime) -> DateTime<FixedOffset> {
        Utc.from_utc_datetime(&utc)
            .with_timezone(&self.0)
            .fixed_offset()
    }

    /// Parses an instant: RFC 3339 with an offset, or local wall time without one.
    /// Wall time that occurs twice (the October change) is read as `repeated` says;
    /// wall time that never occurs (the March change) is refused.
    pub fn parse_instant(
        &self,
        text: &str,
        repeated: Repeated,
    ) -> Result<NaiveDateTime, TimeParseError> {
        if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
            return plausible(truncate_micros(with_offset.naive_utc()));
        }
        let wall = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .ok_or(TimeParseError::Malformed)?;
        plausible(wall)?;
        self.from_wall_time(wall, repeated).and_then(plausible)
    }

    pub fn from_wall_time(
        &self,
        wall: NaiveDateTime,
        repeated: Repeated,
    ) -> Result<NaiveDateTime, TimeParseError> {
        let at = match self.0.from_local_datetime(&wall) {
            LocalResult::Single(at) => at,
            LocalResult::Ambiguous(first, second) => match repeated {
                Repeated::First => first,
                Repeated::Second => second,
            },
            LocalResult::None => return Err(TimeParseError::Skipped(wall, self.0)),
        };
        Ok(truncate_micros(at.naive_utc()))
    }

    /// Like `from_wall_time`, but a wall time the clocks skip moves forward by the skipped
    /// hour, as RFC 5545 reads it (02:00 on the March change is 03:00, 02:30 is 03:30).
    pub fn from_wall_time_or_after(&self, wall: NaiveDateTime) -> NaiveDateTime {
        self.from_wall_time(wall, Repeated::First)
            .unwrap_or_else(|_| {
                self.from_wall_time(wall + chrono::TimeDelta::hours(1), Repeated::First)
                    .unwrap_or(wall)
            })
    }

    /// The local calendar date of a UTC instant.
    pub fn local_date(&self, utc: NaiveDateTime) -> NaiveDate {
        self.to_local(utc).date_naive()
    }

    /// The UTC instant at which local `date` begins (midnight always exists in our zones,
    /// but a skipped midnight falls back to the first instant after it).
    pub fn start_of_day(&self, date: NaiveDate) -> NaiveDateTime {
        self.from_wall_time_or_after(date.and_time(NaiveTime::MIN))
    }

    /// Tonight as [from, to) in UTC: the evening `now` belongs to, from local noon to noon
    /// the next day, so a shift that crosses midnight stays one evening.
    pub fn evening_of(&self, now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
        let local = self.to_local(now).naive_local();
        let day = (local - chrono::TimeDelta::hours(12)).date();
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
        (
            self.from_wall_time_or_after(day.and_time(noon)),
            self.from_wall_time_or_after((day + chrono::TimeDelta::days(1)).and_time(noon)),
        )
    }
}

/// `at` if its year is one of `PLAUSIBLE_YEARS`.
fn plausible(at: NaiveDateTime) -> Result<NaiveDateTime, TimeParseError> {
    use chrono::Datelike;
    if PLAUSIBLE_YEARS.contains(&at.year()) {
        Ok(at)
    } else {
        Err(TimeParseError::Implausible)
    }
}

/// Instants are kept as UTC with microsecond precision: PostgreSQL keeps micros, SQLite
/// would keep nanos, and values must compare equal after a round trip on both.
pub fn truncate_micros(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    let nanos = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(nanos).unwrap_or(t)
}

/// Shorthands for the unit tests that compute in Amsterdam.
#[cfg(test)]
pub mod testing {
    use chrono::NaiveDateTime;

    use super::Zone;

    /// Europe/Amsterdam, the zone InBeeld computes in.
    pub fn ams() -> Zone {
        Zone(chrono_tz::Europe::Amsterdam)
    }

    /// The UTC instant written `2026-11-23T21:30`.
    pub fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::{ams, utc};

    #[test]
    fn an_evening_runs_from_noon_to_noon_across_midnight() {
        let evening = (utc("2026-11-23T11:00"), utc("2026-11-24T11:00"));
        assert_eq!(ams().evening_of(utc("2026-11-23T19:30")), evening);
        assert_eq!(ams().evening_of(utc("2026-11-24T00:45")), evening);
        assert_eq!(ams().evening_of(utc("2026-11-24T10:59")), evening);
        assert_eq!(ams().evening_of(utc("2026-11-24T11:00")).0, evening.1);
    }

    #[test]
    fn local_evening_shift_over_the_october_change_lasts_seven_hours() {
        let start = ams()
            .parse_instant("2026-10-24T20:00", Repeated::First)
            .unwrap();
        let end = ams()
            .parse_instant("2026-10-25T02:00", Repeated::Second)
            .unwrap();
        assert_eq!(start, utc("2026-10-24T18:00"));
        assert_eq!(end, utc("2026-10-25T01:00"));
        assert_eq!((end - start).num_hours(), 7);
    }

    #[test]
    fn the_repeated_hour_is_read_as_asked_unless_an_offset_settles_it() {
        let first = ams().parse_instant("2026-10-25T02:30", Repeated::First);
        assert_eq!(first.unwrap(), utc("2026-10-25T00:30"));
        let second = ams().parse_instant("2026-10-25T02:30", Repeated::Second);
        assert_eq!(second.unwrap(), utc("2026-10-25T01:30"));
        let explicit = ams().parse_instant("2026-10-25T02:30:00+02:00", Repeated::Second);
        assert_eq!(explicit.unwrap(), utc("2026-10-25T00:30"));
    }

    #[test]
    fn the_skipped_hour_in_march_is_refused() {
        let err = ams()
            .parse_instant("2026-03-29T02:30", Repeated::First)
            .unwrap_err();
        assert!(matches!(err, TimeParseError::Skipped(..)));
    }

    #[test]
    fn local_dates_follow_the_zone_not_utc() {
        // 23:30 UTC on 24 October is already 25 October in Amsterdam (UTC+2).
        assert_eq!(
            ams().local_date(utc("2026-10-24T23:30")),
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
        assert_eq!(
            ams().start_of_day(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()),
            utc("2026-03-28T23:00")
        );
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(
            ams().parse_instant("tomorrow-ish", Repeated::First),
            Err(TimeParseError::Malformed)
        ));
    }

    #[test]
    fn a_time_far_from_now_is_a_clear_error() {
        for text in [
            "0000-11-23T20:00",
            "9999-11-23T20:00",
            "1950-01-01T00:00:00Z",
        ] {
            assert_eq!(
                ams().parse_instant(text, Repeated::First),
                Err(TimeParseError::Implausible),
                "{text}"
            );
        }
        assert!(
            ams()
                .parse_instant("2099-12-31T20:00", Repeated::First)
                .is_ok()
        );
    }
}
