//! Beschermd Wonen Licht counted in weeks against a yearly budget per team (seed 000: 18
//! weeks). The weeks used are the nights her referrals of kind `sheltered_housing` ran in
//! the year: from their start to their end, or to today while they run.

use chrono::NaiveDate;

use super::Invalid;
use super::flex_budget::BudgetYear;

/// The seed's budget, counted for a year the coordinator has set none for.
pub const DEFAULT_BUDGET_WEEKS: i32 = 18;
/// Ten years of weeks: more is a typing error.
pub const MAX_BUDGET_WEEKS: i32 = 520;

/// A budget the coordinator sets: 0 to `MAX_BUDGET_WEEKS` weeks.
pub fn check_budget(weeks: i32) -> Result<i32, Invalid> {
    if (0..=MAX_BUDGET_WEEKS).contains(&weeks) {
        Ok(weeks)
    } else {
        Err(Invalid::new(
            "validation_failed",
            format!("weeks must lie between 0 and {MAX_BUDGET_WEEKS}."),
        ))
    }
}

/// The nights of a placement from `started_on` to `until` (its end, or today) that fall in
/// `year`.
pub fn nights_in(year: BudgetYear, started_on: NaiveDate, until: NaiveDate) -> i64 {
    let (first, last) = year.days();
    let from = started_on.max(first);
    let to = until.min(last.succ_opt().unwrap_or(last));
    (to - from).num_days().max(0)
}

/// Where a year's weeks stand: the budget (set, or the default) against the nights used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeksBalance {
    pub budget_weeks: i32,
    pub budget_set: bool,
    pub used_nights: i64,
}

impl WeeksBalance {
    pub fn of(budget: Option<i32>, used_nights: i64) -> WeeksBalance {
        WeeksBalance {
            budget_weeks: budget.unwrap_or(DEFAULT_BUDGET_WEEKS),
            budget_set: budget.is_some(),
            used_nights,
        }
    }

    /// The weeks used, to one decimal: 10 nights are 1.4 weeks.
    pub fn used_weeks(self) -> f64 {
        (self.used_nights as f64 / 7.0 * 10.0).round() / 10.0
    }

    pub fn over_budget(self) -> bool {
        self.used_nights > i64::from(self.budget_weeks) * 7
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn only_the_nights_within_the_year_count() {
        let year = BudgetYear::parse(2026).unwrap();
        assert_eq!(nights_in(year, day("2026-03-01"), day("2026-03-15")), 14);
        assert_eq!(nights_in(year, day("2025-12-25"), day("2026-01-08")), 7);
        assert_eq!(nights_in(year, day("2026-12-25"), day("2027-01-08")), 7);
        assert_eq!(nights_in(year, day("2025-01-01"), day("2025-06-01")), 0);
    }

    #[test]
    fn the_seed_budget_counts_until_one_is_set() {
        let unset = WeeksBalance::of(None, 10);
        assert_eq!((unset.budget_weeks, unset.budget_set), (18, false));
        assert_eq!(unset.used_weeks(), 1.4);
        assert!(!unset.over_budget());
        assert!(WeeksBalance::of(Some(1), 8).over_budget());
        assert!(check_budget(521).is_err() && check_budget(-1).is_err());
        assert_eq!(check_budget(18), Ok(18));
    }
}
