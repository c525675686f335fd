//! Shift handover notes: the staff of a shift leave a note for the next shift at the same
//! location. A note may mention clients, so reading and writing one is audit-logged and
//! its text never reaches a log line.

use actix_web::{get, put, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::shift_handover::{self, Note};
use crate::app::shifts::worker_team;
use crate::domain::ids::ShiftId;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
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

impl Handover {
    fn of(zone: Zone, handover: shift_handover::Handover) -> Handover {
        let local = |note: Note| HandoverNote {
            shift_id: note.shift_id,
            shift_starts_at: zone.to_local(note.shift_starts_at),
            note: note.text,
            written_by: note.written_by,
            written_at: zone.to_local(note.written_at),
        };
        Handover {
            previous: handover.previous.map(local),
            own: handover.own.map(local),
        }
    }
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
    let handover = shift_handover::read(&state, &who, ShiftId(path.into_inner())).await?;
    Ok(web::Json(Handover::of(state.zone, handover)))
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
    body: Json<HandoverInput>,
) -> Result<web::Json<Handover>, ApiError> {
    worker_team(&who)?;
    let note = text::bounded("note", &body.note, MAX_NOTE_CHARS)?;
    let id = ShiftId(path.into_inner());
    let handover = shift_handover::write(&state, &who, id, note).await?;
    Ok(web::Json(Handover::of(state.zone, handover)))
}
