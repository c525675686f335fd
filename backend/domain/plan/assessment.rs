//! An assessment: a dated scoring of the life domains by a casemanager. Never
//! overwritten: its author may correct it within 24 hours, after that a new assessment
//! records the change.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::LifeDomain;
use crate::domain::Invalid;
use crate::domain::code::Code;

/// A ZRM level: 1 acute problem, 2 not self-reliant, 3 barely self-reliant, 4
/// sufficiently self-reliant, 5 fully self-reliant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(u8);

impl Score {
    pub fn parse(raw: i64) -> Result<Score, Invalid> {
        match u8::try_from(raw) {
            Ok(level @ 1..=5) => Ok(Score(level)),
            _ => Err(Invalid::new(
                "score_out_of_range",
                format!("A score is 1 to 5 (or null: not assessed), not {raw}."),
            )),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// One domain of an assessment: its score, or none when it was not assessed this time,
/// and a short note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainScore {
    pub domain: LifeDomain,
    pub score: Option<Score>,
    pub note: Option<String>,
}

impl DomainScore {
    /// Parses one domain as a request names it; an unknown code is a 422 naming it.
    pub fn parse(
        domain: &str,
        score: Option<i64>,
        note: Option<String>,
    ) -> Result<DomainScore, Invalid> {
        let domain = LifeDomain::from_code(domain).ok_or_else(|| {
            Invalid::new(
                "unknown_domain",
                format!("`{domain}` is not one of the 13 life domains."),
            )
        })?;
        Ok(DomainScore {
            domain,
            score: score.map(Score::parse).transpose()?,
            note,
        })
    }
}

/// An assessment as recorded: its day and the domains it covers (a domain left out was
/// not assessed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub on: NaiveDate,
    pub scores: Vec<DomainScore>,
}

/// Checks an assessment against `today`: not in the future, each domain at most once, at
/// least one domain scored. Its domains come back in the matrix's order.
pub fn check(mut assessment: Assessment, today: NaiveDate) -> Result<Assessment, Invalid> {
    if assessment.on > today {
        return Err(Invalid::new(
            "date_in_future",
            "The day lies in the future: record what has happened.",
        ));
    }
    assessment.scores.sort_by_key(|s| s.domain);
    if let Some(pair) = assessment
        .scores
        .windows(2)
        .find(|pair| pair[0].domain == pair[1].domain)
    {
        return Err(Invalid::new(
            "duplicate_domain",
            format!("The domain `{}` is named twice.", pair[0].domain.as_str()),
        ));
    }
    if assessment.scores.iter().all(|s| s.score.is_none()) {
        return Err(Invalid::new(
            "nothing_scored",
            "Score at least one life domain.",
        ));
    }
    Ok(assessment)
}

/// Why an assessment cannot be corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionRefusal {
    NotYours,
    TooLate,
}

/// How long its author may correct an assessment; after that a new one records a change.
pub const CORRECTION_WINDOW: TimeDelta = TimeDelta::hours(24);

/// Whether `user` may correct an assessment `recorded_by` recorded at `recorded_at`.
pub fn may_correct(
    recorded_by: Option<i64>,
    recorded_at: NaiveDateTime,
    user: i64,
    now: NaiveDateTime,
) -> Result<(), CorrectionRefusal> {
    if recorded_by != Some(user) {
        return Err(CorrectionRefusal::NotYours);
    }
    if now - recorded_at > CORRECTION_WINDOW {
        return Err(CorrectionRefusal::TooLate);
    }
    Ok(())
}
