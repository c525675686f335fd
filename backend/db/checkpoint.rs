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

/// How often, and how far apart, a truncation that met a busy log is tried again: the
/// thread above may be checkpointing at that moment (only one checkpoint runs at a time),
/// or a reader may still be on the log; both last milliseconds.
const TRUNCATE_TRIES: u32 = 40;
const TRUNCATE_PAUSE: Duration = Duration::from_millis(25);

/// Copies the whole log into the database file and truncates it (see `Db::flush_erased`),
/// trying again for up to a second while another checkpoint or a reader is busy with it.
pub(super) fn truncate(conn: &mut DbConnection) -> Result<(), DbError> {
    for _ in 0..TRUNCATE_TRIES {
        let result: Checkpoint =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(conn)?;
        if result.busy == 0 {
            return Ok(());
        }
        std::thread::sleep(TRUNCATE_PAUSE);
    }
    tracing::warn!(
        "the write-ahead log stayed busy and was not truncated after an erasure; \
         its old pages are overwritten as the log is reused"
    );
    Ok(())
}
