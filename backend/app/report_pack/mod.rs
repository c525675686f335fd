//! The report pack: the account the coordinator sends the municipality and the funders for
//! a quarter, a year or a month, with the same period a year before beside it. Every
//! figure of the pack (`sections`) in one answer, as the caller may see it: the
//! coordinator her team's, exact, with the caseload of each casemanager; the municipality
//! the city's, with small counts and what would give them away suppressed
//! (`domain::pack`), and no caseload per casemanager (see `Pack::casemanagers`).

mod sections;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeDelta};

use crate::app::Identity;
use crate::app::audit;
use crate::app::reports::{EndOfPeriod, audience, open_at_end};
use crate::db::DbConnection;
use crate::db::queries::reports::Scope;
use crate::db::queries::{locations, report_pack};
use crate::domain::audit::Event;
use crate::domain::ids::LocationId;
use crate::domain::period::Period;
use crate::domain::report::{Disclosure, Shown};
use crate::error::ApiError;
use crate::state::AppState;

/// What a pack is asked for: its first and last local day (none when not given as a
/// day), and perhaps one location.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only this location's contacts, services, shifts and signals; the drop-in living
    /// room's own figures, the clients' figures, care, plans, referrals and staffing stay
    /// team-wide.
    pub location: Option<LocationId>,
    /// The coordinator's pack as it may leave the team (the municipality's always is).
    pub protected: bool,
}

/// One period's figures by key, in the pack's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub period: Period,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// `None`: no value (the median wait of no referral).
    pub figures: Vec<(String, Option<Shown>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub now: Figures,
    /// The same period a year before (none before the first plausible year).
    pub year_before: Option<Figures>,
    /// The name of the location asked for.
    pub location: Option<String>,
    /// The locations whose services are counted (`services.<code>.<service>`), as (code,
    /// name), in the pack's order.
    pub location_names: Vec<(String, String)>,
    pub disclosure: Disclosure,
    /// The coordinator's only: per casemanager, the open clients she was casemanager of at
    /// the period's end. The municipality gets none, not even without names: the team is
    /// a handful of people the municipality knows by name, so "casemanager 3: 2 women"
    /// points at colleagues and, through them, at women; and most numbers per person are
    /// below 5, so nearly every row would be "<5" anyway. The caseload by status tells the
    /// funder what it needs.
    pub casemanagers: Option<Vec<(String, i64)>>,
}

/// The pack for the period asked for (coordinator: her team; municipality: the city).
/// Who asks is checked before what was asked; the read is in the audit trail.
pub async fn pack(state: &AppState, who: &Identity, asked: Asked) -> Result<Pack, ApiError> {
    let (team, disclosure) = audience(who, asked.protected)?;
    let (Some(from), Some(to)) = (asked.from, asked.to) else {
        return Err(ApiError::invalid(
            "bad_period",
            "Give from and to as days (from=2026-04-01&to=2026-06-30).",
        ));
    };
    let period = Period::spanning(from, to)?;
    let before = period.year_before();
    let location = asked.location.map(LocationId::get);
    let scope = move |(first, last): (NaiveDate, NaiveDate)| Scope {
        team,
        location,
        from: state.zone.start_of_day(first),
        to: state.zone.start_of_day(last + TimeDelta::days(1)),
        first_day: first,
        last_day: last,
    };
    let (now_scope, now_end) = (
        scope(period.days()),
        EndOfPeriod::of(state, period.days().1),
    );
    let before_scope = before.map(|before| {
        (
            scope(before.days()),
            EndOfPeriod::of(state, before.days().1),
        )
    });
    let (now, year_before, location_name, places, casemanagers) = audit::read_logged(
        state,
        who,
        Event::search("report.pack"),
        move |conn, _, _| {
            // The services are counted per location: every one, or the one asked for.
            let mut places = locations::list(conn)?;
            let location_name = match location {
                None => None,
                Some(id) => {
                    places.retain(|row| row.id == id);
                    match places.first() {
                        Some(row) => Some(row.name.clone()),
                        None => {
                            return Err(ApiError::invalid(
                                "unknown_location",
                                "There is no such location.",
                            ));
                        }
                    }
                }
            };
            let now = sections::count(conn, &now_scope, now_end, &places)?;
            let year_before = before_scope
                .map(|(scope, end)| sections::count(conn, &scope, end, &places))
                .transpose()?;
            let casemanagers = match (team, disclosure) {
                (Some(team), Disclosure::Exact) => {
                    Some(caseload_per_casemanager(conn, team, &now_scope, now_end)?)
                }
                _ => None,
            };
            let places: Vec<(String, String)> =
                places.into_iter().map(|row| (row.code, row.name)).collect();
            Ok((now, year_before, location_name, places, casemanagers))
        },
    )
    .await?;
    let shown = |period: Period, table: &crate::domain::pack::Table| {
        let (first, last) = period.days();
        Figures {
            period,
            first,
            last,
            figures: table.shown(disclosure),
        }
    };
    Ok(Pack {
        now: shown(period, &now),
        year_before: before
            .zip(year_before)
            .map(|(before, table)| shown(before, &table)),
        location: location_name,
        location_names: places,
        disclosure,
        casemanagers,
    })
}

/// Per casemanager (by name, in order), the clients open at the period's end whose
/// casemanager she was on its last day.
fn caseload_per_casemanager(
    conn: &mut DbConnection,
    team: i64,
    scope: &Scope,
    end: EndOfPeriod,
) -> Result<Vec<(String, i64)>, ApiError> {
    let open: BTreeSet<i64> = open_at_end(conn, scope, end)?;
    let mut per_person: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for (user, name, client) in report_pack::casemanager_assignments_on(conn, team, end.day)? {
        if open.contains(&client) {
            *per_person.entry((name, user)).or_default() += 1;
        }
    }
    Ok(per_person
        .into_iter()
        .map(|((name, _), clients)| (name, clients))
        .collect())
}
