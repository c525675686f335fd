//! Group commit for SQLite: one thread commits the writes of many requests together.
//!
//! SQLite takes one writer at a time, and each commit writes the pages it touched to the
//! log. Tally taps arrive by the hundred per second in a busy benchmark and touch the same
//! few pages (the newest leaf of `contacts`, of `audit_log`, of their indexes), so the
//! writer thread takes every write waiting, runs each under its own savepoint in one
//! transaction, commits once, and only then answers each: a write that failed rolls back
//! alone, and none is acknowledged before the commit that keeps it. PostgreSQL runs the
//! same work in its own transaction on a pooled connection (`Db::write`).

use std::sync::mpsc;

use diesel::Connection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{DbConnection, Pool, as_writer};
use crate::error::ApiError;

/// Sends the outcome of one write, once its batch is committed (`true`) or not.
type Answer = Box<dyn FnOnce(bool) + Send>;
/// One write: runs inside the batch's transaction, returns how to answer it.
pub(super) type Job = Box<dyn FnOnce(&mut DbConnection) -> Answer + Send>;

/// Writes taken into one transaction at most.
const MOST_PER_BATCH: usize = 128;

/// Starts the writer thread; it ends when every sender is gone.
pub(super) fn start(pool: Pool) -> std::io::Result<mpsc::Sender<Job>> {
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
    Ok(jobs)
}

fn commit_together(conn: &mut DbConnection, batch: Vec<Job>) {
    as_writer(conn, |conn| {
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
            // with it: the batch is rolled back and its writers told (the rest of the
            // batch is dropped, which tells them too).
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
    });
}

/// Wraps `work` as a job: it runs under a savepoint (so its failure undoes only itself)
/// and its result goes to `reply` after the commit.
pub(super) fn job<T, F>(work: F, reply: tokio::sync::oneshot::Sender<Result<T, ApiError>>) -> Job
where
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    Box::new(move |conn| {
        let result = conn.transaction(work);
        Box::new(move |committed| {
            let result = if committed {
                result
            } else {
                result.and(Err(ApiError::Unavailable))
            };
            let _ = reply.send(result);
        })
    })
}
