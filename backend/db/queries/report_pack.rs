//! The report pack's own figures, which no other report counts: referrals and their
//! waits, stagnations opened and resolved, hours on shift, the caseload per casemanager
//! and the services given per location. Each for one team or, with `None`, the whole city.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::queries::clients::assigned_on;
use crate::db::schema::{
    client_casemanagers, clients, contacts, referrals, shift_staff, shifts, stagnations, users,
};

/// A referral's kind and days.
#[derive(Queryable, Debug, Clone)]
pub struct ReferralDays {
    pub kind: String,
    pub requested_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
}

/// The referrals requested on or before `last` that had not ended before `first`: those
/// requested, started or still waiting in the period [first, last].
pub fn referrals_touching(
    conn: &mut DbConnection,
    team: Option<i64>,
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<ReferralDays>> {
    let mut query = referrals::table
        .filter(referrals::requested_on.le(last))
        .filter(
            referrals::ended_on
                .is_null()
                .or(referrals::ended_on.ge(first)),
        )
        .select((
            referrals::kind,
            referrals::requested_on,
            referrals::started_on,
            referrals::ended_on,
        ))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(referrals::team_id.eq(team));
    }
    query.load(conn)
}

/// How many stagnations were reported in [from, to), and how many closed in it.
pub fn stagnations_opened_and_closed(
    conn: &mut DbConnection,
    team: Option<i64>,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<(i64, i64)> {
    let mut opened = stagnations::table
        .filter(stagnations::reported_at.ge(from))
        .filter(stagnations::reported_at.lt(to))
        .select(count_star())
        .into_boxed();
    let mut closed = stagnations::table
        .filter(stagnations::closed_at.ge(from))
        .filter(stagnations::closed_at.lt(to))
        .select(count_star())
        .into_boxed();
    if let Some(team) = team {
        opened = opened.filter(stagnations::team_id.eq(team));
        closed = closed.filter(stagnations::team_id.eq(team));
    }
    Ok((opened.first(conn)?, closed.first(conn)?))
}

/// One stint on a shift: who (with her role), checked in and out.
#[derive(Queryable, Debug, Clone)]
pub struct Stint {
    pub role: String,
    pub checked_in_at: NaiveDateTime,
    pub checked_out_at: Option<NaiveDateTime>,
    pub shift_ends_at: NaiveDateTime,
}

/// The check-ins in [from, to) on the shifts of the team (or the city).
pub fn stints_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<Stint>> {
    let mut query = shift_staff::table
        .inner_join(shifts::table)
        .inner_join(users::table)
        .filter(shift_staff::checked_in_at.ge(from))
        .filter(shift_staff::checked_in_at.lt(to))
        .select((
            users::role,
            shift_staff::checked_in_at.assume_not_null(),
            shift_staff::checked_out_at,
            shifts::ends_at,
        ))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(shifts::team_id.eq(team));
    }
    query.load(conn)
}

/// The contracted hours a week of the team's active accounts (or the city's) that have
/// them, with their role.
pub fn contracted_hours(
    conn: &mut DbConnection,
    team: Option<i64>,
) -> QueryResult<Vec<(String, i32)>> {
    let mut query = users::table
        .filter(users::active.eq(true))
        .filter(users::contracted_hours_per_week.is_not_null())
        .select((
            users::role,
            users::contracted_hours_per_week.assume_not_null(),
        ))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(users::team_id.eq(team));
    }
    query.load(conn)
}

/// The casemanager assignments in force on `day` of the team's clients, as (casemanager,
/// her name, client); the caller keeps the clients open at the period's end.
pub fn casemanager_assignments_on(
    conn: &mut DbConnection,
    team: i64,
    day: NaiveDate,
) -> QueryResult<Vec<(i64, String, i64)>> {
    client_casemanagers::table
        .inner_join(users::table)
        .inner_join(clients::table)
        .filter(clients::team_id.eq(team))
        .filter(assigned_on(day))
        .select((
            users::id,
            users::display_name,
            client_casemanagers::client_id,
        ))
        .load(conn)
}

/// The contacts in [from, to) at a location (or at `location` only) that recorded a
/// service, as (location, visitors, services as stored).
pub fn services_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    location: Option<i64>,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(i64, i32, String)>> {
    let mut query = contacts::table
        .filter(contacts::location_id.is_not_null())
        .filter(contacts::services.ne(""))
        .filter(contacts::seen_at.ge(from))
        .filter(contacts::seen_at.lt(to))
        .select((
            contacts::location_id.assume_not_null(),
            contacts::visitor_count,
            contacts::services,
        ))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(contacts::team_id.eq(team));
    }
    if let Some(location) = location {
        query = query.filter(contacts::location_id.eq(location));
    }
    query.load(conn)
}
