//! Passkeys: registering one (or several) after signing in, signing in with one
//! (`sign_in`), unlocking a locked session with one (`unlock`), renaming and removing
//! them. Each WebAuthn ceremony is two requests; its state waits in the database in
//! between (`webauthn_ceremonies`), used once, for five minutes at most.
//! The ceremonies' checks run between the reads and writes, never inside a write.

use chrono::{NaiveDateTime, TimeDelta};
use serde::Serialize;
use webauthn_rs::prelude::{
    AuthenticationResult, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};

use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::throttle::password_again;
use crate::app::{Identity, read_own, slow};
use crate::auth::passkey;
use crate::db::DbConnection;
use crate::db::queries::passkeys::{self, NewPasskey, PasskeyRow};
use crate::db::queries::users;
use crate::error::ApiError;
use crate::state::AppState;

mod sign_in;
mod unlock;

pub use sign_in::{sign_in_finish, sign_in_start};
pub use unlock::{unlock_finish, unlock_start};

/// How long a ceremony may take between its two requests.
const CEREMONY_MINUTES: i64 = 5;

/// The first half of a ceremony: its id, and what the browser passes to
/// `navigator.credentials` (`{"publicKey": ...}`).
pub struct Ceremony {
    pub id: i64,
    pub options: serde_json::Value,
}

/// Keeps the ceremony's `state` for its second request and gives the browser `options`.
async fn open_ceremony(
    state: &AppState,
    user_id: i64,
    kind: &'static str,
    options: &impl Serialize,
    ceremony: &impl Serialize,
    now: NaiveDateTime,
) -> Result<Ceremony, ApiError> {
    let ceremony = stored(ceremony)?;
    let id = state
        .db
        .write(move |conn| {
            Ok::<_, ApiError>(passkeys::start_ceremony(
                conn, user_id, kind, &ceremony, now,
            )?)
        })
        .await?;
    Ok(Ceremony {
        id,
        options: serde_json::to_value(options).map_err(ApiError::internal)?,
    })
}

/// Takes the ceremony `id` of `kind` in a write of its own, so that it finishes at most
/// once, also when its check fails: its user and state. Stale ones go meanwhile.
async fn take_ceremony(
    state: &AppState,
    id: i64,
    kind: &'static str,
    now: NaiveDateTime,
) -> Result<Option<(i64, String)>, ApiError> {
    let since = now - TimeDelta::minutes(CEREMONY_MINUTES);
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(passkeys::take_ceremony(conn, id, kind, since)?))
        .await
}

fn stored<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

fn restored<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

/// A user's passkeys as webauthn-rs uses them.
fn keys_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<Passkey>, ApiError> {
    passkeys::for_user(conn, user_id)?
        .iter()
        .map(|row| restored(&row.credential))
        .collect()
}

/// Checks the browser's answer `sent` against the ceremony's stored state: what it proved,
/// when the passkey verified her (fingerprint, face or screen lock) and her account is
/// active. The check is slow, so it runs off the request threads.
async fn verified(
    state: &AppState,
    ceremony: &str,
    sent: PublicKeyCredential,
    active: bool,
) -> Result<Option<AuthenticationResult>, ApiError> {
    let authentication: PasskeyAuthentication = restored(ceremony)?;
    let webauthn = state.webauthn.clone();
    slow::run(move || {
        webauthn
            .finish_passkey_authentication(&sent, &authentication)
            .ok()
            .filter(|result| result.user_verified() && active)
    })
    .await
}

/// Moves the used passkey's counter on. It must be one of `user_id`'s passkeys.
fn used(
    conn: &mut DbConnection,
    user_id: i64,
    result: &AuthenticationResult,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let credential_id = passkey::credential_key(result.cred_id());
    let row = passkeys::find_by_credential_id(conn, &credential_id)?
        .filter(|row| row.user_id == user_id)
        .ok_or(ApiError::BadCredentials)?;
    let mut key: Passkey = restored(&row.credential)?;
    key.update_credential(result);
    passkeys::used(conn, row.id, &stored(&key)?, now)?;
    Ok(())
}

fn ceremony_gone() -> ApiError {
    ApiError::conflict(
        "ceremony_expired",
        "This passkey request has expired or was used already. Start again.",
    )
}

/// Her passkeys, oldest first.
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<PasskeyRow>, ApiError> {
    read_own(state, who, passkeys::for_user).await
}

/// Starts registering a passkey on her device.
pub async fn register_start(state: &AppState, who: &Identity) -> Result<Ceremony, ApiError> {
    let now = state.clock.now();
    let user = who.user_id;
    let (user, keys) = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, user)?;
            let keys = keys_of(conn, user.id)?;
            Ok((user, keys))
        })
        .await?;
    let existing = keys.iter().map(|key| key.cred_id().clone()).collect();
    let (options, registration) = state
        .webauthn
        .start_passkey_registration(
            passkey::user_handle(user.id),
            &user.username,
            &user.display_name,
            Some(existing),
        )
        .map_err(ApiError::internal)?;
    open_ceremony(state, user.id, "register", &options, &registration, now).await
}

/// Finishes registering: the new passkey, called `name`, is hers. A refused one is an
/// audited failure.
pub async fn register_finish(
    state: &AppState,
    who: &Identity,
    ceremony_id: i64,
    name: String,
    sent: RegisterPublicKeyCredential,
) -> Result<PasskeyRow, ApiError> {
    let now = state.clock.now();
    let (user_id, ceremony) = take_ceremony(state, ceremony_id, "register", now)
        .await?
        .filter(|(user, _)| *user == who.user_id)
        .ok_or_else(ceremony_gone)?;
    let registration: PasskeyRegistration = restored(&ceremony)?;
    let event = Event::account("second_factor.passkey.register", Action::Create);
    let webauthn = state.webauthn.clone();
    let key = slow::run(move || {
        webauthn
            .finish_passkey_registration(&sent, &registration)
            .ok()
    })
    .await?;
    let Some(key) = key else {
        audit::record_alone(state, who.clone(), now, event, Outcome::Failed).await?;
        return Err(ApiError::invalid(
            "passkey_refused",
            "The passkey could not be registered. Try again.",
        ));
    };
    let credential_id = passkey::credential_key(key.cred_id());
    let credential = stored(&key)?;
    audit::write_logged(state, who, now, event, move |conn, _| {
        let passkey = NewPasskey {
            user_id,
            name: &name,
            credential_id: &credential_id,
            credential: &credential,
        };
        Ok(passkeys::insert(conn, &passkey, now)?)
    })
    .await
}

/// Renames one of her passkeys; another's does not exist for her.
pub async fn rename(
    state: &AppState,
    who: &Identity,
    id: i64,
    name: String,
) -> Result<PasskeyRow, ApiError> {
    let user = who.user_id;
    state
        .db
        .write(move |conn| passkeys::rename(conn, user, id, &name)?.ok_or(ApiError::NotFound))
        .await
}

/// Removes one of her passkeys, given her password again.
pub async fn remove(
    state: &AppState,
    who: &Identity,
    id: i64,
    password: String,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let event = Event::account("second_factor.passkey.remove", Action::Delete);
    password_again(state, who, password, &event, now).await?;
    audit::write_logged(state, who, now, event, move |conn, who| {
        if passkeys::remove(conn, who.user_id, id)? == 0 {
            return Err(ApiError::NotFound);
        }
        Ok(())
    })
    .await
}
