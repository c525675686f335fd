//! Accepting an invitation link (`<origin>/#/uitnodiging/<token>`): the app asks for a
//! password and sends it here with the token; no session needed, the token is the secret.

use actix_web::{HttpRequest, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::invitations;
use crate::auth::password::NewPassword;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::address::client_address;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(accept_invitation);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationAnswer {
    /// Her own password: 12 to 128 characters, not a well-known one.
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// Her username, to sign in with now (the second factor is set up there).
    username: String,
}

/// Choose the password of an invited account; the invitation works once.
#[utoipa::path(
    tag = "users",
    params(("token" = String, Path)),
    request_body = InvitationAnswer,
    responses(
        (status = 200, body = Accepted),
        (status = 404, body = ErrorBody, description = "Unknown, or used already"),
        (status = 410, body = ErrorBody, description = "Expired: `invitation_expired`"),
        (status = 422, body = ErrorBody, description = "Password too weak"),
    )
)]
#[post("/invitations/{token}")]
async fn accept_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: Json<InvitationAnswer>,
) -> Result<web::Json<Accepted>, ApiError> {
    let password = NewPassword::parse(&body.password)?;
    let address = client_address(&req, state.settings.trusted_proxies.addresses());
    let username = invitations::accept(&state, &path, password, address).await?;
    Ok(web::Json(Accepted { username }))
}
