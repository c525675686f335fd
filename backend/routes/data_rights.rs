//! Data rights (coordinator only): export everything held about a client as JSON or CSV
//! for a request of access, and erase her for good.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::data_rights;
use crate::app::data_rights::document::{self, ClientExport};
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::http::body::Json;
use crate::http::{ErrorBody, download};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_json)
        .service(export_csv)
        .service(erase_client);
}

/// The file's name: the client's id, never her alias.
fn file_name(id: i64, extension: &str) -> String {
    format!("inbeeld-client-{id}.{extension}")
}

/// Everything held about a client, for a request of access (coordinator).
#[utoipa::path(
    tag = "data rights",
    params(("id" = i64, Path)),
    responses((status = 200, body = ClientExport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/export")]
async fn export_json(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let document = data_rights::export_client(&state, &who, ClientId(id)).await?;
    Ok(download::attachment(&file_name(id, "json"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(document))
}

/// The same export as CSV, one row per field: `section,record,field,value` (coordinator).
#[utoipa::path(
    tag = "data rights",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/export.csv")]
async fn export_csv(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let document = data_rights::export_client(&state, &who, ClientId(id)).await?;
    Ok(download::csv(&file_name(id, "csv"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(document::to_csv(&document)?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseClient {
    /// The client's code, typed again: erasure cannot be undone.
    confirm_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ErasureView {
    client_id: i64,
    /// Her contacts, kept as counts without note or services so past figures stay true.
    contacts_kept_as_counts: usize,
    followups_deleted: usize,
    casemanager_assignments_deleted: usize,
    /// Her time-out stays, kept as dates for the year's count, without the place.
    timeout_stays_kept_as_counts: usize,
    /// Her referrals, kept with kind, partner and dates for the waiting times, without the
    /// outcome's note.
    referrals_kept_as_counts: usize,
    /// Her stagnations, kept with kind, status and dates for the process director's
    /// counts, without reason, agreed actions or outcome.
    stagnations_kept_as_counts: usize,
    /// Her items on case meetings' agendas, with their decisions (the meetings stay).
    case_meeting_items_deleted: usize,
    /// Warm handovers of her file, with their notes.
    handovers_deleted: usize,
    /// Flex expenses for her, kept as amounts without description, no longer linked to her.
    flex_expenses_kept_as_amounts: usize,
    /// Changes of her caseload status, kept with their day and reason for the caseload
    /// figures, without their notes.
    status_changes_kept_without_notes: usize,
    /// Signals about her, kept as counts (kind, time, location) without their text,
    /// indicators or link to her.
    signals_kept_as_counts: usize,
}

/// Erase a closed client's personal data for good (coordinator). Her contacts and
/// time-out stays remain as counts; her audit trail remains, by id only.
#[utoipa::path(
    tag = "data rights",
    params(("id" = i64, Path)),
    request_body = EraseClient,
    responses((status = 200, body = ErasureView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/erase")]
async fn erase_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<EraseClient>,
) -> Result<web::Json<ErasureView>, ApiError> {
    let id = path.into_inner();
    let confirm_code = body.into_inner().confirm_code;
    let erased = data_rights::erase_client(&state, &who, ClientId(id), confirm_code).await?;
    Ok(web::Json(ErasureView {
        client_id: id,
        contacts_kept_as_counts: erased.contacts_kept,
        followups_deleted: erased.followups_deleted,
        casemanager_assignments_deleted: erased.assignments_deleted,
        timeout_stays_kept_as_counts: erased.timeout_stays_kept,
        referrals_kept_as_counts: erased.referrals_kept,
        stagnations_kept_as_counts: erased.stagnations_kept,
        case_meeting_items_deleted: erased.case_meeting_items_deleted,
        handovers_deleted: erased.handovers_deleted,
        flex_expenses_kept_as_amounts: erased.expenses_kept,
        status_changes_kept_without_notes: erased.status_changes_kept,
        signals_kept_as_counts: erased.signals_kept,
    }))
}
