//! Signing in and out, the current user, and changing one's password.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::signing_in::{self, Me, QuietHoursBody, SecondFactorStep};
use crate::app::Identity;
use crate::app::{accounts, profile, session};
use crate::auth::password::NewPassword;
use crate::auth::token::new_token;
use crate::domain::quiet_hours::QuietHours;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::session::{LiveSession, OwnAccount, removal_cookie};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_in)
        .service(sign_out)
        .service(me)
        .service(change_password)
        .service(set_quiet_hours)
        .service(list_sessions)
        .service(end_session);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    username: String,
    password: String,
}

/// Sign in with username and password; sets the session cookie.
#[utoipa::path(
    tag = "session",
    request_body = SignIn,
    responses(
        (status = 200, body = Me, description = "Signed in; the session cookie is set"),
        (status = 401, body = ErrorBody, description = "Wrong username or password"),
        (status = 429, body = ErrorBody, description = "Too many failed attempts"),
    )
)]
#[post("/session")]
async fn sign_in(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<SignIn>,
) -> Result<HttpResponse, ApiError> {
    let SignIn { username, password } = body.into_inner();
    // A name no account can have (control characters, say, which PostgreSQL cannot even
    // compare) is looked up nowhere; it is a failed sign-in counted against the address.
    let username = accounts::parse_username(&username).ok();
    let (token, token_hash) = new_token();
    let arrival = signing_in::arrival(&state, &req, token_hash);
    let signed_in = session::sign_in(&state, username, password, arrival).await?;
    let user = Me::from_row(signed_in.user, signed_in.step.into())?;
    Ok(signing_in::signed_in(&state, &token, &user))
}

/// Sign out: ends this session on the server and revokes its device (the key to the
/// phone's offline store is erased), clears the cookie, and tells the browser to wipe what
/// it stored for InBeeld.
#[utoipa::path(tag = "session", responses((status = 204), (status = 401, body = ErrorBody)))]
#[delete("/session")]
async fn sign_out(state: web::Data<AppState>, who: LiveSession) -> Result<HttpResponse, ApiError> {
    // Also before the second factor, and when locked: whoever cannot go on can still leave.
    session::sign_out(&state, &who.identity).await?;
    // The browser wipes this origin's storage and caches: the PWA has sent its outbox
    // before it signs out (see pwa/js/screens/settings.js).
    Ok(HttpResponse::NoContent()
        .cookie(removal_cookie(state.settings.secure_cookies()))
        .insert_header(("Clear-Site-Data", "\"cache\", \"storage\""))
        .finish())
}

/// The signed-in user. Also for a session that must choose its own password first
/// (`must_change_password`), which reaches nothing else but `PUT /me/password`; its
/// `second_factor` says what follows the new password.
#[utoipa::path(tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, own: OwnAccount) -> Result<web::Json<Me>, ApiError> {
    let (row, step) = profile::find(&state, &own.identity, own.complete).await?;
    Me::from_row(row, step.into()).map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Change one's own password; every other session of the user ends. The current password
/// is an attempt under the sign-in throttle. After signing in with a one-time start
/// password this is the one thing the session may do (before its second factor too); the
/// new password must differ from the current one.
#[utoipa::path(
    tag = "session",
    request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody, description = "Current password wrong"),
        (status = 422, body = ErrorBody, description = "New password too weak, or the same"),
        (status = 429, body = ErrorBody, description = "Too many failed attempts"),
    )
)]
#[put("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    own: OwnAccount,
    body: Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password = NewPassword::parse(&new_password)?;
    profile::change_password(&state, &own.identity, current_password, new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set one's quiet hours; notifications raised inside them arrive when they end.
#[utoipa::path(
    tag = "session",
    request_body = QuietHoursBody,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/me/quiet-hours")]
async fn set_quiet_hours(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<QuietHoursBody>,
) -> Result<web::Json<Me>, ApiError> {
    let quiet = QuietHours::parse(&body.start, &body.end)?;
    let row = profile::set_quiet_hours(&state, &who, quiet).await?;
    Me::from_row(row, SecondFactorStep::None).map(web::Json)
}

/// One of the user's sessions: a device she is signed in on.
#[derive(Serialize, ToSchema)]
pub struct SessionView {
    id: i64,
    /// Browser and system, e.g. "Chrome op Android".
    device: String,
    address: String,
    signed_in_at: DateTime<FixedOffset>,
    last_seen_at: DateTime<FixedOffset>,
    /// The session this request came with.
    current: bool,
}

/// The devices the user is signed in on, the most recently used first.
#[utoipa::path(tag = "session", responses((status = 200, body = [SessionView]), (status = 401, body = ErrorBody)))]
#[get("/me/sessions")]
async fn list_sessions(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<SessionView>>, ApiError> {
    let zone = state.zone;
    let rows = session::list(&state, &who).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| SessionView {
                current: row.id == who.session_id,
                id: row.id,
                device: row.device,
                address: row.address,
                signed_in_at: zone.to_local(row.created_at),
                last_seen_at: zone.to_local(row.last_seen_at),
            })
            .collect(),
    ))
}

/// Ends one of the user's own sessions, e.g. on a lost phone, and revokes its device: the
/// phone's offline store can no longer be unwrapped, and the app wipes it when it next
/// reaches the server. (The app offers this for the other devices; for this one it has
/// signing out, which also wipes the browser's data.)
#[utoipa::path(
    tag = "session",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/me/sessions/{id}")]
async fn end_session(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    session::end(&state, &who, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
