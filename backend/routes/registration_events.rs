//! A client's registration for the zone as a history of events: record one, read them,
//! take the latest back.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::registration_events::{self, HistoryEntry};
use crate::domain::code::Code;
use crate::domain::day;
use crate::domain::ids::ClientId;
use crate::domain::registration::{Event, EventKind};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(add_event)
        .service(list_events)
        .service(undo_event);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvent {
    /// `applied`, `granted`, `refused`, `expired`, `renewed` or `ended` (another word: 422
    /// `validation_failed`).
    kind: String,
    /// The day it happened: not in the future, not before her latest event.
    on: NaiveDate,
    /// Her registration number: required for a grant, may change at a renewal.
    number: Option<String>,
    /// The last day a grant or renewal is valid: required for them, after `on`.
    expires_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationEventView {
    id: i64,
    kind: EventKind,
    on: NaiveDate,
    number: Option<String>,
    expires_on: Option<NaiveDate>,
    /// Who recorded it; null for the event written for a registration kept before.
    recorded_by_display_name: Option<String>,
    recorded_at: DateTime<FixedOffset>,
    /// The caller may take it back now: the latest event, recorded by her (or she is a
    /// coordinator), less than 24 hours ago.
    can_undo: bool,
}

impl From<HistoryEntry> for RegistrationEventView {
    fn from(entry: HistoryEntry) -> RegistrationEventView {
        RegistrationEventView {
            id: entry.id,
            kind: entry.event.kind,
            on: entry.event.on,
            number: entry.event.number,
            expires_on: entry.event.expires_on,
            recorded_by_display_name: entry.by_display_name,
            recorded_at: entry.recorded_at,
            can_undo: entry.can_undo,
        }
    }
}

/// Record what happened to her registration (coordinator, casemanager); her registration
/// fields follow from her events.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = NewEvent,
    responses((status = 201, body = RegistrationEventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/registration-events")]
async fn add_event(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewEvent>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let kind = EventKind::from_code(&body.kind).ok_or_else(|| {
        ApiError::invalid(
            "validation_failed",
            "kind must be applied, granted, refused, expired, renewed or ended.",
        )
    })?;
    let event = Event {
        kind,
        on: day::day("on", body.on)?,
        number: text::optional("number", body.number.as_deref(), 40)?,
        expires_on: day::maybe("expires_on", body.expires_on)?,
    };
    let entry = registration_events::add(&state, &who, ClientId(path.into_inner()), event).await?;
    Ok(HttpResponse::Created().json(RegistrationEventView::from(entry)))
}

/// Her registration history, newest first.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [RegistrationEventView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/registration-events")]
async fn list_events(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<RegistrationEventView>>, ApiError> {
    let entries = registration_events::history(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(entries.into_iter().map(Into::into).collect()))
}

/// Take back her latest registration event (who recorded it, or a coordinator, within 24
/// hours): 409 `not_latest` or `too_late_to_undo` otherwise.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("event_id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[delete("/clients/{id}/registration-events/{event_id}")]
async fn undo_event(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, event_id) = path.into_inner();
    registration_events::undo(&state, &who, ClientId(id), event_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
