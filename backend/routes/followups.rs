//! Follow-ups: the team's list, one follow-up with its timeline, reminders, acknowledge,
//! snooze, close, and the sweep on demand.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use diesel::OptionalExtension;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::sweep;
use crate::db::queries::followups::{self, EventRow, FollowupRow, StatusChange};
use crate::db::{DbConnection, write_transaction};
use crate::domain::escalation;
use crate::domain::role::Role;
use crate::domain::sweep::SweepReport;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
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

#[derive(Serialize, ToSchema)]
pub struct TimelineEntry {
    at: DateTime<FixedOffset>,
    /// opened, created, notified, acknowledged, snoozed, snooze_ended,
    /// escalated_to_coordinator, escalated_to_process_director, escalated_by_hand (with
    /// the reason as detail), closed, closed_by_contact, closed_registration_changed
    event: String,
    user_id: Option<i64>,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupView {
    id: i64,
    client_id: i64,
    alias: String,
    /// `absence` (not seen for her threshold), `reminder` (set by a casemanager) or
    /// `registration_expiry` (her registration expires within the warning period).
    kind: String,
    /// open, acknowledged, snoozed or closed.
    status: String,
    due_at: DateTime<FixedOffset>,
    absent_since: Option<DateTime<FixedOffset>>,
    note: Option<String>,
    /// 0 none, 1 coordinator, 2 process director.
    escalation_level: i32,
    acknowledged_by: Option<i64>,
    snoozed_until: Option<DateTime<FixedOffset>>,
    snooze_reason: Option<String>,
    closed_by: Option<i64>,
    closed_at: Option<DateTime<FixedOffset>>,
    outcome: Option<String>,
    /// Only on the single follow-up.
    timeline: Option<Vec<TimelineEntry>>,
}

impl FollowupView {
    pub(super) fn is_closed(&self) -> bool {
        self.status == "closed"
    }
}

pub(super) fn view(
    zone: Zone,
    row: FollowupRow,
    alias: String,
    events: Option<Vec<EventRow>>,
) -> FollowupView {
    let local = |t: NaiveDateTime| zone.to_local(t);
    FollowupView {
        id: row.id,
        client_id: row.client_id,
        alias,
        kind: row.kind,
        status: row.status,
        due_at: local(row.due_at),
        absent_since: row.absent_since.map(local),
        note: row.note,
        escalation_level: row.escalation_level,
        acknowledged_by: row.acknowledged_by,
        snoozed_until: row.snoozed_until.map(local),
        snooze_reason: row.snooze_reason,
        closed_by: row.closed_by,
        closed_at: row.closed_at.map(local),
        outcome: row.outcome,
        timeline: events.map(|events| {
            events
                .into_iter()
                .map(|e| TimelineEntry {
                    at: local(e.occurred_at),
                    event: e.event,
                    user_id: e.user_id,
                    detail: e.detail,
                })
                .collect()
        }),
    }
}

/// Care roles read their team's follow-ups; coordinators and casemanagers act on them.
fn followup_team(who: &Identity) -> Result<i64, ApiError> {
    who.require(Role::is_care_role)?;
    who.team()
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Also closed follow-ups.
    #[serde(default)]
    include_closed: bool,
}

/// The team's follow-ups, most urgent first.
#[utoipa::path(
    tag = "followups",
    params(ListQuery),
    responses((status = 200, body = [FollowupView]), (status = 403, body = ErrorBody))
)]
#[get("/followups")]
async fn list_followups(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Vec<FollowupView>>, ApiError> {
    let team = followup_team(&who)?;
    let include_closed = query.include_closed;
    let now = state.clock.now();
    let zone = state.zone;
    let views = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let rows = followups::for_team(conn, team, include_closed)?;
            audit::record(
                conn,
                &who,
                now,
                &Event::search("followup.list"),
                Outcome::Success,
            )?;
            Ok(rows
                .into_iter()
                .map(|(row, alias)| view(zone, row, alias, None))
                .collect())
        })
        .await?;
    Ok(web::Json(views))
}

/// A follow-up whose client the caller may reach for `need` (404 otherwise, like a missing
/// one), with the client's alias. `audit` names the event and action logged if her file
/// may not be reached.
pub(super) fn load(
    conn: &mut DbConnection,
    who: &Identity,
    id: i64,
    now: NaiveDateTime,
    need: Need,
    audit: (&'static str, Action),
) -> Result<(FollowupRow, String), ApiError> {
    let row = followups::find(conn, id)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let event = Event::on(audit.0, audit.1, row.client_id);
    let client = access::client(conn, who, now, row.client_id, need, &event)?;
    Ok((row, client.alias))
}

/// One follow-up with its timeline. The process director reads the follow-ups of clients
/// escalated to her.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/followups/{id}")]
async fn get_followup(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<FollowupView>, ApiError> {
    who.require(Role::reads_clients)?;
    let id = path.into_inner();
    let now = state.clock.now();
    let zone = state.zone;
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (row, alias) = load(
                conn,
                &who,
                id,
                now,
                Need::Read,
                ("followup.read", Action::Read),
            )?;
            audit::record(
                conn,
                &who,
                now,
                &Event::on("followup.read", Action::Read, row.client_id),
                Outcome::Success,
            )?;
            let events = followups::timeline(conn, id)?;
            Ok(view(zone, row, alias, Some(events)))
        })
        .await?;
    Ok(web::Json(view))
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
    body: web::Json<NewReminder>,
) -> Result<HttpResponse, ApiError> {
    who.require(Role::edits_clients)?;
    let team = who.team()?;
    let body = body.into_inner();
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
    let note = text::bounded("note", &body.note, NOTE_MAX)?;
    let client_id = body.client_id;
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("followup.create", Action::Create, client_id);
            let client = access::client(conn, &who, now, client_id, Need::Edit, &event)?;
            let id = write_transaction(conn, |conn| {
                let id = followups::create_reminder(
                    conn,
                    team,
                    client_id,
                    due_at,
                    &note,
                    who.user_id,
                    now,
                )?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok::<_, ApiError>(id)
            })?;
            let row = followups::find(conn, id)?;
            let events = followups::timeline(conn, id)?;
            Ok(view(zone, row, client.alias, Some(events)))
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// A status change: its timeline event and its audit event.
struct Step {
    timeline: &'static str,
    audit: &'static str,
    /// The process director may take this step on a follow-up escalated to her.
    by_director: bool,
}

const ACKNOWLEDGE: Step = Step {
    timeline: "acknowledged",
    audit: "followup.acknowledge",
    by_director: false,
};
const SNOOZE: Step = Step {
    timeline: "snoozed",
    audit: "followup.snooze",
    by_director: false,
};
const CLOSE: Step = Step {
    timeline: "closed",
    audit: "followup.close",
    by_director: true,
};

/// Applies a status change to an unclosed follow-up, with a timeline event and audit entry.
/// Coordinators and casemanagers act on their team's follow-ups; the process director
/// only closes one escalated to her.
async fn change(
    state: &AppState,
    who: Identity,
    id: i64,
    step: Step,
    change: StatusChange,
    detail: Option<String>,
) -> Result<web::Json<FollowupView>, ApiError> {
    let director = step.by_director && who.role == Role::ProcessDirector;
    if !director {
        who.require(Role::edits_clients)?;
    }
    let now = state.clock.now();
    let zone = state.zone;
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let need = if director { Need::Read } else { Need::Edit };
            let (row, alias) = load(conn, &who, id, now, need, (step.audit, Action::Update))?;
            if director && row.escalation_level < escalation::TO_PROCESS_DIRECTOR {
                let event = Event::on(step.audit, Action::Update, row.client_id);
                return Err(ApiError::denied(
                    event,
                    ApiError::Forbidden(
                        "The process director closes only follow-ups escalated to her.",
                    ),
                ));
            }
            if row.status == "closed" {
                return Err(ApiError::conflict(
                    "followup_closed",
                    "This follow-up is closed already.",
                ));
            }
            write_transaction(conn, |conn| {
                followups::change_status(conn, id, &change)?;
                followups::add_event(
                    conn,
                    id,
                    now,
                    step.timeline,
                    Some(who.user_id),
                    detail.as_deref(),
                )?;
                let event = Event::on(step.audit, Action::Update, row.client_id);
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok::<_, ApiError>(())
            })?;
            let row = followups::find(conn, id)?;
            let events = followups::timeline(conn, id)?;
            Ok(view(zone, row, alias, Some(events)))
        })
        .await?;
    Ok(web::Json(view))
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
    let now = state.clock.now();
    let change_to = StatusChange {
        status: Some("acknowledged".into()),
        acknowledged_by: Some(Some(who.user_id)),
        acknowledged_at: Some(Some(now)),
        ..StatusChange::default()
    };
    change(&state, who, path.into_inner(), ACKNOWLEDGE, change_to, None).await
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
    body: web::Json<Snooze>,
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
    let change_to = StatusChange {
        status: Some("snoozed".into()),
        snoozed_until: Some(Some(until)),
        snooze_reason: Some(Some(reason.clone())),
        ..StatusChange::default()
    };
    change(
        &state,
        who,
        path.into_inner(),
        SNOOZE,
        change_to,
        Some(reason),
    )
    .await
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
    body: web::Json<Close>,
) -> Result<web::Json<FollowupView>, ApiError> {
    let now = state.clock.now();
    let outcome = text::bounded("outcome", &body.outcome, NOTE_MAX)?;
    let change_to = StatusChange {
        status: Some("closed".into()),
        closed_by: Some(Some(who.user_id)),
        closed_at: Some(Some(now)),
        outcome: Some(Some(outcome)),
        ..StatusChange::default()
    };
    change(&state, who, path.into_inner(), CLOSE, change_to, None).await
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
    who.require(|r| matches!(r, Role::Coordinator | Role::Admin))?;
    sweep::run(&state).await.map(web::Json)
}
