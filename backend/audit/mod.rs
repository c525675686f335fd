//! Writes the audit trail: who did what to which client's data, when, from where, and how
//! it ended. Never the content (no alias, no note). Each entry is chained to the one
//! before it by a hash (`chain`), and `inbeeld audit verify` checks the chain.

pub mod chain;

use chrono::NaiveDateTime;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use crate::auth::Identity;
use crate::db::DbConnection;
use crate::db::queries::audit::{self, NewEntry};
use crate::db::queries::users::UserRow;
use crate::domain::code::Code;
use crate::error::{ApiError, RefusalAudited};
use crate::state::AppState;

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
    /// Did not succeed: a wrong password or second-factor code.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// The name under which InBeeld identifies itself as the source system.
pub const SOURCE_SYSTEM: &str = "inbeeld";

/// One event against one client (or none, for searches over many).
#[derive(Clone, Copy)]
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

    /// Signing in and out, second factors, the trail itself: about no client.
    pub fn account(name: &'static str, action: Action) -> Event {
        Event {
            name,
            action,
            client_id: None,
        }
    }
}

/// Who acted, and from where. A failed sign-in may have no user; InBeeld itself has no
/// user, session or address.
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: Option<i64>,
    pub role: Option<&'a str>,
    pub session_id: Option<i64>,
    pub address: Option<&'a str>,
}

impl<'a> Actor<'a> {
    pub fn signed_in(who: &'a Identity) -> Actor<'a> {
        Actor {
            user_id: Some(who.user_id),
            role: Some(who.role.as_str()),
            session_id: Some(who.session_id),
            address: Some(&who.address),
        }
    }

    /// Someone signing in: the account tried, when there is one (never the name typed,
    /// which may be a password typed in the wrong field), and the session once it exists.
    pub fn signing_in(
        user: Option<&'a UserRow>,
        session_id: Option<i64>,
        address: &'a str,
    ) -> Actor<'a> {
        Actor {
            user_id: user.map(|user| user.id),
            role: user.map(|user| user.role.as_str()),
            session_id,
            address: Some(address),
        }
    }

    /// What InBeeld does by itself (the retention sweep), recorded under the role `system`.
    pub const SYSTEM: Actor<'static> = Actor {
        user_id: None,
        role: Some("system"),
        session_id: None,
        address: None,
    };
}

/// Writes one entry. Write it last in a transaction (see `queries::audit::insert`).
pub fn record_by(
    conn: &mut DbConnection,
    actor: Actor,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    audit::insert(
        conn,
        &NewEntry {
            occurred_at: now,
            user_id: actor.user_id,
            role: actor.role,
            session_id: actor.session_id,
            address: actor.address,
            event: event.name,
            action: event.action.code(),
            client_id: event.client_id,
            outcome: outcome.as_str(),
            source: SOURCE_SYSTEM,
        },
    )
    .map(|_| ())
}

/// An entry for what a signed-in user did.
pub fn record(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    record_by(conn, Actor::signed_in(who), now, event, outcome)
}

/// An entry for a read, whose entry is its only write: committed with the other writes
/// waiting (`Db::write`, SQLite's group commit) instead of in a transaction of its own. The
/// read's answer waits for it, so nothing is shown that the trail does not hold. The
/// busiest reads use it (the client list, the client page); the others write their entry
/// on the reading connection, which is as correct and costs a commit of its own each.
pub async fn record_read(
    state: &AppState,
    who: Identity,
    now: NaiveDateTime,
    event: Event,
) -> Result<(), ApiError> {
    state
        .db
        .write(move |conn| Ok(record(conn, &who, now, &event, Outcome::Success)?))
        .await
}

/// An entry for something InBeeld did by itself.
pub fn record_system(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    event: &Event,
    outcome: Outcome,
) -> diesel::QueryResult<()> {
    record_by(conn, Actor::SYSTEM, now, event, outcome)
}

/// Writes a refusal to the trail and gives the error to answer with (403), marked as
/// logged so `log_refusals` does not log it twice.
pub fn refuse(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &Event,
    message: &'static str,
) -> Result<ApiError, ApiError> {
    record(conn, who, now, event, Outcome::Denied)?;
    Ok(ApiError::Refused(message))
}

/// Every other 403 a signed-in user gets (a role check, say) is an entry too: NEN 7513
/// asks for refused authorizations. The refused request's route is in the request log.
pub async fn log_refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let unlogged = res.status() == StatusCode::FORBIDDEN
        && res
            .response()
            .extensions()
            .get::<RefusalAudited>()
            .is_none();
    if !unlogged {
        return Ok(res);
    }
    let who = res.request().extensions().get::<Identity>().cloned();
    let state = res.request().app_data::<web::Data<AppState>>().cloned();
    if let (Some(who), Some(state)) = (who, state) {
        let now = state.clock.now();
        let logged = state
            .db
            .run(move |conn| {
                let event = Event::account("request.refused", Action::Execute);
                Ok(record(conn, &who, now, &event, Outcome::Denied)?)
            })
            .await;
        if let Err(err) = logged {
            tracing::warn!(error = %err, "a refusal could not be written to the audit trail");
        }
    }
    Ok(res)
}
