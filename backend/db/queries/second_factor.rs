//! TOTP secrets and recovery codes. Every "use" is one conditional UPDATE, so two
//! requests racing with the same code cannot both win.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{recovery_codes, sessions, totp_secrets};

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = totp_secrets)]
pub struct TotpRow {
    pub secret: String,
    pub confirmed_at: Option<NaiveDateTime>,
}

pub fn find_totp(conn: &mut DbConnection, user_id: i64) -> QueryResult<Option<TotpRow>> {
    totp_secrets::table
        .find(user_id)
        .select(TotpRow::as_select())
        .first(conn)
        .optional()
}

/// True when the user has an authenticator app enrolled (confirmed by a first code).
pub fn has_app(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    Ok(find_totp(conn, user_id)?.is_some_and(|row| row.confirmed_at.is_some()))
}

/// A new, unconfirmed secret in place of any earlier one.
pub fn start_totp(
    conn: &mut DbConnection,
    user_id: i64,
    secret: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(totp_secrets::table.find(user_id)).execute(conn)?;
    diesel::insert_into(totp_secrets::table)
        .values((
            totp_secrets::user_id.eq(user_id),
            totp_secrets::secret.eq(secret),
            totp_secrets::created_at.eq(now),
        ))
        .execute(conn)
}

/// Confirms the pending secret with the step of its first good code; 0 when there is no
/// pending secret (confirmed already, or never started).
pub fn confirm_totp(
    conn: &mut DbConnection,
    user_id: i64,
    step: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        totp_secrets::table
            .find(user_id)
            .filter(totp_secrets::confirmed_at.is_null()),
    )
    .set((
        totp_secrets::confirmed_at.eq(now),
        totp_secrets::last_used_step.eq(step),
    ))
    .execute(conn)
}

/// Uses `step` if it comes after the last step used: true once per step, and never for an
/// older one.
pub fn use_step(conn: &mut DbConnection, user_id: i64, step: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        totp_secrets::table
            .find(user_id)
            .filter(totp_secrets::confirmed_at.is_not_null())
            .filter(
                totp_secrets::last_used_step
                    .is_null()
                    .or(totp_secrets::last_used_step.lt(step)),
            ),
    )
    .set(totp_secrets::last_used_step.eq(step))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: i64,
    hashes: &[String],
) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    // One statement per code: a multi-row INSERT is not available on both backends.
    let mut inserted = 0;
    for hash in hashes {
        inserted += diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(inserted)
}

/// Uses a recovery code: true the first time only.
pub fn use_recovery_code(
    conn: &mut DbConnection,
    user_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn recovery_codes_left(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

/// Removes the user's TOTP secret and recovery codes.
pub fn remove(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    let codes = diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(codes + diesel::delete(totp_secrets::table.find(user_id)).execute(conn)?)
}

/// Marks a session as having completed its second factor.
pub fn complete_session(
    conn: &mut DbConnection,
    session_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::second_factor_at.eq(now))
        .execute(conn)
}
