//! Embedded migrations, one folder per backend, run at start and by `inbeeld migrate`.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConnection;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
pub fn run_pending(conn: &mut DbConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE),
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.len())
}

/// Whether migrations embedded in this binary have not been applied to the database.
pub fn has_pending(conn: &mut DbConnection) -> anyhow::Result<bool> {
    match conn {
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE),
        DbConnection::Postgresql(c) => c.has_pending_migration(POSTGRES),
    }
    .map_err(|e| anyhow::anyhow!("cannot read the migration state: {e}"))
}
