//! When each client's absence follow-up falls due (`clients.absence_due_at`, indexed),
//! and the rules those moments were computed with. The sweep reads only the clients due.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::hot::SetAbsenceDue;
use crate::db::schema::{absence_rules, clients};
use crate::db::{DbConnection, native};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;

/// What decides when her absence falls due, and the team a follow-up would belong to.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = clients)]
pub struct AbsenceCandidate {
    #[diesel(column_name = id)]
    pub client_id: i64,
    pub team_id: i64,
    pub caseload_status: String,
    pub last_contact_at: Option<NaiveDateTime>,
    pub intake_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    #[diesel(column_name = followup_threshold_days)]
    pub threshold_days: Option<i32>,
}

/// One client's inputs; `None` when she does not exist (or was erased).
pub fn inputs(conn: &mut DbConnection, client_id: i64) -> QueryResult<Option<AbsenceCandidate>> {
    clients::table
        .find(client_id)
        .filter(clients::erased_at.is_null())
        .select(AbsenceCandidate::as_select())
        .first(conn)
        .optional()
}

/// Every open client (own caseload or regular care), to compute all moments again.
pub fn open_clients(conn: &mut DbConnection) -> QueryResult<Vec<AbsenceCandidate>> {
    let open = [CaseloadStatus::Active, CaseloadStatus::RegularCare].map(CaseloadStatus::as_str);
    clients::table
        .filter(clients::caseload_status.eq_any(open))
        .filter(clients::erased_at.is_null())
        .select(AbsenceCandidate::as_select())
        .load(conn)
}

/// The clients whose absence is due at `now`, each with the moment it fell due: one range
/// read of the index, whatever the number of clients.
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<(AbsenceCandidate, NaiveDateTime)>> {
    clients::table
        .filter(clients::absence_due_at.le(now))
        .order(clients::absence_due_at)
        .select((
            AbsenceCandidate::as_select(),
            clients::absence_due_at.assume_not_null(),
        ))
        .load(conn)
}

/// Sets her moment; a prepared statement, as it runs with every tally tap.
pub fn set(
    conn: &mut DbConnection,
    client_id: i64,
    due_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    native!(conn, |c| SetAbsenceDue { client_id, due_at }.execute(c)).map(|_| ())
}

/// Replaces her moment `was` by `due` (`None`: handled), unless what decides it changed
/// since it was read (a contact committed meanwhile set a new one): compare-and-set.
pub fn replace(
    conn: &mut DbConnection,
    client_id: i64,
    was: NaiveDateTime,
    due: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(
        clients::table
            .find(client_id)
            .filter(clients::absence_due_at.eq(was)),
    )
    .set(clients::absence_due_at.eq(due))
    .execute(conn)
    .map(|_| ())
}

/// Clears every moment (closed and erased files keep none).
pub fn clear_all(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::update(clients::table.filter(clients::absence_due_at.is_not_null()))
        .set(clients::absence_due_at.eq(None::<NaiveDateTime>))
        .execute(conn)
}

/// The rules the stored moments were computed with, if any.
pub fn rules(conn: &mut DbConnection) -> QueryResult<Option<String>> {
    absence_rules::table
        .select(absence_rules::rules)
        .first(conn)
        .optional()
}

pub fn set_rules(conn: &mut DbConnection, rules: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(absence_rules::table).execute(conn)?;
    diesel::insert_into(absence_rules::table)
        .values((
            absence_rules::id.eq(1),
            absence_rules::rules.eq(rules),
            absence_rules::applied_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
