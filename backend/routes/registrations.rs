//! The coordinator's registration list: registrations and applications of her team's
//! clients, soonest expiry first, with those expiring within N days marked.

use actix_web::{get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::registration_events;
use crate::app::registrations::{self, Registration};
use crate::domain::client::{CaseloadStatus, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::day;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(registration_list).service(end_all);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Days ahead that count as "expiring" (0 to 366); defaults to the
    /// `registration_warning_days` setting (30).
    within_days: Option<u32>,
    /// Only registrations that expire within those days, or have expired.
    #[serde(default)]
    expiring_only: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationView {
    client_id: i64,
    alias: String,
    code: String,
    caseload_status: CaseloadStatus,
    /// `applied`, `registered`, or `expired` once its last valid day has passed.
    registration_status: RegistrationStatus,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    /// Days from today (local) to the expiry date; negative once expired.
    days_left: Option<i64>,
    /// Expires within `within_days`, or has expired.
    expiring: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationList {
    today: NaiveDate,
    within_days: u32,
    /// Soonest expiry first; those without an expiry date last.
    registrations: Vec<RegistrationView>,
}

fn view(registration: Registration) -> Result<RegistrationView, ApiError> {
    let row = registration.row;
    Ok(RegistrationView {
        client_id: row.client_id,
        alias: row.alias,
        code: row.code,
        caseload_status: CaseloadStatus::from_stored(&row.caseload_status)
            .map_err(ApiError::internal)?,
        registration_status: registration.status,
        registration_number: row.registration_number,
        registration_date: row.registration_date,
        registration_expires_on: row.registration_expires_on,
        days_left: registration.days_left,
        expiring: registration.expiring,
    })
}

/// The team's registrations and applications, soonest expiry first (coordinator).
#[utoipa::path(
    tag = "clients",
    params(ListQuery),
    responses((status = 200, body = RegistrationList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/registrations")]
async fn registration_list(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<web::Json<RegistrationList>, ApiError> {
    let list = registrations::list(&state, &who, query.within_days, query.expiring_only).await?;
    Ok(web::Json(RegistrationList {
        today: list.today,
        within_days: list.within_days,
        registrations: list
            .entries
            .into_iter()
            .map(view)
            .collect::<Result<_, _>>()?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAll {
    /// The day they end: not in the future, not before anyone's latest registration event.
    on: NaiveDate,
    /// How many registrations and applications the coordinator saw in the list; when there
    /// are more or fewer now, 409 `count_changed` and nothing is ended.
    expected_count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Ended {
    ended: usize,
}

/// End every registration and application of the team at once, should the zone close
/// (coordinator): an `ended` event for each, in one transaction.
#[utoipa::path(
    tag = "clients",
    request_body = EndAll,
    responses((status = 200, body = Ended), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/registrations/end-all")]
async fn end_all(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<EndAll>,
) -> Result<web::Json<Ended>, ApiError> {
    let body = body.into_inner();
    let on = day::day("on", body.on)?;
    let ended = registration_events::end_all(&state, &who, on, body.expected_count).await?;
    Ok(web::Json(Ended { ended }))
}
