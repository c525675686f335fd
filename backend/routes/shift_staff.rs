//! Who is on a shift: the coordinator assigns, staff sign up and withdraw, and everyone
//! checks in and out on the night.

use actix_web::{delete, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shift_views::ShiftView;
use crate::app::Identity;
use crate::app::shift_staff;
use crate::domain::ids::{ShiftId, UserId};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(add_staff)
        .service(remove_staff)
        .service(sign_up)
        .service(withdraw)
        .service(check_in)
        .service(check_out);
}

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
    body: Json<AddStaff>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let shift = shift_staff::assign(
        &state,
        &who,
        ShiftId(path.into_inner()),
        UserId(body.user_id),
    )
    .await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
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
    let (id, user_id) = path.into_inner();
    let shift = shift_staff::unassign(&state, &who, ShiftId(id), UserId(user_id)).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
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
    let shift = shift_staff::check_in(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
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
    let shift = shift_staff::check_out(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
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
    let shift = shift_staff::sign_up(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
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
    let shift = shift_staff::withdraw(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
}
