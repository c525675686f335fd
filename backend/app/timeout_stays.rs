//! Time-out stays: registered, changed (dates, place, outcome) and cancelled per client by
//! the roles that edit her file, read by her team, and counted per year against the plan
//! (`domain::timeout_stay`); a cancelled stay stays on record but is not counted. A stay
//! is client data: every read and change is audit-logged (`timeout_stay.read`,
//! `timeout_stay.create`, `timeout_stay.change`, `timeout_stay.cancel`).

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::access;
use crate::app::audit::{self, Action, Event};
use crate::db::queries::timeout_stays::{self, NewStay, StayChange, StayRow};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
use crate::domain::timeout_stay::{self, TimeoutOutcome};
use crate::error::ApiError;
use crate::state::AppState;

/// A stay to register, its length checked by `timeout_stay::check`.
#[derive(Debug, Clone)]
pub struct Stay {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
}

/// Registers a stay for `client` (coordinator, casemanager).
pub async fn register(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    stay: Stay,
) -> Result<StayRow, ApiError> {
    let event = ("timeout_stay.create", Action::Create);
    access::change_of_client(state, who, client, event, move |conn, found, who, now| {
        let id = timeout_stays::create(
            conn,
            &NewStay {
                team_id: found.team_id,
                client_id: client.get(),
                starts_on: stay.starts_on,
                ends_on: stay.ends_on,
                place: &stay.place,
                created_by: who.user_id,
            },
            now,
        )?;
        timeout_stays::for_client(conn, client.get())?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(ApiError::NotFound)
    })
    .await
}

/// A change to a stay: each field given replaces the stored one (`Some(None)` clears it);
/// the dates and the outcome are checked together again.
#[derive(Debug, Default)]
pub struct Change {
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub outcome: Option<Option<TimeoutOutcome>>,
    pub outcome_note: Option<Option<String>>,
}

fn cancelled() -> ApiError {
    ApiError::conflict(
        "timeout_cancelled",
        "This time-out stay was cancelled; it cannot change any more.",
    )
}

/// Changes stay `id` of `client`: other dates or place, how it went (coordinator,
/// casemanager). A cancelled stay is 409 `timeout_cancelled`.
pub async fn change(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    id: i64,
    change: Change,
) -> Result<StayRow, ApiError> {
    let zone = state.zone;
    let event = ("timeout_stay.change", Action::Update);
    access::change_of_client(state, who, client, event, move |conn, _, _, now| {
        let before = timeout_stays::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)?;
        if before.cancelled_at.is_some() {
            return Err(cancelled());
        }
        let starts_on = change.starts_on.unwrap_or(before.starts_on);
        let ends_on = change.ends_on.unwrap_or(before.ends_on);
        timeout_stay::check(starts_on, ends_on)?;
        let stored = match &before.outcome {
            Some(code) => Some(TimeoutOutcome::from_stored(code).map_err(ApiError::internal)?),
            None => None,
        };
        let outcome = change.outcome.unwrap_or(stored);
        timeout_stay::check_outcome(starts_on, outcome, zone.local_date(now))?;
        let place = change.place.unwrap_or(before.place);
        let note = change.outcome_note.unwrap_or(before.outcome_note);
        let changed = timeout_stays::change(
            conn,
            id,
            &StayChange {
                starts_on,
                ends_on,
                place: &place,
                outcome: outcome.map(TimeoutOutcome::as_str),
                outcome_note: note.as_deref(),
                updated_at: now,
            },
        )?;
        if !changed {
            return Err(cancelled());
        }
        timeout_stays::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)
    })
    .await
}

/// Cancels stay `id` of `client`: it did not take place (coordinator, casemanager). It stays
/// on record, no longer counted; a second cancel is 409 `timeout_cancelled`.
pub async fn cancel(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    id: i64,
) -> Result<StayRow, ApiError> {
    let event = ("timeout_stay.cancel", Action::Update);
    access::change_of_client(state, who, client, event, move |conn, _, who, now| {
        timeout_stays::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)?;
        if !timeout_stays::cancel(conn, id, who.user_id, now)? {
            return Err(cancelled());
        }
        timeout_stays::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)
    })
    .await
}

/// `client`'s stays, newest first.
pub async fn of_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<StayRow>, ApiError> {
    access::query_of_client(
        state,
        who,
        client,
        "timeout_stay.read",
        timeout_stays::for_client,
    )
    .await
}

/// The team's stays starting in `year` (coordinator). Who asks is checked before the year
/// asked for.
pub async fn of_year(
    state: &AppState,
    who: &Identity,
    year: i32,
) -> Result<Vec<StayRow>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError::invalid("bad_period", "That year does not exist."));
    };
    let event = Event::search("timeout_stay.list");
    let rows = audit::read_logged(state, who, event, move |conn, _, _| {
        Ok(timeout_stays::for_team_between(conn, team, first, last)?)
    })
    .await?;
    Ok(rows)
}
