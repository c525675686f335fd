//! Clients: list and search, create, read, update, close and reopen.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::clients::{self, ClientChanges, ClientRow, ListFilter, NewClient};
use crate::db::write_transaction;
use crate::domain::client::{
    Alias, CaseloadStatus, ClientCode, Region, RegistrationStatus, ThresholdDays,
};
use crate::domain::code::Code;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

fn code_taken(err: diesel::result::Error) -> ApiError {
    crate::app::taken(
        err,
        "client_code_taken",
        "Another client of this team has that code.",
    )
}

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
    body: web::Json<ClientSearch>,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    let ClientSearch { q, status } = body.into_inner();
    let search = text::bounded("q", &q, 40)?;
    find_clients(&state, who, Some(search), status).await
}

/// Lists or searches the caller's clients; the search itself is audit-logged.
async fn find_clients(
    state: &AppState,
    who: Identity,
    search: Option<String>,
    status: Option<CaseloadStatus>,
) -> Result<web::Json<Vec<ClientView>>, ApiError> {
    let now = state.clock.now();
    let reader = who.clone();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let scope = access::client_scope(conn, &reader, now)?;
            Ok(clients::list(
                conn,
                &ListFilter {
                    scope,
                    search,
                    caseload_status: status.map(|s| s.as_str().to_owned()),
                },
            )?)
        })
        .await?;
    audit::record_read(state, who, now, Event::search("client.search")).await?;
    rows.into_iter()
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
    body: web::Json<CreateClient>,
) -> Result<HttpResponse, ApiError> {
    who.require(crate::domain::role::Role::edits_clients)?;
    let team = who.team()?;
    let body = body.into_inner();
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let code = match body.code.as_deref() {
        Some(code) => ClientCode::parse(code)?.into_inner(),
        None => generated_code(),
    };
    let new = NewClient {
        team_id: team,
        code,
        alias: Alias::parse(&body.alias)?.into_inner(),
        registration_status: body.registration_status.as_str().to_owned(),
        registration_number: text::optional(
            "registration_number",
            body.registration_number.as_deref(),
            40,
        )?,
        registration_date: body.registration_date,
        registration_expires_on: body.registration_expires_on,
        region: body.region.as_str().to_owned(),
        caseload_status: CaseloadStatus::Active.as_str().to_owned(),
        intake_on: Some(body.intake_on.unwrap_or(today)),
        exit_on: None,
        followup_threshold_days: body
            .followup_threshold_days
            .map(ThresholdDays::parse)
            .transpose()?
            .map(ThresholdDays::get),
        created_at: now,
        updated_at: now,
    };
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            write_transaction(conn, |conn| {
                let id = clients::create(conn, &new).map_err(code_taken)?;
                audit::record(
                    conn,
                    &who,
                    now,
                    &Event::on("client.create", Action::Create, id),
                    Outcome::Success,
                )?;
                clients::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ClientView::from_row(row, &state)?))
}

/// A short random internal code such as `C-7KQ2XM`, for clients created without one.
fn generated_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("C-{tail}")
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
    let id = path.into_inner();
    let now = state.clock.now();
    let event = Event::on("client.read", Action::Read, id);
    let reader = who.clone();
    let row = state
        .db
        .run(move |conn| access::client(conn, &reader, now, id, Need::Read, &event))
        .await?;
    audit::record_read(&state, who, now, event).await?;
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
    body: web::Json<UpdateClient>,
) -> Result<web::Json<ClientView>, ApiError> {
    let id = path.into_inner();
    let body = body.into_inner();
    if body.caseload_status == Some(CaseloadStatus::Closed) {
        return Err(ApiError::invalid(
            "use_close",
            "Close a client with POST /api/v1/clients/{id}/close, which records the exit date.",
        ));
    }
    let now = state.clock.now();
    let changes = ClientChanges {
        alias: body
            .alias
            .as_deref()
            .map(Alias::parse)
            .transpose()?
            .map(Alias::into_inner),
        code: body
            .code
            .as_deref()
            .map(ClientCode::parse)
            .transpose()?
            .map(ClientCode::into_inner),
        registration_status: body.registration_status.map(|s| s.as_str().to_owned()),
        registration_number: body
            .registration_number
            .map(|n| text::optional("registration_number", n.as_deref(), 40))
            .transpose()?,
        registration_date: body.registration_date,
        registration_expires_on: body.registration_expires_on,
        region: body.region.map(|r| r.as_str().to_owned()),
        caseload_status: body.caseload_status.map(|s| s.as_str().to_owned()),
        intake_on: body.intake_on,
        exit_on: None,
        followup_threshold_days: body
            .followup_threshold_days
            .map(|d| d.map(ThresholdDays::parse).transpose())
            .transpose()?
            .map(|d| d.map(ThresholdDays::get)),
        updated_at: Some(now),
    };
    change_client(&state, who, id, "client.update", changes).await
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
    body: web::Json<CloseClient>,
) -> Result<web::Json<ClientView>, ApiError> {
    let now = state.clock.now();
    let exit_on = body.exit_on.unwrap_or_else(|| state.zone.local_date(now));
    let changes = ClientChanges {
        caseload_status: Some(CaseloadStatus::Closed.as_str().to_owned()),
        exit_on: Some(Some(exit_on)),
        updated_at: Some(now),
        ..ClientChanges::default()
    };
    change_client(&state, who, path.into_inner(), "client.close", changes).await
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
    let now = state.clock.now();
    let changes = ClientChanges {
        caseload_status: Some(CaseloadStatus::Active.as_str().to_owned()),
        exit_on: Some(None),
        updated_at: Some(now),
        ..ClientChanges::default()
    };
    change_client(&state, who, path.into_inner(), "client.reopen", changes).await
}

/// Applies `changes` to a client the caller may edit, audit-logged in the same transaction.
async fn change_client(
    state: &AppState,
    who: Identity,
    id: i64,
    event_name: &'static str,
    changes: ClientChanges,
) -> Result<web::Json<ClientView>, ApiError> {
    let now = state.clock.now();
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on(event_name, Action::Update, id);
            let team = access::client(conn, &who, now, id, Need::Edit, &event)?.team_id;
            write_transaction(conn, |conn| {
                clients::update(conn, id, &changes).map_err(code_taken)?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                clients::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)
            })
        })
        .await?;
    ClientView::from_row(row, state).map(web::Json)
}
