//! The hash chain that makes the audit trail tamper-evident (NEN 7513): each entry stores
//! the hash of the entry before it and its own hash, SHA-256 over that previous hash and
//! the entry's fields. Changing, removing or inserting an entry anywhere breaks the chain
//! from there on; `inbeeld audit verify` walks it and names the first broken link.
//!
//! On PostgreSQL the trail is four chains in one, its lanes: writes committed in parallel
//! each extend their own lane (`db::batch`), so they do not take turns on one head; an
//! entry says its lane, and `verify` follows every lane through the one trail, each entry
//! checked against the one before it in its lane. SQLite has one writer and one lane.
//!
//! Each lane's newest hash also lives in its row of `audit_chain`, so losing the newest
//! entries of any lane shows too. Pruning (`jobs::retention`) deletes the oldest entries
//! and moves every lane's start, `pruned_through_*`, past them; the database lets that
//! point move only forward and only over entries that are gone, and `verify` fails when
//! any entry at or below it remains, so calling a changed entry "pruned" does not hide it.
//! Someone who can rewrite the whole database can also recompute the whole chain: `verify`
//! prints one hash over the lanes' heads, and the daily sweep logs it, so a copy kept
//! elsewhere (the log collector) pins the trail down up to that point.

use diesel::Connection;

use crate::db::DbConnection;
use std::collections::BTreeMap;

use crate::db::queries::audit::{self, EntryRow, Lane};
use crate::domain::audit::{GENESIS, entry_hash, heads_digest};

/// A chain that holds together.
#[derive(Debug, PartialEq, Eq)]
pub struct Intact {
    /// Entries checked against their hash.
    pub entries: u64,
    /// Entries from before the chain existed (migration 8), which carry no hash.
    pub unchained: u64,
    /// Entries in the trail: all of them were walked (`entries + unchained`).
    pub total: u64,
    /// One hash over the lanes' newest hashes (with one lane, its newest hash): write it
    /// down to pin the trail to this moment.
    pub head: String,
}

/// Where the chain breaks.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    /// The first entry that does not check out; `None` when the newest entries are gone.
    pub entry_id: Option<i64>,
    pub reason: String,
    /// Entries walked before the break, of `total` in the trail.
    pub checked: u64,
    pub total: u64,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.entry_id {
            Some(id) => write!(f, "the audit trail is broken at entry {id}: ")?,
            None => write!(f, "the audit trail is broken at its end: ")?,
        }
        write!(
            f,
            "{} (checked {} of {} entries)",
            self.reason, self.checked, self.total
        )
    }
}

/// Entries read per query while walking the chain.
const PAGE: i64 = 10_000;

/// Walks the whole chain, oldest first, in one snapshot of the trail (entries written
/// meanwhile are not part of it).
pub fn verify(conn: &mut DbConnection) -> anyhow::Result<Result<Intact, Broken>> {
    conn.transaction(|conn| {
        if let DbConnection::Postgresql(_) = conn {
            diesel::RunQueryDsl::execute(
                diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"),
                conn,
            )?;
        }
        walk(conn)
    })
}

fn walk(conn: &mut DbConnection) -> anyhow::Result<Result<Intact, Broken>> {
    let lanes = audit::lanes(conn)?;
    let total = u64::try_from(audit::count(conn)?)?;
    // Pruning moves every lane's point together; the walk starts at the lowest.
    let start = lanes
        .iter()
        .map(|lane| lane.pruned_through_id.unwrap_or(0))
        .min()
        .unwrap_or(0);
    let mut expected: BTreeMap<i32, String> = lanes
        .iter()
        .map(|lane| {
            let start = lane.pruned_through_hash.as_deref().unwrap_or(GENESIS);
            (lane.id, start.to_owned())
        })
        .collect();
    let mut after = start;
    let (mut entries, mut unchained) = (0, 0);
    let broken = |entry_id, reason: String, checked| {
        Ok(Err(Broken {
            entry_id,
            reason,
            checked,
            total,
        }))
    };
    loop {
        let page = audit::page_after(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in &page {
            let walked = entries + unchained;
            let Some((lane, expected)) = lanes
                .iter()
                .find(|lane| lane.id == row.lane)
                .zip(expected.get_mut(&row.lane))
            else {
                return broken(Some(row.id), "it names no lane of the chain".into(), walked);
            };
            if row.id <= lane.pruned_through_id.unwrap_or(0) {
                return broken(Some(row.id), pruned_but_there(lane), walked);
            }
            if let Some(reason) = check(row, expected, entries) {
                return broken(Some(row.id), reason.to_owned(), walked);
            }
            match &row.hash {
                Some(hash) => {
                    expected.clone_from(hash);
                    entries += 1;
                }
                None => unchained += 1,
            }
        }
    }
    let walked = entries + unchained;
    // Pruning deletes every entry it passes: one still there was skipped, not pruned.
    if let Some(first) = audit::first_through(conn, start)? {
        let left = total.saturating_sub(walked);
        let reason = format!(
            "{left} entries at or below the chain's pruning point (entry {start}) \
             still exist, though pruning deletes every entry it passes: the pruning point \
             was moved over them, and they were not checked"
        );
        return broken(Some(first), reason, walked);
    }
    for lane in &lanes {
        if expected[&lane.id] != lane.last_hash {
            let reason = format!(
                "the newest entries of lane {} are missing (its last entry is not its head)",
                lane.id
            );
            return broken(None, reason, walked);
        }
    }
    let heads: Vec<(i32, &str)> = lanes
        .iter()
        .map(|lane| (lane.id, lane.last_hash.as_str()))
        .collect();
    Ok(Ok(Intact {
        entries,
        unchained,
        total,
        head: heads_digest(&heads),
    }))
}

/// Why an entry at or below its lane's pruning point breaks the chain.
fn pruned_but_there(lane: &Lane) -> String {
    format!(
        "it is at or below lane {}'s pruning point (entry {}), though pruning deletes every \
         entry it passes: the pruning point was moved over it",
        lane.id,
        lane.pruned_through_id.unwrap_or(0)
    )
}

/// Checks one entry against the hash of the entry before it; `chained` entries came
/// before. Answers what is wrong with it, if anything.
fn check(row: &EntryRow, expected_prev: &str, chained: u64) -> Option<&'static str> {
    match (&row.prev_hash, &row.hash) {
        // Entries from before the chain may only come before its first entry.
        (None, None) if chained == 0 => None,
        (Some(prev), Some(hash)) => {
            if prev != expected_prev {
                Some("it does not follow the entry before it (an entry was removed or inserted)")
            } else if *hash != entry_hash(prev, &row.as_entry()) {
                Some("its content was changed after it was written")
            } else {
                None
            }
        }
        _ => Some("its hash was removed"),
    }
}
