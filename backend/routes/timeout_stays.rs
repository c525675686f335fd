//! Time-out stays: registered per client, changed, given an outcome or cancelled, and
//! counted per year against the plan.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::timeout_stays::{self, Change, Stay};
use crate::db::queries::timeout_stays::StayRow;
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::timeout_stay::TimeoutOutcome;
use crate::domain::{day, text, timeout_stay};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_stay)
        .service(change_stay)
        .service(cancel_stay)
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
    /// completed, left_early, ended_by_facility, went_on_to_care or other; once it began.
    outcome: Option<String>,
    outcome_note: Option<String>,
    /// Cancelled: it did not take place, and does not count against the plan.
    cancelled: bool,
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
            outcome: row.outcome,
            outcome_note: row.outcome_note,
            cancelled: row.cancelled_at.is_some(),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayChangeBody {
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    place: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    outcome: Option<Option<String>>,
    /// At most 200 characters.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    outcome_note: Option<Option<String>>,
}

fn outcome(code: Option<&str>) -> Result<Option<TimeoutOutcome>, ApiError> {
    code.map(|code| {
        TimeoutOutcome::from_code(code).ok_or_else(|| {
            ApiError::invalid(
                "validation_failed",
                "outcome must be completed, left_early, ended_by_facility, went_on_to_care or other.",
            )
        })
    })
    .transpose()
}

/// Change a time-out stay: its dates or place, or how it went once it began (coordinator,
/// casemanager). A field left out keeps its value; `null` clears the outcome. A cancelled
/// stay is 409 `timeout_cancelled`.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path), ("stay" = i64, Path)),
    request_body = StayChangeBody,
    responses((status = 200, body = StayView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/timeout-stays/{stay}")]
async fn change_stay(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<StayChangeBody>,
) -> Result<web::Json<StayView>, ApiError> {
    let (client, id) = path.into_inner();
    let body = body.into_inner();
    let change = Change {
        starts_on: day::maybe("starts_on", body.starts_on)?,
        ends_on: day::maybe("ends_on", body.ends_on)?,
        place: body
            .place
            .map(|place| text::bounded("place", &place, 80))
            .transpose()?,
        outcome: body.outcome.map(|o| outcome(o.as_deref())).transpose()?,
        outcome_note: body
            .outcome_note
            .map(|n| text::optional("outcome_note", n.as_deref(), 200))
            .transpose()?,
    };
    let row = timeout_stays::change(&state, &who, ClientId(client), id, change).await?;
    Ok(web::Json(row.into()))
}

/// Cancel a time-out stay that did not take place (coordinator, casemanager): it stays on
/// record and no longer counts against the plan. Cancelled already: 409
/// `timeout_cancelled`.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path), ("stay" = i64, Path)),
    responses((status = 200, body = StayView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/clients/{id}/timeout-stays/{stay}/cancel")]
async fn cancel_stay(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<StayView>, ApiError> {
    let (client, id) = path.into_inner();
    let row = timeout_stays::cancel(&state, &who, ClientId(client), id).await?;
    Ok(web::Json(row.into()))
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
    /// The stays not cancelled.
    count: i64,
    /// Cancelled ones too, marked.
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
        count: rows.iter().filter(|s| s.cancelled_at.is_none()).count() as i64,
        stays: rows.into_iter().map(Into::into).collect(),
    }))
}
