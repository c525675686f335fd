//! A client's casemanagers (assignments with from/until dates, so that a handover can
//! overlap) and her audit trail as the coordinator reads it.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::OptionalExtension;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event};
use crate::db::DbConnection;
use crate::db::queries::audit::{self as trail, EntryRow};
use crate::db::queries::clients::{self, AssignmentRow};
use crate::db::queries::users;
use crate::domain::code::Code;
use crate::domain::ids::{ClientId, UserId};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The client's casemanagers, past, present and planned.
pub async fn list(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<AssignmentRow>, ApiError> {
    access::query_of_client(
        state,
        who,
        client,
        "client.casemanagers.read",
        clients::assignments,
    )
    .await
}

/// A casemanager to assign, for a period (already checked to run forward).
pub struct NewAssignment {
    pub user: UserId,
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
}

/// Assigns an active casemanager or coordinator of the client's team.
pub async fn assign(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    new: NewAssignment,
) -> Result<AssignmentRow, ApiError> {
    let id = client.get();
    let event = ("client.casemanagers.assign", Action::Update);
    access::change_of_client(state, who, client, event, move |conn, client, _, now| {
        check_eligible(conn, new.user.get(), client.team_id)?;
        let assignment = clients::assign(conn, id, new.user.get(), new.from_on, new.until_on, now)?;
        clients::find_assignment(conn, id, assignment)?.ok_or(ApiError::NotFound)
    })
    .await
}

/// Refuses anyone but an active casemanager or coordinator of `team` as a casemanager.
pub fn check_eligible(conn: &mut DbConnection, user: i64, team: i64) -> Result<(), ApiError> {
    let assignee = users::find(conn, user).optional()?;
    let eligible = assignee.is_some_and(|u| {
        u.active
            && u.team_id == Some(team)
            && matches!(
                Role::from_code(&u.role),
                Some(Role::Casemanager | Role::Coordinator)
            )
    });
    if eligible {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "not_a_casemanager",
            "Only an active casemanager or coordinator of the client's team can be her casemanager.",
        ))
    }
}

/// Sets the last day of an assignment (the end of a warm handover).
pub async fn end(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    assignment_id: i64,
    until_on: NaiveDate,
) -> Result<AssignmentRow, ApiError> {
    let id = client.get();
    let event = ("client.casemanagers.end", Action::Update);
    access::change_of_client(state, who, client, event, move |conn, _, _, _| {
        let current =
            clients::find_assignment(conn, id, assignment_id)?.ok_or(ApiError::NotFound)?;
        if until_on < current.from_on {
            return Err(ApiError::invalid(
                "validation_failed",
                "until_on lies before the start of the assignment.",
            ));
        }
        clients::end_assignment(conn, assignment_id, until_on)?;
        clients::find_assignment(conn, id, assignment_id)?.ok_or(ApiError::NotFound)
    })
    .await
}

/// One entry of a client's audit trail, with the display name of who acted.
pub struct TrailEntry {
    pub entry: EntryRow,
    pub display_name: Option<String>,
}

/// Who accessed the client's file, oldest first (the coordinator only). The reading is
/// written to the trail before the trail is read, so it shows as its last entry.
pub async fn audit_trail(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<TrailEntry>, ApiError> {
    let now = state.clock.now();
    let id = client.get();
    let event = Event::on("client.audit.read", Action::Read, id);
    let reader = who.clone();
    state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            if !reader.role.coordinates() {
                return Err(ApiError::denied(
                    event,
                    ApiError::Forbidden("Only the coordinator reads a client's audit trail."),
                ));
            }
            access::client(conn, &reader, now, id, Need::Read, &event)?;
            Ok(())
        })
        .await?;
    audit::record_read(state, who.clone(), now, event).await?;
    state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let rows = trail::for_client(conn, id)?;
            let names: HashMap<i64, String> = users::list(conn, None)?
                .into_iter()
                .map(|u| (u.id, u.display_name))
                .collect();
            Ok(rows
                .into_iter()
                .map(|entry| TrailEntry {
                    display_name: entry.user_id.and_then(|u| names.get(&u).cloned()),
                    entry,
                })
                .collect())
        })
        .await
}
