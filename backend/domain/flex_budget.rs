//! The flex budget: a yearly amount per team that casemanagers spend "out of the box" for a
//! client (clothing, a sleeping bag). Money is whole euro cents, never floating point.

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Invalid;
use super::code::Code;

/// One expense above €5,000 is a typing error, not a flex purchase.
pub const MAX_EXPENSE_CENTS: i64 = 500_000;
/// A team's yearly budget above €1,000,000 is a typing error too.
pub const MAX_BUDGET_CENTS: i64 = 100_000_000;
pub const DESCRIPTION_MAX: usize = 200;
/// How far back an expense may be dated: late receipts, not last year's bookkeeping.
pub const BACKDATE_MAX_DAYS: i64 = 366;

/// What the money went to; the categories the project documents name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Clothing,
    /// A sleeping bag, a blanket.
    SleepingGear,
    Food,
    Transport,
    /// A phone, credit, a charger: staying reachable.
    Phone,
    Housing,
    /// An identity card or other papers (also needed for a registration).
    Documents,
    Other,
}

impl Code for Category {
    const ALL: &'static [Self] = &[
        Self::Clothing,
        Self::SleepingGear,
        Self::Food,
        Self::Transport,
        Self::Phone,
        Self::Housing,
        Self::Documents,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Clothing => "clothing",
            Self::SleepingGear => "sleeping_gear",
            Self::Food => "food",
            Self::Transport => "transport",
            Self::Phone => "phone",
            Self::Housing => "housing",
            Self::Documents => "documents",
            Self::Other => "other",
        }
    }
}

/// `cents` when it lies within `min..=max`; `bad_amount` naming the range otherwise.
fn cents_within(cents: i64, min: i64, max: i64) -> Result<i64, Invalid> {
    if (min..=max).contains(&cents) {
        Ok(cents)
    } else {
        Err(Invalid::new(
            "bad_amount",
            format!(
                "amount_cents must be a whole number of cents from {min} to {max} (EUR {}).",
                euros(max)
            ),
        ))
    }
}

/// The amount of one expense: 1 cent up to `MAX_EXPENSE_CENTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpenseCents(i64);

impl ExpenseCents {
    pub fn parse(cents: i64) -> Result<ExpenseCents, Invalid> {
        cents_within(cents, 1, MAX_EXPENSE_CENTS).map(ExpenseCents)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A team's budget for a year: 0 up to `MAX_BUDGET_CENTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetCents(i64);

impl BudgetCents {
    pub fn parse(cents: i64) -> Result<BudgetCents, Invalid> {
        cents_within(cents, 0, MAX_BUDGET_CENTS).map(BudgetCents)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A calendar year the budget can be kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetYear(i32);

impl BudgetYear {
    pub fn parse(year: i32) -> Result<BudgetYear, Invalid> {
        if (2000..=2100).contains(&year) {
            Ok(BudgetYear(year))
        } else {
            Err(Invalid::new(
                "bad_period",
                "year must lie between 2000 and 2100.",
            ))
        }
    }

    pub fn of(day: NaiveDate) -> Result<BudgetYear, Invalid> {
        BudgetYear::parse(day.year())
    }

    pub fn get(self) -> i32 {
        self.0
    }

    /// 1 January and 31 December: the local days whose expenses count against the year.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let first = NaiveDate::from_ymd_opt(self.0, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(self.0, 12, 31).unwrap_or(NaiveDate::MAX);
        (first, last)
    }
}

/// An expense is dated on the local day it was spent: not ahead of today, and at most
/// `BACKDATE_MAX_DAYS` back.
pub fn check_spent_on(spent_on: NaiveDate, today: NaiveDate) -> Result<(), Invalid> {
    if spent_on > today {
        return Err(Invalid::new("bad_date", "spent_on lies in the future."));
    }
    if spent_on < today - TimeDelta::days(BACKDATE_MAX_DAYS) {
        return Err(Invalid::new(
            "bad_date",
            format!("spent_on lies more than {BACKDATE_MAX_DAYS} days back."),
        ));
    }
    Ok(())
}

/// The local day an expense was spent (checked by `check_spent_on`) with the year whose
/// budget it counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpentOn {
    day: NaiveDate,
    year: BudgetYear,
}

impl SpentOn {
    pub fn parse(day: NaiveDate, today: NaiveDate) -> Result<SpentOn, Invalid> {
        check_spent_on(day, today)?;
        Ok(SpentOn {
            day,
            year: BudgetYear::of(day)?,
        })
    }

    pub fn day(self) -> NaiveDate {
        self.day
    }

    pub fn year(self) -> BudgetYear {
        self.year
    }
}

/// Where a year stands. A year without a budget set counts as a budget of 0, so every
/// expense in it is over budget until the coordinator sets one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub budget_cents: i64,
    pub budget_set: bool,
    pub spent_cents: i64,
    pub remaining_cents: i64,
    pub over_budget: bool,
}

impl Balance {
    pub fn of(budget: Option<i64>, spent_cents: i64) -> Balance {
        let budget_cents = budget.unwrap_or(0);
        let remaining_cents = budget_cents - spent_cents;
        Balance {
            budget_cents,
            budget_set: budget.is_some(),
            spent_cents,
            remaining_cents,
            over_budget: remaining_cents < 0,
        }
    }
}

/// Cents as euros with two decimals and a point (`-12.05`), by integer arithmetic.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_are_positive_whole_cents_within_reason() {
        assert!(ExpenseCents::parse(0).is_err());
        assert!(ExpenseCents::parse(-100).is_err());
        assert_eq!(ExpenseCents::parse(1).unwrap().get(), 1);
        assert!(ExpenseCents::parse(MAX_EXPENSE_CENTS).is_ok());
        assert_eq!(
            ExpenseCents::parse(MAX_EXPENSE_CENTS + 1).unwrap_err().code,
            "bad_amount"
        );
        assert!(BudgetCents::parse(0).is_ok());
        assert!(BudgetCents::parse(-1).is_err());
        assert!(BudgetCents::parse(MAX_BUDGET_CENTS + 1).is_err());
    }

    #[test]
    fn the_balance_may_go_below_zero_and_says_so() {
        let within = Balance::of(Some(10_000), 8_000);
        assert_eq!((within.remaining_cents, within.over_budget), (2_000, false));
        let exact = Balance::of(Some(10_000), 10_000);
        assert_eq!((exact.remaining_cents, exact.over_budget), (0, false));
        let over = Balance::of(Some(10_000), 11_000);
        assert_eq!((over.remaining_cents, over.over_budget), (-1_000, true));
        let unset = Balance::of(None, 500);
        assert!(!unset.budget_set && unset.over_budget);
    }

    #[test]
    fn expenses_are_dated_today_or_up_to_a_year_back() {
        let today = day("2027-01-01");
        assert!(check_spent_on(today, today).is_ok());
        assert!(check_spent_on(day("2027-01-02"), today).is_err());
        assert!(check_spent_on(day("2025-12-31"), today).is_ok());
        assert!(check_spent_on(day("2025-12-30"), today).is_err());
        let spent = SpentOn::parse(day("2026-12-31"), today).unwrap();
        assert_eq!((spent.day(), spent.year().get()), (day("2026-12-31"), 2026));
        assert!(SpentOn::parse(day("2027-01-02"), today).is_err());
    }

    #[test]
    fn euros_are_formatted_without_floats() {
        assert_eq!(euros(0), "0.00");
        assert_eq!(euros(5), "0.05");
        assert_eq!(euros(1_250), "12.50");
        assert_eq!(euros(-1_205), "-12.05");
        assert_eq!(euros(MAX_BUDGET_CENTS), "1000000.00");
    }

    #[test]
    fn a_year_runs_from_the_first_of_january_to_the_last_of_december() {
        let year = BudgetYear::of(day("2027-01-01")).unwrap();
        assert_eq!(year.get(), 2027);
        assert_eq!(year.days(), (day("2027-01-01"), day("2027-12-31")));
        assert!(BudgetYear::parse(1999).is_err());
    }
}
