//! The append-only audit log (database triggers refuse UPDATE, and DELETE of entries less
//! than five years old), chained by hashes (`domain::audit::entry_hash`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{audit_chain, audit_log};
use crate::db::{DbConnection, lane, native};
use crate::domain::audit::{Entry, entry_hash};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub struct EntryRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub role: Option<String>,
    pub session_id: Option<i64>,
    pub address: Option<String>,
    pub event: String,
    pub action: String,
    pub client_id: Option<i64>,
    pub outcome: String,
    pub source: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
    pub detail: Option<String>,
    /// Which lane of the chain it extends (one on SQLite; `db::lane`).
    pub lane: i32,
}

impl EntryRow {
    /// The fields the hash covers, as they were written.
    pub fn as_entry(&self) -> Entry<'_> {
        Entry {
            occurred_at: self.occurred_at,
            user_id: self.user_id,
            role: self.role.as_deref(),
            session_id: self.session_id,
            address: self.address.as_deref(),
            event: &self.event,
            action: &self.action,
            client_id: self.client_id,
            outcome: &self.outcome,
            source: &self.source,
            detail: self.detail.as_deref(),
        }
    }
}

/// Appends `entry` to the chain, inside the caller's write (`Db::write`): it follows the
/// newest entry of the batch's lane (`lane::link`) and becomes the lane's head once
/// written. Write it last in a write, and never under a savepoint of its own that may roll
/// back while the write goes on: the lane's head in memory would then name an entry
/// that is gone.
pub fn insert(conn: &mut DbConnection, entry: &Entry) -> QueryResult<usize> {
    let (lane, prev) = lane::link(conn)?;
    let hash = entry_hash(&prev, entry);
    let written = native!(conn, |c| diesel::insert_into(audit_log::table)
        .values((
            (
                audit_log::occurred_at.eq(entry.occurred_at),
                audit_log::user_id.eq(entry.user_id),
                audit_log::role.eq(entry.role),
                audit_log::session_id.eq(entry.session_id),
                audit_log::address.eq(entry.address),
                audit_log::event.eq(entry.event),
                audit_log::action.eq(entry.action),
                audit_log::client_id.eq(entry.client_id),
                audit_log::outcome.eq(entry.outcome),
                audit_log::source.eq(entry.source),
            ),
            audit_log::prev_hash.eq(&prev),
            audit_log::hash.eq(&hash),
            audit_log::detail.eq(entry.detail),
            audit_log::lane.eq(lane),
        ))
        .execute(c))?;
    lane::linked(hash);
    Ok(written)
}

/// One lane of the chain: its newest hash and where it starts after pruning.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_chain)]
pub struct Lane {
    pub id: i32,
    pub last_hash: String,
    pub pruned_through_id: Option<i64>,
    pub pruned_through_hash: Option<String>,
}

/// Every lane of the chain, in order (one on SQLite). Inside a write, the lane its batch
/// extends has the head the batch has moved it to (`lane::head`), not yet written.
pub fn lanes(conn: &mut DbConnection) -> QueryResult<Vec<Lane>> {
    let mut lanes: Vec<Lane> = audit_chain::table
        .order(audit_chain::id)
        .select(Lane::as_select())
        .load(conn)?;
    if let Some((id, head)) = lane::head() {
        for lane in lanes.iter_mut().filter(|lane| lane.id == id) {
            lane.last_hash = head.clone();
        }
    }
    Ok(lanes)
}

/// Where the trail starts: the lowest pruning point of its lanes (pruning moves them all).
pub fn pruned_through(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    Ok(lanes(conn)?
        .iter()
        .map(|lane| lane.pruned_through_id)
        .min()
        .flatten())
}

/// Entries in the trail.
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    audit_log::table.count().get_result(conn)
}

/// The oldest entry at or below `id`, if any is left.
pub fn first_through(conn: &mut DbConnection, id: i64) -> QueryResult<Option<i64>> {
    audit_log::table
        .filter(audit_log::id.le(id))
        .order(audit_log::id)
        .select(audit_log::id)
        .first(conn)
        .optional()
}

/// Up to `limit` entries after `after_id`, oldest first: the chain's order.
pub fn page_after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::id.gt(after_id))
        .order(audit_log::id)
        .limit(limit)
        .select(EntryRow::as_select())
        .load(conn)
}

/// Deletes the oldest entries up to the first one written at or after `before`, and
/// records where the chain now starts. Runs inside the caller's write transaction; the
/// database refuses to delete anything less than five years old whatever `before` says.
pub fn prune_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    // In the chain's order from its start, so the cost is the entries to delete, not the
    // whole trail (there is no index on the time alone).
    let first_kept: Option<i64> = audit_log::table
        .filter(audit_log::occurred_at.ge(before))
        .order(audit_log::id)
        .select(audit_log::id)
        .first(conn)
        .optional()?;
    let last_pruned = audit_log::table
        .filter(audit_log::id.lt(first_kept.unwrap_or(i64::MAX)))
        .order(audit_log::id.desc())
        .select(audit_log::id)
        .first::<i64>(conn)
        .optional()?;
    let Some(through_id) = last_pruned else {
        return Ok(0);
    };
    // Each lane resumes after its own newest entry among those deleted; a lane with none
    // keeps where it started.
    let newest_per_lane: Vec<i64> = audit_log::table
        .filter(audit_log::id.le(through_id))
        .group_by(audit_log::lane)
        .select(diesel::dsl::max(audit_log::id))
        .load::<Option<i64>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let resume: Vec<(i32, Option<String>)> = audit_log::table
        .filter(audit_log::id.eq_any(newest_per_lane))
        .select((audit_log::lane, audit_log::hash))
        .load(conn)?;
    let deleted =
        diesel::delete(audit_log::table.filter(audit_log::id.le(through_id))).execute(conn)?;
    // A pruned entry without hash predates the chain, which then still starts at GENESIS.
    for lane in lanes(conn)? {
        let hash = match resume.iter().find(|(id, _)| *id == lane.id) {
            Some((_, hash)) => hash.clone(),
            None => lane.pruned_through_hash,
        };
        diesel::update(audit_chain::table.find(lane.id))
            .set((
                audit_chain::pruned_through_id.eq(through_id),
                audit_chain::pruned_through_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(deleted)
}

/// The trail of one client, oldest first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<EntryRow>> {
    audit_log::table
        .filter(audit_log::client_id.eq(client_id))
        .order((audit_log::occurred_at, audit_log::id))
        .select(EntryRow::as_select())
        .load(conn)
}
