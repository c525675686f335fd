//! The UPDATE statements of every tally tap, written out in SQL so that each connection
//! prepares them once. Diesel never caches a statement built with `update()` (a changeset
//! may change shape from call to call), so it parsed and planned these three again on every
//! tap, on SQLite in the one writer thread all writes queue for: a fifth of that thread's
//! time in the load benchmark. What they do is tested through their callers.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};

/// The follow-ups a tally tap may close: her absences still open.
const OPEN_ABSENCES: &str = "kind = 'absence' AND status <> 'closed'";

/// Takes the audit chain's head for a new entry: counts the entry and returns the hash it
/// chains to. (On PostgreSQL the row lock it takes is held to commit.)
#[derive(QueryId)]
pub struct TakeChainHead;

impl<DB: Backend> QueryFragment<DB> for TakeChainHead {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "UPDATE audit_chain SET entries = entries + 1 WHERE id = 1 RETURNING last_hash",
        );
        Ok(())
    }
}

impl Query for TakeChainHead {
    type SqlType = Text;
}

impl<C> RunQueryDsl<C> for TakeChainHead {}

/// Sets a client's `last_contact_at` to her latest contact and returns it, with whether
/// she has an absence follow-up open (so that the tap closes absences only when there is
/// one: most taps have none, and the UPDATE that finds nothing cost as much as this one).
#[derive(QueryId)]
pub struct RefreshLastContact {
    pub client_id: i64,
}

impl<DB: Backend> QueryFragment<DB> for RefreshLastContact
where
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "UPDATE clients SET last_contact_at = \
             (SELECT max(seen_at) FROM contacts WHERE client_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(") WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(
            " RETURNING last_contact_at, EXISTS (SELECT 1 FROM followups WHERE client_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(" AND ");
        out.push_sql(OPEN_ABSENCES);
        out.push_sql(")");
        Ok(())
    }
}

impl Query for RefreshLastContact {
    type SqlType = (Nullable<Timestamp>, Bool);
}

impl<C> RunQueryDsl<C> for RefreshLastContact {}

/// Closes a client's unclosed absence follow-ups that began before `seen_at` (she has been
/// seen), as closed by `by` at `now`; returns their ids.
#[derive(QueryId)]
pub struct CloseAbsencesSeen {
    pub client_id: i64,
    pub seen_at: NaiveDateTime,
    pub by: i64,
    pub now: NaiveDateTime,
}

impl<DB: Backend> QueryFragment<DB> for CloseAbsencesSeen
where
    i64: ToSql<BigInt, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE followups SET status = 'closed', closed_by = ");
        out.push_bind_param::<BigInt, _>(&self.by)?;
        out.push_sql(", closed_at = ");
        out.push_bind_param::<Timestamp, _>(&self.now)?;
        out.push_sql(", outcome = 'seen' WHERE client_id = ");
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(" AND ");
        out.push_sql(OPEN_ABSENCES);
        out.push_sql(" AND absent_since < ");
        out.push_bind_param::<Timestamp, _>(&self.seen_at)?;
        out.push_sql(" RETURNING id");
        Ok(())
    }
}

impl Query for CloseAbsencesSeen {
    type SqlType = BigInt;
}

impl<C> RunQueryDsl<C> for CloseAbsencesSeen {}
