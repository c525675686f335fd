//! The signed-in user's devices registered for Web Push: register one, list them, stop
//! one. Each user reaches only her own; a subscription holds no client data, so none of
//! this is audit-logged. Delivery is `crate::push`'s.

use crate::app::Identity;
use crate::db::queries::push::{self, SubscriptionRow};
use crate::error::ApiError;
use crate::push::subscription::ValidSubscription;
use crate::state::AppState;

/// Registers a browser's subscription for `who`. An endpoint known already (the same
/// browser, perhaps signed in by someone else before) moves to her.
pub async fn subscribe(
    state: &AppState,
    who: &Identity,
    valid: ValidSubscription,
) -> Result<SubscriptionRow, ApiError> {
    let now = state.clock.now();
    let user = who.user_id;
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let id = push::subscribe(conn, user, &valid.endpoint, &valid.p256dh, &valid.auth, now)?;
            push::find(conn, id)?.ok_or(ApiError::NotFound)
        })
        .await
}

/// `who`'s registered devices.
pub async fn of_user(state: &AppState, who: &Identity) -> Result<Vec<SubscriptionRow>, ApiError> {
    let user = who.user_id;
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(push::for_user(conn, user)?))
        .await
}

/// Stops notifications to one of `who`'s devices; another user's is not found.
pub async fn unsubscribe(state: &AppState, who: &Identity, id: i64) -> Result<(), ApiError> {
    let user = who.user_id;
    let removed = state
        .db
        .write(move |conn| Ok::<_, ApiError>(push::unsubscribe(conn, user, id)?))
        .await?;
    if removed == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}
