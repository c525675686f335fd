//! SQLite's write-ahead log, copied into the database file off the request path.

use std::sync::mpsc;
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;

use super::{DbConnection, DbError, Pool};

/// Copies the log into the database file a few times a second (PASSIVE: it never waits
/// for, nor holds up, readers and writers). The log stays short, so reads stay fast.
/// Dropping it ends the thread at its next turn.
pub(super) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

impl Checkpointer {
    /// Starts the thread; it checkpoints on a reading connection (`query_only` allows it).
    pub(super) fn start(pool: Pool) -> std::io::Result<Checkpointer> {
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(CHECKPOINT_EVERY)
                {
                    let done = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                        conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE)")
                            .map_err(|e| e.to_string())
                    });
                    if let Err(err) = done {
                        tracing::warn!(error = %err, "SQLite checkpoint failed; trying again");
                    }
                }
            })?;
        Ok(Checkpointer { _stop: stop })
    }
}

#[derive(diesel::QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

/// Copies the whole log into the database file and truncates it (see `Db::flush_erased`).
pub(super) fn truncate(conn: &mut DbConnection) -> Result<(), DbError> {
    let result: Checkpoint =
        diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(conn)?;
    if result.busy != 0 {
        tracing::warn!(
            "a reader kept the write-ahead log from being truncated after an erasure; \
             the next checkpoint removes the old pages"
        );
    }
    Ok(())
}
