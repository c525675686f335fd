//! Shifts, the staff on them, their handover notes, and the shifts a reminder is due for.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{locations, shift_staff, shifts, users};
use crate::db::{DbConnection, insert_once};

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
    pub min_staff: i32,
    pub template_id: Option<i64>,
    pub template_date: Option<NaiveDate>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub handover_note: Option<String>,
    pub handover_by: Option<i64>,
    pub handover_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Debug, Clone)]
pub struct StaffRow {
    pub shift_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub checked_in_at: Option<NaiveDateTime>,
    pub checked_out_at: Option<NaiveDateTime>,
}

/// A shift to plan: by hand, or from a template for one local date.
pub struct NewShift {
    pub team_id: i64,
    pub location_id: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub min_staff: i32,
    pub template: Option<(i64, NaiveDate)>,
    pub created_by: i64,
}

/// Plans a shift; `None` when its template already made one for that date.
pub fn create(
    conn: &mut DbConnection,
    new: &NewShift,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    insert_once(conn, |conn| {
        diesel::insert_into(shifts::table)
            .values((
                shifts::team_id.eq(new.team_id),
                shifts::location_id.eq(new.location_id),
                shifts::starts_at.eq(new.starts_at),
                shifts::ends_at.eq(new.ends_at),
                shifts::min_staff.eq(new.min_staff),
                shifts::template_id.eq(new.template.map(|(id, _)| id)),
                shifts::template_date.eq(new.template.map(|(_, date)| date)),
                shifts::created_by.eq(new.created_by),
                shifts::created_at.eq(now),
            ))
            .returning(shifts::id)
            .get_result(conn)
    })
}

/// Moves a shift (or changes its staffing); the template date stays, so generating
/// again does not bring the old slot back.
pub fn reschedule(
    conn: &mut DbConnection,
    id: i64,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    min_staff: i32,
) -> QueryResult<usize> {
    diesel::update(shifts::table.find(id))
        .set((
            shifts::starts_at.eq(starts_at),
            shifts::ends_at.eq(ends_at),
            shifts::min_staff.eq(min_staff),
        ))
        .execute(conn)
}

/// Cancels a shift once; false when it was cancelled already.
pub fn cancel(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        shifts::table
            .find(id)
            .filter(shifts::cancelled_at.is_null()),
    )
    .set(shifts::cancelled_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_handover(
    conn: &mut DbConnection,
    id: i64,
    note: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(shifts::table.find(id))
        .set((
            shifts::handover_note.eq(note),
            shifts::handover_by.eq(by),
            shifts::handover_at.eq(now),
        ))
        .execute(conn)
}

/// The handover note left for `shift`: the latest note of an earlier shift at the same
/// location, with who wrote it.
pub fn previous_handover(
    conn: &mut DbConnection,
    shift: &ShiftRow,
) -> QueryResult<Option<(ShiftRow, String)>> {
    shifts::table
        .inner_join(users::table.on(users::id.nullable().eq(shifts::handover_by)))
        .filter(shifts::team_id.eq(shift.team_id))
        .filter(shifts::location_id.eq(shift.location_id))
        .filter(shifts::starts_at.lt(shift.starts_at))
        .filter(shifts::handover_note.is_not_null())
        .order(shifts::starts_at.desc())
        .select((ShiftRow::as_select(), users::display_name))
        .first(conn)
        .optional()
}

/// Clears the handover notes of shifts that ended before `before`; returns how many.
pub fn clear_handovers_ended_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        shifts::table
            .filter(shifts::ends_at.lt(before))
            .filter(shifts::handover_note.is_not_null()),
    )
    .set((
        shifts::handover_note.eq(None::<String>),
        shifts::handover_by.eq(None::<i64>),
        shifts::handover_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Local dates for which these templates already made a shift, from `from` on.
pub fn template_dates(
    conn: &mut DbConnection,
    template_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(i64, NaiveDate)>> {
    shifts::table
        .filter(shifts::template_id.eq_any(template_ids))
        .filter(shifts::template_date.ge(from))
        .filter(shifts::template_date.le(to))
        .select((
            shifts::template_id.assume_not_null(),
            shifts::template_date.assume_not_null(),
        ))
        .load(conn)
}

/// Who is on a shift that is not cancelled and starts in (from, to]: the reminders due.
pub fn staff_starting_between(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime, i64)>> {
    shifts::table
        .inner_join(shift_staff::table)
        .filter(shifts::starts_at.gt(from))
        .filter(shifts::starts_at.le(to))
        .filter(shifts::cancelled_at.is_null())
        .select((shifts::id, shifts::starts_at, shift_staff::user_id))
        .load(conn)
}

/// A user's shifts overlapping [from, to), with the location's name, for her calendar.
pub fn of_user(
    conn: &mut DbConnection,
    user: i64,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(ShiftRow, String)>> {
    shifts::table
        .inner_join(shift_staff::table)
        .inner_join(locations::table)
        .filter(shift_staff::user_id.eq(user))
        .filter(shifts::starts_at.lt(to))
        .filter(shifts::ends_at.gt(from))
        .order(shifts::starts_at)
        .select((ShiftRow::as_select(), locations::name))
        .load(conn)
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
    insert_once(conn, |conn| {
        diesel::insert_into(shift_staff::table)
            .values((
                shift_staff::shift_id.eq(shift_id),
                shift_staff::user_id.eq(user_id),
            ))
            .execute(conn)
    })
    .map(|_| ())
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
