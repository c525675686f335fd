//! Devices: the key to a phone's offline store, handed only to a live, unlocked session on
//! that device; its PIN, which unlocks a locked session; and locking. The PIN itself never
//! reaches the server, only a proof derived from it on the phone, kept as an argon2id hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use rand::RngCore;

use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::{Identity, slow};
use crate::auth::password;
use crate::db::DbConnection;
use crate::db::queries::devices::{self, DeviceRow};
use crate::db::queries::sessions;
use crate::error::ApiError;
use crate::state::AppState;

/// Wrong PINs in a row before the PIN is removed (and the session ends).
const PIN_TRIES: i32 = 5;

/// What the app needs to open its offline store on this device.
pub struct Key {
    pub device: String,
    /// Wraps the app's own store key.
    pub store_key: String,
    /// A PIN is set for this device.
    pub pin: bool,
    /// After this long without use the app locks, and so does the session.
    pub lock_minutes: u32,
}

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

fn key_of(row: &DeviceRow, lock_minutes: u32) -> Result<Key, ApiError> {
    Ok(Key {
        device: row.id.clone(),
        store_key: row.store_key.clone().ok_or(ApiError::DeviceRevoked)?,
        pin: row.pin_hash.is_some(),
        lock_minutes,
    })
}

/// The key of the device `claimed` (hers, not revoked), or of a new device when she names
/// none. Ties the session to the device, so that ending one ends the other.
pub async fn claim(
    state: &AppState,
    who: &Identity,
    claimed: Option<String>,
) -> Result<Key, ApiError> {
    let now = state.clock.now();
    let lock_minutes = state.settings.lock_minutes;
    let who = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let row = match claimed {
                Some(id) => devices::find(conn, &id)?
                    .filter(|row| row.user_id == who.user_id)
                    .ok_or(ApiError::DeviceRevoked)?,
                None => {
                    let id = random_b64(16);
                    devices::create(conn, &id, who.user_id, &random_b64(32), now)?;
                    let event = Event::account("device.register", Action::Create);
                    audit::record(conn, &who, now, &event, Outcome::Success)?;
                    devices::find(conn, &id)?.ok_or(ApiError::NotFound)?
                }
            };
            let key = key_of(&row, lock_minutes)?;
            devices::link_session(conn, who.session_id, &row.id)?;
            Ok(key)
        })
        .await
}

/// Sets (or changes) the PIN of the device her session is on; `proof` is derived from it
/// on the phone.
pub async fn set_pin(state: &AppState, who: &Identity, proof: String) -> Result<(), ApiError> {
    let hash = slow::run(move || password::hash(&proof))
        .await?
        .map_err(ApiError::internal)?;
    let now = state.clock.now();
    let event = Event::account("device.pin_set", Action::Update);
    audit::write_logged(state, who, now, event, move |conn, who| {
        let device = devices::of_session(conn, who.session_id)?
            .ok_or_else(|| ApiError::conflict("no_device", "Ask for this device's key first."))?;
        devices::set_pin(conn, &device.id, &hash)?;
        Ok(())
    })
    .await
}

/// Locks her session now (the app's lock button, or its idle timer).
pub async fn lock(state: &AppState, who: &Identity) -> Result<(), ApiError> {
    let now = state.clock.now();
    let session = who.session_id;
    state
        .db
        .write(move |conn| Ok::<_, ApiError>(sessions::lock(conn, session, now)?))
        .await?;
    Ok(())
}

/// Unlocks her session with the device's PIN (`proof`) and hands out the store key again.
/// A wrong PIN is counted, and the fifth in a row removes the PIN and ends the session.
pub async fn unlock(state: &AppState, who: &Identity, proof: String) -> Result<Key, ApiError> {
    let session = who.session_id;
    let now = state.clock.now();
    let lock_minutes = state.settings.lock_minutes;
    let event = Event::account("session.unlock", Action::Execute);
    // The attempt counts before the PIN is checked, so that guesses sent at once get no
    // more checks between them than PIN_TRIES; those beyond it are refused unchecked.
    let attempt = {
        let who = who.clone();
        state
            .db
            .write(move |conn| -> Result<_, ApiError> {
                let device = devices::of_session(conn, session)?
                    .filter(|device| device.pin_hash.is_some())
                    .ok_or_else(|| {
                        ApiError::conflict("no_pin", "No PIN is set on this device; sign in again.")
                    })?;
                let attempt = devices::count_pin_attempt(conn, &device.id)?;
                if attempt > PIN_TRIES {
                    end_with_pin(conn, &device.id, session)?;
                    audit::record(conn, &who, now, &event, Outcome::Denied)?;
                    return Ok(None);
                }
                Ok(Some((device, attempt)))
            })
            .await?
    };
    let Some((device, attempt)) = attempt else {
        return Err(ApiError::Unauthenticated);
    };
    let stored = device.pin_hash.clone().unwrap_or_default();
    let right = slow::run(move || password::verify(&proof, &stored)).await?;
    if !right {
        let last = attempt == PIN_TRIES;
        let who = who.clone();
        state
            .db
            .write(move |conn| -> Result<_, ApiError> {
                if last {
                    end_with_pin(conn, &device.id, session)?;
                }
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                Ok(())
            })
            .await?;
        return Err(if last {
            ApiError::Unauthenticated
        } else {
            ApiError::WrongPin
        });
    }
    let who = who.clone();
    state
        .db
        .write(move |conn| reopen(conn, &who, &device, now, &event, lock_minutes))
        .await
}

/// The session of `who` on `device` is unlocked (by her PIN or her passkey): the count of
/// wrong PINs starts again, the session is live, and the app gets the store key back.
pub(crate) fn reopen(
    conn: &mut DbConnection,
    who: &Identity,
    device: &DeviceRow,
    now: NaiveDateTime,
    event: &Event,
    lock_minutes: u32,
) -> Result<Key, ApiError> {
    devices::forget_pin_failures(conn, &device.id)?;
    sessions::unlock(conn, who.session_id, now)?;
    audit::record(conn, who, now, event, Outcome::Success)?;
    key_of(device, lock_minutes)
}

/// Too many wrong PINs: the PIN goes, and so does the session it would have unlocked.
fn end_with_pin(conn: &mut DbConnection, device: &str, session: i64) -> Result<(), ApiError> {
    devices::remove_pin(conn, device)?;
    sessions::delete(conn, session)?;
    Ok(())
}

/// Whether the device `id` was revoked (an unknown one was not): asked by an app whose
/// session is gone, so that a revoked phone wipes its store at once.
pub async fn revoked(state: &AppState, id: String) -> Result<bool, ApiError> {
    let row = state
        .db
        .read(move |conn| Ok::<_, ApiError>(devices::find(conn, &id)?))
        .await?;
    Ok(row.is_some_and(|row| row.store_key.is_none()))
}
