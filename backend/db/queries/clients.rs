//! Clients and their casemanager assignments.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::hot::RefreshLastContact;
use crate::db::queries::absences::AbsenceCandidate;
use crate::db::schema::{client_casemanagers, clients, users};
use crate::db::{DbConnection, native};
use crate::domain::caseload::ExpectedDue;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: i64,
    pub team_id: i64,
    pub code: String,
    pub alias: String,
    pub registration_status: String,
    pub registration_number: Option<String>,
    pub registration_date: Option<NaiveDate>,
    pub registration_expires_on: Option<NaiveDate>,
    pub region: String,
    pub caseload_status: String,
    pub intake_on: Option<NaiveDate>,
    pub exit_on: Option<NaiveDate>,
    pub followup_threshold_days: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_contact_at: Option<NaiveDateTime>,
    pub addiction: String,
    pub sheltered_housing: bool,
    pub known_at_huiskamer: bool,
    pub exit_reason: Option<String>,
    pub exit_note: Option<String>,
    /// Part of the city's Top 15&15 homelessness approach.
    pub top15: bool,
}

#[derive(Insertable)]
#[diesel(table_name = clients)]
pub struct NewClient {
    pub team_id: i64,
    pub code: String,
    pub alias: String,
    pub registration_status: String,
    pub registration_number: Option<String>,
    pub registration_date: Option<NaiveDate>,
    pub registration_expires_on: Option<NaiveDate>,
    pub region: String,
    pub caseload_status: String,
    pub intake_on: Option<NaiveDate>,
    pub exit_on: Option<NaiveDate>,
    pub followup_threshold_days: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub addiction: String,
    pub sheltered_housing: bool,
    pub known_at_huiskamer: bool,
    pub exit_reason: Option<String>,
    pub exit_note: Option<String>,
}

/// Changes to a client; `Some(None)` clears a nullable field.
#[derive(AsChangeset, Default)]
#[diesel(table_name = clients)]
pub struct ClientChanges {
    pub code: Option<String>,
    pub alias: Option<String>,
    pub registration_status: Option<String>,
    pub registration_number: Option<Option<String>>,
    pub registration_date: Option<Option<NaiveDate>>,
    pub registration_expires_on: Option<Option<NaiveDate>>,
    pub region: Option<String>,
    pub caseload_status: Option<String>,
    pub intake_on: Option<Option<NaiveDate>>,
    pub exit_on: Option<Option<NaiveDate>>,
    pub followup_threshold_days: Option<Option<i32>>,
    pub addiction: Option<String>,
    pub sheltered_housing: Option<bool>,
    pub known_at_huiskamer: Option<bool>,
    pub exit_reason: Option<Option<String>>,
    pub exit_note: Option<Option<String>>,
    pub top15: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A unique violation: another client of the team has the code.
pub fn create(conn: &mut DbConnection, client: &NewClient) -> QueryResult<i64> {
    diesel::insert_into(clients::table)
        .values(client)
        .returning(clients::id)
        .get_result(conn)
}

/// A unique violation: another client of the team has the code.
pub fn update(conn: &mut DbConnection, id: i64, changes: &ClientChanges) -> QueryResult<()> {
    diesel::update(clients::table.find(id))
        .set(changes)
        .execute(conn)
        .map(|_| ())
}

/// A client, whatever her team: only for callers that checked access another way. Erased
/// clients do not exist (their tombstones only keep the figures true).
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ClientRow>> {
    clients::table
        .find(id)
        .filter(clients::erased_at.is_null())
        .select(ClientRow::as_select())
        .first(conn)
        .optional()
}

/// A client, only if she belongs to `team`: other teams' clients do not exist for the
/// caller, and neither do erased ones.
pub fn find_in_team(conn: &mut DbConnection, id: i64, team: i64) -> QueryResult<Option<ClientRow>> {
    native!(conn, |c| clients::table
        .filter(clients::id.eq(id))
        .filter(clients::team_id.eq(team))
        .filter(clients::erased_at.is_null())
        .select(ClientRow::as_select())
        .first(c)
        .optional())
}

/// Which clients a list or search runs over.
pub enum Scope {
    /// The clients of one team.
    Team(i64),
    /// These clients only, whatever their team (the process director's escalated clients).
    Only(Vec<i64>),
}

pub struct ListFilter {
    pub scope: Scope,
    /// Case-insensitive part of the alias or code.
    pub search: Option<String>,
    pub caseload_status: Option<String>,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub fn list(conn: &mut DbConnection, filter: &ListFilter) -> QueryResult<Vec<ClientRow>> {
    // The busiest read (every phone loads the list): straight to the backend.
    native!(conn, |c| {
        let mut query = clients::table
            .filter(clients::erased_at.is_null())
            .select(ClientRow::as_select())
            .order((lower(clients::alias), clients::id))
            .into_boxed();
        query = match &filter.scope {
            Scope::Team(team) => query.filter(clients::team_id.eq(*team)),
            Scope::Only(ids) => query.filter(clients::id.eq_any(ids.clone())),
        };
        if let Some(status) = &filter.caseload_status {
            query = query.filter(clients::caseload_status.eq(status.clone()));
        }
        if let Some(search) = &filter.search {
            let pattern = format!("%{}%", escape_like(&search.to_lowercase()));
            query = query.filter(
                lower(clients::alias)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(clients::code).like(pattern).escape('\\')),
            );
        }
        query.load(c)
    })
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Her caseload status as stored; `None` when she does not exist.
pub fn caseload_status_of(conn: &mut DbConnection, id: i64) -> QueryResult<Option<String>> {
    clients::table
        .find(id)
        .select(clients::caseload_status)
        .first(conn)
        .optional()
}

/// Whether the client's personal data has been erased (only her tombstone is left).
pub fn is_erased(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    clients::table
        .find(id)
        .select(clients::erased_at.is_not_null())
        .first(conn)
        .optional()
        .map(|erased| erased.unwrap_or(false))
}

/// What `refresh_last_contact` returns: everything that decides when her next absence
/// falls due (with her new `last_contact_at`), and whether an absence follow-up is open.
type Refreshed = (
    Option<NaiveDateTime>,
    bool,
    String,
    Option<i32>,
    Option<NaiveDate>,
    NaiveDateTime,
    i64,
);

/// Recomputes a client's last contact from her contacts (an index lookup, not a scan).
/// Called in the same transaction as every change to her contacts. Returns what decides
/// when her next absence falls due, and whether she has an absence follow-up open. With
/// `expected_due` worked out (`ExpectedDue::At`), sets her absence moment to it in the
/// same statement.
pub fn refresh_last_contact(
    conn: &mut DbConnection,
    client_id: i64,
    expected_due: ExpectedDue,
) -> QueryResult<(AbsenceCandidate, bool)> {
    let (sets_due, expected_due) = match expected_due {
        ExpectedDue::At(moment) => (true, moment),
        ExpectedDue::Unknown => (false, None),
    };
    let (
        last_contact_at,
        absence_open,
        caseload_status,
        threshold_days,
        intake_on,
        created_at,
        team_id,
    ): Refreshed = native!(conn, |c| RefreshLastContact {
        client_id,
        sets_due,
        expected_due,
    }
    .get_result(c))?;
    let client = AbsenceCandidate {
        client_id,
        team_id,
        caseload_status,
        last_contact_at,
        intake_on,
        created_at,
        threshold_days,
    };
    Ok((client, absence_open))
}

/// A casemanager's assignment in force on `day`, of a user still active: a filter on
/// `client_casemanagers` joined with `users`.
#[diesel::dsl::auto_type]
pub fn assigned_on(day: NaiveDate) -> _ {
    client_casemanagers::from_on
        .le(day)
        .and(
            client_casemanagers::until_on
                .is_null()
                .or(client_casemanagers::until_on.ge(day)),
        )
        .and(users::active.eq(true))
}

/// How many casemanagers each client in `scope` has on `day` (active accounts, counted
/// once each): one statement for the whole list. Clients without any are left out.
pub fn casemanager_counts(
    conn: &mut DbConnection,
    scope: &Scope,
    day: NaiveDate,
) -> QueryResult<HashMap<i64, i64>> {
    let mut query = client_casemanagers::table
        .inner_join(users::table)
        .inner_join(clients::table)
        .filter(assigned_on(day))
        .select((client_casemanagers::client_id, client_casemanagers::user_id))
        .distinct()
        .into_boxed();
    query = match scope {
        Scope::Team(team) => query.filter(clients::team_id.eq(*team)),
        Scope::Only(ids) => query.filter(client_casemanagers::client_id.eq_any(ids.clone())),
    };
    let mut counts = HashMap::new();
    for (client, _) in query.load::<(i64, i64)>(conn)? {
        *counts.entry(client).or_insert(0) += 1;
    }
    Ok(counts)
}

#[derive(Queryable, Debug, Clone)]
pub struct AssignmentRow {
    pub id: i64,
    pub client_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
}

pub fn assignments(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<AssignmentRow>> {
    client_casemanagers::table
        .inner_join(users::table)
        .filter(client_casemanagers::client_id.eq(client_id))
        .order((client_casemanagers::from_on, client_casemanagers::id))
        .select((
            client_casemanagers::id,
            client_casemanagers::client_id,
            client_casemanagers::user_id,
            users::display_name,
            client_casemanagers::from_on,
            client_casemanagers::until_on,
        ))
        .load(conn)
}

pub fn assign(
    conn: &mut DbConnection,
    client_id: i64,
    user_id: i64,
    from_on: NaiveDate,
    until_on: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(client_casemanagers::table)
        .values((
            client_casemanagers::client_id.eq(client_id),
            client_casemanagers::user_id.eq(user_id),
            client_casemanagers::from_on.eq(from_on),
            client_casemanagers::until_on.eq(until_on),
            client_casemanagers::created_at.eq(now),
        ))
        .returning(client_casemanagers::id)
        .get_result(conn)
}

pub fn find_assignment(
    conn: &mut DbConnection,
    client_id: i64,
    assignment_id: i64,
) -> QueryResult<Option<AssignmentRow>> {
    assignments(conn, client_id).map(|all| all.into_iter().find(|a| a.id == assignment_id))
}

pub fn end_assignment(
    conn: &mut DbConnection,
    assignment_id: i64,
    until_on: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(client_casemanagers::table.find(assignment_id))
        .set(client_casemanagers::until_on.eq(until_on))
        .execute(conn)
}
