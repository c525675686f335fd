//! What InBeeld leaves on disk is for the service's own user only: the data folder, the
//! SQLite database with its log, and backups hold aliases, notes, second-factor secrets and
//! the VAPID private key.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use inbeeld::config::Settings;
use inbeeld::startup::prepare_database;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Under the common umask 022, files would be readable by every local user.
#[test]
fn the_data_folder_database_and_backups_are_the_services_alone() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let settings = Settings {
        data_dir: data.to_string_lossy().into_owned(),
        ..Settings::default()
    };
    let db = prepare_database(&settings).unwrap();
    // A write, so that the write-ahead log and its index exist.
    db.write_blocking(|conn| {
        diesel::RunQueryDsl::execute(diesel::sql_query("CREATE TABLE probe (x INTEGER)"), conn)
            .map_err(inbeeld::db::DbError::from)
    })
    .unwrap();
    assert_eq!(mode(&data), 0o700, "data folder");
    for file in ["inbeeld.db", "inbeeld.db-wal", "inbeeld.db-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let backup = root.path().join("backup.db");
    db.snapshot_to(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600, "backup");
}
