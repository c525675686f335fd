//! The phone's offline store and the lock.
//!
//! The PWA encrypts what it keeps on the phone (cached client list, queued contacts) with
//! a key of its own that never leaves the phone unwrapped; at rest that key is wrapped
//! with its device's `store_key`, which only this server holds and hands only to a live,
//! unlocked session on that device. Revoking the device erases the `store_key`, which
//! makes the phone's copy unreadable wherever the phone is.
//!
//! A session locks after `lock_minutes` without use, or when the app locks it; then it
//! reaches nothing until it is unlocked with the device's PIN (here, online), with one of
//! her passkeys (her fingerprint, face or screen lock), or replaced by a new sign-in. The PIN itself never reaches the server: the app sends a proof
//! derived from it (PBKDF2 on the phone), of which only an argon2id hash is kept, and
//! five wrong ones in a row remove the PIN and end the session.

use actix_web::{HttpResponse, post, put, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::signing_in::{Ceremony, CeremonyAnswer};
use crate::app::Identity;
use crate::app::devices::{self, Key};
use crate::app::passkeys;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::session::LiveSession;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(claim)
        .service(set_pin)
        .service(lock)
        .service(unlock)
        .service(unlock_with_passkey)
        .service(unlock_with_passkey_finish)
        .service(status);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceClaim {
    /// The device id this browser was given before for this user; absent the first time.
    device: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeviceKey {
    /// The device id, kept by the app in its (unencrypted) key store.
    device: String,
    /// 32 random bytes, base64url: wraps the app's own store key.
    store_key: String,
    /// A PIN is set for this device.
    pin: bool,
    /// After this long without use the app locks, and so does the session.
    lock_minutes: u32,
}

/// A proof of the device PIN: 32 bytes, base64url, derived on the phone.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinProof {
    proof: String,
}

impl PinProof {
    fn checked(&self) -> Result<&str, ApiError> {
        match URL_SAFE_NO_PAD.decode(&self.proof) {
            Ok(bytes) if bytes.len() == 32 => Ok(&self.proof),
            _ => Err(ApiError::invalid(
                "invalid_proof",
                "The PIN proof must be 32 bytes in base64url.",
            )),
        }
    }
}

impl From<Key> for DeviceKey {
    fn from(key: Key) -> DeviceKey {
        DeviceKey {
            device: key.device,
            store_key: key.store_key,
            pin: key.pin,
            lock_minutes: key.lock_minutes,
        }
    }
}

/// The key for this browser's offline store: of the device it names (hers, not revoked),
/// or of a new device. Ties the session to the device, so that ending one ends the other.
#[utoipa::path(
    tag = "devices",
    request_body = DeviceClaim,
    responses(
        (status = 200, body = DeviceKey),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 410, body = ErrorBody, description = "Revoked, or not hers: wipe the store and ask again without an id"),
    )
)]
#[post("/me/device")]
async fn claim(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<DeviceClaim>,
) -> Result<web::Json<DeviceKey>, ApiError> {
    let claimed = body.into_inner().device;
    if let Some(id) = &claimed {
        device_id(id)?;
    }
    let key = devices::claim(&state, &who, claimed).await?;
    Ok(web::Json(key.into()))
}

/// Sets (or changes) the PIN of the device this session is on.
#[utoipa::path(
    tag = "devices",
    request_body = PinProof,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The session has no device yet (POST /me/device first)"),
        (status = 422, body = ErrorBody),
    )
)]
#[put("/me/device/pin")]
async fn set_pin(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<PinProof>,
) -> Result<HttpResponse, ApiError> {
    let proof = body.checked()?.to_owned();
    devices::set_pin(&state, &who, proof).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Locks this session now (the app's lock button, or its idle timer).
#[utoipa::path(tag = "devices", responses((status = 204), (status = 401, body = ErrorBody)))]
#[post("/session/lock")]
async fn lock(state: web::Data<AppState>, live: LiveSession) -> Result<HttpResponse, ApiError> {
    devices::lock(&state, live.complete_identity()?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Unlocks this session with the device's PIN and hands out the store key again.
#[utoipa::path(
    tag = "devices",
    request_body = PinProof,
    responses(
        (status = 200, body = DeviceKey),
        (status = 401, body = ErrorBody, description = "`wrong_pin`; the fifth in a row removes the PIN and ends the session (`unauthenticated`)"),
        (status = 409, body = ErrorBody, description = "No PIN on this device: sign in again"),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/session/unlock")]
async fn unlock(
    state: web::Data<AppState>,
    live: LiveSession,
    body: Json<PinProof>,
) -> Result<web::Json<DeviceKey>, ApiError> {
    // A PIN is no second factor: it only reopens a session that had both.
    let who = live.complete_identity()?;
    let proof = body.checked()?.to_owned();
    let key = devices::unlock(&state, who, proof).await?;
    Ok(web::Json(key.into()))
}

/// Starts unlocking this session with one of her passkeys (user verification required).
#[utoipa::path(
    tag = "devices",
    responses(
        (status = 200, body = Ceremony),
        (status = 401, body = ErrorBody, description = "`no_passkey`: she has none; she uses her PIN"),
        (status = 410, body = ErrorBody, description = "`device_revoked`: no device to unlock"),
    )
)]
#[post("/session/unlock/passkey")]
async fn unlock_with_passkey(
    state: web::Data<AppState>,
    live: LiveSession,
) -> Result<web::Json<Ceremony>, ApiError> {
    // Like the PIN, a passkey here only reopens a session that had both factors.
    let who = live.complete_identity()?;
    let ceremony = passkeys::unlock_start(&state, who).await?;
    Ok(web::Json(ceremony.into()))
}

/// Finishes unlocking with a passkey and hands out the store key again.
#[utoipa::path(
    tag = "devices",
    request_body = CeremonyAnswer,
    responses(
        (status = 200, body = DeviceKey),
        (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`ceremony_expired`"),
        (status = 422, body = ErrorBody, description = "`passkey_not_verified`: still locked"),
    )
)]
#[post("/session/unlock/passkey/finish")]
async fn unlock_with_passkey_finish(
    state: web::Data<AppState>,
    live: LiveSession,
    body: Json<CeremonyAnswer>,
) -> Result<web::Json<DeviceKey>, ApiError> {
    let who = live.complete_identity()?;
    let (ceremony_id, sent) = body.into_inner().assertion()?;
    let key = passkeys::unlock_finish(&state, who, ceremony_id, sent).await?;
    Ok(web::Json(key.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeviceName {
    device: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeviceStatus {
    /// Signed out, ended from another device, or the account was disabled: wipe the store.
    revoked: bool,
}

/// Whether a device was revoked, asked by an app whose session is gone, before it shows
/// the sign-in screen: a revoked phone wipes its store at once. Needs no session; the id
/// is random and says nothing else.
#[utoipa::path(
    tag = "devices",
    request_body = DeviceName,
    responses((status = 200, body = DeviceStatus), (status = 422, body = ErrorBody))
)]
#[post("/device/status")]
async fn status(
    state: web::Data<AppState>,
    body: Json<DeviceName>,
) -> Result<web::Json<DeviceStatus>, ApiError> {
    let id = body.into_inner().device;
    device_id(&id)?;
    let revoked = devices::revoked(&state, id).await?;
    Ok(web::Json(DeviceStatus { revoked }))
}

/// A device id as the server makes them: base64url, at most 64 characters. Anything else
/// (a NUL byte, say, which PostgreSQL refuses to compare) is no device of ours.
fn device_id(id: &str) -> Result<(), ApiError> {
    let ok = id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("invalid_device", "That is no device id."))
    }
}
