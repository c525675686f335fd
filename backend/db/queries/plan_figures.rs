//! The scores the municipality's aggregate of the plans counts.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{assessment_scores, assessments, clients};

/// One score given in a period.
#[derive(Queryable, Debug, Clone)]
pub struct PeriodScore {
    pub client_id: i64,
    pub assessment_id: i64,
    pub on: NaiveDate,
    pub domain: String,
    pub score: i32,
}

/// Every score given in assessments on the days [first, last], of `team` (or the whole
/// city).
pub fn scores_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PeriodScore>> {
    let mut query = assessment_scores::table
        .inner_join(assessments::table.inner_join(clients::table))
        .filter(assessments::assessed_on.between(first, last))
        .filter(assessment_scores::score.is_not_null())
        .select((
            assessments::client_id,
            assessments::id,
            assessments::assessed_on,
            assessment_scores::domain,
            assessment_scores::score.assume_not_null(),
        ))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}
