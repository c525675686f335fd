//! Unlocking a locked session with a passkey: her fingerprint, face or screen lock instead
//! of the PIN. Like the PIN it only reopens a session that had both factors, on the device
//! it was opened on, and it hands out the same device key, so the phone's store stays
//! protected as with the PIN: without a live session and her verification, no key.

use webauthn_rs::prelude::PublicKeyCredential;

use super::{Ceremony, ceremony_gone, keys_of, open_ceremony, take_ceremony, used, verified};
use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::devices::{self, Key};
use crate::db::queries::devices as device_rows;
use crate::error::ApiError;
use crate::state::AppState;

const KIND: &str = "unlock";

fn event() -> Event {
    Event::account("session.unlock.passkey", Action::Execute)
}

/// Starts unlocking her session on this device with one of her passkeys. Without a passkey
/// she uses her PIN (`no_passkey`); a session without a device has nothing to unlock.
pub async fn unlock_start(state: &AppState, who: &Identity) -> Result<Ceremony, ApiError> {
    let now = state.clock.now();
    let (user, session) = (who.user_id, who.session_id);
    let keys = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            device_rows::of_session(conn, session)?
                .filter(|device| device.store_key.is_some())
                .ok_or(ApiError::DeviceRevoked)?;
            keys_of(conn, user)
        })
        .await?;
    if keys.is_empty() {
        return Err(ApiError::NoPasskey);
    }
    let (options, authentication) = state
        .webauthn
        .start_passkey_authentication(&keys)
        .map_err(ApiError::internal)?;
    open_ceremony(state, user, KIND, &options, &authentication, now).await
}

/// Finishes unlocking: with her verification the session is live again and the app gets
/// its device key. A refusal is an audited failure and leaves the session locked.
pub async fn unlock_finish(
    state: &AppState,
    who: &Identity,
    ceremony_id: i64,
    sent: PublicKeyCredential,
) -> Result<Key, ApiError> {
    let now = state.clock.now();
    let (_, ceremony) = take_ceremony(state, ceremony_id, KIND, now)
        .await?
        .filter(|(user, _)| *user == who.user_id)
        .ok_or_else(ceremony_gone)?;
    let who = who.clone();
    let lock_minutes = state.settings.lock_minutes;
    let Some(result) = verified(state, &ceremony, sent, true).await? else {
        audit::record_alone(state, who, now, event(), Outcome::Failed).await?;
        return Err(ApiError::invalid(
            "passkey_not_verified",
            "The passkey did not unlock. Use your PIN or sign in again.",
        ));
    };
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            used(conn, who.user_id, &result, now)?;
            let device =
                device_rows::of_session(conn, who.session_id)?.ok_or(ApiError::DeviceRevoked)?;
            devices::reopen(conn, &who, &device, now, &event(), lock_minutes)
        })
        .await
}
