//! Need-to-know, enforced in one place: which clients, shifts and contacts a user may reach.
//! A client of another team answers 404, exactly like a client that does not exist, and
//! every refusal is written to the audit trail.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::Identity;
use crate::db::DbConnection;
use crate::db::queries::clients::{self, ClientRow};
use crate::domain::role::Role;
use crate::error::ApiError;

/// What the caller wants to do with the client's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    Edit,
}

/// The client `client_id` if `who` may reach her for `need`; the refusal is audit-logged.
pub fn client(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    client_id: i64,
    need: Need,
    event: &Event,
) -> Result<ClientRow, ApiError> {
    let allowed = match need {
        Need::Read => who.role.reads_clients(),
        Need::Edit => who.role.edits_clients(),
    };
    let refusal = if !allowed && !who.role.reads_clients() {
        Some(ApiError::Forbidden(
            "Your role gives no access to client data.",
        ))
    } else if !allowed {
        Some(ApiError::Forbidden(
            "Your role may not change client files.",
        ))
    } else if who.role == Role::ProcessDirector {
        // Her view of escalated clients arrives with escalation; until then, none exist.
        Some(ApiError::NotFound)
    } else {
        None
    };
    if let Some(err) = refusal {
        audit::record(conn, who, now, event, Outcome::Denied)?;
        return Err(err);
    }
    let team = who.team()?;
    match clients::find_in_team(conn, client_id, team)? {
        Some(found) => Ok(found),
        None => {
            audit::record(conn, who, now, event, Outcome::Denied)?;
            Err(ApiError::NotFound)
        }
    }
}

/// The team whose clients `who` may list, or a refusal. The process director lists none yet.
pub fn client_list_team(who: &Identity) -> Result<Option<i64>, ApiError> {
    who.require(Role::reads_clients)?;
    if who.role == Role::ProcessDirector {
        return Ok(None);
    }
    who.team().map(Some)
}
