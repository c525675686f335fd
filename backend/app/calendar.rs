//! Each worker's shifts as an iCalendar feed at a secret, revocable address. Calendar apps
//! cannot sign in, so the secret is the credential: 256 random bits, only its hash stored,
//! a new one replacing the old.

use chrono::{NaiveDateTime, TimeDelta};

use super::shifts::worker_team;
use crate::app::{Identity, read_own};
use crate::auth::token::{new_token, token_hash};
use crate::db::queries::{rota, shifts};
use crate::domain::ical::{self, Event};
use crate::error::ApiError;
use crate::state::AppState;

/// How far back and ahead the feed reaches.
const FEED_PAST: TimeDelta = TimeDelta::days(30);
const FEED_AHEAD: TimeDelta = TimeDelta::days(180);

/// When the caller's feed was made; `None` when she has none.
pub async fn feed_made_at(
    state: &AppState,
    who: &Identity,
) -> Result<Option<NaiveDateTime>, ApiError> {
    worker_team(who)?;
    read_own(state, who, rota::feed_created_at).await
}

/// Makes a new feed secret for the caller, which ends any earlier one, and gives it out:
/// this once, as only its hash is kept.
pub async fn new_feed(state: &AppState, who: &Identity) -> Result<String, ApiError> {
    worker_team(who)?;
    let (token, hash) = new_token();
    let (me, now) = (who.user_id, state.clock.now());
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(rota::set_feed(conn, me, &hash, now)?))
        .await?;
    Ok(token)
}

/// Ends the caller's feed.
pub async fn revoke_feed(state: &AppState, who: &Identity) -> Result<(), ApiError> {
    worker_team(who)?;
    let me = who.user_id;
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(rota::revoke_feed(conn, me)?))
        .await?;
    Ok(())
}

/// The feed whose secret is `token`, as iCalendar text: its owner's shifts from 30 days
/// back to 180 days ahead, cancelled ones marked. 404 for a secret no active user holds.
pub async fn feed(state: &AppState, token: &str) -> Result<String, ApiError> {
    let hash = token_hash(token);
    let now = state.clock.now();
    let rows = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let user = rota::feed_owner(conn, &hash)?.ok_or(ApiError::NotFound)?;
            Ok(shifts::of_user(
                conn,
                user,
                now - FEED_PAST,
                now + FEED_AHEAD,
            )?)
        })
        .await?;
    let events: Vec<Event> = rows
        .into_iter()
        .map(|(shift, place)| Event {
            uid: format!("shift-{}@inbeeld", shift.id),
            starts_at: shift.starts_at,
            ends_at: shift.ends_at,
            summary: format!("Dienst {place}"),
            location: place,
            cancelled: shift.cancelled_at.is_some(),
        })
        .collect();
    Ok(ical::feed(state.zone, "InBeeld rooster", &events, now))
}
