//! Push subscriptions, the push outbox, delivery attempts and the server's own keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{push_attempts, push_messages, push_subscriptions, server_keys, users};
use crate::db::{DbConnection, insert_once};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = push_subscriptions)]
pub struct SubscriptionRow {
    pub id: i64,
    pub user_id: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub created_at: NaiveDateTime,
    pub last_success_at: Option<NaiveDateTime>,
}

/// Stores a new subscription for `user_id` from the phone `device_id` (a unique violation
/// when its endpoint is stored already).
pub fn subscribe(
    conn: &mut DbConnection,
    user_id: i64,
    endpoint: &str,
    p256dh: &str,
    auth: &str,
    device_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(push_subscriptions::table)
        .values((
            push_subscriptions::user_id.eq(user_id),
            push_subscriptions::endpoint.eq(endpoint),
            push_subscriptions::p256dh.eq(p256dh),
            push_subscriptions::auth.eq(auth),
            push_subscriptions::device_id.eq(device_id),
            push_subscriptions::created_at.eq(now),
        ))
        .returning(push_subscriptions::id)
        .get_result(conn)
}

/// The subscription at `endpoint` and whose it is: (id, user_id).
pub fn holder_of(conn: &mut DbConnection, endpoint: &str) -> QueryResult<Option<(i64, i64)>> {
    push_subscriptions::table
        .filter(push_subscriptions::endpoint.eq(endpoint))
        .select((push_subscriptions::id, push_subscriptions::user_id))
        .first(conn)
        .optional()
}

/// The browser's new keys for a subscription it had already, and the device it comes from
/// now (after a new sign-in on the phone).
pub fn renew(
    conn: &mut DbConnection,
    id: i64,
    p256dh: &str,
    auth: &str,
    device_id: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(push_subscriptions::table.find(id))
        .set((
            push_subscriptions::p256dh.eq(p256dh),
            push_subscriptions::auth.eq(auth),
            push_subscriptions::device_id.eq(device_id),
        ))
        .execute(conn)
}

pub fn count_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    push_subscriptions::table
        .filter(push_subscriptions::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

/// Makes one user's registrations take turns until the caller's transaction ends (on
/// PostgreSQL the lock on her row; SQLite has one writer anyway), so two at once cannot
/// both take her last free place.
pub fn lock_devices_of(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set(users::id.eq(users::id))
        .execute(conn)
}

/// Messages still to be sent or retried (a gauge for `/metrics`).
pub fn waiting(conn: &mut DbConnection) -> QueryResult<i64> {
    push_messages::table
        .filter(push_messages::status.eq("pending"))
        .count()
        .get_result(conn)
}

pub fn for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<SubscriptionRow>> {
    push_subscriptions::table
        .filter(push_subscriptions::user_id.eq(user_id))
        .order(push_subscriptions::id)
        .select(SubscriptionRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SubscriptionRow>> {
    push_subscriptions::table
        .find(id)
        .select(SubscriptionRow::as_select())
        .first(conn)
        .optional()
}

/// The subscriptions with these ids (those still there), in one query: the subscriptions
/// of a batch of messages about to be sent.
pub fn find_all(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<SubscriptionRow>> {
    let mut found = Vec::with_capacity(ids.len());
    // SQLite's bound parameters per statement are limited; so are PostgreSQL's.
    for chunk in ids.chunks(500) {
        found.extend(
            push_subscriptions::table
                .filter(push_subscriptions::id.eq_any(chunk))
                .select(SubscriptionRow::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

/// Deletes a user's own subscription; 0 when it is not hers.
pub fn unsubscribe(conn: &mut DbConnection, user_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(
        push_subscriptions::table
            .filter(push_subscriptions::id.eq(id))
            .filter(push_subscriptions::user_id.eq(user_id)),
    )
    .execute(conn)
}

/// The push service says the subscription is gone (404/410).
pub fn remove_subscription(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(push_subscriptions::table.find(id)).execute(conn)
}

pub fn mark_subscription_success(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(push_subscriptions::table.find(id))
        .set(push_subscriptions::last_success_at.eq(now))
        .execute(conn)
}

pub fn enqueue(
    conn: &mut DbConnection,
    subscription: &SubscriptionRow,
    payload: &str,
    urgent: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(push_messages::table)
        .values((
            push_messages::subscription_id.eq(subscription.id),
            push_messages::user_id.eq(subscription.user_id),
            push_messages::payload.eq(payload),
            push_messages::urgent.eq(urgent),
            push_messages::status.eq("pending"),
            push_messages::attempts.eq(0),
            push_messages::next_attempt_at.eq(now),
            push_messages::created_at.eq(now),
        ))
        .execute(conn)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = push_messages)]
pub struct MessageRow {
    pub id: i64,
    pub subscription_id: Option<i64>,
    pub user_id: i64,
    pub payload: String,
    pub urgent: bool,
    pub attempts: i32,
}

pub fn due_messages(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<MessageRow>> {
    push_messages::table
        .filter(push_messages::status.eq("pending"))
        .filter(push_messages::next_attempt_at.le(now))
        .order(push_messages::next_attempt_at)
        .limit(limit)
        .select(MessageRow::as_select())
        .load(conn)
}

/// Claims a message for one attempt: counts the attempt and hides the message until
/// `lease_until`. False when another deliverer claimed it first.
pub fn claim_message(
    conn: &mut DbConnection,
    message: &MessageRow,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        push_messages::table
            .filter(push_messages::id.eq(message.id))
            .filter(push_messages::status.eq("pending"))
            .filter(push_messages::attempts.eq(message.attempts)),
    )
    .set((
        push_messages::attempts.eq(message.attempts + 1),
        push_messages::next_attempt_at.eq(lease_until),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Ends a message: `sent`, `failed` or `gone`.
pub fn finish_message(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(push_messages::table.find(id))
        .set((
            push_messages::status.eq(status),
            push_messages::finished_at.eq(now),
        ))
        .execute(conn)
}

pub fn retry_message_at(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(push_messages::table.find(id))
        .set(push_messages::next_attempt_at.eq(at))
        .execute(conn)
}

pub fn record_attempt(
    conn: &mut DbConnection,
    message_id: i64,
    subscription_id: Option<i64>,
    now: NaiveDateTime,
    outcome: &str,
    status_code: Option<i32>,
) -> QueryResult<usize> {
    diesel::insert_into(push_attempts::table)
        .values((
            push_attempts::message_id.eq(message_id),
            push_attempts::subscription_id.eq(subscription_id),
            push_attempts::attempted_at.eq(now),
            push_attempts::outcome.eq(outcome),
            push_attempts::status_code.eq(status_code),
        ))
        .execute(conn)
}

/// A named server key; created from `generate` on first use. Concurrent first starts
/// agree on one value: the loser of the insert reads the winner's.
pub fn server_key(
    conn: &mut DbConnection,
    name: &str,
    generate: impl FnOnce() -> String,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let existing = server_keys::table
        .find(name)
        .select(server_keys::value)
        .first::<String>(conn)
        .optional()?;
    if let Some(value) = existing {
        return Ok(value);
    }
    insert_once(conn, |conn| {
        diesel::insert_into(server_keys::table)
            .values((
                server_keys::name.eq(name),
                server_keys::value.eq(generate()),
                server_keys::created_at.eq(now),
            ))
            .execute(conn)
    })?;
    server_keys::table
        .find(name)
        .select(server_keys::value)
        .first(conn)
}
