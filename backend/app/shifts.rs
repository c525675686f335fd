//! Shifts: planned in local time, stored in UTC; listed, planned, moved and cancelled.
//! Also what the other shift use cases (`shift_staff`, `shift_handover`, `rota`,
//! `calendar`) build on: who may work or plan a team's shifts, the local dates a listing
//! asks for, finding a shift in the caller's team, and shifts with who is on them.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::app::Identity;
use crate::app::locations;
use crate::db::DbConnection;
use crate::db::queries::shifts::{self, NewShift, ShiftRow, StaffRow};
use crate::domain::day;
use crate::domain::ids::{LocationId, ShiftId, TeamId};
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
        let from = day::day("from", self.from.unwrap_or_else(|| zone.local_date(now)))?;
        let to = day::day("to", self.to.unwrap_or(from + TimeDelta::days(6)))?;
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

/// The team's shifts that overlap the given local dates.
pub async fn list(state: &AppState, who: &Identity, dates: Dates) -> Result<Vec<Shift>, ApiError> {
    let team = worker_team(who)?;
    let (start, end) = dates.span(state.zone, state.clock.now())?;
    state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let rows = shifts::overlapping(conn, team.get(), start, end)?;
            with_staff(conn, rows)
        })
        .await
}

/// One shift of the caller's team, with its staff.
pub async fn get(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    let team = worker_team(who)?;
    state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let row = find(conn, id, team)?;
            with_its_staff(conn, row)
        })
        .await
}

/// A shift to plan by hand; its times checked already (it ends after it starts, within
/// `domain::rota::MAX_SHIFT`), as is `min_staff`.
pub struct Plan {
    pub location: LocationId,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub min_staff: i32,
}

/// Plans a shift at a location in use (coordinator).
pub async fn plan(state: &AppState, who: &Identity, plan: Plan) -> Result<Shift, ApiError> {
    let team = planner_team(who)?;
    let new = NewShift {
        team_id: team.get(),
        location_id: plan.location.get(),
        starts_at: plan.starts_at,
        ends_at: plan.ends_at,
        min_staff: plan.min_staff,
        template: None,
        created_by: who.user_id,
    };
    let now = state.clock.now();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            locations::require_active(conn, new.location_id)?;
            let id = shifts::create(conn, &new, now)?.ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("a shift without template collided"))
            })?;
            let row = find(conn, ShiftId(id), team)?;
            with_its_staff(conn, row)
        })
        .await
}

/// New times for a shift, checked as for `Plan`; `min_staff` left out stays as it is.
pub struct Move {
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub min_staff: Option<i32>,
}

/// Moves a shift or changes how many staff it needs (coordinator). A cancelled shift
/// stays cancelled.
pub async fn reschedule(
    state: &AppState,
    who: &Identity,
    id: ShiftId,
    to: Move,
) -> Result<Shift, ApiError> {
    let team = planner_team(who)?;
    change(state, team, id, move |conn, shift| {
        refuse_if_cancelled(shift)?;
        let min_staff = to.min_staff.unwrap_or(shift.min_staff);
        shifts::reschedule(conn, shift.id, to.starts_at, to.ends_at, min_staff)?;
        Ok(())
    })
    .await
}

/// Cancels a shift (coordinator); it stays listed, marked, and its reminders stop.
pub async fn cancel(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    let team = planner_team(who)?;
    let now = state.clock.now();
    change(state, team, id, move |conn, shift| {
        shifts::cancel(conn, shift.id, now)?;
        Ok(())
    })
    .await
}
