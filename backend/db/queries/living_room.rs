//! What the report pack counts of the drop-in living room (Huiskamer De Cirkel), whatever
//! location the pack is asked for. The living room is every location of kind
//! `living_room`, never a name: an admin may rename it. Each for one team or, with
//! `None`, the whole city.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::min;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, contacts, locations};
use crate::domain::code::Code;
use crate::domain::location::LocationKind;

/// The locations that are a drop-in living room.
pub fn places(conn: &mut DbConnection) -> QueryResult<Vec<i64>> {
    locations::table
        .filter(locations::kind.eq(LocationKind::LivingRoom.as_str()))
        .select(locations::id)
        .load(conn)
}

/// The contacts at `places` in [from, to) as (client or none, visitors).
pub fn visits_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    places: &[i64],
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(Option<i64>, i32)>> {
    let mut query = contacts::table
        .filter(contacts::location_id.eq_any(places.iter().map(|id| Some(*id))))
        .filter(contacts::seen_at.ge(from))
        .filter(contacts::seen_at.lt(to))
        .select((contacts::client_id, contacts::visitor_count))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(contacts::team_id.eq(team));
    }
    query.load(conn)
}

/// Each client's first contact ever at `places`, of those who had one before `before`.
pub fn first_visits_before(
    conn: &mut DbConnection,
    team: Option<i64>,
    places: &[i64],
    before: NaiveDateTime,
) -> QueryResult<Vec<(Option<i64>, Option<NaiveDateTime>)>> {
    let mut query = contacts::table
        .inner_join(clients::table)
        .filter(contacts::location_id.eq_any(places.iter().map(|id| Some(*id))))
        .filter(contacts::seen_at.lt(before))
        .group_by(contacts::client_id)
        .select((contacts::client_id, min(contacts::seen_at)))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// The clients closed with an exit day in [first, last] (those `contacts.clients_left`
/// counts), with that day.
pub fn closed_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    (first, last): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(i64, NaiveDate)>> {
    let mut query = clients::table
        .filter(clients::exit_on.ge(first))
        .filter(clients::exit_on.le(last))
        .filter(clients::caseload_status.eq("closed"))
        .select((clients::id, clients::exit_on.assume_not_null()))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(clients::team_id.eq(team));
    }
    query.load(conn)
}

/// The contacts of `clients` at `places` in [from, to), as (client, seen at).
pub fn visits_of(
    conn: &mut DbConnection,
    clients: &[i64],
    places: &[i64],
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(Option<i64>, NaiveDateTime)>> {
    contacts::table
        .filter(contacts::client_id.eq_any(clients.iter().map(|id| Some(*id))))
        .filter(contacts::location_id.eq_any(places.iter().map(|id| Some(*id))))
        .filter(contacts::seen_at.ge(from))
        .filter(contacts::seen_at.lt(to))
        .select((contacts::client_id, contacts::seen_at))
        .load(conn)
}
