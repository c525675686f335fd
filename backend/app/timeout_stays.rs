//! Time-out stays: registered per client by the roles that edit her file, read by her
//! team, and counted per year against the plan (`domain::timeout_stay`). A stay is client
//! data: every read and registration is audit-logged.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::access;
use crate::app::audit::{self, Action, Event};
use crate::db::queries::timeout_stays::{self, NewStay, StayRow};
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
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
