//! Warm handover (warme overdracht): a client passes from one casemanager to another, and
//! for an overlap period both answer for her, so nobody lets go before the other holds on.

use chrono::{NaiveDate, TimeDelta};

use super::{Invalid, text};

/// Longer than two months is no longer a handover but a second casemanager.
pub const MAX_OVERLAP_DAYS: i64 = 60;
pub const NOTE_MAX: usize = 2000;

/// The days both casemanagers answer for her: from today up to and including `until`,
/// the last day of the old assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub starts_on: NaiveDate,
    pub until: NaiveDate,
}

impl Overlap {
    /// `until` is a local date, today at the earliest and at most `MAX_OVERLAP_DAYS` ahead.
    pub fn parse(today: NaiveDate, until: NaiveDate) -> Result<Overlap, Invalid> {
        if until < today {
            return Err(Invalid::new(
                "overlap_in_past",
                "overlap_until lies in the past; the overlap runs from today.",
            ));
        }
        if until - today > TimeDelta::days(MAX_OVERLAP_DAYS) {
            return Err(Invalid::new(
                "overlap_too_long",
                format!("A handover overlap lasts at most {MAX_OVERLAP_DAYS} days."),
            ));
        }
        Ok(Overlap {
            starts_on: today,
            until,
        })
    }
}

/// What the new casemanager needs to know; required, because a handover without one is cold.
pub fn note(raw: &str) -> Result<String, Invalid> {
    text::bounded("note", raw, NOTE_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_overlap_runs_from_today_for_at_most_sixty_days() {
        let today = day("2026-11-23");
        assert_eq!(
            Overlap::parse(today, today).unwrap(),
            Overlap {
                starts_on: today,
                until: today
            }
        );
        assert!(Overlap::parse(today, day("2027-01-22")).is_ok());
        assert_eq!(
            Overlap::parse(today, day("2027-01-23")).unwrap_err().code,
            "overlap_too_long"
        );
        assert_eq!(
            Overlap::parse(today, day("2026-11-22")).unwrap_err().code,
            "overlap_in_past"
        );
    }
}
