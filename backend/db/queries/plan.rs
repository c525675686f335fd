//! Her goals and the actions under them, and the keys a phone's outbox sent them with.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::plan_followups::refresh_actions;
use crate::db::DbConnection;
use crate::db::schema::{partners, plan_actions, plan_goals, plan_idempotency_keys, users};

#[derive(Insertable)]
#[diesel(table_name = plan_goals)]
pub struct NewGoal<'a> {
    pub client_id: i64,
    pub body: &'a str,
    pub domains: &'a str,
    pub status: &'static str,
    pub set_on: NaiveDate,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = plan_goals)]
pub struct GoalRow {
    pub id: i64,
    pub client_id: i64,
    pub body: String,
    pub domains: String,
    pub status: String,
    pub set_on: NaiveDate,
    pub status_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(AsChangeset)]
#[diesel(table_name = plan_goals)]
pub struct GoalChange {
    pub body: String,
    pub domains: String,
    pub status: &'static str,
    pub status_on: Option<NaiveDate>,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = plan_actions)]
pub struct NewAction<'a> {
    pub goal_id: i64,
    pub client_id: i64,
    pub what: &'a str,
    pub owner_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub partner_contact: Option<&'a str>,
    pub due_on: NaiveDate,
    pub status: &'static str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = plan_actions)]
pub struct ActionRow {
    pub id: i64,
    pub goal_id: i64,
    pub client_id: i64,
    pub what: String,
    pub owner_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub partner_contact: Option<String>,
    pub due_on: NaiveDate,
    pub status: String,
    pub status_on: Option<NaiveDate>,
}

/// An action's what, owner and due date, as changed. `treat_none_as_null`: a partner's
/// action that goes to one of the team loses its partner, and the other way round.
#[derive(AsChangeset)]
#[diesel(table_name = plan_actions, treat_none_as_null = true)]
pub struct ActionChange {
    pub what: String,
    pub owner_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub partner_contact: Option<String>,
    pub due_on: NaiveDate,
    pub updated_at: NaiveDateTime,
}

/// An action with the names of who does it: the team member's display name or the
/// partner organisation's name.
pub struct ListedAction {
    pub row: ActionRow,
    pub owner_name: Option<String>,
    pub partner_name: Option<String>,
}

pub fn insert_goal(conn: &mut DbConnection, goal: &NewGoal) -> QueryResult<i64> {
    diesel::insert_into(plan_goals::table)
        .values(goal)
        .returning(plan_goals::id)
        .get_result(conn)
}

pub fn change_goal(conn: &mut DbConnection, id: i64, change: &GoalChange) -> QueryResult<usize> {
    diesel::update(plan_goals::table.find(id))
        .set(change)
        .execute(conn)
}

/// Goal `id` if it is hers.
pub fn goal(conn: &mut DbConnection, client_id: i64, id: i64) -> QueryResult<Option<GoalRow>> {
    plan_goals::table
        .find(id)
        .filter(plan_goals::client_id.eq(client_id))
        .select(GoalRow::as_select())
        .first(conn)
        .optional()
}

/// Her goals, oldest first.
pub fn goals_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<GoalRow>> {
    plan_goals::table
        .filter(plan_goals::client_id.eq(client_id))
        .order(plan_goals::id.asc())
        .select(GoalRow::as_select())
        .load(conn)
}

/// Stores an action; when the sweep is to look at it is kept with it (as on every change).
pub fn insert_action(conn: &mut DbConnection, action: &NewAction) -> QueryResult<i64> {
    let id = diesel::insert_into(plan_actions::table)
        .values(action)
        .returning(plan_actions::id)
        .get_result(conn)?;
    refresh_actions(conn, Some(id), None)?;
    Ok(id)
}

pub fn change_action(
    conn: &mut DbConnection,
    id: i64,
    change: &ActionChange,
) -> QueryResult<usize> {
    let changed = diesel::update(plan_actions::table.find(id))
        .set(change)
        .execute(conn)?;
    refresh_actions(conn, Some(id), None)?;
    Ok(changed)
}

pub fn set_action_status(
    conn: &mut DbConnection,
    id: i64,
    status: &'static str,
    status_on: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let changed = diesel::update(plan_actions::table.find(id))
        .set((
            plan_actions::status.eq(status),
            plan_actions::status_on.eq(status_on),
            plan_actions::updated_at.eq(now),
        ))
        .execute(conn)?;
    refresh_actions(conn, Some(id), None)?;
    Ok(changed)
}

/// Action `id` if it is hers.
pub fn action(conn: &mut DbConnection, client_id: i64, id: i64) -> QueryResult<Option<ActionRow>> {
    plan_actions::table
        .find(id)
        .filter(plan_actions::client_id.eq(client_id))
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

/// Her actions, by due date, with who does each.
pub fn actions_of_client(
    conn: &mut DbConnection,
    client_id: i64,
) -> QueryResult<Vec<ListedAction>> {
    let rows: Vec<(ActionRow, Option<String>, Option<String>)> = plan_actions::table
        .left_join(users::table.on(plan_actions::owner_id.eq(users::id.nullable())))
        .left_join(partners::table)
        .filter(plan_actions::client_id.eq(client_id))
        .order((plan_actions::due_on.asc(), plan_actions::id.asc()))
        .select((
            ActionRow::as_select(),
            users::display_name.nullable(),
            partners::name.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, owner_name, partner_name)| ListedAction {
            row,
            owner_name,
            partner_name,
        })
        .collect())
}

/// What `user` wrote with `key` before: the request's hash, her client, the target kind
/// and its id.
pub fn idempotency_lookup(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<(String, i64, String, i64)>> {
    plan_idempotency_keys::table
        .filter(plan_idempotency_keys::user_id.eq(user_id))
        .filter(plan_idempotency_keys::idem_key.eq(key))
        .select((
            plan_idempotency_keys::request_hash,
            plan_idempotency_keys::client_id,
            plan_idempotency_keys::target,
            plan_idempotency_keys::target_id,
        ))
        .first(conn)
        .optional()
}

/// The key a write was sent with. A unique violation when a retry with the same key
/// committed first.
pub struct KeyUse<'a> {
    pub user_id: i64,
    pub key: &'a str,
    pub request_hash: &'a str,
    pub client_id: i64,
    pub target: &'static str,
    pub target_id: i64,
    pub now: NaiveDateTime,
}

pub fn idempotency_remember(conn: &mut DbConnection, used: &KeyUse) -> QueryResult<()> {
    diesel::insert_into(plan_idempotency_keys::table)
        .values((
            plan_idempotency_keys::user_id.eq(used.user_id),
            plan_idempotency_keys::idem_key.eq(used.key),
            plan_idempotency_keys::request_hash.eq(used.request_hash),
            plan_idempotency_keys::client_id.eq(used.client_id),
            plan_idempotency_keys::target.eq(used.target),
            plan_idempotency_keys::target_id.eq(used.target_id),
            plan_idempotency_keys::created_at.eq(used.now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes her goals, their actions and the keys they were sent with (her erasure).
pub fn delete_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<usize> {
    diesel::delete(
        plan_idempotency_keys::table.filter(plan_idempotency_keys::client_id.eq(client_id)),
    )
    .execute(conn)?;
    diesel::delete(plan_actions::table.filter(plan_actions::client_id.eq(client_id)))
        .execute(conn)?;
    diesel::delete(plan_goals::table.filter(plan_goals::client_id.eq(client_id))).execute(conn)
}
