//! Stagnations: a stalled case escalated to the process director, her answer or her
//! closing it, and the timeline of each.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::stagnations::answers::{self, Answer};
use crate::app::stagnations::{self, Stagnation};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::stagnation::{self, StagnationKind};
use crate::domain::{day, text};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(report)
        .service(of_client)
        .service(list)
        .service(one)
        .service(agree)
        .service(close);
}

#[derive(Serialize, ToSchema)]
pub struct StagnationStep {
    at: DateTime<FixedOffset>,
    /// reported (the reason as detail), answered (the agreed action as detail, with its
    /// owner and date), closed (the outcome as detail).
    event: String,
    user_id: Option<i64>,
    detail: Option<String>,
    action_owner: Option<String>,
    action_due_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct StagnationView {
    id: i64,
    client_id: i64,
    alias: String,
    /// She is part of the city's Top 15&15 approach.
    top15: bool,
    /// housing, care_waiting_list, care_avoidance, safety, money, justice or other.
    kind: String,
    reason: String,
    /// open, answered (an action agreed) or closed.
    status: String,
    reported_by: i64,
    reported_at: DateTime<FixedOffset>,
    /// The latest agreed action, its owner and date.
    agreed_action: Option<String>,
    action_owner: Option<String>,
    action_due_on: Option<NaiveDate>,
    answered_at: Option<DateTime<FixedOffset>>,
    outcome: Option<String>,
    closed_at: Option<DateTime<FixedOffset>>,
    /// Oldest step first.
    timeline: Vec<StagnationStep>,
}

impl StagnationView {
    fn new(zone: Zone, stagnation: Stagnation) -> StagnationView {
        let Stagnation { row, timeline } = stagnation;
        let local = |t: chrono::NaiveDateTime| zone.to_local(t);
        StagnationView {
            id: row.id,
            client_id: row.client_id,
            alias: row.alias,
            top15: row.top15,
            kind: row.kind,
            reason: row.reason,
            status: row.status,
            reported_by: row.reported_by,
            reported_at: local(row.reported_at),
            agreed_action: row.agreed_action,
            action_owner: row.action_owner,
            action_due_on: row.action_due_on,
            answered_at: row.answered_at.map(local),
            outcome: row.outcome,
            closed_at: row.closed_at.map(local),
            timeline: timeline
                .into_iter()
                .map(|e| StagnationStep {
                    at: local(e.occurred_at),
                    event: e.event,
                    user_id: e.user_id,
                    detail: e.detail,
                    action_owner: e.action_owner,
                    action_due_on: e.action_due_on,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStagnationBody {
    /// housing, care_waiting_list, care_avoidance, safety, money, justice or other.
    kind: String,
    /// Why the case is stuck; at most 500 characters.
    reason: String,
}

/// Report a stalled case to the process director (the coordinator, or one of her
/// casemanagers). Every process director gets one push, without her name.
#[utoipa::path(
    tag = "stagnations",
    params(("id" = i64, Path)),
    request_body = NewStagnationBody,
    responses((status = 201, body = StagnationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/stagnations")]
async fn report(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewStagnationBody>,
) -> Result<HttpResponse, ApiError> {
    let kind = StagnationKind::from_code(&body.kind).ok_or_else(|| {
        ApiError::invalid(
            "validation_failed",
            "kind must be housing, care_waiting_list, care_avoidance, safety, money, justice or other.",
        )
    })?;
    let reason = stagnation::reason("reason", &body.reason)?;
    let done = stagnations::report(&state, &who, ClientId(path.into_inner()), kind, reason).await?;
    Ok(HttpResponse::Created().json(StagnationView::new(state.zone, done)))
}

/// A client's stagnations with their timelines, the latest first.
#[utoipa::path(
    tag = "stagnations",
    params(("id" = i64, Path)),
    responses((status = 200, body = [StagnationView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/stagnations")]
async fn of_client(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<StagnationView>>, ApiError> {
    let found = stagnations::of_client(&state, &who, ClientId(path.into_inner())).await?;
    let zone = state.zone;
    Ok(web::Json(
        found
            .into_iter()
            .map(|s| StagnationView::new(zone, s))
            .collect(),
    ))
}

/// The stagnations the caller works with: the process director every team's, the
/// coordinator and casemanagers their team's; open ones first, and those closed in the
/// last 30 days.
#[utoipa::path(
    tag = "stagnations",
    responses((status = 200, body = [StagnationView]), (status = 403, body = ErrorBody))
)]
#[get("/stagnations")]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<StagnationView>>, ApiError> {
    let found = stagnations::list(&state, &who).await?;
    let zone = state.zone;
    Ok(web::Json(
        found
            .into_iter()
            .map(|s| StagnationView::new(zone, s))
            .collect(),
    ))
}

/// One stagnation with its timeline.
#[utoipa::path(
    tag = "stagnations",
    params(("id" = i64, Path)),
    responses((status = 200, body = StagnationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/stagnations/{id}")]
async fn one(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<StagnationView>, ApiError> {
    let found = stagnations::one(&state, &who, path.into_inner()).await?;
    Ok(web::Json(StagnationView::new(state.zone, found)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// What was agreed; at most 500 characters.
    action: String,
    /// Who carries it out: a team member or a partner, by name (at most 80 characters).
    owner: String,
    /// By when; not in the past.
    due_on: NaiveDate,
}

/// Answer a stagnation with an agreed action, its owner and date (the process director).
/// Her coordinators and casemanagers are told once, by push, without her name.
#[utoipa::path(
    tag = "stagnations",
    params(("id" = i64, Path)),
    request_body = AnswerBody,
    responses((status = 200, body = StagnationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/stagnations/{id}/answer")]
async fn agree(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<AnswerBody>,
) -> Result<web::Json<StagnationView>, ApiError> {
    let body = body.into_inner();
    let answer = Answer::Agree {
        action: body.action,
        owner: body.owner,
        due_on: day::day("due_on", body.due_on)?,
    };
    let done = answers::answer(&state, &who, path.into_inner(), answer).await?;
    Ok(web::Json(StagnationView::new(state.zone, done)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// How it ended; at most 500 characters.
    outcome: String,
}

/// Close a stagnation with its outcome (the process director). Her coordinators and
/// casemanagers are told once.
#[utoipa::path(
    tag = "stagnations",
    params(("id" = i64, Path)),
    request_body = CloseBody,
    responses((status = 200, body = StagnationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/stagnations/{id}/close")]
async fn close(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<CloseBody>,
) -> Result<web::Json<StagnationView>, ApiError> {
    let outcome = text::bounded("outcome", &body.outcome, stagnation::REASON_MAX)?;
    let answer = Answer::Close { outcome };
    let done = answers::answer(&state, &who, path.into_inner(), answer).await?;
    Ok(web::Json(StagnationView::new(state.zone, done)))
}
