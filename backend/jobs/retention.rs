//! Retention: a closed client's personal data is erased once her exit date lies more than
//! `retention_months` back. Runs with every scheduled sweep; safe to run any number of
//! times, since an erased client is never picked again. Shift handover notes, free text
//! that may name a client whatever her file says, are cleared a month after their shift.

/// How long after its shift a handover note is kept: long enough for the next shifts at
/// that location to read it, short enough that a name in it does not linger.
pub const HANDOVER_NOTE_DAYS: i64 = 30;

use chrono::{Months, TimeDelta};

use crate::data_rights::{self, ErasedBy};
use crate::db::queries::{erasure, shifts};
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
    state
        .db
        .run(move |conn| {
            let mut erased = 0;
            for client in erasure::due_for_retention(conn, exit_before)? {
                if data_rights::erase(conn, client, ErasedBy::Retention, now)?.is_some() {
                    erased += 1;
                }
            }
            Ok(erased)
        })
        .await
}

/// Clears the handover notes of shifts that ended more than `HANDOVER_NOTE_DAYS` ago.
pub async fn clear_old_handover_notes(state: &AppState) -> Result<usize, ApiError> {
    let before = state.clock.now() - TimeDelta::days(HANDOVER_NOTE_DAYS);
    state
        .db
        .run(move |conn| Ok(shifts::clear_handovers_ended_before(conn, before)?))
        .await
}
