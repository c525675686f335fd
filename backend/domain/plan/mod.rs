//! Her plan across the life domains: the 13 domains of the Zelfredzaamheid-Matrix (ZRM
//! 2017) and their scores, an assessment and who may correct it, the progress that
//! follows from her assessments over time, and her goals with their actions.

mod aftercare;
mod assessment;
mod figures;
mod goal;
mod life_domain;
mod progress;
#[cfg(test)]
mod tests;

pub use aftercare::{
    AFTERCARE_LATE_DAYS, AFTERCARE_MONTHS, ReviewBasis, aftercare_exits_since, check_in_on,
    has_aftercare,
};
pub use assessment::{Assessment, CorrectionRefusal, DomainScore, Score, check, may_correct};
pub use figures::{Trends, trends_per_domain};
pub use goal::{ActionOwner, ActionStatus, GoalDomains, GoalStatus, is_overdue, status_on};
pub use life_domain::LifeDomain;
pub use progress::{DomainProgress, Point, Progress, Scored, Trend};
