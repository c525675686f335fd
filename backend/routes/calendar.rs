//! Each worker's shifts as an iCalendar feed at a secret, revocable URL, so they appear in
//! the phone's calendar (`app::calendar` keeps the secret). Here: the feed's address,
//! built from `public_origin` or else from the request, and the feed as `text/calendar`.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::calendar;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::origin::public_origin;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(feed_status)
        .service(create_feed)
        .service(revoke_feed)
        .service(feed);
}

#[derive(Serialize, ToSchema)]
pub struct FeedStatus {
    active: bool,
    created_at: Option<DateTime<FixedOffset>>,
}

/// Whether I have a calendar feed (its address is shown only once, when made).
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, body = FeedStatus), (status = 403, body = ErrorBody))
)]
#[get("/me/calendar")]
async fn feed_status(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<FeedStatus>, ApiError> {
    let created = calendar::feed_made_at(&state, &who).await?;
    Ok(web::Json(FeedStatus {
        active: created.is_some(),
        created_at: created.map(|t| state.zone.to_local(t)),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct NewFeed {
    /// The feed's secret address; shown this once. Anyone with it sees my shift times.
    url: String,
    /// The same as `webcal://`, which phones open in their calendar app.
    webcal_url: String,
}

/// Make a new secret feed address; any earlier address stops working.
#[utoipa::path(
    tag = "calendar",
    responses((status = 201, body = NewFeed), (status = 403, body = ErrorBody))
)]
#[post("/me/calendar")]
async fn create_feed(
    state: web::Data<AppState>,
    who: Identity,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let token = calendar::new_feed(&state, &who).await?;
    let origin = public_origin(&state, &req);
    let url = format!("{origin}/api/v1/calendar/{token}.ics");
    let webcal_url = format!(
        "webcal://{}",
        url.split_once("://").map_or(url.as_str(), |(_, rest)| rest)
    );
    Ok(HttpResponse::Created().json(NewFeed { url, webcal_url }))
}

/// Stop my calendar feed.
#[utoipa::path(
    tag = "calendar",
    responses((status = 204), (status = 403, body = ErrorBody))
)]
#[delete("/me/calendar")]
async fn revoke_feed(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, ApiError> {
    calendar::revoke_feed(&state, &who).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The feed itself (`text/calendar`), for calendar apps: no sign-in, the secret is the
/// key. Shifts from 30 days back to 180 days ahead; cancelled ones as `STATUS:CANCELLED`.
#[utoipa::path(
    tag = "calendar",
    params(("token" = String, Path, description = "The feed's secret")),
    responses((status = 200, content_type = "text/calendar"), (status = 404, body = ErrorBody))
)]
#[get("/calendar/{token}.ics")]
async fn feed(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let body = calendar::feed(&state, &path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}
