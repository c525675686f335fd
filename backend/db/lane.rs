//! The lane of the audit chain that a batch of writes extends, kept in memory while the
//! batch runs.
//!
//! Every audit entry carries the hash of the entry before it in its lane, and the lane's
//! row in `audit_chain` holds the newest hash, so that losing the newest entries shows too
//! (`app::audit::chain`). A writer thread owns one lane for as long as its batch runs (on
//! PostgreSQL its queue's advisory lock is held by no other server; SQLite has one writer),
//! so the batch reads the lane's head once, at its first entry, links every entry to the
//! one before it here, and writes the head back once, just before the commit. The head row
//! thus changes once per batch instead of twice per entry, which on PostgreSQL also spared
//! the row a version per entry for every later entry of the batch to step over.
//!
//! A write of the batch that fails is rolled back to its savepoint, entries and all, and
//! the head goes back to where it was before that write (`Writer::send`). An entry is
//! written last in its write, never under a savepoint of its own that may roll back while
//! the write goes on (`queries::audit::insert`).

use std::cell::RefCell;

use diesel::{QueryResult, RunQueryDsl};

use super::DbConnection;
use super::hot::{MoveLaneHead, TakeLaneHead};

/// The lane of the batch running on this thread.
struct Lane {
    id: i32,
    /// The newest hash, once the batch has read it.
    head: Option<String>,
    /// Entries the batch has added to the lane.
    added: i64,
}

thread_local! {
    static LANE: RefCell<Option<Lane>> = const { RefCell::new(None) };
}

/// Where a write's entries begin: put back with `rewind` when the write rolls back.
pub(super) struct Mark {
    head: Option<String>,
    added: i64,
}

/// A batch extending lane `id` begins on this thread.
pub(super) fn begin(id: i32) {
    LANE.with_borrow_mut(|lane| {
        *lane = Some(Lane {
            id,
            head: None,
            added: 0,
        })
    });
}

/// Where the lane stands now, before a write of the batch.
pub(super) fn mark() -> Mark {
    LANE.with_borrow(|lane| match lane {
        Some(lane) => Mark {
            head: lane.head.clone(),
            added: lane.added,
        },
        None => Mark {
            head: None,
            added: 0,
        },
    })
}

/// The write since `mark` rolled back: its entries are gone, and the head with them.
pub(super) fn rewind(mark: Mark) {
    LANE.with_borrow_mut(|lane| {
        if let Some(lane) = lane {
            lane.head = mark.head;
            lane.added = mark.added;
        }
    });
}

/// Writes the lane's new head, if the batch added entries, and ends the batch's lane.
pub(super) fn finish(conn: &mut DbConnection) -> QueryResult<()> {
    match LANE.with_borrow_mut(Option::take) {
        Some(Lane {
            id,
            head: Some(hash),
            added,
        }) if added > 0 => {
            MoveLaneHead {
                lane: id,
                hash,
                added,
            }
            .execute(conn)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Ends the batch's lane without writing it (the batch rolled back).
pub(super) fn abandon() {
    LANE.with_borrow_mut(|lane| *lane = None);
}

/// The lane a new entry extends and the hash it follows. Only a batch of writes adds
/// entries: anything else is refused.
pub fn link(conn: &mut DbConnection) -> QueryResult<(i32, String)> {
    let (id, head) = LANE.with_borrow(|lane| match lane {
        Some(lane) => Ok((lane.id, lane.head.clone())),
        None => Err(diesel::result::Error::QueryBuilderError(
            "an audit entry is written only in a write of `Db::write`".into(),
        )),
    })?;
    let prev = match head {
        Some(prev) => prev,
        None => {
            let prev: String = TakeLaneHead { lane: id }.get_result(conn)?;
            LANE.with_borrow_mut(|lane| {
                if let Some(lane) = lane {
                    lane.head = Some(prev.clone());
                }
            });
            prev
        }
    };
    Ok((id, prev))
}

/// The lane of the batch running on this thread and its head, once the batch has read it.
pub fn head() -> Option<(i32, String)> {
    LANE.with_borrow(|lane| {
        lane.as_ref()
            .and_then(|lane| Some((lane.id, lane.head.clone()?)))
    })
}

/// The entry with `hash` was written: it is the lane's head now.
pub fn linked(hash: String) {
    LANE.with_borrow_mut(|lane| {
        if let Some(lane) = lane {
            lane.head = Some(hash);
            lane.added += 1;
        }
    });
}
