//! Teams and organisations.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::signals;
use crate::db::DbConnection;
use crate::db::schema::{organisations, teams};
use crate::domain::signal::DEFAULT_INDICATORS;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = teams)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<TeamRow>> {
    teams::table
        .order(teams::name)
        .select(TeamRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<TeamRow> {
    teams::table
        .find(id)
        .select(TeamRow::as_select())
        .first(conn)
}

/// A unique violation: another team has that name.
pub fn rename(conn: &mut DbConnection, id: i64, name: &str) -> QueryResult<usize> {
    diesel::update(teams::table.find(id))
        .set(teams::name.eq(name))
        .execute(conn)
}

pub fn exists(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(teams::table.find(id))).get_result(conn)
}

pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<TeamRow>> {
    teams::table
        .filter(teams::name.eq(name))
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

/// A unique violation: a team with that name exists. The team starts with the common
/// trafficking indicators, which its coordinator edits.
pub fn create(conn: &mut DbConnection, name: &str, now: NaiveDateTime) -> QueryResult<i64> {
    let team: i64 = diesel::insert_into(teams::table)
        .values((teams::name.eq(name), teams::created_at.eq(now)))
        .returning(teams::id)
        .get_result(conn)?;
    for label in DEFAULT_INDICATORS {
        signals::insert_indicator(conn, team, label, now)?;
    }
    Ok(team)
}

pub fn organisations(conn: &mut DbConnection) -> QueryResult<Vec<(i64, String)>> {
    organisations::table
        .order(organisations::name)
        .select((organisations::id, organisations::name))
        .load(conn)
}

pub fn organisation_exists(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(organisations::table.find(id))).get_result(conn)
}

/// Whether the team's peer workers may read scores and their notes.
pub fn peers_see_scores(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    teams::table
        .find(id)
        .select(teams::peers_see_scores)
        .first(conn)
}

pub fn set_peers_see_scores(conn: &mut DbConnection, id: i64, on: bool) -> QueryResult<usize> {
    diesel::update(teams::table.find(id))
        .set(teams::peers_see_scores.eq(on))
        .execute(conn)
}
