//! The follow-ups her plan raises: an action past its due date (to its owner), her plan's
//! review (to her casemanagers) and the check-ins of her aftercare (likewise). Each is
//! opened once per unique key, so repeated and concurrent sweeps are harmless.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::followups::{add_event, opened_among};
use crate::db::DbConnection;
use crate::db::schema::{clients, followups, plan_actions};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::followup_key::FollowupKey;

/// The stored codes of the caseload statuses of a file the team still works on.
pub fn open_files() -> [&'static str; 2] {
    [CaseloadStatus::Active, CaseloadStatus::RegularCare].map(CaseloadStatus::as_str)
}

/// An open action due before today whose follow-up the sweep has yet to open.
#[derive(Queryable, Debug, Clone)]
pub struct OverdueAction {
    pub action_id: i64,
    pub client_id: i64,
    pub team_id: i64,
    pub owner_id: Option<i64>,
    pub due_on: NaiveDate,
    /// Her file's status: a closed file's action is passed over.
    pub caseload_status: String,
}

/// The actions whose follow-up is due by `today` and not opened yet, from the index on
/// `plan_actions.followup_due_on`.
pub fn overdue_actions(
    conn: &mut DbConnection,
    today: NaiveDate,
) -> QueryResult<Vec<OverdueAction>> {
    plan_actions::table
        .inner_join(clients::table.on(clients::id.eq(plan_actions::client_id)))
        .filter(plan_actions::followup_due_on.lt(today))
        .select((
            plan_actions::id,
            plan_actions::client_id,
            clients::team_id,
            plan_actions::owner_id,
            plan_actions::due_on,
            clients::caseload_status,
        ))
        .load(conn)
}

/// Marks the action handled by the sweep: its follow-up is open, or her file is not.
pub fn action_handled(conn: &mut DbConnection, action_id: i64) -> QueryResult<()> {
    diesel::update(plan_actions::table.find(action_id))
        .set(plan_actions::followup_due_on.eq(None::<NaiveDate>))
        .execute(conn)
        .map(|_| ())
}

/// Computes again whether the sweep is to look at one action (`Some`) or all of hers: an
/// open action's due day while no follow-up was opened for that day.
pub fn refresh_actions(
    conn: &mut DbConnection,
    action: Option<i64>,
    client: Option<i64>,
) -> QueryResult<()> {
    let mut query = plan_actions::table
        .select((
            plan_actions::id,
            plan_actions::client_id,
            plan_actions::due_on,
            plan_actions::status,
        ))
        .into_boxed();
    if let Some(id) = action {
        query = query.filter(plan_actions::id.eq(id));
    }
    if let Some(client) = client {
        query = query.filter(plan_actions::client_id.eq(client));
    }
    let rows: Vec<(i64, i64, NaiveDate, String)> = query.load(conn)?;
    let keys: Vec<String> = rows
        .iter()
        .map(|&(action, client, due_on, _)| {
            FollowupKey::PlanAction {
                client,
                action,
                due_on,
            }
            .to_string()
        })
        .collect();
    let opened = opened_among(conn, &keys)?;
    for ((id, _, due_on, status), key) in rows.iter().zip(&keys) {
        let due = (status == "open" && !opened.contains(key)).then_some(*due_on);
        diesel::update(plan_actions::table.find(id))
            .set(plan_actions::followup_due_on.eq(due))
            .execute(conn)?;
    }
    Ok(())
}

/// The unclosed follow-ups of an action, whatever due date raised them.
fn unclosed_of_action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
) -> QueryResult<Vec<i64>> {
    followups::table
        .filter(followups::kind.eq(FollowupKind::PlanAction.as_str()))
        .filter(followups::dedupe_key.like(format!(
            "{}%",
            FollowupKey::plan_action_prefix(client_id, action_id)
        )))
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

/// Closes her unclosed review follow-ups raised for another day than `current` (all of
/// them without one: her plan is not due, or her file is no longer open); `by` is who made
/// the change that moved it, none when it followed from another change. Whether there was
/// one.
pub fn close_reviews_except(
    conn: &mut DbConnection,
    client_id: i64,
    current: Option<&str>,
    by: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let ids: Vec<i64> = followups::table
        .filter(followups::kind.eq(FollowupKind::PlanReview.as_str()))
        .filter(followups::client_id.eq(client_id))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .filter(followups::dedupe_key.ne(current.unwrap_or_default()))
        .select(followups::id)
        .load(conn)?;
    close_ids(conn, &ids, by, now, TimelineEvent::ClosedPlanReviewed)?;
    Ok(!ids.is_empty())
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
    let current = review_on.map(|review_on| {
        FollowupKey::PlanReview {
            client: client_id,
            review_on,
        }
        .to_string()
    });
    close_reviews_except(conn, client_id, current.as_deref(), Some(by), now)
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
