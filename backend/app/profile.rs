//! The signed-in user's own account: who she is, her password, her quiet hours.

use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::throttle::password_again;
use crate::app::{Identity, slow};
use crate::auth::password::{self, NewPassword};
use crate::db::queries::sessions;
use crate::db::queries::users::{self, UserRow};
use crate::domain::quiet_hours::QuietHours;
use crate::error::ApiError;
use crate::state::AppState;

/// Her account.
pub async fn find(state: &AppState, who: &Identity) -> Result<UserRow, ApiError> {
    let user = who.user_id;
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(users::find(conn, user)?))
        .await
}

/// Changes her password, given the current one (an attempt under the sign-in throttle);
/// every other session of hers ends. A wrong current password is an audited failure.
pub async fn change_password(
    state: &AppState,
    who: &Identity,
    current: String,
    new: NewPassword,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let event = Event::account("session.password_change", Action::Update);
    password_again(state, who, current, &event, now).await?;
    let hash = slow::run(move || password::hash(new.as_str()))
        .await?
        .map_err(ApiError::internal)?;
    let who = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            users::set_password_hash(conn, who.user_id, &hash)?;
            sessions::delete_for_user(conn, who.user_id, Some(who.session_id))?;
            Ok(audit::record(conn, &who, now, &event, Outcome::Success)?)
        })
        .await
}

/// Sets her quiet hours; notifications raised inside them arrive when they end. Returns
/// her account as it is now.
pub async fn set_quiet_hours(
    state: &AppState,
    who: &Identity,
    quiet: QuietHours,
) -> Result<UserRow, ApiError> {
    let (start, end) = (
        QuietHours::format(quiet.start),
        QuietHours::format(quiet.end),
    );
    let user = who.user_id;
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            users::set_quiet_hours(conn, user, &start, &end)?;
            Ok(users::find(conn, user)?)
        })
        .await
}
