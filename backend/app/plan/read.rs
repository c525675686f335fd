//! Reading her goals and their actions as the caller may see them: a peer worker sees
//! the open actions only.

use chrono::NaiveDate;

use crate::db::DbConnection;
use crate::db::queries::plan::{self as queries, GoalRow, ListedAction};
use crate::domain::code::Code;
use crate::domain::plan::{self, ActionStatus, GoalDomains, GoalStatus};
use crate::domain::role::Role;
use crate::error::ApiError;

/// One goal with its actions, by due date.
pub struct Goal {
    pub row: GoalRow,
    pub domains: GoalDomains,
    pub status: GoalStatus,
    pub actions: Vec<Action>,
}

/// One action with who does it, and whether it is past its due date unfinished.
pub struct Action {
    pub listed: ListedAction,
    pub status: ActionStatus,
    pub overdue: bool,
}

fn action_of(listed: ListedAction, today: NaiveDate) -> Result<Action, ApiError> {
    let status = ActionStatus::from_stored(&listed.row.status).map_err(ApiError::internal)?;
    Ok(Action {
        overdue: plan::is_overdue(status, listed.row.due_on, today),
        status,
        listed,
    })
}

/// Her goals, oldest first, each with the actions `role` may see.
pub fn goals_of(
    conn: &mut DbConnection,
    client_id: i64,
    role: Role,
    today: NaiveDate,
) -> Result<Vec<Goal>, ApiError> {
    goals_with(conn, client_id, role == Role::Peer, today)
}

fn goals_with(
    conn: &mut DbConnection,
    client_id: i64,
    open_actions_only: bool,
    today: NaiveDate,
) -> Result<Vec<Goal>, ApiError> {
    let mut actions = queries::actions_of_client(conn, client_id)?
        .into_iter()
        .map(|listed| action_of(listed, today))
        .collect::<Result<Vec<_>, _>>()?;
    if open_actions_only {
        actions.retain(|a| a.status == ActionStatus::Open);
    }
    queries::goals_of_client(conn, client_id)?
        .into_iter()
        .map(|row| {
            Ok(Goal {
                domains: GoalDomains::from_stored(&row.domains).map_err(ApiError::internal)?,
                status: GoalStatus::from_stored(&row.status).map_err(ApiError::internal)?,
                actions: actions
                    .extract_if(.., |a| a.listed.row.goal_id == row.id)
                    .collect(),
                row,
            })
        })
        .collect()
}

/// Her goal `goal_id` with all its actions, as who edits her file sees it.
pub fn goal(
    conn: &mut DbConnection,
    client_id: i64,
    goal_id: i64,
    today: NaiveDate,
) -> Result<Goal, ApiError> {
    goals_with(conn, client_id, false, today)?
        .into_iter()
        .find(|g| g.row.id == goal_id)
        .ok_or(ApiError::NotFound)
}

/// Her action `action_id`.
pub fn action(
    conn: &mut DbConnection,
    client_id: i64,
    action_id: i64,
    today: NaiveDate,
) -> Result<Action, ApiError> {
    let listed = queries::actions_of_client(conn, client_id)?
        .into_iter()
        .find(|a| a.row.id == action_id)
        .ok_or(ApiError::NotFound)?;
    action_of(listed, today)
}
