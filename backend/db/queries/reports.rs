//! The figures the municipality asks for, counted by the database.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count, count_star, exists, max, not, sum};
use diesel::expression_methods::AggregateExpressionMethods;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{client_status_changes, clients, contacts, shift_staff, shifts};

/// What a report covers: [from, to) in UTC (local days converted by the caller), one team
/// or all, one location or all.
pub struct Scope {
    pub team: Option<i64>,
    pub location: Option<i64>,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// The same period as local dates, inclusive, for intake and exit dates.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Figures {
    pub contacts_named: i64,
    pub contacts_anonymous: i64,
    pub unique_clients: i64,
    pub new_clients: i64,
    pub clients_left: i64,
    pub shifts_held: i64,
    pub visitors_at_shifts: i64,
}

fn contacts_in<'a>(scope: &Scope) -> contacts::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut query = contacts::table
        .filter(contacts::seen_at.ge(scope.from))
        .filter(contacts::seen_at.lt(scope.to))
        .into_boxed();
    if let Some(team) = scope.team {
        query = query.filter(contacts::team_id.eq(team));
    }
    if let Some(location) = scope.location {
        query = query.filter(contacts::location_id.eq(location));
    }
    query
}

/// Shifts in the period that were held: someone checked in or a contact was recorded.
fn held_shifts(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<i64>> {
    let mut query = shifts::table
        .filter(shifts::starts_at.ge(scope.from))
        .filter(shifts::starts_at.lt(scope.to))
        .filter(
            exists(
                shift_staff::table
                    .filter(shift_staff::shift_id.eq(shifts::id))
                    .filter(shift_staff::checked_in_at.is_not_null()),
            )
            .or(exists(
                contacts::table.filter(contacts::shift_id.eq(shifts::id.nullable())),
            )),
        )
        .select(shifts::id)
        .into_boxed();
    if let Some(team) = scope.team {
        query = query.filter(shifts::team_id.eq(team));
    }
    if let Some(location) = scope.location {
        query = query.filter(shifts::location_id.eq(location));
    }
    query.load(conn)
}

pub fn figures(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Figures> {
    let contacts_named = contacts_in(scope)
        .filter(contacts::client_id.is_not_null())
        .select(count_star())
        .first(conn)?;
    let contacts_anonymous: Option<i64> = contacts_in(scope)
        .filter(contacts::client_id.is_null())
        .select(sum(contacts::visitor_count))
        .first(conn)?;
    let unique_clients = contacts_in(scope)
        .select(count(contacts::client_id).aggregate_distinct())
        .first(conn)?;
    let held = held_shifts(conn, scope)?;
    let visitors_at_shifts: Option<i64> = contacts::table
        .filter(contacts::shift_id.eq_any(held.iter().map(|id| Some(*id))))
        .select(sum(contacts::visitor_count))
        .first(conn)?;
    Ok(Figures {
        contacts_named,
        contacts_anonymous: contacts_anonymous.unwrap_or(0),
        unique_clients,
        new_clients: new_clients(conn, scope)?,
        clients_left: clients_left(conn, scope)?,
        shifts_held: held.len() as i64,
        visitors_at_shifts: visitors_at_shifts.unwrap_or(0),
    })
}

/// Inflow: an intake in the period, or a first-ever contact in it.
fn new_clients(conn: &mut DbConnection, scope: &Scope) -> QueryResult<i64> {
    let mut by_intake = clients::table
        .filter(clients::intake_on.ge(scope.first_day))
        .filter(clients::intake_on.le(scope.last_day))
        .select(clients::id)
        .into_boxed();
    let mut by_first_contact = clients::table
        .filter(exists(
            contacts::table
                .filter(contacts::client_id.eq(clients::id.nullable()))
                .filter(contacts::seen_at.ge(scope.from))
                .filter(contacts::seen_at.lt(scope.to)),
        ))
        .filter(not(exists(
            contacts::table
                .filter(contacts::client_id.eq(clients::id.nullable()))
                .filter(contacts::seen_at.lt(scope.from)),
        )))
        .select(clients::id)
        .into_boxed();
    if let Some(team) = scope.team {
        by_intake = by_intake.filter(clients::team_id.eq(team));
        by_first_contact = by_first_contact.filter(clients::team_id.eq(team));
    }
    let mut ids: BTreeSet<i64> = by_intake.load::<i64>(conn)?.into_iter().collect();
    ids.extend(by_first_contact.load::<i64>(conn)?);
    Ok(ids.len() as i64)
}

/// Outflow: clients whose trajectory was closed in the period.
fn clients_left(conn: &mut DbConnection, scope: &Scope) -> QueryResult<i64> {
    let mut query = clients::table
        .filter(clients::exit_on.ge(scope.first_day))
        .filter(clients::exit_on.le(scope.last_day))
        .filter(clients::caseload_status.eq("closed"))
        .select(count_star())
        .into_boxed();
    if let Some(team) = scope.team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.first(conn)
}

/// Contacts (named plus anonymous visitors) per seen_at, for weekly bars; the caller
/// buckets them by local week.
pub fn contact_times(
    conn: &mut DbConnection,
    scope: &Scope,
) -> QueryResult<Vec<(NaiveDateTime, i32)>> {
    contacts_in(scope)
        .select((contacts::seen_at, contacts::visitor_count))
        .load(conn)
}

/// The status changes of the team's clients (or the city's) dated on or before
/// `last_day`, as (client, change, day), in the order they were recorded.
pub fn status_changes_until(
    conn: &mut DbConnection,
    team: Option<i64>,
    last_day: NaiveDate,
) -> QueryResult<Vec<(i64, String, NaiveDate)>> {
    let mut query = client_status_changes::table
        .inner_join(clients::table)
        .filter(client_status_changes::changed_on.le(last_day))
        .select((
            client_status_changes::client_id,
            client_status_changes::change,
            client_status_changes::changed_on,
        ))
        .order(client_status_changes::id)
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// What the figures count of a client besides her status, as her file holds it now.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = clients)]
pub struct CategoryRow {
    pub id: i64,
    pub region: String,
    pub addiction: String,
    pub sheltered_housing: bool,
    pub known_at_huiskamer: bool,
    pub registration_status: String,
    pub intake_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// The categories of the team's clients (or the city's), erased ones included.
pub fn categories(conn: &mut DbConnection, team: Option<i64>) -> QueryResult<Vec<CategoryRow>> {
    let mut query = clients::table.select(CategoryRow::as_select()).into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// Each client's last named contact before `before`.
pub fn last_contacts_before(
    conn: &mut DbConnection,
    team: Option<i64>,
    before: NaiveDateTime,
) -> QueryResult<Vec<(Option<i64>, Option<NaiveDateTime>)>> {
    let mut query = contacts::table
        .inner_join(clients::table)
        .filter(contacts::seen_at.lt(before))
        .group_by(contacts::client_id)
        .select((contacts::client_id, max(contacts::seen_at)))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// The exit reasons of the clients counted in `clients_left`: closed in the period.
pub fn exit_reasons(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<Option<String>>> {
    let mut query = clients::table
        .filter(clients::exit_on.ge(scope.first_day))
        .filter(clients::exit_on.le(scope.last_day))
        .filter(clients::caseload_status.eq("closed"))
        .select(clients::exit_reason)
        .into_boxed();
    if let Some(team) = scope.team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}
