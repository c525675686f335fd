//! Failed sign-ins, kept in the database so throttling holds across restarts and instances.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::login_failures;

/// Failures since `since` and the oldest of them (when the lock lifts).
#[derive(Default)]
pub struct Recent {
    pub count: i64,
    pub oldest: Option<NaiveDateTime>,
}

pub fn recent_for_username(
    conn: &mut DbConnection,
    username: &str,
    since: NaiveDateTime,
) -> QueryResult<Recent> {
    let (count, oldest) = login_failures::table
        .filter(login_failures::username.eq(username))
        .filter(login_failures::failed_at.gt(since))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)?;
    Ok(Recent { count, oldest })
}

pub fn recent_for_address(
    conn: &mut DbConnection,
    address: &str,
    since: NaiveDateTime,
) -> QueryResult<Recent> {
    let (count, oldest) = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::failed_at.gt(since))
        .select((count_star(), min(login_failures::failed_at)))
        .first(conn)?;
    Ok(Recent { count, oldest })
}

pub fn record(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::username.eq(username),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(now),
        ))
        .execute(conn)
}

/// A successful sign-in clears the account's failures (not the address's).
pub fn clear_for_username(conn: &mut DbConnection, username: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::username.eq(username)))
        .execute(conn)
}
