//! Rota templates and the calendar feeds that publish each worker's shifts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{calendar_feeds, rota_templates, users};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = rota_templates)]
pub struct TemplateRow {
    pub id: i64,
    pub team_id: i64,
    pub location_id: i64,
    pub weekdays: String,
    pub starts_local: String,
    pub ends_local: String,
    pub min_staff: i32,
    pub active: bool,
}

/// What a coordinator sets of a template, on creating it as on changing it.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = rota_templates)]
pub struct TemplateFields<'a> {
    pub location_id: i64,
    pub weekdays: &'a str,
    pub starts_local: &'a str,
    pub ends_local: &'a str,
    pub min_staff: i32,
    pub active: bool,
}

pub fn create_template(
    conn: &mut DbConnection,
    team: i64,
    fields: &TemplateFields,
    created_by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(rota_templates::table)
        .values((
            rota_templates::team_id.eq(team),
            fields,
            rota_templates::created_by.eq(created_by),
            rota_templates::created_at.eq(now),
        ))
        .returning(rota_templates::id)
        .get_result(conn)
}

pub fn update_template(
    conn: &mut DbConnection,
    id: i64,
    fields: &TemplateFields,
) -> QueryResult<usize> {
    diesel::update(rota_templates::table.find(id))
        .set(fields)
        .execute(conn)
}

pub fn templates_of(conn: &mut DbConnection, team: i64) -> QueryResult<Vec<TemplateRow>> {
    rota_templates::table
        .filter(rota_templates::team_id.eq(team))
        .order((rota_templates::location_id, rota_templates::id))
        .select(TemplateRow::as_select())
        .load(conn)
}

pub fn find_template(
    conn: &mut DbConnection,
    id: i64,
    team: i64,
) -> QueryResult<Option<TemplateRow>> {
    rota_templates::table
        .filter(rota_templates::id.eq(id))
        .filter(rota_templates::team_id.eq(team))
        .select(TemplateRow::as_select())
        .first(conn)
        .optional()
}

/// Sets (or replaces) the hash of a user's feed secret.
pub fn set_feed(
    conn: &mut DbConnection,
    user: i64,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    revoke_feed(conn, user)?;
    diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::user_id.eq(user),
            calendar_feeds::token_hash.eq(token_hash),
            calendar_feeds::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn revoke_feed(conn: &mut DbConnection, user: i64) -> QueryResult<usize> {
    diesel::delete(calendar_feeds::table.find(user)).execute(conn)
}

pub fn feed_created_at(conn: &mut DbConnection, user: i64) -> QueryResult<Option<NaiveDateTime>> {
    calendar_feeds::table
        .find(user)
        .select(calendar_feeds::created_at)
        .first(conn)
        .optional()
}

/// The active user whose feed secret hashes to `token_hash`.
pub fn feed_owner(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<i64>> {
    calendar_feeds::table
        .inner_join(users::table.on(users::id.eq(calendar_feeds::user_id)))
        .filter(calendar_feeds::token_hash.eq(token_hash))
        .filter(users::active.eq(true))
        .select(users::id)
        .first(conn)
        .optional()
}
