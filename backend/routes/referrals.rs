//! Referrals and interventions of a client: what was asked of which partner, when it
//! started and ended, how it ended, and how long she waited.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::referrals::{self, Change, Recorded, Referral};
use crate::domain::code::Code;
use crate::domain::ids::{ClientId, PartnerId};
use crate::domain::referral::{Course, ReferralKind, ReferralOutcome};
use crate::domain::{day, text};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(record).service(list).service(change);
}

#[derive(Serialize, ToSchema)]
pub struct ReferralView {
    id: i64,
    client_id: i64,
    /// diagnostics, treatment, housing_application, sheltered_housing (Beschermd Wonen
    /// (Licht)), time_out, exit_support, debt_income, identity_papers, home_region, other.
    kind: String,
    partner_id: Option<i64>,
    partner_name: Option<String>,
    requested_on: NaiveDate,
    started_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    /// completed, placed, refused_by_partner, declined_by_client, dropped_out, withdrawn,
    /// other; set exactly when it ended.
    outcome: Option<String>,
    outcome_note: Option<String>,
    /// Neither started nor ended.
    waiting: bool,
    /// From the request to the start; while nothing started, to the end or today.
    waiting_days: i64,
}

impl ReferralView {
    fn new(recorded: Recorded, today: NaiveDate) -> ReferralView {
        let Recorded { row, course } = recorded;
        ReferralView {
            id: row.id,
            client_id: row.client_id,
            kind: row.kind,
            partner_id: row.partner_id,
            partner_name: row.partner_name,
            requested_on: row.requested_on,
            started_on: row.started_on,
            ended_on: row.ended_on,
            outcome: row.outcome,
            outcome_note: row.outcome_note,
            waiting: course.is_waiting(),
            waiting_days: course.waiting_days(today),
        }
    }
}

fn today(state: &AppState) -> NaiveDate {
    state.zone.local_date(state.clock.now())
}

fn kind(code: &str) -> Result<ReferralKind, ApiError> {
    ReferralKind::from_code(code).ok_or_else(|| {
        ApiError::invalid(
            "validation_failed",
            "kind must be diagnostics, treatment, housing_application, sheltered_housing, \
             time_out, exit_support, debt_income, identity_papers, home_region or other.",
        )
    })
}

fn outcome(code: Option<&str>) -> Result<Option<ReferralOutcome>, ApiError> {
    code.map(|code| {
        ReferralOutcome::from_code(code).ok_or_else(|| {
            ApiError::invalid(
                "validation_failed",
                "outcome must be completed, placed, refused_by_partner, declined_by_client, \
                 dropped_out, withdrawn or other.",
            )
        })
    })
    .transpose()
}

fn dated(field: &str, date: Option<NaiveDate>) -> Result<Option<NaiveDate>, ApiError> {
    Ok(day::maybe(field, date)?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferralBody {
    kind: String,
    partner_id: Option<i64>,
    requested_on: NaiveDate,
    started_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
    outcome: Option<String>,
    /// At most 200 characters.
    outcome_note: Option<String>,
}

/// Record a referral or intervention for a client (coordinator, casemanager).
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path)),
    request_body = NewReferralBody,
    responses((status = 201, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/referrals")]
async fn record(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewReferralBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let referral = Referral {
        kind: kind(&body.kind)?,
        partner: body.partner_id.map(PartnerId),
        course: Course {
            requested_on: day::day("requested_on", body.requested_on)?,
            started_on: dated("started_on", body.started_on)?,
            ended_on: dated("ended_on", body.ended_on)?,
            outcome: outcome(body.outcome.as_deref())?,
        },
        outcome_note: text::optional("outcome_note", body.outcome_note.as_deref(), 200)?,
    };
    let done = referrals::record(&state, &who, ClientId(path.into_inner()), referral).await?;
    Ok(HttpResponse::Created().json(ReferralView::new(done, today(&state))))
}

/// A client's referrals and interventions, the latest request first.
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path)),
    responses((status = 200, body = [ReferralView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/referrals")]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<ReferralView>>, ApiError> {
    let rows = referrals::of_client(&state, &who, ClientId(path.into_inner())).await?;
    let today = today(&state);
    Ok(web::Json(
        rows.into_iter()
            .map(|r| ReferralView::new(r, today))
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralChangeBody {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    partner_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    started_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    ended_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    outcome: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    outcome_note: Option<Option<String>>,
}

/// Change a referral: it started, it ended with an outcome, another partner took it on
/// (coordinator, casemanager). A field left out keeps its value; `null` clears it.
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path), ("referral" = i64, Path)),
    request_body = ReferralChangeBody,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/referrals/{referral}")]
async fn change(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<ReferralChangeBody>,
) -> Result<web::Json<ReferralView>, ApiError> {
    let (client, id) = path.into_inner();
    let body = body.into_inner();
    let change = Change {
        partner: body.partner_id.map(|p| p.map(PartnerId)),
        started_on: body
            .started_on
            .map(|d| dated("started_on", d))
            .transpose()?,
        ended_on: body.ended_on.map(|d| dated("ended_on", d)).transpose()?,
        outcome: body.outcome.map(|o| outcome(o.as_deref())).transpose()?,
        outcome_note: body
            .outcome_note
            .map(|n| text::optional("outcome_note", n.as_deref(), 200))
            .transpose()?,
    };
    let done = referrals::change(&state, &who, ClientId(client), id, change).await?;
    Ok(web::Json(ReferralView::new(done, today(&state))))
}
