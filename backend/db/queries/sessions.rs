//! Server-side sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{sessions, users};
use crate::db::{DbConnection, native};
use crate::domain::code::Code;
use crate::domain::role::Role;

pub struct ActiveSession {
    pub session_id: i64,
    pub user_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub role: Role,
    pub team_id: Option<i64>,
    pub user_active: bool,
    /// She signed in with a start password and has not chosen her own yet.
    pub must_change_password: bool,
    pub second_factor_at: Option<NaiveDateTime>,
    /// Locked by the app (`POST /session/lock`); idle longer than the lock time is locked too.
    pub locked_at: Option<NaiveDateTime>,
}

/// Where and on what a session was opened.
pub struct Origin<'a> {
    pub address: &'a str,
    /// As `auth::device::describe` names it.
    pub device: &'a str,
}

/// A new session; `second_factor_at` is set when the way in was both factors at once
/// (a passkey).
pub fn create(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: i64,
    now: NaiveDateTime,
    origin: &Origin,
    second_factor_at: Option<NaiveDateTime>,
) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::address.eq(origin.address),
            sessions::device.eq(origin.device),
            sessions::second_factor_at.eq(second_factor_at),
        ))
        .returning(sessions::id)
        .get_result(conn)
}

#[derive(Queryable)]
struct SessionWithUser {
    session_id: i64,
    user_id: i64,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    role: String,
    team_id: Option<i64>,
    user_active: bool,
    must_change_password: bool,
    second_factor_at: Option<NaiveDateTime>,
    locked_at: Option<NaiveDateTime>,
}

pub fn find_active_with_user(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<ActiveSession>> {
    let row: Option<SessionWithUser> = native!(conn, |c| sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((
            sessions::id,
            sessions::user_id,
            sessions::created_at,
            sessions::last_seen_at,
            users::role,
            users::team_id,
            users::active,
            users::must_change_password,
            sessions::second_factor_at,
            sessions::locked_at,
        ))
        .first(c)
        .optional())?;
    row.map(|found| {
        Ok(ActiveSession {
            session_id: found.session_id,
            user_id: found.user_id,
            created_at: found.created_at,
            last_seen_at: found.last_seen_at,
            role: Role::from_stored(&found.role)
                .map_err(|e| diesel::result::Error::DeserializationError(e.into()))?,
            team_id: found.team_id,
            user_active: found.user_active,
            must_change_password: found.must_change_password,
            second_factor_at: found.second_factor_at,
            locked_at: found.locked_at,
        })
    })
    .transpose()
}

pub fn touch(conn: &mut DbConnection, session_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)
}

/// Locks a session: it reaches nothing but unlocking and signing out.
pub fn lock(conn: &mut DbConnection, session_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::locked_at.eq(now))
        .execute(conn)
}

/// Unlocks a session and counts the unlock as activity (an idle lock starts over).
pub fn unlock(conn: &mut DbConnection, session_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set((
            sessions::locked_at.eq(None::<NaiveDateTime>),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut DbConnection, session_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)
}

/// Ends every session of a user except `keep` (the one changing her password).
pub fn delete_for_user(
    conn: &mut DbConnection,
    user_id: i64,
    keep: Option<i64>,
) -> QueryResult<usize> {
    let keep = keep.unwrap_or(-1);
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub address: String,
    pub device: String,
}

/// A user's sessions, the most recently used first.
pub fn list_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order((sessions::last_seen_at.desc(), sessions::id.desc()))
        .select(SessionRow::as_select())
        .load(conn)
}

/// True when `session_id` is one of `user_id`'s sessions.
pub fn is_own(conn: &mut DbConnection, user_id: i64, session_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::user_id.eq(user_id)),
    ))
    .get_result(conn)
}
