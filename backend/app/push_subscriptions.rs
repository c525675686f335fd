//! The signed-in user's devices registered for Web Push: register one, list them, stop
//! one. Each user reaches only her own; a subscription holds no client data, so none of
//! this is audit-logged. Delivery is `crate::push`'s.

use crate::app::{Identity, read_own};
use crate::db::DbConnection;
use crate::db::insert_once;
use crate::db::queries::devices;
use crate::db::queries::push::{self, SubscriptionRow};
use crate::error::ApiError;
use crate::push::subscription::ValidSubscription;
use crate::state::AppState;

/// Registers a browser's subscription for `who`, at most `push_max_devices` of them. Her
/// own endpoint again is the same device with the browser's keys now. An endpoint another
/// account holds stays with it (409): whoever learnt it cannot take her notifications;
/// her browser gets a new endpoint by subscribing anew. The subscription belongs to the
/// phone her session is on: revoking that device removes it (`devices::revoke_where`).
pub async fn subscribe(
    state: &AppState,
    who: &Identity,
    valid: ValidSubscription,
) -> Result<SubscriptionRow, ApiError> {
    let now = state.clock.now();
    let (user, session) = (who.user_id, who.session_id);
    let max_devices = i64::from(state.settings.push_max_devices);
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let device = devices::of_session(conn, session)?.map(|device| device.id);
            let device = device.as_deref();
            if let Some(id) = renewed(conn, user, &valid, device)? {
                return push::find(conn, id)?.ok_or(ApiError::NotFound);
            }
            push::lock_devices_of(conn, user)?;
            if push::count_for_user(conn, user)? >= max_devices {
                return Err(ApiError::conflict(
                    "too_many_devices",
                    format!(
                        "Notifications go to at most {max_devices} devices per account. Turn them off on one you no longer use."
                    ),
                ));
            }
            let inserted = insert_once(conn, |conn| {
                let (endpoint, p256dh, auth) = (&valid.endpoint, &valid.p256dh, &valid.auth);
                push::subscribe(conn, user, endpoint, p256dh, auth, device, now)
            })?;
            // Inserted by someone else just now: hers (a second tap) or taken.
            let id = match inserted {
                Some(id) => id,
                None => renewed(conn, user, &valid, device)?.ok_or_else(taken)?,
            };
            push::find(conn, id)?.ok_or(ApiError::NotFound)
        })
        .await
}

/// The id of `user`'s subscription at `valid`'s endpoint, its keys renewed; `None` when
/// nobody holds the endpoint; `endpoint_taken` when another account does.
fn renewed(
    conn: &mut DbConnection,
    user: i64,
    valid: &ValidSubscription,
    device: Option<&str>,
) -> Result<Option<i64>, ApiError> {
    match push::holder_of(conn, &valid.endpoint)? {
        None => Ok(None),
        Some((id, holder)) if holder == user => {
            push::renew(conn, id, &valid.p256dh, &valid.auth, device)?;
            Ok(Some(id))
        }
        Some(_) => Err(taken()),
    }
}

fn taken() -> ApiError {
    ApiError::conflict(
        "endpoint_taken",
        "This device's push address is registered to another account. Turn notifications off and on again to get a new one.",
    )
}

/// `who`'s registered devices.
pub async fn of_user(state: &AppState, who: &Identity) -> Result<Vec<SubscriptionRow>, ApiError> {
    read_own(state, who, push::for_user).await
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
