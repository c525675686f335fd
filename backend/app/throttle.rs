//! The throttle every way of proving who she is passes: a password at sign-in or asked
//! again when signed in, a second-factor code, the start of a passkey sign-in. An attempt
//! is counted before anything is checked, in the same write as the count (so a burst of
//! guesses sent at once is checked no more often than the limit allows); the failure it
//! was recorded as is forgotten only if it succeeds.

use chrono::{NaiveDateTime, TimeDelta};

use crate::app::audit::{self, Event, Outcome};
use crate::app::{Identity, slow};
use crate::auth::password;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::queries::login_failures::{self, Of};
use crate::db::queries::users;
use crate::error::ApiError;
use crate::state::AppState;

/// An attempt counted as a failed sign-in until it succeeds.
#[derive(Debug)]
pub struct Attempt {
    failure_id: i64,
}

impl Attempt {
    /// The attempt succeeded: it no longer counts. Inside the caller's write.
    pub fn succeeded(self, conn: &mut DbConnection) -> Result<(), ApiError> {
        login_failures::forget(conn, self.failure_id)?;
        Ok(())
    }
}

/// Counts an attempt on the account `username` (`None`: a name no account can have) from
/// `address`, inside the caller's write: refused while the account or the address has had
/// its limit of failures within the lockout window, otherwise recorded as one more failure
/// before it is checked.
pub fn attempt(
    conn: &mut DbConnection,
    settings: &Settings,
    username: Option<&str>,
    address: &str,
    now: NaiveDateTime,
) -> Result<Attempt, ApiError> {
    login_failures::take_turn(conn, username, address)?;
    let window = TimeDelta::minutes(i64::from(settings.login_lockout_minutes));
    let since = now - window;
    let by_account = match username {
        Some(name) => login_failures::recent(conn, Of::Username(name), since)?,
        None => login_failures::Recent::default(),
    };
    let by_address = login_failures::recent(conn, Of::Address(address), since)?;
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
    let failure_id = login_failures::record(conn, username.unwrap_or_default(), address, now)?;
    Ok(Attempt { failure_id })
}

/// Checks the password of `who` again before something only she may do (change it, take a
/// factor away): whoever holds her unlocked phone must not do that without it. It is an
/// attempt like a sign-in, under the same throttle; a wrong one is an audited failure of
/// `event`.
pub async fn password_again(
    state: &AppState,
    who: &Identity,
    password: String,
    event: &Event,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let settings = state.settings.clone();
    let (user, address) = (who.user_id, who.address.clone());
    let (stored, counted) = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, user)?;
            let counted = attempt(conn, &settings, Some(&user.username), &address, now)?;
            Ok((user.password_hash, counted))
        })
        .await?;
    let right = slow::run(move || password::verify(&password, &stored)).await?;
    let (who, event) = (who.clone(), *event);
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            if right {
                return counted.succeeded(conn);
            }
            Ok(audit::record(conn, &who, now, &event, Outcome::Failed)?)
        })
        .await?;
    if right {
        Ok(())
    } else {
        Err(ApiError::BadCredentials)
    }
}
