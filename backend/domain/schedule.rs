//! When the sweep and the morning digest run: cron expressions (with seconds) read in
//! the configured zone. Kept as parsed values in the settings, so a bad expression stops
//! the start, not a tick at night.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds};

use crate::timezone::Zone;

/// One cron expression, or none (an empty setting disables it). Read and written as its
/// text, so the settings file and `--help` show what was typed.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct CronSchedule {
    text: String,
    cron: Option<Cron>,
}

impl CronSchedule {
    pub fn disabled() -> CronSchedule {
        CronSchedule {
            text: String::new(),
            cron: None,
        }
    }

    pub fn parse(text: &str) -> Result<CronSchedule, String> {
        if text.trim().is_empty() {
            return Ok(CronSchedule::disabled());
        }
        CronParser::builder()
            .seconds(Seconds::Required)
            .build()
            .parse(text)
            .map(|cron| CronSchedule {
                text: text.to_owned(),
                cron: Some(cron),
            })
            .map_err(|e| format!("`{text}` is not a cron expression with seconds: {e}"))
    }
}

impl TryFrom<String> for CronSchedule {
    type Error = String;

    fn try_from(text: String) -> Result<CronSchedule, String> {
        CronSchedule::parse(&text)
    }
}

impl From<CronSchedule> for String {
    fn from(schedule: CronSchedule) -> String {
        schedule.text
    }
}

/// The sweep and digest schedules, evaluated in the configured zone.
#[derive(Debug, Clone)]
pub struct Schedules {
    sweep: Option<Cron>,
    digest: Option<Cron>,
}

/// A morning digest missed by more than this (downtime) is skipped, not sent at night.
const DIGEST_GRACE: TimeDelta = TimeDelta::hours(12);

impl Schedules {
    pub fn new(sweep: &CronSchedule, digest: &CronSchedule) -> Schedules {
        Schedules {
            sweep: sweep.cron.clone(),
            digest: digest.cron.clone(),
        }
    }
    pub fn is_enabled(&self) -> bool {
        self.sweep.is_some() || self.digest.is_some()
    }

    /// Whether the minute starting at `now` (UTC) is a sweep or digest time in `zone`.
    pub fn fires_at(&self, now: DateTime<Utc>, zone: Zone) -> bool {
        let local = zone.to_local(now.naive_utc());
        let Some(minute) = local.with_second(0).and_then(|t| t.with_nanosecond(0)) else {
            return false;
        };
        [&self.sweep, &self.digest]
            .into_iter()
            .flatten()
            .any(|cron| cron.is_time_matching(&minute).unwrap_or(false))
    }

    /// The local date whose morning digest is due at `now`, if its time has come today
    /// (or recently enough that it is still news).
    pub fn digest_day(&self, now: NaiveDateTime, zone: Zone) -> Option<NaiveDate> {
        let cron = self.digest.as_ref()?;
        let local = zone.to_local(now);
        let latest = cron.find_previous_occurrence(&local, true).ok()?;
        (local.signed_duration_since(latest) <= DIGEST_GRACE).then(|| latest.date_naive())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::timezone::testing::ams;

    fn schedules(sweep: &str, digest: &str) -> Schedules {
        Schedules::new(
            &CronSchedule::parse(sweep).unwrap(),
            &CronSchedule::parse(digest).unwrap(),
        )
    }

    /// Every minute of the local day `day` on which `schedules` fire, in UTC.
    fn firings(schedules: &Schedules, day: NaiveDate) -> Vec<DateTime<Utc>> {
        let start = ams().start_of_day(day).and_utc();
        let end = ams().start_of_day(day + TimeDelta::days(1)).and_utc();
        let mut at = start;
        let mut out = Vec::new();
        while at < end {
            if schedules.fires_at(at, ams()) {
                out.push(at);
            }
            at += TimeDelta::minutes(1);
        }
        out
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_digest_fires_at_nine_local_on_both_change_days() {
        let digest = schedules("", "0 0 9 * * *");
        assert_eq!(
            firings(&digest, day(2026, 3, 29)),
            [Utc.with_ymd_and_hms(2026, 3, 29, 7, 0, 0).unwrap()]
        );
        assert_eq!(
            firings(&digest, day(2026, 10, 25)),
            [Utc.with_ymd_and_hms(2026, 10, 25, 8, 0, 0).unwrap()]
        );
        assert_eq!(
            firings(&digest, day(2026, 10, 26)),
            [Utc.with_ymd_and_hms(2026, 10, 26, 8, 0, 0).unwrap()]
        );
    }

    #[test]
    fn the_quarter_hour_sweep_follows_real_time_across_the_changes() {
        let sweep = schedules("0 */15 * * * *", "");
        // 23 real hours in March, 25 in October: one sweep per real quarter hour.
        assert_eq!(firings(&sweep, day(2026, 3, 29)).len(), 23 * 4);
        assert_eq!(firings(&sweep, day(2026, 10, 25)).len(), 25 * 4);
        let october = firings(&sweep, day(2026, 10, 25));
        assert!(
            october
                .windows(2)
                .all(|w| w[1] - w[0] == TimeDelta::minutes(15))
        );
    }

    #[test]
    fn the_digest_day_catches_up_after_downtime_but_not_at_night() {
        let schedules = schedules("0 */15 * * * *", "0 0 9 * * *");
        let at = |h, m| {
            Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0)
                .unwrap()
                .naive_utc()
        };
        assert_eq!(schedules.digest_day(at(7, 59), ams()), None);
        assert_eq!(
            schedules.digest_day(at(8, 0), ams()),
            Some(day(2026, 11, 23))
        );
        assert_eq!(
            schedules.digest_day(at(13, 30), ams()),
            Some(day(2026, 11, 23))
        );
        assert_eq!(schedules.digest_day(at(20, 30), ams()), None);
        assert!(CronSchedule::parse("every day").is_err());
        assert!(!super::tests::schedules("", "").is_enabled());
    }
}
