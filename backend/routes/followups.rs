//! Follow-ups: the team's list, one follow-up with its timeline, reminders, acknowledge,
//! snooze, close, and the sweep on demand.

use actix_web::{HttpResponse, get, post, web};
use chrono::TimeDelta;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::followup_view::{FollowupView, ListedFollowupView};
use crate::app::Identity;
use crate::app::followups::actions::{self, Followup, Reminder};
use crate::app::followups::listing;
use crate::domain::ids::{ClientId, FollowupId};
use crate::domain::role::Role;
use crate::domain::sweep::SweepReport;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_followups)
        .service(get_followup)
        .service(create_reminder)
        .service(acknowledge)
        .service(snooze)
        .service(close)
        .service(run_sweep);
}

const NOTE_MAX: usize = 200;
const MAX_SNOOZE_DAYS: i64 = 90;
const MAX_REMINDER_DAYS: i64 = 366;

/// A follow-up with its timeline, as answered.
fn shown(zone: Zone, followup: Followup) -> FollowupView {
    FollowupView::new(zone, followup.row, followup.alias, Some(followup.timeline))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Also closed follow-ups.
    #[serde(default)]
    include_closed: bool,
}

/// The team's follow-ups, most urgent first, each with the days she went unseen, her
/// casemanagers and who took it on.
#[utoipa::path(
    tag = "followups",
    params(ListQuery),
    responses((status = 200, body = [ListedFollowupView]), (status = 403, body = ErrorBody))
)]
#[get("/followups")]
async fn list_followups(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<ListedFollowupView>>, ApiError> {
    let listed = listing::list(&state, &who, query.include_closed).await?;
    let zone = state.zone;
    Ok(web::Json(
        listed
            .into_iter()
            .map(|one| ListedFollowupView::new(zone, one, None))
            .collect(),
    ))
}

/// One follow-up with its timeline, how long she went unseen, her casemanagers and who
/// took it on. The process director reads the follow-ups of clients escalated to her.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    responses((status = 200, body = ListedFollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/followups/{id}")]
async fn get_followup(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ListedFollowupView>, ApiError> {
    let (listed, timeline) = actions::get(&state, &who, FollowupId(path.into_inner())).await?;
    Ok(web::Json(ListedFollowupView::new(
        state.zone,
        listed,
        Some(timeline),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReminder {
    client_id: i64,
    /// Local wall time or RFC 3339.
    due_at: String,
    /// A short text, e.g. "bellen over woning". Never sent in a notification.
    note: String,
}

/// Set a reminder for a client (coordinator, casemanager).
#[utoipa::path(
    tag = "followups",
    request_body = NewReminder,
    responses((status = 201, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/followups")]
async fn create_reminder(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<NewReminder>,
) -> Result<HttpResponse, ApiError> {
    // A role without the right is refused before her request is looked at.
    who.require(Role::edits_clients)?;
    who.team()?;
    let now = state.clock.now();
    let zone = state.zone;
    let due_at = zone
        .parse_instant(&body.due_at, Repeated::First)
        .map_err(|e| ApiError::invalid("bad_time", format!("due_at: {e}")))?;
    if due_at > now + TimeDelta::days(MAX_REMINDER_DAYS) {
        return Err(ApiError::invalid(
            "bad_time",
            "due_at lies more than a year ahead.",
        ));
    }
    let reminder = Reminder {
        client: ClientId(body.client_id),
        due_at,
        note: text::bounded("note", &body.note, NOTE_MAX)?,
    };
    let followup = actions::create_reminder(&state, &who, reminder).await?;
    Ok(HttpResponse::Created().json(shown(zone, followup)))
}

/// "Ik pak het op": take the follow-up on; it no longer escalates to the coordinator.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/followups/{id}/acknowledge")]
async fn acknowledge(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<FollowupView>, ApiError> {
    let followup = actions::acknowledge(&state, &who, FollowupId(path.into_inner())).await?;
    Ok(web::Json(shown(state.zone, followup)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Snooze {
    /// Local wall time or RFC 3339; at most 90 days ahead.
    until: String,
    reason: String,
}

/// Put a follow-up to sleep until a date, with a reason; it wakes and notifies again.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    request_body = Snooze,
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/followups/{id}/snooze")]
async fn snooze(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<Snooze>,
) -> Result<web::Json<FollowupView>, ApiError> {
    let now = state.clock.now();
    let until = state
        .zone
        .parse_instant(&body.until, Repeated::First)
        .map_err(|e| ApiError::invalid("bad_time", format!("until: {e}")))?;
    if until <= now || until > now + TimeDelta::days(MAX_SNOOZE_DAYS) {
        return Err(ApiError::invalid(
            "bad_time",
            format!("until must lie in the future, at most {MAX_SNOOZE_DAYS} days ahead."),
        ));
    }
    let reason = text::bounded("reason", &body.reason, NOTE_MAX)?;
    let id = FollowupId(path.into_inner());
    let followup = actions::snooze(&state, &who, id, until, reason).await?;
    Ok(web::Json(shown(state.zone, followup)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// What came of it, e.g. "gesproken, gaat goed".
    outcome: String,
}

/// Close a follow-up with its outcome (coordinator, casemanager; the process director one
/// escalated to her).
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    request_body = Close,
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/followups/{id}/close")]
async fn close(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<Close>,
) -> Result<web::Json<FollowupView>, ApiError> {
    let outcome = text::bounded("outcome", &body.outcome, NOTE_MAX)?;
    let followup = actions::close(&state, &who, FollowupId(path.into_inner()), outcome).await?;
    Ok(web::Json(shown(state.zone, followup)))
}

/// Run the follow-up sweep now (coordinator, admin). The scheduler runs the same sweep.
#[utoipa::path(
    tag = "followups",
    responses((status = 200, body = SweepReport), (status = 403, body = ErrorBody))
)]
#[post("/followups/sweep")]
async fn run_sweep(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<SweepReport>, ApiError> {
    actions::sweep_now(&state, &who).await.map(web::Json)
}
