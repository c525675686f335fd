//! Scheduling. tokio-cron-scheduler ticks once a minute in UTC; each tick checks the
//! configured cron expressions against the *local* wall time. This keeps schedules right
//! across daylight saving: its own time-zone jobs freeze the offset at creation and drift
//! an hour after a change (see shared/stack-notes.md). Correctness never depends on the
//! tick: the sweep is idempotent and catches up on whatever is due.

pub mod retention;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds};
use tokio_cron_scheduler::{Job, JobScheduler};

use crate::followups::sweep;
use crate::state::AppState;
use crate::timezone::Zone;

/// The sweep and digest schedules, evaluated in the configured zone. `None` is disabled.
#[derive(Debug, Clone)]
pub struct Schedules {
    sweep: Option<Cron>,
    digest: Option<Cron>,
}

/// A morning digest missed by more than this (downtime) is skipped, not sent at night.
const DIGEST_GRACE: TimeDelta = TimeDelta::hours(12);

fn parse_cron(name: &str, text: &str) -> anyhow::Result<Option<Cron>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    CronParser::builder()
        .seconds(Seconds::Required)
        .build()
        .parse(text)
        .map(Some)
        .map_err(|e| {
            anyhow::anyhow!("setting {name} `{text}` is not a cron expression with seconds: {e}")
        })
}

impl Schedules {
    pub fn parse(sweep: &str, digest: &str) -> anyhow::Result<Schedules> {
        Ok(Schedules {
            sweep: parse_cron("sweep_cron", sweep)?,
            digest: parse_cron("digest_cron", digest)?,
        })
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

/// Starts the minute tick. Returns the scheduler so it lives as long as the server.
pub async fn start(state: AppState) -> anyhow::Result<Option<JobScheduler>> {
    if !state.schedules.is_enabled() {
        tracing::warn!("sweep and digest schedules are disabled");
        return Ok(None);
    }
    let scheduler = JobScheduler::new().await?;
    let job = Job::new_async("0 * * * * *", move |_, _| {
        let state = state.clone();
        Box::pin(async move { tick(&state).await })
    })?;
    scheduler.add(job).await?;
    scheduler.start().await?;
    Ok(Some(scheduler))
}

async fn tick(state: &AppState) {
    let now = state.clock.now().and_utc();
    if !state.schedules.fires_at(now, state.zone) {
        return;
    }
    match sweep::run(state).await {
        Ok(report) => tracing::info!(?report, "follow-up sweep done"),
        Err(err) => tracing::warn!(error = %err, "follow-up sweep failed; the next one catches up"),
    }
    match retention::run(state).await {
        Ok(0) => {}
        Ok(erased) => tracing::info!(erased, "closed clients erased after the retention period"),
        Err(err) => tracing::warn!(error = %err, "retention sweep failed; the next one catches up"),
    }
    match retention::prune_audit_trail(state).await {
        // The head hash in the log pins the trail down: a rewritten chain would not end in it.
        Ok((pruned, head)) => tracing::info!(pruned, head, "audit trail checked for retention"),
        Err(err) => tracing::warn!(error = %err, "pruning the audit trail failed"),
    }
    match retention::clear_old_handover_notes(state).await {
        Ok(0) => {}
        Ok(cleared) => tracing::info!(cleared, "old shift handover notes cleared"),
        Err(err) => tracing::warn!(error = %err, "clearing old handover notes failed"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn ams() -> Zone {
        Zone(chrono_tz::Europe::Amsterdam)
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
        let digest = Schedules::parse("", "0 0 9 * * *").unwrap();
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
        let sweep = Schedules::parse("0 */15 * * * *", "").unwrap();
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
        let schedules = Schedules::parse("0 */15 * * * *", "0 0 9 * * *").unwrap();
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
        assert!(Schedules::parse("every day", "").is_err());
        assert!(!Schedules::parse("", "").unwrap().is_enabled());
    }
}
