//! Data rights under the GDPR: everything held about a client for a request of access
//! (`export`), and erasure for good, on request or when the retention period has passed.
//! On request, both are the coordinator's.

pub mod document;
pub mod export;
mod meeting_items;

use chrono::NaiveDateTime;
use rand::Rng;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::clients::ClientRow;
use crate::db::queries::erasure::{self, Erased};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::state::AppState;
use document::ClientExport;

/// Everything held about the client, for a request of access (action E). The export is
/// read first and its entry written after, so the trail it holds ends before it.
pub async fn export_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<ClientExport, ApiError> {
    let now = state.clock.now();
    let zone = state.zone;
    let id = client.get();
    let event = Event::on("client.export", Action::Execute, id);
    let reader = who.clone();
    let document = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let client = client_for_coordinator(conn, &reader, now, id, &event)?;
            export::gather(conn, client, zone, now)
        })
        .await?;
    audit::record_read(state, who.clone(), now, event).await?;
    Ok(document)
}

/// Erases a closed client on the coordinator's request, once `confirm_code` repeats her
/// code, then clears the old page versions from disk (`Db::flush_erased`).
pub async fn erase_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    confirm_code: String,
) -> Result<Erased, ApiError> {
    let now = state.clock.now();
    let who = who.clone();
    let id = client.get();
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
            erase(conn, id, ErasedBy::Coordinator(&who), now)?.ok_or_else(not_closed)
        })
        .await?;
    state.db.flush_erased().await?;
    Ok(erased)
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

fn not_closed() -> ApiError {
    ApiError::conflict(
        "client_not_closed",
        "Close the client first (POST /api/v1/clients/{id}/close): her exit date keeps the outflow figures true.",
    )
}

/// Who erases: a coordinator on request, or InBeeld itself when the retention period ends.
#[derive(Clone, Copy)]
pub enum ErasedBy<'a> {
    Coordinator(&'a Identity),
    Retention,
}

/// Erases a closed client and writes the audit entry (her id only), inside the caller's
/// write transaction; once it is committed, `Db::flush_erased` clears the old page
/// versions from disk. `None` when she is not closed or is gone.
pub fn erase(
    conn: &mut DbConnection,
    client_id: i64,
    by: ErasedBy,
    now: NaiveDateTime,
) -> Result<Option<Erased>, ApiError> {
    let pseudonym = pseudonym();
    let Some(erased) = erasure::erase(conn, client_id, &pseudonym, now)? else {
        return Ok(None);
    };
    match by {
        ErasedBy::Coordinator(who) => {
            let event = Event::on("client.erase", Action::Delete, client_id);
            audit::record(conn, who, now, &event, Outcome::Success)?;
        }
        ErasedBy::Retention => {
            let event = Event::on("client.erase.retention", Action::Delete, client_id);
            audit::record_system(conn, now, &event, Outcome::Success)?;
        }
    }
    Ok(Some(erased))
}

/// A random code such as `X-7KQ2XM4B` for an erased client's tombstone: unrelated to
/// anything she was called, so it links her to nothing outside InBeeld.
fn pseudonym() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("X-{tail}")
}
