//! The coordinator's triage: assessing a signal (its status) and recording every
//! hand-off (to whom, when, how; by whom is who records it). A hand-off passes the signal
//! on (`SignalStatus::after_handoff`).

use chrono::NaiveDateTime;
use serde_json::json;

use super::read::{Signal, detail};
use super::{Action, Identity, event, reach};
use crate::app::audit;
use crate::db::queries::signals::{self as queries, NewHandoff};
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::domain::signal::{HandoffMethod, Recipient, SignalStatus};
use crate::error::ApiError;
use crate::state::AppState;

/// A hand-off as the coordinator gave it.
pub struct PassedOn {
    pub recipient: Recipient,
    /// Which partner, office or person, where the kind alone does not say.
    pub recipient_detail: Option<String>,
    pub method: HandoffMethod,
    /// When; `None` for now.
    pub handed_at: Option<NaiveDateTime>,
}

/// Sets the signal's status (coordinator of its team); closing starts its retention.
pub async fn set_status(
    state: &AppState,
    who: &Identity,
    id: i64,
    status: SignalStatus,
) -> Result<Signal, ApiError> {
    who.require(Role::coordinates)?;
    let (who, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let row = reach(conn, &who, now, id, "signal.update", Action::Update)?;
            // Closing again keeps the first closing, so retention counts from it.
            let closed_at = match status {
                SignalStatus::Closed => Some(row.closed_at.unwrap_or(now)),
                _ => None,
            };
            queries::set_status(conn, id, status.as_str(), closed_at, now)?;
            let detail_json = json!({"signal_id": id, "status": status.as_str()});
            let event = event("signal.update", Action::Update, &row);
            audit::record_change(conn, who.actor(), now, &event, &detail_json)?;
            let row = queries::find(conn, id)?.ok_or(ApiError::NotFound)?;
            detail(conn, row)
        })
        .await
}

/// Records a hand-off of the signal (coordinator of its team) and passes it on.
pub async fn hand_off(
    state: &AppState,
    who: &Identity,
    id: i64,
    passed_on: PassedOn,
) -> Result<Signal, ApiError> {
    who.require(Role::coordinates)?;
    let (who, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let row = reach(conn, &who, now, id, "signal.handoff.create", Action::Create)?;
            let handed_at = passed_on.handed_at.unwrap_or(now);
            if handed_at > now + chrono::TimeDelta::minutes(5) {
                return Err(ApiError::invalid(
                    "handed_at_in_future",
                    "handed_at lies in the future.",
                ));
            }
            queries::insert_handoff(
                conn,
                &NewHandoff {
                    signal_id: id,
                    recipient: passed_on.recipient.as_str().to_owned(),
                    recipient_detail: passed_on.recipient_detail,
                    method: passed_on.method.as_str().to_owned(),
                    handed_at,
                    recorded_by: who.user_id,
                    recorded_at: now,
                },
            )?;
            let status = SignalStatus::from_stored(&row.status)
                .map_err(ApiError::internal)?
                .after_handoff();
            queries::set_status(conn, id, status.as_str(), row.closed_at, now)?;
            let detail_json = json!({
                "signal_id": id,
                "recipient": passed_on.recipient.as_str(),
                "method": passed_on.method.as_str(),
            });
            let event = event("signal.handoff.create", Action::Create, &row);
            audit::record_change(conn, who.actor(), now, &event, &detail_json)?;
            let row = queries::find(conn, id)?.ok_or(ApiError::NotFound)?;
            detail(conn, row)
        })
        .await
}
