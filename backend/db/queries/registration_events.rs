//! A client's registration events, and her registration fields on `clients`, which cache
//! what follows from them and are rewritten in the same transaction as each event.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, registration_events, users};
use crate::domain::code::Code;
use crate::domain::registration::Current;

#[derive(Insertable)]
#[diesel(table_name = registration_events)]
pub struct NewRegistrationEvent {
    pub client_id: i64,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub number: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = registration_events)]
pub struct RegistrationEventRow {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub number: Option<String>,
    pub expires_on: Option<NaiveDate>,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, event: &NewRegistrationEvent) -> QueryResult<i64> {
    diesel::insert_into(registration_events::table)
        .values(event)
        .returning(registration_events::id)
        .get_result(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    diesel::delete(registration_events::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Her events, oldest first, each with the display name of who recorded it (none for
/// the events the migration wrote).
pub fn of_client(
    conn: &mut DbConnection,
    client_id: i64,
) -> QueryResult<Vec<(RegistrationEventRow, Option<String>)>> {
    registration_events::table
        .left_join(users::table)
        .filter(registration_events::client_id.eq(client_id))
        .order((
            registration_events::occurred_on.asc(),
            registration_events::id.asc(),
        ))
        .select((
            RegistrationEventRow::as_select(),
            users::display_name.nullable(),
        ))
        .load(conn)
}

/// The events of the team's clients (every team's: `None`) dated up to `last_day`, each
/// client's oldest first (an erased client's are gone).
pub fn until(
    conn: &mut DbConnection,
    team: Option<i64>,
    last_day: NaiveDate,
) -> QueryResult<Vec<RegistrationEventRow>> {
    let mut query = registration_events::table
        .inner_join(clients::table)
        .filter(registration_events::occurred_on.le(last_day))
        .order((
            registration_events::client_id.asc(),
            registration_events::occurred_on.asc(),
            registration_events::id.asc(),
        ))
        .select(RegistrationEventRow::as_select())
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// Writes her current registration to her fields.
pub fn cache(
    conn: &mut DbConnection,
    client_id: i64,
    current: &Current,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(clients::table.find(client_id))
        .set((
            clients::registration_status.eq(current.stored_status().as_str()),
            clients::registration_number.eq(&current.number),
            clients::registration_date.eq(current.date),
            clients::registration_expires_on.eq(current.expires_on),
            // The next sweep looks at her registration: a follow-up may be outdated, a
            // new expiry day is to be warned about.
            clients::registration_due_on.eq(now.date()),
            clients::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
