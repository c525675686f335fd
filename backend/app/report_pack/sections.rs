//! The pack's sections for one period, counted into a `pack::Table` in the order the pack
//! reads: contacts, the drop-in living room, services per location (`contacts`), clients, registrations, care (time-outs, Beschermd Wonen Licht, the
//! flex budget), progress on the life domains, referrals, stagnations, signals and
//! staffing. The figures other reports give come from their own queries and rules; the
//! totals and their parts are declared as groups for the secondary suppression.

mod contacts;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::app::plan::figures::trends_between;
use crate::app::reports::{self as figures, EndOfPeriod};
use crate::db::DbConnection;
use crate::db::queries::locations::LocationRow;
use crate::db::queries::{
    flex_budget, report_pack, reports, sheltered_housing, signals, teams, timeout_stays,
};
use crate::domain::client_figures::tally;
use crate::domain::code::Code;
use crate::domain::flex_budget::Category;
use crate::domain::pack::{Measure, Table, median};
use crate::domain::referral::ReferralKind;
use crate::domain::role::Role;
use crate::domain::sheltered_housing::DEFAULT_BUDGET_WEEKS;
use crate::domain::signal::SignalKind;
use crate::domain::timeout_stay::PLANNED_PER_YEAR;
use crate::error::ApiError;

/// The roles whose hours on shift the pack counts.
const STAFF: [Role; 3] = [Role::Coordinator, Role::Casemanager, Role::Peer];

/// Every figure of the period [scope.first_day, scope.last_day]; the services of each of
/// `places`.
pub fn count(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    end: EndOfPeriod,
    places: &[LocationRow],
) -> Result<Table, ApiError> {
    let mut table = Table::new();
    let clients_left = contacts::contacts(conn, scope, &mut table)?;
    contacts::living_room(conn, scope, end.zone(), &mut table)?;
    contacts::services(conn, scope, places, &mut table)?;
    clients(conn, scope, end, clients_left, &mut table)?;
    care(conn, scope, &mut table)?;
    progress(conn, scope, &mut table)?;
    referrals(conn, scope, &mut table)?;
    let (opened, resolved) =
        report_pack::stagnations_opened_and_closed(conn, scope.team, (scope.from, scope.to))?;
    table.count("stagnations.opened", opened);
    table.count("stagnations.resolved", resolved);
    signal_kinds(conn, scope, &mut table)?;
    staffing(conn, scope, &mut table)?;
    Ok(table)
}

/// The caseload at the period's end by status, the categories of the open clients, out of
/// view, outflow by reason, and the registration events.
fn clients(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    end: EndOfPeriod,
    clients_left: usize,
    table: &mut Table,
) -> Result<(), ApiError> {
    let counted = figures::count_clients(conn, scope, end)?;
    let status = |code: &str| counted.caseload.get(code).copied().unwrap_or(0);
    let open_count = status("active") + status("regular_care");
    let total = table.count("clients.caseload.total", open_count + status("closed"));
    let open = table.count("clients.caseload.open", open_count);
    let active = table.count("clients.caseload.active", status("active"));
    let regular = table.count("clients.caseload.regular_care", status("regular_care"));
    let closed = table.count("clients.caseload.closed", status("closed"));
    table.group(total, [open, closed]);
    table.group(open, [active, regular]);
    let regions = table.counts("clients.region", &counted.region);
    table.group(open, regions);
    let addiction = table.counts("clients.addiction", &counted.addiction);
    table.group(open, addiction);
    table.count("clients.sheltered_housing", counted.sheltered_housing);
    table.count("clients.known_at_huiskamer", counted.known_at_huiskamer);
    table.count("clients.registered", counted.registered);
    table.count("clients.out_of_view", counted.out_of_view);
    let reasons = table.counts("clients.outflow", &counted.outflow);
    table.group(clients_left, reasons);
    table.counts("registrations", &counted.registration_events);
    Ok(())
}

/// The teams counted: the one asked for, or every team of the city.
fn team_ids(conn: &mut DbConnection, scope: &reports::Scope) -> Result<Vec<i64>, ApiError> {
    Ok(match scope.team {
        Some(team) => vec![team],
        None => teams::list(conn)?.into_iter().map(|team| team.id).collect(),
    })
}

/// Time-outs started in the period (count and days, against the plan of 6 a year), the
/// nights of Beschermd Wonen Licht in it against the year's budget, and the flex budget
/// spent in it by category against the year's budget (the year of the period's start).
fn care(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<(), ApiError> {
    let (first, last) = (scope.first_day, scope.last_day);
    let year = first.year();
    let (mut stays, mut stay_days, mut nights, mut budget_weeks) = (0, 0, 0, 0);
    let mut spent: BTreeMap<&'static str, i64> =
        Category::ALL.iter().map(|c| (c.as_str(), 0)).collect();
    let mut flex_budget_cents = 0;
    for team in team_ids(conn, scope)? {
        for stay in timeout_stays::for_team_between(conn, team, first, last)? {
            if stay.cancelled_at.is_none() {
                stays += 1;
                stay_days += (stay.ends_on - stay.starts_on).num_days();
            }
        }
        for (started, ended) in sheltered_housing::placements_between(conn, team, first, last)? {
            nights += nights_within(started, ended, (first, last));
        }
        budget_weeks +=
            i64::from(sheltered_housing::budget(conn, team, year)?.unwrap_or(DEFAULT_BUDGET_WEEKS));
        for expense in flex_budget::team_expenses_between(conn, team, first, last)? {
            *spent.entry(category(&expense.category)?).or_default() += expense.amount_cents;
        }
        flex_budget_cents += flex_budget::budget(conn, team, year)?.unwrap_or(0);
    }
    table.count("care.timeout_stays", stays);
    table.count("care.timeout_days", stay_days);
    table.add(
        "care.timeout_stays_planned_per_year",
        Measure::Amount(PLANNED_PER_YEAR),
    );
    table.count("care.sheltered_housing_nights", nights);
    table.add(
        "care.sheltered_housing_budget_weeks",
        Measure::Amount(budget_weeks),
    );
    table.add(
        "care.flex_spent_cents",
        Measure::Amount(spent.values().sum()),
    );
    for (code, cents) in &spent {
        table.add(
            format!("care.flex_spent_cents.{code}"),
            Measure::Amount(*cents),
        );
    }
    table.add("care.flex_budget_cents", Measure::Amount(flex_budget_cents));
    Ok(())
}

fn category(stored: &str) -> Result<&'static str, ApiError> {
    Category::from_stored(stored)
        .map(Code::as_str)
        .map_err(ApiError::internal)
}

/// The nights of a placement from `started` to its end (or on) that fall in the period.
fn nights_within(
    started: NaiveDate,
    ended: Option<NaiveDate>,
    (first, last): (NaiveDate, NaiveDate),
) -> i64 {
    let after_last = last + TimeDelta::days(1);
    let until = ended.map_or(after_last, |ended| ended.min(after_last));
    (until - started.max(first)).num_days().max(0)
}

/// Per life domain: the women who improved, stayed equal or declined between their first
/// and latest assessment in the period.
fn progress(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<(), ApiError> {
    for (domain, trends) in trends_between(conn, scope.team, (scope.first_day, scope.last_day))? {
        let domain = domain.as_str();
        table.count(format!("plan.{domain}.improved"), trends.improved);
        table.count(format!("plan.{domain}.equal"), trends.equal);
        table.count(format!("plan.{domain}.declined"), trends.declined);
    }
    Ok(())
}

/// Per kind: referrals requested in the period, started in it, the median wait (request to
/// start) of those started, and those still waiting at the period's end.
fn referrals(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<(), ApiError> {
    let (first, last) = (scope.first_day, scope.last_day);
    let within = |day: Option<NaiveDate>| day.is_some_and(|day| first <= day && day <= last);
    let rows = report_pack::referrals_touching(conn, scope.team, (first, last))?;
    for kind in ReferralKind::ALL {
        let mut requested = 0;
        let mut waits = Vec::new();
        let mut waiting_at_end = 0;
        for row in rows.iter().filter(|row| row.kind == kind.as_str()) {
            if within(Some(row.requested_on)) {
                requested += 1;
            }
            if within(row.started_on) {
                waits.extend(row.started_on.map(|on| (on - row.requested_on).num_days()));
            }
            let begun = row.started_on.is_some_and(|on| on <= last);
            let ended = row.ended_on.is_some_and(|on| on <= last);
            if !begun && !ended {
                waiting_at_end += 1;
            }
        }
        let code = kind.as_str();
        table.count(format!("referrals.{code}.requested"), requested);
        let started = table.count(format!("referrals.{code}.started"), waits.len() as i64);
        table.add(
            format!("referrals.{code}.median_wait_days"),
            Measure::Median {
                value: median(&mut waits),
                of_cell: started,
            },
        );
        table.count(format!("referrals.{code}.waiting_at_end"), waiting_at_end);
    }
    Ok(())
}

/// Signals that happened in the period, in all and by kind.
fn signal_kinds(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<(), ApiError> {
    let kinds = signals::kinds_between(conn, scope.team, scope.location, (scope.from, scope.to))?
        .iter()
        .map(|kind| SignalKind::from_stored(kind))
        .collect::<anyhow::Result<Vec<_>>>()
        .map_err(ApiError::internal)?;
    let total = table.count("signals.total", kinds.len() as i64);
    let parts = table.counts("signals", &tally(kinds));
    table.group(total, parts);
    Ok(())
}

/// Per staff role: the hours on shift from check-in to check-out (or the shift's end when
/// nobody checked out) of the check-ins in the period, against the hours the role's active
/// accounts are contracted for in it (their hours a week times the period's weeks).
fn staffing(
    conn: &mut DbConnection,
    scope: &reports::Scope,
    table: &mut Table,
) -> Result<(), ApiError> {
    let mut minutes: BTreeMap<&str, i64> = BTreeMap::new();
    for stint in report_pack::stints_between(conn, scope.team, (scope.from, scope.to))? {
        let out = stint.checked_out_at.unwrap_or(stint.shift_ends_at);
        *minutes.entry(role(&stint.role)?).or_default() +=
            (out - stint.checked_in_at).num_minutes().max(0);
    }
    let mut weekly: BTreeMap<&str, i64> = BTreeMap::new();
    for (stored, hours) in report_pack::contracted_hours(conn, scope.team)? {
        *weekly.entry(role(&stored)?).or_default() += i64::from(hours);
    }
    let days = (scope.last_day - scope.first_day).num_days() + 1;
    for staff in STAFF {
        let code = staff.as_str();
        let on_shift = minutes.get(code).copied().unwrap_or(0);
        let contracted = weekly.get(code).copied().unwrap_or(0) * days;
        // Hours to a whole number: hours a week times days over 7, rounded.
        table.add(
            format!("staffing.{code}.hours_on_shift"),
            Measure::Amount((on_shift + 30) / 60),
        );
        table.add(
            format!("staffing.{code}.contracted_hours"),
            Measure::Amount((contracted + 3) / 7),
        );
    }
    Ok(())
}

fn role(stored: &str) -> Result<&'static str, ApiError> {
    Role::from_stored(stored)
        .map(Code::as_str)
        .map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn nights_of_a_placement_are_those_in_the_period() {
        let q1 = (day("2026-01-01"), day("2026-03-31"));
        // From 20 December to 10 January: the nights of 1 to 9 January.
        assert_eq!(
            nights_within(day("2025-12-20"), Some(day("2026-01-10")), q1),
            9
        );
        // Still running: every night from 1 March to the last night of the quarter.
        assert_eq!(nights_within(day("2026-03-01"), None, q1), 31);
        assert_eq!(nights_within(day("2026-04-02"), None, q1), 0);
    }
}
