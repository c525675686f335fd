//! The team's figures for a period, only read: contacts (named and anonymous), unique
//! clients, inflow, outflow, shifts held, visitors per shift, and contacts per week. A
//! coordinator sees her team's exact figures, the municipality the city's with small
//! numbers suppressed (`domain::report`).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::app::Identity;
use crate::db::queries::reports::{self, Scope};
use crate::domain::ids::LocationId;
use crate::domain::report::{self, PeriodChoice, Shown};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Asked {
    pub period: PeriodChoice,
    /// Only this location (inflow and outflow are about clients and stay team-wide).
    pub location: Option<LocationId>,
}

/// The figures of a period as the caller may see them.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Named plus anonymous.
    pub contacts: Shown,
    pub contacts_named: Shown,
    pub contacts_anonymous: Shown,
    pub unique_clients: Shown,
    pub new_clients: Shown,
    pub clients_left: Shown,
    pub shifts_held: Shown,
    pub average_visitors_per_shift: Shown,
}

/// Contacts (named plus anonymous visitors) per week of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Weeks {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Each week's Monday, in order, with its contacts.
    pub bars: Vec<(NaiveDate, Shown)>,
}

/// The caller's view: a coordinator her team's exact figures, the municipality the city's
/// with small numbers suppressed.
fn audience(who: &Identity) -> Result<(Option<i64>, bool), ApiError> {
    match who.role {
        Role::Coordinator => Ok((Some(who.team()?), false)),
        Role::Municipality => Ok((None, true)),
        _ => Err(ApiError::Forbidden(
            "Reports are for the coordinator and the municipality.",
        )),
    }
}

/// What the database counts for `asked`, and whether small numbers are to be suppressed.
/// Who asks is checked before what was asked.
fn scope(state: &AppState, who: &Identity, asked: &Asked) -> Result<(Scope, bool), ApiError> {
    let (team, suppress) = audience(who)?;
    let (first, last) = asked.period.days()?;
    let scope = Scope {
        team,
        location: asked.location.map(LocationId::get),
        from: state.zone.start_of_day(first),
        to: state.zone.start_of_day(last + TimeDelta::days(1)),
        first_day: first,
        last_day: last,
    };
    Ok((scope, suppress))
}

/// The figures of the period asked for.
pub async fn figures(state: &AppState, who: &Identity, asked: &Asked) -> Result<Report, ApiError> {
    let (scope, suppress) = scope(state, who, asked)?;
    let (first, last) = (scope.first_day, scope.last_day);
    let counted = state
        .db
        .read(move |conn| Ok::<_, ApiError>(reports::figures(conn, &scope)?))
        .await?;
    let count = |value| report::count(value, suppress);
    Ok(Report {
        first,
        last,
        contacts: count(counted.contacts_named + counted.contacts_anonymous),
        contacts_named: count(counted.contacts_named),
        contacts_anonymous: count(counted.contacts_anonymous),
        unique_clients: count(counted.unique_clients),
        new_clients: count(counted.new_clients),
        clients_left: count(counted.clients_left),
        shifts_held: count(counted.shifts_held),
        average_visitors_per_shift: report::average(
            counted.visitors_at_shifts,
            counted.shifts_held,
            suppress,
        ),
    })
}

/// Contacts per week of the period asked for, every week present (also without contacts),
/// counted by the local day they were seen on.
pub async fn weekly(state: &AppState, who: &Identity, asked: &Asked) -> Result<Weeks, ApiError> {
    let (scope, suppress) = scope(state, who, asked)?;
    let (first, last) = (scope.first_day, scope.last_day);
    let times = state
        .db
        .read(move |conn| Ok::<_, ApiError>(reports::contact_times(conn, &scope)?))
        .await?;
    let monday =
        |day: NaiveDate| day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()));
    let mut weeks: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut week = monday(first);
    while week <= last {
        weeks.insert(week, 0);
        week += TimeDelta::weeks(1);
    }
    for (seen_at, visitors) in times {
        *weeks
            .entry(monday(state.zone.local_date(seen_at)))
            .or_default() += i64::from(visitors);
    }
    Ok(Weeks {
        first,
        last,
        bars: weeks
            .into_iter()
            .map(|(week_start, contacts)| (week_start, report::count(contacts, suppress)))
            .collect(),
    })
}
