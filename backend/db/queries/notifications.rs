//! Notifications: what a user is to be told, before it becomes push messages.

use std::collections::{BTreeSet, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{digest_days, followups, notifications, users};
use crate::db::{DbConnection, insert_once};
use crate::domain::followup::FollowupStatus;

pub struct NewNotification<'a> {
    pub user_id: i64,
    pub dedupe_key: &'a str,
    pub kind: &'a str,
    pub followup_id: Option<i64>,
    /// The client its deep link opens, when there is no follow-up to open.
    pub client_id: Option<i64>,
    pub threshold_days: Option<i32>,
    pub item_count: i32,
    pub urgent: bool,
    pub deliver_after: NaiveDateTime,
}

/// Queues a notification once per key; false when it was queued before.
pub fn queue(
    conn: &mut DbConnection,
    new: &NewNotification,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    insert_once(conn, |conn| {
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(new.user_id),
                notifications::dedupe_key.eq(new.dedupe_key),
                notifications::kind.eq(new.kind),
                notifications::followup_id.eq(new.followup_id),
                notifications::client_id.eq(new.client_id),
                notifications::threshold_days.eq(new.threshold_days),
                notifications::item_count.eq(new.item_count),
                notifications::urgent.eq(new.urgent),
                notifications::created_at.eq(now),
                notifications::deliver_after.eq(new.deliver_after),
            ))
            .execute(conn)
    })
    .map(|inserted| inserted.is_some())
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = notifications)]
pub struct PendingRow {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub followup_id: Option<i64>,
    pub client_id: Option<i64>,
    pub threshold_days: Option<i32>,
    pub item_count: i32,
    pub urgent: bool,
}

/// Notifications whose time has come and that no push message carries yet.
pub fn pending(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<PendingRow>> {
    notifications::table
        .filter(notifications::dispatched_at.is_null())
        .filter(notifications::deliver_after.le(now))
        .order((notifications::user_id, notifications::id))
        .select(PendingRow::as_select())
        .load(conn)
}

/// Settles, without a push, every undelivered notification whose follow-up was closed or
/// snoozed after it was queued (she was seen at 23:30; the casemanager whose quiet hours end
/// at 08:00 must not be woken by a false alarm). Returns how many were withdrawn.
///
/// Reads the undelivered notifications first (from the index on pending ones), then only
/// their follow-ups: never every closed follow-up there ever was.
pub fn withdraw_settled(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let waiting: Vec<(i64, Option<i64>)> = notifications::table
        .filter(notifications::dispatched_at.is_null())
        .filter(notifications::followup_id.is_not_null())
        .select((notifications::id, notifications::followup_id))
        .load(conn)?;
    let followup_ids: BTreeSet<i64> = waiting.iter().filter_map(|(_, f)| *f).collect();
    let followup_ids: Vec<i64> = followup_ids.into_iter().collect();
    let mut settled = HashSet::new();
    for slice in followup_ids.chunks(500) {
        let found: Vec<i64> = followups::table
            .filter(followups::id.eq_any(slice))
            .filter(followups::status.eq_any(FollowupStatus::codes(&[
                FollowupStatus::Closed,
                FollowupStatus::Snoozed,
            ])))
            .select(followups::id)
            .load(conn)?;
        settled.extend(found);
    }
    let withdrawn: Vec<i64> = waiting
        .into_iter()
        .filter(|(_, followup)| followup.is_some_and(|f| settled.contains(&f)))
        .map(|(id, _)| id)
        .collect();
    let mut count = 0;
    for slice in withdrawn.chunks(500) {
        count += diesel::update(
            notifications::table
                .filter(notifications::id.eq_any(slice))
                .filter(notifications::dispatched_at.is_null()),
        )
        .set(notifications::dispatched_at.eq(now))
        .execute(conn)?;
    }
    Ok(count)
}

/// Claims notifications for dispatch; the count tells whether all were still unclaimed.
pub fn claim(conn: &mut DbConnection, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::id.eq_any(ids))
            .filter(notifications::dispatched_at.is_null()),
    )
    .set(notifications::dispatched_at.eq(now))
    .execute(conn)
}

/// Each active user's quiet hours (local `HH:MM` start and end).
pub fn quiet_hours(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String, String)>> {
    users::table
        .filter(users::active.eq(true))
        .select((users::id, users::quiet_hours_start, users::quiet_hours_end))
        .load(conn)
}

/// Whether the morning digest of `day` was queued already.
pub fn digest_queued(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(digest_days::table.find(day))).get_result(conn)
}

/// Notes that the digest of `day` is queued: in the transaction that queued it. A sweep
/// beside it that queued the same digests first makes this one a no-op.
pub fn mark_digest_queued(
    conn: &mut DbConnection,
    day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<()> {
    insert_once(conn, |conn| {
        diesel::insert_into(digest_days::table)
            .values((digest_days::day.eq(day), digest_days::queued_at.eq(now)))
            .execute(conn)
    })
    .map(|_| ())
}
