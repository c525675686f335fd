//! Invitation links: only the SHA-256 of each token is kept, until it is used or replaced.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::invitations;

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: i64,
    pub user_id: i64,
    pub expires_at: NaiveDateTime,
}

pub fn create(
    conn: &mut DbConnection,
    user_id: i64,
    token_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(user_id),
            invitations::token_hash.eq(token_hash),
            invitations::created_at.eq(now),
            invitations::expires_at.eq(expires_at),
        ))
        .returning(invitations::id)
        .get_result(conn)
}

/// The invitation whose token hashes to `token_hash`, used or not yet.
pub fn find(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<InvitationRow>> {
    invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()
}

/// Deletes every invitation of a user (used, or replaced by another way in); returns how
/// many there were.
pub fn delete_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::delete(invitations::table.filter(invitations::user_id.eq(user_id))).execute(conn)
}
