//! Passkeys: register one (or several) after signing in, sign in with one, list, rename
//! and remove them. Each WebAuthn ceremony is two requests; its state waits in the
//! database in between (`webauthn_ceremonies`), used once, for five minutes at most.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use webauthn_rs::prelude::RegisterPublicKeyCredential;

use super::signing_in::{
    self, Ceremony, CeremonyAnswer, Me, PasswordAgain, SecondFactorStep, credential,
};
use crate::app::Identity;
use crate::app::{accounts, passkeys};
use crate::auth::token::new_token;
use crate::db::queries::passkeys::PasskeyRow;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::address::client_address;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(register_start)
        .service(register_finish)
        .service(rename)
        .service(remove)
        .service(sign_in_start)
        .service(sign_in_finish);
}

#[derive(Serialize, ToSchema)]
pub struct PasskeyView {
    id: i64,
    /// The name she gave it, e.g. "Mijn telefoon".
    name: String,
    created_at: DateTime<FixedOffset>,
    last_used_at: Option<DateTime<FixedOffset>>,
}

impl PasskeyView {
    fn from_row(row: PasskeyRow, zone: Zone) -> PasskeyView {
        PasskeyView {
            id: row.id,
            name: row.name,
            created_at: zone.to_local(row.created_at),
            last_used_at: row.last_used_at.map(|at| zone.to_local(at)),
        }
    }
}

/// The user's passkeys, oldest first.
#[utoipa::path(tag = "passkeys", responses((status = 200, body = [PasskeyView]), (status = 401, body = ErrorBody)))]
#[get("/me/passkeys")]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<PasskeyView>>, ApiError> {
    let zone = state.zone;
    let rows = passkeys::list(&state, &who).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|row| PasskeyView::from_row(row, zone))
            .collect(),
    ))
}

/// Starts registering a passkey on this device (after signing in).
#[utoipa::path(tag = "passkeys", responses((status = 200, body = Ceremony), (status = 401, body = ErrorBody)))]
#[post("/me/passkeys/register")]
async fn register_start(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Ceremony>, ApiError> {
    let ceremony = passkeys::register_start(&state, &who).await?;
    Ok(web::Json(ceremony.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterFinish {
    ceremony_id: i64,
    /// What she calls it, e.g. "Mijn telefoon" (at most 60 characters).
    name: String,
    /// The browser's `PublicKeyCredential`, binary values in base64url.
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

/// Finishes registering: the new passkey is hers.
#[utoipa::path(
    tag = "passkeys",
    request_body = RegisterFinish,
    responses((status = 201, body = PasskeyView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/me/passkeys/register/finish")]
async fn register_finish(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<RegisterFinish>,
) -> Result<HttpResponse, ApiError> {
    let RegisterFinish {
        ceremony_id,
        name,
        credential: sent,
    } = body.into_inner();
    let name = text::bounded("name", &name, 60)?;
    let sent: RegisterPublicKeyCredential = credential(sent)?;
    let row = passkeys::register_finish(&state, &who, ceremony_id, name, sent).await?;
    Ok(HttpResponse::Created().json(PasskeyView::from_row(row, state.zone)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeyName {
    name: String,
}

/// Renames one of her passkeys.
#[utoipa::path(
    tag = "passkeys",
    params(("id" = i64, Path)),
    request_body = PasskeyName,
    responses((status = 200, body = PasskeyView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/me/passkeys/{id}")]
async fn rename(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<PasskeyName>,
) -> Result<web::Json<PasskeyView>, ApiError> {
    let id = path.into_inner();
    let name = text::bounded("name", &body.name, 60)?;
    let row = passkeys::rename(&state, &who, id, name).await?;
    Ok(web::Json(PasskeyView::from_row(row, state.zone)))
}

/// Removes one of her passkeys; asks for the password again (an attempt under the
/// sign-in throttle).
#[utoipa::path(
    tag = "passkeys",
    params(("id" = i64, Path)),
    request_body = PasswordAgain,
    responses(
        (status = 204),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "Too many failed attempts"),
    )
)]
#[delete("/me/passkeys/{id}")]
async fn remove(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<PasswordAgain>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    passkeys::remove(&state, &who, id, body.into_inner().password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeySignIn {
    username: String,
}

/// Starts signing in with a passkey of this account.
#[utoipa::path(
    tag = "passkeys",
    request_body = PasskeySignIn,
    responses((status = 200, body = Ceremony), (status = 401, body = ErrorBody, description = "No passkey for this account"), (status = 429, body = ErrorBody))
)]
#[post("/session/passkey")]
async fn sign_in_start(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<PasskeySignIn>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let username = accounts::parse_username(&body.username).ok();
    let address = client_address(&req, state.settings.trusted_proxies.addresses());
    let ceremony = passkeys::sign_in_start(&state, username, address).await?;
    Ok(web::Json(ceremony.into()))
}

/// Finishes signing in with a passkey: the session is complete (both factors at once).
#[utoipa::path(
    tag = "passkeys",
    request_body = CeremonyAnswer,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/session/passkey/finish")]
async fn sign_in_finish(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<CeremonyAnswer>,
) -> Result<HttpResponse, ApiError> {
    let (ceremony_id, sent) = body.into_inner().assertion()?;
    let (token, token_hash) = new_token();
    let arrival = signing_in::arrival(&state, &req, token_hash);
    let user = passkeys::sign_in_finish(&state, ceremony_id, sent, arrival).await?;
    let me = Me::from_row(user, SecondFactorStep::None)?;
    Ok(signing_in::signed_in(&state, &token, &me))
}
