//! HTTP pieces the sign-in and account endpoints share, and nothing else: the `Me` answer
//! with the session cookie a sign-in sets, where a sign-in comes from, the password
//! asked again, and the two halves of a passkey ceremony. What happens lives in `app::session`, `app::passkeys` and
//! `app::second_factor`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use webauthn_rs::prelude::PublicKeyCredential;

use crate::app::passkeys;
use crate::app::session::{self, Arrival};
use crate::auth::device;
use crate::db::queries::users::UserRow;
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::address::client_address;
use crate::http::session::session_cookie;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    quiet_hours: QuietHoursBody,
    /// What this session still needs for its second factor.
    second_factor: SecondFactorStep,
    /// She signed in with a one-time start password: she chooses her own password
    /// (`PUT /me/password`) before anything else, the second factor after it.
    must_change_password: bool,
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

impl From<session::SecondFactorStep> for SecondFactorStep {
    fn from(step: session::SecondFactorStep) -> SecondFactorStep {
        match step {
            session::SecondFactorStep::None => SecondFactorStep::None,
            session::SecondFactorStep::Code => SecondFactorStep::Code,
            session::SecondFactorStep::Enrol => SecondFactorStep::Enrol,
            session::SecondFactorStep::Passkey => SecondFactorStep::Passkey,
        }
    }
}

/// Local times between which notifications wait (start after end wraps past midnight).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietHoursBody {
    /// `HH:MM`, e.g. `23:00`.
    pub(super) start: String,
    /// `HH:MM`, e.g. `08:00`; equal to `start` means no quiet hours.
    pub(super) end: String,
}

impl Me {
    pub(super) fn from_row(row: UserRow, second_factor: SecondFactorStep) -> Result<Me, ApiError> {
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
            must_change_password: row.must_change_password,
        })
    }
}

/// The answer to a sign-in: the session cookie and who she is.
pub(super) fn signed_in(state: &AppState, token: &str, user: &Me) -> HttpResponse {
    HttpResponse::Ok()
        .cookie(session_cookie(
            token,
            state.settings.secure_cookies(),
            state.settings.session_absolute_hours,
        ))
        .json(user)
}

/// Where a sign-in comes from (address, and device as "Chrome op Android"), and the hash
/// of the token the new session will have.
pub(super) fn arrival(state: &AppState, req: &HttpRequest, token_hash: String) -> Arrival {
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Arrival {
        address: client_address(req, state.settings.trusted_proxies.addresses()),
        device: device::describe(agent),
        token_hash,
    }
}

/// The password again, for removing a factor: whoever holds an unlocked phone must not
/// take a factor away without it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordAgain {
    pub(super) password: String,
}

/// The first half of a ceremony: what the browser passes to `navigator.credentials`.
#[derive(Serialize, ToSchema)]
pub struct Ceremony {
    ceremony_id: i64,
    /// `{"publicKey": ...}` for `navigator.credentials.create` or `.get`, binary values
    /// in base64url.
    #[schema(value_type = Object)]
    options: serde_json::Value,
}

impl From<passkeys::Ceremony> for Ceremony {
    fn from(ceremony: passkeys::Ceremony) -> Ceremony {
        Ceremony {
            ceremony_id: ceremony.id,
            options: ceremony.options,
        }
    }
}

/// What the browser sent as a credential, in the shape webauthn-rs reads.
pub fn credential<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|_| {
        ApiError::bad_request("bad_credential", "The passkey's answer could not be read.")
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CeremonyAnswer {
    ceremony_id: i64,
    /// The browser's `PublicKeyCredential` (an assertion), binary values in base64url.
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

impl CeremonyAnswer {
    /// The ceremony answered and the assertion, read.
    pub fn assertion(self) -> Result<(i64, PublicKeyCredential), ApiError> {
        Ok((self.ceremony_id, credential(self.credential)?))
    }
}
