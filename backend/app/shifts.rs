//! What the shift use cases (`shift_staff`, `shift_handover`, `calendar`, `rota`, and
//! those to come) build on: who may work or plan a team's shifts, the local dates a listing
//! asks for, finding a shift in the caller's team, and shifts together with who is on them.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::app::Identity;
use crate::db::DbConnection;
use crate::db::queries::shifts::{self, ShiftRow, StaffRow};
use crate::domain::ids::{ShiftId, TeamId};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// The widest range one listing may cover.
pub const MAX_RANGE_DAYS: i64 = 93;

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

/// The local dates a listing asks for.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    /// Default: today.
    pub from: Option<NaiveDate>,
    /// Inclusive; default: six days after `from`.
    pub to: Option<NaiveDate>,
}

impl Dates {
    /// The UTC span from the start of `from` to the end of `to`, local days of 23 or 25
    /// hours included.
    pub fn span(
        self,
        zone: Zone,
        now: NaiveDateTime,
    ) -> Result<(NaiveDateTime, NaiveDateTime), ApiError> {
        let from = self.from.unwrap_or_else(|| zone.local_date(now));
        let to = self.to.unwrap_or(from + TimeDelta::days(6));
        if to < from || (to - from).num_days() > MAX_RANGE_DAYS {
            return Err(ApiError::invalid(
                "bad_range",
                format!("`to` must be on or after `from`, at most {MAX_RANGE_DAYS} days later."),
            ));
        }
        Ok((
            zone.start_of_day(from),
            zone.start_of_day(to + TimeDelta::days(1)),
        ))
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

/// `rows` with their staff, loaded in one query.
pub(super) fn with_staff(
    conn: &mut DbConnection,
    rows: Vec<ShiftRow>,
) -> Result<Vec<Shift>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let mut staff: HashMap<i64, Vec<StaffRow>> = HashMap::new();
    for row in shifts::staff_of(conn, &ids)? {
        staff.entry(row.shift_id).or_default().push(row);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let staff = staff.remove(&row.id).unwrap_or_default();
            Shift { row, staff }
        })
        .collect())
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
