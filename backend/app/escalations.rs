//! Escalation (opschaling) by people: a follow-up escalated by hand to the process
//! director, and the list of the follow-ups that reached her, by the sweep or by hand.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;

use crate::app::Identity;
use crate::app::access::Need;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::actions::{self, Followup};
use crate::app::followups::notify::{Notice, Notifier};
use crate::app::followups::responsible;
use crate::db::queries::escalations::{self, Escalated};
use crate::db::queries::followups::{self, EventRow};
use crate::domain::code::Code;
use crate::domain::escalation;
use crate::domain::followup::{EscalationLevel, FollowupStatus, TimelineEvent};
use crate::domain::ids::FollowupId;
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The timeline events that bring a follow-up to the process director.
const BY_SWEEP: TimelineEvent = TimelineEvent::EscalatedToProcessDirector;
const BY_HAND: TimelineEvent = TimelineEvent::EscalatedByHand;

/// Escalates a follow-up to the process director with a reason (already checked): the
/// coordinator, or a casemanager responsible for it. She is notified once, by push,
/// without the client's alias.
pub async fn escalate(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
    reason: String,
) -> Result<Followup, ApiError> {
    who.require(Role::edits_clients)?;
    let now = state.clock.now();
    let zone = state.zone;
    let who = who.clone();
    let id = id.get();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let audit_as = ("followup.escalate", Action::Update);
            let (row, alias) = actions::load(conn, &who, id, now, Need::Edit, audit_as)?;
            let event = Event::on(audit_as.0, audit_as.1, row.client_id);
            if !who.role.coordinates()
                && !responsible(conn, &row, zone.local_date(now))?.contains(&who.user_id)
            {
                return Err(ApiError::denied(event, ApiError::Forbidden("Only the coordinator or a casemanager responsible for this follow-up can escalate it.")));
            }
            if row.status == FollowupStatus::Closed.as_str() {
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
            // Compare-and-set: of two people escalating at once, one wins.
            if EscalationLevel::from_stored(row.escalation_level) >= EscalationLevel::ProcessDirector
                || !followups::raise_escalation(conn, id, EscalationLevel::ProcessDirector)?
            {
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
                    ..Notice::new(director, key, NotificationKind::EscalatedByHand)
                };
                notifier.queue(conn, &notice)?;
            }
            let followup = actions::reread(conn, id, alias)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(followup)
        })
        .await
}

/// A follow-up that reached the process director, and how.
pub struct EscalatedFollowup {
    pub escalated: Escalated,
    pub timeline: Vec<EventRow>,
    /// When it reached her: the last of the events that bring it to her.
    pub escalated_at: Option<NaiveDateTime>,
    /// By hand (opgeschaald) rather than by the sweep.
    pub by_hand: bool,
    /// Who escalated it by hand.
    pub escalated_by: Option<i64>,
    /// Why, when escalated by hand.
    pub reason: Option<String>,
}

/// The follow-ups escalated to the process director: unclosed ones first, then those
/// closed in the last 30 days; newest escalation first. The process director sees every
/// team's, a coordinator her own team's. Reading it is written as a search and as a read
/// of each client's file shown.
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<EscalatedFollowup>, ApiError> {
    who.require(|r| matches!(r, Role::ProcessDirector | Role::Coordinator))?;
    let team = match who.role {
        Role::ProcessDirector => None,
        _ => Some(who.team()?),
    };
    let now = state.clock.now();
    let (rows, mut timelines) = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let rows = escalations::list(conn, team, escalation::visible_closed_after(now))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.followup.id).collect();
            let mut timelines: HashMap<i64, Vec<EventRow>> = HashMap::new();
            for event in escalations::timelines(conn, &ids)? {
                timelines.entry(event.followup_id).or_default().push(event);
            }
            Ok((rows, timelines))
        })
        .await?;
    let clients: BTreeSet<i64> = rows.iter().map(|r| r.followup.client_id).collect();
    let reader = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            audit::record(
                conn,
                &reader,
                now,
                &Event::search("escalation.list"),
                Outcome::Success,
            )?;
            for client in clients {
                let event = Event::on("escalation.read", Action::Read, client);
                audit::record(conn, &reader, now, &event, Outcome::Success)?;
            }
            Ok(())
        })
        .await?;
    let mut list: Vec<EscalatedFollowup> = rows
        .into_iter()
        .map(|escalated| {
            let timeline = timelines.remove(&escalated.followup.id).unwrap_or_default();
            how_escalated(escalated, timeline)
        })
        .collect();
    list.sort_by(|a, b| {
        let closed =
            |e: &EscalatedFollowup| e.escalated.followup.status == FollowupStatus::Closed.as_str();
        closed(a)
            .cmp(&closed(b))
            .then(b.escalated_at.cmp(&a.escalated_at))
    });
    Ok(list)
}

/// How and when it reached the director: the last of the events that bring it to her.
fn how_escalated(escalated: Escalated, timeline: Vec<EventRow>) -> EscalatedFollowup {
    let step = timeline
        .iter()
        .rev()
        .find(|e| e.event == BY_SWEEP.as_str() || e.event == BY_HAND.as_str());
    let by_hand = step.is_some_and(|e| e.event == BY_HAND.as_str());
    let by_hand_step = step.filter(|_| by_hand);
    EscalatedFollowup {
        escalated_at: step.map(|e| e.occurred_at),
        by_hand,
        escalated_by: by_hand_step.and_then(|e| e.user_id),
        reason: by_hand_step.and_then(|e| e.detail.clone()),
        escalated,
        timeline,
    }
}
