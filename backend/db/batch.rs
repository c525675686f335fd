//! Group commit for SQLite: one thread, with the one writing connection, commits the
//! writes of many requests together.
//!
//! SQLite takes one writer at a time, and each commit writes the pages it touched to the
//! log. Tally taps arrive by the hundred per second in a busy benchmark and touch the same
//! few pages (the newest leaf of `contacts`, of `audit_log`, of their indexes), so the
//! writer thread takes every write waiting, runs each under its own savepoint in one
//! transaction, commits once, and only then answers each: a write that failed rolls back
//! alone, and none is acknowledged before the commit that keeps it. Being the only writer
//! of its database in this process, the thread never waits for a lock held here; other
//! processes (the command line, a backup) meet `busy_timeout`.

use std::sync::mpsc;

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{DbConnection, DbError, Pool};

/// Sends the outcome of one write, once its batch is committed (`true`) or not.
type Answer = Box<dyn FnOnce(bool) + Send>;
/// One write: runs inside the batch's transaction, returns how to answer it.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Answer + Send>;

/// Writes taken into one transaction at most.
const MOST_PER_BATCH: usize = 128;

/// The queue to the writer thread; the thread ends when the last sender is dropped.
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
}

/// Starts the writer thread on `pool`, a pool of the one writing connection.
pub(super) fn start(pool: Pool) -> std::io::Result<Writer> {
    let (jobs, queue) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("sqlite-writer".into())
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
                    Ok(mut conn) => commit_together(&mut conn, batch),
                    Err(err) => {
                        tracing::warn!(error = %err, "no database connection for a batch of writes");
                        // Dropping the jobs drops their senders: each waiter gets an error.
                        drop(batch);
                    }
                }
            }
        })?;
    Ok(Writer { jobs })
}

impl Writer {
    /// Queues `work`; `reply` gets its result after the commit that keeps it (or an error
    /// when that commit failed).
    pub(super) fn send<T, E, F>(
        &self,
        work: F,
        reply: impl FnOnce(Result<T, E>) + Send + 'static,
    ) -> Result<(), DbError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let job: Job = Box::new(move |conn| {
            let result = conn.transaction(work);
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
        self.jobs
            .send(job)
            .map_err(|_| DbError::Unavailable("the writer thread has stopped".into()))
    }
}

fn commit_together(conn: &mut DbConnection, batch: Vec<Job>) {
    let DbConnection::Sqlite(inner) = conn else {
        return;
    };
    if let Err(err) = AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE") {
        tracing::warn!(error = %err, "a batch of writes could not begin");
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
        && match <DbConnection as Connection>::TransactionManager::commit_transaction(conn) {
            Ok(()) => true,
            Err(err) => {
                tracing::warn!(error = %err, "a batch of writes could not commit");
                false
            }
        };
    if !committed {
        let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
    }
    for answer in answers {
        answer(committed);
    }
}
