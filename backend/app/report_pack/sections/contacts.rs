//! The pack's first three sections: the contacts of the location asked for (or all), the
//! drop-in living room's own four figures whatever location is asked for
//! (`domain::living_room`), and the services given per location.

use std::collections::{BTreeSet, HashMap};

use crate::db::DbConnection;
use crate::db::queries::locations::LocationRow;
use crate::db::queries::{living_room as queries, report_pack, reports};
use crate::domain::code::Code;
use crate::domain::contact::{Service, services_from_stored};
use crate::domain::living_room::{left_the_living_room, outflow_window};
use crate::domain::pack::{Measure, Table};
use crate::error::ApiError;
use crate::timezone::Zone;

/// Contacts, unique clients, shifts, inflow and outflow; the position of `clients_left`.
pub(super) fn contacts(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<usize, ApiError> {
    let counted = reports::figures(conn, scope)?;
    let total = table.count(
        "contacts.total",
        counted.contacts_named + counted.contacts_anonymous,
    );
    let named = table.count("contacts.named", counted.contacts_named);
    let anonymous = table.count("contacts.anonymous", counted.contacts_anonymous);
    table.group(total, [named, anonymous]);
    table.count("contacts.unique_clients", counted.unique_clients);
    let shifts = table.count("contacts.shifts_held", counted.shifts_held);
    table.add(
        "contacts.average_visitors_per_shift",
        Measure::Average {
            total: counted.visitors_at_shifts,
            over: counted.shifts_held,
            over_cell: shifts,
        },
    );
    table.count("contacts.new_clients", counted.new_clients);
    Ok(table.count("contacts.clients_left", counted.clients_left))
}

/// The living room's visits, unique clients, inflow and outflow in the period, team-wide
/// (or city-wide) and whatever location the pack is asked for. No groups: none of the four
/// is the sum of others, and a woman's first visit there may come years after her intake,
/// so its inflow is no part of `contacts.new_clients`.
pub(super) fn living_room(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    zone: Zone,
    table: &mut Table,
) -> Result<(), ApiError> {
    let places = queries::places(conn)?;
    let period = (scope.from, scope.to);
    let visits = queries::visits_between(conn, scope.team, &places, period)?;
    let unique: BTreeSet<i64> = visits.iter().filter_map(|(client, _)| *client).collect();
    let new = queries::first_visits_before(conn, scope.team, &places, scope.to)?
        .into_iter()
        .filter(|(client, first)| client.is_some() && first.is_some_and(|at| at >= scope.from))
        .count();
    let closed = queries::closed_between(conn, scope.team, (scope.first_day, scope.last_day))?;
    let ids: Vec<i64> = closed.iter().map(|(client, _)| *client).collect();
    // From the first day whose visit counts for a closure on the period's first day.
    let window = (
        zone.start_of_day(outflow_window(scope.first_day).0),
        scope.to,
    );
    let mut days: HashMap<i64, Vec<_>> = HashMap::new();
    for (client, at) in queries::visits_of(conn, &ids, &places, window)? {
        if let Some(client) = client {
            days.entry(client).or_default().push(zone.local_date(at));
        }
    }
    let left = closed
        .iter()
        .filter(|(client, exit_on)| {
            left_the_living_room(*exit_on, days.get(client).into_iter().flatten().copied())
        })
        .count();
    table.count(
        "living_room.visits",
        visits
            .iter()
            .map(|(_, visitors)| i64::from(*visitors))
            .sum(),
    );
    table.count("living_room.unique_clients", unique.len() as i64);
    table.count("living_room.new_clients", new as i64);
    table.count("living_room.clients_left", left as i64);
    Ok(())
}

/// Per location counted (`places`: every location, or the one asked for) and per service,
/// the contacts in the period that recorded it: a known woman's contact as one, an entry of
/// anonymous visitors as their number, as the contacts are counted. Contacts outside a
/// location (a phone call) are in none. No groups: one contact may record several services.
pub(super) fn services(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    places: &[LocationRow],
    table: &mut Table,
) -> Result<(), ApiError> {
    let mut given: HashMap<(i64, &str), i64> = HashMap::new();
    let rows =
        report_pack::services_between(conn, scope.team, scope.location, (scope.from, scope.to))?;
    for (location, visitors, stored) in rows {
        for service in services_from_stored(&stored).map_err(ApiError::internal)? {
            *given.entry((location, service.as_str())).or_default() += i64::from(visitors);
        }
    }
    for place in places {
        for &service in Service::ALL {
            table.count(
                format!("services.{}.{}", place.code, service.as_str()),
                given
                    .get(&(place.id, service.as_str()))
                    .copied()
                    .unwrap_or(0),
            );
        }
    }
    Ok(())
}
