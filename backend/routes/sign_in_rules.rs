//! What the app must know before anyone signs in.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_in_rules);
}

#[derive(Serialize, ToSchema)]
pub struct SignInRules {
    /// False only for a demo or local development: the app then shows a warning banner on
    /// every screen, so nobody mistakes such a server for one fit for client data.
    second_factor_required: bool,
}

/// The rules of signing in on this server; needs no session.
#[utoipa::path(tag = "session", responses((status = 200, body = SignInRules)))]
#[get("/sign-in-rules")]
async fn sign_in_rules(state: web::Data<AppState>) -> web::Json<SignInRules> {
    web::Json(SignInRules {
        second_factor_required: state.settings.second_factor_required,
    })
}
