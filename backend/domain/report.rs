//! The rules of the team's figures: which days a report covers, and what the municipality
//! may see of a figure (a small group can be re-identified, so below 5 only "<5").

use chrono::{NaiveDate, TimeDelta, Weekday};

use super::Invalid;

/// Figures under this are not shown to an audience that sees no small numbers.
pub const SMALL: i64 = 5;
/// The longest period: three years.
pub const MAX_DAYS: i64 = 3 * 366;

/// A period as asked for: exactly one of a custom range (`from` and `to`), a calendar year,
/// a month (`YYYY-MM`) or an ISO week (`YYYY-Www`). Kept as asked, so that who may ask is
/// checked before what was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodChoice {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub year: Option<i32>,
    pub month: Option<String>,
    pub week: Option<String>,
}

fn bad_period() -> Invalid {
    Invalid::new(
        "bad_period",
        "Give one period: from and to, year, month (YYYY-MM) or week (YYYY-Www); at most three years.",
    )
}

impl PeriodChoice {
    /// The first and last local day, inclusive.
    pub fn days(&self) -> Result<(NaiveDate, NaiveDate), Invalid> {
        let (first, last) = match (
            self.from,
            self.to,
            self.year,
            self.month.as_deref(),
            self.week.as_deref(),
        ) {
            (Some(from), Some(to), None, None, None) => (from, to),
            (None, None, Some(year), None, None) => (
                NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad_period)?,
                NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad_period)?,
            ),
            (None, None, None, Some(month), None) => {
                let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                    .map_err(|_| bad_period())?;
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .ok_or_else(bad_period)?;
                (first, next - TimeDelta::days(1))
            }
            (None, None, None, None, Some(week)) => {
                let (year, number) = week.split_once("-W").ok_or_else(bad_period)?;
                let year: i32 = year.parse().map_err(|_| bad_period())?;
                let number: u32 = number.parse().map_err(|_| bad_period())?;
                let monday = NaiveDate::from_isoywd_opt(year, number, Weekday::Mon)
                    .ok_or_else(bad_period)?;
                (monday, monday + TimeDelta::days(6))
            }
            _ => return Err(bad_period()),
        };
        if last < first || (last - first).num_days() > MAX_DAYS {
            return Err(bad_period());
        }
        Ok((
            super::day::day("from", first)?,
            super::day::day("to", last)?,
        ))
    }
}

/// A figure as its audience sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shown {
    Count(i64),
    /// Rounded to one decimal.
    Decimal(f64),
    /// Below `SMALL`, for an audience that sees no small numbers.
    Small,
}

/// A count, suppressed below `SMALL` when `suppress`.
pub fn count(value: i64, suppress: bool) -> Shown {
    if suppress && value < SMALL {
        Shown::Small
    } else {
        Shown::Count(value)
    }
}

/// `total / over` to one decimal (0 over nothing), suppressed when the exact average lies
/// below `SMALL` and `suppress`.
pub fn average(total: i64, over: i64, suppress: bool) -> Shown {
    let average = if over == 0 {
        0.0
    } else {
        total as f64 / over as f64
    };
    if suppress && average < SMALL as f64 {
        Shown::Small
    } else {
        Shown::Decimal((average * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn choice(f: impl FnOnce(&mut PeriodChoice)) -> PeriodChoice {
        let mut choice = PeriodChoice::default();
        f(&mut choice);
        choice
    }

    #[test]
    fn a_period_is_a_range_a_year_a_month_or_a_week() {
        let range = choice(|c| {
            c.from = Some(day("2026-03-01"));
            c.to = Some(day("2026-03-10"));
        });
        assert_eq!(range.days(), Ok((day("2026-03-01"), day("2026-03-10"))));
        let year = choice(|c| c.year = Some(2022));
        assert_eq!(year.days(), Ok((day("2022-01-01"), day("2022-12-31"))));
        let month = choice(|c| c.month = Some("2024-02".into()));
        assert_eq!(month.days(), Ok((day("2024-02-01"), day("2024-02-29"))));
        let week = choice(|c| c.week = Some("2026-W48".into()));
        assert_eq!(week.days(), Ok((day("2026-11-23"), day("2026-11-29"))));
    }

    #[test]
    fn one_period_of_at_most_three_years() {
        assert_eq!(
            PeriodChoice::default().days().unwrap_err().code,
            "bad_period"
        );
        let two = choice(|c| {
            c.year = Some(2022);
            c.month = Some("2022-01".into());
        });
        assert!(two.days().is_err());
        let backwards = choice(|c| {
            c.from = Some(day("2026-03-10"));
            c.to = Some(day("2026-03-01"));
        });
        assert!(backwards.days().is_err());
        let long = choice(|c| {
            c.from = Some(day("2020-01-01"));
            c.to = Some(day("2023-01-05"));
        });
        assert!(long.days().is_err());
        assert!(choice(|c| c.week = Some("2026-48".into())).days().is_err());
    }

    #[test]
    fn small_numbers_are_hidden_only_from_who_may_not_see_them() {
        assert_eq!(count(4, true), Shown::Small);
        assert_eq!(count(5, true), Shown::Count(5));
        assert_eq!(count(0, false), Shown::Count(0));
        assert_eq!(average(7, 2, false), Shown::Decimal(3.5));
        assert_eq!(average(7, 2, true), Shown::Small);
        assert_eq!(average(0, 0, false), Shown::Decimal(0.0));
        assert_eq!(average(100, 3, true), Shown::Decimal(33.3));
    }
}
