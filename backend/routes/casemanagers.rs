//! Casemanager assignments of a client (with from/until dates, so handovers can overlap)
//! and the client's audit trail.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::casemanagers::{self, NewAssignment, TrailEntry};
use crate::db::queries::clients::AssignmentRow;
use crate::domain::day;
use crate::domain::ids::{ClientId, UserId};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_casemanagers)
        .service(assign_casemanager)
        .service(end_assignment)
        .service(client_audit_trail);
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentView {
    id: i64,
    user_id: i64,
    display_name: String,
    from_on: NaiveDate,
    until_on: Option<NaiveDate>,
}

impl From<AssignmentRow> for AssignmentView {
    fn from(row: AssignmentRow) -> AssignmentView {
        AssignmentView {
            id: row.id,
            user_id: row.user_id,
            display_name: row.display_name,
            from_on: row.from_on,
            until_on: row.until_on,
        }
    }
}

/// The client's casemanagers, past, present and planned.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [AssignmentView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/casemanagers")]
async fn list_casemanagers(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<AssignmentView>>, ApiError> {
    let rows = casemanagers::list(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    user_id: i64,
    /// Defaults to today.
    from_on: Option<NaiveDate>,
    until_on: Option<NaiveDate>,
}

/// Assign a casemanager (a casemanager or coordinator of the same team).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = Assign,
    responses((status = 201, body = AssignmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/casemanagers")]
async fn assign_casemanager(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<Assign>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.clock.now();
    let from_on =
        day::maybe("from_on", body.from_on)?.unwrap_or_else(|| state.zone.local_date(now));
    let Assign {
        user_id, until_on, ..
    } = body.into_inner();
    let until_on = day::maybe("until_on", until_on)?;
    if until_on.is_some_and(|until| until < from_on) {
        return Err(ApiError::invalid(
            "validation_failed",
            "until_on lies before from_on.",
        ));
    }
    let new = NewAssignment {
        user: UserId(user_id),
        from_on,
        until_on,
    };
    let row = casemanagers::assign(&state, &who, ClientId(id), new).await?;
    Ok(HttpResponse::Created().json(AssignmentView::from(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndAssignment {
    until_on: NaiveDate,
}

/// Set the last day of an assignment (the end of a warm handover).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("assignment_id" = i64, Path)),
    request_body = EndAssignment,
    responses((status = 200, body = AssignmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/casemanagers/{assignment_id}")]
async fn end_assignment(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<EndAssignment>,
) -> Result<web::Json<AssignmentView>, ApiError> {
    let (id, assignment_id) = path.into_inner();
    let until_on = day::day("until_on", body.until_on)?;
    let row = casemanagers::end(&state, &who, ClientId(id), assignment_id, until_on).await?;
    Ok(web::Json(row.into()))
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    at: DateTime<FixedOffset>,
    user_id: Option<i64>,
    display_name: Option<String>,
    role: Option<String>,
    event: String,
    action: String,
    outcome: String,
    address: Option<String>,
}

/// Who accessed this client's file, oldest first (coordinator). Reading it is logged too.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/audit")]
async fn client_audit_trail(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<AuditEntryView>>, ApiError> {
    let zone = state.zone;
    let entries = casemanagers::audit_trail(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(
        entries
            .into_iter()
            .map(
                |TrailEntry {
                     entry,
                     display_name,
                 }| AuditEntryView {
                    at: zone.to_local(entry.occurred_at),
                    user_id: entry.user_id,
                    display_name,
                    role: entry.role,
                    event: entry.event,
                    action: entry.action,
                    outcome: entry.outcome,
                    address: entry.address,
                },
            )
            .collect(),
    ))
}
