//! Contacts (visits): recording with `Idempotency-Key`, lists per client and per shift,
//! and correction or deletion by the recorder within the correction window.

use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups;
use crate::app::locations;
use crate::db::queries::contacts::{self, ContactChanges, ContactRow, NewContact};
use crate::db::queries::{clients, shifts};
use crate::db::{DbConnection, is_unique_violation, write_transaction};
use crate::domain::code::Code;
use crate::domain::contact::{
    ContactKind, Service, anonymous_count, check_seen_at, services_from_stored, services_to_stored,
};
use crate::domain::role::Role;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
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

#[derive(Serialize, ToSchema)]
pub struct ContactView {
    id: i64,
    /// Set for a named contact.
    client_id: Option<i64>,
    /// Set for an anonymous count.
    anonymous_count: Option<i32>,
    location_id: i64,
    shift_id: Option<i64>,
    seen_at: DateTime<FixedOffset>,
    kind: ContactKind,
    services: Vec<Service>,
    note: Option<String>,
    recorded_by: i64,
    recorded_at: DateTime<FixedOffset>,
}

fn view(zone: Zone, row: ContactRow) -> Result<ContactView, ApiError> {
    Ok(ContactView {
        id: row.id,
        anonymous_count: row.client_id.is_none().then_some(row.visitor_count),
        client_id: row.client_id,
        location_id: row.location_id,
        shift_id: row.shift_id,
        seen_at: zone.to_local(row.seen_at),
        kind: ContactKind::from_stored(&row.kind).map_err(ApiError::internal)?,
        services: services_from_stored(&row.services).map_err(ApiError::internal)?,
        note: row.note,
        recorded_by: row.recorded_by,
        recorded_at: zone.to_local(row.created_at),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContact {
    /// The client seen; leave out for anonymous visitors.
    client_id: Option<i64>,
    /// Number of anonymous visitors (1-100) when there is no client.
    anonymous_count: Option<i64>,
    /// Defaults to the shift's location.
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

/// A request parsed and checked against everything that needs no database.
struct ContactInput {
    client_id: Option<i64>,
    visitor_count: i32,
    location_id: Option<i64>,
    shift_id: Option<i64>,
    seen_at: NaiveDateTime,
    kind: ContactKind,
    services: String,
    note: Option<String>,
}

fn parse_input(body: CreateContact, state: &AppState) -> Result<ContactInput, ApiError> {
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
        Some(text) => state
            .zone
            .parse_instant(text, Repeated::First)
            .map_err(|e| ApiError::invalid("bad_time", format!("seen_at: {e}")))?,
        None => now,
    };
    check_seen_at(seen_at, now, state.settings.backdate_max_days)?;
    Ok(ContactInput {
        client_id: body.client_id,
        visitor_count,
        location_id: body.location_id,
        shift_id: body.shift_id,
        seen_at,
        kind: body.kind,
        services: services_to_stored(&body.services),
        note: text::optional("note", body.note.as_deref(), NOTE_MAX)?,
    })
}

/// `Idempotency-Key`: up to 100 visible ASCII characters, unique per user.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "bad_idempotency_key",
            "Idempotency-Key must be 1 to 100 visible ASCII characters.",
        ));
    }
    Ok(Some(key.to_owned()))
}

/// A retry with the same key committed first; never sent to a client (it is answered as
/// a replay).
const KEY_RACE: &str = "idempotency_race";

/// Outcome of a create: a new contact, or the replay of an earlier one with the same key.
enum Recorded {
    New(ContactRow),
    Replay(ContactRow),
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
    req: HttpRequest,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let key = idempotency_key(req.headers())?;
    // serde_json sorts object keys, so equal bodies hash equally whatever their key order.
    let body = body.into_inner();
    let request_hash = URL_SAFE_NO_PAD.encode(Sha256::digest(body.to_string().as_bytes()));
    let parsed: CreateContact = serde_json::from_value(body)
        .map_err(|e| ApiError::bad_request("bad_json", crate::http::describe_json_error(&e)))?;
    let input = parse_input(parsed, &state)?;
    let now = state.clock.now();
    // Reads on a pooled connection: an earlier answer for this key, or the checked row;
    // then the write, committed with others (`Db::write`).
    let hash = request_hash;
    let (reader, read_key, read_hash) = (who.clone(), key.clone(), hash.clone());
    let checked = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            if let Some(key) = &read_key
                && let Some(replay) = replay(conn, &reader, key, &read_hash)?
            {
                return Ok(Err(replay));
            }
            checked_contact(conn, &reader, team, now, input).map(Ok)
        })
        .await?;
    let recorded = match checked {
        Err(replayed) => replayed,
        Ok(new) => {
            let (writer, write_key, write_hash) = (who.clone(), key.clone(), hash.clone());
            let written = state
                .db
                .write(move |conn| -> Result<_, ApiError> {
                    insert(conn, &writer, &new, write_key.as_deref(), &write_hash, now)
                })
                .await;
            match (written, key) {
                (Ok(row), _) => Recorded::New(row),
                // A concurrent request with the same key won the race: answer as it did.
                (Err(ApiError::Conflict { code: KEY_RACE, .. }), Some(key)) => state
                    .db
                    .run(move |conn| replay(conn, &who, &key, &hash))
                    .await?
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("lost idempotency race")))?,
                (Err(e), _) => return Err(e),
            }
        }
    };
    let (row, replayed) = match recorded {
        Recorded::New(row) => (row, false),
        Recorded::Replay(row) => (row, true),
    };
    let mut response = HttpResponse::Created();
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(view(state.zone, row)?))
}

/// The write of a new contact (committed with others by `Db::write`): the row, its
/// idempotency record, the audit entry, and her `last_contact_at` and follow-ups.
fn insert(
    conn: &mut DbConnection,
    who: &Identity,
    new: &NewContact,
    key: Option<&str>,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<ContactRow, ApiError> {
    let row = contacts::insert(conn, new)?;
    if let Some(key) = key {
        contacts::idempotency_remember(conn, who.user_id, key, request_hash, row.id, now).map_err(
            |e| match is_unique_violation(&e) {
                true => ApiError::conflict(KEY_RACE, "Recorded by a retry."),
                false => e.into(),
            },
        )?;
    }
    if let Some(client) = new.client_id {
        let event = Event::on("contact.create", Action::Create, client);
        followups::contact_changed(conn, client, who.user_id, now)?;
        audit::record(conn, who, now, &event, Outcome::Success)?;
    }
    Ok(row)
}

/// The earlier outcome for `key`, if this user used it before.
fn replay(
    conn: &mut DbConnection,
    who: &Identity,
    key: &str,
    request_hash: &str,
) -> Result<Option<Recorded>, ApiError> {
    let Some((stored_hash, contact_id)) = contacts::idempotency_lookup(conn, who.user_id, key)?
    else {
        return Ok(None);
    };
    if stored_hash != request_hash {
        return Err(ApiError::invalid(
            "idempotency_key_reused",
            "This Idempotency-Key was used before with a different request.",
        ));
    }
    match contacts::find_in_team(conn, contact_id, who.team()?)? {
        Some(row) => Ok(Some(Recorded::Replay(row))),
        None => Err(ApiError::conflict(
            "contact_deleted",
            "This contact was recorded and has since been deleted.",
        )),
    }
}

/// Checks the client, shift and location against the database and builds the row.
fn checked_contact(
    conn: &mut DbConnection,
    who: &Identity,
    team: i64,
    now: NaiveDateTime,
    input: ContactInput,
) -> Result<NewContact, ApiError> {
    if let Some(client) = input.client_id {
        let event = Event::on("contact.create", Action::Create, client);
        access::client(conn, who, now, client, Need::Read, &event)?;
    }
    let shift_location = match input.shift_id {
        Some(shift) => Some(
            shifts::find_in_team(conn, shift, team)?
                .ok_or_else(|| ApiError::invalid("unknown_shift", "That shift does not exist."))?
                .location_id,
        ),
        None => None,
    };
    let location_id = match (input.location_id, shift_location) {
        (Some(given), Some(of_shift)) if given != of_shift => {
            return Err(ApiError::invalid(
                "location_mismatch",
                "location_id differs from the shift's location.",
            ));
        }
        (Some(id), _) | (None, Some(id)) => id,
        (None, None) => {
            return Err(ApiError::invalid(
                "location_required",
                "Give location_id or shift_id.",
            ));
        }
    };
    locations::require_active(conn, location_id)?;
    Ok(NewContact {
        team_id: team,
        client_id: input.client_id,
        visitor_count: input.visitor_count,
        location_id,
        shift_id: input.shift_id,
        seen_at: input.seen_at,
        kind: input.kind.as_str().to_owned(),
        services: input.services,
        note: input.note,
        recorded_by: who.user_id,
        created_at: now,
        updated_at: now,
    })
}

/// A contact the caller recorded, still inside the correction window.
fn own_recent_contact(
    conn: &mut DbConnection,
    who: &Identity,
    id: i64,
    now: NaiveDateTime,
    window_hours: u32,
) -> Result<ContactRow, ApiError> {
    who.require(Role::is_care_role)?;
    let row = contacts::find_in_team(conn, id, who.team()?)?.ok_or(ApiError::NotFound)?;
    // What is left of an erased client's contacts are counts: nobody edits those back.
    if let Some(client) = row.client_id
        && clients::is_erased(conn, client)?
    {
        return Err(ApiError::NotFound);
    }
    if row.recorded_by != who.user_id {
        return Err(ApiError::Forbidden(
            "Only the person who recorded a contact can correct or delete it.",
        ));
    }
    if now - row.created_at > TimeDelta::hours(i64::from(window_hours)) {
        return Err(ApiError::Forbidden(
            "The correction window for this contact has passed.",
        ));
    }
    Ok(row)
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
    body: web::Json<UpdateContact>,
) -> Result<web::Json<ContactView>, ApiError> {
    let id = path.into_inner();
    let body = body.into_inner();
    let now = state.clock.now();
    let seen_at = body
        .seen_at
        .as_deref()
        .map(|t| {
            let at = state
                .zone
                .parse_instant(t, Repeated::First)
                .map_err(|e| ApiError::invalid("bad_time", format!("seen_at: {e}")))?;
            check_seen_at(at, now, state.settings.backdate_max_days)?;
            Ok::<_, ApiError>(at)
        })
        .transpose()?;
    let visitor_count = body.anonymous_count.map(anonymous_count).transpose()?;
    let note = body
        .note
        .map(|n| text::optional("note", n.as_deref(), NOTE_MAX))
        .transpose()?;
    let window = state.settings.correction_window_hours;
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let current = own_recent_contact(conn, &who, id, now, window)?;
            if current.client_id.is_some() && visitor_count.is_some()
                || current.client_id.is_none() && body.client_id.is_some()
            {
                return Err(ApiError::invalid(
                    "client_or_anonymous",
                    "A named contact stays named and an anonymous count stays anonymous; delete and record anew instead.",
                ));
            }
            let mut touched: Vec<i64> = current.client_id.into_iter().collect();
            if let Some(new_client) = body.client_id.filter(|c| Some(*c) != current.client_id) {
                let event = Event::on("contact.update", Action::Update, new_client);
                access::client(conn, &who, now, new_client, Need::Read, &event)?;
                touched.push(new_client);
            }
            let changes = ContactChanges {
                client_id: body.client_id.map(Some),
                visitor_count,
                seen_at,
                kind: body.kind.map(|k| k.as_str().to_owned()),
                services: body.services.as_deref().map(services_to_stored),
                note,
                updated_at: now,
            };
            write_transaction(conn, |conn| {
                contacts::update(conn, id, &changes)?;
                for client in &touched {
                    followups::contact_changed(conn, *client, who.user_id, now)?;
                }
                for client in &touched {
                    let event = Event::on("contact.update", Action::Update, *client);
                    audit::record(conn, &who, now, &event, Outcome::Success)?;
                }
                contacts::find_in_team(conn, id, current.team_id)?.ok_or(ApiError::NotFound)
            })
        })
        .await?;
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
    let id = path.into_inner();
    let now = state.clock.now();
    let window = state.settings.correction_window_hours;
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let current = own_recent_contact(conn, &who, id, now, window)?;
            write_transaction(conn, |conn| {
                contacts::delete(conn, id)?;
                if let Some(client) = current.client_id {
                    let event = Event::on("contact.delete", Action::Delete, client);
                    followups::contact_changed(conn, client, who.user_id, now)?;
                    audit::record(conn, &who, now, &event, Outcome::Success)?;
                }
                Ok::<_, ApiError>(())
            })
        })
        .await?;
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
    let id = path.into_inner();
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.contacts.read", Action::Read, id);
            access::client(conn, &who, now, id, Need::Read, &event)?;
            let rows = contacts::for_client(conn, id)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
    let zone = state.zone;
    rows.into_iter()
        .map(|row| view(zone, row))
        .collect::<Result<_, _>>()
        .map(web::Json)
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
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let id = path.into_inner();
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            shifts::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)?;
            let rows = contacts::for_shift(conn, id)?;
            let event = Event::search("shift.contacts.read");
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
    let zone = state.zone;
    rows.into_iter()
        .map(|row| view(zone, row))
        .collect::<Result<_, _>>()
        .map(web::Json)
}
