//! Who is on a shift: the coordinator assigns, staff sign up and withdraw, and everyone
//! checks in and out on the night. Each answers with the shift as it is afterwards.

use chrono::{NaiveDateTime, TimeDelta};

use super::shifts::{Shift, change, planner_team, refuse_if_cancelled, worker_team};
use crate::app::Identity;
use crate::db::DbConnection;
use crate::db::queries::shifts::ShiftRow;
use crate::db::queries::{shifts, users};
use crate::domain::ids::{ShiftId, UserId};
use crate::error::ApiError;
use crate::state::AppState;

/// Check-in opens this long before the shift and stays open this long after it.
const CHECK_IN_MARGIN: TimeDelta = TimeDelta::hours(2);

/// A change the caller makes to her own place on shift `id`: `work` gets the shift as it
/// is, her user id and the moment.
async fn own_place<F>(
    state: &AppState,
    who: &Identity,
    id: ShiftId,
    work: F,
) -> Result<Shift, ApiError>
where
    F: FnOnce(&mut DbConnection, &ShiftRow, i64, NaiveDateTime) -> Result<(), ApiError>
        + Send
        + 'static,
{
    let team = worker_team(who)?;
    let (me, now) = (who.user_id, state.clock.now());
    change(state, team, id, move |conn, shift| {
        work(conn, shift, me, now)
    })
    .await
}

/// Puts an active member of the team on a shift (coordinator).
pub async fn assign(
    state: &AppState,
    who: &Identity,
    id: ShiftId,
    user: UserId,
) -> Result<Shift, ApiError> {
    let team = planner_team(who)?;
    change(state, team, id, move |conn, shift| {
        if !users::is_active_member(conn, user.get(), team.get())? {
            return Err(ApiError::invalid(
                "not_a_team_member",
                "Only active members of the team can be put on its shifts.",
            ));
        }
        Ok(shifts::add_staff(conn, shift.id, user.get())?)
    })
    .await
}

/// Takes a team member off a shift (coordinator); 404 when she is not on it.
pub async fn unassign(
    state: &AppState,
    who: &Identity,
    id: ShiftId,
    user: UserId,
) -> Result<Shift, ApiError> {
    let team = planner_team(who)?;
    change(
        state,
        team,
        id,
        move |conn, shift| match shifts::remove_staff(conn, shift.id, user.get())? {
            0 => Err(ApiError::NotFound),
            _ => Ok(()),
        },
    )
    .await
}

/// Checks the caller in, from two hours before the shift until two hours after it.
/// Someone not on the rota who turns up is added: the rota follows who actually came.
pub async fn check_in(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    own_place(state, who, id, move |conn, shift, me, now| {
        refuse_if_cancelled(shift)?;
        if now < shift.starts_at - CHECK_IN_MARGIN || now > shift.ends_at + CHECK_IN_MARGIN {
            return Err(ApiError::invalid(
                "shift_not_now",
                "Check-in is open from two hours before a shift until two hours after it.",
            ));
        }
        shifts::add_staff(conn, shift.id, me)?;
        shifts::set_check_in(conn, shift.id, me, now)?;
        Ok(())
    })
    .await
}

/// Checks the caller out of a shift she is checked in to.
pub async fn check_out(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    own_place(state, who, id, move |conn, shift, me, now| {
        let checked_in = shifts::staff_entry(conn, shift.id, me)?
            .and_then(|s| s.checked_in_at)
            .is_some();
        if !checked_in {
            return Err(ApiError::invalid(
                "not_checked_in",
                "You are not checked in to this shift.",
            ));
        }
        shifts::set_check_out(conn, shift.id, me, now)?;
        Ok(())
    })
    .await
}

/// Signs the caller up for a shift that has not started and is not cancelled.
pub async fn sign_up(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    own_place(state, who, id, move |conn, shift, me, now| {
        refuse_if_cancelled(shift)?;
        if now >= shift.starts_at {
            return Err(ApiError::invalid(
                "shift_started",
                "This shift has started; check in instead.",
            ));
        }
        Ok(shifts::add_staff(conn, shift.id, me)?)
    })
    .await
}

/// Takes the caller off a shift before it starts; once checked in, she checks out instead.
pub async fn withdraw(state: &AppState, who: &Identity, id: ShiftId) -> Result<Shift, ApiError> {
    own_place(state, who, id, move |conn, shift, me, now| {
        let entry = shifts::staff_entry(conn, shift.id, me)?.ok_or(ApiError::NotFound)?;
        if entry.checked_in_at.is_some() || now >= shift.starts_at {
            return Err(ApiError::invalid(
                "shift_started",
                "This shift has started; ask the coordinator to change the rota.",
            ));
        }
        shifts::remove_staff(conn, shift.id, me)?;
        Ok(())
    })
    .await
}
