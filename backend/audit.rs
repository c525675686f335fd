//! Writes the audit trail: who did what to which client's data, when, from where, and how
//! it ended. Never the content (no alias, no note).

use chrono::NaiveDateTime;

use crate::auth::Identity;
use crate::db::DbConnection;
use crate::db::queries::audit::{self, NewEntry};
use crate::domain::code::Code;

/// NEN 7513 action codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Read,
    Update,
    Delete,
    /// Execute: searches and exports.
    Execute,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "C",
            Action::Read => "R",
            Action::Update => "U",
            Action::Delete => "D",
            Action::Execute => "E",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Refused: the role or team does not give access.
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
        }
    }
}

/// The name under which InBeeld identifies itself as the source system.
pub const SOURCE_SYSTEM: &str = "inbeeld";

/// One event against one client (or none, for searches over many).
pub struct Event {
    pub name: &'static str,
    pub action: Action,
    pub client_id: Option<i64>,
}

impl Event {
    pub fn on(name: &'static str, action: Action, client_id: i64) -> Event {
        Event {
            name,
            action,
            client_id: Some(client_id),
        }
    }

    pub fn search(name: &'static str) -> Event {
        Event {
            name,
            action: Action::Execute,
            client_id: None,
        }
    }
}

pub fn record(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    audit::insert(
        conn,
        &NewEntry {
            occurred_at: now,
            user_id: Some(who.user_id),
            role: Some(who.role.as_str()),
            session_id: Some(who.session_id),
            address: Some(&who.address),
            event: event.name,
            action: event.action.code(),
            client_id: event.client_id,
            outcome: outcome.as_str(),
            source: SOURCE_SYSTEM,
        },
    )
    .map(|_| ())
}

/// The role recorded for what InBeeld does by itself (the retention sweep).
const SYSTEM_ROLE: &str = "system";

/// An entry for something InBeeld did by itself, with no user, session or address.
pub fn record_system(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    audit::insert(
        conn,
        &NewEntry {
            occurred_at: now,
            user_id: None,
            role: Some(SYSTEM_ROLE),
            session_id: None,
            address: None,
            event: event.name,
            action: event.action.code(),
            client_id: event.client_id,
            outcome: outcome.as_str(),
            source: SOURCE_SYSTEM,
        },
    )
    .map(|_| ())
}
