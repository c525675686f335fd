//! Escalation (opschaling): a follow-up escalated by hand to the process director, and her
//! list of the follow-ups escalated to her, by the sweep or by hand.

use std::collections::{BTreeSet, HashMap};

use actix_web::{get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::followups::{FollowupView, load, view};
use crate::app::Identity;
use crate::app::access::Need;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::notify::{Notice, Notifier};
use crate::app::followups::responsible;
use crate::db::queries::escalations;
use crate::db::queries::followups::{self, EventRow};
use crate::db::write_transaction;
use crate::domain::escalation;
use crate::domain::followup::EscalationLevel;
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(escalate).service(list_escalations);
}

/// The timeline events that bring a follow-up to the process director.
const BY_SWEEP: &str = "escalated_to_process_director";
const BY_HAND: &str = "escalated_by_hand";

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    /// Why it goes up, e.g. "geen contact meer, zorgen over woning". For the director's
    /// eyes in the app; never sent in a push.
    reason: String,
}

/// "Opschalen": escalate a follow-up to the process director, with a reason (the
/// coordinator, or a casemanager responsible for it). She is notified once, by push,
/// without the client's alias.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    request_body = Escalate,
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/followups/{id}/escalate")]
async fn escalate(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<Escalate>,
) -> Result<web::Json<FollowupView>, ApiError> {
    who.require(Role::edits_clients)?;
    let id = path.into_inner();
    let reason = escalation::reason(&body.reason)?;
    let now = state.clock.now();
    let zone = state.zone;
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let audit_as = ("followup.escalate", Action::Update);
            let (row, alias) = load(conn, &who, id, now, Need::Edit, audit_as)?;
            let event = Event::on(audit_as.0, audit_as.1, row.client_id);
            if !who.role.coordinates()
                && !responsible(conn, &row, zone.local_date(now))?.contains(&who.user_id)
            {
                return Err(ApiError::denied(event, ApiError::Forbidden("Only the coordinator or a casemanager responsible for this follow-up can escalate it.")));
            }
            if row.status == "closed" {
                return Err(ApiError::conflict(
                    "followup_closed",
                    "This follow-up is closed already.",
                ));
            }
            let already = || {
                ApiError::conflict(
                    "already_escalated",
                    "This follow-up is escalated to the process director already.",
                )
            };
            if EscalationLevel::from_stored(row.escalation_level) >= EscalationLevel::ProcessDirector {
                return Err(already());
            }
            write_transaction(conn, |conn| {
                // Compare-and-set: of two people escalating at once, one wins.
                if !followups::raise_escalation(conn, id, EscalationLevel::ProcessDirector)? {
                    return Err(already());
                }
                followups::add_event(conn, id, now, BY_HAND, Some(who.user_id), Some(&reason))?;
                let notifier = Notifier::load(conn, now, zone)?;
                for director in followups::users_with_role(conn, Role::ProcessDirector)? {
                    // The sweep's key for the same step: she is told once, however it went up.
                    let key = NotificationKey::Escalation {
                        followup: id,
                        level: EscalationLevel::ProcessDirector,
                        user: director,
                    };
                    let notice = Notice {
                        followup_id: Some(id),
                        urgent: true,
                        ..Notice::new(director, key, NotificationKind::Escalation)
                    };
                    notifier.queue(conn, &notice)?;
                }
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                Ok(())
            })?;
            let row = followups::find(conn, id)?;
            let events = followups::timeline(conn, id)?;
            Ok(view(zone, row, alias, Some(events)))
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Serialize, ToSchema)]
pub struct EscalationView {
    /// The follow-up, with its status, outcome and timeline.
    #[serde(flatten)]
    followup: FollowupView,
    /// The client's internal code.
    code: String,
    team_id: i64,
    /// When it reached the process director.
    escalated_at: Option<DateTime<FixedOffset>>,
    /// `sweep` (nobody closed it in time) or `by_hand` (opgeschaald).
    escalated_how: String,
    /// Who escalated it by hand.
    escalated_by: Option<i64>,
    /// Why, when escalated by hand.
    reason: Option<String>,
}

/// The follow-ups escalated to the process director: unclosed ones first, then those
/// closed in the last 30 days with their outcome; newest escalation first. The process
/// director sees every team's, a coordinator her own team's.
#[utoipa::path(
    tag = "followups",
    responses((status = 200, body = [EscalationView]), (status = 403, body = ErrorBody))
)]
#[get("/escalations")]
async fn list_escalations(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<EscalationView>>, ApiError> {
    who.require(|r| matches!(r, Role::ProcessDirector | Role::Coordinator))?;
    let team = match who.role {
        Role::ProcessDirector => None,
        _ => Some(who.team()?),
    };
    let now = state.clock.now();
    let zone = state.zone;
    let mut views = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let rows = escalations::list(conn, team, escalation::visible_closed_after(now))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.followup.id).collect();
            let mut timelines: HashMap<i64, Vec<EventRow>> = HashMap::new();
            for event in escalations::timelines(conn, &ids)? {
                timelines.entry(event.followup_id).or_default().push(event);
            }
            let event = Event::search("escalation.list");
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            let clients: BTreeSet<i64> = rows.iter().map(|r| r.followup.client_id).collect();
            for client in clients {
                let event = Event::on("escalation.read", Action::Read, client);
                audit::record(conn, &who, now, &event, Outcome::Success)?;
            }
            Ok(rows
                .into_iter()
                .map(|row| {
                    let events = timelines.remove(&row.followup.id).unwrap_or_default();
                    escalation_view(zone, row, events)
                })
                .collect::<Vec<_>>())
        })
        .await?;
    views.sort_by(|a, b| {
        let closed = |v: &EscalationView| v.followup.is_closed();
        closed(a)
            .cmp(&closed(b))
            .then(b.escalated_at.cmp(&a.escalated_at))
    });
    Ok(web::Json(views))
}

/// How and when it reached the director: the last of the events that bring it to her.
fn escalation_view(
    zone: Zone,
    row: escalations::Escalated,
    events: Vec<EventRow>,
) -> EscalationView {
    let step = events
        .iter()
        .rev()
        .find(|e| e.event == BY_SWEEP || e.event == BY_HAND);
    let by_hand = step.is_some_and(|e| e.event == BY_HAND);
    EscalationView {
        escalated_at: step.map(|e| zone.to_local(e.occurred_at)),
        escalated_how: if by_hand { "by_hand" } else { "sweep" }.to_owned(),
        escalated_by: step.filter(|_| by_hand).and_then(|e| e.user_id),
        reason: step.filter(|_| by_hand).and_then(|e| e.detail.clone()),
        code: row.code,
        team_id: row.followup.team_id,
        followup: view(zone, row.followup, row.alias, Some(events)),
    }
}
