//! When her plan asks for attention by itself: its review, three months after her latest
//! assessment, and after a good exit the check-ins of her aftercare, three and six months
//! after the exit date. All local days in Amsterdam.

use chrono::{Months, NaiveDate};

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
