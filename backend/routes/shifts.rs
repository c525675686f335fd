//! Shifts: planned in local time, stored in UTC; staff, check-in and check-out.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Identity;
use crate::db::DbConnection;
use crate::db::queries::shifts::{self, ShiftRow, StaffRow};
use crate::db::queries::{locations, users};
use crate::domain::role::Role;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_shifts)
        .service(create_shift)
        .service(get_shift)
        .service(add_staff)
        .service(remove_staff)
        .service(check_in)
        .service(check_out);
}

/// Longest shift accepted; longer is a typo (a wrong date), not a shift.
const MAX_SHIFT: TimeDelta = TimeDelta::hours(16);
/// Check-in opens this long before the shift and stays open this long after it.
const CHECK_IN_MARGIN: TimeDelta = TimeDelta::hours(2);
/// The widest range one listing may cover.
const MAX_RANGE_DAYS: i64 = 93;

#[derive(Serialize, ToSchema)]
pub struct StaffView {
    user_id: i64,
    display_name: String,
    checked_in_at: Option<DateTime<FixedOffset>>,
    checked_out_at: Option<DateTime<FixedOffset>>,
}

#[derive(Serialize, ToSchema)]
pub struct ShiftView {
    id: i64,
    location_id: i64,
    /// Local time with offset, e.g. `2026-10-24T20:00:00+02:00`.
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    /// Real elapsed minutes (a night over the October change has an extra hour).
    duration_minutes: i64,
    staff: Vec<StaffView>,
}

fn view(zone: Zone, shift: ShiftRow, staff: Vec<StaffRow>) -> ShiftView {
    ShiftView {
        id: shift.id,
        location_id: shift.location_id,
        starts_at: zone.to_local(shift.starts_at),
        ends_at: zone.to_local(shift.ends_at),
        duration_minutes: (shift.ends_at - shift.starts_at).num_minutes(),
        staff: staff
            .into_iter()
            .map(|s| StaffView {
                user_id: s.user_id,
                display_name: s.display_name,
                checked_in_at: s.checked_in_at.map(|t| zone.to_local(t)),
                checked_out_at: s.checked_out_at.map(|t| zone.to_local(t)),
            })
            .collect(),
    }
}

fn load_view(conn: &mut DbConnection, zone: Zone, shift: ShiftRow) -> Result<ShiftView, ApiError> {
    let staff = shifts::staff_of(conn, &[shift.id])?;
    Ok(view(zone, shift, staff))
}

/// The caller's team, for the field roles that work shifts.
fn shift_team(who: &Identity) -> Result<i64, ApiError> {
    who.require(Role::is_care_role)?;
    who.team()
}

fn find_shift(conn: &mut DbConnection, id: i64, team: i64) -> Result<ShiftRow, ApiError> {
    shifts::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)
}

/// Does `action` to shift `id` of `team` (404 for any other) and answers with the shift
/// as it is afterwards.
async fn with_shift<F>(
    state: &AppState,
    team: i64,
    id: i64,
    action: F,
) -> Result<web::Json<ShiftView>, ApiError>
where
    F: FnOnce(&mut DbConnection, &ShiftRow) -> Result<(), ApiError> + Send + 'static,
{
    let zone = state.zone;
    let view = state
        .db
        .run(move |conn| {
            let shift = find_shift(conn, id, team)?;
            action(conn, &shift)?;
            load_view(conn, zone, shift)
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ShiftRange {
    /// First local date (default today).
    from: Option<NaiveDate>,
    /// Last local date, inclusive (default six days after `from`).
    to: Option<NaiveDate>,
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
    let team = shift_team(&who)?;
    let zone = state.zone;
    let from = range
        .from
        .unwrap_or_else(|| zone.local_date(state.clock.now()));
    let to = range.to.unwrap_or(from + TimeDelta::days(6));
    if to < from || (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::invalid(
            "bad_range",
            format!("`to` must be on or after `from`, at most {MAX_RANGE_DAYS} days later."),
        ));
    }
    let start = zone.start_of_day(from);
    let end = zone.start_of_day(to + TimeDelta::days(1));
    let views = state
        .db
        .run(move |conn| {
            let rows = shifts::overlapping(conn, team, start, end)?;
            let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
            let mut staff: HashMap<i64, Vec<StaffRow>> = HashMap::new();
            for row in shifts::staff_of(conn, &ids)? {
                staff.entry(row.shift_id).or_default().push(row);
            }
            Ok(rows
                .into_iter()
                .map(|s| {
                    let on = staff.remove(&s.id).unwrap_or_default();
                    view(zone, s, on)
                })
                .collect())
        })
        .await?;
    Ok(web::Json(views))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateShift {
    location_id: i64,
    /// Local wall time (`2026-10-24T20:00`) or RFC 3339 with offset.
    starts_at: String,
    /// Local wall time or RFC 3339; past midnight for an evening shift.
    ends_at: String,
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
    body: web::Json<CreateShift>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let zone = state.zone;
    // In the repeated October hour a start is read early and an end late, so the shift
    // covers the whole night: 20:00-02:00 over the change lasts 7 hours.
    let starts_at = parse_time(zone, "starts_at", &body.starts_at, Repeated::First)?;
    let ends_at = parse_time(zone, "ends_at", &body.ends_at, Repeated::Second)?;
    if ends_at <= starts_at || ends_at - starts_at > MAX_SHIFT {
        return Err(ApiError::invalid(
            "bad_shift_times",
            "A shift must end after it starts and last at most 16 hours.",
        ));
    }
    let location_id = body.location_id;
    let now = state.clock.now();
    let view = state
        .db
        .run(move |conn| {
            require_active_location(conn, location_id)?;
            let id = shifts::create(
                conn,
                team,
                location_id,
                starts_at,
                ends_at,
                who.user_id,
                now,
            )?;
            let shift = find_shift(conn, id, team)?;
            load_view(conn, zone, shift)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

pub fn require_active_location(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    match locations::find(conn, id) {
        Ok(location) if location.active => Ok(()),
        Ok(_) => Err(ApiError::invalid(
            "inactive_location",
            "That location is no longer in use.",
        )),
        Err(diesel::result::Error::NotFound) => Err(ApiError::invalid(
            "unknown_location",
            "That location does not exist.",
        )),
        Err(e) => Err(e.into()),
    }
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
    let team = shift_team(&who)?;
    with_shift(&state, team, path.into_inner(), |_, _| Ok(())).await
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
