//! Need-to-know, enforced in one place: which clients, shifts and contacts a user may reach.
//! A client of another team answers 404, exactly like a client that does not exist, and
//! every refusal is written to the audit trail (`ApiError::Denied`). The process director reaches only clients
//! with a follow-up or a stagnation escalated to her (see `domain::escalation`).

use chrono::NaiveDateTime;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::clients::{self, ClientRow, Scope};
use crate::db::queries::{escalations, stagnations};
use crate::domain::escalation;
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

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
        Some("Your role gives no access to client data.")
    } else if !allowed {
        Some("Your role may not change client files.")
    } else {
        None
    };
    if let Some(message) = refusal {
        return Err(ApiError::denied(*event, ApiError::Forbidden(message)));
    }
    let found = if who.role == Role::ProcessDirector {
        if director_sees(conn, client_id, now)? {
            clients::find(conn, client_id)?
        } else {
            None
        }
    } else {
        clients::find_in_team(conn, client_id, who.team()?)?
    };
    match found {
        Some(found) => Ok(found),
        None => Err(ApiError::denied(*event, ApiError::NotFound)),
    }
}

/// Reads something of one client's file: the need-to-know check for her and `read`, then
/// the audit entry `event_name` (a read of her data), as `audit::read_logged` does.
pub async fn read_of_client<T, F>(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event_name: &'static str,
    read: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let event = Event::on(event_name, Action::Read, id.get());
    audit::read_logged(state, who, event, move |conn, who, now| {
        client(conn, who, now, id.get(), Need::Read, &event)?;
        read(conn)
    })
    .await
}

/// Reads one part of a client's file with `query`, given her id, as `read_of_client` does
/// (the need-to-know check, then the audit entry `event_name`).
pub async fn query_of_client<T, F>(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event_name: &'static str,
    query: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, i64) -> diesel::QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    read_of_client(state, who, id, event_name, move |conn| {
        Ok(query(conn, id.get())?)
    })
    .await
}

/// Changes something in one client's file, in one write: the need-to-know check for an
/// edit (`action` on her, as the trail records it), `change` with her file, who changes
/// it and the moment, then the audit entry, last.
pub async fn change_of_client<T, F>(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event: (&'static str, Action),
    change: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, ClientRow, &Identity, NaiveDateTime) -> Result<T, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (who, now) = (who.clone(), state.clock.now());
    let event = Event::on(event.0, event.1, id.get());
    state
        .db
        .write(move |conn| {
            let found = client(conn, &who, now, id.get(), Need::Edit, &event)?;
            let done = change(conn, found, &who, now)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(done)
        })
        .await
}

/// The clients `who` may list or search: her team's, or for the process director those
/// escalated to her.
pub fn client_scope(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
) -> Result<Scope, ApiError> {
    who.require(Role::reads_clients)?;
    if who.role == Role::ProcessDirector {
        return Ok(Scope::Only(director_clients(conn, now)?));
    }
    who.team().map(Scope::Team)
}

/// Whether the process director may see client `client_id`: a follow-up of hers escalated
/// to the director, or a stagnation reported; open, or closed within the time
/// `domain::escalation` keeps it in view. Her file, her signals and the lists all ask this.
pub fn director_sees(
    conn: &mut DbConnection,
    client_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    let closed_after = escalation::visible_closed_after(now);
    Ok(
        escalations::visible_to_director(conn, client_id, closed_after)?
            || stagnations::visible_to_director(conn, client_id, closed_after)?,
    )
}

/// The clients the process director may see (`director_sees`), in id order.
pub fn director_clients(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<i64>> {
    let closed_after = escalation::visible_closed_after(now);
    let mut ids = escalations::director_client_ids(conn, closed_after)?;
    ids.extend(stagnations::director_client_ids(conn, closed_after)?);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
