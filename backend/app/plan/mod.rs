//! Her goals and the actions under them: set by her casemanagers and the coordinator,
//! read by everyone who may read her file. A peer worker sees her goals and their open
//! actions only. Client data: every read and change is audit-logged (`client.plan.read`,
//! `client.goal.create`, `client.goal.update`, `client.action.create`,
//! `client.action.update`). Every write may come from the phone's outbox with an
//! `Idempotency-Key` (`keyed`). Finishing an action closes the follow-up its due date
//! opened. Her plan's review date is in `review`.

pub mod figures;
mod keyed;
pub mod overview;
mod read;
pub mod review;

use chrono::NaiveDate;

pub use read::{Action, Goal};

use super::Identity;
use super::access;
use super::retry::Retry;
use crate::db::DbConnection;
use crate::db::queries::plan::{self as queries, ActionChange, GoalChange, NewAction, NewGoal};
use crate::db::queries::{partners, plan_followups, users};
use crate::domain::code::Code;
use crate::domain::followup::TimelineEvent;
use crate::domain::ids::ClientId;
use crate::domain::plan::{self, ActionOwner, ActionStatus, GoalDomains, GoalStatus};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// What a keyed write gave: something new, or with a key used before, what that key
/// wrote (a phone's retry whose answer was lost), as it is now.
pub enum Written<T> {
    New(T),
    Replay(T),
}

/// A goal to set: her words, the domains it is about, and the day she set it (today
/// when not given).
pub struct NewGoalInput {
    pub text: String,
    pub domains: GoalDomains,
    pub set_on: Option<NaiveDate>,
}

/// A change to a goal: each field given replaces the stored one.
pub struct GoalChangeInput {
    pub text: Option<String>,
    pub domains: Option<GoalDomains>,
    pub status: Option<GoalStatus>,
}

/// An action to add under a goal.
pub struct NewActionInput {
    pub what: String,
    pub owner: ActionOwner,
    pub due_on: NaiveDate,
}

/// A change to an action: each field given replaces the stored one.
pub struct ActionChangeInput {
    pub what: Option<String>,
    pub owner: Option<ActionOwner>,
    pub due_on: Option<NaiveDate>,
}

/// Her goals with their actions; the read is audit-logged.
pub async fn goals(state: &AppState, who: &Identity, id: ClientId) -> Result<Vec<Goal>, ApiError> {
    let (role, today) = (who.role, state.zone.local_date(state.clock.now()));
    access::read_of_client(state, who, id, "client.plan.read", move |conn| {
        read::goals_of(conn, id.get(), role, today)
    })
    .await
}

/// Sets a goal for her (coordinator, casemanager of her team).
pub async fn add_goal(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    goal: NewGoalInput,
    retry: Option<Retry>,
) -> Result<Written<Goal>, ApiError> {
    let zone = state.zone;
    keyed::write(
        state,
        who,
        id,
        keyed::GOAL,
        retry,
        move |conn, _, who, now| {
            let today = zone.local_date(now);
            let set_on = goal.set_on.unwrap_or(today);
            if set_on > today {
                return Err(ApiError::invalid(
                    "date_in_future",
                    "The day lies in the future: record what has happened.",
                ));
            }
            Ok(queries::insert_goal(
                conn,
                &NewGoal {
                    client_id: id.get(),
                    body: &goal.text,
                    domains: &goal.domains.to_stored(),
                    status: GoalStatus::Open.as_str(),
                    set_on,
                    created_by: Some(who.user_id),
                    created_at: now,
                    updated_at: now,
                },
            )?)
        },
    )
    .await
}

/// Changes a goal's words, domains or status (coordinator, casemanager of her team).
pub async fn change_goal(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    goal_id: i64,
    change: GoalChangeInput,
    retry: Option<Retry>,
) -> Result<Written<Goal>, ApiError> {
    let zone = state.zone;
    keyed::write(
        state,
        who,
        id,
        keyed::GOAL_CHANGE,
        retry,
        move |conn, _, _, now| {
            let stored = queries::goal(conn, id.get(), goal_id)?.ok_or(ApiError::NotFound)?;
            let before = GoalStatus::from_stored(&stored.status).map_err(ApiError::internal)?;
            let status = change.status.unwrap_or(before);
            let status_on = plan::status_on(
                before == GoalStatus::Open,
                status == GoalStatus::Open,
                stored.status_on,
                zone.local_date(now),
            );
            queries::change_goal(
                conn,
                goal_id,
                &GoalChange {
                    body: change.text.unwrap_or(stored.body),
                    domains: match change.domains {
                        Some(domains) => domains.to_stored(),
                        None => stored.domains,
                    },
                    status: status.as_str(),
                    status_on,
                    updated_at: now,
                },
            )?;
            Ok(goal_id)
        },
    )
    .await
}

/// Adds an action under one of her goals (coordinator, casemanager of her team). Its
/// owner is a casemanager or the coordinator of her team, or an active partner.
pub async fn add_action(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    goal_id: i64,
    action: NewActionInput,
    retry: Option<Retry>,
) -> Result<Written<Action>, ApiError> {
    keyed::write(
        state,
        who,
        id,
        keyed::ACTION,
        retry,
        move |conn, client, who, now| {
            queries::goal(conn, id.get(), goal_id)?.ok_or(ApiError::NotFound)?;
            check_owner(conn, client.team_id, &action.owner)?;
            let (owner_id, partner_id, contact) = match &action.owner {
                ActionOwner::Member(user) => (Some(*user), None, None),
                ActionOwner::Partner {
                    partner_id,
                    contact,
                } => (None, Some(*partner_id), Some(contact.as_str())),
            };
            Ok(queries::insert_action(
                conn,
                &NewAction {
                    goal_id,
                    client_id: id.get(),
                    what: &action.what,
                    owner_id,
                    partner_id,
                    partner_contact: contact,
                    due_on: action.due_on,
                    status: ActionStatus::Open.as_str(),
                    created_by: Some(who.user_id),
                    created_at: now,
                    updated_at: now,
                },
            )?)
        },
    )
    .await
}

/// Marks one of her actions open, done or dropped (coordinator, casemanager of her team).
pub async fn set_action_status(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    action_id: i64,
    status: ActionStatus,
    retry: Option<Retry>,
) -> Result<Written<Action>, ApiError> {
    let zone = state.zone;
    keyed::write(
        state,
        who,
        id,
        keyed::ACTION_STATUS,
        retry,
        move |conn, _, who, now| {
            let stored = queries::action(conn, id.get(), action_id)?.ok_or(ApiError::NotFound)?;
            let before = ActionStatus::from_stored(&stored.status).map_err(ApiError::internal)?;
            let status_on = plan::status_on(
                before == ActionStatus::Open,
                status == ActionStatus::Open,
                stored.status_on.filter(|_| before == status),
                zone.local_date(now),
            );
            queries::set_action_status(conn, action_id, status.as_str(), status_on, now)?;
            if status != ActionStatus::Open {
                let finished = TimelineEvent::ClosedActionFinished;
                plan_followups::close_for_action(
                    conn,
                    id.get(),
                    action_id,
                    who.user_id,
                    now,
                    finished,
                )?;
            }
            Ok(action_id)
        },
    )
    .await
}

/// Changes what an action is, who does it or its due date (coordinator, casemanager of
/// her team). A follow-up its old due date raised is closed when the day moves (the new
/// day raises one once it has passed) and goes to the new owner when the owner changes.
pub async fn change_action(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    action_id: i64,
    change: ActionChangeInput,
    retry: Option<Retry>,
) -> Result<Written<Action>, ApiError> {
    keyed::write(
        state,
        who,
        id,
        keyed::ACTION_CHANGE,
        retry,
        move |conn, client, who, now| {
            let stored = queries::action(conn, id.get(), action_id)?.ok_or(ApiError::NotFound)?;
            let (owner_id, partner_id, partner_contact) = match change.owner {
                Some(owner) => {
                    check_owner(conn, client.team_id, &owner)?;
                    match owner {
                        ActionOwner::Member(user) => (Some(user), None, None),
                        ActionOwner::Partner {
                            partner_id,
                            contact,
                        } => (None, Some(partner_id), Some(contact)),
                    }
                }
                None => (stored.owner_id, stored.partner_id, stored.partner_contact),
            };
            let due_on = change.due_on.unwrap_or(stored.due_on);
            queries::change_action(
                conn,
                action_id,
                &ActionChange {
                    what: change.what.unwrap_or(stored.what),
                    owner_id,
                    partner_id,
                    partner_contact,
                    due_on,
                    updated_at: now,
                },
            )?;
            if due_on != stored.due_on {
                let moved = TimelineEvent::ClosedActionRescheduled;
                plan_followups::close_for_action(
                    conn,
                    id.get(),
                    action_id,
                    who.user_id,
                    now,
                    moved,
                )?;
            } else if owner_id != stored.owner_id {
                plan_followups::reassign_for_action(conn, id.get(), action_id, owner_id)?;
            }
            Ok(action_id)
        },
    )
    .await
}

/// Whoever carries out an action or a case meeting's decision: a team member is an active
/// casemanager or coordinator of the team (hers); a partner is one the admin keeps active.
pub(crate) fn check_owner(
    conn: &mut DbConnection,
    team_id: i64,
    owner: &ActionOwner,
) -> Result<(), ApiError> {
    match owner {
        ActionOwner::Member(user) => {
            let member = users::find(conn, *user).ok().filter(|u| {
                u.active
                    && u.team_id == Some(team_id)
                    && Role::from_code(&u.role).is_some_and(Role::edits_clients)
            });
            if member.is_none() {
                return Err(ApiError::invalid(
                    "owner_not_in_team",
                    "Whoever carries it out is a casemanager or coordinator of the team.",
                ));
            }
        }
        ActionOwner::Partner { partner_id, .. } => {
            if !partners::find(conn, *partner_id).is_ok_and(|p| p.active) {
                return Err(ApiError::invalid(
                    "unknown_partner",
                    "That partner organisation does not exist or is switched off.",
                ));
            }
        }
    }
    Ok(())
}
