//! Locations (De Loods, De Cirkel and any the admin adds).

use diesel::prelude::*;

use crate::db::schema::locations;
use crate::db::{DbConnection, native};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = locations)]
pub struct LocationRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = locations)]
pub struct LocationChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub active: Option<bool>,
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<LocationRow>> {
    locations::table
        .order(locations::id)
        .select(LocationRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<LocationRow> {
    native!(conn, |c| locations::table
        .find(id)
        .select(LocationRow::as_select())
        .first(c))
}

pub fn find_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<LocationRow> {
    locations::table
        .filter(locations::code.eq(code))
        .select(LocationRow::as_select())
        .first(conn)
}

/// A unique violation: the code is taken.
pub fn create(conn: &mut DbConnection, code: &str, name: &str, kind: &str) -> QueryResult<i64> {
    diesel::insert_into(locations::table)
        .values((
            locations::code.eq(code),
            locations::name.eq(name),
            locations::kind.eq(kind),
            locations::active.eq(true),
        ))
        .returning(locations::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, changes: &LocationChanges) -> QueryResult<usize> {
    if changes.name.is_none() && changes.kind.is_none() && changes.active.is_none() {
        return Ok(0);
    }
    diesel::update(locations::table.find(id))
        .set(changes)
        .execute(conn)
}
