//! Her progress per life domain: the score at intake (her first assessment that scored
//! the domain), the latest score, the change between them and every score over time;
//! and the one-line summary of how many domains went up or down since intake.

use chrono::NaiveDate;
use serde::Serialize;

use super::{LifeDomain, Score};
use crate::domain::code::Code;

/// One score of one assessment, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub on: NaiveDate,
    pub assessment_id: i64,
    pub domain: LifeDomain,
    pub score: Score,
}

/// One point of a domain's line over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Point {
    pub on: NaiveDate,
    pub score: u8,
}

/// Which way a domain went between intake and the latest score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improved,
    Equal,
    Declined,
}

impl Trend {
    pub fn between(first: u8, last: u8) -> Trend {
        match last.cmp(&first) {
            std::cmp::Ordering::Greater => Trend::Improved,
            std::cmp::Ordering::Equal => Trend::Equal,
            std::cmp::Ordering::Less => Trend::Declined,
        }
    }
}

/// One domain of her progress. `intake`, `latest` and `change` are empty while the
/// domain was never scored; `change` and `trend` need two assessments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainProgress {
    pub domain: LifeDomain,
    pub intake: Option<u8>,
    pub latest: Option<u8>,
    pub change: Option<i8>,
    pub trend: Option<Trend>,
    pub points: Vec<Point>,
}

/// Her progress over all 13 domains, in the matrix's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub domains: Vec<DomainProgress>,
    pub improved: usize,
    pub declined: usize,
    pub equal: usize,
}

impl Progress {
    /// From her scores, in any order.
    pub fn from_scores(scores: &[Scored]) -> Progress {
        let mut scores = scores.to_vec();
        scores.sort_by_key(|s| (s.on, s.assessment_id));
        let domains: Vec<DomainProgress> = LifeDomain::ALL
            .iter()
            .map(|&domain| {
                let points: Vec<Point> = scores
                    .iter()
                    .filter(|s| s.domain == domain)
                    .map(|s| Point {
                        on: s.on,
                        score: s.score.get(),
                    })
                    .collect();
                let intake = points.first().map(|p| p.score);
                let latest = points.last().map(|p| p.score);
                let (change, trend) = match (intake, latest) {
                    (Some(first), Some(last)) if points.len() > 1 => {
                        let change =
                            i8::try_from(last).unwrap_or(0) - i8::try_from(first).unwrap_or(0);
                        (Some(change), Some(Trend::between(first, last)))
                    }
                    _ => (None, None),
                };
                DomainProgress {
                    domain,
                    intake,
                    latest,
                    change,
                    trend,
                    points,
                }
            })
            .collect();
        let count = |trend| domains.iter().filter(|d| d.trend == Some(trend)).count();
        Progress {
            improved: count(Trend::Improved),
            declined: count(Trend::Declined),
            equal: count(Trend::Equal),
            domains,
        }
    }
}
