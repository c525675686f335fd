//! Shift handover notes: the staff of a shift leave a note for the next shift at the same
//! location. A note may mention clients, so reading and writing one is audit-logged and
//! its text never reaches a log line.

use actix_web::{get, put, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shifts::{find_shift, shift_team};
use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::shifts::{self, ShiftRow};
use crate::db::queries::users;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(read_handover).service(write_handover);
}

const MAX_NOTE_CHARS: usize = 2000;

#[derive(Serialize, ToSchema)]
pub struct HandoverNote {
    /// The shift the note was written on.
    shift_id: i64,
    shift_starts_at: DateTime<FixedOffset>,
    note: String,
    written_by: String,
    written_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct Handover {
    /// Left for this shift by the last earlier shift at its location with a note.
    previous: Option<HandoverNote>,
    /// This shift's own note for the next one.
    own: Option<HandoverNote>,
}

fn note_view(zone: Zone, shift: ShiftRow, written_by: String) -> Option<HandoverNote> {
    Some(HandoverNote {
        shift_id: shift.id,
        shift_starts_at: zone.to_local(shift.starts_at),
        note: shift.handover_note?,
        written_by,
        written_at: zone.to_local(shift.handover_at?),
    })
}

/// The note left for this shift and its own note.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    responses((status = 200, body = Handover), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/shifts/{id}/handover")]
async fn read_handover(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Handover>, ApiError> {
    let team = shift_team(&who)?;
    let id = path.into_inner();
    let zone = state.zone;
    let now = state.clock.now();
    let handover = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let shift = find_shift(conn, id, team)?;
            let previous = shifts::previous_handover(conn, &shift)?
                .and_then(|(row, name)| note_view(zone, row, name));
            let own_author = match shift.handover_by {
                Some(user) => users::find(conn, user)?.display_name,
                None => String::new(),
            };
            let own = note_view(zone, shift, own_author);
            let event = Event {
                name: "shift.handover.read",
                action: Action::Read,
                client_id: None,
            };
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(Handover { previous, own })
        })
        .await?;
    Ok(web::Json(handover))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverInput {
    /// What the next shift needs to know; at most 2000 characters.
    note: String,
}

/// Write (or rewrite) this shift's handover note: staff of the shift or the coordinator.
#[utoipa::path(
    tag = "shifts",
    params(("id" = i64, Path)),
    request_body = HandoverInput,
    responses((status = 200, body = Handover), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/shifts/{id}/handover")]
async fn write_handover(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<HandoverInput>,
) -> Result<web::Json<Handover>, ApiError> {
    let team = shift_team(&who)?;
    let id = path.into_inner();
    let note = text::bounded("note", &body.note, MAX_NOTE_CHARS)?;
    let zone = state.zone;
    let now = state.clock.now();
    let handover = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let shift = find_shift(conn, id, team)?;
            let on_shift = shifts::staff_entry(conn, shift.id, who.user_id)?.is_some();
            if !on_shift && !who.role.coordinates() {
                return Err(ApiError::Forbidden(
                    "Only the staff of this shift and the coordinator write its handover note.",
                ));
            }
            shifts::set_handover(conn, shift.id, &note, who.user_id, now)?;
            let event = Event {
                name: "shift.handover.write",
                action: Action::Update,
                client_id: None,
            };
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            let previous = shifts::previous_handover(conn, &shift)?
                .and_then(|(row, name)| note_view(zone, row, name));
            let author = users::find(conn, who.user_id)?.display_name;
            let own = note_view(zone, find_shift(conn, id, team)?, author);
            Ok(Handover { previous, own })
        })
        .await?;
    Ok(web::Json(handover))
}
