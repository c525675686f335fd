//! Signing in and out, the current user, and changing one's password.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::accounts;
use crate::app::audit::{self, Action, Actor, Event, Outcome};
use crate::auth::address::client_address;
use crate::auth::device;
use crate::auth::password::{self, NewPassword};
use crate::auth::session::{self, LiveSession};
use crate::config::Settings;
use crate::db::queries::{devices, login_failures, passkeys, second_factor, sessions, users};
use crate::db::{DbConnection, write_transaction};
use crate::domain::code::Code;
use crate::domain::quiet_hours::QuietHours;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
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

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    quiet_hours: QuietHoursBody,
    /// What this session still needs before it reaches anything else.
    second_factor: SecondFactorStep,
}

#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactorStep {
    /// Nothing: the second factor is done, or not required here.
    None,
    /// Give the code from the enrolled authenticator app (`POST /session/second-factor`).
    Code,
    /// Enrol an authenticator app first (`POST /me/totp`, then `/me/totp/confirm`).
    Enrol,
    /// She has passkeys and no app: sign in with a passkey instead.
    Passkey,
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
    pub(crate) fn from_row(
        row: users::UserRow,
        second_factor: SecondFactorStep,
    ) -> Result<Me, ApiError> {
        Ok(Me {
            second_factor,
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
    let address = client_address(&req, state.settings.trusted_proxies.addresses());
    let device = device_of(&req);
    let now = state.clock.now();
    let settings = state.settings.clone();
    let (token, token_hash) = session::new_token();
    let user = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            throttle(conn, &settings, username.as_deref(), &address, now)?;
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
            let sign_in = Event::account("session.sign_in", Action::Execute);
            let user = match found {
                Some(user) if verified => user,
                tried => {
                    let name = username.as_deref().unwrap_or_default();
                    login_failures::record(conn, name, &address, now)?;
                    let actor = Actor::signing_in(
                        tried.as_ref().map(|u| (u.id, u.role.as_str())),
                        None,
                        &address,
                    );
                    audit::record_by(conn, actor, now, &sign_in, Outcome::Failed)?;
                    return Err(ApiError::BadCredentials);
                }
            };
            let origin = sessions::Origin {
                address: &address,
                device: &device,
            };
            open_session(conn, &user, &token_hash, &origin, None, now, &sign_in)?;
            let step = if !settings.second_factor_required {
                SecondFactorStep::None
            } else if second_factor::has_app(conn, user.id)? {
                SecondFactorStep::Code
            } else if passkeys::count_for_user(conn, user.id)? > 0 {
                SecondFactorStep::Passkey
            } else {
                SecondFactorStep::Enrol
            };
            Me::from_row(user, step)
        })
        .await?;
    Ok(signed_in(&state, &token, &user))
}

/// The answer to a sign-in: the session cookie and who she is.
pub(crate) fn signed_in(state: &AppState, token: &str, user: &Me) -> HttpResponse {
    HttpResponse::Ok()
        .cookie(session::session_cookie(
            token,
            state.settings.secure_cookies(),
            state.settings.session_absolute_hours,
        ))
        .json(user)
}

/// Opens a session for `user`, who has just proved who she is: her failed sign-ins are
/// forgotten and the sign-in (`event`) is audited with the new session. `second_factor_at`
/// when the proof was both factors at once.
pub(crate) fn open_session(
    conn: &mut DbConnection,
    user: &users::UserRow,
    token_hash: &str,
    origin: &sessions::Origin,
    second_factor_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    event: &Event,
) -> Result<i64, ApiError> {
    write_transaction(conn, |conn| {
        login_failures::clear_for_username(conn, &user.username)?;
        let session_id =
            sessions::create(conn, token_hash, user.id, now, origin, second_factor_at)?;
        let actor = Actor::signing_in(
            Some((user.id, user.role.as_str())),
            Some(session_id),
            origin.address,
        );
        audit::record_by(conn, actor, now, event, Outcome::Success)?;
        Ok(session_id)
    })
}

/// "Chrome op Android": the device a sign-in comes from.
pub(crate) fn device_of(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| device::describe(""), device::describe)
}

/// Refuses a sign-in attempt (any kind) while the account or the address has had too many
/// failures within the lockout window.
pub(crate) fn throttle(
    conn: &mut DbConnection,
    settings: &Settings,
    username: Option<&str>,
    address: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let window = TimeDelta::minutes(i64::from(settings.login_lockout_minutes));
    let since = now - window;
    let by_account = match username {
        Some(name) => login_failures::recent_for_username(conn, name, since)?,
        None => login_failures::Recent::default(),
    };
    let by_address = login_failures::recent_for_address(conn, address, since)?;
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
    Ok(())
}

/// Sign out: ends this session on the server and revokes its device (the key to the
/// phone's offline store is erased), clears the cookie, and tells the browser to wipe what
/// it stored for InBeeld.
#[utoipa::path(tag = "session", responses((status = 204), (status = 401, body = ErrorBody)))]
#[delete("/session")]
async fn sign_out(state: web::Data<AppState>, who: LiveSession) -> Result<HttpResponse, ApiError> {
    // Also before the second factor, and when locked: whoever cannot go on can still leave.
    let who = who.identity;
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            write_transaction(conn, |conn| {
                devices::revoke_of_session(conn, who.session_id, now)?;
                sessions::delete(conn, who.session_id)?;
                let event = Event::account("session.sign_out", Action::Execute);
                Ok(audit::record(conn, &who, now, &event, Outcome::Success)?)
            })
        })
        .await?;
    // The browser wipes this origin's storage and caches: the PWA has sent its outbox
    // before it signs out (see pwa/js/screens/settings.js).
    Ok(HttpResponse::NoContent()
        .cookie(session::removal_cookie(state.settings.secure_cookies()))
        .insert_header(("Clear-Site-Data", "\"cache\", \"storage\""))
        .finish())
}

/// The signed-in user.
#[utoipa::path(tag = "session", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, who: Identity) -> Result<web::Json<Me>, ApiError> {
    let row = state
        .db
        .run(move |conn| Ok::<_, ApiError>(users::find(conn, who.user_id)?))
        .await?;
    Me::from_row(row, SecondFactorStep::None).map(web::Json)
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
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, who.user_id)?;
            let event = Event::account("session.password_change", Action::Update);
            if !password::verify(&current_password, &user.password_hash) {
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                return Err(ApiError::BadCredentials);
            }
            let hash = password::hash(new_password.as_str()).map_err(ApiError::internal)?;
            write_transaction(conn, |conn| {
                users::set_password_hash(conn, who.user_id, &hash)?;
                sessions::delete_for_user(conn, who.user_id, Some(who.session_id))?;
                audit::record(conn, &who, now, &event, Outcome::Success)
            })?;
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
        .run(move |conn| -> Result<_, ApiError> {
            users::set_quiet_hours(conn, who.user_id, &start, &end)?;
            Ok(users::find(conn, who.user_id)?)
        })
        .await?;
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
    let now = state.clock.now();
    let idle = TimeDelta::minutes(i64::from(state.settings.session_idle_minutes));
    let absolute = TimeDelta::hours(i64::from(state.settings.session_absolute_hours));
    let zone = state.zone;
    let rows = state
        .db
        .run(move |conn| Ok::<_, ApiError>(sessions::list_for_user(conn, who.user_id)?))
        .await?;
    Ok(web::Json(
        rows.into_iter()
            // Expired ones are deleted when next used; they are no longer a way in.
            .filter(|row| now - row.last_seen_at <= idle && now - row.created_at <= absolute)
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
    let id = path.into_inner();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            write_transaction(conn, |conn| {
                if !sessions::is_own(conn, who.user_id, id)? {
                    return Err(ApiError::NotFound);
                }
                devices::revoke_of_session(conn, id, now)?;
                sessions::delete(conn, id)?;
                let event = Event::account("session.end", Action::Execute);
                Ok(audit::record(conn, &who, now, &event, Outcome::Success)?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
