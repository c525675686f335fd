//! Data rights (coordinator only): export everything held about a client as JSON or CSV
//! for a request of access, and erase her for good.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::data_rights::export::{self, ClientExport};
use crate::app::data_rights::{self, ErasedBy};
use crate::db::DbConnection;
use crate::db::queries::clients::ClientRow;
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_json)
        .service(export_csv)
        .service(erase_client);
}

/// Exporting and erasing are the coordinator's: any other role is refused outright (403),
/// a client of another team does not exist (404). Refusals are audit-logged.
fn client_for_coordinator(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    client_id: i64,
    event: &Event,
) -> Result<ClientRow, ApiError> {
    if !who.role.coordinates() {
        return Err(ApiError::denied(
            *event,
            ApiError::Forbidden("Only the coordinator exports or erases a client's data."),
        ));
    }
    access::client(conn, who, now, client_id, Need::Edit, event)
}

/// Reads the export and logs it as one (action E).
async fn exported(state: &AppState, who: Identity, id: i64) -> Result<ClientExport, ApiError> {
    let now = state.clock.now();
    let zone = state.zone;
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.export", Action::Execute, id);
            let client = client_for_coordinator(conn, &who, now, id, &event)?;
            let document = export::gather(conn, client, zone, now)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(document)
        })
        .await
}

/// A download named after the client's id, never her alias.
fn attachment(id: i64, extension: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"inbeeld-client-{id}.{extension}\""),
    )
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
    let document = exported(&state, who, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(attachment(id, "json"))
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
    let document = exported(&state, who, id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(attachment(id, "csv"))
        .body(export::to_csv(&document)?))
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
    /// Warm handovers of her file, with their notes.
    handovers_deleted: usize,
    /// Flex expenses for her, kept as amounts without description, no longer linked to her.
    flex_expenses_kept_as_amounts: usize,
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
    body: web::Json<EraseClient>,
) -> Result<web::Json<ErasureView>, ApiError> {
    let id = path.into_inner();
    let confirm_code = body.into_inner().confirm_code;
    let now = state.clock.now();
    let erased = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.erase", Action::Delete, id);
            let client = client_for_coordinator(conn, &who, now, id, &event)?;
            if confirm_code.trim() != client.code {
                return Err(ApiError::invalid(
                    "confirmation_mismatch",
                    "Confirm the erasure by sending the client's code as confirm_code.",
                ));
            }
            if client.caseload_status != CaseloadStatus::Closed.as_str() {
                return Err(not_closed());
            }
            data_rights::erase(conn, id, ErasedBy::Coordinator(&who), now)?.ok_or_else(not_closed)
        })
        .await?;
    state.db.flush_erased().await?;
    Ok(web::Json(ErasureView {
        client_id: id,
        contacts_kept_as_counts: erased.contacts_kept,
        followups_deleted: erased.followups_deleted,
        casemanager_assignments_deleted: erased.assignments_deleted,
        timeout_stays_kept_as_counts: erased.timeout_stays_kept,
        handovers_deleted: erased.handovers_deleted,
        flex_expenses_kept_as_amounts: erased.expenses_kept,
    }))
}

fn not_closed() -> ApiError {
    ApiError::conflict(
        "client_not_closed",
        "Close the client first (POST /api/v1/clients/{id}/close): her exit date keeps the outflow figures true.",
    )
}
