//! What the shift use cases (`shift_staff`, `shift_handover`, `calendar`, and those to
//! come) build on: who may work or plan a team's shifts, finding a shift in the caller's
//! team, and a shift together with who is on it.

use crate::app::Identity;
use crate::db::DbConnection;
use crate::db::queries::shifts::{self, ShiftRow, StaffRow};
use crate::domain::ids::{ShiftId, TeamId};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// A shift with the staff on it.
pub struct Shift {
    pub row: ShiftRow,
    pub staff: Vec<StaffRow>,
}

impl Shift {
    /// How many more staff it needs to reach its minimum (zero or less: enough).
    pub fn missing_staff(&self) -> i32 {
        self.row.min_staff - self.staff.len() as i32
    }
}

/// The caller's team, for the field roles that work shifts. Every shift use case asks
/// this first; a handler that judges input asks it before that too, so that a role
/// refused is told so whatever it sent.
pub fn worker_team(who: &Identity) -> Result<TeamId, ApiError> {
    who.require(Role::is_care_role)?;
    who.team().map(TeamId)
}

/// The caller's team, for the coordinator who plans its shifts (asked first, like
/// `worker_team`).
pub fn planner_team(who: &Identity) -> Result<TeamId, ApiError> {
    who.require(Role::coordinates)?;
    who.team().map(TeamId)
}

/// Shift `id` of `team`; a shift of another team answers 404 like a missing one.
pub(super) fn find(
    conn: &mut DbConnection,
    id: ShiftId,
    team: TeamId,
) -> Result<ShiftRow, ApiError> {
    shifts::find_in_team(conn, id.get(), team.get())?.ok_or(ApiError::NotFound)
}

/// A cancelled shift takes no sign-ups, check-ins or moves (plan a new one instead).
pub(super) fn refuse_if_cancelled(shift: &ShiftRow) -> Result<(), ApiError> {
    match shift.cancelled_at {
        Some(_) => Err(ApiError::invalid(
            "shift_cancelled",
            "This shift was cancelled; plan a new one if it is needed after all.",
        )),
        None => Ok(()),
    }
}

fn with_its_staff(conn: &mut DbConnection, row: ShiftRow) -> Result<Shift, ApiError> {
    let staff = shifts::staff_of(conn, &[row.id])?;
    Ok(Shift { row, staff })
}

/// Does `change` to shift `id` of `team` (404 for any other) in one write, and answers
/// with the shift as it is afterwards.
pub(super) async fn change<F>(
    state: &AppState,
    team: TeamId,
    id: ShiftId,
    change: F,
) -> Result<Shift, ApiError>
where
    F: FnOnce(&mut DbConnection, &ShiftRow) -> Result<(), ApiError> + Send + 'static,
{
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let before = find(conn, id, team)?;
            change(conn, &before)?;
            let after = find(conn, id, team)?;
            with_its_staff(conn, after)
        })
        .await
}
