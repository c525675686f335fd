//! `Idempotency-Key`: what makes a phone's retry of a request it sent from its outbox
//! safe (a contact, an assessment): the key, and the fingerprint of the request's body
//! that a retry must match.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderMap;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::body::Json;
use crate::app::retry::Retry;
use crate::error::ApiError;

/// The `Idempotency-Key` header: up to 100 visible ASCII characters, unique per user.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "bad_idempotency_key",
            "Idempotency-Key must be 1 to 100 visible ASCII characters.",
        ));
    }
    Ok(Some(key.to_owned()))
}

/// The fingerprint of a request's body. serde_json sorts object keys, so equal bodies
/// hash equally whatever their key order.
pub fn request_hash(body: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(body.to_string().as_bytes()))
}

/// The body of a keyed write (a POST the outbox may send again) and the retry its key
/// makes of it: the key, if any, with the fingerprint of the body as it came.
pub fn keyed<T: DeserializeOwned>(
    req: &HttpRequest,
    body: Json<serde_json::Value>,
) -> Result<(T, Option<Retry>), ApiError> {
    let key = key(req.headers())?;
    let body = body.into_inner();
    let request_hash = request_hash(&body);
    let parsed = serde_json::from_value(body)
        .map_err(|e| ApiError::bad_request("bad_json", super::describe_json_error(&e)))?;
    Ok((parsed, key.map(|key| Retry { key, request_hash })))
}
