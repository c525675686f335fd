//! The follow-ups her plan raises: an action past its due date (to its owner), her plan's
//! review (to her casemanagers) and the check-ins of her aftercare (likewise). Each is
//! opened once per unique key, so repeated and concurrent sweeps are harmless.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::followups::{add_event, opened_among};
use crate::db::schema::{clients, followups, plan_actions};
use crate::db::{DbConnection, insert_once};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};

/// The start of the keys of an action's follow-ups: one per due date it passed, so an
/// action moved to a later day raises a follow-up again when that day has passed.
fn action_key_prefix(client_id: i64, action_id: i64) -> String {
    format!(
        "{}:{client_id}:{action_id}:",
        FollowupKind::PlanAction.as_str()
    )
}

pub fn action_key(client_id: i64, action_id: i64, due_on: NaiveDate) -> String {
    format!("{}{due_on}", action_key_prefix(client_id, action_id))
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
    let keys: Vec<String> = rows
        .iter()
        .map(|a| action_key(a.client_id, a.action_id, a.due_on))
        .collect();
    let opened = opened_among(conn, &keys)?;
    Ok(rows
        .into_iter()
        .zip(keys)
        .filter(|(_, key)| !opened.contains(key))
        .map(|(action, _)| action)
        .collect())
}

/// The unclosed follow-ups of an action, whatever due date raised them.
fn unclosed_of_action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
) -> QueryResult<Vec<i64>> {
    followups::table
        .filter(followups::kind.eq(FollowupKind::PlanAction.as_str()))
        .filter(followups::dedupe_key.like(format!("{}%", action_key_prefix(client_id, action_id))))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .select(followups::id)
        .load(conn)
}

/// Closes the unclosed follow-up of an action that was done, dropped (`event`
/// `ClosedActionFinished`) or moved to another day (`ClosedActionRescheduled`); whether
/// there was one.
pub fn close_for_action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
    by: i64,
    now: NaiveDateTime,
    event: TimelineEvent,
) -> QueryResult<bool> {
    let ids = unclosed_of_action(conn, client_id, action_id)?;
    close_ids(conn, &ids, Some(by), now, event)?;
    Ok(!ids.is_empty())
}

/// Addresses the unclosed follow-up of an action to its new owner (`None`: a partner's
/// action, for her casemanagers), to be told by the next sweep as if it were new.
pub fn reassign_for_action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
    owner_id: Option<i64>,
) -> QueryResult<usize> {
    let ids = unclosed_of_action(conn, client_id, action_id)?;
    diesel::update(followups::table.filter(followups::id.eq_any(ids)))
        .set((
            followups::owner_id.eq(owner_id),
            followups::notified_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
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
    close_ids(conn, &ids, by, now, event)?;
    Ok(!ids.is_empty())
}

fn close_ids(
    conn: &mut DbConnection,
    ids: &[i64],
    by: Option<i64>,
    now: NaiveDateTime,
    event: TimelineEvent,
) -> QueryResult<()> {
    for &id in ids {
        diesel::update(followups::table.find(id))
            .set((
                followups::status.eq(FollowupStatus::Closed.as_str()),
                followups::closed_by.eq(by),
                followups::closed_at.eq(now),
            ))
            .execute(conn)?;
        add_event(conn, id, now, event, by, None)?;
    }
    Ok(())
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

/// Closes her unclosed review follow-up when her plan's review day was moved from the
/// day that raised it; whether there was one.
pub fn close_moved_review(
    conn: &mut DbConnection,
    client_id: i64,
    review_on: Option<NaiveDate>,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let current = review_on.map(|on| review_key(client_id, on));
    let ids: Vec<i64> = followups::table
        .filter(followups::kind.eq(FollowupKind::PlanReview.as_str()))
        .filter(followups::client_id.eq(client_id))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .filter(followups::dedupe_key.ne(current.unwrap_or_default()))
        .select(followups::id)
        .load(conn)?;
    close_ids(conn, &ids, Some(by), now, TimelineEvent::ClosedPlanReviewed)?;
    Ok(!ids.is_empty())
}

/// A file closed to regular care or because she stopped sex work.
#[derive(Queryable, Debug, Clone)]
pub struct GoodExit {
    pub client_id: i64,
    pub team_id: i64,
    pub exit_on: NaiveDate,
}

/// The good exits on or after `since`, from the index on closed files by exit day.
pub fn good_exits(
    conn: &mut DbConnection,
    reasons: &[&str],
    since: NaiveDate,
) -> QueryResult<Vec<GoodExit>> {
    let rows: Vec<(i64, i64, Option<NaiveDate>)> = clients::table
        .filter(clients::caseload_status.eq(CaseloadStatus::Closed.as_str()))
        .filter(clients::exit_on.ge(since))
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
