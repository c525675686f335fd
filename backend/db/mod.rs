//! The database: one connection enum over SQLite and PostgreSQL, its pool, and the one
//! door (`Db::run`) through which handlers reach it off the async threads.

pub mod backup;
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
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;";

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
            .build(manager)?;
        Ok(Db { pool })
    }

    /// A pooled connection for synchronous callers (CLI, start-up, tests).
    pub fn conn(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, ApiError> {
        self.pool.get().map_err(ApiError::from)
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

/// Runs `work` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, so the
/// write lock is taken up front and waits on `busy_timeout` instead of failing with
/// `SQLITE_BUSY` when a deferred reader tries to upgrade (see shared stack notes).
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
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
