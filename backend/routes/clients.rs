//! Clients: list and search, create, read, update, close and reopen.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::clients::{self, FileChanges, Intake};
use crate::db::queries::clients::ClientRow;
use crate::domain::client::{
    Alias, CaseloadStatus, ClientCode, Region, RegistrationStatus, ThresholdDays,
};
use crate::domain::code::Code;
use crate::domain::day;
use crate::domain::ids::ClientId;
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
        .service(update_client)
        .service(close_client)
        .service(reopen_client);
}

#[derive(Serialize, ToSchema)]
pub struct ClientView {
    id: i64,
    code: String,
    alias: String,
    registration_status: RegistrationStatus,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    region: Region,
    caseload_status: CaseloadStatus,
    intake_on: Option<NaiveDate>,
    exit_on: Option<NaiveDate>,
    /// The per-client override, if any.
    followup_threshold_days: Option<i32>,
    /// The threshold in force: the override or the configured default.
    effective_threshold_days: i64,
    /// When she was last seen (named contacts only).
    last_contact_at: Option<DateTime<FixedOffset>>,
}

impl ClientView {
    pub fn from_row(row: ClientRow, state: &AppState) -> Result<ClientView, ApiError> {
        let default_threshold = state.settings.followup_threshold_days;
        let internal = ApiError::internal;
        Ok(ClientView {
            id: row.id,
            registration_status: RegistrationStatus::from_stored(&row.registration_status)
                .map_err(internal)?,
            region: Region::from_stored(&row.region).map_err(internal)?,
            caseload_status: CaseloadStatus::from_stored(&row.caseload_status).map_err(internal)?,
            effective_threshold_days: row
                .followup_threshold_days
                .map_or(i64::from(default_threshold), i64::from),
            code: row.code,
            alias: row.alias,
            registration_number: row.registration_number,
            registration_date: row.registration_date,
            registration_expires_on: row.registration_expires_on,
            intake_on: row.intake_on,
            exit_on: row.exit_on,
            followup_threshold_days: row.followup_threshold_days,
            last_contact_at: row.last_contact_at.map(|t| state.zone.to_local(t)),
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClientQuery {
    /// Only clients with this caseload status.
    status: Option<CaseloadStatus>,
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
    let status = query.into_inner().status;
    find_clients(&state, who, None, status).await
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
    let search = text::bounded("q", &q, 40)?;
    find_clients(&state, who, Some(search), status).await
}

async fn find_clients(
    state: &AppState,
    who: Identity,
    search: Option<String>,
    status: Option<CaseloadStatus>,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    clients::find(state, &who, search, status)
        .await?
        .into_iter()
        .map(|row| ClientView::from_row(row, state))
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
    /// Defaults to today.
    intake_on: Option<NaiveDate>,
    followup_threshold_days: Option<i64>,
}

fn no_registration() -> RegistrationStatus {
    RegistrationStatus::None
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
        intake_on: day::maybe("intake_on", body.intake_on)?,
        threshold: body
            .followup_threshold_days
            .map(ThresholdDays::parse)
            .transpose()?,
    };
    let row = clients::create(&state, &who, intake).await?;
    Ok(HttpResponse::Created().json(ClientView::from_row(row, &state)?))
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
    let row = clients::get(&state, &who, ClientId(path.into_inner())).await?;
    ClientView::from_row(row, &state).map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClient {
    alias: Option<String>,
    code: Option<String>,
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
    /// `active` or `regular_care`; closing goes through `/close`.
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
            "Close a client with POST /api/v1/clients/{id}/close, which records the exit date.",
        ));
    }
    let file = FileChanges {
        alias: body.alias.as_deref().map(Alias::parse).transpose()?,
        code: body.code.as_deref().map(ClientCode::parse).transpose()?,
        registration_status: body.registration_status,
        registration_number: body
            .registration_number
            .map(|n| text::optional("registration_number", n.as_deref(), 40))
            .transpose()?,
        registration_date: day::patch("registration_date", body.registration_date)?,
        registration_expires_on: day::patch(
            "registration_expires_on",
            body.registration_expires_on,
        )?,
        region: body.region,
        caseload_status: body.caseload_status,
        intake_on: day::patch("intake_on", body.intake_on)?,
        threshold: body
            .followup_threshold_days
            .map(|d| d.map(ThresholdDays::parse).transpose())
            .transpose()?,
    };
    let row = clients::update(&state, &who, ClientId(path.into_inner()), file).await?;
    ClientView::from_row(row, &state).map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseClient {
    /// Defaults to today.
    exit_on: Option<NaiveDate>,
}

/// Close a client's trajectory (coordinator, casemanager).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = CloseClient,
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/clients/{id}/close")]
async fn close_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<CloseClient>,
) -> Result<web::Json<ClientView>, ApiError> {
    let id = ClientId(path.into_inner());
    let exit_on = day::maybe("exit_on", body.exit_on)?;
    let row = clients::close(&state, &who, id, exit_on).await?;
    ClientView::from_row(row, &state).map(web::Json)
}

/// Reopen a closed client: back in the active caseload, exit date cleared.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/clients/{id}/reopen")]
async fn reopen_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ClientView>, ApiError> {
    let row = clients::reopen(&state, &who, ClientId(path.into_inner())).await?;
    ClientView::from_row(row, &state).map(web::Json)
}
