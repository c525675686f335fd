//! Time-out stays at IrisZorg Het Hoogeland: planned 6 a year, each at most two weeks.

use chrono::NaiveDate;

use super::Invalid;

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
}
