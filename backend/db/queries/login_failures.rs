//! Failed sign-ins, kept in the database so throttling holds across restarts and instances.
//! An attempt is recorded as a failure before it is checked, and forgotten if it succeeds.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConnection;
use crate::db::schema::login_failures;

/// Makes attempts on the account `username` or from `address` take turns until the end of
/// the caller's write, so that counting the failures and recording one more is one step.
/// On SQLite every write takes its turn already (one writer); on PostgreSQL each takes a
/// transaction-scoped advisory lock on the account, then one on the address (always in
/// that order, so two attempts never wait for each other crosswise).
pub fn take_turn(
    conn: &mut DbConnection,
    username: Option<&str>,
    address: &str,
) -> QueryResult<()> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(());
    };
    if let Some(username) = username {
        diesel::sql_query("SELECT pg_advisory_xact_lock(1, hashtext($1))")
            .bind::<Text, _>(username)
            .execute(pg)?;
    }
    diesel::sql_query("SELECT pg_advisory_xact_lock(2, hashtext($1))")
        .bind::<Text, _>(address)
        .execute(pg)?;
    Ok(())
}

/// Failures since `since` and the oldest of them (when the lock lifts).
#[derive(Default)]
pub struct Recent {
    pub count: i64,
    pub oldest: Option<NaiveDateTime>,
}

/// Whose failures to count: an account's or an address's.
pub enum Of<'a> {
    Username(&'a str),
    Address(&'a str),
}

/// The failures since `since` of whom `of` names.
pub fn recent(conn: &mut DbConnection, of: Of, since: NaiveDateTime) -> QueryResult<Recent> {
    let query = login_failures::table
        .filter(login_failures::failed_at.gt(since))
        .select((count_star(), min(login_failures::failed_at)))
        .into_boxed();
    let query = match of {
        Of::Username(username) => query.filter(login_failures::username.eq(username)),
        Of::Address(address) => query.filter(login_failures::address.eq(address)),
    };
    let (count, oldest) = query.first(conn)?;
    Ok(Recent { count, oldest })
}

/// Records a failure; returns its id.
pub fn record(
    conn: &mut DbConnection,
    username: &str,
    address: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::username.eq(username),
            login_failures::address.eq(address),
            login_failures::failed_at.eq(now),
        ))
        .returning(login_failures::id)
        .get_result(conn)
}

/// Forgets the failure `id`: the attempt it stood for succeeded.
pub fn forget(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(login_failures::table.find(id)).execute(conn)
}

/// A successful sign-in clears the account's failures (not the address's).
pub fn clear_for_username(conn: &mut DbConnection, username: &str) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::username.eq(username)))
        .execute(conn)
}
