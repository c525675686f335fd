//! What makes a write safe to send again from the phone's outbox (a contact, a signal, an
//! assessment): the caller's `Idempotency-Key` and a hash of the request it was first
//! sent with. The same request again answers what it recorded then; another request under
//! a key used before is refused, and writes nothing.

use crate::db::is_unique_violation;
use crate::error::ApiError;

/// The key was stored already, by an earlier request or by a concurrent one that committed
/// first: answered as a replay of what that one recorded, never sent to a phone.
pub const KEY_RACE: &str = "idempotency_race";

#[derive(Debug, Clone)]
pub struct Retry {
    pub key: String,
    pub request_hash: String,
}

impl Retry {
    /// Whether this is the request the key was first used with (`stored_hash`, none when
    /// it was something else altogether): if not, 422 `idempotency_key_reused`.
    pub fn same_as(&self, stored_hash: Option<&str>) -> Result<(), ApiError> {
        if stored_hash == Some(self.request_hash.as_str()) {
            Ok(())
        } else {
            Err(ApiError::invalid(
                "idempotency_key_reused",
                "This Idempotency-Key was used before with a different request.",
            ))
        }
    }
}

/// The outcome of storing a retry's key with what it recorded: a key stored already means
/// another request with it committed first (`KEY_RACE`), and this write rolls back.
pub fn remembered<T>(stored: diesel::QueryResult<T>) -> Result<(), ApiError> {
    match stored {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => {
            Err(ApiError::conflict(KEY_RACE, "Recorded by a retry."))
        }
        Err(e) => Err(e.into()),
    }
}
