//! The UPDATE statements of every tally tap, written out in SQL so that each connection
//! prepares them once. Diesel never caches a statement built with `update()` (a changeset
//! may change shape from call to call), so it parsed and planned these again on every
//! tap, on SQLite in the one writer thread all writes queue for: a fifth of that thread's
//! time in the load benchmark. What they do is tested through their callers.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Date, HasSqlType, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};

/// The follow-ups a tally tap may close: her absences still open.
const OPEN_ABSENCES: &str = "kind = 'absence' AND status <> 'closed'";

/// Reads the head of lane `lane` of the audit chain for a batch's first entry
/// (`lane::link`). An UPDATE that changes nothing, so that PostgreSQL locks the row until
/// the batch commits: the lane never forks, whatever else writes.
#[derive(QueryId)]
pub struct TakeLaneHead {
    pub lane: i32,
}

impl<DB: Backend> QueryFragment<DB> for TakeLaneHead
where
    i32: ToSql<Integer, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE audit_chain SET entries = entries WHERE id = ");
        out.push_bind_param::<Integer, _>(&self.lane)?;
        out.push_sql(" RETURNING last_hash");
        Ok(())
    }
}

impl Query for TakeLaneHead {
    type SqlType = Text;
}

impl<C> RunQueryDsl<C> for TakeLaneHead {}

/// Moves lane `lane`'s head to the newest entry a batch added, and counts its entries
/// (`lane::finish`).
#[derive(QueryId)]
pub struct MoveLaneHead {
    pub lane: i32,
    pub hash: String,
    pub added: i64,
}

impl<DB: Backend> QueryFragment<DB> for MoveLaneHead
where
    i32: ToSql<Integer, DB>,
    i64: ToSql<BigInt, DB>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE audit_chain SET last_hash = ");
        out.push_bind_param::<Text, _>(&self.hash)?;
        out.push_sql(", entries = entries + ");
        out.push_bind_param::<BigInt, _>(&self.added)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<Integer, _>(&self.lane)?;
        Ok(())
    }
}

impl<C> RunQueryDsl<C> for MoveLaneHead {}

/// Sets a client's `last_contact_at` to her latest contact and returns it, with whether
/// she has an absence follow-up open (so that the tap closes absences only when there is
/// one: most taps have none, and the UPDATE that finds nothing cost as much as this one),
/// and what else decides when her next absence falls due: her status, her own threshold,
/// her intake day and when her file was made. With `expected_due`, it also sets the moment
/// the caller expects her absence to fall due (the caller checks it against what this
/// returns, and sets it again in the rare case it was wrong): one UPDATE of her row per tap.
#[derive(QueryId)]
pub struct RefreshLastContact {
    pub client_id: i64,
    /// Whether to set `expected_due`.
    pub sets_due: bool,
    pub expected_due: Option<NaiveDateTime>,
}

impl<DB: Backend + HasSqlType<Bool>> QueryFragment<DB> for RefreshLastContact
where
    i64: ToSql<BigInt, DB>,
    bool: ToSql<Bool, DB>,
    Option<NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "UPDATE clients SET last_contact_at = \
             (SELECT max(seen_at) FROM contacts WHERE client_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql("), absence_due_at = CASE WHEN ");
        out.push_bind_param::<Bool, _>(&self.sets_due)?;
        out.push_sql(" THEN ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.expected_due)?;
        out.push_sql(" ELSE absence_due_at END WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(
            " RETURNING last_contact_at, EXISTS (SELECT 1 FROM followups WHERE client_id = ",
        );
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        out.push_sql(" AND ");
        out.push_sql(OPEN_ABSENCES);
        out.push_sql("), caseload_status, followup_threshold_days, intake_on, created_at, team_id");
        Ok(())
    }
}

impl Query for RefreshLastContact {
    type SqlType = (
        Nullable<Timestamp>,
        Bool,
        Text,
        Nullable<Integer>,
        Nullable<Date>,
        Timestamp,
        BigInt,
    );
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

/// Sets when a client's absence falls due (`None`: nothing due).
#[derive(QueryId)]
pub struct SetAbsenceDue {
    pub client_id: i64,
    pub due_at: Option<NaiveDateTime>,
}

impl<DB: Backend> QueryFragment<DB> for SetAbsenceDue
where
    i64: ToSql<BigInt, DB>,
    Option<NaiveDateTime>: ToSql<Nullable<Timestamp>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE clients SET absence_due_at = ");
        out.push_bind_param::<Nullable<Timestamp>, _>(&self.due_at)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.client_id)?;
        Ok(())
    }
}

impl<C> RunQueryDsl<C> for SetAbsenceDue {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::DateTime;
    use diesel::debug_query;
    use diesel::prelude::*;
    use diesel::sqlite::Sqlite;

    use super::*;
    use crate::db::schema::{audit_chain, clients, contacts, followups};
    use crate::domain::code::Code;
    use crate::domain::followup::{FollowupKind, FollowupStatus};

    /// The columns `schema.rs` gives a table, read from the SQL diesel writes for it.
    fn columns(select_all: String) -> BTreeSet<String> {
        select_all
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    /// The bare words of a statement, its quoted codes left out.
    fn words(sql: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let mut unquoted = String::new();
        let mut quoted = BTreeSet::new();
        for (i, part) in sql.split('\'').enumerate() {
            if i % 2 == 0 {
                unquoted.push_str(part);
                unquoted.push(' ');
            } else {
                quoted.insert(part.to_owned());
            }
        }
        let words = unquoted
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
            .collect();
        (words, quoted)
    }

    /// A renamed column or code in `schema.rs` or `domain` must fail here, not at the
    /// first tally tap: every word of the hand-written statements is SQL, a table, or a
    /// column `schema.rs` knows, and every quoted code is one the domain knows.
    #[test]
    fn the_hand_written_statements_name_only_what_the_schema_has() {
        let sql = [
            debug_query::<Sqlite, _>(&TakeLaneHead { lane: 1 }).to_string(),
            debug_query::<Sqlite, _>(&MoveLaneHead {
                lane: 1,
                hash: String::new(),
                added: 1,
            })
            .to_string(),
            debug_query::<Sqlite, _>(&RefreshLastContact {
                client_id: 1,
                sets_due: false,
                expected_due: None,
            })
            .to_string(),
            debug_query::<Sqlite, _>(&CloseAbsencesSeen {
                client_id: 1,
                seen_at: DateTime::UNIX_EPOCH.naive_utc(),
                by: 1,
                now: DateTime::UNIX_EPOCH.naive_utc(),
            })
            .to_string(),
        ];
        let mut known: BTreeSet<String> = [
            "UPDATE",
            "SET",
            "WHERE",
            "RETURNING",
            "SELECT",
            "FROM",
            "AND",
            "EXISTS",
            "CASE",
            "WHEN",
            "THEN",
            "ELSE",
            "END",
            "max",
        ]
        .map(str::to_owned)
        .into();
        known.extend(["audit_chain", "clients", "contacts", "followups"].map(str::to_owned));
        known.extend(columns(
            debug_query::<Sqlite, _>(&audit_chain::table.select(audit_chain::all_columns))
                .to_string(),
        ));
        known.extend(columns(
            debug_query::<Sqlite, _>(&clients::table.select(clients::all_columns)).to_string(),
        ));
        known.extend(columns(
            debug_query::<Sqlite, _>(&contacts::table.select(contacts::all_columns)).to_string(),
        ));
        known.extend(columns(
            debug_query::<Sqlite, _>(&followups::table.select(followups::all_columns)).to_string(),
        ));
        let codes: BTreeSet<String> = FollowupKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(FollowupStatus::ALL.iter().map(|s| s.as_str()))
            .chain(["seen"])
            .map(str::to_owned)
            .collect();
        for statement in &sql {
            // `debug_query` ends with the bound values as a comment.
            let statement = statement.split(" -- binds:").next().unwrap_or_default();
            let (words, quoted) = words(statement);
            let unknown: Vec<_> = words.difference(&known).collect();
            assert!(unknown.is_empty(), "{unknown:?} in {statement}");
            let unknown_codes: Vec<_> = quoted.difference(&codes).collect();
            assert!(unknown_codes.is_empty(), "{unknown_codes:?} in {statement}");
        }
        // The test reads what it means to: the columns the statements set are among them.
        assert!(known.contains("last_contact_at") && known.contains("absent_since"));
    }
}
