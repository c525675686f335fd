//! When her plan asks for attention by itself: its review, three months after her latest
//! assessment unless her casemanagers set another day, and after a good exit the
//! check-ins of her aftercare, three and six months after the exit date. All local days
//! in Amsterdam.

use chrono::{Months, NaiveDate, NaiveDateTime};

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
