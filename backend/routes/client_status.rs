//! Her place in the caseload over time: closing her trajectory with a reason, reopening
//! it, and her status history.

use actix_web::{get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::client_view::ClientView;
use crate::app::Identity;
use crate::app::client_status::{self, Closure, HistoryEntry};
use crate::domain::caseload::StatusChange;
use crate::domain::client::{CaseloadStatus, ExitNote, ExitReason};
use crate::domain::day;
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(close_client)
        .service(reopen_client)
        .service(status_history);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseClient {
    /// Defaults to today; not in the future, not before her last status change.
    exit_on: Option<NaiveDate>,
    /// Why her trajectory ends (required: 422 `exit_reason_required` without it).
    #[schema(required = true)]
    reason: Option<ExitReason>,
    /// At most 200 characters.
    note: Option<String>,
}

/// Close a client's trajectory with its reason (coordinator, casemanager).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = CloseClient,
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/close")]
async fn close_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<CloseClient>,
) -> Result<web::Json<ClientView>, ApiError> {
    let body = body.into_inner();
    // Left out, the reason gets a 422 that names it rather than a 400 for the body.
    let reason = body.reason.ok_or_else(|| {
        ApiError::invalid(
            "exit_reason_required",
            "Give the reason her trajectory ends: regular_care, moved_away, stopped_sex_work, detained, deceased or other.",
        )
    })?;
    let closure = Closure {
        exit_on: day::maybe("exit_on", body.exit_on)?,
        reason,
        note: ExitNote::parse(body.note.as_deref())?,
    };
    let file = client_status::close(&state, &who, ClientId(path.into_inner()), closure).await?;
    ClientView::of(file, &state).map(web::Json)
}

/// Reopen a closed client: back in the team's own caseload, exit date and reason cleared
/// from her file (her status history keeps them).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = ClientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/clients/{id}/reopen")]
async fn reopen_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ClientView>, ApiError> {
    let file = client_status::reopen(&state, &who, ClientId(path.into_inner())).await?;
    ClientView::of(file, &state).map(web::Json)
}

#[derive(Serialize, ToSchema)]
pub struct StatusHistoryEntry {
    /// What happened: `intake`, `to_regular_care`, `to_own_caseload`, `closed`, `reopened`.
    change: StatusChange,
    /// Her caseload status after it.
    status: CaseloadStatus,
    /// The day it took effect (for a closure, the exit date).
    on: NaiveDate,
    /// For a closure, why.
    reason: Option<ExitReason>,
    note: Option<String>,
    /// Who recorded it; null for the history of files made before it was kept.
    by_display_name: Option<String>,
    recorded_at: DateTime<FixedOffset>,
}

impl From<HistoryEntry> for StatusHistoryEntry {
    fn from(entry: HistoryEntry) -> StatusHistoryEntry {
        StatusHistoryEntry {
            change: entry.change,
            status: entry.status,
            on: entry.on,
            reason: entry.reason,
            note: entry.note,
            by_display_name: entry.by_display_name,
            recorded_at: entry.recorded_at,
        }
    }
}

/// Her status history, newest first: intake, to regular care, back to the team's own
/// caseload, closed (with the reason), reopened.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [StatusHistoryEntry]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/status-history")]
async fn status_history(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<StatusHistoryEntry>>, ApiError> {
    let entries = client_status::history(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(entries.into_iter().map(Into::into).collect()))
}
