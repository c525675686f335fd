//! Follow-ups escalated to the process director, and the clients they let her see.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::followups::{EventRow, FollowupRow};
use crate::db::schema::{clients, followup_events, followups};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::followup::EscalationLevel;

/// Follow-ups at the director's level that she still sees: unclosed, or closed after
/// `closed_after`.
fn seen_by_director<'a>(closed_after: NaiveDateTime) -> followups::BoxedQuery<'a, MultiBackend> {
    followups::table
        .filter(followups::escalation_level.ge(EscalationLevel::ProcessDirector.stored()))
        .filter(
            followups::status
                .ne("closed")
                .or(followups::closed_at.ge(closed_after)),
        )
        .into_boxed()
}

/// The clients the process director may see: each has a follow-up escalated to her.
pub fn director_client_ids(
    conn: &mut DbConnection,
    closed_after: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    seen_by_director(closed_after)
        .select(followups::client_id)
        .distinct()
        .load(conn)
}

/// True when the director may see this client.
pub fn visible_to_director(
    conn: &mut DbConnection,
    client_id: i64,
    closed_after: NaiveDateTime,
) -> QueryResult<bool> {
    let found: Option<i64> = seen_by_director(closed_after)
        .filter(followups::client_id.eq(client_id))
        .select(followups::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// An escalated follow-up with its client's alias and code.
pub struct Escalated {
    pub followup: FollowupRow,
    pub alias: String,
    pub code: String,
}

/// The escalated follow-ups the director sees, of one team only when `team` is given.
pub fn list(
    conn: &mut DbConnection,
    team: Option<i64>,
    closed_after: NaiveDateTime,
) -> QueryResult<Vec<Escalated>> {
    let mut query = seen_by_director(closed_after);
    if let Some(team) = team {
        query = query.filter(followups::team_id.eq(team));
    }
    let rows: Vec<FollowupRow> = query.select(FollowupRow::as_select()).load(conn)?;
    let client_ids: Vec<i64> = rows.iter().map(|f| f.client_id).collect();
    let names: std::collections::HashMap<i64, (String, String)> = clients::table
        .filter(clients::id.eq_any(&client_ids))
        .select((clients::id, clients::alias, clients::code))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, alias, code)| (id, (alias, code)))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|followup| {
            let (alias, code) = names.get(&followup.client_id)?.clone();
            Some(Escalated {
                followup,
                alias,
                code,
            })
        })
        .collect())
}

/// The timelines of several follow-ups at once, in order per follow-up.
pub fn timelines(conn: &mut DbConnection, followup_ids: &[i64]) -> QueryResult<Vec<EventRow>> {
    followup_events::table
        .filter(followup_events::followup_id.eq_any(followup_ids))
        .order((
            followup_events::followup_id,
            followup_events::occurred_at,
            followup_events::id,
        ))
        .select(EventRow::as_select())
        .load(conn)
}
