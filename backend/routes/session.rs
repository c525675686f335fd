//! Signing in and out, the current user, and changing one's password.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts;
use crate::auth::password::{self, NewPassword};
use crate::auth::session::{self, Identity, peer_address};
use crate::db::queries::{login_failures, sessions, users};
use crate::domain::code::Code;
use crate::domain::quiet_hours::QuietHours;
use crate::domain::role::Role;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_in)
        .service(sign_out)
        .service(me)
        .service(change_password)
        .service(set_quiet_hours);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    quiet_hours: QuietHoursBody,
}

/// Local times between which notifications wait (start after end wraps past midnight).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursBody {
    /// `HH:MM`, e.g. `23:00`.
    start: String,
    /// `HH:MM`, e.g. `08:00`; equal to `start` means no quiet hours.
    end: String,
}

impl Me {
    fn from_row(row: users::UserRow) -> Result<Me, ApiError> {
        Ok(Me {
            id: row.id,
            role: Role::from_stored(&row.role).map_err(ApiError::internal)?,
            username: row.username,
            display_name: row.display_name,
            team_id: row.team_id,
            organisation_id: row.organisation_id,
            quiet_hours: QuietHoursBody {
                start: row.quiet_hours_start,
                end: row.quiet_hours_end,
            },
        })
    }
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
    body: web::Json<SignIn>,
) -> Result<HttpResponse, ApiError> {
    let SignIn { username, password } = body.into_inner();
    // A name no account can have (control characters, say, which PostgreSQL cannot even
    // compare) is looked up nowhere; it is a failed sign-in counted against the address.
    let username = accounts::parse_username(&username).ok();
    let address = peer_address(&req);
    let now = state.clock.now();
    let settings = state.settings.clone();
    let (token, token_hash) = session::new_token();
    let user = state
        .db
        .run(move |conn| {
            let window = TimeDelta::minutes(i64::from(settings.login_lockout_minutes));
            let since = now - window;
            let by_account = match &username {
                Some(name) => login_failures::recent_for_username(conn, name, since)?,
                None => login_failures::Recent::default(),
            };
            let by_address = login_failures::recent_for_address(conn, &address, since)?;
            let locked = [
                (by_account, settings.login_failures_per_account, "account"),
                (by_address, settings.login_failures_per_address, "address"),
            ]
            .into_iter()
            .find(|(recent, max, _)| recent.count >= i64::from(*max));
            if let Some((recent, _, what)) = locked {
                let lifts_at = recent.oldest.unwrap_or(now) + window;
                let wait = (lifts_at - now).num_seconds().max(1) as u64;
                return Err(ApiError::TooManyRequests {
                    message: format!(
                        "Too many failed sign-ins for this {what}. Try again in {} minutes.",
                        wait.div_ceil(60)
                    ),
                    retry_after_secs: wait,
                });
            }
            let found = match &username {
                Some(name) => users::find_by_username(conn, name)?,
                None => None,
            };
            let verified = match &found {
                Some(user) => password::verify(&password, &user.password_hash) && user.active,
                None => {
                    password::verify_against_nothing(&password);
                    false
                }
            };
            let Some(user) = found.filter(|_| verified) else {
                let name = username.as_deref().unwrap_or_default();
                login_failures::record(conn, name, &address, now)?;
                return Err(ApiError::BadCredentials);
            };
            login_failures::clear_for_username(conn, &user.username)?;
            sessions::create(conn, &token_hash, user.id, now, &address)?;
            Me::from_row(user)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(session::session_cookie(
            &token,
            state.settings.secure_cookies(),
            state.settings.session_absolute_hours,
        ))
        .json(user))
}

/// Sign out: ends this session on the server and clears the cookie.
#[utoipa::path(tag = "session", responses((status = 204), (status = 401, body = ErrorBody)))]
#[delete("/session")]
async fn sign_out(state: web::Data<AppState>, who: Identity) -> Result<HttpResponse, ApiError> {
    state
        .db
        .run(move |conn| Ok(sessions::delete(conn, who.session_id)?))
        .await?;
    Ok(HttpResponse::NoContent()
        .cookie(session::removal_cookie(state.settings.secure_cookies()))
        .finish())
}

/// The signed-in user.
#[utoipa::path(tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, who: Identity) -> Result<web::Json<Me>, ApiError> {
    let row = state
        .db
        .run(move |conn| Ok(users::find(conn, who.user_id)?))
        .await?;
    Me::from_row(row).map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Change one's own password; every other session of the user ends.
#[utoipa::path(
    tag = "session",
    request_body = PasswordChange,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody, description = "Current password wrong"),
        (status = 422, body = ErrorBody, description = "New password too weak"),
    )
)]
#[put("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let PasswordChange {
        current_password,
        new_password,
    } = body.into_inner();
    let new_password = NewPassword::parse(&new_password)?;
    state
        .db
        .run(move |conn| {
            let user = users::find(conn, who.user_id)?;
            if !password::verify(&current_password, &user.password_hash) {
                return Err(ApiError::BadCredentials);
            }
            let hash = password::hash(new_password.as_str()).map_err(ApiError::internal)?;
            users::set_password_hash(conn, who.user_id, &hash)?;
            sessions::delete_for_user(conn, who.user_id, Some(who.session_id))?;
            Ok(())
        })
        .await?;
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
    body: web::Json<QuietHoursBody>,
) -> Result<web::Json<Me>, ApiError> {
    let quiet = QuietHours::parse(&body.start, &body.end)?;
    let (start, end) = (
        QuietHours::format(quiet.start),
        QuietHours::format(quiet.end),
    );
    let row = state
        .db
        .run(move |conn| {
            users::set_quiet_hours(conn, who.user_id, &start, &end)?;
            Ok(users::find(conn, who.user_id)?)
        })
        .await?;
    Me::from_row(row).map(web::Json)
}
