//! A client's status history: every change of her caseload status, written in the same
//! transaction as the change itself.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{client_status_changes, users};
use crate::domain::caseload::StatusChange;
use crate::domain::code::Code;

#[derive(Insertable)]
#[diesel(table_name = client_status_changes)]
pub struct NewStatusChange {
    pub client_id: i64,
    pub change: String,
    pub changed_on: NaiveDate,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = client_status_changes)]
pub struct StatusChangeRow {
    pub id: i64,
    pub client_id: i64,
    pub change: String,
    pub changed_on: NaiveDate,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, change: &NewStatusChange) -> QueryResult<()> {
    diesel::insert_into(client_status_changes::table)
        .values(change)
        .execute(conn)
        .map(|_| ())
}

/// Her changes, newest first, each with the display name of who recorded it (none for
/// the history the migration wrote).
pub fn history(
    conn: &mut DbConnection,
    client_id: i64,
) -> QueryResult<Vec<(StatusChangeRow, Option<String>)>> {
    client_status_changes::table
        .left_join(users::table)
        .filter(client_status_changes::client_id.eq(client_id))
        .order((
            client_status_changes::changed_on.desc(),
            client_status_changes::id.desc(),
        ))
        .select((StatusChangeRow::as_select(), users::display_name.nullable()))
        .load(conn)
}

/// The day of her latest change (her intake when nothing else happened).
pub fn last_changed_on(conn: &mut DbConnection, client_id: i64) -> QueryResult<Option<NaiveDate>> {
    client_status_changes::table
        .filter(client_status_changes::client_id.eq(client_id))
        .select(diesel::dsl::max(client_status_changes::changed_on))
        .first(conn)
}

/// Keeps the intake in her history on her intake date when that is corrected.
pub fn move_intake(conn: &mut DbConnection, client_id: i64, on: NaiveDate) -> QueryResult<()> {
    diesel::update(
        client_status_changes::table
            .filter(client_status_changes::client_id.eq(client_id))
            .filter(client_status_changes::change.eq(StatusChange::Intake.as_str())),
    )
    .set(client_status_changes::changed_on.eq(on))
    .execute(conn)
    .map(|_| ())
}
