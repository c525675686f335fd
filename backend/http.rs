//! HTTP plumbing shared by every route: extractor error handlers that answer in our JSON
//! error shape, security headers, and the health check.

use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpResponse, get, web};

use crate::error::ApiError;

/// JSON bodies: size-limited, and malformed or unknown fields are a 400 in our shape.
pub fn json_config(limit_bytes: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit_bytes)
        .error_handler(|err, _| {
            use actix_web::error::JsonPayloadError;
            match &err {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => ApiError::PayloadTooLarge,
                JsonPayloadError::ContentType => {
                    ApiError::bad_request("bad_json", "Send the body as application/json.")
                }
                other => {
                    ApiError::bad_request("bad_json", format!("Invalid request body: {other}"))
                }
            }
            .into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        ApiError::bad_request("bad_query", format!("Invalid query string: {err}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into())
}

/// Headers on every response.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ))
}

/// API responses hold client data: never cached anywhere.
pub fn api_headers() -> DefaultHeaders {
    DefaultHeaders::new().add(("Cache-Control", "no-store"))
}

/// Unknown API paths answer in the JSON error shape.
pub async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// The process is up.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
