//! Accepting an invitation link: whoever opens it chooses the account's password, once.
//! The link's token is random and only its SHA-256 is stored (`users::create` makes it);
//! using it deletes it, so a used link is as unknown as one never made (404), and one past
//! its date is 410 `invitation_expired`. Accepting is an audit entry by the invited
//! account (`account.invitation_accept`), from the address it came from.

use crate::app::audit::{self, Action, Actor, Event, Outcome};
use crate::app::slow;
use crate::auth::password::{self, NewPassword};
use crate::auth::token::token_hash;
use crate::db::queries::{invitations, users};
use crate::error::ApiError;
use crate::state::AppState;

/// Sets the password of the account invited by `token` and uses the invitation up;
/// returns her username, to sign in with next (the second factor follows there).
pub async fn accept(
    state: &AppState,
    token: &str,
    password: NewPassword,
    address: String,
) -> Result<String, ApiError> {
    let hash = token_hash(token);
    let now = state.clock.now();
    let invitation = {
        let hash = hash.clone();
        state
            .db
            .read(move |conn| Ok::<_, ApiError>(invitations::find(conn, &hash)?))
            .await?
            .ok_or(ApiError::NotFound)?
    };
    if invitation.expires_at <= now {
        return Err(ApiError::gone(
            "invitation_expired",
            "This invitation has expired. Ask the administrator for a new way in.",
        ));
    }
    let password_hash = slow::run(move || password::hash(password.as_str()))
        .await?
        .map_err(ApiError::internal)?;
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            // Looked up again where it counts, and taken by deleting it: of the same link
            // opened twice at once only one sets a password. A disabled account is
            // invited no more.
            let found = invitations::find(conn, &hash)?.ok_or(ApiError::NotFound)?;
            let user = users::find(conn, found.user_id)?;
            if !user.active || invitations::delete_for_user(conn, user.id)? == 0 {
                return Err(ApiError::NotFound);
            }
            users::set_own_password(conn, user.id, &password_hash)?;
            let actor = Actor::signing_in(Some((user.id, user.role.as_str())), None, &address);
            let event = Event::account("account.invitation_accept", Action::Update);
            audit::record_by(conn, actor, now, &event, Outcome::Success)?;
            Ok(user.username)
        })
        .await
}
