//! Signing in with a passkey: the session it opens is complete, both factors at once.

use chrono::TimeDelta;
use diesel::Connection;
use webauthn_rs::prelude::PublicKeyCredential;

use super::{CEREMONY_MINUTES, Ceremony, ceremony_gone, keys_of, open_ceremony, used, verified};
use crate::app::audit::{self, Action, Actor, Event, Outcome};
use crate::app::session::{Arrival, open_session};
use crate::app::throttle;
use crate::db::queries::login_failures;
use crate::db::queries::passkeys;
use crate::db::queries::users::{self, UserRow};
use crate::error::ApiError;
use crate::state::AppState;

/// Starts signing in with a passkey of the account `username` (`None`: a name no account
/// can have), an attempt under the sign-in throttle. An account without one is refused
/// like a wrong password, and counted: probing accounts costs the address.
pub async fn sign_in_start(
    state: &AppState,
    username: Option<String>,
    address: String,
) -> Result<Ceremony, ApiError> {
    let now = state.clock.now();
    let settings = state.settings.clone();
    let found = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let attempt = throttle::attempt(conn, &settings, username.as_deref(), &address, now)?;
            let user = match &username {
                Some(name) => users::find_by_username(conn, name)?.filter(|u| u.active),
                None => None,
            };
            let keys = match &user {
                Some(user) => keys_of(conn, user.id)?,
                None => Vec::new(),
            };
            // Without a passkey the attempt stays counted as a failure; with one, it is
            // counted when the ceremony fails.
            Ok(match user.filter(|_| !keys.is_empty()) {
                Some(user) => {
                    attempt.succeeded(conn)?;
                    Some((user, keys))
                }
                None => None,
            })
        })
        .await?;
    let Some((user, keys)) = found else {
        return Err(ApiError::NoPasskey);
    };
    let (options, authentication) = state
        .webauthn
        .start_passkey_authentication(&keys)
        .map_err(ApiError::internal)?;
    open_ceremony(
        state,
        user.id,
        "authenticate",
        &options,
        &authentication,
        now,
    )
    .await
}

/// Finishes signing in with a passkey: the session opened is complete (both factors at
/// once). Returns who signed in.
pub async fn sign_in_finish(
    state: &AppState,
    ceremony_id: i64,
    sent: PublicKeyCredential,
    arrival: Arrival,
) -> Result<UserRow, ApiError> {
    let now = state.clock.now();
    let since = now - TimeDelta::minutes(CEREMONY_MINUTES);
    let (user, ceremony) = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let taken = passkeys::take_ceremony(conn, ceremony_id, "authenticate", since)?;
            // Committed before the check: a ceremony is used up whatever the check says.
            Ok(match taken {
                Some((user_id, ceremony)) => Some((users::find(conn, user_id)?, ceremony)),
                None => None,
            })
        })
        .await?
        .ok_or_else(ceremony_gone)?;
    let event = Event::account("session.sign_in.passkey", Action::Execute);
    let verified = verified(state, &ceremony, sent, user.active).await?;
    let Some(result) = verified else {
        state
            .db
            .write(move |conn| -> Result<_, ApiError> {
                login_failures::record(conn, &user.username, &arrival.address, now)?;
                let actor =
                    Actor::signing_in(Some((user.id, user.role.as_str())), None, &arrival.address);
                Ok(audit::record_by(conn, actor, now, &event, Outcome::Failed)?)
            })
            .await?;
        return Err(ApiError::BadCredentials);
    };
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            used(conn, user.id, &result, now)?;
            // The counter moves on even if opening the session fails: the assertion was
            // used. So the session opens under a savepoint of its own.
            let opened = conn
                .transaction(|conn| open_session(conn, &user, &arrival, Some(now), now, &event));
            Ok(opened.map(|_| user))
        })
        .await?
}
