//! Recording what became of each delivery attempt. The outcomes that arrive while one
//! write is under way go into the next, together: one write per round trip to the
//! database rather than one per message. A sender waits until its outcome is committed
//! before it takes the next message, so no more messages are sent but unrecorded than are
//! in flight: after a crash only those can go out again (under their own Topic).

use chrono::NaiveDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::db::queries::push::{self, MessageRow};
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::push::deliver::{Attempt, retry_delay};

/// One attempt's outcome, to be written.
pub struct Outcome {
    pub message: MessageRow,
    pub subscription: Option<i64>,
    pub attempt: Attempt,
    pub at: NaiveDateTime,
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Sent,
    Gone,
    Retried,
    Failed,
}

/// A queued outcome and where to say it is committed (`None`: its write failed).
type Waiting = (Outcome, oneshot::Sender<Option<Recorded>>);

/// The senders' side of a recorder.
#[derive(Clone)]
pub struct Recorder {
    queue: mpsc::UnboundedSender<Waiting>,
}

impl Recorder {
    /// Queues `outcome` and answers once it is committed; `None` when the recorder could
    /// not write it (it reports why).
    pub async fn record(&self, outcome: Outcome) -> Option<Recorded> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((outcome, reply)).ok()?;
        answer.await.ok().flatten()
    }
}

/// A recorder, and the work that writes what it is handed until every `Recorder` is gone.
pub fn recorder(
    db: &Db,
    max_attempts: i32,
) -> (
    Recorder,
    impl Future<Output = Result<(), ApiError>> + use<'_>,
) {
    let (queue, mut waiting) = mpsc::unbounded_channel::<Waiting>();
    let writing = async move {
        let mut failure = None;
        while let Some(first) = waiting.recv().await {
            let mut batch = vec![first];
            while let Ok(next) = waiting.try_recv() {
                batch.push(next);
            }
            let (outcomes, replies): (Vec<Outcome>, Vec<_>) = batch.into_iter().unzip();
            let written = db
                .write(move |conn| {
                    outcomes
                        .iter()
                        .map(|outcome| write(conn, outcome, max_attempts))
                        .collect::<Result<Vec<_>, ApiError>>()
                })
                .await;
            match written {
                Ok(recorded) => {
                    for (reply, recorded) in replies.into_iter().zip(recorded) {
                        let _ = reply.send(Some(recorded));
                    }
                }
                Err(err) => {
                    for reply in replies {
                        let _ = reply.send(None);
                    }
                    failure.get_or_insert(err);
                }
            }
        }
        failure.map_or(Ok(()), Err)
    };
    (Recorder { queue }, writing)
}

/// Writes one outcome: the attempt, the message's new state and the subscription's.
fn write(
    conn: &mut DbConnection,
    outcome: &Outcome,
    max_attempts: i32,
) -> Result<Recorded, ApiError> {
    let Outcome {
        message,
        subscription,
        attempt,
        at: now,
    } = outcome;
    let (subscription, now) = (*subscription, *now);
    let attempts = message.attempts + 1;
    let status_of = |s: &Option<u16>| s.map(i32::from);
    Ok(match attempt {
        Attempt::Sent(status) => {
            let status = Some(i32::from(*status));
            push::record_attempt(conn, message.id, subscription, now, "sent", status)?;
            push::finish_message(conn, message.id, "sent", now)?;
            if let Some(id) = subscription {
                push::mark_subscription_success(conn, id, now)?;
            }
            Recorded::Sent
        }
        Attempt::Gone(status) => {
            let status = status_of(status);
            push::record_attempt(conn, message.id, subscription, now, "gone", status)?;
            push::finish_message(conn, message.id, "gone", now)?;
            if let Some(id) = subscription {
                push::remove_subscription(conn, id)?;
            }
            Recorded::Gone
        }
        Attempt::Retry { status, after } if attempts < max_attempts => {
            let status = status_of(status);
            push::record_attempt(conn, message.id, subscription, now, "retry", status)?;
            push::retry_message_at(conn, message.id, now + retry_delay(attempts, *after))?;
            Recorded::Retried
        }
        Attempt::Retry { status, .. } | Attempt::Failed(status) => {
            let status = status_of(status);
            push::record_attempt(conn, message.id, subscription, now, "failed", status)?;
            push::finish_message(conn, message.id, "failed", now)?;
            Recorded::Failed
        }
    })
}
