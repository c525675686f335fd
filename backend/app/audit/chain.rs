//! The hash chain that makes the audit trail tamper-evident (NEN 7513): each entry stores
//! the hash of the entry before it and its own hash, SHA-256 over that previous hash and
//! the entry's fields. Changing, removing or inserting an entry anywhere breaks the chain
//! from there on; `inbeeld audit verify` walks it and names the first broken link.
//!
//! The newest hash also lives in the one-row `audit_chain` table, so losing the newest
//! entries shows too. Someone who can rewrite the whole database can also recompute the
//! whole chain: `verify` prints the head hash, and the daily sweep logs it, so a copy kept
//! elsewhere (the log collector) pins the trail down up to that point.

use crate::db::DbConnection;
use crate::db::queries::audit::{self, EntryRow};
use crate::domain::audit::{GENESIS, entry_hash};

/// A chain that holds together.
#[derive(Debug, PartialEq, Eq)]
pub struct Intact {
    /// Entries checked.
    pub entries: u64,
    /// Entries from before the chain existed (migration 8), which carry no hash.
    pub unchained: u64,
    /// The newest hash: write it down to pin the trail to this moment.
    pub head: String,
}

/// Where the chain breaks.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken {
    /// The first entry that does not check out; `None` when the newest entries are gone.
    pub entry_id: Option<i64>,
    pub reason: &'static str,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.entry_id {
            Some(id) => write!(
                f,
                "the audit trail is broken at entry {id}: {}",
                self.reason
            ),
            None => write!(f, "the audit trail is broken at its end: {}", self.reason),
        }
    }
}

/// Entries read per query while walking the chain.
const PAGE: i64 = 10_000;

/// Walks the whole chain, oldest first.
pub fn verify(conn: &mut DbConnection) -> anyhow::Result<Result<Intact, Broken>> {
    let head = audit::chain_head(conn)?;
    let mut expected = head
        .pruned_through_hash
        .unwrap_or_else(|| GENESIS.to_owned());
    let mut after = head.pruned_through_id.unwrap_or(0);
    let (mut entries, mut unchained) = (0, 0);
    loop {
        let page = audit::page_after(conn, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in &page {
            if let Some(broken) = check(row, &expected, entries) {
                return Ok(Err(broken));
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
    if expected != head.last_hash {
        return Ok(Err(Broken {
            entry_id: None,
            reason: "the newest entries are missing (the last entry is not the chain's head)",
        }));
    }
    Ok(Ok(Intact {
        entries,
        unchained,
        head: expected,
    }))
}

/// Checks one entry against the hash of the entry before it; `chained` entries came before.
fn check(row: &EntryRow, expected_prev: &str, chained: u64) -> Option<Broken> {
    let broken = |reason| {
        Some(Broken {
            entry_id: Some(row.id),
            reason,
        })
    };
    match (&row.prev_hash, &row.hash) {
        // Entries from before the chain may only come before its first entry.
        (None, None) if chained == 0 => None,
        (Some(prev), Some(hash)) => {
            if prev != expected_prev {
                broken("it does not follow the entry before it (an entry was removed or inserted)")
            } else if *hash != entry_hash(prev, &row.as_entry()) {
                broken("its content was changed after it was written")
            } else {
                None
            }
        }
        _ => broken("its hash was removed"),
    }
}
