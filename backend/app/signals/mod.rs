//! Signals (signalering): a worker records what she noticed at the zone in a few taps,
//! safe to send again from the outbox with an idempotency key (`record`); the team reads
//! them, the coordinator triages and records every hand-off (`triage`), and edits the
//! trafficking indicator checklist (`indicators`). Who reaches which signal is decided in
//! `reach`; every read and change is audit-logged, never with its text.

pub mod indicators;
pub mod read;
pub mod retention;
pub mod triage;
mod warning;

use chrono::NaiveDateTime;
use serde_json::json;

use super::access::{self, Need};
use super::audit::{self, Action, Event};
use super::retry::{self, KEY_RACE, Retry};
use super::{Identity, locations};
use crate::db::DbConnection;
use crate::db::queries::shifts;
use crate::db::queries::signals::{self as queries, NewSignal, SignalRow};
use crate::domain::code::Code;
use crate::domain::ids::{ClientId, LocationId, ShiftId};
use crate::domain::role::Role;
use crate::domain::signal::{self, SignalKind, SignalStatus};
use crate::error::ApiError;
use crate::push::deliver::deliver_due;
use crate::state::AppState;

pub use read::Signal;

/// A signal as the worker gave it, checked against everything that needs no database.
pub struct Noticed {
    pub kind: SignalKind,
    /// When it happened; `None` for now.
    pub occurred_at: Option<NaiveDateTime>,
    /// Where; defaults to the shift's location.
    pub location: Option<LocationId>,
    pub shift: Option<ShiftId>,
    /// The known client it concerns.
    pub client: Option<ClientId>,
    /// A short description of a woman nobody knows yet.
    pub description: Option<String>,
    pub text: Option<String>,
    /// Ticked trafficking indicators of the team's checklist.
    pub indicators: Vec<i64>,
    /// Sent as a warning to everyone on tonight's shifts (violence, a dangerous customer).
    pub warning: bool,
}

/// A new signal, or the replay of an earlier one sent with the same key.
pub enum Recorded {
    New(Signal),
    Replay(Signal),
}

/// The audit event about a signal: about her when it concerns a known client.
fn event(name: &'static str, action: Action, row: &SignalRow) -> Event {
    Event {
        name,
        action,
        client_id: row.client_id,
    }
}

/// Writes the audit entry for `row`, naming the signal (never its text).
fn log(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &Event,
    signal_id: i64,
) -> Result<(), ApiError> {
    audit::record_change(
        conn,
        who.actor(),
        now,
        event,
        &json!({"signal_id": signal_id}),
    )?;
    Ok(())
}

/// The signal `id` if `who` may read it: a care role her team's, the process director
/// those about a client she may see (`access::director_sees`). Anyone else is refused by role; a signal out of
/// reach answers 404 as if it did not exist, and the refusal is audit-logged.
fn reach(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    id: i64,
    name: &'static str,
    action: Action,
) -> Result<SignalRow, ApiError> {
    who.require(Role::reads_clients)?;
    let refused = Event {
        name,
        action,
        client_id: None,
    };
    let Some(row) = queries::find(conn, id)? else {
        return Err(ApiError::denied(refused, ApiError::NotFound));
    };
    let reachable = if who.role == Role::ProcessDirector {
        match row.client_id {
            Some(client) => access::director_sees(conn, client, now)?,
            None => false,
        }
    } else {
        row.team_id == who.team()?
    };
    if reachable {
        Ok(row)
    } else {
        Err(ApiError::denied(refused, ApiError::NotFound))
    }
}

/// Records a signal (coordinator, casemanager, peer). A retry with a key used before
/// records nothing and answers with the signal as it is now. A warning is queued for
/// those on shift in the same transaction, and its push messages are sent at once.
pub async fn record(
    state: &AppState,
    who: &Identity,
    noticed: Noticed,
    retry: Option<Retry>,
) -> Result<Recorded, ApiError> {
    who.require(Role::is_care_role)?;
    let (now, zone) = (state.clock.now(), state.zone);
    let (writer, write_retry) = (who.clone(), retry.clone());
    let written: Result<Recorded, ApiError> = state
        .db
        .write(move |conn| {
            if let Some(retry) = &write_retry
                && let Some(replayed) = replay(conn, &writer, retry)?
            {
                return Ok(Recorded::Replay(replayed));
            }
            let row = insert(conn, &writer, noticed, write_retry.as_ref(), now)?;
            if row.warning {
                warning::queue(conn, row.team_id, row.id, row.recorded_by, now, zone)?;
            }
            Ok(Recorded::New(read::detail(conn, row)?))
        })
        .await;
    if let Ok(Recorded::New(signal)) = &written
        && signal.row.warning
    {
        deliver_now(state);
    }
    match (written, retry) {
        // A concurrent request with the same key won the race: answer as it did.
        (Err(ApiError::Conflict { code: KEY_RACE, .. }), Some(retry)) => {
            let who = who.clone();
            state
                .db
                .read(move |conn| replay(conn, &who, &retry))
                .await?
                .map(Recorded::Replay)
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("lost idempotency race")))
        }
        (written, _) => written,
    }
}

/// Sends the push messages due now without waiting for the next sweep; what fails here
/// is retried by the sweep's delivery, as every message is.
fn deliver_now(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(err) = deliver_due(&state.db, &state.push, &state.clock).await {
            tracing::warn!(error = %err, "sending a warning at once failed; the sweep retries");
        }
    });
}

/// The signal recorded earlier with the retry's key, if this user used it before.
fn replay(
    conn: &mut DbConnection,
    who: &Identity,
    retry: &Retry,
) -> Result<Option<Signal>, ApiError> {
    let Some((stored_hash, signal_id)) =
        queries::idempotency_lookup(conn, who.user_id, &retry.key)?
    else {
        return Ok(None);
    };
    retry.same_as(Some(&stored_hash))?;
    let row = queries::find(conn, signal_id)?.ok_or(ApiError::NotFound)?;
    Ok(Some(read::detail(conn, row)?))
}

/// Checks the signal against the database, writes it with its indicators and idempotency
/// record, and the audit entry last.
fn insert(
    conn: &mut DbConnection,
    who: &Identity,
    noticed: Noticed,
    retry: Option<&Retry>,
    now: NaiveDateTime,
) -> Result<SignalRow, ApiError> {
    let team = who.team()?;
    let occurred_at = signal::occurred_at(noticed.occurred_at.unwrap_or(now), now)?;
    signal::check_indicators(noticed.kind, noticed.indicators.len())?;
    signal::check_warning(noticed.kind, noticed.warning)?;
    if noticed.client.is_some() && noticed.description.is_some() {
        return Err(ApiError::invalid(
            "client_or_description",
            "A signal concerns a known client or describes an unknown woman, not both.",
        ));
    }
    if let Some(client) = noticed.client {
        let refused = Event::on("signal.create", Action::Create, client.get());
        access::client(conn, who, now, client.get(), Need::Read, &refused)?;
    }
    let location = location_of(conn, team, noticed.location, noticed.shift)?;
    let active: Vec<i64> = queries::indicators(conn, team, false)?
        .into_iter()
        .map(|indicator| indicator.id)
        .collect();
    let mut ticked = noticed.indicators;
    ticked.sort_unstable();
    ticked.dedup();
    if ticked.iter().any(|id| !active.contains(id)) {
        return Err(ApiError::invalid(
            "unknown_indicator",
            "That indicator is not on the team's checklist.",
        ));
    }
    let row = queries::insert(
        conn,
        &NewSignal {
            team_id: team,
            kind: noticed.kind.as_str().to_owned(),
            status: SignalStatus::New.as_str().to_owned(),
            occurred_at,
            location_id: location,
            client_id: noticed.client.map(ClientId::get),
            description: noticed.description,
            body: noticed.text.unwrap_or_default(),
            recorded_by: who.user_id,
            recorded_at: now,
            updated_at: now,
            warning: noticed.warning,
        },
    )?;
    queries::mark_indicators(conn, row.id, &ticked)?;
    if let Some(retry) = retry {
        retry::remembered(queries::idempotency_remember(
            conn,
            who.user_id,
            &retry.key,
            &retry.request_hash,
            row.id,
            now,
        ))?;
    }
    log(
        conn,
        who,
        now,
        &event("signal.create", Action::Create, &row),
        row.id,
    )?;
    Ok(row)
}

/// The location given, else the shift's; both given must agree.
fn location_of(
    conn: &mut DbConnection,
    team: i64,
    location: Option<LocationId>,
    shift: Option<ShiftId>,
) -> Result<Option<i64>, ApiError> {
    let of_shift = match shift {
        Some(shift) => Some(
            shifts::find_in_team(conn, shift.get(), team)?
                .ok_or_else(|| ApiError::invalid("unknown_shift", "That shift does not exist."))?
                .location_id,
        ),
        None => None,
    };
    let location = match (location.map(LocationId::get), of_shift) {
        (Some(given), Some(of_shift)) if given != of_shift => {
            return Err(ApiError::invalid(
                "location_mismatch",
                "location_id differs from the shift's location.",
            ));
        }
        (given, of_shift) => given.or(of_shift),
    };
    if let Some(id) = location {
        locations::require_active(conn, id)?;
    }
    Ok(location)
}
