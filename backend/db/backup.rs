//! `inbeeld backup FILE`: a consistent copy of the SQLite database while the server runs.
//! PostgreSQL has its own tools (pg_dump); see docs/deploy.md.

use std::path::Path;

use anyhow::{Context, bail};
use diesel::RunQueryDsl;
use diesel::sql_types::Text;

use super::DbConnection;

/// Writes a snapshot of the whole database to `target`, which must not exist yet.
/// `VACUUM INTO` reads inside one transaction, so writers carry on and the copy is
/// consistent; it is also compacted and holds no deleted pages.
pub fn sqlite_snapshot(conn: &mut DbConnection, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        bail!(
            "{} exists already; choose a new file name",
            target.display()
        );
    }
    let DbConnection::Sqlite(sqlite) = conn else {
        bail!("this database is PostgreSQL: back it up with pg_dump (see docs/deploy.md)");
    };
    let path = target
        .to_str()
        .context("the backup path is not valid UTF-8")?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(path)
        .execute(sqlite)
        .with_context(|| format!("cannot write the backup to {}", target.display()))?;
    Ok(())
}
