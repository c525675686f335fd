//! The weekly rota: templates per location, generating shifts from them for a period, and
//! the gap list of shifts below their minimum staffing.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shifts::{ShiftRange, ShiftView, shift_team, with_staff};
use crate::app::Identity;
use crate::app::locations;
use crate::app::rota::{self, Generated};
use crate::db::DbConnection;
use crate::db::queries::rota::{self as templates, TemplateFields, TemplateRow};
use crate::db::queries::shifts;
use crate::domain::role::Role;
use crate::domain::rota::{Pattern, Weekdays, check_min_staff, format_wall_time, parse_wall_time};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(create_template)
        .service(update_template)
        .service(generate)
        .service(gaps);
}

/// The longest period one generation may cover.
const MAX_GENERATE_DAYS: i64 = 366;

#[derive(Serialize, ToSchema)]
pub struct TemplateView {
    id: i64,
    location_id: i64,
    /// ISO weekdays, 1 = Monday ... 7 = Sunday.
    weekdays: Vec<u8>,
    /// Local wall time, `HH:MM`.
    starts: String,
    /// Local wall time; at or before `starts` means the next day.
    ends: String,
    min_staff: i32,
    active: bool,
}

impl From<TemplateRow> for TemplateView {
    fn from(row: TemplateRow) -> TemplateView {
        TemplateView {
            id: row.id,
            location_id: row.location_id,
            weekdays: Weekdays::from_stored(&row.weekdays).days(),
            starts: row.starts_local,
            ends: row.ends_local,
            min_staff: row.min_staff,
            active: row.active,
        }
    }
}

/// The weekly templates of the team.
#[utoipa::path(
    tag = "rota",
    responses((status = 200, body = [TemplateView]), (status = 403, body = ErrorBody))
)]
#[get("/rota/templates")]
async fn list_templates(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<TemplateView>>, ApiError> {
    let team = shift_team(&who)?;
    let rows = state
        .db
        .run(move |conn| Ok::<_, ApiError>(templates::templates_of(conn, team)?))
        .await?;
    Ok(web::Json(
        rows.into_iter().map(TemplateView::from).collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    location_id: i64,
    /// ISO weekdays, 1 = Monday ... 7 = Sunday.
    weekdays: Vec<u8>,
    /// Local wall time, `HH:MM`.
    starts: String,
    /// Local wall time; at or before `starts` means the next day (`00:30`).
    ends: String,
    min_staff: i32,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// A template checked and ready to store.
struct Checked {
    location_id: i64,
    weekdays: String,
    starts: String,
    ends: String,
    min_staff: i32,
    active: bool,
}

impl TemplateInput {
    fn check(&self) -> Result<Checked, ApiError> {
        let weekdays = Weekdays::parse(&self.weekdays)?;
        let starts = parse_wall_time("starts", &self.starts)?;
        let ends = parse_wall_time("ends", &self.ends)?;
        Pattern::new(weekdays, starts, ends)?;
        Ok(Checked {
            location_id: self.location_id,
            weekdays: weekdays.to_stored(),
            starts: format_wall_time(starts),
            ends: format_wall_time(ends),
            min_staff: check_min_staff(self.min_staff)?,
            active: self.active,
        })
    }
}

impl Checked {
    fn fields(&self) -> TemplateFields<'_> {
        TemplateFields {
            location_id: self.location_id,
            weekdays: &self.weekdays,
            starts_local: &self.starts,
            ends_local: &self.ends,
            min_staff: self.min_staff,
            active: self.active,
        }
    }
}

/// Add a weekly template, e.g. De Cirkel Monday to Friday 20:00-00:30, at least 2 staff
/// (coordinator).
#[utoipa::path(
    tag = "rota",
    request_body = TemplateInput,
    responses((status = 201, body = TemplateView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/rota/templates")]
async fn create_template(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<TemplateInput>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let checked = body.check()?;
    let now = state.clock.now();
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            locations::require_active(conn, checked.location_id)?;
            let id = templates::create_template(conn, team, &checked.fields(), who.user_id, now)?;
            find_template(conn, id, team)
        })
        .await?;
    Ok(HttpResponse::Created().json(TemplateView::from(row)))
}

/// Change a template (coordinator); `active: false` stops it generating. Shifts already
/// made from it stay as they are.
#[utoipa::path(
    tag = "rota",
    params(("id" = i64, Path)),
    request_body = TemplateInput,
    responses((status = 200, body = TemplateView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/rota/templates/{id}")]
async fn update_template(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<TemplateInput>,
) -> Result<web::Json<TemplateView>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let id = path.into_inner();
    let checked = body.check()?;
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            find_template(conn, id, team)?;
            locations::require_active(conn, checked.location_id)?;
            templates::update_template(conn, id, &checked.fields())?;
            find_template(conn, id, team)
        })
        .await?;
    Ok(web::Json(row.into()))
}

fn find_template(conn: &mut DbConnection, id: i64, team: i64) -> Result<TemplateRow, ApiError> {
    templates::find_template(conn, id, team)?.ok_or(ApiError::NotFound)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneratePeriod {
    /// First local date.
    from: NaiveDate,
    /// Last local date, inclusive.
    to: NaiveDate,
}

/// Make the shifts of every active template for a period (coordinator). Running it again,
/// or over an overlapping period, adds only what is missing.
#[utoipa::path(
    tag = "rota",
    request_body = GeneratePeriod,
    responses((status = 200, body = Generated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/rota/generate")]
async fn generate(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<GeneratePeriod>,
) -> Result<web::Json<Generated>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let GeneratePeriod { from, to } = body.into_inner();
    if to < from || (to - from).num_days() >= MAX_GENERATE_DAYS {
        return Err(ApiError::invalid(
            "bad_range",
            format!("`to` must be on or after `from`, within {MAX_GENERATE_DAYS} days."),
        ));
    }
    let zone = state.zone;
    let now = state.clock.now();
    let result = state
        .db
        .run(move |conn| rota::generate(conn, zone, team, (from, to), who.user_id, now))
        .await?;
    Ok(web::Json(result))
}

#[derive(Serialize, ToSchema)]
pub struct Gap {
    /// How many more staff the shift needs.
    missing: i32,
    shift: ShiftView,
}

/// Shifts in the range that have not ended, are not cancelled, and have fewer staff than
/// they need: the places to sign up for first. A shift under way stays on the list: someone
/// can still come and check in.
#[utoipa::path(
    tag = "rota",
    params(ShiftRange),
    responses((status = 200, body = [Gap]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/rota/gaps")]
async fn gaps(
    state: web::Data<AppState>,
    who: Identity,
    range: web::Query<ShiftRange>,
) -> Result<web::Json<Vec<Gap>>, ApiError> {
    let team = shift_team(&who)?;
    let zone = state.zone;
    let now = state.clock.now();
    let (start, end) = range.resolve(zone, now)?;
    let found = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let open: Vec<_> = shifts::overlapping(conn, team, start.max(now), end)?
                .into_iter()
                .filter(|s| s.cancelled_at.is_none())
                .collect();
            with_staff(conn, zone, open)
        })
        .await?;
    Ok(web::Json(
        found
            .into_iter()
            .filter_map(|shift| {
                let missing = shift.missing_staff();
                (missing > 0).then_some(Gap { missing, shift })
            })
            .collect(),
    ))
}
