//! Quiet hours: a user's nightly window (local time) in which notifications wait.

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};

use super::Invalid;
use crate::timezone::Zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Parses `HH:MM` start and end; equal times mean no quiet hours.
    pub fn parse(start: &str, end: &str) -> Result<QuietHours, Invalid> {
        let time = |text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| Invalid::new("validation_failed", "Quiet hours are times like 23:00."))
        };
        Ok(QuietHours {
            start: time(start)?,
            end: time(end)?,
        })
    }

    pub fn format(time: NaiveTime) -> String {
        time.format("%H:%M").to_string()
    }

    /// When a notification raised at `now` may be delivered: now, or when the quiet
    /// hours that `now` falls in end.
    pub fn release_time(&self, now: NaiveDateTime, zone: Zone) -> NaiveDateTime {
        let local = zone.to_local(now);
        let time = local.time();
        let inside = if self.start < self.end {
            time >= self.start && time < self.end
        } else if self.start > self.end {
            time >= self.start || time < self.end
        } else {
            false
        };
        if !inside {
            return now;
        }
        let mut day = local.date_naive();
        if time >= self.end {
            day += TimeDelta::days(1);
        }
        zone.from_wall_time_or_after(day.and_time(self.end))
            .max(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::{ams, utc};

    #[test]
    fn night_window_defers_to_the_morning() {
        let quiet = QuietHours::parse("23:00", "08:00").unwrap();
        // 22:30 local (21:30 UTC in winter): not quiet.
        assert_eq!(
            quiet.release_time(utc("2026-11-23T21:30"), ams()),
            utc("2026-11-23T21:30")
        );
        // 23:30 local: until 08:00 local the next day (07:00 UTC).
        assert_eq!(
            quiet.release_time(utc("2026-11-23T22:30"), ams()),
            utc("2026-11-24T07:00")
        );
        // 03:00 local: until 08:00 the same day.
        assert_eq!(
            quiet.release_time(utc("2026-11-24T02:00"), ams()),
            utc("2026-11-24T07:00")
        );
        // Over the October change the release is still 08:00 local (07:00 UTC, CET).
        assert_eq!(
            quiet.release_time(utc("2026-10-24T22:00"), ams()),
            utc("2026-10-25T07:00")
        );
    }

    #[test]
    fn daytime_windows_and_none() {
        let lunch = QuietHours::parse("12:00", "13:00").unwrap();
        assert_eq!(
            lunch.release_time(utc("2026-11-23T11:15"), ams()),
            utc("2026-11-23T12:00")
        );
        let none = QuietHours::parse("00:00", "00:00").unwrap();
        assert_eq!(
            none.release_time(utc("2026-11-23T02:00"), ams()),
            utc("2026-11-23T02:00")
        );
        assert!(QuietHours::parse("25:00", "08:00").is_err());
    }
}
