//! Time-out stays.

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
