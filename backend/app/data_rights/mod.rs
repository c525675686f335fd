//! Data rights under the GDPR: everything held about a client for a request of access
//! (`export`), and erasure for good, on request or when the retention period has passed.

pub mod export;

use chrono::NaiveDateTime;
use rand::Rng;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::erasure::{self, Erased};
use crate::error::ApiError;

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
