//! One connection type over SQLite and PostgreSQL, how a URL picks between them, and the
//! r2d2 manager that opens connections with SQLite's settings.

use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};

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

/// What a pool's SQLite connections may do. Reading connections are opened with
/// `query_only`, so a write that tries to go past `Db::write` fails at once, in every
/// test on SQLite, instead of racing the writer thread for the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

/// r2d2 manager that opens the right variant and sets SQLite's pragmas on every connection.
#[derive(Debug)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
    access: Access,
}

/// `busy_timeout` comes first so that even switching the journal mode waits for a lock
/// instead of failing when the pool opens several connections at once. `secure_delete`
/// zeroes what a delete or update leaves behind in the file's pages: without it an erased
/// client's alias and notes would stay readable in free space (see `Db::flush_erased`).
/// `wal_autocheckpoint = 0`: the committing writer no longer copies the log into the
/// database file (with an fsync) while every other writer waits; the checkpointer does it
/// in the background.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
     PRAGMA wal_autocheckpoint = 0;";

impl ConnectionManager {
    pub fn new(url: &str, access: Access) -> ConnectionManager {
        ConnectionManager {
            url: url.to_owned(),
            backend: Backend::of_url(url),
            access,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }
}

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
                if self.access == Access::ReadOnly {
                    conn.batch_execute("PRAGMA query_only = ON")
                        .map_err(r2d2::Error::QueryError)?;
                }
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

/// After work on a pooled PostgreSQL connection failed: if the connection no longer reaches
/// its server, it is marked broken, so that the pool drops it instead of handing it to the
/// next request. Diesel marks it itself when libpq knows of the loss as the statement
/// fails, but not when the statement met only the server's last words ("terminating
/// connection due to administrator command", at a restart): libpq still counts that
/// connection as open, and every later statement on it failed with "no connection to the
/// server", request after request. Reading connections are not checked when they are
/// taken from the pool (a statement per request), so this check after a failure is what
/// keeps a dead one from staying. A SQLite connection cannot lose its server.
pub(super) fn drop_if_lost(conn: &mut DbConnection) {
    if let DbConnection::Postgresql(pg) = conn
        && pg.batch_execute("SELECT 1").is_err()
    {
        <diesel::PgConnection as Connection>::TransactionManager::transaction_manager_status_mut(
            pg,
        )
        .set_in_error();
    }
}
