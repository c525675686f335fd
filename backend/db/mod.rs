//! The database: one connection enum over SQLite and PostgreSQL, its pool, and the doors
//! through which handlers reach it off the async threads: `Db::run`, and `Db::write` for
//! a write committed together with others (SQLite group commit, `batch`).

pub mod backup;
mod batch;
mod hot;
pub mod migrate;
pub mod queries;
pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};

use crate::error::ApiError;

/// One connection type for both backends; `schema.rs` and every query are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection inside `$conn`.
///
/// MultiConnection forwards a statement by writing out its SQL text on every execution,
/// even one its backend has prepared and cached long ago. The statements of every tally
/// tap go to their backend directly (`native!(conn, |c| query.get_result(c))`), which knows
/// them by type; everything else stays written once for both.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use native;

/// Which database a URL names. Picked from the scheme, never by trial: a mistyped
/// PostgreSQL URL must fail loudly, not become a SQLite file with a strange name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// r2d2 manager that opens the right variant and sets SQLite's pragmas on every connection.
#[derive(Debug)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

/// `busy_timeout` comes first so that even switching the journal mode waits for a lock
/// instead of failing when the pool opens several connections at once. `secure_delete`
/// zeroes what a delete or update leaves behind in the file's pages: without it an erased
/// client's alias and notes would stay readable in free space (see `flush_erased`).
/// `wal_autocheckpoint = 0`: the committing writer no longer copies the log into the
/// database file (with an fsync) while every other writer waits; `Checkpointer` does it
/// in the background.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
     PRAGMA wal_autocheckpoint = 0;";

impl ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Postgres => diesel::PgConnection::establish(&self.url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;

/// The shared handle on the database.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// SQLite only; stops when the last handle is dropped.
    _checkpointer: Option<std::sync::Arc<Checkpointer>>,
    /// SQLite only: the group-commit writer thread (`batch`), ending with the last handle.
    writer: Option<std::sync::mpsc::Sender<batch::Job>>,
}

/// Copies SQLite's write-ahead log into the database file a few times a second, off the
/// request path (PASSIVE: it never waits for, nor holds up, readers and writers). The log
/// stays short, so reads stay fast. Dropping it ends the thread at its next turn.
struct Checkpointer {
    _stop: std::sync::mpsc::Sender<()>,
}

const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

impl Checkpointer {
    fn start(pool: Pool) -> std::io::Result<Checkpointer> {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
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

impl Db {
    /// Opens a pool on `url` (a PostgreSQL URL or a SQLite file path).
    pub fn connect(url: &str, max_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::of_url(url);
        let manager = ConnectionManager {
            url: url.to_owned(),
            backend,
        };
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .connection_timeout(Duration::from_secs(10))
            // A PostgreSQL connection can die with its server and is checked before use;
            // a SQLite file connection cannot, and the check cost a statement per request.
            .test_on_check_out(backend == Backend::Postgres)
            .build(manager)?;
        let (checkpointer, writer) = match backend {
            Backend::Sqlite => (
                Some(std::sync::Arc::new(Checkpointer::start(pool.clone())?)),
                Some(batch::start(pool.clone())?),
            ),
            Backend::Postgres => (None, None),
        };
        Ok(Db {
            pool,
            _checkpointer: checkpointer,
            writer,
        })
    }

    /// A pooled connection for synchronous callers (CLI, start-up, tests).
    pub fn conn(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, ApiError> {
        self.pool.get().map_err(ApiError::from)
    }

    /// Runs `work` as one write transaction and answers once it is committed. On SQLite
    /// it is committed together with the other writes waiting (`batch`), under its own
    /// savepoint; on PostgreSQL it runs on a pooled connection.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(writer) = &self.writer else {
            return self.run(move |conn| write_transaction(conn, work)).await;
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        writer
            .send(batch::job(work, reply))
            .map_err(|_| ApiError::Unavailable)?;
        answer.await.map_err(|_| ApiError::Unavailable)?
    }

    /// Runs blocking database work on the blocking thread pool.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }
}

/// SQLite admits one writer at a time. A writer that finds the lock taken waits in
/// `busy_timeout`, which polls with sleeps growing to 100 ms; under a steady stream of
/// tally taps those sleeps made the slowest answers. This process's writers queue here
/// instead and each is woken the moment the one before is done. One lock for the process:
/// in production there is one database; tests that open several share it harmlessly.
/// Other processes (the command line, a backup) still meet `busy_timeout`.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

std::thread_local! {
    /// Whether this thread holds `SQLITE_WRITER`: a write inside a write transaction
    /// (an audit entry, say) must not wait for the lock its own transaction holds.
    static HOLDS_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work`, a write, as this process's only SQLite writer (see `SQLITE_WRITER`);
/// re-entrant on one thread, and a plain call on PostgreSQL. `write_transaction` goes
/// through here, and so do single-statement writes on busy paths (audit entries, session
/// touches); rarer ones rely on `busy_timeout`.
pub fn as_writer<T>(conn: &mut DbConnection, work: impl FnOnce(&mut DbConnection) -> T) -> T {
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            HOLDS_WRITER.set(false);
        }
    }
    if matches!(conn, DbConnection::Postgresql(_)) || HOLDS_WRITER.get() {
        return work(conn);
    }
    let _lock = SQLITE_WRITER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    HOLDS_WRITER.set(true);
    let _release = Release;
    work(conn)
}

/// Runs `work` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, so the
/// write lock is taken up front and waits on `busy_timeout` instead of failing with
/// `SQLITE_BUSY` when a deferred reader tries to upgrade (see shared stack notes).
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    as_writer(conn, |conn| {
        match conn {
            DbConnection::Sqlite(inner) => {
                AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?
            }
            DbConnection::Postgresql(_) => {
                <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?
            }
        }
        match work(conn) {
            Ok(value) => {
                <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                Ok(value)
            }
            Err(err) => {
                <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
                Err(err)
            }
        }
    })
}

#[derive(diesel::QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

/// After an erasure: on SQLite, copies the write-ahead log into the database file and
/// truncates it, so the old page versions that still hold the erased data are gone from
/// disk too. PostgreSQL keeps old row versions until vacuum reuses the space; nothing to
/// force there from a connection.
pub fn flush_erased(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Sqlite(_) = conn {
        let result: Checkpoint =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").get_result(conn)?;
        if result.busy != 0 {
            tracing::warn!(
                "a reader kept the write-ahead log from being truncated after an erasure; \
                 the next checkpoint removes the old pages"
            );
        }
    }
    Ok(())
}

/// Timestamps are stored as UTC with microsecond precision: PostgreSQL keeps micros, SQLite
/// would keep nanos, and values must compare equal after a round trip on both.
pub fn truncate_micros(t: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let nanos = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(nanos).unwrap_or(t)
}

/// True when a diesel error is a unique-constraint violation (used as "already there").
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
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
