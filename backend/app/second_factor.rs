//! The second factor: enrolling an authenticator app (TOTP), completing a session with
//! its code or a recovery code, and removing it (given the password again). Each code
//! given is an attempt under the sign-in throttle: wrong ones count as failed sign-ins of
//! the account, so the same lockout stops guessing.

use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::throttle::{self, password_again};
use crate::app::{Identity, read_own, slow};
use crate::auth::totp;
use crate::db::queries::{passkeys, second_factor, users};
use crate::error::ApiError;
use crate::state::AppState;

/// Where a user stands with the second factor.
pub struct Status {
    /// This InBeeld requires a second factor for every session.
    pub required: bool,
    /// An authenticator app is enrolled.
    pub totp: bool,
    pub recovery_codes_left: i64,
}

pub async fn status(state: &AppState, who: &Identity) -> Result<Status, ApiError> {
    let required = state.settings.second_factor_required;
    let user = who.user_id;
    state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            Ok(Status {
                required,
                totp: second_factor::has_app(conn, user)?,
                recovery_codes_left: second_factor::recovery_codes_left(conn, user)?,
            })
        })
        .await
}

/// What she gives to complete a session.
pub enum Given {
    /// Six digits from the authenticator app.
    Code(String),
    /// One of the recovery codes shown at enrolment.
    Recovery(String),
}

/// A code as checked before the write, which uses it up (once only).
enum Claim {
    /// The step of an app code; `None` when it matched none, or no app is enrolled.
    Step(Option<i64>),
    /// The hash of a recovery code.
    Recovery(String),
}

/// Completes the session of `who` with a code; nothing to do when `second_factor_done`.
pub async fn complete_session(
    state: &AppState,
    who: &Identity,
    second_factor_done: bool,
    given: Given,
) -> Result<(), ApiError> {
    if second_factor_done {
        return Ok(());
    }
    let now = state.clock.now();
    let settings = state.settings.clone();
    let (user_id, address) = (who.user_id, who.address.clone());
    let wants_app = matches!(given, Given::Code(_));
    let (secret, attempt) = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, user_id)?;
            let attempt = throttle::attempt(conn, &settings, Some(&user.username), &address, now)?;
            let secret = if wants_app {
                second_factor::find_totp(conn, user_id)?
                    .filter(|row| row.confirmed_at.is_some())
                    .map(|row| row.secret)
            } else {
                None
            };
            Ok((secret, attempt))
        })
        .await?;
    let (claim, name) = match given {
        Given::Code(code) => {
            let step = match secret {
                Some(secret) => totp::check(&secret, &code, now.and_utc().timestamp())
                    .map_err(ApiError::internal)?,
                None => None,
            };
            (Claim::Step(step), "session.second_factor.totp")
        }
        Given::Recovery(recovery) => (
            Claim::Recovery(totp::recovery_code_hash(&recovery)),
            "session.second_factor.recovery_code",
        ),
    };
    let who = who.clone();
    let accepted = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let accepted = match &claim {
                Claim::Step(Some(step)) => second_factor::use_step(conn, who.user_id, *step)?,
                Claim::Step(None) => false,
                Claim::Recovery(hash) => {
                    second_factor::use_recovery_code(conn, who.user_id, hash, now)?
                }
            };
            let event = Event::account(name, Action::Execute);
            if !accepted {
                // The attempt stays counted as a failure.
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                return Ok(false);
            }
            attempt.succeeded(conn)?;
            second_factor::complete_session(conn, who.session_id, now)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(true)
        })
        .await?;
    if accepted {
        Ok(())
    } else {
        Err(ApiError::BadCode)
    }
}

/// A new authenticator app's secret, shown once.
pub struct Enrolment {
    /// The secret in base32.
    pub secret: String,
    /// `otpauth://totp/...`, what the QR code holds.
    pub otpauth_url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// Starts enrolling an authenticator app for `who`. A password alone (the session has no
/// second factor yet) must not add a factor to an account that has a passkey: whoever has
/// only her password would otherwise get in with an app of their own.
pub async fn start_totp(
    state: &AppState,
    who: &Identity,
    second_factor_done: bool,
) -> Result<Enrolment, ApiError> {
    let now = state.clock.now();
    let user = who.user_id;
    let username = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            if second_factor::has_app(conn, user)? {
                return Err(ApiError::conflict(
                    "totp_enrolled",
                    "An authenticator app is enrolled already; remove it first, with your password.",
                ));
            }
            if !second_factor_done && passkeys::count_for_user(conn, user)? > 0 {
                return Err(ApiError::conflict(
                    "passkey_enrolled",
                    "This account signs in with a passkey; use it, then add an app in the settings.",
                ));
            }
            Ok(users::find(conn, user)?.username)
        })
        .await?;
    let enrolment = slow::run(move || -> Result<_, ApiError> {
        let secret = totp::new_secret();
        let (otpauth_url, qr_svg) =
            totp::enrolment(&secret, &username).map_err(ApiError::internal)?;
        Ok(Enrolment {
            secret,
            otpauth_url,
            qr_svg,
        })
    })
    .await??;
    let secret = enrolment.secret.clone();
    let event = Event::account("second_factor.totp.start", Action::Create);
    audit::write_logged(state, who, now, event, move |conn, who| {
        Ok(second_factor::start_totp(conn, who.user_id, &secret, now)?)
    })
    .await?;
    Ok(enrolment)
}

/// Confirms the enrolment with a first code: completes this session and returns the ten
/// recovery codes, shown only now.
pub async fn confirm_totp(
    state: &AppState,
    who: &Identity,
    code: String,
) -> Result<Vec<String>, ApiError> {
    let now = state.clock.now();
    let pending = read_own(state, who, second_factor::find_totp)
        .await?
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
        audit::record_alone(state, who.clone(), now, event, Outcome::Failed).await?;
        return Err(ApiError::BadCode);
    };
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    audit::write_logged(state, who, now, event, move |conn, who| {
        if second_factor::confirm_totp(conn, who.user_id, step, now)? == 0 {
            return Err(ApiError::conflict(
                "no_enrolment",
                "This enrolment was confirmed already.",
            ));
        }
        second_factor::replace_recovery_codes(conn, who.user_id, &hashes)?;
        Ok(second_factor::complete_session(conn, who.session_id, now)?)
    })
    .await?;
    Ok(codes)
}

/// Removes the authenticator app and the recovery codes, given her password again. With
/// a second factor required, she enrols a new app at her next sign-in.
pub async fn remove_totp(
    state: &AppState,
    who: &Identity,
    password: String,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let event = Event::account("second_factor.totp.remove", Action::Delete);
    password_again(state, who, password, &event, now).await?;
    audit::write_logged(state, who, now, event, move |conn, who| {
        second_factor::remove(conn, who.user_id)?;
        Ok(())
    })
    .await
}
