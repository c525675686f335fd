//! Time-out stays: registered, changed, given an outcome, cancelled.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, timeout_stays};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = timeout_stays)]
pub struct StayRow {
    pub id: i64,
    pub client_id: i64,
    #[diesel(select_expression = clients::alias)]
    pub alias: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub cancelled_at: Option<NaiveDateTime>,
}

/// What a change sets: the dates, the place and the outcome, as checked together.
#[derive(AsChangeset)]
#[diesel(table_name = timeout_stays, treat_none_as_null = true)]
pub struct StayChange<'a> {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: &'a str,
    pub outcome: Option<&'a str>,
    pub outcome_note: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

pub struct NewStay<'a> {
    pub team_id: i64,
    pub client_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: &'a str,
    pub created_by: i64,
}

pub fn create(conn: &mut DbConnection, stay: &NewStay, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(timeout_stays::table)
        .values((
            timeout_stays::team_id.eq(stay.team_id),
            timeout_stays::client_id.eq(stay.client_id),
            timeout_stays::starts_on.eq(stay.starts_on),
            timeout_stays::ends_on.eq(stay.ends_on),
            timeout_stays::place.eq(stay.place),
            timeout_stays::created_by.eq(stay.created_by),
            timeout_stays::created_at.eq(now),
        ))
        .returning(timeout_stays::id)
        .get_result(conn)
}

pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<StayRow>> {
    timeout_stays::table
        .inner_join(clients::table)
        .filter(timeout_stays::client_id.eq(client_id))
        .order(timeout_stays::starts_on.desc())
        .select(StayRow::as_select())
        .load(conn)
}

/// The team's stays that start within [first, last].
pub fn for_team_between(
    conn: &mut DbConnection,
    team: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<StayRow>> {
    timeout_stays::table
        .inner_join(clients::table)
        .filter(timeout_stays::team_id.eq(team))
        .filter(timeout_stays::starts_on.ge(first))
        .filter(timeout_stays::starts_on.le(last))
        .order(timeout_stays::starts_on)
        .select(StayRow::as_select())
        .load(conn)
}

/// Stay `id` if it is `client_id`'s.
pub fn find(conn: &mut DbConnection, client_id: i64, id: i64) -> QueryResult<Option<StayRow>> {
    timeout_stays::table
        .inner_join(clients::table)
        .filter(timeout_stays::id.eq(id))
        .filter(timeout_stays::client_id.eq(client_id))
        .select(StayRow::as_select())
        .first(conn)
        .optional()
}

/// Changes a stay that is not cancelled; false when it was cancelled meanwhile.
pub fn change(conn: &mut DbConnection, id: i64, change: &StayChange) -> QueryResult<bool> {
    let changed = diesel::update(
        timeout_stays::table
            .filter(timeout_stays::id.eq(id))
            .filter(timeout_stays::cancelled_at.is_null()),
    )
    .set(change)
    .execute(conn)?;
    Ok(changed == 1)
}

/// Cancels a stay; false when it was cancelled already.
pub fn cancel(conn: &mut DbConnection, id: i64, by: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        timeout_stays::table
            .filter(timeout_stays::id.eq(id))
            .filter(timeout_stays::cancelled_at.is_null()),
    )
    .set((
        timeout_stays::cancelled_at.eq(now),
        timeout_stays::cancelled_by.eq(by),
        timeout_stays::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
