//! The aggregate of the plans for a period: per life domain, how many women improved,
//! stayed equal or declined between their first and latest assessment in it. The
//! municipality sees the city's, protected as its other figures ("<5", rounded to 5); a
//! coordinator her team's, exact unless she asks for them as they may leave the team.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::reports::audience;
use crate::db::DbConnection;
use crate::db::queries::plan_figures as queries;
use crate::domain::code::Code;
use crate::domain::period::{Period, PeriodChoice};
use crate::domain::plan::{self, LifeDomain, Score, Scored, Trends};
use crate::domain::report::{self, Disclosure, Shown};
use crate::error::ApiError;
use crate::state::AppState;

/// One domain's figures as the caller may see them.
pub struct DomainFigures {
    pub domain: LifeDomain,
    pub improved: Shown,
    pub equal: Shown,
    pub declined: Shown,
}

pub struct PlanFigures {
    pub period: Period,
    pub disclosure: Disclosure,
    /// All 13 domains, in the matrix's order.
    pub domains: Vec<DomainFigures>,
}

/// The period's progress per domain (coordinator, municipality).
pub async fn progress(
    state: &AppState,
    who: &Identity,
    period: PeriodChoice,
    protected: bool,
) -> Result<PlanFigures, ApiError> {
    let (team, disclosure) = audience(who, protected)?;
    let period = period.period()?;
    let days = period.days();
    let trends = state
        .db
        .read(move |conn| trends_between(conn, team, days))
        .await?;
    let count = |value| report::count(value, disclosure);
    let domains = trends
        .into_iter()
        .map(|(domain, trends)| DomainFigures {
            domain,
            improved: count(trends.improved),
            equal: count(trends.equal),
            declined: count(trends.declined),
        })
        .collect();
    Ok(PlanFigures {
        period,
        disclosure,
        domains,
    })
}

/// Per life domain, how many of the women (of `team`, or the city's) scored at least twice
/// in the days `[first, last]` improved, stayed equal or declined from their first score
/// to their latest: for this screen and for the report pack.
pub fn trends_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    days: (NaiveDate, NaiveDate),
) -> Result<Vec<(LifeDomain, Trends)>, ApiError> {
    let scores = queries::scores_between(conn, team, days)?
        .into_iter()
        .map(|row| {
            Ok((
                row.client_id,
                Scored {
                    on: row.on,
                    assessment_id: row.assessment_id,
                    domain: LifeDomain::from_stored(&row.domain).map_err(ApiError::internal)?,
                    score: Score::parse(i64::from(row.score)).map_err(ApiError::internal)?,
                },
            ))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(plan::trends_per_domain(&scores))
}
