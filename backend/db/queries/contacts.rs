//! Contacts (visits) and the idempotency keys that make recording them safe to retry.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{contacts, idempotency_keys};
use crate::db::{DbConnection, native};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: i64,
    pub team_id: i64,
    pub client_id: Option<i64>,
    pub visitor_count: i32,
    /// `None` for a contact outside a shift (`ContactKind::needs_location`).
    pub location_id: Option<i64>,
    pub shift_id: Option<i64>,
    pub seen_at: NaiveDateTime,
    pub kind: String,
    pub services: String,
    pub note: Option<String>,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = contacts)]
pub struct NewContact {
    pub team_id: i64,
    pub client_id: Option<i64>,
    pub visitor_count: i32,
    /// `None` for a contact outside a shift (`ContactKind::needs_location`).
    pub location_id: Option<i64>,
    pub shift_id: Option<i64>,
    pub seen_at: NaiveDateTime,
    pub kind: String,
    pub services: String,
    pub note: Option<String>,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = contacts)]
pub struct ContactChanges {
    pub client_id: Option<Option<i64>>,
    pub visitor_count: Option<i32>,
    pub seen_at: Option<NaiveDateTime>,
    pub kind: Option<String>,
    pub services: Option<String>,
    pub note: Option<Option<String>>,
    pub updated_at: NaiveDateTime,
}

/// Records a contact and returns it as stored, in one statement.
pub fn insert(conn: &mut DbConnection, contact: &NewContact) -> QueryResult<ContactRow> {
    native!(conn, |c| diesel::insert_into(contacts::table)
        .values(contact)
        .returning(contacts::all_columns)
        .get_result(c))
}

pub fn find_in_team(
    conn: &mut DbConnection,
    id: i64,
    team: i64,
) -> QueryResult<Option<ContactRow>> {
    contacts::table
        .filter(contacts::id.eq(id))
        .filter(contacts::team_id.eq(team))
        .select(ContactRow::as_select())
        .first(conn)
        .optional()
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &ContactChanges) -> QueryResult<usize> {
    diesel::update(contacts::table.find(id))
        .set(changes)
        .execute(conn)
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(contacts::table.find(id)).execute(conn)
}

/// A client's contacts, newest first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<ContactRow>> {
    contacts::table
        .filter(contacts::client_id.eq(client_id))
        .order((contacts::seen_at.desc(), contacts::id.desc()))
        .select(ContactRow::as_select())
        .load(conn)
}

/// A shift's contacts, in the order they happened.
pub fn for_shift(conn: &mut DbConnection, shift_id: i64) -> QueryResult<Vec<ContactRow>> {
    contacts::table
        .filter(contacts::shift_id.eq(shift_id))
        .order((contacts::seen_at, contacts::id))
        .select(ContactRow::as_select())
        .load(conn)
}

/// A team's contacts seen in [from, to), in the order they happened.
pub fn for_team_between(
    conn: &mut DbConnection,
    team: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ContactRow>> {
    contacts::table
        .filter(contacts::team_id.eq(team))
        .filter(contacts::seen_at.ge(from))
        .filter(contacts::seen_at.lt(to))
        .order((contacts::seen_at, contacts::id))
        .select(ContactRow::as_select())
        .load(conn)
}

/// What a previous request with this key stored: (request hash, contact id).
pub fn idempotency_lookup(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<(String, i64)>> {
    native!(conn, |c| idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::idem_key.eq(key))
        .select((idempotency_keys::request_hash, idempotency_keys::contact_id))
        .first(c)
        .optional())
}

/// Remembers a key. Fails with a unique violation when a concurrent request got there first.
pub fn idempotency_remember(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    request_hash: &str,
    contact_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    native!(conn, |c| diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::idem_key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::contact_id.eq(contact_id),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(c))
}
