//! The append-only audit log (database triggers refuse UPDATE and DELETE).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{DbConnection, as_writer};

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewEntry<'a> {
    pub occurred_at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub role: Option<&'a str>,
    pub session_id: Option<i64>,
    pub address: Option<&'a str>,
    pub event: &'a str,
    pub action: &'a str,
    pub client_id: Option<i64>,
    pub outcome: &'a str,
    pub source: &'a str,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub struct EntryRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub role: Option<String>,
    pub session_id: Option<i64>,
    pub address: Option<String>,
    pub event: String,
    pub action: String,
    pub client_id: Option<i64>,
    pub outcome: String,
    pub source: String,
}

/// Reads are audited too, so this write is on every busy path: it queues as a writer.
pub fn insert(conn: &mut DbConnection, entry: &NewEntry) -> QueryResult<usize> {
    as_writer(conn, |conn| {
        diesel::insert_into(audit_log::table)
            .values(entry)
            .execute(conn)
    })
}

/// The trail of one client, oldest first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::client_id.eq(client_id))
        .order((audit_log::occurred_at, audit_log::id))
        .select(EntryRow::as_select())
        .load(conn)
}
