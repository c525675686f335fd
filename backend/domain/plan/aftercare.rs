//! When her plan asks for attention by itself: its review, three months after her latest
//! assessment unless her casemanagers set another day, and after a good exit the
//! check-ins of her aftercare, three and six months after the exit date. All local days
//! in Amsterdam.

use chrono::{Days, Months, NaiveDate, NaiveDateTime};

use crate::domain::client::ExitReason;

/// How long after her latest assessment her plan is reviewed.
pub const REVIEW_AFTER: Months = Months::new(3);

/// The check-ins after a good exit, in months after the exit date.
pub const AFTERCARE_MONTHS: [u32; 2] = [3, 6];

/// How long a check-in the sweep did not get to in time is still worth raising: a sweep
/// after downtime catches up, a first start on old closures does not flood the team with
/// check-ins long past.
pub const AFTERCARE_LATE_DAYS: i64 = 30;

/// The day her plan is due for review by default, given her latest assessment.
fn review_on(latest_assessment: NaiveDate) -> Option<NaiveDate> {
    latest_assessment.checked_add_months(REVIEW_AFTER)
}

/// What her plan's review date follows from: her assessments, and a day set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewBasis {
    /// The day of her latest assessment.
    pub latest_assessment: Option<NaiveDate>,
    /// When the last of her assessments was recorded (UTC).
    pub last_recorded_at: Option<NaiveDateTime>,
    /// The day set by hand, and when it was set (UTC).
    pub set_by_hand: Option<(NaiveDate, NaiveDateTime)>,
}

impl ReviewBasis {
    /// The day set by hand, while no assessment was recorded after it was set (that
    /// assessment was the review).
    pub fn by_hand(&self) -> Option<NaiveDate> {
        let (on, set_at) = self.set_by_hand?;
        let reviewed_since = self.last_recorded_at.is_some_and(|at| at > set_at);
        (!reviewed_since).then_some(on)
    }

    /// The day her plan is due for review: the day set by hand, else three months after
    /// her latest assessment; none for a plan without either.
    pub fn review_on(&self) -> Option<NaiveDate> {
        self.by_hand()
            .or_else(|| self.latest_assessment.and_then(review_on))
    }
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

/// The earliest exit day whose check-ins can still open on `today`: an earlier exit's
/// last check-in lies more than `AFTERCARE_LATE_DAYS` back (four days to spare: a month
/// added to the last days of a longer month ends on a shorter one's last day). The sweep
/// reads only the exits since, and checks each check-in exactly.
pub fn aftercare_exits_since(today: NaiveDate) -> NaiveDate {
    let last = AFTERCARE_MONTHS.iter().copied().max().unwrap_or(0);
    today
        .checked_sub_days(Days::new(AFTERCARE_LATE_DAYS.unsigned_abs() + 4))
        .and_then(|day| day.checked_sub_months(Months::new(last)))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_check_in_that_may_open_today_follows_an_exit_before_the_bound() {
        // Every day of two years, including a leap day and all month ends.
        let first = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        for today in (0..730).map(|n| first + Days::new(n)) {
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
