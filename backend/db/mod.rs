//! The database behind two doors: `Db::read` runs work on a reading connection, and
//! `Db::write` runs it as one committed transaction. Which connection, which lock and
//! which transaction mode is this module's business, not the caller's: every write goes to
//! a writer thread that commits waiting writes together (`batch`): one on SQLite, whose
//! reading connections cannot write at all (`query_only`), four on PostgreSQL.
//!
//! `read_blocking` and `write_blocking` are the same two doors for callers outside the
//! request path that have no async runtime to wait in (the command line, start-up, tests).

pub mod backup;
mod batch;
mod checkpoint;
mod connection;
mod hot;
mod lane;
pub mod migrate;
pub mod queries;
pub mod schema;

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2;

use batch::Writer;
pub(crate) use connection::native;
pub use connection::{Access, Backend, ConnectionManager, DbConnection, MultiBackend, Pool};

/// What can go wrong on the way to the database, apart from a statement's own error.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection within the pool's timeout, or the writer thread is gone.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    /// The work panicked or its thread was lost; nothing of it was committed.
    #[error("database work failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl From<r2d2::PoolError> for DbError {
    fn from(err: r2d2::PoolError) -> DbError {
        DbError::Unavailable(err.to_string())
    }
}

/// The shared handle on the database; clones share pools and the writer thread, which
/// ends with the last clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    url: String,
    backend: Backend,
    /// Reading connections (SQLite: `query_only`).
    readers: Pool,
    /// The writer threads' connections (a pool, which replaces a broken one): SQLite's
    /// single writing connection, or one per PostgreSQL write queue.
    writers: Pool,
    writer: Writer,
    _checkpointer: Option<checkpoint::Checkpointer>,
}

impl Db {
    /// Opens the database at `url` (a PostgreSQL URL or a SQLite file path) with up to
    /// `pool_size` reading connections.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::of_url(url);
        // Whether a connection is checked (`SELECT 1`) each time it is taken from the pool.
        // Not the reading connections: that is a statement per request. A SQLite file
        // connection cannot die; a PostgreSQL one whose server went away fails the statement
        // that meets the loss, is then marked broken (by diesel, or by `drop_if_lost` after
        // the failed read) and the pool drops it: each such connection fails one request,
        // answered 503 "try again" (`tests/api/group_commit.rs`). The PostgreSQL writers'
        // connections are checked: a writer takes one per batch, so the check is shared by
        // every write of the batch, where a dead connection would fail them all.
        let pool = |access, size, checked| {
            r2d2::Pool::builder()
                .max_size(size)
                .connection_timeout(Duration::from_secs(10))
                .test_on_check_out(checked)
                .build(ConnectionManager::new(url, access))
        };
        let inner = match backend {
            Backend::Sqlite => {
                let writers = pool(Access::ReadWrite, 1, false)?;
                // The writing connection opens first: it is the one that may switch the
                // file to WAL mode.
                let readers = pool(Access::ReadOnly, pool_size, false)?;
                Inner {
                    url: url.to_owned(),
                    backend,
                    writer: batch::start(writers.clone(), 1)?,
                    _checkpointer: Some(checkpoint::Checkpointer::start(readers.clone())?),
                    readers,
                    writers,
                }
            }
            Backend::Postgres => {
                let writers = pool(Access::ReadWrite, batch::POSTGRES_QUEUES as u32, true)?;
                Inner {
                    url: url.to_owned(),
                    backend,
                    readers: pool(Access::ReadWrite, pool_size, false)?,
                    writer: batch::start(writers.clone(), batch::POSTGRES_QUEUES)?,
                    writers,
                    _checkpointer: None,
                }
            }
        };
        Ok(Db {
            inner: Arc::new(inner),
        })
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Runs `work` on a reading connection, off the async threads. It must not write: on
    /// SQLite the connection refuses to.
    pub async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        off_thread(move || db.read_blocking(work)).await
    }

    /// Runs `work` as one write transaction and answers once it is committed, together
    /// with the other writes waiting, each under its own savepoint, so that a write that
    /// fails rolls back alone.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        self.write_queued(None, work).await
    }

    /// `write` for work about one client, the tally tap above all: her writes always take
    /// the same write queue on PostgreSQL, so two batches in parallel never hold her row
    /// each waiting for the other (see `batch`).
    pub async fn write_for<T, E, F>(&self, client: i64, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        self.write_queued(Some(client), work).await
    }

    async fn write_queued<T, E, F>(&self, client: Option<i64>, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.inner.writer.send(client, work, move |result| {
            let _ = reply.send(result);
        })?;
        answer.await.map_err(|_| lost_write())?
    }

    /// `read` for callers without an async runtime.
    pub fn read_blocking<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<DbError>,
    {
        let mut conn = self.inner.readers.get().map_err(DbError::from)?;
        let result = work(&mut conn);
        if result.is_err() {
            connection::drop_if_lost(&mut conn);
        }
        result
    }

    /// `write` for callers without an async runtime.
    pub fn write_blocking<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        self.inner.writer.send(None, work, move |result| {
            let _ = reply.send(result);
        })?;
        answer.recv().map_err(|_| lost_write())?
    }

    /// Applies every pending migration; returns how many ran.
    pub fn run_migrations(&self) -> anyhow::Result<usize> {
        migrate::run_pending(&mut *self.inner.writers.get()?)
    }

    /// Whether migrations embedded in this binary have not been applied to the database.
    pub async fn has_pending_migrations(&self) -> anyhow::Result<bool> {
        let writers = self.inner.writers.clone();
        off_thread(move || migrate::has_pending(&mut *writers.get()?)).await
    }

    /// `inbeeld backup`: a consistent copy of the SQLite database at `target`, taken on a
    /// connection of its own so that writers carry on meanwhile.
    pub fn snapshot_to(&self, target: &std::path::Path) -> anyhow::Result<()> {
        let manager = ConnectionManager::new(&self.inner.url, Access::ReadWrite);
        let mut conn = r2d2::ManageConnection::connect(&manager)?;
        backup::sqlite_snapshot(&mut conn, target)
    }

    /// After an erasure: on SQLite, copies the write-ahead log into the database file and
    /// truncates it, so the old page versions that still hold the erased data are gone
    /// from disk too. PostgreSQL keeps old row versions until vacuum reuses the space;
    /// nothing to force there from a connection.
    pub async fn flush_erased(&self) -> Result<(), DbError> {
        if self.inner.backend == Backend::Postgres {
            return Ok(());
        }
        self.read(checkpoint::truncate).await
    }
}

/// Runs `insert` under a savepoint: a unique violation (the row is there already) rolls
/// back to it and answers `None`, and the enclosing transaction goes on (PostgreSQL would
/// otherwise refuse every later statement of the transaction).
pub fn insert_once<T>(
    conn: &mut DbConnection,
    insert: impl FnOnce(&mut DbConnection) -> QueryResult<T>,
) -> QueryResult<Option<T>> {
    match conn.transaction(insert) {
        Ok(value) => Ok(Some(value)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn lost_write() -> DbError {
    DbError::Failed("the write was dropped before it committed".into())
}

/// Runs blocking work on the blocking thread pool; a panic there becomes `DbError::Failed`.
async fn off_thread<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(DbError::Failed(e.to_string()).into()))
}

/// True when a diesel error is a unique-constraint violation (used as "already there").
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

pub fn is_foreign_key_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ForeignKeyViolation,
            _
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(diesel::QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` builds SQLite with the query planner stability guarantee; see
    /// the note there for why every `.first()` depends on it.
    #[test]
    fn sqlite_is_built_with_a_stable_query_planner() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
            .load(&mut conn)
            .unwrap();
        assert!(
            options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
            "SQLite lacks ENABLE_QPSG: is LIBSQLITE3_FLAGS from .cargo/config.toml in effect?"
        );
    }
}
