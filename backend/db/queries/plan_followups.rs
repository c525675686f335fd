//! The follow-ups her plan raises: an action past its due date (to its owner), her plan's
//! review (to her casemanagers) and the check-ins of her aftercare (likewise). Each is
//! opened once per unique key, so repeated and concurrent sweeps are harmless.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::followups::add_event;
use crate::db::schema::{assessments, clients, followups, plan_actions};
use crate::db::{DbConnection, insert_once};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};

pub fn action_key(client_id: i64, action_id: i64) -> String {
    format!(
        "{}:{client_id}:{action_id}",
        FollowupKind::PlanAction.as_str()
    )
}

pub fn review_key(client_id: i64, review_on: NaiveDate) -> String {
    format!(
        "{}:{client_id}:{review_on}",
        FollowupKind::PlanReview.as_str()
    )
}

pub fn aftercare_key(client_id: i64, exit_on: NaiveDate, months: u32) -> String {
    format!(
        "{}:{client_id}:{exit_on}:{months}",
        FollowupKind::Aftercare.as_str()
    )
}

pub fn decision_key(client_id: i64, decision_id: i64) -> String {
    format!(
        "{}:{client_id}:{decision_id}",
        FollowupKind::MeetingDecision.as_str()
    )
}

/// The stored codes of the caseload statuses of a file the team still works on.
pub fn open_files() -> [&'static str; 2] {
    [CaseloadStatus::Active, CaseloadStatus::RegularCare].map(CaseloadStatus::as_str)
}

/// The keys of the follow-ups of `kind` ever opened (a closed one is not opened again).
pub fn opened_keys(conn: &mut DbConnection, kind: FollowupKind) -> QueryResult<HashSet<String>> {
    Ok(followups::table
        .filter(followups::kind.eq(kind.as_str()))
        .select(followups::dedupe_key)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// A follow-up the plan raises.
pub struct PlanFollowup {
    pub kind: FollowupKind,
    pub key: String,
    pub team_id: i64,
    pub client_id: i64,
    /// Addressed to this one person instead of her casemanagers.
    pub owner_id: Option<i64>,
    pub due_at: NaiveDateTime,
}

/// Opens `new`; `None` when its key was opened before (by another sweep, too).
pub fn open(
    conn: &mut DbConnection,
    new: &PlanFollowup,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    insert_once(conn, |conn| {
        let id: i64 = diesel::insert_into(followups::table)
            .values((
                followups::team_id.eq(new.team_id),
                followups::client_id.eq(new.client_id),
                followups::kind.eq(new.kind.as_str()),
                followups::dedupe_key.eq(&new.key),
                followups::owner_id.eq(new.owner_id),
                followups::due_at.eq(new.due_at),
                followups::status.eq(FollowupStatus::Open.as_str()),
                followups::created_at.eq(now),
            ))
            .returning(followups::id)
            .get_result(conn)?;
        add_event(conn, id, now, TimelineEvent::Opened, None, None)?;
        Ok(id)
    })
}

/// An open action of an open file, due before today, with no follow-up yet.
#[derive(Queryable, Debug, Clone)]
pub struct OverdueAction {
    pub action_id: i64,
    pub client_id: i64,
    pub team_id: i64,
    pub owner_id: Option<i64>,
    pub due_on: NaiveDate,
}

pub fn overdue_actions(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<OverdueAction>> {
    let opened = opened_keys(conn, FollowupKind::PlanAction)?;
    let rows: Vec<OverdueAction> = plan_actions::table
        .inner_join(clients::table.on(clients::id.eq(plan_actions::client_id)))
        .filter(plan_actions::status.eq("open"))
        .filter(plan_actions::due_on.lt(today))
        .filter(clients::caseload_status.eq_any(open_files()))
        .select((
            plan_actions::id,
            plan_actions::client_id,
            clients::team_id,
            plan_actions::owner_id,
            plan_actions::due_on,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|a| !opened.contains(&action_key(a.client_id, a.action_id)))
        .collect())
}

/// Closes the unclosed follow-up of an action that was done or dropped; whether there
/// was one.
pub fn close_for_action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let key = action_key(client_id, action_id);
    close_keyed(
        conn,
        &key,
        Some(by),
        now,
        TimelineEvent::ClosedActionFinished,
    )
}

fn close_keyed(
    conn: &mut DbConnection,
    key: &str,
    by: Option<i64>,
    now: NaiveDateTime,
    event: TimelineEvent,
) -> QueryResult<bool> {
    let ids: Vec<i64> = followups::table
        .filter(followups::dedupe_key.eq(key))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .select(followups::id)
        .load(conn)?;
    for &id in &ids {
        diesel::update(followups::table.find(id))
            .set((
                followups::status.eq(FollowupStatus::Closed.as_str()),
                followups::closed_by.eq(by),
                followups::closed_at.eq(now),
            ))
            .execute(conn)?;
        add_event(conn, id, now, event, by, None)?;
    }
    Ok(!ids.is_empty())
}

/// Open files with at least one assessment: `(client, team, day of her latest)`.
pub fn latest_assessments(conn: &mut DbConnection) -> QueryResult<Vec<(i64, i64, NaiveDate)>> {
    let rows: Vec<(i64, i64, NaiveDate)> = assessments::table
        .inner_join(clients::table)
        .filter(clients::caseload_status.eq_any(open_files()))
        .select((
            assessments::client_id,
            clients::team_id,
            assessments::assessed_on,
        ))
        .load(conn)?;
    let mut latest: Vec<(i64, i64, NaiveDate)> = Vec::new();
    for (client, team, on) in rows {
        match latest.iter_mut().find(|(c, _, _)| *c == client) {
            Some(found) if found.2 < on => found.2 = on,
            Some(_) => {}
            None => latest.push((client, team, on)),
        }
    }
    Ok(latest)
}

/// Whether a review follow-up was ever opened under `key`.
pub fn review_opened(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        followups::table.filter(followups::dedupe_key.eq(key)),
    ))
    .get_result(conn)
}

/// Closes unclosed review follow-ups that no longer match her plan's review date (a new
/// assessment was its review); returns how many.
pub fn close_outdated_reviews(
    conn: &mut DbConnection,
    current: &HashSet<String>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let unclosed: Vec<Option<String>> = followups::table
        .filter(followups::kind.eq(FollowupKind::PlanReview.as_str()))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .select(followups::dedupe_key)
        .load(conn)?;
    let mut closed = 0;
    for key in unclosed.into_iter().flatten() {
        if !current.contains(&key)
            && close_keyed(conn, &key, None, now, TimelineEvent::ClosedPlanReviewed)?
        {
            closed += 1;
        }
    }
    Ok(closed)
}

/// A file closed to regular care or because she stopped sex work.
#[derive(Queryable, Debug, Clone)]
pub struct GoodExit {
    pub client_id: i64,
    pub team_id: i64,
    pub exit_on: NaiveDate,
}

pub fn good_exits(conn: &mut DbConnection, reasons: &[&str]) -> QueryResult<Vec<GoodExit>> {
    let rows: Vec<(i64, i64, Option<NaiveDate>)> = clients::table
        .filter(clients::caseload_status.eq(CaseloadStatus::Closed.as_str()))
        .filter(clients::exit_reason.eq_any(reasons))
        .filter(clients::erased_at.is_null())
        .select((clients::id, clients::team_id, clients::exit_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(client_id, team_id, exit_on)| {
            exit_on.map(|exit_on| GoodExit {
                client_id,
                team_id,
                exit_on,
            })
        })
        .collect())
}
