//! Each worker's shifts as an iCalendar feed at a secret, revocable URL, so they appear in
//! the phone's calendar. Calendar apps cannot sign in, so the secret in the URL is the
//! credential: 256 random bits, only its hash stored, a new one replaces the old.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, FixedOffset, TimeDelta};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::shifts::shift_team;
use crate::app::Identity;
use crate::auth::session::{new_token, token_hash};
use crate::db::queries::{rota, shifts};
use crate::domain::ical::{self, Event};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(feed_status)
        .service(create_feed)
        .service(revoke_feed)
        .service(feed);
}

/// How far back and ahead the feed reaches.
const FEED_PAST: TimeDelta = TimeDelta::days(30);
const FEED_AHEAD: TimeDelta = TimeDelta::days(180);

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
    shift_team(&who)?;
    let zone = state.zone;
    let created = state
        .db
        .run(move |conn| Ok::<_, ApiError>(rota::feed_created_at(conn, who.user_id)?))
        .await?;
    Ok(web::Json(FeedStatus {
        active: created.is_some(),
        created_at: created.map(|t| zone.to_local(t)),
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
    shift_team(&who)?;
    let (token, hash) = new_token();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| Ok::<_, ApiError>(rota::set_feed(conn, who.user_id, &hash, now)?))
        .await?;
    let origin = match state.settings.public_origin.trim_end_matches('/') {
        "" => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
        configured => configured.to_owned(),
    };
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
    shift_team(&who)?;
    state
        .db
        .run(move |conn| Ok::<_, ApiError>(rota::revoke_feed(conn, who.user_id)?))
        .await?;
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
    let hash = token_hash(&path.into_inner());
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let user = rota::feed_owner(conn, &hash)?.ok_or(ApiError::NotFound)?;
            Ok(shifts::of_user(
                conn,
                user,
                now - FEED_PAST,
                now + FEED_AHEAD,
            )?)
        })
        .await?;
    let events: Vec<Event> = rows
        .into_iter()
        .map(|(shift, place)| Event {
            uid: format!("shift-{}@inbeeld", shift.id),
            starts_at: shift.starts_at,
            ends_at: shift.ends_at,
            summary: format!("Dienst {place}"),
            location: place,
            cancelled: shift.cancelled_at.is_some(),
        })
        .collect();
    let body = ical::feed(state.zone, "InBeeld rooster", &events, now);
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(body))
}
