//! The case meeting (casusoverleg): planning one, its drafted and stored agenda, each
//! item's summary and decisions, and the minutes.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::case_meeting_views::{ItemView, MeetingView};
use crate::app::Identity;
use crate::app::case_meetings::agenda::{self, DraftItem};
use crate::app::case_meetings::minutes::{self, Naming};
use crate::app::case_meetings::record::{self, NewDecisionInput};
use crate::app::case_meetings::{self, NewMeetingInput};
use crate::domain::case_meeting::{
    AgendaLine, AgendaReason, CONTACT_MAX, LOCATION_MAX, SUMMARY_MAX, WHAT_MAX,
};
use crate::domain::code::Code;
use crate::domain::plan::ActionOwner;
use crate::domain::{day, text};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::Repeated;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(plan)
        .service(one)
        .service(draft)
        .service(store_agenda)
        .service(summarise)
        .service(decide)
        .service(minutes_of);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMeetingBody {
    /// Local wall time in Amsterdam (`2026-12-10T14:00`) or with an offset.
    starts_at: String,
    /// Where; at most 120 characters.
    location: String,
    /// The partner organisations taking part (from /partners).
    #[serde(default)]
    partner_ids: Vec<i64>,
}

/// Plan a case meeting of the team (the coordinator).
#[utoipa::path(
    tag = "case meetings",
    request_body = NewMeetingBody,
    responses((status = 201, body = MeetingView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/case-meetings")]
async fn plan(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<NewMeetingBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let starts_at = state
        .zone
        .parse_instant(&body.starts_at, Repeated::First)
        .map_err(|e| ApiError::invalid("bad_time", format!("starts_at: {e}")))?;
    let input = NewMeetingInput {
        starts_at,
        location: text::bounded("location", &body.location, LOCATION_MAX)?,
        partner_ids: body.partner_ids,
    };
    let meeting = case_meetings::plan(&state, &who, input).await?;
    Ok(HttpResponse::Created().json(MeetingView::new(state.zone, meeting, Naming::Aliases)))
}

/// The team's case meetings, the latest first, without their agendas (the coordinator
/// and casemanagers).
#[utoipa::path(
    tag = "case meetings",
    responses((status = 200, body = [MeetingView]), (status = 403, body = ErrorBody))
)]
#[get("/case-meetings")]
async fn list(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<MeetingView>>, ApiError> {
    let meetings = case_meetings::list(&state, &who).await?;
    let zone = state.zone;
    Ok(web::Json(
        meetings
            .into_iter()
            .map(|m| MeetingView::new(zone, m, Naming::Aliases))
            .collect(),
    ))
}

/// One case meeting with its agenda, summaries and decisions.
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/case-meetings/{id}")]
async fn one(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<MeetingView>, ApiError> {
    let meeting = case_meetings::one(&state, &who, path.into_inner()).await?;
    Ok(web::Json(MeetingView::new(
        state.zone,
        meeting,
        Naming::Aliases,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct DraftItemView {
    /// Why she is proposed: stagnation, escalation, out_of_view, referral_waiting or
    /// plan_review (the first that holds, in that order).
    reason: String,
    /// Her other reasons.
    also: Vec<String>,
    client_id: i64,
    alias: String,
    code: String,
    /// Since when the reason holds.
    since: NaiveDate,
    /// The stagnation's, referral's or escalated follow-up's kind.
    kind: Option<String>,
}

impl From<DraftItem> for DraftItemView {
    fn from(d: DraftItem) -> DraftItemView {
        DraftItemView {
            reason: d.reason.as_str().to_owned(),
            also: d.also.iter().map(|r| r.as_str().to_owned()).collect(),
            client_id: d.client_id,
            alias: d.alias,
            code: d.code,
            since: d.since,
            kind: d.kind,
        }
    }
}

/// The agenda InBeeld proposes from the team's current state, the clients already on
/// the agenda left out (the coordinator).
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path)),
    responses((status = 200, body = [DraftItemView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/case-meetings/{id}/draft")]
async fn draft(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<DraftItemView>>, ApiError> {
    let drafted = agenda::draft(&state, &who, path.into_inner()).await?;
    Ok(web::Json(drafted.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaLineBody {
    /// An item already on the agenda, kept in this place; or else a new one:
    item_id: Option<i64>,
    /// Why: stagnation, escalation, out_of_view, referral_waiting, plan_review, client or
    /// free.
    reason: Option<String>,
    /// The client it is about (every reason but free).
    client_id: Option<i64>,
    /// A free subject's title (at most 200 characters), or a note to a client's item.
    title: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaBody {
    /// The whole agenda in its order; items left out are removed.
    items: Vec<AgendaLineBody>,
}

fn agenda_line(line: AgendaLineBody) -> Result<AgendaLine, ApiError> {
    match (line.item_id, line.reason) {
        (Some(item), None) if line.client_id.is_none() && line.title.is_none() => {
            Ok(AgendaLine::Kept(item))
        }
        (None, Some(reason)) => {
            let reason = AgendaReason::from_code(&reason).ok_or_else(|| {
                ApiError::invalid(
                    "validation_failed",
                    "reason must be stagnation, escalation, out_of_view, referral_waiting, \
                     plan_review, client or free.",
                )
            })?;
            Ok(AgendaLine::new_item(
                reason,
                line.client_id,
                line.title.as_deref(),
            )?)
        }
        _ => Err(ApiError::invalid(
            "validation_failed",
            "An agenda line is an item_id alone, or a new item with its reason.",
        )),
    }
}

/// Store the agenda: reorder, add, remove (the coordinator). An item with decisions
/// stays (409 `agenda_item_has_decisions`).
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path)),
    request_body = AgendaBody,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/case-meetings/{id}/agenda")]
async fn store_agenda(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<AgendaBody>,
) -> Result<web::Json<MeetingView>, ApiError> {
    let lines = body
        .into_inner()
        .items
        .into_iter()
        .map(agenda_line)
        .collect::<Result<Vec<_>, _>>()?;
    let meeting = agenda::store(&state, &who, path.into_inner(), lines).await?;
    Ok(web::Json(MeetingView::new(
        state.zone,
        meeting,
        Naming::Aliases,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SummaryBody {
    /// What was discussed; at most 2000 characters.
    summary: String,
}

/// Record the summary of an item's discussion (the coordinator, casemanagers).
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path), ("item_id" = i64, Path)),
    request_body = SummaryBody,
    responses((status = 200, body = ItemView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/case-meetings/{id}/items/{item_id}/summary")]
async fn summarise(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<SummaryBody>,
) -> Result<web::Json<ItemView>, ApiError> {
    let summary = text::bounded("summary", &body.summary, SUMMARY_MAX)?;
    let item = record::summarise(&state, &who, path.into_inner(), summary).await?;
    Ok(web::Json(ItemView::new(item, Naming::Aliases)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// What was decided (at most 200 characters).
    what: String,
    /// A casemanager or the coordinator of the team; or else:
    owner_id: Option<i64>,
    /// A partner organisation (from /partners) ...
    partner_id: Option<i64>,
    /// ... and its contact person, by name (at most 100 characters).
    partner_contact: Option<String>,
    /// On or after the meeting's day.
    due_on: NaiveDate,
}

/// Record a decision on an item (the coordinator, casemanagers). A decision about a
/// client past its due date becomes a follow-up for its owner.
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path), ("item_id" = i64, Path)),
    request_body = DecisionBody,
    responses((status = 201, body = ItemView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/case-meetings/{id}/items/{item_id}/decisions")]
async fn decide(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<DecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let contact = text::optional(
        "partner_contact",
        body.partner_contact.as_deref(),
        CONTACT_MAX,
    )?;
    let decision = NewDecisionInput {
        what: text::bounded("what", &body.what, WHAT_MAX)?,
        owner: ActionOwner::parse(body.owner_id, body.partner_id, contact)?,
        due_on: day::day("due_on", body.due_on)?,
    };
    let item = record::decide(&state, &who, path.into_inner(), decision).await?;
    Ok(HttpResponse::Created().json(ItemView::new(item, Naming::Aliases)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MinutesQuery {
    /// The coordinator's internal copy, naming clients by alias instead of code.
    #[serde(default)]
    internal: bool,
}

/// The minutes, to print: clients named by code, or by alias in the coordinator's
/// internal copy. A read of each client on them.
#[utoipa::path(
    tag = "case meetings",
    params(("id" = i64, Path), MinutesQuery),
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/case-meetings/{id}/minutes")]
async fn minutes_of(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    query: web::Query<MinutesQuery>,
) -> Result<web::Json<MeetingView>, ApiError> {
    let naming = if query.internal {
        Naming::Aliases
    } else {
        Naming::Codes
    };
    let meeting = minutes::minutes(&state, &who, path.into_inner(), naming).await?;
    Ok(web::Json(MeetingView::new(state.zone, meeting, naming)))
}
