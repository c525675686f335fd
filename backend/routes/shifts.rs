//! Shifts: planned in local time, stored in UTC; listed, planned, moved and cancelled.
//! Who is on them is `shift_staff`; the weekly templates are `rota`.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shift_views::{ShiftRange, ShiftView};
use crate::app::Identity;
use crate::app::shifts::{self, Move, Plan};
use crate::domain::ids::{LocationId, ShiftId};
use crate::domain::rota::{MAX_SHIFT, check_min_staff};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_shifts)
        .service(create_shift)
        .service(get_shift)
        .service(reschedule_shift)
        .service(cancel_shift);
}

/// The team's shifts that overlap the given local dates.
#[utoipa::path(
    tag = "shifts",
    params(ShiftRange),
    responses((status = 200, body = [ShiftView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/shifts")]
async fn list_shifts(
    state: web::Data<AppState>,
    who: Identity,
    range: web::Query<ShiftRange>,
) -> Result<web::Json<Vec<ShiftView>>, ApiError> {
    let found = shifts::list(&state, &who, range.dates()).await?;
    Ok(web::Json(ShiftView::all(state.zone, found)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShift {
    location_id: i64,
    /// Local wall time (`2026-10-24T20:00`) or RFC 3339 with offset.
    starts_at: String,
    /// Local wall time or RFC 3339; past midnight for an evening shift.
    ends_at: String,
    /// Staff the shift needs (default 1).
    #[serde(default = "one")]
    min_staff: i32,
}

fn one() -> i32 {
    1
}

fn parse_time(
    zone: Zone,
    field: &str,
    text: &str,
    repeated: Repeated,
) -> Result<NaiveDateTime, ApiError> {
    zone.parse_instant(text, repeated)
        .map_err(|e| ApiError::invalid("bad_time", format!("{field}: {e}")))
}

/// Plan a shift (coordinator).
#[utoipa::path(
    tag = "shifts",
    request_body = CreateShift,
    responses((status = 201, body = ShiftView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/shifts")]
async fn create_shift(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreateShift>,
) -> Result<HttpResponse, ApiError> {
    shifts::planner_team(&who)?;
    let (starts_at, ends_at) = parse_span(state.zone, &body.starts_at, &body.ends_at)?;
    let plan = Plan {
        location: LocationId(body.location_id),
        starts_at,
        ends_at,
        min_staff: check_min_staff(body.min_staff)?,
    };
    let shift = shifts::plan(&state, &who, plan).await?;
    Ok(HttpResponse::Created().json(ShiftView::of(state.zone, shift)))
}

/// Reads a shift's start and end. In the repeated October hour a start is read early and
/// an end late, so the shift covers the whole night: 20:00-02:00 over the change lasts 7 h.
fn parse_span(
    zone: Zone,
    starts_at: &str,
    ends_at: &str,
) -> Result<(NaiveDateTime, NaiveDateTime), ApiError> {
    let starts_at = parse_time(zone, "starts_at", starts_at, Repeated::First)?;
    let ends_at = parse_time(zone, "ends_at", ends_at, Repeated::Second)?;
    if ends_at <= starts_at || ends_at - starts_at > MAX_SHIFT {
        return Err(ApiError::invalid(
            "bad_shift_times",
            "A shift must end after it starts and last at most 16 hours.",
        ));
    }
    Ok((starts_at, ends_at))
}

/// One shift with its staff.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/shifts/{id}")]
async fn get_shift(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let shift = shifts::get(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleShift {
    /// Local wall time or RFC 3339.
    starts_at: String,
    ends_at: String,
    min_staff: Option<i32>,
}

/// Move a shift or change how many staff it needs (coordinator). A cancelled shift stays
/// cancelled: plan a new one instead.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    request_body = RescheduleShift,
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/shifts/{id}")]
async fn reschedule_shift(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<RescheduleShift>,
) -> Result<web::Json<ShiftView>, ApiError> {
    shifts::planner_team(&who)?;
    let (starts_at, ends_at) = parse_span(state.zone, &body.starts_at, &body.ends_at)?;
    let to = Move {
        starts_at,
        ends_at,
        min_staff: body.min_staff.map(check_min_staff).transpose()?,
    };
    let shift = shifts::reschedule(&state, &who, ShiftId(path.into_inner()), to).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
}

/// Cancel a shift (coordinator). It stays on the rota, marked, so the staff on it see it
/// in the app and in their calendar; its reminders stop.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = ShiftView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/shifts/{id}/cancel")]
async fn cancel_shift(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ShiftView>, ApiError> {
    let shift = shifts::cancel(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(ShiftView::of(state.zone, shift)))
}
