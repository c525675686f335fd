//! Shifts: planned in local time, stored in UTC; listed, planned, moved and cancelled.
//! Who is on them is `shift_staff`; the weekly templates are `rota`.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::db::DbConnection;

use crate::db::queries::shifts::{self, NewShift, ShiftRow, StaffRow};
use crate::domain::role::Role;
use crate::domain::rota::{MAX_SHIFT, check_min_staff};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_shifts)
        .service(create_shift)
        .service(get_shift)
        .service(reschedule_shift)
        .service(cancel_shift);
}

/// The widest range one listing may cover.
pub const MAX_RANGE_DAYS: i64 = 93;

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
    /// Staff the shift needs; fewer puts it on the gap list.
    min_staff: i32,
    /// Set when the shift was cancelled; it stays listed so nobody turns up in vain.
    cancelled_at: Option<DateTime<FixedOffset>>,
    /// The weekly template it was made from, if any.
    template_id: Option<i64>,
    staff: Vec<StaffView>,
}

impl ShiftView {
    /// How many more staff it needs to reach its minimum (zero or less: enough).
    pub fn missing_staff(&self) -> i32 {
        self.min_staff - self.staff.len() as i32
    }
}

pub fn view(zone: Zone, shift: ShiftRow, staff: Vec<StaffRow>) -> ShiftView {
    ShiftView {
        id: shift.id,
        location_id: shift.location_id,
        starts_at: zone.to_local(shift.starts_at),
        ends_at: zone.to_local(shift.ends_at),
        duration_minutes: (shift.ends_at - shift.starts_at).num_minutes(),
        min_staff: shift.min_staff,
        cancelled_at: shift.cancelled_at.map(|t| zone.to_local(t)),
        template_id: shift.template_id,
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

pub fn load_view(
    conn: &mut DbConnection,
    zone: Zone,
    shift: ShiftRow,
) -> Result<ShiftView, ApiError> {
    let staff = shifts::staff_of(conn, &[shift.id])?;
    Ok(view(zone, shift, staff))
}

/// The caller's team, for the field roles that work shifts.
pub fn shift_team(who: &Identity) -> Result<i64, ApiError> {
    who.require(Role::is_care_role)?;
    who.team()
}

/// A cancelled shift takes no sign-ups, check-ins or moves (plan a new one instead).
pub fn refuse_if_cancelled(shift: &ShiftRow) -> Result<(), ApiError> {
    match shift.cancelled_at {
        Some(_) => Err(ApiError::invalid(
            "shift_cancelled",
            "This shift was cancelled; plan a new one if it is needed after all.",
        )),
        None => Ok(()),
    }
}

pub fn find_shift(conn: &mut DbConnection, id: i64, team: i64) -> Result<ShiftRow, ApiError> {
    shifts::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)
}

/// Does `action` to shift `id` of `team` (404 for any other) and answers with the shift
/// as it is afterwards.
pub async fn with_shift<F>(
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
        .run(move |conn| -> Result<_, ApiError> {
            let before = find_shift(conn, id, team)?;
            action(conn, &before)?;
            let after = find_shift(conn, id, team)?;
            load_view(conn, zone, after)
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
    let (start, end) = range.resolve(zone, state.clock.now())?;
    let views = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let rows = shifts::overlapping(conn, team, start, end)?;
            with_staff(conn, zone, rows)
        })
        .await?;
    Ok(web::Json(views))
}

impl ShiftRange {
    /// The UTC span of the local dates asked for (default: today and the six days after).
    pub fn resolve(
        &self,
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

/// Views of `rows` with their staff, loaded in one query.
pub fn with_staff(
    conn: &mut DbConnection,
    zone: Zone,
    rows: Vec<ShiftRow>,
) -> Result<Vec<ShiftView>, ApiError> {
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
    body: web::Json<CreateShift>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let zone = state.zone;
    let (starts_at, ends_at) = parse_span(zone, &body.starts_at, &body.ends_at)?;
    let new = NewShift {
        team_id: team,
        location_id: body.location_id,
        starts_at,
        ends_at,
        min_staff: check_min_staff(body.min_staff)?,
        template: None,
        created_by: who.user_id,
    };
    let now = state.clock.now();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            crate::app::locations::require_active(conn, new.location_id)?;
            let id = shifts::create(conn, &new, now)?.ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("a shift without template collided"))
            })?;
            let shift = find_shift(conn, id, team)?;
            load_view(conn, zone, shift)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
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
    let team = shift_team(&who)?;
    let (id, zone) = (path.into_inner(), state.zone);
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let shift = find_shift(conn, id, team)?;
            load_view(conn, zone, shift)
        })
        .await?;
    Ok(web::Json(view))
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
    body: web::Json<RescheduleShift>,
) -> Result<web::Json<ShiftView>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let (starts_at, ends_at) = parse_span(state.zone, &body.starts_at, &body.ends_at)?;
    let min_staff = body.min_staff.map(check_min_staff).transpose()?;
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        refuse_if_cancelled(shift)?;
        let min_staff = min_staff.unwrap_or(shift.min_staff);
        shifts::reschedule(conn, shift.id, starts_at, ends_at, min_staff)?;
        Ok(())
    })
    .await
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
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let now = state.clock.now();
    with_shift(&state, team, path.into_inner(), move |conn, shift| {
        shifts::cancel(conn, shift.id, now)?;
        Ok(())
    })
    .await
}
