//! An account's ways in, as the admin hands them out again: a new one-time start password
//! for a lost password, and a reset of the second factor for a lost phone. Both end her
//! sessions and revoke her devices (what her phones kept becomes unreadable), and each is
//! an audit entry saying whose account (`account.start_password`,
//! `account.second_factor_reset`). Neither is for the admin's own account: she changes
//! her password and her factors under Instellingen, where they ask for her password.

use chrono::TimeDelta;
use serde_json::json;

use crate::app::audit::{self, Action, Event};
use crate::app::users::require_admin;
use crate::app::{Identity, slow};
use crate::auth::password::{self, random_password};
use crate::db::DbConnection;
use crate::db::queries::{
    devices, invitations, login_failures, passkeys, second_factor, sessions, users,
};
use crate::domain::ids::UserId;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a start password or an invitation link works (`invitation_days`).
pub fn start_lifetime(state: &AppState) -> TimeDelta {
    TimeDelta::days(i64::from(state.settings.invitation_days))
}

/// Only the admin, and not on her own account.
fn require_admin_of_another(who: &Identity, account: UserId) -> Result<(), ApiError> {
    require_admin(who)?;
    if account.get() == who.user_id {
        return Err(ApiError::invalid(
            "own_account",
            "Change your own password and second factor under your settings.",
        ));
    }
    Ok(())
}

/// Ends every session of `user` and revokes her devices, then writes the audit entry
/// `event` naming her account. Inside the caller's write.
fn sign_out_everywhere(
    conn: &mut DbConnection,
    by: &Identity,
    user: i64,
    event: Event,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    devices::revoke_for_user(conn, user, now)?;
    sessions::delete_for_user(conn, user, None)?;
    let detail = json!({"account": user});
    audit::record_change(conn, by.actor(), now, &event, &detail)?;
    Ok(())
}

/// Gives account `id` a new one-time start password, returned to be shown this once (a
/// lost password): her old password and any invitation stop working, and her failed
/// sign-ins are forgotten (the admin has made sure who she is). Her second factor stays.
pub async fn new_start_password(
    state: &AppState,
    who: &Identity,
    id: UserId,
) -> Result<String, ApiError> {
    require_admin_of_another(who, id)?;
    let secret = random_password();
    let hash = {
        let secret = secret.clone();
        slow::run(move || password::hash(&secret))
            .await?
            .map_err(ApiError::internal)?
    };
    let now = state.clock.now();
    let expires_at = now + start_lifetime(state);
    let by = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, id.get())?;
            users::set_start_password(conn, user.id, &hash, expires_at)?;
            invitations::delete_for_user(conn, user.id)?;
            login_failures::clear_for_username(conn, &user.username)?;
            let event = Event::account("account.start_password", Action::Update);
            sign_out_everywhere(conn, &by, user.id, event, now)
        })
        .await?;
    Ok(secret)
}

/// Removes account `id`'s authenticator app, recovery codes and passkeys (a lost phone):
/// she enrols anew at her next sign-in, with her password.
pub async fn reset_second_factor(
    state: &AppState,
    who: &Identity,
    id: UserId,
) -> Result<(), ApiError> {
    require_admin_of_another(who, id)?;
    let now = state.clock.now();
    let by = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, id.get())?;
            second_factor::remove(conn, user.id)?;
            passkeys::remove_all_for_user(conn, user.id)?;
            let event = Event::account("account.second_factor_reset", Action::Delete);
            sign_out_everywhere(conn, &by, user.id, event, now)
        })
        .await
}
