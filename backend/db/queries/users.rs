//! User accounts.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::users;
use crate::domain::role::Role;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub team_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub quiet_hours_start: String,
    pub quiet_hours_end: String,
    /// Her password is a start password: she chooses her own before anything else.
    pub must_change_password: bool,
    /// When her start password stops working; `None` for a password of her own.
    pub password_expires_at: Option<NaiveDateTime>,
    /// The hours a week she is contracted for, as her coordinator set them.
    pub contracted_hours_per_week: Option<i32>,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub team_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// `Some`: the password is a start password, good until then.
    pub start_password_expires_at: Option<NaiveDateTime>,
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.select(count_star()).first(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<UserRow> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// All accounts, or those of one team.
pub fn list(conn: &mut DbConnection, team: Option<i64>) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::username)
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(users::team_id.eq(team));
    }
    query.load(conn)
}

/// True when `user_id` is an active account in `team`.
pub fn is_active_member(conn: &mut DbConnection, user_id: i64, team: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::id.eq(user_id))
            .filter(users::team_id.eq(team))
            .filter(users::active.eq(true)),
    ))
    .get_result(conn)
}

/// A unique violation: the username is taken.
pub fn create(conn: &mut DbConnection, user: &NewUser, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::username.eq(user.username),
            users::display_name.eq(user.display_name),
            users::password_hash.eq(user.password_hash),
            users::role.eq(crate::domain::code::Code::as_str(user.role)),
            users::team_id.eq(user.team_id),
            users::organisation_id.eq(user.organisation_id),
            users::active.eq(true),
            users::created_at.eq(now),
            users::must_change_password.eq(user.start_password_expires_at.is_some()),
            users::password_expires_at.eq(user.start_password_expires_at),
        ))
        .returning(users::id)
        .get_result(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub team_id: Option<Option<i64>>,
    pub organisation_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

impl UserChanges {
    fn is_empty(&self) -> bool {
        self.display_name.is_none()
            && self.role.is_none()
            && self.team_id.is_none()
            && self.organisation_id.is_none()
            && self.active.is_none()
    }
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &UserChanges) -> QueryResult<usize> {
    if changes.is_empty() {
        return Ok(0);
    }
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Sets the contracted hours a week of account `id` if it belongs to `team`; 0 rows when
/// it does not.
pub fn set_contracted_hours(
    conn: &mut DbConnection,
    id: i64,
    team: i64,
    hours_per_week: Option<i32>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::team_id.eq(team)))
        .set(users::contracted_hours_per_week.eq(hours_per_week))
        .execute(conn)
}

pub fn set_quiet_hours(
    conn: &mut DbConnection,
    id: i64,
    start: &str,
    end: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::quiet_hours_start.eq(start),
            users::quiet_hours_end.eq(end),
        ))
        .execute(conn)
}

/// Sets a password she chose herself: no longer a start password, it does not expire.
pub fn set_own_password(conn: &mut DbConnection, id: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(false),
            users::password_expires_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// Sets a one-time start password, which works until `expires_at` and only to choose her
/// own.
pub fn set_start_password(
    conn: &mut DbConnection,
    id: i64,
    hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(true),
            users::password_expires_at.eq(Some(expires_at)),
        ))
        .execute(conn)
}
