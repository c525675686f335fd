//! Locations: where shifts are held and contacts recorded.

use crate::db::DbConnection;
use crate::db::queries::locations;
use crate::error::ApiError;

/// Refuses a location that does not exist or is no longer in use: nothing new is
/// recorded or planned there.
pub fn require_active(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    match locations::find(conn, id) {
        Ok(location) if location.active => Ok(()),
        Ok(_) => Err(ApiError::invalid(
            "inactive_location",
            "That location is no longer in use.",
        )),
        Err(diesel::result::Error::NotFound) => Err(ApiError::invalid(
            "unknown_location",
            "That location does not exist.",
        )),
        Err(e) => Err(e.into()),
    }
}
