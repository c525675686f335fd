//! Reading signals: the team's list (by status, for the coordinator's triage), one
//! signal with its hand-offs, and the signals about one client on her file. Every read
//! is audit-logged by the signals it showed, never by their text.

use chrono::NaiveDateTime;
use serde_json::json;

use super::warning::Tonight;
use super::{Action, Event, Identity, reach};
use crate::app::access;
use crate::app::audit;
use crate::db::DbConnection;
use crate::db::queries::signals::{self as queries, HandoffRow, Listed, SignalRow};
use crate::db::queries::users;
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
use crate::domain::signal::{HandoffMethod, Recipient, SignalKind, SignalStatus};
use crate::error::ApiError;
use crate::state::AppState;

/// A signal with everything the team may read of it.
pub struct Signal {
    pub row: SignalRow,
    pub kind: SignalKind,
    pub status: SignalStatus,
    pub recorded_by_name: String,
    /// The ticked indicators: id and label.
    pub indicators: Vec<(i64, String)>,
    pub handoffs: Vec<Handoff>,
}

/// One hand-off of a signal.
pub struct Handoff {
    pub row: HandoffRow,
    pub recipient: Recipient,
    pub method: HandoffMethod,
    pub recorded_by_name: String,
}

/// Completes rows with their indicators, hand-offs and codes, in the rows' order.
fn complete(
    conn: &mut DbConnection,
    rows: Vec<(SignalRow, String)>,
) -> Result<Vec<Signal>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
    let marks = queries::marks_of(conn, &ids)?;
    let mut handoffs = queries::handoffs_of(conn, &ids)?
        .into_iter()
        .map(|(row, recorded_by_name)| {
            Ok(Handoff {
                recipient: Recipient::from_stored(&row.recipient).map_err(ApiError::internal)?,
                method: HandoffMethod::from_stored(&row.method).map_err(ApiError::internal)?,
                row,
                recorded_by_name,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    rows.into_iter()
        .map(|(row, recorded_by_name)| {
            let indicators = marks
                .iter()
                .filter(|(signal, _, _)| *signal == row.id)
                .map(|(_, id, label)| (*id, label.clone()))
                .collect();
            let (own, rest): (Vec<Handoff>, Vec<Handoff>) =
                handoffs.drain(..).partition(|h| h.row.signal_id == row.id);
            handoffs = rest;
            Ok(Signal {
                kind: SignalKind::from_stored(&row.kind).map_err(ApiError::internal)?,
                status: SignalStatus::from_stored(&row.status).map_err(ApiError::internal)?,
                recorded_by_name,
                indicators,
                handoffs: own,
                row,
            })
        })
        .collect()
}

/// The signal `row` with all it holds.
pub(super) fn detail(conn: &mut DbConnection, row: SignalRow) -> Result<Signal, ApiError> {
    let name = users::find(conn, row.recorded_by)?.display_name;
    complete(conn, vec![(row, name)])?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// Writes one read entry per signal shown about a client (her trail shows it), each
/// given as its id and client, and one for the list, naming how many it showed.
fn log_list(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    shown: &[(i64, Option<i64>)],
) -> Result<(), ApiError> {
    for (signal_id, client_id) in shown {
        if client_id.is_some() {
            let event = Event {
                name: "signal.read",
                action: Action::Read,
                client_id: *client_id,
            };
            super::log(conn, who, now, &event, *signal_id)?;
        }
    }
    let list = Event {
        name: "signal.list",
        action: Action::Read,
        client_id: None,
    };
    audit::record_change(
        conn,
        who.actor(),
        now,
        &list,
        &json!({"signals": shown.len()}),
    )?;
    Ok(())
}

/// Audit-logs a list of signals shown to `who` and hands it on.
async fn logged(
    state: &AppState,
    who: &Identity,
    now: NaiveDateTime,
    signals: Vec<Signal>,
) -> Result<Vec<Signal>, ApiError> {
    let writer = who.clone();
    let shown: Vec<_> = signals
        .iter()
        .map(|s| (s.row.id, s.row.client_id))
        .collect();
    state
        .db
        .write(move |conn| log_list(conn, &writer, now, &shown))
        .await?;
    Ok(signals)
}

/// The signals `who` may read, newest first, optionally of one status: a care role her
/// team's, the process director those about the clients she may see (`access::director_sees`).
pub async fn list(
    state: &AppState,
    who: &Identity,
    status: Option<SignalStatus>,
) -> Result<Vec<Signal>, ApiError> {
    who.require(Role::reads_clients)?;
    let (reader, now) = (who.clone(), state.clock.now());
    let signals = state
        .db
        .read(move |conn| {
            let listed = if reader.role == Role::ProcessDirector {
                Listed::AboutClients(access::director_clients(conn, now)?)
            } else {
                Listed::Team(reader.team()?)
            };
            let rows = queries::list(conn, listed, status.map(SignalStatus::as_str))?;
            complete(conn, rows)
        })
        .await?;
    logged(state, who, now, signals).await
}

/// Tonight's warnings of the caller's team, newest first, for Vanavond: from the start of
/// the evening until its last shift ends (`warning::Tonight`). Every read is logged.
pub async fn warnings(state: &AppState, who: &Identity) -> Result<Vec<Signal>, ApiError> {
    who.require(Role::is_care_role)?;
    let (reader, now, zone) = (who.clone(), state.clock.now(), state.zone);
    let signals = state
        .db
        .read(move |conn| {
            let team = reader.team()?;
            let tonight = Tonight::of(conn, team, now, zone)?;
            if now >= tonight.until {
                return Ok(Vec::new());
            }
            let listed = Listed::WarningsSince {
                team,
                since: tonight.from,
            };
            let rows = queries::list(conn, listed, None)?;
            complete(conn, rows)
        })
        .await?;
    logged(state, who, now, signals).await
}

/// One signal with its hand-offs; the read is audit-logged.
pub async fn one(state: &AppState, who: &Identity, id: i64) -> Result<Signal, ApiError> {
    let (reader, now) = (who.clone(), state.clock.now());
    let signal = state
        .db
        .read(move |conn| {
            let row = reach(conn, &reader, now, id, "signal.read", Action::Read)?;
            detail(conn, row)
        })
        .await?;
    let (writer, row) = (who.clone(), signal.row.clone());
    state
        .db
        .write(move |conn| {
            let event = super::event("signal.read", Action::Read, &row);
            super::log(conn, &writer, now, &event, row.id)
        })
        .await?;
    Ok(signal)
}

/// The signals about one client, newest first, for those who may read her file.
pub async fn of_client(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<Vec<Signal>, ApiError> {
    access::read_of_client(state, who, id, "client.signals.read", move |conn| {
        let rows = queries::list(conn, Listed::AboutClient(id.get()), None)?;
        complete(conn, rows)
    })
    .await
}
