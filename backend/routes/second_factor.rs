//! The second factor: enrolling an authenticator app (TOTP) after a password sign-in,
//! giving its code (or a recovery code) to complete a session, and removing it.
//!
//! With `second_factor_required` (the default), a session that has only had a password
//! reaches these endpoints and nothing else (`auth::PartialIdentity`). Wrong codes count
//! as failed sign-ins of the account, so the same lockout stops guessing.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::auth::{PartialIdentity, password, totp};
use crate::db::queries::{login_failures, passkeys, second_factor, users};
use crate::db::{DbConnection, write_transaction};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::routes::session::throttle;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(status)
        .service(give_code)
        .service(start_totp)
        .service(confirm_totp)
        .service(remove_totp);
}

#[derive(Serialize, ToSchema)]
pub struct SecondFactorStatus {
    /// This InBeeld requires a second factor for every session.
    required: bool,
    /// This session has completed its second factor.
    done: bool,
    /// An authenticator app is enrolled.
    totp: bool,
    recovery_codes_left: i64,
}

/// Where this session and this user stand with the second factor.
#[utoipa::path(tag = "second factor", responses((status = 200, body = SecondFactorStatus), (status = 401, body = ErrorBody)))]
#[get("/me/second-factor")]
async fn status(
    state: web::Data<AppState>,
    who: PartialIdentity,
) -> Result<web::Json<SecondFactorStatus>, ApiError> {
    let required = state.settings.second_factor_required;
    let user = who.identity.user_id;
    let (totp, recovery_codes_left) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let enrolled = second_factor::has_app(conn, user)?;
            Ok((enrolled, second_factor::recovery_codes_left(conn, user)?))
        })
        .await?;
    Ok(web::Json(SecondFactorStatus {
        required,
        done: who.second_factor_done,
        totp,
        recovery_codes_left,
    }))
}

/// One of the two, not both.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeGiven {
    /// Six digits from the authenticator app.
    code: Option<String>,
    /// One of the recovery codes shown at enrolment; each works once.
    recovery_code: Option<String>,
}

enum Given {
    Code(String),
    Recovery(String),
}

/// Completes this session with a code from the authenticator app or a recovery code.
#[utoipa::path(
    tag = "second factor",
    request_body = CodeGiven,
    responses(
        (status = 204, description = "The session is complete"),
        (status = 401, body = ErrorBody, description = "Wrong, expired or used code"),
        (status = 429, body = ErrorBody, description = "Too many failed attempts"),
    )
)]
#[post("/session/second-factor")]
async fn give_code(
    state: web::Data<AppState>,
    who: PartialIdentity,
    body: web::Json<CodeGiven>,
) -> Result<HttpResponse, ApiError> {
    let given = match body.into_inner() {
        CodeGiven {
            code: Some(code),
            recovery_code: None,
        } => Given::Code(code),
        CodeGiven {
            code: None,
            recovery_code: Some(recovery),
        } => Given::Recovery(recovery),
        _ => {
            return Err(ApiError::bad_request(
                "code_missing",
                "Send either `code` or `recovery_code`.",
            ));
        }
    };
    if who.second_factor_done {
        return Ok(HttpResponse::NoContent().finish());
    }
    let now = state.clock.now();
    let settings = state.settings.clone();
    let who = who.identity;
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, who.user_id)?;
            throttle(conn, &settings, Some(&user.username), &who.address, now)?;
            let (accepted, name) = match &given {
                Given::Code(code) => (
                    totp_accepted(conn, who.user_id, code, now)?,
                    "session.second_factor.totp",
                ),
                Given::Recovery(recovery) => (
                    second_factor::use_recovery_code(
                        conn,
                        who.user_id,
                        &totp::recovery_code_hash(recovery),
                        now,
                    )?,
                    "session.second_factor.recovery_code",
                ),
            };
            let event = Event::account(name, Action::Execute);
            if !accepted {
                login_failures::record(conn, &user.username, &who.address, now)?;
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                return Err(ApiError::BadCode);
            }
            write_transaction(conn, |conn| {
                second_factor::complete_session(conn, who.session_id, now)?;
                audit::record(conn, &who, now, &event, Outcome::Success)
            })?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Checks a TOTP code against the user's confirmed secret and uses its step, once.
fn totp_accepted(
    conn: &mut DbConnection,
    user_id: i64,
    code: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    let Some(row) = second_factor::find_totp(conn, user_id)? else {
        return Ok(false);
    };
    if row.confirmed_at.is_none() {
        return Ok(false);
    }
    let step =
        totp::check(&row.secret, code, now.and_utc().timestamp()).map_err(ApiError::internal)?;
    match step {
        Some(step) => Ok(second_factor::use_step(conn, user_id, step)?),
        None => Ok(false),
    }
}

#[derive(Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// The secret in base32, for typing it into an app by hand.
    secret: String,
    /// `otpauth://totp/...`, what the QR code holds.
    otpauth_url: String,
    /// The QR code as an SVG document.
    qr_svg: String,
}

/// Starts enrolling an authenticator app: a new secret, shown once. Reached right after
/// the first password sign-in too, unless the account has a passkey (then only from a
/// complete session). Someone with an app enrolled removes it first (`DELETE /me/totp`,
/// with her password).
#[utoipa::path(
    tag = "second factor",
    responses((status = 200, body = TotpEnrolment), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/me/totp")]
async fn start_totp(
    state: web::Data<AppState>,
    who: PartialIdentity,
) -> Result<web::Json<TotpEnrolment>, ApiError> {
    let now = state.clock.now();
    let done = who.second_factor_done;
    let who = who.identity;
    let enrolment = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            if second_factor::has_app(conn, who.user_id)? {
                return Err(ApiError::conflict(
                    "totp_enrolled",
                    "An authenticator app is enrolled already; remove it first, with your password.",
                ));
            }
            // A password alone must not add a factor to an account that has one: whoever
            // has only her password would otherwise get in with an app of their own.
            if !done && passkeys::count_for_user(conn, who.user_id)? > 0 {
                return Err(ApiError::conflict(
                    "passkey_enrolled",
                    "This account signs in with a passkey; use it, then add an app in the settings.",
                ));
            }
            let user = users::find(conn, who.user_id)?;
            let secret = totp::new_secret();
            let (otpauth_url, qr_svg) =
                totp::enrolment(&secret, &user.username).map_err(ApiError::internal)?;
            write_transaction(conn, |conn| {
                second_factor::start_totp(conn, who.user_id, &secret, now)?;
                let event = Event::account("second_factor.totp.start", Action::Create);
                audit::record(conn, &who, now, &event, Outcome::Success)
            })?;
            Ok(TotpEnrolment {
                secret,
                otpauth_url,
                qr_svg,
            })
        })
        .await?;
    Ok(web::Json(enrolment))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpConfirmation {
    /// The app's current code, proving it holds the secret.
    code: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Ten codes, each usable once instead of the app; shown only now.
    recovery_codes: Vec<String>,
}

/// Confirms the enrolment with a first code; completes this session and gives the
/// recovery codes, once.
#[utoipa::path(
    tag = "second factor",
    request_body = TotpConfirmation,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/me/totp/confirm")]
async fn confirm_totp(
    state: web::Data<AppState>,
    who: PartialIdentity,
    body: web::Json<TotpConfirmation>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let now = state.clock.now();
    let who = who.identity;
    let code = body.into_inner().code;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let pending = second_factor::find_totp(conn, who.user_id)?
                .filter(|row| row.confirmed_at.is_none())
                .ok_or_else(|| {
                    ApiError::conflict(
                        "no_enrolment",
                        "There is no enrolment waiting for a code; start one first.",
                    )
                })?;
            let event = Event::account("second_factor.totp.confirm", Action::Update);
            let step = totp::check(&pending.secret, &code, now.and_utc().timestamp())
                .map_err(ApiError::internal)?;
            let Some(step) = step else {
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                return Err(ApiError::BadCode);
            };
            write_transaction(conn, |conn| {
                if second_factor::confirm_totp(conn, who.user_id, step, now)? == 0 {
                    return Err(ApiError::conflict(
                        "no_enrolment",
                        "This enrolment was confirmed already.",
                    ));
                }
                second_factor::replace_recovery_codes(conn, who.user_id, &hashes)?;
                second_factor::complete_session(conn, who.session_id, now)?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok(())
            })
        })
        .await?;
    Ok(web::Json(RecoveryCodes {
        recovery_codes: codes,
    }))
}

/// The password again, for removing a factor: whoever holds an unlocked phone must not
/// take a factor away without it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordAgain {
    password: String,
}

impl PasswordAgain {
    /// Checks the password of `who`; a wrong one is an audited failure of `event`.
    pub(crate) fn check(
        &self,
        conn: &mut DbConnection,
        who: &Identity,
        now: NaiveDateTime,
        event: &Event,
    ) -> Result<(), ApiError> {
        let user = users::find(conn, who.user_id)?;
        if password::verify(&self.password, &user.password_hash) {
            return Ok(());
        }
        audit::record(conn, who, now, event, Outcome::Failed)?;
        Err(ApiError::BadCredentials)
    }
}

/// Removes the authenticator app and the recovery codes; asks for the password again.
/// With a second factor required, she enrols a new app at her next sign-in.
#[utoipa::path(
    tag = "second factor",
    request_body = PasswordAgain,
    responses((status = 204), (status = 401, body = ErrorBody))
)]
#[delete("/me/totp")]
async fn remove_totp(
    state: web::Data<AppState>,
    who: Identity,
    body: web::Json<PasswordAgain>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::account("second_factor.totp.remove", Action::Delete);
            body.check(conn, &who, now, &event)?;
            write_transaction(conn, |conn| {
                second_factor::remove(conn, who.user_id)?;
                audit::record(conn, &who, now, &event, Outcome::Success)
            })?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
