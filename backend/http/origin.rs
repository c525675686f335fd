//! Origins: where users reach InBeeld, for the addresses it hands out (a calendar feed,
//! an invitation link); and the refusal of cross-site requests with unsafe methods.
//! Browsers send `Sec-Fetch-Site` and `Origin`; a request from another site carrying our
//! cookie is refused before any handler runs. Clients that send neither (curl, the CLI,
//! tests) cannot ride on a victim's cookie.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, ResponseError, web};

use crate::error::ApiError;
use crate::state::AppState;

/// Where users reach InBeeld, without a trailing slash: `public_origin`, or else (local
/// development) the scheme and host the request came to.
pub fn public_origin(state: &AppState, req: &HttpRequest) -> String {
    match state.settings.public_origin.trim_end_matches('/') {
        "" => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
        configured => configured.to_owned(),
    }
}

pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(&req) {
        let response = ApiError::Forbidden("Cross-site requests are refused.").error_response();
        return Ok(req.into_response(response));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

fn is_cross_site(req: &ServiceRequest) -> bool {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if let Some(site) = header("sec-fetch-site") {
        return !matches!(site.as_str(), "same-origin" | "none");
    }
    if let Some(origin) = header("origin") {
        // Behind a reverse proxy the Host header may be rewritten; the configured public
        // origin is then the one to match.
        let public_origin = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.settings.public_origin.clone())
            .unwrap_or_default();
        if !public_origin.is_empty() && origin == public_origin.trim_end_matches('/') {
            return false;
        }
        let host = header("host").unwrap_or_default();
        let origin_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        return origin_host != host;
    }
    false
}
