//! Slow work (argon2 hashes, WebAuthn signatures, QR codes) off the async threads and
//! outside the write transaction: the writer commits others' work meanwhile.

use crate::error::ApiError;

/// Runs `work` on the blocking thread pool and waits for it.
pub async fn run<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)
}
