//! Signals: recording one in a few taps (with `Idempotency-Key`, from the outbox), as a
//! warning to those on shift if need be; the team's list, tonight's warnings, one signal,
//! and the signals about a client on her file.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::signal_view::{SignalView, parse_time, view, views};
use crate::app::Identity;
use crate::app::signals::{self, Noticed, Recorded, read};
use crate::domain::ids::{ClientId, LocationId, ShiftId};
use crate::domain::signal::{SignalKind, SignalStatus};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::idempotency::Keyed;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    // Tonight's warnings before one signal: `/signals/warnings` is not an id.
    cfg.service(create_signal)
        .service(list_signals)
        .service(tonight_warnings)
        .service(one_signal)
        .service(client_signals);
}

/// The longest text of a signal: a few sentences typed on a phone.
const TEXT_MAX: usize = 1000;
/// The longest description of an unknown woman.
const DESCRIPTION_MAX: usize = 300;
/// The most indicators one signal can tick.
const INDICATORS_MAX: usize = 50;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSignal {
    kind: SignalKind,
    /// When it happened: local wall time or RFC 3339; default now. Up to a year back,
    /// never in the future.
    occurred_at: Option<String>,
    /// Where; defaults to the shift's location.
    location_id: Option<i64>,
    shift_id: Option<i64>,
    /// The known client it concerns (of your team); not with `description`.
    client_id: Option<i64>,
    /// A short description of a woman nobody knows yet (up to 300 characters).
    description: Option<String>,
    /// What happened, in a few words (up to 1000 characters).
    text: Option<String>,
    /// Ticked indicators of the team's checklist; only for `trafficking`.
    #[serde(default)]
    indicator_ids: Vec<i64>,
    /// Send it as a warning: an urgent push, at once, to everyone on tonight's shifts and
    /// the coordinator. Only for `violence` and `dangerous_customer`.
    #[serde(default)]
    warning: bool,
}

fn noticed(state: &AppState, body: CreateSignal) -> Result<Noticed, ApiError> {
    if body.indicator_ids.len() > INDICATORS_MAX {
        return Err(ApiError::invalid(
            "validation_failed",
            format!("indicator_ids may hold at most {INDICATORS_MAX} indicators."),
        ));
    }
    let occurred_at = body
        .occurred_at
        .as_deref()
        .map(|at| parse_time(state, "occurred_at", at))
        .transpose()?;
    Ok(Noticed {
        kind: body.kind,
        occurred_at,
        location: body.location_id.map(LocationId),
        shift: body.shift_id.map(ShiftId),
        client: body.client_id.map(ClientId),
        description: text::optional("description", body.description.as_deref(), DESCRIPTION_MAX)?,
        text: text::optional("text", body.text.as_deref(), TEXT_MAX)?,
        indicators: body.indicator_ids,
        warning: body.warning,
    })
}

/// Record a signal (coordinator, casemanager, peer). With an `Idempotency-Key`, a retry
/// with the same key and body answers with the signal recorded first and records nothing;
/// the same key with another body is a 422.
#[utoipa::path(
    tag = "signals",
    request_body = CreateSignal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = SignalView, description = "Recorded (or replayed)"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such client in your team"),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/signals")]
async fn create_signal(
    state: web::Data<AppState>,
    who: Identity,
    Keyed {
        body: parsed,
        retry,
    }: Keyed<CreateSignal>,
) -> Result<HttpResponse, ApiError> {
    let noticed = noticed(&state, parsed)?;
    let (signal, replayed) = match signals::record(&state, &who, noticed, retry).await? {
        Recorded::New(signal) => (signal, false),
        Recorded::Replay(signal) => (signal, true),
    };
    let mut response = HttpResponse::Created();
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(view(state.zone, signal)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only signals with this status (`new` for the coordinator's triage).
    status: Option<SignalStatus>,
}

/// The signals you may read, newest first: your team's (coordinator, casemanager, peer),
/// or those about clients escalated to you (process director).
#[utoipa::path(
    tag = "signals",
    params(ListQuery),
    responses((status = 200, body = [SignalView]), (status = 403, body = ErrorBody))
)]
#[get("/signals")]
async fn list_signals(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<SignalView>>, ApiError> {
    let listed = read::list(&state, &who, query.status).await?;
    Ok(web::Json(views(state.zone, listed)))
}

/// Tonight's warnings of your team, newest first, for Vanavond: from the start of the
/// evening until tonight's last shift ends (coordinator, casemanager, peer).
#[utoipa::path(
    tag = "signals",
    responses((status = 200, body = [SignalView]), (status = 403, body = ErrorBody))
)]
#[get("/signals/warnings")]
async fn tonight_warnings(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<SignalView>>, ApiError> {
    let warnings = read::warnings(&state, &who).await?;
    Ok(web::Json(views(state.zone, warnings)))
}

/// One signal with its hand-offs.
#[utoipa::path(
    tag = "signals",
    params(("id" = i64, Path)),
    responses((status = 200, body = SignalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/signals/{id}")]
async fn one_signal(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<SignalView>, ApiError> {
    let signal = read::one(&state, &who, path.into_inner()).await?;
    Ok(web::Json(view(state.zone, signal)))
}

/// The signals about her, newest first, for those who may read her file.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [SignalView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/signals")]
async fn client_signals(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<SignalView>>, ApiError> {
    let signals = read::of_client(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(views(state.zone, signals)))
}
