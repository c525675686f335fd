//! The follow-up as the API shows it, in the followups and the escalations responses
//! alike: one view type, so both answer (and document) the same shape.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::followups::listing::{Listed, Person};
use crate::db::queries::followups::{EventRow, FollowupRow};
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct TimelineEntry {
    at: DateTime<FixedOffset>,
    /// opened, created, notified, acknowledged, snoozed, snooze_ended,
    /// escalated_to_coordinator, escalated_to_process_director, escalated_by_hand (with
    /// the reason as detail), closed, closed_by_contact, closed_registration_changed,
    /// closed_referral_changed, closed_action_finished, closed_action_rescheduled,
    /// closed_plan_reviewed
    event: String,
    user_id: Option<i64>,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupView {
    id: i64,
    client_id: i64,
    alias: String,
    /// `absence` (not seen for her threshold), `reminder` (set by a casemanager),
    /// `registration_expiry` (her registration expires within the warning period),
    /// `referral_waiting` (a referral waits longer than its kind may; the note is its kind,
    /// `absent_since` the start of the day it was requested), `plan_action` (an action of
    /// her plan is past its due date), `plan_review` (her plan is due for review) or
    /// `aftercare` (a check-in after a good exit) or `meeting_decision` (a decision of a
    /// case meeting about her is past its due date).
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
    /// The view of `row` for her `alias`, in local time; with its timeline when given.
    pub fn new(
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
}

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    user_id: i64,
    display_name: String,
}

impl From<Person> for PersonView {
    fn from(p: Person) -> PersonView {
        PersonView {
            user_id: p.user_id,
            display_name: p.display_name,
        }
    }
}

/// A follow-up on the team's list: the follow-up, and the people and days around it.
#[derive(Serialize, ToSchema)]
pub struct ListedFollowupView {
    #[serde(flatten)]
    followup: FollowupView,
    /// For an absence: whole days (Europe/Amsterdam) since she was last seen.
    days_unseen: Option<i64>,
    /// Her casemanagers today.
    casemanagers: Vec<PersonView>,
    /// The name of who took it on ("ik pak het op").
    acknowledged_by_name: Option<String>,
    /// Addressed to this one person instead of her casemanagers (an action's owner).
    owner_id: Option<i64>,
    owner_name: Option<String>,
}

impl ListedFollowupView {
    /// The view of one on the list, or of one with its `timeline` (the follow-up's page).
    pub fn new(zone: Zone, listed: Listed, timeline: Option<Vec<EventRow>>) -> ListedFollowupView {
        ListedFollowupView {
            followup: FollowupView::new(zone, listed.row, listed.alias, timeline),
            days_unseen: listed.days_unseen,
            casemanagers: listed.casemanagers.into_iter().map(Into::into).collect(),
            acknowledged_by_name: listed.acknowledged_by.map(|p| p.display_name),
            owner_id: listed.owner.as_ref().map(|p| p.user_id),
            owner_name: listed.owner.map(|p| p.display_name),
        }
    }
}
