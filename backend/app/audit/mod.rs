//! Writes the audit trail: who did what to which client's data, when, from where, and how
//! it ended. Never the content (no alias, no note). Each entry is chained to the one
//! before it by a hash (`domain::audit`), and `inbeeld audit verify` checks the chain
//! (`chain`). Entries are written inside the write transaction of what they record.

pub mod chain;

use chrono::NaiveDateTime;

use super::Identity;
use crate::db::DbConnection;
use crate::db::queries::audit;
use crate::domain::audit::Entry;
pub use crate::domain::audit::{Action, Actor, Event, Outcome};
use crate::error::ApiError;
use crate::state::AppState;

/// Writes one entry. Write it last in a transaction (see `queries::audit::insert`).
pub fn record_by(
    conn: &mut DbConnection,
    actor: Actor,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    audit::insert(conn, &Entry::new(actor, now, event, outcome)).map(|_| ())
}

/// An entry for a change that succeeded, saying what changed (`detail`, a JSON object:
/// ids and new values, never a password or client content). Last in a transaction.
pub fn record_change(
    conn: &mut DbConnection,
    actor: Actor,
    now: NaiveDateTime,
    event: &Event,
    detail: &serde_json::Value,
) -> diesel::QueryResult<()> {
    let detail = detail.to_string();
    let entry = Entry::new(actor, now, event, Outcome::Success).with_detail(&detail);
    audit::insert(conn, &entry).map(|_| ())
}

/// An entry for what a signed-in user did.
pub fn record(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    record_by(conn, who.actor(), now, event, outcome)
}

/// An entry for a read, whose entry is its only write: committed with the other writes
/// waiting (`Db::write`, SQLite's group commit). The read's answer waits for it, so
/// nothing is shown that the trail does not hold.
pub async fn record_read(
    state: &AppState,
    who: Identity,
    now: NaiveDateTime,
    event: Event,
) -> Result<(), ApiError> {
    record_alone(state, who, now, event, Outcome::Success).await
}

/// An entry that is the only write of what it records (a read, a refused code), in a
/// write of its own.
pub async fn record_alone(
    state: &AppState,
    who: Identity,
    now: NaiveDateTime,
    event: Event,
    outcome: Outcome,
) -> Result<(), ApiError> {
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(record(conn, &who, now, &event, outcome)?))
        .await
}

/// Reads on a reading connection, then writes the audit entry `event` and only then
/// answers, so nothing is shown that the trail does not hold. `read` gets the connection,
/// who reads, and the moment she does.
pub async fn read_logged<T, F>(
    state: &AppState,
    who: &Identity,
    event: Event,
    read: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Identity, NaiveDateTime) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let (reader, now) = (who.clone(), state.clock.now());
    let found = state.db.read(move |conn| read(conn, &reader, now)).await?;
    record_read(state, who.clone(), now, event).await?;
    Ok(found)
}

/// Changes something in one write: `change` with the connection and who changes it, then
/// the entry `event` as a success, last in the transaction (the write counterpart of
/// `read_logged`, for what is no client's data: her own account, a device, a session).
pub async fn write_logged<T, F>(
    state: &AppState,
    who: &Identity,
    now: NaiveDateTime,
    event: Event,
    change: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, &Identity) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let who = who.clone();
    state
        .db
        .write(move |conn| {
            let done = change(conn, &who)?;
            record(conn, &who, now, &event, Outcome::Success)?;
            Ok(done)
        })
        .await
}

/// Changes something in one write and records what changed: `change` gets the connection
/// and the moment, does the work and returns its answer with the entry's detail (as for
/// `record_change`); the entry `event` by `who` is written last in the transaction.
pub async fn change_logged<T, F>(
    state: &AppState,
    who: &Identity,
    event: Event,
    change: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, NaiveDateTime) -> Result<(T, serde_json::Value), ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (by, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let (done, detail) = change(conn, now)?;
            record_change(conn, by.actor(), now, &event, &detail)?;
            Ok(done)
        })
        .await
}

/// An entry for a refusal, written after the refused work rolled back.
pub async fn record_denied(state: &AppState, who: Identity, event: Event) -> Result<(), ApiError> {
    record_alone(state, who, state.clock.now(), event, Outcome::Denied).await
}

/// An entry for something InBeeld did by itself.
pub fn record_system(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    record_by(conn, Actor::SYSTEM, now, event, outcome)
}
