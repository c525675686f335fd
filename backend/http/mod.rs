//! HTTP plumbing shared by every route: extractor error handlers that answer in our JSON
//! error shape, security headers, refusals in the audit trail, and the health and
//! readiness checks.

pub mod address;
pub mod audit;
pub mod body;
pub mod download;
mod errors;
pub mod idempotency;
pub mod openapi;
pub mod origin;
pub mod session;

pub use errors::ErrorBody;

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::db::queries::push;
use crate::error::ApiError;
use crate::state::AppState;

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
                JsonPayloadError::Deserialize(cause) => {
                    ApiError::bad_request("bad_json", describe_json_error(cause))
                }
                _ => ApiError::bad_request("bad_json", "The request body could not be read."),
            }
            .into()
        })
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        let message = redact_values(&err.to_string());
        ApiError::bad_request("bad_query", format!("Invalid query string: {message}")).into()
    })
}

/// Explains a body that does not fit the expected shape, without echoing the values sent:
/// a mistyped field could hold an alias or a note, and error messages never carry those.
pub fn describe_json_error(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof => format!(
            "The request body is not valid JSON (line {}, column {}).",
            err.line(),
            err.column()
        ),
        Category::Data | Category::Io => {
            format!("Invalid request body: {}", redact_values(&err.to_string()))
        }
    }
}

/// Replaces the values serde quotes back ("invalid type: string \"Roos\"", "unknown variant
/// `Roos`") with an ellipsis; field names and the expected values, which are ours, stay.
pub fn redact_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['"', '`']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else {
            break;
        };
        let before = &rest[..start];
        out.push_str(before);
        let quoted = &after[..end];
        let echoes_input = quote == '"'
            || before.ends_with("unknown variant ")
            || before.ends_with("invalid value: ");
        out.push(quote);
        out.push_str(if echoes_input { "…" } else { quoted });
        out.push(quote);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_sent_are_not_echoed_back() {
        let err = serde_json::from_str::<std::collections::HashMap<String, i64>>(
            r#"{"client_id": "Roos"}"#,
        )
        .unwrap_err();
        let message = describe_json_error(&err);
        assert!(!message.contains("Roos"), "{message}");
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!(
            redact_values("unknown variant `Roos`, expected one of `nijmegen`, `outside`"),
            "unknown variant `…`, expected one of `nijmegen`, `outside`"
        );
        assert_eq!(
            redact_values("unknown field `bsn`, expected `alias`"),
            "unknown field `bsn`, expected `alias`"
        );
        let syntax = serde_json::from_str::<serde_json::Value>("{\"a\": Roos}").unwrap_err();
        assert!(!describe_json_error(&syntax).contains("Roos"));
    }
}

/// Bounds the time from a request's head to its answer, body included: actix limits how
/// long the head may take to arrive (`client_request_timeout`) but not a body trickled in
/// a byte at a time. A handler cut off here has its database work finish regardless (it
/// runs on the blocking pool); the client retries with its `Idempotency-Key`.
pub async fn deadline(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(crate::config::DEFAULT_REQUEST_TIMEOUT_SECONDS, |state| {
            state.settings.request_timeout_seconds
        });
    tokio::time::timeout(Duration::from_secs(u64::from(limit)), next.call(req))
        .await
        .unwrap_or_else(|_| Err(ApiError::RequestTimeout.into()))
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into())
}

/// Headers on every response. `https`: InBeeld is reached over https (its public origin),
/// so browsers are told to use nothing else for a year (HSTS); on plain-http localhost the
/// header would be ignored, and it is left out.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Permissions-Policy", PERMISSIONS_POLICY))
        // No other site's window keeps a handle on ours, nor reads our responses.
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
             form-action 'self'",
        ))
}

/// The device features InBeeld never uses, switched off for it and anything it embeds.
/// Passkeys (`publickey-credentials-*`) keep their default, this site only; notifications
/// and push are no policy features.
const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), \
     bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), \
     magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=(), \
     xr-spatial-tracking=()";

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

/// Prometheus metrics, for a scraper on this machine or one that sends `metrics_token`.
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let peer = req.peer_addr().map(|a| a.ip());
    if !crate::metrics::may_scrape(peer, authorization, &state.settings.metrics_token) {
        return HttpResponse::Forbidden()
            .content_type("text/plain")
            .body("metrics are for this machine or a scraper with the metrics token");
    }
    let pending = state
        .db
        .read(|conn| Ok::<_, ApiError>(push::waiting(conn)?))
        .await
        .unwrap_or(-1);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(pending))
}

/// Ready for traffic: the database answers and its schema is this binary's. A load
/// balancer sends nothing here until then (e.g. while another instance migrates).
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let checked = state.db.has_pending_migrations().await;
    match checked {
        Ok(false) => HttpResponse::Ok().content_type("text/plain").body("ready"),
        Ok(true) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database migrations pending"),
        Err(_) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("database unreachable"),
    }
}
