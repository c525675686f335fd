//! What makes a write safe to send again from the phone's outbox (a contact, a signal, an
//! assessment): the caller's `Idempotency-Key` and a hash of the request it was first
//! sent with. The same request again answers what it recorded then; another request under
//! a key used before is refused, and writes nothing.

use crate::error::ApiError;

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
