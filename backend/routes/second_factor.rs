//! The second factor: enrolling an authenticator app (TOTP) after a password sign-in,
//! giving its code (or a recovery code) to complete a session, and removing it.
//!
//! With `second_factor_required` (the default), a session that has only had a password
//! reaches these endpoints and nothing else (`auth::PartialIdentity`). Wrong codes count
//! as failed sign-ins of the account, so the same lockout stops guessing.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::signing_in::PasswordAgain;
use crate::app::Identity;
use crate::app::second_factor::{self, Given};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::session::PartialIdentity;
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
    let status = second_factor::status(&state, &who.identity).await?;
    Ok(web::Json(SecondFactorStatus {
        required: status.required,
        done: who.second_factor_done,
        totp: status.totp,
        recovery_codes_left: status.recovery_codes_left,
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
    body: Json<CodeGiven>,
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
    second_factor::complete_session(&state, &who.identity, who.second_factor_done, given).await?;
    Ok(HttpResponse::NoContent().finish())
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
    let enrolment =
        second_factor::start_totp(&state, &who.identity, who.second_factor_done).await?;
    Ok(web::Json(TotpEnrolment {
        secret: enrolment.secret,
        otpauth_url: enrolment.otpauth_url,
        qr_svg: enrolment.qr_svg,
    }))
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
    body: Json<TotpConfirmation>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let code = body.into_inner().code;
    let recovery_codes = second_factor::confirm_totp(&state, &who.identity, code).await?;
    Ok(web::Json(RecoveryCodes { recovery_codes }))
}

/// Removes the authenticator app and the recovery codes; asks for the password again (an
/// attempt under the sign-in throttle). With a second factor required, she enrols a new
/// app at her next sign-in.
#[utoipa::path(
    tag = "second factor",
    request_body = PasswordAgain,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many failed attempts"),
    )
)]
#[delete("/me/totp")]
async fn remove_totp(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<PasswordAgain>,
) -> Result<HttpResponse, ApiError> {
    second_factor::remove_totp(&state, &who, body.into_inner().password).await?;
    Ok(HttpResponse::NoContent().finish())
}
