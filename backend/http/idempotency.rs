//! `Idempotency-Key`: what makes a phone's retry of a request it sent from its outbox
//! safe (a contact, an assessment): the key, and the fingerprint of the request's body
//! that a retry must match.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest};
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

/// The body of a keyed write (a request the outbox may send again) and the retry its key
/// makes of it: the key, if any, with the fingerprint of the body as it came. Read as an
/// extractor: the body as `Json` reads it (size, content type, whole numbers), then the
/// key, then the body into `T`.
pub struct Keyed<T> {
    pub body: T,
    pub retry: Option<Retry>,
}

impl<T: DeserializeOwned + 'static> FromRequest for Keyed<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Keyed<T>, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = Json::<serde_json::Value>::from_request(req, payload);
        let key = key(req.headers());
        Box::pin(async move {
            let body = read.await?.into_inner();
            let key = key?;
            let request_hash = request_hash(&body);
            let body = serde_json::from_value(body)
                .map_err(|e| ApiError::bad_request("bad_json", super::describe_json_error(&e)))?;
            let retry = key.map(|key| Retry { key, request_hash });
            Ok(Keyed { body, retry })
        })
    }
}
