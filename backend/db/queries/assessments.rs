//! Her assessments of the life domains and their scores per domain.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{assessment_scores, assessments, users};

#[derive(Insertable)]
#[diesel(table_name = assessments)]
pub struct NewAssessment {
    pub client_id: i64,
    pub assessed_on: NaiveDate,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = assessment_scores)]
pub struct NewScore {
    pub assessment_id: i64,
    pub domain: String,
    pub score: Option<i32>,
    pub note: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: i64,
    pub client_id: i64,
    pub assessed_on: NaiveDate,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
    pub corrected_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = assessment_scores)]
pub struct ScoreRow {
    pub id: i64,
    pub assessment_id: i64,
    pub domain: String,
    pub score: Option<i32>,
    pub note: Option<String>,
}

pub fn insert(conn: &mut DbConnection, assessment: &NewAssessment) -> QueryResult<i64> {
    diesel::insert_into(assessments::table)
        .values(assessment)
        .returning(assessments::id)
        .get_result(conn)
}

/// Writes the scores of an assessment (one statement per domain: at most 13).
pub fn insert_scores(conn: &mut DbConnection, scores: &[NewScore]) -> QueryResult<()> {
    for score in scores {
        diesel::insert_into(assessment_scores::table)
            .values(score)
            .execute(conn)?;
    }
    Ok(())
}

/// A correction: its day and its scores replaced, marked corrected at `now`.
pub fn correct(
    conn: &mut DbConnection,
    id: i64,
    assessed_on: NaiveDate,
    scores: &[NewScore],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(assessments::table.find(id))
        .set((
            assessments::assessed_on.eq(assessed_on),
            assessments::corrected_at.eq(Some(now)),
        ))
        .execute(conn)?;
    diesel::delete(assessment_scores::table.filter(assessment_scores::assessment_id.eq(id)))
        .execute(conn)?;
    insert_scores(conn, scores)
}

/// The assessment `user` recorded with `key`: its id, its client and the hash of its
/// request.
pub fn by_idempotency_key(
    conn: &mut DbConnection,
    user: i64,
    key: &str,
) -> QueryResult<Option<(i64, i64, Option<String>)>> {
    assessments::table
        .filter(assessments::recorded_by.eq(user))
        .filter(assessments::idempotency_key.eq(key))
        .select((
            assessments::id,
            assessments::client_id,
            assessments::request_hash,
        ))
        .first(conn)
        .optional()
}

/// Her assessments, oldest first, each with the display name of who recorded it.
pub fn of_client(
    conn: &mut DbConnection,
    client_id: i64,
) -> QueryResult<Vec<(AssessmentRow, Option<String>)>> {
    assessments::table
        .left_join(users::table)
        .filter(assessments::client_id.eq(client_id))
        .order((assessments::assessed_on.asc(), assessments::id.asc()))
        .select((AssessmentRow::as_select(), users::display_name.nullable()))
        .load(conn)
}

/// The scores of all her assessments.
pub fn scores_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<ScoreRow>> {
    assessment_scores::table
        .inner_join(assessments::table)
        .filter(assessments::client_id.eq(client_id))
        .order((
            assessment_scores::assessment_id.asc(),
            assessment_scores::id.asc(),
        ))
        .select(ScoreRow::as_select())
        .load(conn)
}

/// Removes all her assessments and their scores (her erasure).
pub fn delete_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<usize> {
    let hers = assessments::table
        .filter(assessments::client_id.eq(client_id))
        .select(assessments::id);
    diesel::delete(assessment_scores::table.filter(assessment_scores::assessment_id.eq_any(hers)))
        .execute(conn)?;
    diesel::delete(assessments::table.filter(assessments::client_id.eq(client_id))).execute(conn)
}
