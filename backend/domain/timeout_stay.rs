//! Time-out stays at IrisZorg Het Hoogeland: planned 6 a year, each at most two weeks.

use chrono::NaiveDate;

use super::Invalid;
use super::code::Code;

pub const MAX_DAYS: i64 = 14;
pub const PLANNED_PER_YEAR: i64 = 6;
pub const DEFAULT_PLACE: &str = "Het Hoogeland, Beekbergen";

/// A stay's length in days counts its nights: 1 to 15 March is 14 days.
pub fn check(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), Invalid> {
    let days = (ends_on - starts_on).num_days();
    if days < 0 {
        return Err(Invalid::new(
            "validation_failed",
            "ends_on lies before starts_on.",
        ));
    }
    if days > MAX_DAYS {
        return Err(Invalid::new(
            "timeout_too_long",
            format!("A time-out stay lasts at most {MAX_DAYS} days; this one would last {days}."),
        ));
    }
    Ok(())
}

/// How a stay went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutOutcome {
    /// She stayed as planned.
    Completed,
    /// She left before the end.
    LeftEarly,
    /// The facility ended it.
    EndedByFacility,
    /// She went on from there to care or a place to live.
    WentOnToCare,
    Other,
}

impl Code for TimeoutOutcome {
    const ALL: &'static [TimeoutOutcome] = &[
        TimeoutOutcome::Completed,
        TimeoutOutcome::LeftEarly,
        TimeoutOutcome::EndedByFacility,
        TimeoutOutcome::WentOnToCare,
        TimeoutOutcome::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            TimeoutOutcome::Completed => "completed",
            TimeoutOutcome::LeftEarly => "left_early",
            TimeoutOutcome::EndedByFacility => "ended_by_facility",
            TimeoutOutcome::WentOnToCare => "went_on_to_care",
            TimeoutOutcome::Other => "other",
        }
    }
}

/// A stay gets its outcome once it has begun: before that nothing has happened to record.
pub fn check_outcome(
    starts_on: NaiveDate,
    outcome: Option<TimeoutOutcome>,
    today: NaiveDate,
) -> Result<(), Invalid> {
    if outcome.is_some() && starts_on > today {
        return Err(Invalid::new(
            "outcome_before_start",
            "A stay gets its outcome once it has begun.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn at_most_fourteen_days() {
        assert!(check(day("2026-03-01"), day("2026-03-15")).is_ok());
        assert_eq!(
            check(day("2026-03-01"), day("2026-03-16"))
                .unwrap_err()
                .code,
            "timeout_too_long"
        );
        assert!(check(day("2026-03-02"), day("2026-03-01")).is_err());
    }

    #[test]
    fn an_outcome_once_the_stay_has_begun() {
        let today = day("2026-03-05");
        let done = Some(TimeoutOutcome::Completed);
        assert!(check_outcome(day("2026-03-05"), done, today).is_ok());
        assert!(check_outcome(day("2026-03-06"), None, today).is_ok());
        assert_eq!(
            check_outcome(day("2026-03-06"), done, today)
                .unwrap_err()
                .code,
            "outcome_before_start"
        );
    }
}
