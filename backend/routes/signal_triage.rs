//! The coordinator's side of signals: assessing one (its status), recording a hand-off,
//! and the team's checklist of trafficking indicators.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::signal_view::{SignalView, parse_time, view};
use crate::app::Identity;
use crate::app::signals::indicators;
use crate::app::signals::triage::{self, PassedOn};
use crate::db::queries::signals::IndicatorRow;
use crate::domain::signal::{HandoffMethod, Recipient, SignalStatus};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(assess_signal)
        .service(hand_off_signal)
        .service(list_indicators)
        .service(add_indicator)
        .service(change_indicator);
}

/// The longest label of an indicator.
const LABEL_MAX: usize = 120;
/// The longest name of a hand-off's recipient.
const RECIPIENT_DETAIL_MAX: usize = 120;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    status: SignalStatus,
}

/// Set a signal's status (coordinator): `new`, `assessed`, `passed_on` or `closed`.
/// Closing starts the period after which its text is erased.
#[utoipa::path(
    tag = "signals",
    params(("id" = i64, Path)),
    request_body = Assessment,
    responses((status = 200, body = SignalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/signals/{id}")]
async fn assess_signal(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<Assessment>,
) -> Result<web::Json<SignalView>, ApiError> {
    let status = body.into_inner().status;
    let signal = triage::set_status(&state, &who, path.into_inner(), status).await?;
    Ok(web::Json(view(state.zone, signal)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHandoff {
    recipient: Recipient,
    /// Which partner, office or person (up to 120 characters).
    recipient_detail: Option<String>,
    method: HandoffMethod,
    /// When: local wall time or RFC 3339; default now; never in the future.
    handed_at: Option<String>,
}

/// Record a hand-off of a signal (coordinator): to whom, how and when; who records it is
/// who handed it off. The signal is then passed on, unless it was closed.
#[utoipa::path(
    tag = "signals",
    params(("id" = i64, Path)),
    request_body = NewHandoff,
    responses((status = 201, body = SignalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/signals/{id}/handoffs")]
async fn hand_off_signal(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewHandoff>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let passed_on = PassedOn {
        recipient: body.recipient,
        recipient_detail: text::optional(
            "recipient_detail",
            body.recipient_detail.as_deref(),
            RECIPIENT_DETAIL_MAX,
        )?,
        method: body.method,
        handed_at: body
            .handed_at
            .as_deref()
            .map(|at| parse_time(&state, "handed_at", at))
            .transpose()?,
    };
    let signal = triage::hand_off(&state, &who, path.into_inner(), passed_on).await?;
    Ok(HttpResponse::Created().json(view(state.zone, signal)))
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorView {
    id: i64,
    label: String,
    /// Retired indicators are no longer offered; they stay on the signals they were
    /// ticked on.
    active: bool,
}

impl From<IndicatorRow> for IndicatorView {
    fn from(row: IndicatorRow) -> IndicatorView {
        IndicatorView {
            id: row.id,
            label: row.label,
            active: row.active,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct IndicatorQuery {
    /// Also the retired ones (the coordinator's editing).
    #[serde(default)]
    with_retired: bool,
}

/// The team's checklist of trafficking indicators.
#[utoipa::path(
    tag = "signals",
    params(IndicatorQuery),
    responses((status = 200, body = [IndicatorView]), (status = 403, body = ErrorBody))
)]
#[get("/signal-indicators")]
async fn list_indicators(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<IndicatorQuery>,
) -> Result<web::Json<Vec<IndicatorView>>, ApiError> {
    let rows = indicators::list(&state, &who, query.with_retired).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIndicator {
    label: String,
}

/// Add an indicator to the team's checklist (coordinator).
#[utoipa::path(
    tag = "signals",
    request_body = NewIndicator,
    responses((status = 201, body = IndicatorView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/signal-indicators")]
async fn add_indicator(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<NewIndicator>,
) -> Result<HttpResponse, ApiError> {
    let label = text::bounded("label", &body.into_inner().label, LABEL_MAX)?;
    let row = indicators::add(&state, &who, label).await?;
    Ok(HttpResponse::Created().json(IndicatorView::from(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorChange {
    label: Option<String>,
    /// `false` retires it, `true` brings it back.
    active: Option<bool>,
}

/// Rename, retire or bring back an indicator of the team's checklist (coordinator).
#[utoipa::path(
    tag = "signals",
    params(("id" = i64, Path)),
    request_body = IndicatorChange,
    responses((status = 200, body = IndicatorView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/signal-indicators/{id}")]
async fn change_indicator(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<IndicatorChange>,
) -> Result<web::Json<IndicatorView>, ApiError> {
    let body = body.into_inner();
    let label = body
        .label
        .as_deref()
        .map(|label| text::bounded("label", label, LABEL_MAX))
        .transpose()?;
    let row = indicators::change(&state, &who, path.into_inner(), label, body.active).await?;
    Ok(web::Json(row.into()))
}
