//! Both backends end up with the same tables, columns and nullability. The comparison
//! needs PostgreSQL (`INBEELD_TEST_POSTGRES_URL`); without it build.rs leaves out the
//! `inbeeld_postgres` cfg and `cargo test` reports it as ignored.

use std::collections::BTreeSet;

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use inbeeld::db::{DbConnection, migrate};

#[derive(diesel::QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    not_null: bool,
}

fn sqlite_columns() -> BTreeSet<(String, String, bool)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parity.db");
    let mut conn =
        DbConnection::Sqlite(SqliteConnection::establish(path.to_str().unwrap()).unwrap());
    migrate::run_pending(&mut conn).unwrap();
    // An INTEGER PRIMARY KEY reports notnull = 0 in SQLite although it can never be null.
    diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 1 OR p.pk > 0) AS not_null \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'",
    )
    .load::<Column>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|c| (c.table_name, c.column_name, c.not_null))
    .collect()
}

/// The SQLite half of the comparison sees the tables and their columns, an INTEGER PRIMARY
/// KEY as not null: were its query to find nothing, the comparison would compare nothing.
/// Needs no PostgreSQL, so it runs everywhere.
#[test]
fn the_sqlite_schema_is_read_for_the_comparison() {
    let sqlite = sqlite_columns();
    assert!(!sqlite.is_empty());
    let id = ("clients".to_owned(), "id".to_owned(), true);
    assert!(sqlite.contains(&id), "{id:?} not among {sqlite:#?}");
}

#[test]
#[cfg_attr(
    not(inbeeld_postgres),
    ignore = "needs PostgreSQL: set INBEELD_TEST_POSTGRES_URL; see README"
)]
fn sqlite_and_postgres_schemas_match() {
    let admin_url = crate::postgres::test_postgres_admin_url().expect(
        "the schema comparison needs PostgreSQL: set INBEELD_TEST_POSTGRES_URL, \
         e.g. postgres://postgres@127.0.0.1:5432/postgres",
    );
    let name = format!("inbeeld_parity_{}", std::process::id());
    let mut admin = PgConnection::establish(&admin_url).unwrap();
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let postgres: BTreeSet<_> = {
        let mut conn = DbConnection::Postgresql(
            PgConnection::establish(&crate::postgres::database_url(&admin_url, &name)).unwrap(),
        );
        migrate::run_pending(&mut conn).unwrap();
        diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, (is_nullable = 'NO') AS not_null \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .load::<Column>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|c| (c.table_name, c.column_name, c.not_null))
        .collect()
    };
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    let sqlite = sqlite_columns();
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "schemas differ\nonly in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}
