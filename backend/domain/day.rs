//! Plain dates a request carries: within the years a team can mean
//! (`timezone::PLAUSIBLE_YEARS`), like the times it carries.

use chrono::{Datelike, NaiveDate};

use super::Invalid;
use crate::timezone::PLAUSIBLE_YEARS;

/// `date` if it lies in a plausible year; otherwise a 422 naming `field`.
pub fn day(field: &str, date: NaiveDate) -> Result<NaiveDate, Invalid> {
    if PLAUSIBLE_YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(Invalid::new(
            "validation_failed",
            format!(
                "{field} must lie between the years {} and {}.",
                PLAUSIBLE_YEARS.start(),
                PLAUSIBLE_YEARS.end()
            ),
        ))
    }
}

/// `day` for a date that may be left out.
pub fn maybe(field: &str, date: Option<NaiveDate>) -> Result<Option<NaiveDate>, Invalid> {
    date.map(|d| day(field, d)).transpose()
}

/// `day` for a date a PATCH may leave as is (`None`) or clear (`Some(None)`).
pub fn patch(
    field: &str,
    date: Option<Option<NaiveDate>>,
) -> Result<Option<Option<NaiveDate>>, Invalid> {
    date.map(|d| maybe(field, d)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_years_pass() {
        let date = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert!(day("starts_on", date(2026)).is_ok());
        assert!(day("starts_on", date(1999)).is_err());
        assert!(day("starts_on", date(2100)).is_err());
        assert_eq!(patch("exit_on", Some(None)), Ok(Some(None)));
        assert!(patch("exit_on", Some(Some(date(-1)))).is_err());
    }
}
