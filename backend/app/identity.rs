//! Who is acting: the signed-in user behind a request, as the use cases see her.

use crate::domain::audit::Actor;
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::error::ApiError;

/// The signed-in user behind a request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: i64,
    pub role: Role,
    pub team_id: Option<i64>,
    pub session_id: i64,
    pub address: String,
}

impl Identity {
    /// Refuses unless the role is one of `allowed`.
    pub fn require(&self, allowed: fn(Role) -> bool) -> Result<(), ApiError> {
        if allowed(self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "Your role does not give access to this.",
            ))
        }
    }

    /// The team of a care role (guaranteed by account rules; checked again here).
    pub fn team(&self) -> Result<i64, ApiError> {
        self.team_id
            .ok_or(ApiError::Forbidden("Your account belongs to no team."))
    }

    /// As the audit trail records her.
    pub fn actor(&self) -> Actor<'_> {
        Actor {
            user_id: Some(self.user_id),
            role: Some(self.role.as_str()),
            session_id: Some(self.session_id),
            address: Some(&self.address),
        }
    }
}
