//! The partner organisations of the care chain (not users: what referrals point at).

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::partners;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = partners)]
pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = partners)]
pub struct PartnerChanges {
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// All partners, by name regardless of case: sorted here, not by the database, whose
/// collation (PostgreSQL's follows the server's locale) would order them differently.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<PartnerRow>> {
    let mut rows = partners::table.select(PartnerRow::as_select()).load(conn)?;
    rows.sort_by_cached_key(|row| row.name.to_lowercase());
    Ok(rows)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<PartnerRow> {
    partners::table
        .find(id)
        .select(PartnerRow::as_select())
        .first(conn)
}

/// A unique violation: a partner with that name exists.
pub fn create(conn: &mut DbConnection, name: &str) -> QueryResult<i64> {
    diesel::insert_into(partners::table)
        .values((partners::name.eq(name), partners::active.eq(true)))
        .returning(partners::id)
        .get_result(conn)
}

/// A unique violation: another partner has that name.
pub fn update(conn: &mut DbConnection, id: i64, changes: &PartnerChanges) -> QueryResult<usize> {
    if changes.name.is_none() && changes.active.is_none() {
        return Ok(0);
    }
    diesel::update(partners::table.find(id))
        .set(changes)
        .execute(conn)
}

/// A foreign key violation: something still refers to it.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(partners::table.find(id)).execute(conn)
}
