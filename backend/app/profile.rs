//! The signed-in user's own account: who she is, her password, her quiet hours.

use crate::app::audit::{self, Action, Event};
use crate::app::session::{SecondFactorStep, second_factor_step};
use crate::app::throttle::password_again;
use crate::app::{Identity, slow};
use crate::auth::password::{self, NewPassword};
use crate::db::queries::sessions;
use crate::db::queries::users::{self, UserRow};
use crate::domain::quiet_hours::QuietHours;
use crate::error::ApiError;
use crate::state::AppState;

/// Her account, and what this session still needs for its second factor: nothing once
/// `complete`, else what signing in said (a session that must choose its password first
/// gets this far without it).
pub async fn find(
    state: &AppState,
    who: &Identity,
    complete: bool,
) -> Result<(UserRow, SecondFactorStep), ApiError> {
    let user = who.user_id;
    let required = state.settings.second_factor_required && !complete;
    state
        .db
        .read(move |conn| {
            let step = second_factor_step(conn, user, required)?;
            Ok::<_, ApiError>((users::find(conn, user)?, step))
        })
        .await
}

/// Changes her password, given the current one (an attempt under the sign-in throttle);
/// every other session of hers ends. A wrong current password is an audited failure. The
/// new one is her own: a start password it replaces no longer binds the session, and the
/// same password again is refused (a start password someone else knows must go).
pub async fn change_password(
    state: &AppState,
    who: &Identity,
    current: String,
    new: NewPassword,
) -> Result<(), ApiError> {
    if current == new.as_str() {
        return Err(ApiError::invalid(
            "password_unchanged",
            "The new password must differ from the current one.",
        ));
    }
    let now = state.clock.now();
    let event = Event::account("session.password_change", Action::Update);
    password_again(state, who, current, &event, now).await?;
    let hash = slow::run(move || password::hash(new.as_str()))
        .await?
        .map_err(ApiError::internal)?;
    audit::write_logged(state, who, now, event, move |conn, who| {
        users::set_own_password(conn, who.user_id, &hash)?;
        sessions::delete_for_user(conn, who.user_id, Some(who.session_id))?;
        Ok(())
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
