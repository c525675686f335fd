//! What people do with follow-ups: read the team's list or one with its timeline, set a
//! reminder, acknowledge, snooze, close, and run the sweep on demand.

use chrono::NaiveDateTime;
use diesel::OptionalExtension;

use super::listing::{Listed, with_people};
use super::{absence, sweep};
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::followups::{self, EventRow, FollowupRow, StatusChange};
use crate::domain::code::Code;
use crate::domain::followup::{EscalationLevel, FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::ids::{ClientId, FollowupId};
use crate::domain::role::Role;
use crate::domain::sweep::SweepReport;
use crate::error::ApiError;
use crate::state::AppState;

/// One follow-up as shown: with her alias and its timeline.
pub struct Followup {
    pub row: FollowupRow,
    pub alias: String,
    pub timeline: Vec<EventRow>,
}

/// Reads follow-up `id` again, with its timeline, after a change.
pub fn reread(conn: &mut DbConnection, id: i64, alias: String) -> Result<Followup, ApiError> {
    Ok(Followup {
        row: followups::find(conn, id)?,
        alias,
        timeline: followups::timeline(conn, id)?,
    })
}

/// A follow-up whose client `who` may reach for `need` (404 otherwise, like a missing
/// one), with the client's alias. `audit` names the event and action written if her file
/// may not be reached.
pub fn load(
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

/// One follow-up with its timeline, and the days, casemanagers and taker the list shows.
/// The process director reads the follow-ups of clients escalated to her.
pub async fn get(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
) -> Result<(Listed, Vec<EventRow>), ApiError> {
    who.require(Role::reads_clients)?;
    let now = state.clock.now();
    let (reader, zone) = (who.clone(), state.zone);
    let (listed, timeline) = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let audit_as = ("followup.read", Action::Read);
            let found = load(conn, &reader, id.get(), now, Need::Read, audit_as)?;
            let timeline = followups::timeline(conn, id.get())?;
            let listed = with_people(conn, vec![found], zone, now)?.pop();
            Ok((listed.ok_or(ApiError::NotFound)?, timeline))
        })
        .await?;
    let event = Event::on("followup.read", Action::Read, listed.row.client_id);
    audit::record_read(state, who.clone(), now, event).await?;
    Ok((listed, timeline))
}

/// A reminder to set: its time and text already checked.
pub struct Reminder {
    pub client: ClientId,
    pub due_at: NaiveDateTime,
    /// Never sent in a notification.
    pub note: String,
}

/// Sets a reminder for a client of the team (coordinator, casemanager).
pub async fn create_reminder(
    state: &AppState,
    who: &Identity,
    reminder: Reminder,
) -> Result<Followup, ApiError> {
    who.require(Role::edits_clients)?;
    let team = who.team()?;
    let now = state.clock.now();
    let who = who.clone();
    let client_id = reminder.client.get();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let event = Event::on("followup.create", Action::Create, client_id);
            let client = access::client(conn, &who, now, client_id, Need::Edit, &event)?;
            let id = followups::create_reminder(
                conn,
                team,
                client_id,
                reminder.due_at,
                &reminder.note,
                who.user_id,
                now,
            )?;
            let followup = reread(conn, id, client.alias)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(followup)
        })
        .await
}

/// A status change: its timeline event and its audit event.
struct Step {
    timeline: TimelineEvent,
    audit: &'static str,
    /// The process director may take this step on a follow-up escalated to her.
    by_director: bool,
}

const ACKNOWLEDGE: Step = Step {
    timeline: TimelineEvent::Acknowledged,
    audit: "followup.acknowledge",
    by_director: false,
};
const SNOOZE: Step = Step {
    timeline: TimelineEvent::Snoozed,
    audit: "followup.snooze",
    by_director: false,
};
const CLOSE: Step = Step {
    timeline: TimelineEvent::Closed,
    audit: "followup.close",
    by_director: true,
};

/// "Ik pak het op": takes the follow-up on; it no longer escalates to the coordinator.
pub async fn acknowledge(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
) -> Result<Followup, ApiError> {
    let by = who.user_id;
    change(state, who, id, ACKNOWLEDGE, None, move |now| StatusChange {
        status: Some(FollowupStatus::Acknowledged.as_str().into()),
        acknowledged_by: Some(Some(by)),
        acknowledged_at: Some(Some(now)),
        ..StatusChange::default()
    })
    .await
}

/// Puts a follow-up to sleep `until` (checked to lie ahead), with a reason; it wakes and
/// notifies again.
pub async fn snooze(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
    until: NaiveDateTime,
    reason: String,
) -> Result<Followup, ApiError> {
    let detail = Some(reason.clone());
    change(state, who, id, SNOOZE, detail, move |_| StatusChange {
        status: Some(FollowupStatus::Snoozed.as_str().into()),
        snoozed_until: Some(Some(until)),
        snooze_reason: Some(Some(reason)),
        ..StatusChange::default()
    })
    .await
}

/// Closes a follow-up with its outcome (coordinator, casemanager; the process director
/// one escalated to her).
pub async fn close(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
    outcome: String,
) -> Result<Followup, ApiError> {
    let by = who.user_id;
    change(state, who, id, CLOSE, None, move |now| StatusChange {
        status: Some(FollowupStatus::Closed.as_str().into()),
        closed_by: Some(Some(by)),
        closed_at: Some(Some(now)),
        outcome: Some(Some(outcome)),
        ..StatusChange::default()
    })
    .await
}

/// Applies a status change (made for the moment it happens) to an unclosed follow-up, with
/// a timeline event and an audit entry. Coordinators and casemanagers act on their team's
/// follow-ups; the process director only closes one escalated to her.
async fn change(
    state: &AppState,
    who: &Identity,
    id: FollowupId,
    step: Step,
    detail: Option<String>,
    status_change: impl FnOnce(NaiveDateTime) -> StatusChange + Send + 'static,
) -> Result<Followup, ApiError> {
    let director = step.by_director && who.role == Role::ProcessDirector;
    if !director {
        who.require(Role::edits_clients)?;
    }
    let now = state.clock.now();
    let (who, rules) = (who.clone(), state.absence_rules());
    let id = id.get();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let need = if director { Need::Read } else { Need::Edit };
            let (row, alias) = load(conn, &who, id, now, need, (step.audit, Action::Update))?;
            let event = Event::on(step.audit, Action::Update, row.client_id);
            if director
                && EscalationLevel::from_stored(row.escalation_level)
                    < EscalationLevel::ProcessDirector
            {
                return Err(ApiError::denied(
                    event,
                    ApiError::Forbidden(
                        "The process director closes only follow-ups escalated to her.",
                    ),
                ));
            }
            if row.status == FollowupStatus::Closed.as_str() {
                return Err(ApiError::conflict(
                    "followup_closed",
                    "This follow-up is closed already.",
                ));
            }
            followups::change_status(conn, id, &status_change(now))?;
            if step.timeline == TimelineEvent::Closed && row.kind == FollowupKind::Absence.as_str()
            {
                // While it was open the sweep passed her by; her absence counts again.
                absence::refresh(conn, row.client_id, &rules)?;
            }
            followups::add_event(
                conn,
                id,
                now,
                step.timeline,
                Some(who.user_id),
                detail.as_deref(),
            )?;
            let followup = reread(conn, id, alias)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(followup)
        })
        .await
}

/// Runs the follow-up sweep now (coordinator, admin); the scheduler runs the same one.
pub async fn sweep_now(state: &AppState, who: &Identity) -> Result<SweepReport, ApiError> {
    who.require(|r| matches!(r, Role::Coordinator | Role::Admin))?;
    sweep::run(state).await
}
