//! The one error type of the use cases: every failure becomes `{"error": code, "message":
//! text}` with a deliberate status (the HTTP layer, `http::errors`, writes it out).
//! Unexpected failures are logged with their cause and answered opaquely.

use crate::db::DbError;
use crate::domain::audit::Event;

/// Stable snake_case `error` codes let the PWA translate messages; `message` is English
/// text a person can act on and never contains client data.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    #[error("sign in first")]
    Unauthenticated,
    #[error("username or password is wrong")]
    BadCredentials,
    /// Signed in with a password; the second factor is still to come.
    #[error("second factor required")]
    SecondFactorRequired,
    /// Signed in with a one-time start password: she chooses her own before anything else
    /// (`PUT /me/password`; `GET /me` says so).
    #[error("password change required")]
    PasswordChangeRequired,
    /// The right start password, but past its date: the admin hands out a new one.
    #[error("start password expired")]
    StartPasswordExpired,
    /// The session is locked (idle, or locked by the app): unlock with the PIN, or sign in.
    #[error("locked")]
    Locked,
    /// A wrong PIN for unlocking.
    #[error("wrong pin")]
    WrongPin,
    /// The device was revoked (signed out, ended from another device, account disabled):
    /// its offline store is to be wiped.
    #[error("device revoked")]
    DeviceRevoked,
    /// A second-factor or recovery code that is wrong, expired or used already.
    #[error("wrong or used code")]
    BadCode,
    /// A passkey sign-in for an account without passkeys (or none at all).
    #[error("no passkey")]
    NoPasskey,
    #[error("{0}")]
    Forbidden(&'static str),
    /// Refused by a need-to-know check about `event`: answered as `answer`, and written to
    /// the audit trail as denied once the refused work has rolled back (`http::audit`).
    #[error("{answer}")]
    Denied { event: Event, answer: Box<ApiError> },
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// Existed, but no longer works (an expired invitation).
    #[error("{message}")]
    Gone { code: &'static str, message: String },
    #[error("the request body is too large")]
    PayloadTooLarge,
    #[error("the request took too long to arrive")]
    RequestTimeout,
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Unprocessable {
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn gone(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Gone {
            code,
            message: message.into(),
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> ApiError {
        ApiError::Internal(err.into())
    }

    /// A refusal about `event` that the audit trail must hold, answered as `answer`.
    pub fn denied(event: Event, answer: ApiError) -> ApiError {
        ApiError::Denied {
            event,
            answer: Box::new(answer),
        }
    }

    /// What is sent: a denial is answered as its answer.
    pub fn answer(&self) -> &ApiError {
        match self {
            ApiError::Denied { answer, .. } => answer.answer(),
            other => other,
        }
    }

    pub fn code(&self) -> &'static str {
        match self.answer() {
            ApiError::BadRequest { code, .. }
            | ApiError::Unprocessable { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Gone { code, .. } => code,
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::BadCredentials => "invalid_credentials",
            ApiError::SecondFactorRequired => "second_factor_required",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::StartPasswordExpired => "start_password_expired",
            ApiError::BadCode => "invalid_code",
            ApiError::Locked => "locked",
            ApiError::WrongPin => "wrong_pin",
            ApiError::DeviceRevoked => "device_revoked",
            ApiError::NoPasskey => "no_passkey",
            ApiError::Forbidden(_) | ApiError::Denied { .. } => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::PayloadTooLarge => "too_large",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The HTTP status it is answered with.
    pub fn status(&self) -> u16 {
        match self.answer() {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthenticated
            | ApiError::BadCredentials
            | ApiError::SecondFactorRequired
            | ApiError::PasswordChangeRequired
            | ApiError::StartPasswordExpired
            | ApiError::BadCode
            | ApiError::Locked
            | ApiError::WrongPin
            | ApiError::NoPasskey => 401,
            ApiError::Forbidden(_) | ApiError::Denied { .. } => 403,
            ApiError::NotFound => 404,
            ApiError::RequestTimeout => 408,
            ApiError::Conflict { .. } => 409,
            ApiError::DeviceRevoked | ApiError::Gone { .. } => 410,
            ApiError::PayloadTooLarge => 413,
            ApiError::Unprocessable { .. } => 422,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Internal(_) => 500,
            ApiError::Unavailable => 503,
        }
    }

    /// The sentence sent with the code.
    pub fn message(&self) -> String {
        match self.answer() {
            ApiError::NotFound => "Not found.".to_owned(),
            ApiError::PayloadTooLarge => "The request body is too large.".to_owned(),
            ApiError::RequestTimeout => {
                "The request did not arrive in time; send it again.".to_owned()
            }
            ApiError::Unauthenticated => "Sign in first.".to_owned(),
            ApiError::BadCredentials => "Username or password is wrong.".to_owned(),
            ApiError::SecondFactorRequired => {
                "Confirm with your second factor first (the code from your authenticator app)."
                    .to_owned()
            }
            ApiError::PasswordChangeRequired => {
                "Choose your own password first: a start password is good for nothing else."
                    .to_owned()
            }
            ApiError::StartPasswordExpired => {
                "This start password has expired. Ask the administrator for a new one.".to_owned()
            }
            ApiError::NoPasskey => {
                "There is no passkey for this account here. Sign in with your password.".to_owned()
            }
            ApiError::Locked => {
                "InBeeld is locked on this device. Unlock it with your PIN, or sign in again."
                    .to_owned()
            }
            ApiError::WrongPin => "That PIN is wrong.".to_owned(),
            ApiError::DeviceRevoked => {
                "This device was signed out; what it kept is to be wiped. Sign in again.".to_owned()
            }
            ApiError::BadCode => {
                "That code is wrong, expired or used already. Wait for the next one.".to_owned()
            }
            ApiError::Unavailable => {
                "The server is busy or cannot reach its database; try again shortly.".to_owned()
            }
            ApiError::Internal(_) => "Something went wrong on the server.".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<crate::domain::Invalid> for ApiError {
    fn from(invalid: crate::domain::Invalid) -> ApiError {
        ApiError::Unprocessable {
            code: invalid.code,
            message: invalid.message,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => ApiError::NotFound,
            // Use cases check the ids they are given; one that slips through is still the
            // request's mistake, not the server's. Logged, as it shows a missing check.
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                tracing::warn!("a request referred to a row that does not exist");
                ApiError::invalid(
                    "unknown_reference",
                    "The request refers to something that does not exist.",
                )
            }
            // A connection that died with the database server: the pool drops it (see
            // `Db::connect`) and the phone's outbox sends the request again.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => {
                tracing::warn!("a database connection was lost");
                ApiError::Unavailable
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                tracing::warn!("a write was rolled back by a serialization failure");
                ApiError::Unavailable
            }
            // Two writes on PostgreSQL that each held what the other needed: one was rolled
            // back and nothing of it kept. The phone's outbox sends it again.
            Error::DatabaseError(_, info) if info.message().starts_with("deadlock detected") => {
                tracing::warn!("a write was rolled back to end a deadlock");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> ApiError {
        match err {
            DbError::Query(err) => err.into(),
            DbError::Unavailable(why) => {
                tracing::warn!(error = %why, "database pool exhausted or unreachable");
                ApiError::Unavailable
            }
            DbError::Failed(why) => ApiError::internal(anyhow::anyhow!(why)),
        }
    }
}
