//! Her plan across the life domains: the 13 domains of the Zelfredzaamheid-Matrix (ZRM
//! 2017) and their scores, an assessment and who may correct it, and the progress that
//! follows from her assessments over time.

mod assessment;
mod life_domain;
mod progress;
#[cfg(test)]
mod tests;

pub use assessment::{Assessment, CorrectionRefusal, DomainScore, Score, check, may_correct};
pub use life_domain::LifeDomain;
pub use progress::{DomainProgress, Point, Progress, Scored, Trend};
