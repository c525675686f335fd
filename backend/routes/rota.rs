//! The weekly rota: templates per location, generating shifts from them for a period, and
//! the gap list of shifts below their minimum staffing.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shift_views::{ShiftRange, ShiftView};
use crate::app::Identity;
use crate::app::rota::{self, Template};
use crate::app::shifts::planner_team;
use crate::db::queries::rota::TemplateRow;
use crate::domain::day;
use crate::domain::ids::LocationId;
use crate::domain::rota::{Pattern, Weekdays, check_min_staff, parse_wall_time};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(create_template)
        .service(update_template)
        .service(generate)
        .service(gaps);
}

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
    let rows = rota::templates(&state, &who).await?;
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

impl TemplateInput {
    fn check(&self) -> Result<Template, ApiError> {
        let weekdays = Weekdays::parse(&self.weekdays)?;
        let starts = parse_wall_time("starts", &self.starts)?;
        let ends = parse_wall_time("ends", &self.ends)?;
        let pattern = Pattern::new(weekdays, starts, ends)?;
        Ok(Template {
            location: LocationId(self.location_id),
            pattern,
            min_staff: check_min_staff(self.min_staff)?,
            active: self.active,
        })
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
    body: Json<TemplateInput>,
) -> Result<HttpResponse, ApiError> {
    planner_team(&who)?;
    let template = body.check()?;
    let row = rota::add_template(&state, &who, template).await?;
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
    body: Json<TemplateInput>,
) -> Result<web::Json<TemplateView>, ApiError> {
    planner_team(&who)?;
    let id = path.into_inner();
    let template = body.check()?;
    let row = rota::change_template(&state, &who, id, template).await?;
    Ok(web::Json(row.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneratePeriod {
    /// First local date.
    from: NaiveDate,
    /// Last local date, inclusive.
    to: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct Generated {
    /// Shifts made.
    created: usize,
    /// Template dates that already had their shift (also when it was moved or cancelled).
    existing: usize,
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
    body: Json<GeneratePeriod>,
) -> Result<web::Json<Generated>, ApiError> {
    let GeneratePeriod { from, to } = body.into_inner();
    let (from, to) = (day::day("from", from)?, day::day("to", to)?);
    let made = rota::generate_period(&state, &who, from, to).await?;
    Ok(web::Json(Generated {
        created: made.created,
        existing: made.existing,
    }))
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
    let found = rota::gaps(&state, &who, range.dates()).await?;
    Ok(web::Json(
        found
            .into_iter()
            .map(|gap| Gap {
                missing: gap.missing,
                shift: ShiftView::of(state.zone, gap.shift),
            })
            .collect(),
    ))
}
