//! A write to her plan that the phone's outbox may send again: the need-to-know check for
//! an edit, then with an `Idempotency-Key` used before the answer it gave (the same
//! request: a replay, in the trail as a read of her plan) or 422 `idempotency_key_reused`;
//! else the write, the key it came with, and its audit entry, in one transaction.

use chrono::{NaiveDate, NaiveDateTime};

use super::Written;
use super::read::{self, Action, Goal};
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action as Audited, Event, Outcome};
use crate::app::retry::Retry;
use crate::db::queries::clients::ClientRow;
use crate::db::queries::plan::{self as queries, KeyUse};
use crate::db::{DbConnection, is_unique_violation};
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::state::AppState;

/// What a keyed write makes, how the trail names it, and how it is read back.
pub struct Kind<T> {
    event: (&'static str, Audited),
    /// As `plan_idempotency_keys.target` stores it.
    target: &'static str,
    load: fn(&mut DbConnection, i64, i64, NaiveDate) -> Result<T, ApiError>,
}

pub const GOAL: Kind<Goal> = Kind {
    event: ("client.goal.create", Audited::Create),
    target: "goal",
    load: read::goal,
};

pub const GOAL_CHANGE: Kind<Goal> = Kind {
    event: ("client.goal.update", Audited::Update),
    target: "goal_change",
    load: read::goal,
};

pub const ACTION: Kind<Action> = Kind {
    event: ("client.action.create", Audited::Create),
    target: "action",
    load: read::action,
};

pub const ACTION_STATUS: Kind<Action> = Kind {
    event: ("client.action.update", Audited::Update),
    target: "action_status",
    load: read::action,
};

pub const ACTION_CHANGE: Kind<Action> = Kind {
    event: ("client.action.update", Audited::Update),
    target: "action_change",
    load: read::action,
};

/// Runs `write` (which answers the id of the goal or action it wrote) as the module says.
pub async fn write<T, F>(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    kind: Kind<T>,
    retry: Option<Retry>,
    write: F,
) -> Result<Written<T>, ApiError>
where
    F: FnOnce(&mut DbConnection, ClientRow, &Identity, NaiveDateTime) -> Result<i64, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (who, now, zone) = (who.clone(), state.clock.now(), state.zone);
    state
        .db
        .write(move |conn| {
            let today = zone.local_date(now);
            let event = Event::on(kind.event.0, kind.event.1, id.get());
            let client = access::client(conn, &who, now, id.get(), Need::Edit, &event)?;
            if let Some(retry) = &retry
                && let Some((hash, client_id, target, target_id)) =
                    queries::idempotency_lookup(conn, who.user_id, &retry.key)?
            {
                // The key used for another client or another kind of write was another
                // request.
                let same = client_id == id.get() && target == kind.target;
                retry.same_as(Some(hash.as_str()).filter(|_| same))?;
                let replayed = (kind.load)(conn, id.get(), target_id, today)?;
                let read = Event::on("client.plan.read", Audited::Read, id.get());
                audit::record(conn, &who, now, &read, Outcome::Success)?;
                return Ok(Written::Replay(replayed));
            }
            let target_id = write(conn, client, &who, now)?;
            if let Some(retry) = &retry {
                let used = KeyUse {
                    user_id: who.user_id,
                    key: &retry.key,
                    request_hash: &retry.request_hash,
                    client_id: id.get(),
                    target: kind.target,
                    target_id,
                    now,
                };
                queries::idempotency_remember(conn, &used).map_err(|e| {
                    if is_unique_violation(&e) {
                        ApiError::conflict(
                            "idempotency_key_in_use",
                            "A request with this Idempotency-Key is being handled; try again.",
                        )
                    } else {
                        e.into()
                    }
                })?;
            }
            let written = (kind.load)(conn, id.get(), target_id, today)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(Written::New(written))
        })
        .await
}
