//! Stagnations and their timelines, and the clients they let the process director see.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{clients, stagnation_events, stagnations};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::code::Code;
use crate::domain::stagnation::{AgreedAction, StagnationEvent, StagnationStatus};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = stagnations)]
pub struct StagnationRow {
    pub id: i64,
    pub team_id: i64,
    pub client_id: i64,
    #[diesel(select_expression = clients::alias)]
    pub alias: String,
    #[diesel(select_expression = clients::top15)]
    pub top15: bool,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub reported_by: i64,
    pub reported_at: NaiveDateTime,
    pub agreed_action: Option<String>,
    pub action_owner: Option<String>,
    pub action_due_on: Option<NaiveDate>,
    pub answered_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = stagnation_events)]
pub struct StagnationEventRow {
    pub id: i64,
    pub stagnation_id: i64,
    pub occurred_at: NaiveDateTime,
    pub event: String,
    pub user_id: Option<i64>,
    pub detail: Option<String>,
    pub action_owner: Option<String>,
    pub action_due_on: Option<NaiveDate>,
}

/// Stagnations the process director still sees: not closed, or closed after
/// `closed_after`.
fn seen_by_director<'a>(closed_after: NaiveDateTime) -> stagnations::BoxedQuery<'a, MultiBackend> {
    stagnations::table
        .filter(
            stagnations::status
                .ne(StagnationStatus::Closed.as_str())
                .or(stagnations::closed_at.ge(closed_after)),
        )
        .into_boxed()
}

/// The clients a stagnation lets the process director see.
pub fn director_client_ids(
    conn: &mut DbConnection,
    closed_after: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    seen_by_director(closed_after)
        .select(stagnations::client_id)
        .distinct()
        .load(conn)
}

/// True when a stagnation lets the process director see this client.
pub fn visible_to_director(
    conn: &mut DbConnection,
    client_id: i64,
    closed_after: NaiveDateTime,
) -> QueryResult<bool> {
    let found: Option<i64> = seen_by_director(closed_after)
        .filter(stagnations::client_id.eq(client_id))
        .select(stagnations::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

pub struct NewStagnation<'a> {
    pub team_id: i64,
    pub client_id: i64,
    pub kind: &'a str,
    pub reason: &'a str,
    pub reported_by: i64,
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewStagnation,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(stagnations::table)
        .values((
            stagnations::team_id.eq(new.team_id),
            stagnations::client_id.eq(new.client_id),
            stagnations::kind.eq(new.kind),
            stagnations::reason.eq(new.reason),
            stagnations::status.eq(StagnationStatus::Open.as_str()),
            stagnations::reported_by.eq(new.reported_by),
            stagnations::reported_at.eq(now),
        ))
        .returning(stagnations::id)
        .get_result(conn)
}

/// One step on the timeline; returns its id.
pub fn add_event(
    conn: &mut DbConnection,
    stagnation_id: i64,
    at: NaiveDateTime,
    event: StagnationEvent,
    user_id: i64,
    detail: Option<&str>,
    action: Option<&AgreedAction>,
) -> QueryResult<i64> {
    diesel::insert_into(stagnation_events::table)
        .values((
            stagnation_events::stagnation_id.eq(stagnation_id),
            stagnation_events::occurred_at.eq(at),
            stagnation_events::event.eq(event.as_str()),
            stagnation_events::user_id.eq(user_id),
            stagnation_events::detail.eq(detail),
            stagnation_events::action_owner.eq(action.map(|a| a.owner.as_str())),
            stagnation_events::action_due_on.eq(action.map(|a| a.due_on)),
        ))
        .returning(stagnation_events::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<StagnationRow>> {
    stagnations::table
        .inner_join(clients::table)
        .filter(stagnations::id.eq(id))
        .select(StagnationRow::as_select())
        .first(conn)
        .optional()
}

/// Her stagnations, the latest first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<StagnationRow>> {
    stagnations::table
        .inner_join(clients::table)
        .filter(stagnations::client_id.eq(client_id))
        .order((stagnations::reported_at.desc(), stagnations::id.desc()))
        .select(StagnationRow::as_select())
        .load(conn)
}

/// The stagnations a list shows: one team's (`Some`), or every team's the process director
/// sees; not closed, or closed after `closed_after`. The latest first.
pub fn listed(
    conn: &mut DbConnection,
    team: Option<i64>,
    closed_after: NaiveDateTime,
) -> QueryResult<Vec<StagnationRow>> {
    let ids: Vec<i64> = seen_by_director(closed_after)
        .select(stagnations::id)
        .load(conn)?;
    let mut query = stagnations::table
        .inner_join(clients::table)
        .filter(stagnations::id.eq_any(ids))
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(stagnations::team_id.eq(team));
    }
    query
        .order((stagnations::reported_at.desc(), stagnations::id.desc()))
        .select(StagnationRow::as_select())
        .load(conn)
}

/// The timelines of `ids`, in order per stagnation.
pub fn timelines(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<StagnationEventRow>> {
    stagnation_events::table
        .filter(stagnation_events::stagnation_id.eq_any(ids))
        .order((
            stagnation_events::stagnation_id,
            stagnation_events::occurred_at,
            stagnation_events::id,
        ))
        .select(StagnationEventRow::as_select())
        .load(conn)
}

/// Records the agreed action on a stagnation not closed; false when it was closed meanwhile.
pub fn answer(
    conn: &mut DbConnection,
    id: i64,
    action: &AgreedAction,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        stagnations::table
            .filter(stagnations::id.eq(id))
            .filter(stagnations::status.ne(StagnationStatus::Closed.as_str())),
    )
    .set((
        stagnations::status.eq(StagnationStatus::Answered.as_str()),
        stagnations::agreed_action.eq(&action.action),
        stagnations::action_owner.eq(&action.owner),
        stagnations::action_due_on.eq(action.due_on),
        stagnations::answered_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Closes a stagnation with its outcome; false when it was closed already.
pub fn close(
    conn: &mut DbConnection,
    id: i64,
    outcome: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        stagnations::table
            .filter(stagnations::id.eq(id))
            .filter(stagnations::status.ne(StagnationStatus::Closed.as_str())),
    )
    .set((
        stagnations::status.eq(StagnationStatus::Closed.as_str()),
        stagnations::outcome.eq(outcome),
        stagnations::closed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Erasure: her stagnations keep their kind, status and dates, to be counted; the reason,
/// the agreed actions and the outcome, which describe her, are emptied. Returns how many.
pub fn erase_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<usize> {
    let ids: Vec<i64> = stagnations::table
        .filter(stagnations::client_id.eq(client_id))
        .select(stagnations::id)
        .load(conn)?;
    diesel::update(stagnation_events::table.filter(stagnation_events::stagnation_id.eq_any(&ids)))
        .set((
            stagnation_events::detail.eq(None::<String>),
            stagnation_events::action_owner.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(stagnations::table.filter(stagnations::id.eq_any(&ids)))
        .set((
            stagnations::reason.eq(""),
            stagnations::agreed_action.eq(None::<String>),
            stagnations::action_owner.eq(None::<String>),
            stagnations::outcome.eq(None::<String>),
        ))
        .execute(conn)
}
