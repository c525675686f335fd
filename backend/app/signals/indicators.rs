//! The team's checklist of trafficking indicators: the team reads it to tick them on a
//! signal; its coordinator adds, renames and retires them. A retired indicator stays on
//! the signals it was ticked on.

use serde_json::json;

use super::Identity;
use crate::app::audit::{self, Action, Event};
use crate::db::queries::signals::{self as queries, IndicatorRow};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The team's indicators; the coordinator asks for the retired ones too.
pub async fn list(
    state: &AppState,
    who: &Identity,
    with_retired: bool,
) -> Result<Vec<IndicatorRow>, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let with_retired = with_retired && who.role.coordinates();
    state
        .db
        .read(move |conn| Ok(queries::indicators(conn, team, with_retired)?))
        .await
}

/// Adds an indicator to the team's checklist (coordinator).
pub async fn add(
    state: &AppState,
    who: &Identity,
    label: String,
) -> Result<IndicatorRow, ApiError> {
    who.require(Role::coordinates)?;
    let (who, team, now) = (who.clone(), who.team()?, state.clock.now());
    state
        .db
        .write(move |conn| {
            let row = queries::insert_indicator(conn, team, &label, now)?;
            let event = Event::account("signal_indicator.create", Action::Create);
            audit::record_change(
                conn,
                who.actor(),
                now,
                &event,
                &json!({"indicator_id": row.id}),
            )?;
            Ok(row)
        })
        .await
}

/// Renames or retires (or brings back) one of the team's indicators (coordinator).
pub async fn change(
    state: &AppState,
    who: &Identity,
    id: i64,
    label: Option<String>,
    active: Option<bool>,
) -> Result<IndicatorRow, ApiError> {
    who.require(Role::coordinates)?;
    let (who, team, now) = (who.clone(), who.team()?, state.clock.now());
    state
        .db
        .write(move |conn| {
            let row = queries::update_indicator(conn, team, id, label.as_deref(), active)?
                .ok_or(ApiError::NotFound)?;
            let event = Event::account("signal_indicator.update", Action::Update);
            let detail = json!({"indicator_id": id, "active": row.active});
            audit::record_change(conn, who.actor(), now, &event, &detail)?;
            Ok(row)
        })
        .await
}
