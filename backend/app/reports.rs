//! The team's figures for a period, only read: contacts (named and anonymous), unique
//! clients, inflow, outflow, shifts held, visitors per shift, and contacts per ISO week;
//! the caseload and its categories at the period's end, outflow by exit reason and how
//! many were out of view, the registration events and signals of the period
//! (`domain::client_figures`). A
//! coordinator sees her team's exact figures (or, asked, as they may leave the team); the
//! municipality the city's, protected (`domain::report`). Either asks for a fixed period
//! (`domain::period`), never a range of days.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use crate::app::Identity;
use crate::db::DbConnection;
use crate::db::queries::reports::{self, Scope};
use crate::db::queries::{registration_events, signals};
use crate::domain::caseload::{self, StatusChange};
use crate::domain::client::{Addiction, CaseloadStatus, ExitReason, Region, RegistrationStatus};
use crate::domain::client_figures::{self, ClientAtEnd, ClientFigures, Tally};
use crate::domain::code::Code;
use crate::domain::ids::LocationId;
use crate::domain::period::{Period, PeriodChoice};
use crate::domain::registration::{self, Event, EventKind};
use crate::domain::report::{self, Disclosure, Shown};
use crate::domain::role::Role;
use crate::domain::signal::SignalKind;
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Asked {
    pub period: PeriodChoice,
    /// Only this location (inflow and outflow are about clients and stay team-wide).
    pub location: Option<LocationId>,
    /// The coordinator's figures as they may be shown outside the team (the municipality's
    /// always are).
    pub protected: bool,
}

/// The figures of a period as the caller may see them.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub disclosure: Disclosure,
    /// Named plus anonymous.
    pub contacts: Shown,
    pub contacts_named: Shown,
    pub contacts_anonymous: Shown,
    pub unique_clients: Shown,
    pub new_clients: Shown,
    pub clients_left: Shown,
    pub shifts_held: Shown,
    pub average_visitors_per_shift: Shown,
    /// Caseload, categories, outflow by reason, out of view.
    pub clients: ClientFigures<Shown>,
    /// Signals that happened in the period, by kind (at the location asked for).
    pub signals: Tally<Shown>,
}

/// Contacts (named plus anonymous visitors) per ISO week of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Weeks {
    pub period: Period,
    /// The Monday of the first week and the Sunday of the last.
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub disclosure: Disclosure,
    /// Each week's Monday, in order, with its contacts.
    pub bars: Vec<(NaiveDate, Shown)>,
}

/// The caller's view: a coordinator her team's figures, exact unless she asks for them as
/// they may leave the team; the municipality the city's, protected. The process director
/// and the field see no reports.
pub fn audience(who: &Identity, protected: bool) -> Result<(Option<i64>, Disclosure), ApiError> {
    match who.role {
        Role::Coordinator if protected => Ok((Some(who.team()?), Disclosure::Protected)),
        Role::Coordinator => Ok((Some(who.team()?), Disclosure::Exact)),
        Role::Municipality => Ok((None, Disclosure::Protected)),
        _ => Err(ApiError::Forbidden(
            "Reports are for the coordinator and the municipality.",
        )),
    }
}

/// What the database counts: the local days [first, last], of the team (or the city) and
/// the location asked for.
fn scope(
    state: &AppState,
    team: Option<i64>,
    asked: &Asked,
    (first, last): (NaiveDate, NaiveDate),
) -> Scope {
    Scope {
        team,
        location: asked.location.map(LocationId::get),
        from: state.zone.start_of_day(first),
        to: state.zone.start_of_day(last + TimeDelta::days(1)),
        first_day: first,
        last_day: last,
    }
}

/// The figures of the period asked for. Who asks is checked before what was asked.
pub async fn figures(state: &AppState, who: &Identity, asked: &Asked) -> Result<Report, ApiError> {
    let (team, disclosure) = audience(who, asked.protected)?;
    let period = asked.period.period()?;
    let (first, last) = period.days();
    let scope = scope(state, team, asked, (first, last));
    let end = EndOfPeriod::of(state, last);
    let (counted, clients, signals) = state
        .db
        .read(move |conn| {
            let clients = count_clients(conn, &scope, end)?;
            let signals =
                signals::kinds_between(conn, scope.team, scope.location, (scope.from, scope.to))?;
            Ok::<_, ApiError>((reports::figures(conn, &scope)?, clients, signals))
        })
        .await?;
    let count = |value| report::count(value, disclosure);
    let signals = signals
        .iter()
        .map(|kind| SignalKind::from_stored(kind))
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(ApiError::internal)?;
    let signal_counts: Tally<Shown> = client_figures::tally(signals)
        .into_iter()
        .map(|(kind, counted)| (kind, count(counted)))
        .collect();
    Ok(Report {
        period,
        first,
        last,
        disclosure,
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
            disclosure,
        ),
        clients: clients.shown(disclosure),
        signals: signal_counts,
    })
}

/// The moment the clients' figures are counted at: the end of the period, or now while
/// it runs.
#[derive(Clone, Copy)]
pub(crate) struct EndOfPeriod {
    /// Her status on this day counts.
    pub(crate) day: NaiveDate,
    at: NaiveDateTime,
    zone: Zone,
    out_of_view_days: i64,
}

impl EndOfPeriod {
    pub(crate) fn of(state: &AppState, last: NaiveDate) -> EndOfPeriod {
        let now = state.clock.now();
        let at = now.min(state.zone.start_of_day(last + TimeDelta::days(1)));
        EndOfPeriod {
            day: last.min(state.zone.local_date(now)),
            at,
            zone: state.zone,
            out_of_view_days: i64::from(state.settings.out_of_view_days),
        }
    }

    /// The zone the period's days are local to.
    pub(crate) fn zone(&self) -> Zone {
        self.zone
    }
}

/// The clients' figures (team-wide even when a location is asked for, like inflow and
/// outflow): each client's status at the period's end from her history, her categories,
/// whether she was out of view then, and the period's closures by reason.
pub(crate) fn count_clients(
    conn: &mut DbConnection,
    scope: &Scope,
    end: EndOfPeriod,
) -> Result<ClientFigures<i64>, ApiError> {
    let internal = ApiError::internal;
    let statuses = statuses_on(conn, scope.team, end.day)?;
    let last_seen: HashMap<i64, NaiveDateTime> =
        reports::last_contacts_before(conn, scope.team, end.at)?
            .into_iter()
            .filter_map(|(client, seen)| Some((client?, seen?)))
            .collect();
    let mut at_end = Vec::new();
    for row in reports::categories(conn, scope.team)? {
        let Some(&status) = statuses.get(&row.id) else {
            continue; // No intake yet at the period's end.
        };
        let since = caseload::absent_since(
            last_seen.get(&row.id).copied(),
            row.intake_on,
            row.created_at,
            end.zone,
        );
        at_end.push(ClientAtEnd {
            status,
            region: Region::from_stored(&row.region).map_err(internal)?,
            addiction: Addiction::from_stored(&row.addiction).map_err(internal)?,
            sheltered_housing: row.sheltered_housing,
            known_at_huiskamer: row.known_at_huiskamer,
            registered: row.registration_status == RegistrationStatus::Registered.as_str(),
            out_of_view: caseload::out_of_view(status, since, end.at, end.out_of_view_days),
        });
    }
    // A closure recorded before reasons were kept counts as "other" (as the migration did).
    let closures = reports::exit_reasons(conn, scope)?
        .iter()
        .map(|reason| {
            reason
                .as_deref()
                .map_or(Ok(ExitReason::Other), ExitReason::from_stored)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(internal)?;
    let events = registration_events_in(conn, scope, end)?;
    Ok(client_figures::count(&at_end, &closures, &events))
}

/// Each client's status on `day`, from her history; those with no intake by then are
/// missing.
fn statuses_on(
    conn: &mut DbConnection,
    team: Option<i64>,
    day: NaiveDate,
) -> Result<HashMap<i64, CaseloadStatus>, ApiError> {
    let mut histories: HashMap<i64, Vec<(StatusChange, NaiveDate)>> = HashMap::new();
    for (client, change, on) in reports::status_changes_until(conn, team, day)? {
        let change = StatusChange::from_stored(&change).map_err(ApiError::internal)?;
        histories.entry(client).or_default().push((change, on));
    }
    Ok(histories
        .into_iter()
        .filter_map(|(client, history)| Some((client, caseload::status_on(&history, day)?)))
        .collect())
}

/// The clients not closed at the period's end (those `count_clients` counts as open).
pub(crate) fn open_at_end(
    conn: &mut DbConnection,
    scope: &Scope,
    end: EndOfPeriod,
) -> Result<BTreeSet<i64>, ApiError> {
    Ok(statuses_on(conn, scope.team, end.day)?
        .into_iter()
        .filter(|(_, status)| *status != CaseloadStatus::Closed)
        .map(|(client, _)| client)
        .collect())
}

/// The registration events of the period, with the grants that ran out in it.
fn registration_events_in(
    conn: &mut DbConnection,
    scope: &Scope,
    end: EndOfPeriod,
) -> Result<Vec<EventKind>, ApiError> {
    // The day after the period once it is over: every last valid day in it has passed.
    let today = end.zone.local_date(end.at);
    let mut histories: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
    for row in registration_events::until(conn, scope.team, scope.last_day)? {
        let kind = EventKind::from_stored(&row.kind).map_err(ApiError::internal)?;
        histories.entry(row.client_id).or_default().push(Event {
            kind,
            on: row.occurred_on,
            number: None,
            expires_on: row.expires_on,
        });
    }
    Ok(histories
        .values()
        .flat_map(|history| {
            registration::in_period(history, scope.first_day, scope.last_day, today)
        })
        .collect())
}

/// Contacts per ISO week of the period asked for, each week whole (also its days outside
/// the period) and present (also without contacts), counted by the local day they were
/// seen on. The weeks are those whose Thursday lies in the period (`Period::whole_weeks`),
/// so a week's bar is the same number whichever period it is drawn for.
pub async fn weekly(state: &AppState, who: &Identity, asked: &Asked) -> Result<Weeks, ApiError> {
    let (team, disclosure) = audience(who, asked.protected)?;
    let period = asked.period.period()?;
    let (first, last) = period.whole_weeks();
    let scope = scope(state, team, asked, (first, last));
    let times = state
        .db
        .read(move |conn| Ok::<_, ApiError>(reports::contact_times(conn, &scope)?))
        .await?;
    let monday =
        |day: NaiveDate| day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()));
    let mut weeks: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut week = first;
    while week <= last {
        weeks.insert(week, 0);
        week += TimeDelta::weeks(1);
    }
    for (seen_at, visitors) in times {
        if let Some(contacts) = weeks.get_mut(&monday(state.zone.local_date(seen_at))) {
            *contacts += i64::from(visitors);
        }
    }
    Ok(Weeks {
        period,
        first,
        last,
        disclosure,
        bars: weeks
            .into_iter()
            .map(|(week_start, contacts)| (week_start, report::count(contacts, disclosure)))
            .collect(),
    })
}
