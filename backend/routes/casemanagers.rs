//! Casemanager assignments of a client (with from/until dates, so handovers can overlap)
//! and the client's audit trail.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use diesel::OptionalExtension;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::audit as audit_queries;
use crate::db::queries::clients::{self, AssignmentRow};
use crate::db::queries::users;
use crate::db::write_transaction;
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
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
    let id = path.into_inner();
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.casemanagers.read", Action::Read, id);
            access::client(conn, &who, now, id, Need::Read, &event)?;
            let rows = clients::assignments(conn, id)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
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
    body: web::Json<Assign>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.clock.now();
    let from_on = body.from_on.unwrap_or_else(|| state.zone.local_date(now));
    let Assign {
        user_id, until_on, ..
    } = body.into_inner();
    if until_on.is_some_and(|until| until < from_on) {
        return Err(ApiError::invalid(
            "validation_failed",
            "until_on lies before from_on.",
        ));
    }
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.casemanagers.assign", Action::Update, id);
            let client = access::client(conn, &who, now, id, Need::Edit, &event)?;
            let assignee = users::find(conn, user_id).optional()?;
            let eligible = assignee.is_some_and(|u| {
                u.active
                    && u.team_id == Some(client.team_id)
                    && matches!(
                        Role::from_code(&u.role),
                        Some(Role::Casemanager | Role::Coordinator)
                    )
            });
            if !eligible {
                return Err(ApiError::invalid(
                    "not_a_casemanager",
                    "Only an active casemanager or coordinator of the client's team can be assigned.",
                ));
            }
            write_transaction(conn, |conn| {
                let assignment = clients::assign(conn, id, user_id, from_on, until_on, now)?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                clients::find_assignment(conn, id, assignment)?.ok_or(ApiError::NotFound)
            })
        })
        .await?;
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
    body: web::Json<EndAssignment>,
) -> Result<web::Json<AssignmentView>, ApiError> {
    let (id, assignment_id) = path.into_inner();
    let until_on = body.until_on;
    let now = state.clock.now();
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.casemanagers.end", Action::Update, id);
            access::client(conn, &who, now, id, Need::Edit, &event)?;
            let current =
                clients::find_assignment(conn, id, assignment_id)?.ok_or(ApiError::NotFound)?;
            if until_on < current.from_on {
                return Err(ApiError::invalid(
                    "validation_failed",
                    "until_on lies before the start of the assignment.",
                ));
            }
            write_transaction(conn, |conn| {
                clients::end_assignment(conn, assignment_id, until_on)?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                clients::find_assignment(conn, id, assignment_id)?.ok_or(ApiError::NotFound)
            })
        })
        .await?;
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
    let id = path.into_inner();
    let now = state.clock.now();
    let zone = state.zone;
    let entries = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.audit.read", Action::Read, id);
            if !who.role.coordinates() {
                return Err(ApiError::denied(
                    event,
                    ApiError::Forbidden("Only the coordinator reads a client's audit trail."),
                ));
            }
            access::client(conn, &who, now, id, Need::Read, &event)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            let rows = audit_queries::for_client(conn, id)?;
            let names: std::collections::HashMap<i64, String> = users::list(conn, None)?
                .into_iter()
                .map(|u| (u.id, u.display_name))
                .collect();
            Ok(rows
                .into_iter()
                .map(|row| AuditEntryView {
                    at: zone.to_local(row.occurred_at),
                    display_name: row.user_id.and_then(|u| names.get(&u).cloned()),
                    user_id: row.user_id,
                    role: row.role,
                    event: row.event,
                    action: row.action,
                    outcome: row.outcome,
                    address: row.address,
                })
                .collect())
        })
        .await?;
    Ok(web::Json(entries))
}
