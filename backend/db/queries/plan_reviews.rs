//! What her plan's review date follows from: her assessments and a day set by hand.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::plan_followups::open_files;
use crate::db::DbConnection;
use crate::db::schema::{assessments, clients, plan_reviews};
use crate::domain::plan::ReviewBasis;

/// The open files of `team` (every team: `None`) with an assessment or a review day set by
/// hand: `(client, team, basis)`, by client.
pub fn of_open_files(
    conn: &mut DbConnection,
    team: Option<i64>,
) -> QueryResult<Vec<(i64, i64, ReviewBasis)>> {
    let mut assessed = assessments::table
        .inner_join(clients::table)
        .filter(clients::caseload_status.eq_any(open_files()))
        .select((
            assessments::client_id,
            clients::team_id,
            assessments::assessed_on,
            assessments::recorded_at,
        ))
        .into_boxed();
    let mut set = plan_reviews::table
        .inner_join(clients::table)
        .filter(clients::caseload_status.eq_any(open_files()))
        .select((
            plan_reviews::client_id,
            clients::team_id,
            plan_reviews::review_on,
            plan_reviews::set_at,
        ))
        .into_boxed();
    if let Some(team) = team {
        assessed = assessed.filter(clients::team_id.eq(team));
        set = set.filter(clients::team_id.eq(team));
    }
    let mut bases: HashMap<i64, (i64, ReviewBasis)> = HashMap::new();
    for (client, team, on, at) in assessed.load::<(i64, i64, NaiveDate, NaiveDateTime)>(conn)? {
        let basis = &mut bases
            .entry(client)
            .or_insert((team, ReviewBasis::default()))
            .1;
        add_assessment(basis, on, at);
    }
    for (client, team, on, at) in set.load::<(i64, i64, NaiveDate, NaiveDateTime)>(conn)? {
        bases
            .entry(client)
            .or_insert((team, ReviewBasis::default()))
            .1
            .set_by_hand = Some((on, at));
    }
    let mut bases: Vec<_> = bases
        .into_iter()
        .map(|(client, (team, basis))| (client, team, basis))
        .collect();
    bases.sort_by_key(|(client, _, _)| *client);
    Ok(bases)
}

fn add_assessment(basis: &mut ReviewBasis, on: NaiveDate, recorded_at: NaiveDateTime) {
    basis.latest_assessment = basis.latest_assessment.max(Some(on));
    basis.last_recorded_at = basis.last_recorded_at.max(Some(recorded_at));
}

/// What her plan's review date follows from.
pub fn of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<ReviewBasis> {
    let mut basis = ReviewBasis::default();
    let assessed: Vec<(NaiveDate, NaiveDateTime)> = assessments::table
        .filter(assessments::client_id.eq(client_id))
        .select((assessments::assessed_on, assessments::recorded_at))
        .load(conn)?;
    for (on, at) in assessed {
        add_assessment(&mut basis, on, at);
    }
    basis.set_by_hand = plan_reviews::table
        .find(client_id)
        .select((plan_reviews::review_on, plan_reviews::set_at))
        .first(conn)
        .optional()?;
    Ok(basis)
}

/// The plans whose review follow-up is due by `today` and not opened yet, from the index
/// on `clients.review_due_on`: `(client, team, caseload status, review day)`.
pub fn due_by(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<(i64, i64, String, NaiveDate)>> {
    let rows: Vec<(i64, i64, String, Option<NaiveDate>)> = clients::table
        .filter(clients::review_due_on.le(today))
        .select((
            clients::id,
            clients::team_id,
            clients::caseload_status,
            clients::review_due_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(client, team, status, on)| on.map(|on| (client, team, status, on)))
        .collect())
}

/// Stores when her review follow-up falls due (`None`: nothing to open).
pub fn set_due(
    conn: &mut DbConnection,
    client_id: i64,
    review_on: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::update(clients::table.find(client_id))
        .set(clients::review_due_on.eq(review_on))
        .execute(conn)
        .map(|_| ())
}

/// Marks the review day `was` handled, unless a change moved it meanwhile.
pub fn handled(conn: &mut DbConnection, client_id: i64, was: NaiveDate) -> QueryResult<()> {
    diesel::update(
        clients::table
            .find(client_id)
            .filter(clients::review_due_on.eq(was)),
    )
    .set(clients::review_due_on.eq(None::<NaiveDate>))
    .execute(conn)
    .map(|_| ())
}

/// Sets her plan's review day by hand, replacing one set before.
pub fn set(
    conn: &mut DbConnection,
    client_id: i64,
    review_on: NaiveDate,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    delete_of_client(conn, client_id)?;
    diesel::insert_into(plan_reviews::table)
        .values((
            plan_reviews::client_id.eq(client_id),
            plan_reviews::review_on.eq(review_on),
            plan_reviews::set_by.eq(by),
            plan_reviews::set_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forgets the day set by hand (back to three months after her latest assessment; her
/// erasure).
pub fn delete_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<usize> {
    diesel::delete(plan_reviews::table.find(client_id)).execute(conn)
}
