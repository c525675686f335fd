//! Shift handover notes: the staff of a shift leave a note for the next shift at the same
//! location. A note may mention clients, so reading and writing one is audit-logged and
//! its text never reaches a log line.

use chrono::NaiveDateTime;

use super::shifts::{find, worker_team};
use crate::app::Identity;
use crate::app::audit::{self, Action, Event};
use crate::db::queries::shifts::{self, ShiftRow};
use crate::db::queries::users;
use crate::domain::ids::ShiftId;
use crate::error::ApiError;
use crate::state::AppState;

/// A shift's handover note with the shift it was written on.
pub struct Note {
    pub shift_id: i64,
    pub shift_starts_at: NaiveDateTime,
    pub text: String,
    pub written_by: String,
    pub written_at: NaiveDateTime,
}

impl Note {
    /// The note on `shift`, if it has one.
    fn of(shift: ShiftRow, written_by: String) -> Option<Note> {
        Some(Note {
            shift_id: shift.id,
            shift_starts_at: shift.starts_at,
            text: shift.handover_note?,
            written_by,
            written_at: shift.handover_at?,
        })
    }
}

pub struct Handover {
    /// Left for this shift by the last earlier shift at its location with a note.
    pub previous: Option<Note>,
    /// This shift's own note for the next one.
    pub own: Option<Note>,
}

/// The note left for shift `id` and its own note.
pub async fn read(state: &AppState, who: &Identity, id: ShiftId) -> Result<Handover, ApiError> {
    let team = worker_team(who)?;
    let event = Event::account("shift.handover.read", Action::Read);
    audit::read_logged(state, who, event, move |conn, _, _| {
        let shift = find(conn, id, team)?;
        let previous =
            shifts::previous_handover(conn, &shift)?.and_then(|(row, name)| Note::of(row, name));
        let own_author = match shift.handover_by {
            Some(user) => users::find(conn, user)?.display_name,
            None => String::new(),
        };
        let own = Note::of(shift, own_author);
        Ok(Handover { previous, own })
    })
    .await
}

/// Writes (or rewrites) shift `id`'s note, already checked for length: the staff of the
/// shift or the coordinator.
pub async fn write(
    state: &AppState,
    who: &Identity,
    id: ShiftId,
    note: String,
) -> Result<Handover, ApiError> {
    let team = worker_team(who)?;
    let now = state.clock.now();
    let event = Event::account("shift.handover.write", Action::Update);
    audit::write_logged(state, who, now, event, move |conn, who| {
        let shift = find(conn, id, team)?;
        let on_shift = shifts::staff_entry(conn, shift.id, who.user_id)?.is_some();
        if !on_shift && !who.role.coordinates() {
            return Err(ApiError::Forbidden(
                "Only the staff of this shift and the coordinator write its handover note.",
            ));
        }
        shifts::set_handover(conn, shift.id, &note, who.user_id, now)?;
        let previous =
            shifts::previous_handover(conn, &shift)?.and_then(|(row, name)| Note::of(row, name));
        let author = users::find(conn, who.user_id)?.display_name;
        let own = Note::of(find(conn, id, team)?, author);
        Ok(Handover { previous, own })
    })
    .await
}
