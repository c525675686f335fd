//! Group commit: writer threads, each with a writing connection, commit the writes of
//! many requests together.
//!
//! Tally taps arrive by the hundred per second in a busy benchmark and touch the same few
//! pages (the newest leaf of `contacts`, of `audit_log`, of their indexes), and every commit
//! costs a flush of the log. So a writer thread takes every write waiting in its queue,
//! runs each under its own savepoint in one transaction, commits once, and only then
//! answers each: a write that failed rolls back alone, and none is acknowledged before the
//! commit that keeps it.
//!
//! SQLite takes one writer at a time: one queue, one thread, and being the only writer of
//! its database in this process it never waits for a lock held here; other processes (the
//! command line, a backup) meet `busy_timeout`.
//!
//! PostgreSQL has four queues (`POSTGRES_QUEUES`), so that one batch's round trips overlap
//! with another's. A batch holds the rows it changed until it commits, so two batches in
//! parallel that change the same two rows in opposite order would deadlock: a write that
//! names a client (`Db::write_for`) always goes to her queue, and every server on the
//! database runs queue k's batches one at a time (an advisory lock on k, so two servers
//! take turns per queue, not per database). Each queue also extends a lane of the audit
//! chain of its own (`lane`), so that batches in parallel never wait for one chain head.
//! Writes that name no client go to the queues in turn; they touch little a tap holds, and
//! a deadlock they might still meet is reported as a busy server, after which the phone's
//! outbox sends again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::{Connection, RunQueryDsl};

use super::{DbConnection, DbError, Pool, lane};

/// Sends the outcome of one write, once its batch is committed (`true`) or not.
type Answer = Box<dyn FnOnce(bool) + Send>;
/// One write: runs inside the batch's transaction, returns how to answer it.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Answer + Send>;

/// Writes taken into one transaction at most.
const MOST_PER_BATCH: usize = 128;

/// Write queues on PostgreSQL; each is a lane of the audit chain (migration audit_lanes
/// makes four), so there can be no more.
pub(super) const POSTGRES_QUEUES: usize = 4;

/// The advisory lock class of the write queues (`login_failures` uses 1 and 2).
const QUEUE_LOCK_CLASS: i32 = 3;

/// The queues to the writer threads; each thread ends when its sender is dropped.
pub(super) struct Writer {
    queues: Vec<mpsc::Sender<Job>>,
    /// The queue the next write without a client goes to.
    next: AtomicUsize,
}

/// Starts `queues` writer threads on `pool`, a pool of as many writing connections.
pub(super) fn start(pool: Pool, queues: usize) -> std::io::Result<Writer> {
    let mut senders = Vec::with_capacity(queues);
    for queue_number in 0..queues {
        let (jobs, queue) = mpsc::channel::<Job>();
        let pool = pool.clone();
        std::thread::Builder::new()
            .name(format!("db-writer-{queue_number}"))
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MOST_PER_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    match pool.get() {
                        Ok(mut conn) => commit_together(&mut conn, queue_number, batch),
                        Err(err) => {
                            tracing::warn!(error = %err, "no database connection for a batch of writes");
                            // Dropping the jobs drops their senders: each waiter gets an error.
                            drop(batch);
                        }
                    }
                }
            })?;
        senders.push(jobs);
    }
    Ok(Writer {
        queues: senders,
        next: AtomicUsize::new(0),
    })
}

impl Writer {
    /// Queues `work`; `reply` gets its result after the commit that keeps it (or an error
    /// when that commit failed). Work about one client (`client`) always takes her queue.
    pub(super) fn send<T, E, F>(
        &self,
        client: Option<i64>,
        work: F,
        reply: impl FnOnce(Result<T, E>) + Send + 'static,
    ) -> Result<(), DbError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let job: Job = Box::new(move |conn| {
            let mark = lane::mark();
            let result = conn.transaction(work);
            if result.is_err() {
                lane::rewind(mark);
            }
            Box::new(move |committed| {
                reply(if committed {
                    result
                } else {
                    result.and(Err(DbError::Unavailable(
                        "the batch of writes could not commit".into(),
                    )
                    .into()))
                })
            })
        });
        let count = self.queues.len();
        let queue = match client {
            Some(id) => id.rem_euclid(count as i64) as usize,
            None => self.next.fetch_add(1, Ordering::Relaxed) % count,
        };
        self.queues[queue]
            .send(job)
            .map_err(|_| DbError::Unavailable("the writer thread has stopped".into()))
    }
}

fn commit_together(conn: &mut DbConnection, queue: usize, batch: Vec<Job>) {
    if let Err(err) = begin(conn, queue) {
        tracing::warn!(error = %err, "a batch of writes could not begin");
        let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
        return;
    }
    let mut answers: Vec<Answer> = Vec::with_capacity(batch.len());
    let mut panicked = false;
    for job in batch {
        // A write that panics must not take the writer thread, and every later write,
        // with it: the batch is rolled back and its writers told (the rest of the batch
        // is dropped, which tells them too).
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(conn))) {
            Ok(answer) => answers.push(answer),
            Err(_) => {
                panicked = true;
                break;
            }
        }
    }
    let committed = !panicked
        && match lane::finish(conn).and_then(|()| {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)
        }) {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "a batch of writes could not commit");
                false
            }
        };
    if !committed {
        lane::abandon();
        let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
    }
    for answer in answers {
        answer(committed);
    }
}

/// Begins a batch's transaction: on SQLite taking the database's write lock at once; on
/// PostgreSQL taking queue `queue`'s turn among the servers. Either way the batch extends
/// the queue's lane of the audit chain (SQLite has one).
fn begin(conn: &mut DbConnection, queue: usize) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
        }
        DbConnection::Postgresql(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN")?;
            diesel::sql_query(format!(
                "SELECT pg_advisory_xact_lock({QUEUE_LOCK_CLASS}, {queue})"
            ))
            .execute(inner)?;
        }
    }
    lane::begin(queue as i32 + 1);
    Ok(())
}
