//! Clients: list and search, create, read and update (closing, reopening and the status
//! history are in `client_status`).

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::client_view::ClientView;
use super::double_option;
use crate::app::Identity;
use crate::app::clients::{self, FileChanges, Filter, Intake};
use crate::domain::client::{
    Addiction, Alias, CaseloadStatus, ClientCode, Region, RegistrationStatus, ThresholdDays,
};
use crate::domain::day;
use crate::domain::ids::{ClientId, UserId};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_clients)
        .service(search_clients)
        .service(create_client)
        .service(get_client)
        .service(update_client);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    /// Only clients with this caseload status.
    status: Option<CaseloadStatus>,
    /// `true`: only clients out of view; `false`: only those in view.
    out_of_view: Option<bool>,
    /// `true`: only clients without a casemanager today; `false`: only those with one.
    without_casemanager: Option<bool>,
}

/// The clients of the caller's team.
#[utoipa::path(
    tag = "clients",
    params(ClientQuery),
    responses((status = 200, body = [ClientView]), (status = 403, body = ErrorBody))
)]
#[get("/clients")]
async fn list_clients(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ClientQuery>,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    let query = query.into_inner();
    let filter = Filter {
        status: query.status,
        out_of_view: query.out_of_view,
        without_casemanager: query.without_casemanager,
        ..Filter::default()
    };
    find_clients(&state, who, filter).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientSearch {
    /// Part of the alias or code, case-insensitive.
    q: String,
    status: Option<CaseloadStatus>,
}

/// Search the team's clients by alias or code. A POST, so the alias typed stays out of
/// URLs (and so out of browser history and proxy logs).
#[utoipa::path(
    tag = "clients",
    request_body = ClientSearch,
    responses((status = 200, body = [ClientView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/search")]
async fn search_clients(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<ClientSearch>,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    let ClientSearch { q, status } = body.into_inner();
    let filter = Filter {
        search: Some(text::bounded("q", &q, 40)?),
        status,
        ..Filter::default()
    };
    find_clients(&state, who, filter).await
}

async fn find_clients(
    state: &AppState,
    who: Identity,
    filter: Filter,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    clients::find(state, &who, filter)
        .await?
        .into_iter()
        .map(|file| ClientView::of(file, state))
        .collect::<Result<_, _>>()
        .map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    alias: String,
    /// Generated when left out.
    code: Option<String>,
    #[serde(default = "no_registration")]
    registration_status: RegistrationStatus,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    region: Region,
    #[serde(default = "addiction_unknown")]
    addiction: Addiction,
    /// In Beschermd Wonen (sheltered housing).
    #[serde(default)]
    sheltered_housing: bool,
    #[serde(default)]
    known_at_huiskamer: bool,
    /// Defaults to today.
    intake_on: Option<NaiveDate>,
    followup_threshold_days: Option<i64>,
    /// Her casemanager from the intake: a casemanager or coordinator account of the team.
    /// Defaults to whoever registers her.
    casemanager_id: Option<i64>,
}

fn no_registration() -> RegistrationStatus {
    RegistrationStatus::None
}

fn addiction_unknown() -> Addiction {
    Addiction::Unknown
}

/// Register a new client in the caller's team (coordinator, casemanager).
#[utoipa::path(
    tag = "clients",
    request_body = CreateClient,
    responses((status = 201, body = ClientView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients")]
async fn create_client(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreateClient>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let intake = Intake {
        code: body.code.as_deref().map(ClientCode::parse).transpose()?,
        alias: Alias::parse(&body.alias)?,
        registration_status: body.registration_status,
        registration_number: text::optional(
            "registration_number",
            body.registration_number.as_deref(),
            40,
        )?,
        registration_date: day::maybe("registration_date", body.registration_date)?,
        registration_expires_on: day::maybe(
            "registration_expires_on",
            body.registration_expires_on,
        )?,
        region: body.region,
        addiction: body.addiction,
        sheltered_housing: body.sheltered_housing,
        known_at_huiskamer: body.known_at_huiskamer,
        intake_on: day::maybe("intake_on", body.intake_on)?,
        threshold: body
            .followup_threshold_days
            .map(ThresholdDays::parse)
            .transpose()?,
        casemanager: body.casemanager_id.map(UserId),
    };
    let file = clients::create(&state, &who, intake).await?;
    Ok(HttpResponse::Created().json(ClientView::of(file, &state)?))
}

/// One client's file.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}")]
async fn get_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ClientView>, ApiError> {
    let file = clients::get(&state, &who, ClientId(path.into_inner())).await?;
    ClientView::of(file, &state).map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClient {
    alias: Option<String>,
    code: Option<String>,
    /// Read-only here, like the other registration fields: 422 `use_registration_events`
    /// (record a registration event instead).
    registration_status: Option<RegistrationStatus>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    registration_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    registration_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    registration_expires_on: Option<Option<NaiveDate>>,
    region: Option<Region>,
    addiction: Option<Addiction>,
    sheltered_housing: Option<bool>,
    known_at_huiskamer: Option<bool>,
    /// Part of the city's Top 15&15 homelessness approach (the process director sees it).
    top15: Option<bool>,
    /// `active` or `regular_care` (recorded in her status history); closing goes through
    /// `/close`, and a closed file is reopened through `/reopen` (409 `client_closed`).
    caseload_status: Option<CaseloadStatus>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    intake_on: Option<Option<NaiveDate>>,
    /// `null` returns to the configured default.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    followup_threshold_days: Option<Option<i64>>,
}

/// Change a client's file (coordinator, casemanager).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = UpdateClient,
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}")]
async fn update_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<UpdateClient>,
) -> Result<web::Json<ClientView>, ApiError> {
    let body = body.into_inner();
    if body.caseload_status == Some(CaseloadStatus::Closed) {
        return Err(ApiError::invalid(
            "use_close",
            "Close a client with POST /api/v1/clients/{id}/close, which records the exit date and reason.",
        ));
    }
    if body.registration_status.is_some()
        || body.registration_number.is_some()
        || body.registration_date.is_some()
        || body.registration_expires_on.is_some()
    {
        return Err(ApiError::invalid(
            "use_registration_events",
            "Her registration follows from her registration events: record one with POST /api/v1/clients/{id}/registration-events.",
        ));
    }
    let file = FileChanges {
        alias: body.alias.as_deref().map(Alias::parse).transpose()?,
        code: body.code.as_deref().map(ClientCode::parse).transpose()?,
        region: body.region,
        addiction: body.addiction,
        sheltered_housing: body.sheltered_housing,
        known_at_huiskamer: body.known_at_huiskamer,
        top15: body.top15,
        caseload_status: body.caseload_status,
        intake_on: day::patch("intake_on", body.intake_on)?,
        threshold: body
            .followup_threshold_days
            .map(|d| d.map(ThresholdDays::parse).transpose())
            .transpose()?,
    };
    let file = clients::update(&state, &who, ClientId(path.into_inner()), file).await?;
    ClientView::of(file, &state).map(web::Json)
}
