//! Teams (the admin creates and renames them; the admin and coordinators list them) and
//! the care organisations accounts can belong to. A new or renamed team is an audit entry:
//! it is where accounts get their need-to-know.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::Identity;
use crate::app::audit::{self, Action, Actor, Event};
use crate::db::queries::teams::{self, TeamRow};
use crate::db::{Db, DbConnection};
use crate::domain::ids::TeamId;
use crate::domain::role::Role;
use crate::domain::text;
use crate::error::ApiError;
use crate::state::AppState;

/// Teams (admin and coordinators).
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<TeamRow>, ApiError> {
    who.require(|r| matches!(r, Role::Admin | Role::Coordinator))?;
    state
        .db
        .read(|conn| Ok::<_, ApiError>(teams::list(conn)?))
        .await
}

/// Creates team `name` (checked already) with the audit entry `team.create` by `by`;
/// returns its id. Inside the caller's write; a unique violation when the name is taken.
pub fn insert(
    conn: &mut DbConnection,
    name: &str,
    by: Actor,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let id = teams::create(conn, name, now)
        .map_err(|e| super::taken(e, "team_exists", "A team with that name exists already."))?;
    let event = Event::account("team.create", Action::Create);
    audit::record_change(conn, by, now, &event, &json!({"team": id, "name": name}))?;
    Ok(id)
}

/// Creates a team, e.g. "Stapteam Nijmegen" (admin); returns its id and name.
pub async fn create(
    state: &AppState,
    who: &Identity,
    name: &str,
) -> Result<(i64, String), ApiError> {
    who.require(|r| r == Role::Admin)?;
    let name = text::bounded("name", name, 80)?;
    let (now, by) = (state.clock.now(), who.clone());
    state
        .db
        .write(move |conn| Ok::<_, ApiError>((insert(conn, &name, by.actor(), now)?, name)))
        .await
}

/// Renames team `id` (admin); returns its id and new name. 409 when another team has it.
pub async fn rename(
    state: &AppState,
    who: &Identity,
    id: TeamId,
    name: &str,
) -> Result<(i64, String), ApiError> {
    who.require(|r| r == Role::Admin)?;
    let name = text::bounded("name", name, 80)?;
    let (event, id) = (Event::account("team.change", Action::Update), id.get());
    audit::change_logged(state, who, event, move |conn, _| {
        teams::find(conn, id)?;
        teams::rename(conn, id, &name)
            .map_err(|e| super::taken(e, "team_exists", "A team with that name exists already."))?;
        let detail = json!({"team": id, "name": name});
        Ok(((id, name), detail))
    })
    .await
}

/// The team called `name`, created (as the command line's) if there is none; returns its
/// id and whether it was created. Blocks, for the command line.
pub fn find_or_create_blocking(
    db: &Db,
    name: &str,
    now: NaiveDateTime,
) -> Result<(i64, bool), ApiError> {
    let name = text::bounded("team", name, 80)?;
    db.write_blocking(move |conn| match teams::find_by_name(conn, &name)? {
        Some(found) => Ok((found.id, false)),
        None => Ok((insert(conn, &name, Actor::COMMAND_LINE, now)?, true)),
    })
}

/// The care organisations and partners accounts can belong to: (id, name).
pub async fn organisations(state: &AppState) -> Result<Vec<(i64, String)>, ApiError> {
    state
        .db
        .read(|conn| Ok::<_, ApiError>(teams::organisations(conn)?))
        .await
}

/// Whether the peer workers of `who`'s team may read scores and their notes (the team's
/// coordinator, casemanagers and peers).
pub async fn peers_see_scores(state: &AppState, who: &Identity) -> Result<bool, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(teams::peers_see_scores(conn, team)?))
        .await
}

/// Lets the team's peer workers read scores and their notes, or not (the coordinator of
/// the team; the change is an audit entry).
pub async fn set_peers_see_scores(
    state: &AppState,
    who: &Identity,
    on: bool,
) -> Result<bool, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let event = Event::account("team.plan_access.change", Action::Update);
    audit::change_logged(state, who, event, move |conn, _| {
        teams::set_peers_see_scores(conn, team, on)?;
        Ok((on, json!({"team": team, "peers_see_scores": on})))
    })
    .await
}
