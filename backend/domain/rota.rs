//! Weekly rota templates (weekdays, local start and end, minimum staffing) and the shifts
//! they make for a period: planned in local wall time, produced in UTC, right across the
//! daylight-saving changes.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::Invalid;
use crate::timezone::{Repeated, Zone};

/// Longest shift accepted; longer is a typo (a wrong date), not a shift.
pub const MAX_SHIFT: TimeDelta = TimeDelta::hours(16);
/// Most staff a shift can ask for.
pub const MAX_MIN_STAFF: i32 = 20;

/// ISO weekdays, Monday = 1. Stored as digits: `"12345"` is Monday to Friday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(u8);

impl Weekdays {
    pub fn parse(days: &[u8]) -> Result<Weekdays, Invalid> {
        if days.is_empty() {
            return Err(Invalid::new(
                "validation_failed",
                "weekdays must name at least one day (1 = Monday ... 7 = Sunday).",
            ));
        }
        let mut mask = 0u8;
        for &day in days {
            if !(1..=7).contains(&day) {
                return Err(Invalid::new(
                    "validation_failed",
                    "weekdays are numbered 1 (Monday) to 7 (Sunday).",
                ));
            }
            mask |= 1 << day;
        }
        Ok(Weekdays(mask))
    }

    /// Reads the stored digits; anything unexpected is skipped, not a panic.
    pub fn from_stored(digits: &str) -> Weekdays {
        Weekdays(
            digits
                .chars()
                .filter_map(|c| c.to_digit(10))
                .filter(|d| (1..=7).contains(d))
                .fold(0, |mask, d| mask | 1 << d),
        )
    }

    pub fn to_stored(self) -> String {
        self.days().iter().map(u8::to_string).collect()
    }

    pub fn days(self) -> Vec<u8> {
        (1..=7).filter(|d| self.0 & (1 << d) != 0).collect()
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        let iso = date.weekday().number_from_monday() as u8;
        self.0 & (1 << iso) != 0
    }
}

/// A local wall-clock time of day, `HH:MM`.
pub fn parse_wall_time(field: &str, text: &str) -> Result<NaiveTime, Invalid> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
        Invalid::new(
            "bad_time",
            format!("{field} must be a time of day like 20:00."),
        )
    })
}

pub fn format_wall_time(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

pub fn check_min_staff(min_staff: i32) -> Result<i32, Invalid> {
    if (1..=MAX_MIN_STAFF).contains(&min_staff) {
        Ok(min_staff)
    } else {
        Err(Invalid::new(
            "validation_failed",
            format!("min_staff must be between 1 and {MAX_MIN_STAFF}."),
        ))
    }
}

/// What a template repeats each week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    pub weekdays: Weekdays,
    pub starts: NaiveTime,
    /// At or before `starts`: the next day (an evening shift past midnight).
    pub ends: NaiveTime,
}

/// One shift a template makes: the local date it belongs to and its span in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub date: NaiveDate,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

impl Pattern {
    pub fn new(weekdays: Weekdays, starts: NaiveTime, ends: NaiveTime) -> Result<Pattern, Invalid> {
        let pattern = Pattern {
            weekdays,
            starts,
            ends,
        };
        let wall_length = pattern.end_on(NaiveDate::MIN) - NaiveDate::MIN.and_time(starts);
        if starts == ends || wall_length > MAX_SHIFT {
            return Err(Invalid::new(
                "bad_shift_times",
                "A shift lasts at most 16 hours; an end before the start is the next day.",
            ));
        }
        Ok(pattern)
    }

    fn end_on(&self, date: NaiveDate) -> NaiveDateTime {
        let day = if self.ends <= self.starts {
            date + TimeDelta::days(1)
        } else {
            date
        };
        day.and_time(self.ends)
    }

    /// The shifts on the template's weekdays from `from` to `to` (local dates, inclusive).
    /// A start in the repeated October hour is read early and an end late, as for a shift
    /// entered by hand, so a 20:00-02:00 night over the change lasts 7 hours; a time the
    /// March change skips moves forward by the skipped hour (02:00 is 03:00, 02:30 is
    /// 03:30), as RFC 5545 reads such times, so that night lasts 6 hours.
    pub fn slots(&self, zone: Zone, from: NaiveDate, to: NaiveDate) -> Vec<Slot> {
        from.iter_days()
            .take_while(|date| *date <= to)
            .filter(|date| self.weekdays.contains(*date))
            .map(|date| Slot {
                date,
                starts_at: local(zone, date.and_time(self.starts), Repeated::First),
                ends_at: local(zone, self.end_on(date), Repeated::Second),
            })
            .collect()
    }
}

fn local(zone: Zone, wall: NaiveDateTime, repeated: Repeated) -> NaiveDateTime {
    zone.from_wall_time(wall, repeated)
        .unwrap_or_else(|_| zone.from_wall_time_or_after(wall))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::{ams, utc};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn time(text: &str) -> NaiveTime {
        parse_wall_time("t", text).unwrap()
    }

    #[test]
    fn weekdays_round_trip_and_refuse_nonsense() {
        let weekdays = Weekdays::parse(&[5, 1, 2, 3, 4, 1]).unwrap();
        assert_eq!(weekdays.to_stored(), "12345");
        assert_eq!(Weekdays::from_stored("12345"), weekdays);
        assert!(weekdays.contains(day("2026-11-23"))); // a Monday
        assert!(!weekdays.contains(day("2026-11-28"))); // a Saturday
        assert!(Weekdays::parse(&[]).is_err());
        assert!(Weekdays::parse(&[0]).is_err());
        assert!(Weekdays::parse(&[8]).is_err());
    }

    #[test]
    fn cirkel_weekday_evenings_end_after_midnight() {
        let cirkel = Pattern::new(
            Weekdays::parse(&[1, 2, 3, 4, 5]).unwrap(),
            time("20:00"),
            time("00:30"),
        )
        .unwrap();
        let slots = cirkel.slots(ams(), day("2026-11-23"), day("2026-11-29"));
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[0].starts_at, utc("2026-11-23T19:00"));
        assert_eq!(slots[0].ends_at, utc("2026-11-23T23:30"));
        assert_eq!(slots[4].date, day("2026-11-27"));
    }

    #[test]
    fn nights_over_the_changes_last_seven_and_six_hours() {
        let saturday =
            Pattern::new(Weekdays::parse(&[6]).unwrap(), time("20:00"), time("02:00")).unwrap();
        let october = saturday.slots(ams(), day("2026-10-19"), day("2026-10-25"));
        assert_eq!(october.len(), 1);
        assert_eq!(october[0].starts_at, utc("2026-10-24T18:00"));
        assert_eq!(october[0].ends_at, utc("2026-10-25T01:00"));
        assert_eq!((october[0].ends_at - october[0].starts_at).num_hours(), 7);
        let march = saturday.slots(ams(), day("2026-03-23"), day("2026-03-29"));
        assert_eq!(march[0].starts_at, utc("2026-03-28T19:00"));
        assert_eq!(march[0].ends_at, utc("2026-03-29T01:00")); // 03:00 summer time
        assert_eq!((march[0].ends_at - march[0].starts_at).num_hours(), 6);
    }

    #[test]
    fn a_skipped_wall_time_moves_forward_by_the_skipped_hour() {
        let night =
            Pattern::new(Weekdays::parse(&[7]).unwrap(), time("02:30"), time("06:00")).unwrap();
        let slots = night.slots(ams(), day("2026-03-29"), day("2026-03-29"));
        assert_eq!(slots[0].starts_at, utc("2026-03-29T01:30")); // 03:30 summer time
    }

    #[test]
    fn impossible_patterns_are_refused() {
        let every = Weekdays::parse(&[1]).unwrap();
        assert!(Pattern::new(every, time("20:00"), time("20:00")).is_err());
        assert!(Pattern::new(every, time("08:00"), time("00:30")).is_err()); // 16.5 hours
        assert!(Pattern::new(every, time("08:00"), time("00:00")).is_ok()); // 16 hours
        assert!(parse_wall_time("starts", "25:00").is_err());
        assert!(check_min_staff(0).is_err());
        assert!(check_min_staff(2).is_ok());
    }
}
