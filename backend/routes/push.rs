//! Web Push set-up for the signed-in user's devices.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::push_subscriptions;
use crate::db::queries::push::SubscriptionRow;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::push::subscription;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(public_key)
        .service(subscribe)
        .service(list_subscriptions)
        .service(unsubscribe);
}

#[derive(Serialize, ToSchema)]
pub struct PublicKey {
    /// The VAPID public key as the browser's `applicationServerKey`: base64url of the
    /// uncompressed P-256 point.
    public_key: String,
}

/// The server's VAPID public key, for `pushManager.subscribe`.
#[utoipa::path(tag = "push", responses((status = 200, body = PublicKey), (status = 401, body = ErrorBody)))]
#[get("/push/public-key")]
async fn public_key(state: web::Data<AppState>, _who: Identity) -> web::Json<PublicKey> {
    web::Json(PublicKey {
        public_key: state.vapid.public_key().to_owned(),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    p256dh: String,
    auth: String,
}

/// The JSON of a browser `PushSubscription`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewSubscription {
    endpoint: String,
    /// Sent by browsers; accepted and not used (an expired subscription answers 404/410).
    #[serde(rename = "expirationTime")]
    #[schema(value_type = Option<f64>)]
    _expiration_time: Option<serde_json::Value>,
    keys: SubscriptionKeys,
}

#[derive(Serialize, ToSchema)]
pub struct SubscriptionView {
    id: i64,
    /// The push service's origin (enough to recognise a device; the full URL is a secret).
    push_service: String,
    created_at: DateTime<FixedOffset>,
    last_success_at: Option<DateTime<FixedOffset>>,
}

fn view(zone: Zone, row: SubscriptionRow) -> SubscriptionView {
    let push_service = reqwest::Url::parse(&row.endpoint)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    SubscriptionView {
        id: row.id,
        push_service,
        created_at: zone.to_local(row.created_at),
        last_success_at: row.last_success_at.map(|t| zone.to_local(t)),
    }
}

/// Register this device for notifications. The endpoint must be at a push service the
/// server sends to (`push_service_not_allowed` otherwise); an account has at most
/// `push_max_devices` devices (409 `too_many_devices`); an endpoint another account holds
/// is 409 `endpoint_taken`. The same endpoint again renews the device's keys.
#[utoipa::path(
    tag = "push",
    request_body = NewSubscription,
    responses((status = 201, body = SubscriptionView), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/push/subscriptions")]
async fn subscribe(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<NewSubscription>,
) -> Result<HttpResponse, ApiError> {
    let NewSubscription { endpoint, keys, .. } = body.into_inner();
    let valid = subscription::parse(&endpoint, &keys.p256dh, &keys.auth, &state.push.endpoints)?;
    let row = push_subscriptions::subscribe(&state, &who, valid).await?;
    Ok(HttpResponse::Created().json(view(state.zone, row)))
}

/// This user's registered devices.
#[utoipa::path(tag = "push", responses((status = 200, body = [SubscriptionView]), (status = 401, body = ErrorBody)))]
#[get("/push/subscriptions")]
async fn list_subscriptions(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<SubscriptionView>>, ApiError> {
    let rows = push_subscriptions::of_user(&state, &who).await?;
    Ok(web::Json(
        rows.into_iter().map(|r| view(state.zone, r)).collect(),
    ))
}

/// Stop notifications to a device.
#[utoipa::path(
    tag = "push",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[delete("/push/subscriptions/{id}")]
async fn unsubscribe(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    push_subscriptions::unsubscribe(&state, &who, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
