//! Beschermd Wonen Licht against the team's yearly budget in weeks
//! (`domain::sheltered_housing`): the coordinator sets the weeks, as she sets the flex
//! budget; she and the casemanagers see where the year stands. A team total without client
//! data, so reading it is not audit-logged; setting it is.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event};
use crate::db::DbConnection;
use crate::db::queries::sheltered_housing;
use crate::domain::flex_budget::BudgetYear;
use crate::domain::role::Role;
use crate::domain::sheltered_housing::{WeeksBalance, check_budget, nights_in};
use crate::error::ApiError;
use crate::state::AppState;

/// A year's weeks and where they stand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearWeeks {
    pub year: BudgetYear,
    pub balance: WeeksBalance,
}

fn balance(
    conn: &mut DbConnection,
    team: i64,
    year: BudgetYear,
    today: NaiveDate,
) -> diesel::QueryResult<WeeksBalance> {
    let (first, last) = year.days();
    let used: i64 = sheltered_housing::placements_between(conn, team, first, last)?
        .into_iter()
        .map(|(started, ended)| nights_in(year, started, ended.unwrap_or(today).min(today)))
        .sum();
    Ok(WeeksBalance::of(
        sheltered_housing::budget(conn, team, year.get())?,
        used,
    ))
}

/// Where the team's weeks for `year` stand (coordinator, casemanager). Who asks is checked
/// before the year asked for.
pub async fn weeks(state: &AppState, who: &Identity, year: i32) -> Result<YearWeeks, ApiError> {
    who.require(Role::edits_clients)?;
    let team = who.team()?;
    let year = BudgetYear::parse(year)?;
    let today = state.zone.local_date(state.clock.now());
    let balance = state
        .db
        .read(move |conn| Ok::<_, ApiError>(balance(conn, team, year, today)?))
        .await?;
    Ok(YearWeeks { year, balance })
}

/// Sets the team's weeks for `year`, replacing an earlier number (coordinator).
pub async fn set_weeks(
    state: &AppState,
    who: &Identity,
    year: i32,
    weeks: i32,
) -> Result<YearWeeks, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let year = BudgetYear::parse(year)?;
    let weeks = check_budget(weeks)?;
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let event = Event::account("sheltered_housing_budget.set", Action::Update);
    let balance = audit::write_logged(state, who, now, event, move |conn, who| {
        sheltered_housing::set_budget(conn, team, year.get(), weeks, who.user_id, now).map_err(
            |e| {
                crate::app::taken(
                    e,
                    "budget_changed",
                    "Someone set this budget at the same moment; try again.",
                )
            },
        )?;
        Ok(balance(conn, team, year, today)?)
    })
    .await?;
    Ok(YearWeeks { year, balance })
}
