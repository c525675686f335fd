//! Contacts (visits): recording with `Idempotency-Key`, lists per client and per shift,
//! and correction or deletion by the recorder within the correction window.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::contact_view::{ContactView, view};
use super::double_option;
use crate::app::Identity;
use crate::app::contacts::{self, Correction, Recorded, Tap};
use crate::db::queries::contacts::ContactRow;
use crate::domain::contact::{ContactKind, Service, anonymous_count, check_seen_at};
use crate::domain::ids::{ClientId, ContactId, LocationId, ShiftId};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::idempotency::Keyed;
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_contact)
        .service(update_contact)
        .service(delete_contact)
        .service(client_contacts)
        .service(shift_contacts);
}

const NOTE_MAX: usize = 500;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContact {
    /// The client seen; leave out for anonymous visitors.
    client_id: Option<i64>,
    /// Number of anonymous visitors (1-100) when there is no client.
    anonymous_count: Option<i64>,
    /// Defaults to the shift's location. Left out with neither for a contact outside a
    /// shift, whose kind is then `outreach`, `phone`, `home_visit` or `appointment`.
    location_id: Option<i64>,
    shift_id: Option<i64>,
    /// When she was seen: local wall time or RFC 3339; default now. Up to the configured
    /// number of days back, never in the future.
    seen_at: Option<String>,
    #[serde(default = "default_kind")]
    kind: ContactKind,
    #[serde(default)]
    services: Vec<Service>,
    note: Option<String>,
}

fn default_kind() -> ContactKind {
    ContactKind::Visit
}

/// The request as a tap, checked against everything that needs no database.
fn parse_tap(body: CreateContact, state: &AppState) -> Result<Tap, ApiError> {
    let now = state.clock.now();
    let visitor_count = match (body.client_id, body.anonymous_count) {
        (Some(_), None) => 1,
        (None, Some(count)) => anonymous_count(count)?,
        _ => {
            return Err(ApiError::invalid(
                "client_or_anonymous",
                "Give either client_id or anonymous_count, not both and not neither.",
            ));
        }
    };
    let seen_at = match body.seen_at.as_deref() {
        Some(text) => parse_seen_at(state, text, now)?,
        None => now,
    };
    check_seen_at(seen_at, now, state.settings.backdate_max_days)?;
    Ok(Tap {
        client: body.client_id.map(ClientId),
        visitor_count,
        location: body.location_id.map(LocationId),
        shift: body.shift_id.map(ShiftId),
        seen_at,
        kind: body.kind,
        services: body.services,
        note: text::optional("note", body.note.as_deref(), NOTE_MAX)?,
    })
}

fn parse_seen_at(
    state: &AppState,
    text: &str,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, ApiError> {
    let at = state
        .zone
        .parse_instant(text, Repeated::First)
        .map_err(|e| ApiError::invalid("bad_time", format!("seen_at: {e}")))?;
    check_seen_at(at, now, state.settings.backdate_max_days)?;
    Ok(at)
}

/// Record a contact. With an `Idempotency-Key`, a retry with the same key and body returns
/// the original response and records nothing; the same key with another body is a 422.
#[utoipa::path(
    tag = "contacts",
    request_body = CreateContact,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = ContactView, description = "Recorded (or replayed)"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such client in your team"),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/contacts")]
async fn create_contact(
    state: web::Data<AppState>,
    who: Identity,
    Keyed {
        body: parsed,
        retry,
    }: Keyed<CreateContact>,
) -> Result<HttpResponse, ApiError> {
    let tap = parse_tap(parsed, &state)?;
    let (row, replayed) = match contacts::record(&state, &who, tap, retry).await? {
        Recorded::New(row) => (row, false),
        Recorded::Replay(row) => (row, true),
    };
    let mut response = HttpResponse::Created();
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(view(state.zone, row)?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContact {
    /// Another client of the team (the wrong button was tapped).
    client_id: Option<i64>,
    /// Only for anonymous counts.
    anonymous_count: Option<i64>,
    seen_at: Option<String>,
    kind: Option<ContactKind>,
    services: Option<Vec<Service>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    note: Option<Option<String>>,
}

/// Correct a contact (its recorder, within the correction window).
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path)),
    request_body = UpdateContact,
    responses((status = 200, body = ContactView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/contacts/{id}")]
async fn update_contact(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<UpdateContact>,
) -> Result<web::Json<ContactView>, ApiError> {
    let body = body.into_inner();
    let now = state.clock.now();
    let correction = Correction {
        client: body.client_id.map(ClientId),
        visitor_count: body.anonymous_count.map(anonymous_count).transpose()?,
        seen_at: body
            .seen_at
            .as_deref()
            .map(|t| parse_seen_at(&state, t, now))
            .transpose()?,
        kind: body.kind,
        services: body.services,
        note: body
            .note
            .map(|n| text::optional("note", n.as_deref(), NOTE_MAX))
            .transpose()?,
    };
    let row = contacts::correct(&state, &who, ContactId(path.into_inner()), correction).await?;
    view(state.zone, row).map(web::Json)
}

/// Delete a contact recorded by mistake (its recorder, within the correction window).
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/contacts/{id}")]
async fn delete_contact(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    contacts::delete(&state, &who, ContactId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A client's contacts, newest first.
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 200, body = [ContactView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/contacts")]
async fn client_contacts(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<ContactView>>, ApiError> {
    let rows = contacts::of_client(&state, &who, ClientId(path.into_inner())).await?;
    views(state.zone, rows)
}

/// The contacts recorded at one shift.
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 200, body = [ContactView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/shifts/{id}/contacts")]
async fn shift_contacts(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<ContactView>>, ApiError> {
    let rows = contacts::of_shift(&state, &who, ShiftId(path.into_inner())).await?;
    views(state.zone, rows)
}

fn views(zone: Zone, rows: Vec<ContactRow>) -> Result<web::Json<Vec<ContactView>>, ApiError> {
    rows.into_iter()
        .map(|row| view(zone, row))
        .collect::<Result<_, _>>()
        .map(web::Json)
}
