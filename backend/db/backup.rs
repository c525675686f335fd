//! `inbeeld backup FILE`: a consistent copy of the SQLite database while the server runs.
//! PostgreSQL has its own tools (pg_dump); see docs/deploy.md.

use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, bail};
use diesel::RunQueryDsl;
use diesel::sql_types::Text;

use super::DbConnection;

/// Writes a snapshot of the whole database to `target`, which must not exist yet.
/// `VACUUM INTO` reads inside one transaction, so writers carry on and the copy is
/// consistent; it is also compacted and holds no deleted pages.
pub fn sqlite_snapshot(conn: &mut DbConnection, target: &Path) -> anyhow::Result<()> {
    let DbConnection::Sqlite(sqlite) = conn else {
        bail!("this database is PostgreSQL: back it up with pg_dump (see docs/deploy.md)");
    };
    // Made empty first, for the service's user alone: `VACUUM INTO` fills an empty file
    // and would create a new one readable by everyone the umask lets through.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                "{} exists already; choose a new file name",
                target.display()
            ),
            _ => anyhow::anyhow!("cannot write the backup to {}: {e}", target.display()),
        })?;
    let written = target
        .to_str()
        .context("the backup path is not valid UTF-8")
        .and_then(|path| {
            diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(path)
                .execute(sqlite)
                .with_context(|| format!("cannot write the backup to {}", target.display()))
        });
    if written.is_err() {
        // No empty or half-written file that looks like a backup.
        let _ = std::fs::remove_file(target);
    }
    written.map(|_| ())
}
