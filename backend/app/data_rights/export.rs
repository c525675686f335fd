//! Gathering everything InBeeld holds about one client, for a request of access: her
//! file, her casemanagers, her status history and registration events, her assessments of
//! the life domains, her goals with their actions, her contacts with their notes, her
//! follow-ups with their timelines, her time-out stays, referrals, stagnations and
//! handovers, the signals about her, and who accessed her file.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::db::DbConnection;
use crate::db::queries::clients::{self, ClientRow};
use crate::db::queries::signals::Listed;
use crate::db::queries::{
    assessments, audit, client_status, contacts, flex_budget, followups, handovers, locations,
    plan, plan_reviews, referrals, registration_events, signals, stagnations, timeout_stays, users,
};
use crate::domain::contact::services_from_stored;
use crate::error::ApiError;
use crate::timezone::Zone;

use super::document::{
    AccessRecord, ActionRecord, AssessmentRecord, AssessmentScoreRecord, AssignmentRecord,
    ClientExport, ClientRecord, ContactRecord, ExpenseRecord, FollowupEventRecord, FollowupRecord,
    GoalRecord, HandoverRecord, PlanReviewRecord, ReferralRecord, RegistrationEventRecord,
    SignalHandoffRecord, SignalRecord, StagnationEventRecord, StagnationRecord, StatusChangeRecord,
    StayRecord,
};

/// Reads everything held about `client` (already checked for access by the caller).
pub fn gather(
    conn: &mut DbConnection,
    client: ClientRow,
    zone: Zone,
    now: NaiveDateTime,
) -> Result<ClientExport, ApiError> {
    let local = |t: NaiveDateTime| zone.to_local(t);
    let names: HashMap<i64, String> = users::list(conn, None)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: i64| names.get(&id).cloned();
    let places: HashMap<i64, String> = locations::list(conn)?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let id = client.id;
    let casemanagers = clients::assignments(conn, id)?
        .into_iter()
        .map(|a| AssignmentRecord {
            id: a.id,
            casemanager: a.display_name,
            from_on: a.from_on,
            until_on: a.until_on,
        })
        .collect();
    let mut status_history: Vec<StatusChangeRecord> = client_status::history(conn, id)?
        .into_iter()
        .map(|(change, by)| StatusChangeRecord {
            id: change.id,
            change: change.change,
            on: change.changed_on,
            reason: change.reason,
            note: change.note,
            recorded_by: by,
            recorded_at: local(change.recorded_at),
        })
        .collect();
    status_history.reverse();
    let registration_events = registration_events::of_client(conn, id)?
        .into_iter()
        .map(|(event, by)| RegistrationEventRecord {
            id: event.id,
            kind: event.kind,
            on: event.occurred_on,
            number: event.number,
            expires_on: event.expires_on,
            recorded_by: by,
            recorded_at: local(event.recorded_at),
        })
        .collect();
    let mut scores = assessments::scores_of_client(conn, id)?;
    let assessments = assessments::of_client(conn, id)?
        .into_iter()
        .map(|(assessment, by)| AssessmentRecord {
            id: assessment.id,
            on: assessment.assessed_on,
            recorded_by: by,
            recorded_at: local(assessment.recorded_at),
            corrected_at: assessment.corrected_at.map(local),
            scores: scores
                .extract_if(.., |s| s.assessment_id == assessment.id)
                .map(|s| AssessmentScoreRecord {
                    id: s.id,
                    domain: s.domain,
                    score: s.score,
                    note: s.note,
                })
                .collect(),
        })
        .collect();
    let goals = goals_of(conn, id, &local)?;
    let plan_review = plan_reviews::of_client(conn, id)?
        .set_by_hand
        .map(|(review_on, set_at)| PlanReviewRecord {
            review_on,
            set_at: local(set_at),
        });
    let contacts = contacts::for_client(conn, id)?
        .into_iter()
        .map(|c| {
            Ok(ContactRecord {
                id: c.id,
                seen_at: local(c.seen_at),
                location: c.location_id.and_then(|id| places.get(&id)).cloned(),
                shift_id: c.shift_id,
                kind: c.kind,
                services: services_from_stored(&c.services).map_err(ApiError::internal)?,
                note: c.note,
                recorded_by: name(c.recorded_by),
                recorded_at: local(c.created_at),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let mut followup_records = Vec::new();
    for f in followups::for_client(conn, id)? {
        let events = followups::timeline(conn, f.id)?
            .into_iter()
            .map(|e| FollowupEventRecord {
                id: e.id,
                at: local(e.occurred_at),
                event: e.event,
                by: e.user_id.and_then(name),
                detail: e.detail,
            })
            .collect();
        followup_records.push(FollowupRecord {
            id: f.id,
            kind: f.kind,
            status: f.status,
            due_at: local(f.due_at),
            absent_since: f.absent_since.map(local),
            note: f.note,
            escalation_level: f.escalation_level,
            snoozed_until: f.snoozed_until.map(local),
            snooze_reason: f.snooze_reason,
            closed_at: f.closed_at.map(local),
            outcome: f.outcome,
            created_at: local(f.created_at),
            events,
        });
    }
    let timeout_stays = timeout_stays::for_client(conn, id)?
        .into_iter()
        .map(|s| StayRecord {
            id: s.id,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            place: s.place,
            outcome: s.outcome,
            outcome_note: s.outcome_note,
            cancelled: s.cancelled_at.is_some(),
        })
        .collect();
    let referrals = referrals::for_client(conn, id)?
        .into_iter()
        .map(|r| ReferralRecord {
            id: r.id,
            kind: r.kind,
            partner: r.partner_name,
            requested_on: r.requested_on,
            started_on: r.started_on,
            ended_on: r.ended_on,
            outcome: r.outcome,
            outcome_note: r.outcome_note,
        })
        .collect();
    let handovers = handovers::for_client(conn, id)?
        .into_iter()
        .map(|h| HandoverRecord {
            id: h.handover.id,
            from_casemanager: h.from_name,
            to_casemanager: h.to_name,
            starts_on: h.handover.starts_on,
            overlap_until: h.handover.overlap_until,
            note: h.handover.note,
            created_at: local(h.handover.created_at),
        })
        .collect();
    let flex_expenses = flex_budget::client_expenses(conn, id, None)?
        .into_iter()
        .map(|e| ExpenseRecord {
            id: e.id,
            spent_on: e.spent_on,
            amount_cents: e.amount_cents,
            category: e.category,
            description: e.description,
            recorded_by: e.recorded_by_name,
        })
        .collect();
    let signals = signals_about(conn, id, &local, &name, &places)?;
    let audit_trail = audit::for_client(conn, id)?
        .into_iter()
        .map(|e| AccessRecord {
            id: e.id,
            at: local(e.occurred_at),
            user: e.user_id.and_then(name),
            role: e.role,
            event: e.event,
            action: e.action,
            outcome: e.outcome,
        })
        .collect();
    Ok(ClientExport {
        exported_at: local(now),
        client: ClientRecord {
            id,
            code: client.code,
            alias: client.alias,
            registration_status: client.registration_status,
            registration_number: client.registration_number,
            registration_date: client.registration_date,
            registration_expires_on: client.registration_expires_on,
            region: client.region,
            addiction: client.addiction,
            sheltered_housing: client.sheltered_housing,
            known_at_huiskamer: client.known_at_huiskamer,
            top15: client.top15,
            caseload_status: client.caseload_status,
            intake_on: client.intake_on,
            exit_on: client.exit_on,
            exit_reason: client.exit_reason,
            exit_note: client.exit_note,
            followup_threshold_days: client.followup_threshold_days,
            last_contact_at: client.last_contact_at.map(local),
            created_at: local(client.created_at),
            updated_at: local(client.updated_at),
        },
        casemanagers,
        status_history,
        registration_events,
        assessments,
        goals,
        plan_review,
        contacts,
        followups: followup_records,
        timeout_stays,
        referrals,
        stagnations: stagnations_of(conn, id, &local)?,
        case_meeting_items: super::meeting_items::of_client(conn, id, zone)?,
        handovers,
        flex_expenses,
        signals,
        audit_trail,
    })
}

/// Her stagnations, the latest first, each with its timeline.
fn stagnations_of(
    conn: &mut DbConnection,
    id: i64,
    local: &dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
) -> Result<Vec<StagnationRecord>, ApiError> {
    let rows = stagnations::for_client(conn, id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut events: HashMap<i64, Vec<StagnationEventRecord>> = HashMap::new();
    for e in stagnations::timelines(conn, &ids)? {
        events
            .entry(e.stagnation_id)
            .or_default()
            .push(StagnationEventRecord {
                id: e.id,
                at: local(e.occurred_at),
                event: e.event,
                detail: e.detail,
                action_owner: e.action_owner,
                action_due_on: e.action_due_on,
            });
    }
    Ok(rows
        .into_iter()
        .map(|s| StagnationRecord {
            events: events.remove(&s.id).unwrap_or_default(),
            id: s.id,
            kind: s.kind,
            reason: s.reason,
            status: s.status,
            reported_at: local(s.reported_at),
            agreed_action: s.agreed_action,
            action_owner: s.action_owner,
            action_due_on: s.action_due_on,
            outcome: s.outcome,
            closed_at: s.closed_at.map(local),
        })
        .collect())
}

/// Her goals, oldest first, each with all its actions.
fn goals_of(
    conn: &mut DbConnection,
    id: i64,
    local: &dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
) -> Result<Vec<GoalRecord>, ApiError> {
    let mut actions = plan::actions_of_client(conn, id)?;
    Ok(plan::goals_of_client(conn, id)?
        .into_iter()
        .map(|goal| GoalRecord {
            id: goal.id,
            text: goal.body,
            domains: goal.domains.split(',').map(str::to_owned).collect(),
            status: goal.status,
            set_on: goal.set_on,
            status_on: goal.status_on,
            created_at: local(goal.created_at),
            actions: actions
                .extract_if(.., |a| a.row.goal_id == goal.id)
                .map(|a| ActionRecord {
                    id: a.row.id,
                    what: a.row.what,
                    owner: a.owner_name,
                    partner: a.partner_name,
                    partner_contact: a.row.partner_contact,
                    due_on: a.row.due_on,
                    status: a.row.status,
                    status_on: a.row.status_on,
                })
                .collect(),
        })
        .collect())
}

/// The signals about her, newest first, each with its indicators and hand-offs.
fn signals_about(
    conn: &mut DbConnection,
    id: i64,
    local: &dyn Fn(NaiveDateTime) -> DateTime<FixedOffset>,
    name: &dyn Fn(i64) -> Option<String>,
    places: &HashMap<i64, String>,
) -> Result<Vec<SignalRecord>, ApiError> {
    let rows = signals::list(conn, Listed::AboutClient(id), None)?;
    let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
    let marks = signals::marks_of(conn, &ids)?;
    let handoffs = signals::handoffs_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(row, _)| SignalRecord {
            id: row.id,
            kind: row.kind,
            status: row.status,
            occurred_at: local(row.occurred_at),
            location: row.location_id.and_then(|l| places.get(&l).cloned()),
            text: row.body,
            indicators: marks
                .iter()
                .filter(|(signal, _, _)| *signal == row.id)
                .map(|(_, _, label)| label.clone())
                .collect(),
            recorded_by: name(row.recorded_by),
            closed_at: row.closed_at.map(local),
            handoffs: handoffs
                .iter()
                .filter(|(h, _)| h.signal_id == row.id)
                .map(|(h, by)| SignalHandoffRecord {
                    id: h.id,
                    recipient: h.recipient.clone(),
                    recipient_detail: h.recipient_detail.clone(),
                    method: h.method.clone(),
                    handed_at: local(h.handed_at),
                    recorded_by: by.clone(),
                })
                .collect(),
        })
        .collect())
}
