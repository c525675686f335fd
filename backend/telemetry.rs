//! Logging. Request lines carry a request id and the route pattern, never the path or
//! query string, so no alias typed into a search can reach a log.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::state::AppState;

pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr; stdout is for what a command prints (where the first admin's
    // password is, a sweep report).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The header that carries a request's id, in the answer and (from a proxy) in the request.
pub const REQUEST_ID: &str = "x-request-id";

/// A proxy's request id is kept when it is a plain token; anything else is replaced, so a
/// client cannot write arbitrary text into the log.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{:016x}", rand::random::<u64>()))
}

/// Logs one line per request with its id, route pattern, status and time; everything
/// logged while handling it carries the same id, and the answer names it in `X-Request-Id`.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.call(req).instrument(span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    if let Some(metrics) = metrics {
        metrics.request(
            method.as_str(),
            &route,
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    span.in_scope(|| {
        tracing::info!(
            %method,
            route,
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request"
        );
    });
    Ok(response)
}
