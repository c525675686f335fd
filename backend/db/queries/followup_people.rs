//! The people a follow-up list names: each client's current casemanagers, and who took a
//! follow-up on.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{client_casemanagers, users};

/// `(client_id, user_id, display_name)` of the casemanagers assigned to `clients` on
/// `day`, by name.
pub fn casemanagers_of(
    conn: &mut DbConnection,
    clients: &[i64],
    day: NaiveDate,
) -> QueryResult<Vec<(i64, i64, String)>> {
    client_casemanagers::table
        .inner_join(users::table)
        .filter(client_casemanagers::client_id.eq_any(clients))
        .filter(client_casemanagers::from_on.le(day))
        .filter(
            client_casemanagers::until_on
                .is_null()
                .or(client_casemanagers::until_on.ge(day)),
        )
        .select((
            client_casemanagers::client_id,
            users::id,
            users::display_name,
        ))
        .distinct()
        .order((
            client_casemanagers::client_id,
            users::display_name,
            users::id,
        ))
        .load(conn)
}

/// `(user_id, display_name)` of `ids`.
pub fn display_names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
}
