//! Retention: a closed client's personal data is erased once her exit date lies more than
//! `retention_months` back. Runs with every scheduled sweep; safe to run any number of
//! times, since an erased client is never picked again. Shift handover notes, free text
//! that may name a client whatever her file says, are cleared a month after their shift.
//! Audit entries older than `audit_retention_years` are deleted from the start of the chain.

/// How long after its shift a handover note is kept: long enough for the next shifts at
/// that location to read it, short enough that a name in it does not linger.
pub const HANDOVER_NOTE_DAYS: i64 = 30;

use chrono::{Months, TimeDelta};
use serde_json::json;

use crate::app::audit::{self, Action, Actor, Event};
use crate::app::data_rights::{self, ErasedBy};
use crate::db::queries::{self, erasure, shifts};
use crate::domain::audit::heads_digest;
use crate::error::ApiError;
use crate::state::AppState;

/// Erases every client whose retention period has passed; returns how many.
pub async fn run(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let Some(exit_before) = today.checked_sub_months(Months::new(state.settings.retention_months))
    else {
        return Ok(0);
    };
    let erased = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let mut erased = 0;
            for client in erasure::due_for_retention(conn, exit_before)? {
                if data_rights::erase(conn, client, ErasedBy::Retention, now)?.is_some() {
                    erased += 1;
                }
            }
            Ok::<_, ApiError>(erased)
        })
        .await?;
    if erased > 0 {
        state.db.flush_erased().await?;
    }
    Ok(erased)
}

/// Clears the handover notes of shifts that ended more than `HANDOVER_NOTE_DAYS` ago.
pub async fn clear_old_handover_notes(state: &AppState) -> Result<usize, ApiError> {
    let before = state.clock.now() - TimeDelta::days(HANDOVER_NOTE_DAYS);
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(shifts::clear_handovers_ended_before(conn, before)?))
        .await
}

/// Where the audit trail stands: one hash over its lanes' heads (`domain::audit::heads_digest`,
/// what `inbeeld audit verify` prints) and the entry it starts after.
pub struct TrailHead {
    pub head: String,
    pub pruned_through: i64,
}

/// Deletes the audit entries older than `audit_retention_years`, and only those, in one
/// transaction with an entry saying so; returns how many, and the chain's head and pruning
/// point after it.
pub async fn prune_audit_trail(state: &AppState) -> Result<(usize, TrailHead), ApiError> {
    let now = state.clock.now();
    let years = state.settings.audit_retention_years;
    let Some(before) = now.checked_sub_months(Months::new(12 * years)) else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "the audit retention period reaches before year 0"
        )));
    };
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let pruned = queries::audit::prune_before(conn, before)?;
            if pruned > 0 {
                // How many, up to which entry, and the retention limit it kept to.
                let through = queries::audit::pruned_through(conn)?;
                let detail = json!({"entries": pruned, "through": through, "before": before});
                let event = Event::account("audit.prune", Action::Delete);
                audit::record_change(conn, Actor::SYSTEM, now, &event, &detail)?;
            }
            let lanes = queries::audit::lanes(conn)?;
            let heads: Vec<(i32, &str)> = lanes
                .iter()
                .map(|lane| (lane.id, lane.last_hash.as_str()))
                .collect();
            let head = TrailHead {
                head: heads_digest(&heads),
                pruned_through: queries::audit::pruned_through(conn)?.unwrap_or(0),
            };
            Ok((pruned, head))
        })
        .await
}
