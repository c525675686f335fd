//! Shifts and the staff on them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{shift_staff, shifts, users};
use crate::db::{DbConnection, is_unique_violation};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = shifts)]
pub struct ShiftRow {
    pub id: i64,
    pub team_id: i64,
    pub location_id: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Debug, Clone)]
pub struct StaffRow {
    pub shift_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub checked_in_at: Option<NaiveDateTime>,
    pub checked_out_at: Option<NaiveDateTime>,
}

pub fn create(
    conn: &mut DbConnection,
    team_id: i64,
    location_id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    created_by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(shifts::table)
        .values((
            shifts::team_id.eq(team_id),
            shifts::location_id.eq(location_id),
            shifts::starts_at.eq(starts_at),
            shifts::ends_at.eq(ends_at),
            shifts::created_by.eq(created_by),
            shifts::created_at.eq(now),
        ))
        .returning(shifts::id)
        .get_result(conn)
}

pub fn find_in_team(conn: &mut DbConnection, id: i64, team: i64) -> QueryResult<Option<ShiftRow>> {
    shifts::table
        .filter(shifts::id.eq(id))
        .filter(shifts::team_id.eq(team))
        .select(ShiftRow::as_select())
        .first(conn)
        .optional()
}

/// Shifts of `team` that overlap [from, to).
pub fn overlapping(
    conn: &mut DbConnection,
    team: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<ShiftRow>> {
    shifts::table
        .filter(shifts::team_id.eq(team))
        .filter(shifts::starts_at.lt(to))
        .filter(shifts::ends_at.gt(from))
        .order((shifts::starts_at, shifts::id))
        .select(ShiftRow::as_select())
        .load(conn)
}

/// Staff of the given shifts, in one query.
pub fn staff_of(conn: &mut DbConnection, shift_ids: &[i64]) -> QueryResult<Vec<StaffRow>> {
    shift_staff::table
        .inner_join(users::table)
        .filter(shift_staff::shift_id.eq_any(shift_ids))
        .order((shift_staff::shift_id, users::display_name))
        .select((
            shift_staff::shift_id,
            shift_staff::user_id,
            users::display_name,
            shift_staff::checked_in_at,
            shift_staff::checked_out_at,
        ))
        .load(conn)
}

/// Puts a user on a shift; already being on it is fine.
pub fn add_staff(conn: &mut DbConnection, shift_id: i64, user_id: i64) -> QueryResult<()> {
    match diesel::insert_into(shift_staff::table)
        .values((
            shift_staff::shift_id.eq(shift_id),
            shift_staff::user_id.eq(user_id),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

pub fn remove_staff(conn: &mut DbConnection, shift_id: i64, user_id: i64) -> QueryResult<usize> {
    diesel::delete(
        shift_staff::table
            .filter(shift_staff::shift_id.eq(shift_id))
            .filter(shift_staff::user_id.eq(user_id)),
    )
    .execute(conn)
}

pub fn staff_entry(
    conn: &mut DbConnection,
    shift_id: i64,
    user_id: i64,
) -> QueryResult<Option<StaffRow>> {
    staff_of(conn, &[shift_id]).map(|all| all.into_iter().find(|s| s.user_id == user_id))
}

pub fn set_check_in(
    conn: &mut DbConnection,
    shift_id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        shift_staff::table
            .filter(shift_staff::shift_id.eq(shift_id))
            .filter(shift_staff::user_id.eq(user_id)),
    )
    .set((
        shift_staff::checked_in_at.eq(at),
        shift_staff::checked_out_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

pub fn set_check_out(
    conn: &mut DbConnection,
    shift_id: i64,
    user_id: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        shift_staff::table
            .filter(shift_staff::shift_id.eq(shift_id))
            .filter(shift_staff::user_id.eq(user_id)),
    )
    .set(shift_staff::checked_out_at.eq(at))
    .execute(conn)
}
