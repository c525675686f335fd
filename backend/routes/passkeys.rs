//! Passkeys: register one (or several) after signing in, sign in with one, list, rename
//! and remove them. Each WebAuthn ceremony is two requests; its state waits in the
//! database in between (`webauthn_ceremonies`), used once, for five minutes at most.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};

use crate::app::Identity;
use crate::app::accounts;
use crate::app::audit::{self, Action, Actor, Event, Outcome};
use crate::auth::address::client_address;
use crate::auth::{passkey, session};
use crate::db::queries::passkeys::{self, NewPasskey, PasskeyRow};
use crate::db::queries::{login_failures, sessions, users};
use crate::db::{DbConnection, write_transaction};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::routes::second_factor::PasswordAgain;
use crate::routes::session::{Me, SecondFactorStep, device_of, open_session, signed_in, throttle};
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

/// How long a ceremony may take between its two requests.
const CEREMONY_MINUTES: i64 = 5;

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

/// The first half of a ceremony: what the browser passes to `navigator.credentials`.
#[derive(Serialize, ToSchema)]
pub struct Ceremony {
    ceremony_id: i64,
    /// `{"publicKey": ...}` for `navigator.credentials.create` or `.get`, binary values
    /// in base64url.
    #[schema(value_type = Object)]
    options: serde_json::Value,
}

impl Ceremony {
    /// Keeps the ceremony's `state` for its second request and gives the browser `options`.
    fn open(
        conn: &mut DbConnection,
        user_id: i64,
        kind: &str,
        options: &impl Serialize,
        state: &impl Serialize,
        now: NaiveDateTime,
    ) -> Result<Ceremony, ApiError> {
        Ok(Ceremony {
            ceremony_id: passkeys::start_ceremony(conn, user_id, kind, &stored(state)?, now)?,
            options: serde_json::to_value(options).map_err(ApiError::internal)?,
        })
    }
}

fn stored<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}

fn restored<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

/// A user's passkeys as webauthn-rs uses them.
fn keys_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<Passkey>, ApiError> {
    passkeys::for_user(conn, user_id)?
        .iter()
        .map(|row| restored(&row.credential))
        .collect()
}

/// What the browser sent as a credential, in the shape webauthn-rs reads.
fn credential<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|_| {
        ApiError::bad_request("bad_credential", "The passkey's answer could not be read.")
    })
}

fn ceremony_gone() -> ApiError {
    ApiError::conflict(
        "ceremony_expired",
        "This passkey request has expired or was used already. Start again.",
    )
}

/// The user's passkeys, oldest first.
#[utoipa::path(tag = "passkeys", responses((status = 200, body = [PasskeyView]), (status = 401, body = ErrorBody)))]
#[get("/me/passkeys")]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<PasskeyView>>, ApiError> {
    let zone = state.zone;
    let rows = state
        .db
        .run(move |conn| Ok::<_, ApiError>(passkeys::for_user(conn, who.user_id)?))
        .await?;
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
    let now = state.clock.now();
    let webauthn = state.webauthn.clone();
    let ceremony = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let user = users::find(conn, who.user_id)?;
            let existing = keys_of(conn, user.id)?
                .iter()
                .map(|key| key.cred_id().clone())
                .collect();
            let (options, registration) = webauthn
                .start_passkey_registration(
                    passkey::user_handle(user.id),
                    &user.username,
                    &user.display_name,
                    Some(existing),
                )
                .map_err(ApiError::internal)?;
            Ceremony::open(conn, user.id, "register", &options, &registration, now)
        })
        .await?;
    Ok(web::Json(ceremony))
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
    body: web::Json<RegisterFinish>,
) -> Result<HttpResponse, ApiError> {
    let RegisterFinish {
        ceremony_id,
        name,
        credential: sent,
    } = body.into_inner();
    let name = text::bounded("name", &name, 60)?;
    let sent: RegisterPublicKeyCredential = credential(sent)?;
    let now = state.clock.now();
    let zone = state.zone;
    let webauthn = state.webauthn.clone();
    let row = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let since = now - TimeDelta::minutes(CEREMONY_MINUTES);
            let (user_id, state) = passkeys::take_ceremony(conn, ceremony_id, "register", since)?
                .filter(|(user, _)| *user == who.user_id)
                .ok_or_else(ceremony_gone)?;
            let registration: PasskeyRegistration = restored(&state)?;
            let event = Event::account("second_factor.passkey.register", Action::Create);
            let Ok(key) = webauthn.finish_passkey_registration(&sent, &registration) else {
                audit::record(conn, &who, now, &event, Outcome::Failed)?;
                return Err(ApiError::invalid(
                    "passkey_refused",
                    "The passkey could not be registered. Try again.",
                ));
            };
            let credential_id = passkey::credential_key(key.cred_id());
            write_transaction(conn, |conn| {
                let row = passkeys::insert(
                    conn,
                    &NewPasskey {
                        user_id,
                        name: &name,
                        credential_id: &credential_id,
                        credential: &stored(&key)?,
                    },
                    now,
                )?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok::<_, ApiError>(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(PasskeyView::from_row(row, zone)))
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
    body: web::Json<PasskeyName>,
) -> Result<web::Json<PasskeyView>, ApiError> {
    let id = path.into_inner();
    let name = text::bounded("name", &body.name, 60)?;
    let zone = state.zone;
    let row = state
        .db
        .run(move |conn| passkeys::rename(conn, who.user_id, id, &name)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(web::Json(PasskeyView::from_row(row, zone)))
}

/// Removes one of her passkeys; asks for the password again.
#[utoipa::path(
    tag = "passkeys",
    params(("id" = i64, Path)),
    request_body = PasswordAgain,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/me/passkeys/{id}")]
async fn remove(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<PasswordAgain>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::account("second_factor.passkey.remove", Action::Delete);
            body.check(conn, &who, now, &event)?;
            write_transaction(conn, |conn| {
                if passkeys::remove(conn, who.user_id, id)? == 0 {
                    return Err(ApiError::NotFound);
                }
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok(())
            })
        })
        .await?;
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
    body: web::Json<PasskeySignIn>,
) -> Result<web::Json<Ceremony>, ApiError> {
    let username = accounts::parse_username(&body.username).ok();
    let address = client_address(&req, state.settings.trusted_proxies.addresses());
    let now = state.clock.now();
    let settings = state.settings.clone();
    let webauthn = state.webauthn.clone();
    let ceremony = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            throttle(conn, &settings, username.as_deref(), &address, now)?;
            let user = match &username {
                Some(name) => users::find_by_username(conn, name)?.filter(|u| u.active),
                None => None,
            };
            let keys = match &user {
                Some(user) => keys_of(conn, user.id)?,
                None => Vec::new(),
            };
            let Some(user) = user.filter(|_| !keys.is_empty()) else {
                // Counted like a wrong password: probing accounts costs the address.
                login_failures::record(
                    conn,
                    username.as_deref().unwrap_or_default(),
                    &address,
                    now,
                )?;
                return Err(ApiError::NoPasskey);
            };
            let (options, authentication) = webauthn
                .start_passkey_authentication(&keys)
                .map_err(ApiError::internal)?;
            Ceremony::open(
                conn,
                user.id,
                "authenticate",
                &options,
                &authentication,
                now,
            )
        })
        .await?;
    Ok(web::Json(ceremony))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeySignInFinish {
    ceremony_id: i64,
    /// The browser's `PublicKeyCredential` (an assertion), binary values in base64url.
    #[schema(value_type = Object)]
    credential: serde_json::Value,
}

/// Finishes signing in with a passkey: the session is complete (both factors at once).
#[utoipa::path(
    tag = "passkeys",
    request_body = PasskeySignInFinish,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/session/passkey/finish")]
async fn sign_in_finish(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<PasskeySignInFinish>,
) -> Result<HttpResponse, ApiError> {
    let PasskeySignInFinish {
        ceremony_id,
        credential: sent,
    } = body.into_inner();
    let sent: PublicKeyCredential = credential(sent)?;
    let address = client_address(&req, state.settings.trusted_proxies.addresses());
    let device = device_of(&req);
    let now = state.clock.now();
    let webauthn = state.webauthn.clone();
    let (token, token_hash) = session::new_token();
    let me = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let since = now - TimeDelta::minutes(CEREMONY_MINUTES);
            let (user_id, state) =
                passkeys::take_ceremony(conn, ceremony_id, "authenticate", since)?
                    .ok_or_else(ceremony_gone)?;
            let user = users::find(conn, user_id)?;
            let authentication: PasskeyAuthentication = restored(&state)?;
            let event = Event::account("session.sign_in.passkey", Action::Execute);
            let verified = webauthn
                .finish_passkey_authentication(&sent, &authentication)
                .ok()
                .filter(|result| result.user_verified() && user.active);
            let Some(result) = verified else {
                login_failures::record(conn, &user.username, &address, now)?;
                let actor = Actor::signing_in(Some((user.id, user.role.as_str())), None, &address);
                audit::record_by(conn, actor, now, &event, Outcome::Failed)?;
                return Err(ApiError::BadCredentials);
            };
            let credential_id = passkey::credential_key(result.cred_id());
            let row = passkeys::find_by_credential_id(conn, &credential_id)?
                .filter(|row| row.user_id == user.id)
                .ok_or(ApiError::BadCredentials)?;
            let mut key: Passkey = restored(&row.credential)?;
            key.update_credential(&result);
            let origin = sessions::Origin {
                address: &address,
                device: &device,
            };
            // The counter moves on even if opening the session fails: the assertion was used.
            passkeys::used(conn, row.id, &stored(&key)?, now)?;
            open_session(conn, &user, &token_hash, &origin, Some(now), now, &event)?;
            Me::from_row(user, SecondFactorStep::None)
        })
        .await?;
    Ok(signed_in(&state, &token, &me))
}
