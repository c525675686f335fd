//! Passkeys and the WebAuthn ceremonies between their two requests.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{passkeys, webauthn_ceremonies};

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = passkeys)]
pub struct PasskeyRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub credential_id: String,
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

pub struct NewPasskey<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub credential_id: &'a str,
    pub credential: &'a str,
}

pub fn insert(
    conn: &mut DbConnection,
    passkey: &NewPasskey,
    now: NaiveDateTime,
) -> QueryResult<PasskeyRow> {
    diesel::insert_into(passkeys::table)
        .values((
            passkeys::user_id.eq(passkey.user_id),
            passkeys::name.eq(passkey.name),
            passkeys::credential_id.eq(passkey.credential_id),
            passkeys::credential.eq(passkey.credential),
            passkeys::created_at.eq(now),
        ))
        .returning(passkeys::all_columns)
        .get_result(conn)
}

/// A user's passkeys, oldest first.
pub fn for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<PasskeyRow>> {
    passkeys::table
        .filter(passkeys::user_id.eq(user_id))
        .order(passkeys::id)
        .select(PasskeyRow::as_select())
        .load(conn)
}

pub fn count_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    passkeys::table
        .filter(passkeys::user_id.eq(user_id))
        .count()
        .get_result(conn)
}

pub fn find_by_credential_id(
    conn: &mut DbConnection,
    credential_id: &str,
) -> QueryResult<Option<PasskeyRow>> {
    passkeys::table
        .filter(passkeys::credential_id.eq(credential_id))
        .select(PasskeyRow::as_select())
        .first(conn)
        .optional()
}

/// Stores the credential after a sign-in (its counter moves on).
pub fn used(
    conn: &mut DbConnection,
    id: i64,
    credential: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(passkeys::table.find(id))
        .set((
            passkeys::credential.eq(credential),
            passkeys::last_used_at.eq(now),
        ))
        .execute(conn)
}

/// Renames one of `user_id`'s own passkeys; `None` when it is not hers.
pub fn rename(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    name: &str,
) -> QueryResult<Option<PasskeyRow>> {
    diesel::update(
        passkeys::table
            .filter(passkeys::id.eq(id))
            .filter(passkeys::user_id.eq(user_id)),
    )
    .set(passkeys::name.eq(name))
    .returning(passkeys::all_columns)
    .get_result(conn)
    .optional()
}

/// Removes one of `user_id`'s own passkeys; 0 when it is not hers.
pub fn remove(conn: &mut DbConnection, user_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(
        passkeys::table
            .filter(passkeys::id.eq(id))
            .filter(passkeys::user_id.eq(user_id)),
    )
    .execute(conn)
}

/// Removes all of a user's passkeys and her ceremonies under way (a second-factor reset).
pub fn remove_all_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(passkeys::table.filter(passkeys::user_id.eq(user_id))).execute(conn)
}

/// Keeps a ceremony's state until its second request; returns its id.
pub fn start_ceremony(
    conn: &mut DbConnection,
    user_id: i64,
    kind: &str,
    state: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(webauthn_ceremonies::table)
        .values((
            webauthn_ceremonies::user_id.eq(user_id),
            webauthn_ceremonies::kind.eq(kind),
            webauthn_ceremonies::state.eq(state),
            webauthn_ceremonies::created_at.eq(now),
        ))
        .returning(webauthn_ceremonies::id)
        .get_result(conn)
}

/// Takes a ceremony (deletes it, so it finishes at most once): its user and state, if it
/// is of `kind` and was started after `since`.
pub fn take_ceremony(
    conn: &mut DbConnection,
    id: i64,
    kind: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<(i64, String)>> {
    // Stale ones go whenever any is taken.
    diesel::delete(webauthn_ceremonies::table.filter(webauthn_ceremonies::created_at.lt(since)))
        .execute(conn)?;
    diesel::delete(
        webauthn_ceremonies::table
            .filter(webauthn_ceremonies::id.eq(id))
            .filter(webauthn_ceremonies::kind.eq(kind)),
    )
    .returning((webauthn_ceremonies::user_id, webauthn_ceremonies::state))
    .get_result(conn)
    .optional()
}
