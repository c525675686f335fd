//! Time-out stays: registered per client, counted per year against the plan.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::timeout_stays::{self, Stay};
use crate::db::queries::timeout_stays::StayRow;
use crate::domain::ids::ClientId;
use crate::domain::{day, text, timeout_stay};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_stay)
        .service(client_stays)
        .service(year_stays);
}

#[derive(Serialize, ToSchema)]
pub struct StayView {
    id: i64,
    client_id: i64,
    alias: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    place: String,
}

impl From<StayRow> for StayView {
    fn from(row: StayRow) -> StayView {
        StayView {
            id: row.id,
            client_id: row.client_id,
            alias: row.alias,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            place: row.place,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStayBody {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// Defaults to Het Hoogeland, Beekbergen.
    place: Option<String>,
}

/// Register a time-out stay of at most 14 days (coordinator, casemanager).
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path)),
    request_body = NewStayBody,
    responses((status = 201, body = StayView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/timeout-stays")]
async fn create_stay(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewStayBody>,
) -> Result<HttpResponse, ApiError> {
    let client = ClientId(path.into_inner());
    let body = body.into_inner();
    day::day("starts_on", body.starts_on)?;
    day::day("ends_on", body.ends_on)?;
    timeout_stay::check(body.starts_on, body.ends_on)?;
    let place = match body.place.as_deref() {
        Some(place) => text::bounded("place", place, 80)?,
        None => timeout_stay::DEFAULT_PLACE.to_owned(),
    };
    let stay = Stay {
        starts_on: body.starts_on,
        ends_on: body.ends_on,
        place,
    };
    let row = timeout_stays::register(&state, &who, client, stay).await?;
    Ok(HttpResponse::Created().json(StayView::from(row)))
}

/// A client's time-out stays, newest first.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path)),
    responses((status = 200, body = [StayView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/timeout-stays")]
async fn client_stays(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<StayView>>, ApiError> {
    let rows = timeout_stays::of_client(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct YearStays {
    year: i32,
    /// The plan: six stays a year.
    planned: i64,
    count: i64,
    stays: Vec<StayView>,
}

/// The team's stays starting in a year, against the plan of six (coordinator).
#[utoipa::path(
    tag = "team tools",
    params(YearQuery),
    responses((status = 200, body = YearStays), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/timeout-stays")]
async fn year_stays(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<YearQuery>,
) -> Result<web::Json<YearStays>, ApiError> {
    let year = query.year;
    let rows = timeout_stays::of_year(&state, &who, year).await?;
    Ok(web::Json(YearStays {
        year,
        planned: timeout_stay::PLANNED_PER_YEAR,
        count: rows.len() as i64,
        stays: rows.into_iter().map(Into::into).collect(),
    }))
}
