//! Who is on a shift: the coordinator assigns, staff sign up and withdraw, and everyone
//! checks in and out on the night.

use actix_web::{delete, post, web};
use chrono::TimeDelta;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shifts::{ShiftView, refuse_if_cancelled, shift_team, with_shift};
use crate::app::Identity;
use crate::db::queries::{shifts, users};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(add_staff)
        .service(remove_staff)
        .service(sign_up)
        .service(withdraw)
        .service(check_in)
        .service(check_out);
}

/// Check-in opens this long before the shift and stays open this long after it.
const CHECK_IN_MARGIN: TimeDelta = TimeDelta::hours(2);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddStaff {
    user_id: i64,
}

/// Put a team member on a shift (coordinator).
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    request_body = AddStaff,
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/shifts/{id}/staff")]
async fn add_staff(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<AddStaff>,
) -> Result<web::Json<ShiftView>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let user_id = body.user_id;
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        if !users::is_active_member(conn, user_id, team)? {
            return Err(ApiError::invalid(
                "not_a_team_member",
                "Only active members of the team can be put on its shifts.",
            ));
        }
        Ok(shifts::add_staff(conn, shift.id, user_id)?)
    })
    .await
}

/// Take a team member off a shift (coordinator).
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/shifts/{id}/staff/{user_id}")]
async fn remove_staff(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<ShiftView>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let (id, user_id) = path.into_inner();
    with_shift(
        &state,
        team,
        id,
        move |conn, shift| match shifts::remove_staff(conn, shift.id, user_id)? {
            0 => Err(ApiError::NotFound),
            _ => Ok(()),
        },
    )
    .await
}

/// Check in to a shift. Someone not on the rota who turns up is added: the rota follows
/// who actually came.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/shifts/{id}/check-in")]
async fn check_in(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let team = shift_team(&who)?;
    let now = state.clock.now();
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        refuse_if_cancelled(shift)?;
        if now < shift.starts_at - CHECK_IN_MARGIN || now > shift.ends_at + CHECK_IN_MARGIN {
            return Err(ApiError::invalid(
                "shift_not_now",
                "Check-in is open from two hours before a shift until two hours after it.",
            ));
        }
        shifts::add_staff(conn, shift.id, who.user_id)?;
        shifts::set_check_in(conn, shift.id, who.user_id, now)?;
        Ok(())
    })
    .await
}

/// Check out of a shift one is checked in to.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/shifts/{id}/check-out")]
async fn check_out(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let team = shift_team(&who)?;
    let now = state.clock.now();
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        let checked_in = shifts::staff_entry(conn, shift.id, who.user_id)?
            .and_then(|s| s.checked_in_at)
            .is_some();
        if !checked_in {
            return Err(ApiError::invalid(
                "not_checked_in",
                "You are not checked in to this shift.",
            ));
        }
        shifts::set_check_out(conn, shift.id, who.user_id, now)?;
        Ok(())
    })
    .await
}

/// Sign up for a shift that has not started and is not cancelled.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/shifts/{id}/sign-up")]
async fn sign_up(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let team = shift_team(&who)?;
    let now = state.clock.now();
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        refuse_if_cancelled(shift)?;
        if now >= shift.starts_at {
            return Err(ApiError::invalid(
                "shift_started",
                "This shift has started; check in instead.",
            ));
        }
        Ok(shifts::add_staff(conn, shift.id, who.user_id)?)
    })
    .await
}

/// Withdraw from a shift before it starts. Once checked in, check out instead.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[delete("/shifts/{id}/sign-up")]
async fn withdraw(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let team = shift_team(&who)?;
    let now = state.clock.now();
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        let entry = shifts::staff_entry(conn, shift.id, who.user_id)?.ok_or(ApiError::NotFound)?;
        if entry.checked_in_at.is_some() || now >= shift.starts_at {
            return Err(ApiError::invalid(
                "shift_started",
                "This shift has started; ask the coordinator to change the rota.",
            ));
        }
        shifts::remove_staff(conn, shift.id, who.user_id)?;
        Ok(())
    })
    .await
}
