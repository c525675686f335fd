//! Devices: the key that unwraps a browser's offline store, its PIN, and revoking both.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{devices, push_subscriptions, sessions};

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = devices)]
pub struct DeviceRow {
    pub id: String,
    pub user_id: i64,
    /// `None` once revoked.
    pub store_key: Option<String>,
    pub pin_hash: Option<String>,
}

pub fn create(
    conn: &mut DbConnection,
    id: &str,
    user_id: i64,
    store_key: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(devices::table)
        .values((
            devices::id.eq(id),
            devices::user_id.eq(user_id),
            devices::store_key.eq(store_key),
            devices::created_at.eq(now),
        ))
        .execute(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<DeviceRow>> {
    devices::table
        .find(id)
        .select(DeviceRow::as_select())
        .first(conn)
        .optional()
}

/// The device a session is on, once the app has asked for its key there.
pub fn of_session(conn: &mut DbConnection, session_id: i64) -> QueryResult<Option<DeviceRow>> {
    sessions::table
        .inner_join(devices::table.on(sessions::device_id.eq(devices::id.nullable())))
        .filter(sessions::id.eq(session_id))
        .select(DeviceRow::as_select())
        .first(conn)
        .optional()
}

pub fn link_session(
    conn: &mut DbConnection,
    session_id: i64,
    device_id: &str,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::device_id.eq(device_id))
        .execute(conn)
}

/// A new PIN (its hash) for a device that is not revoked; forgets earlier wrong tries.
pub fn set_pin(conn: &mut DbConnection, id: &str, pin_hash: &str) -> QueryResult<usize> {
    diesel::update(
        devices::table
            .find(id)
            .filter(devices::revoked_at.is_null()),
    )
    .set((devices::pin_hash.eq(pin_hash), devices::pin_failures.eq(0)))
    .execute(conn)
}

/// Counts an attempt at the PIN, before it is checked; returns how many in a row there
/// have been, this one included.
pub fn count_pin_attempt(conn: &mut DbConnection, id: &str) -> QueryResult<i32> {
    diesel::update(devices::table.find(id))
        .set(devices::pin_failures.eq(devices::pin_failures + 1))
        .returning(devices::pin_failures)
        .get_result(conn)
}

/// Removes the PIN of device `id`: it no longer unlocks anything.
pub fn remove_pin(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::update(devices::table.find(id))
        .set(devices::pin_hash.eq(None::<String>))
        .execute(conn)
}

/// A right PIN: the attempts in a row start again from nothing.
pub fn forget_pin_failures(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::update(devices::table.find(id))
        .set(devices::pin_failures.eq(0))
        .execute(conn)
}

/// Revokes devices: their key and PIN are erased (the phones' copies can no longer be
/// unwrapped with it), every session on them ends and their push subscriptions go (a
/// phone no longer hers gets no notifications). Returns how many were revoked.
fn revoke_where(
    conn: &mut DbConnection,
    ids: Vec<String>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(sessions::table.filter(sessions::device_id.eq_any(&ids))).execute(conn)?;
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::device_id.eq_any(&ids)))
        .execute(conn)?;
    diesel::update(
        devices::table
            .filter(devices::id.eq_any(&ids))
            .filter(devices::revoked_at.is_null()),
    )
    .set((
        devices::store_key.eq(None::<String>),
        devices::pin_hash.eq(None::<String>),
        devices::revoked_at.eq(now),
    ))
    .execute(conn)
}

/// Revokes the device a session is on (if any); the session itself ends too.
pub fn revoke_of_session(
    conn: &mut DbConnection,
    session_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let ids: Vec<String> = sessions::table
        .filter(sessions::id.eq(session_id))
        .filter(sessions::device_id.is_not_null())
        .select(sessions::device_id.assume_not_null())
        .load(conn)?;
    revoke_where(conn, ids, now)
}

/// Revokes every device of a user (a disabled account, or one whose access changed).
pub fn revoke_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let ids: Vec<String> = devices::table
        .filter(devices::user_id.eq(user_id))
        .filter(devices::revoked_at.is_null())
        .select(devices::id)
        .load(conn)?;
    revoke_where(conn, ids, now)
}
