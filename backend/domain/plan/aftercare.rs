//! When her plan asks for attention by itself: its review, three months after her latest
//! assessment, and after a good exit the check-ins of her aftercare, three and six months
//! after the exit date. All local days in Amsterdam.

use chrono::{Days, Months, NaiveDate};

use crate::domain::client::ExitReason;

/// How long after her latest assessment her plan is reviewed.
pub const REVIEW_AFTER: Months = Months::new(3);

/// The check-ins after a good exit, in months after the exit date.
pub const AFTERCARE_MONTHS: [u32; 2] = [3, 6];

/// How long a check-in the sweep did not get to in time is still worth raising: a sweep
/// after downtime catches up, a first start on old closures does not flood the team with
/// check-ins long past.
pub const AFTERCARE_LATE_DAYS: i64 = 30;

/// The day her plan is due for review, given her latest assessment.
pub fn review_on(latest_assessment: NaiveDate) -> Option<NaiveDate> {
    latest_assessment.checked_add_months(REVIEW_AFTER)
}

/// Whether an exit for `reason` is followed by aftercare: to regular care, or because
/// she stopped sex work (seed 001: relapse is to be prevented).
pub fn has_aftercare(reason: ExitReason) -> bool {
    matches!(reason, ExitReason::RegularCare | ExitReason::StoppedSexWork)
}

/// The day of the check-in `months` after `exit_on`.
pub fn check_in_on(exit_on: NaiveDate, months: u32) -> Option<NaiveDate> {
    exit_on.checked_add_months(Months::new(months))
}

/// Days to spare when a bound below is reckoned in months: a month added to the last days
/// of a longer month ends on a shorter one's last day.
const SPARE_DAYS: u64 = 4;

/// The latest assessment day whose review can be due on `today`. The sweep reads only the
/// assessments made by then, and checks each review day exactly.
pub fn reviews_due_assessed_by(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(REVIEW_AFTER)
        .and_then(|day| day.checked_add_days(Days::new(SPARE_DAYS)))
        .unwrap_or(today)
}

/// The earliest exit day whose check-ins can still open on `today`: an earlier exit's
/// last check-in lies more than `AFTERCARE_LATE_DAYS` back. The sweep reads only the exits
/// since, and checks each check-in exactly.
pub fn aftercare_exits_since(today: NaiveDate) -> NaiveDate {
    let last = AFTERCARE_MONTHS.iter().copied().max().unwrap_or(0);
    today
        .checked_sub_days(Days::new(AFTERCARE_LATE_DAYS.unsigned_abs() + SPARE_DAYS))
        .and_then(|day| day.checked_sub_months(Months::new(last)))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day of two years, including leap day and month ends.
    fn days() -> impl Iterator<Item = NaiveDate> {
        let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        (0..730).map(move |n| first + Days::new(n))
    }

    #[test]
    fn no_review_due_today_is_assessed_after_the_bound() {
        for today in days() {
            let bound = reviews_due_assessed_by(today);
            for back in 0..200 {
                let assessed = today - Days::new(back);
                if review_on(assessed).unwrap() <= today {
                    assert!(
                        assessed <= bound,
                        "{assessed} due on {today}, bound {bound}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_check_in_that_may_open_today_follows_an_exit_before_the_bound() {
        for today in days() {
            let bound = aftercare_exits_since(today);
            for back in 0..300 {
                let exit = today - Days::new(back);
                let may_open = AFTERCARE_MONTHS.iter().any(|&months| {
                    let day = check_in_on(exit, months).unwrap();
                    // A day more than the rule: the start of a local day is up to two
                    // hours before midnight UTC.
                    day <= today && (today - day).num_days() <= AFTERCARE_LATE_DAYS + 1
                });
                if may_open {
                    assert!(exit >= bound, "{exit} may open on {today}, bound {bound}");
                }
            }
        }
    }
}
