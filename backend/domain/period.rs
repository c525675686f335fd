//! The periods the team's figures are given for: a calendar year, quarter or month, or an
//! ISO week. Each kind cuts time into fixed pieces that do not overlap, so no two answers
//! differ by a day or two: ranges of one's own choosing would let a small number be
//! recovered by subtracting one answer from another (1 January to 15 June minus 1 January
//! to 14 June is one woman's intake date).

use std::fmt;

use chrono::{Datelike, Months, NaiveDate, TimeDelta, Weekday};

use super::Invalid;
use crate::timezone::PLAUSIBLE_YEARS;

/// A period as a request names it, kept as asked, so that who may ask is checked before
/// what was asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodChoice {
    /// The `period` given, e.g. `2026-Q2`.
    pub named: Option<String>,
    /// The request also gave days of its own (`from`, `to`) or a period in another form
    /// (`year`, `month`, `week`).
    pub other_forms: bool,
}

impl PeriodChoice {
    pub fn period(&self) -> Result<Period, Invalid> {
        match (&self.named, self.other_forms) {
            (Some(named), false) => Period::parse(named),
            _ => Err(bad_period()),
        }
    }
}

fn bad_period() -> Invalid {
    Invalid::new(
        "bad_period",
        format!(
            "Give one period: a year (2026), a quarter (2026-Q2), a month (2026-06) or an ISO \
             week (2026-W23), in the years {} to {}. Figures are not given for ranges of days.",
            PLAUSIBLE_YEARS.start(),
            PLAUSIBLE_YEARS.end()
        ),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Year,
    Quarter(u32),
    Month(u32),
    /// The week's number in its ISO week-numbering year.
    Week(u32),
}

/// A year, quarter, month or ISO week in a plausible year; once it exists, its days are
/// known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The calendar year, or for a week its ISO week-numbering year.
    year: i32,
    kind: Kind,
    first: NaiveDate,
    last: NaiveDate,
}

/// `text` as a number of exactly `digits` ASCII digits.
fn digits(text: &str, digits: usize) -> Option<u32> {
    if text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

impl Period {
    /// `2026`, `2026-Q2`, `2026-06` or `2026-W23`; nothing else.
    pub fn parse(text: &str) -> Result<Period, Invalid> {
        Period::parsed(text).ok_or_else(bad_period)
    }

    fn parsed(text: &str) -> Option<Period> {
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        let year = i32::try_from(digits(year, 4)?).ok()?;
        if !PLAUSIBLE_YEARS.contains(&year) {
            return None;
        }
        let month_from = |month: u32| NaiveDate::from_ymd_opt(year, month, 1);
        let (kind, first, last) = match rest {
            None => (
                Kind::Year,
                month_from(1)?,
                NaiveDate::from_ymd_opt(year, 12, 31)?,
            ),
            Some(rest) => {
                if let Some(quarter) = rest.strip_prefix('Q') {
                    let quarter = digits(quarter, 1).filter(|q| (1..=4).contains(q))?;
                    let first = month_from(3 * quarter - 2)?;
                    (Kind::Quarter(quarter), first, end(first, 3)?)
                } else if let Some(week) = rest.strip_prefix('W') {
                    let week = digits(week, 2)?;
                    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
                    (Kind::Week(week), monday, monday + TimeDelta::days(6))
                } else {
                    let month = digits(rest, 2)?;
                    let first = month_from(month)?;
                    (Kind::Month(month), first, end(first, 1)?)
                }
            }
        };
        Some(Period {
            year,
            kind,
            first,
            last,
        })
    }

    /// The first and the last day, inclusive.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    /// The year, quarter or month from `first` to `last`. The report pack is asked for by
    /// its days, but only for these fixed periods, for the reason above; weeks are left
    /// out, a pack is an account for a quarter or a year.
    pub fn spanning(first: NaiveDate, last: NaiveDate) -> Result<Period, Invalid> {
        let (year, month) = (first.year(), first.month());
        let quarter = month.div_ceil(3);
        [
            format!("{year}"),
            format!("{year}-Q{quarter}"),
            format!("{year}-{month:02}"),
        ]
        .iter()
        .filter_map(|name| Period::parsed(name))
        .find(|period| period.days() == (first, last))
        .ok_or_else(|| {
            Invalid::new(
                "bad_period",
                "Give the first and the last day of a year, a quarter or a month \
                 (from=2026-04-01&to=2026-06-30). Figures are not given for other ranges.",
            )
        })
    }

    /// The same period a year before, if that year is a plausible one.
    pub fn year_before(&self) -> Option<Period> {
        let name = self.to_string();
        Period::parsed(&format!("{}{}", self.year - 1, name.get(4..)?))
    }

    /// The ISO weeks of the period, whole: from the Monday of the first to the Sunday of
    /// the last week whose Thursday lies in it (the rule by which ISO gives a week to a
    /// year, here also to a quarter and a month). Each week so belongs to one period of
    /// each kind, and a week's bar is the same whichever period it is drawn for.
    pub fn whole_weeks(&self) -> (NaiveDate, NaiveDate) {
        let thursday = Weekday::Thu.num_days_from_monday();
        let ahead = (7 + thursday - self.first.weekday().num_days_from_monday()) % 7;
        let back = (7 + self.last.weekday().num_days_from_monday() - thursday) % 7;
        let first_thursday = self.first + TimeDelta::days(i64::from(ahead));
        let last_thursday = self.last - TimeDelta::days(i64::from(back));
        (
            first_thursday - TimeDelta::days(3),
            last_thursday + TimeDelta::days(3),
        )
    }
}

/// The last day of the `months` months from `first`.
fn end(first: NaiveDate, months: u32) -> Option<NaiveDate> {
    Some(first.checked_add_months(Months::new(months))? - TimeDelta::days(1))
}

/// The ISO week a day lies in, as `2026-W23`.
pub fn week_name(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Year => write!(f, "{}", self.year),
            Kind::Quarter(quarter) => write!(f, "{}-Q{quarter}", self.year),
            Kind::Month(month) => write!(f, "{}-{month:02}", self.year),
            Kind::Week(week) => write!(f, "{}-W{week:02}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn days(text: &str) -> (NaiveDate, NaiveDate) {
        Period::parse(text).unwrap().days()
    }

    #[test]
    fn a_period_is_a_year_a_quarter_a_month_or_an_iso_week() {
        assert_eq!(days("2022"), (day("2022-01-01"), day("2022-12-31")));
        assert_eq!(days("2026-Q2"), (day("2026-04-01"), day("2026-06-30")));
        assert_eq!(days("2026-Q4"), (day("2026-10-01"), day("2026-12-31")));
        assert_eq!(days("2024-02"), (day("2024-02-01"), day("2024-02-29")));
        assert_eq!(days("2026-W48"), (day("2026-11-23"), day("2026-11-29")));
        // 2026 has 53 ISO weeks, the last ending in 2027; 2021's first began in 2021.
        assert_eq!(days("2026-W53"), (day("2026-12-28"), day("2027-01-03")));
        assert_eq!(days("2021-W01"), (day("2021-01-04"), day("2021-01-10")));
        for text in ["2026", "2026-Q1", "2026-06", "2026-W05"] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn anything_else_is_a_bad_period() {
        for text in [
            "",
            "26",
            "+2026",
            "02026",
            "1999",
            "2100",
            "2026-6",
            "2026-00",
            "2026-13",
            "2026-06-15",
            "2026-01-01/2026-06-14",
            "2026-Q0",
            "2026-Q5",
            "2026-q2",
            "2026-W00",
            "2026-W1",
            "2025-W53",
            "2026-W54",
            "2026-w23",
            "2026-Q2 ",
            "٢٠٢٦",
        ] {
            let refused = Period::parse(text).unwrap_err();
            assert_eq!(refused.code, "bad_period", "{text:?}");
        }
    }

    #[test]
    fn one_named_period_and_nothing_besides() {
        let named = |text: &str| Some(text.to_owned());
        let choice = |named, other_forms| PeriodChoice { named, other_forms };
        assert!(choice(named("2026-Q2"), false).period().is_ok());
        assert!(choice(named("2026-Q2"), true).period().is_err());
        assert!(choice(None, true).period().is_err());
        assert!(choice(None, false).period().is_err());
    }

    #[test]
    fn a_pack_period_is_a_year_a_quarter_or_a_month_given_by_its_days() {
        let spanning = |first: &str, last: &str| {
            Period::spanning(day(first), day(last)).map(|period| period.to_string())
        };
        assert_eq!(spanning("2026-01-01", "2026-12-31").unwrap(), "2026");
        assert_eq!(spanning("2026-04-01", "2026-06-30").unwrap(), "2026-Q2");
        assert_eq!(spanning("2026-02-01", "2026-02-28").unwrap(), "2026-02");
        for (first, last) in [
            ("2026-01-01", "2026-06-14"),
            ("2026-01-02", "2026-12-31"),
            ("2026-06-29", "2026-07-05"),
            ("2026-02-01", "2026-03-31"),
        ] {
            assert_eq!(spanning(first, last).unwrap_err().code, "bad_period");
        }
        let year_before = |name: &str| Period::parse(name).unwrap().year_before();
        assert_eq!(year_before("2026-Q2").unwrap().days(), days("2025-Q2"));
        assert_eq!(year_before("2024-02").unwrap().days(), days("2023-02"));
        assert_eq!(year_before("2026").unwrap().to_string(), "2025");
    }

    #[test]
    fn the_weeks_of_a_period_are_those_whose_thursday_lies_in_it() {
        let weeks = |text: &str| Period::parse(text).unwrap().whole_weeks();
        // June 2026 begins on a Monday; 29 and 30 June lie in a week whose Thursday is in July.
        assert_eq!(weeks("2026-06"), (day("2026-06-01"), day("2026-06-28")));
        assert_eq!(weeks("2026-07"), (day("2026-06-29"), day("2026-08-02")));
        // The year's weeks are its ISO weeks.
        assert_eq!(weeks("2022"), (day("2022-01-03"), day("2023-01-01")));
        assert_eq!(weeks("2026"), (day("2025-12-29"), day("2027-01-03")));
        assert_eq!(weeks("2026-W23"), days("2026-W23"));
        assert_eq!(week_name(day("2027-01-03")), "2026-W53");
        assert_eq!(week_name(day("2026-06-01")), "2026-W23");
    }
}
