//! Stagnations: a stalled case escalated to the process director (`domain::stagnation`).
//! The coordinator or one of her casemanagers reports it; the process director answers or
//! closes it (`answers`). Who sees one: her team's coordinator and casemanagers, and the
//! process director, who serves the city, as she does escalated follow-ups: every open
//! stagnation, and a closed one for 30 days after (`escalation::visible_closed_after`); and
//! through one, the client's file. Peers and the municipality see nothing of them. Client
//! data: every read and step is audit-logged (`stagnation.*`).

pub mod answers;

use std::collections::{BTreeSet, HashMap};

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::notify::{Notice, Notifier};
use crate::db::DbConnection;
use crate::db::queries::followups;
use crate::db::queries::stagnations::{self, NewStagnation, StagnationEventRow, StagnationRow};
use crate::domain::code::Code;
use crate::domain::escalation;
use crate::domain::ids::ClientId;
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::domain::stagnation::{StagnationEvent, StagnationKind};
use crate::error::ApiError;
use crate::state::AppState;

/// A stagnation with its timeline, oldest step first.
pub struct Stagnation {
    pub row: StagnationRow,
    pub timeline: Vec<StagnationEventRow>,
}

/// Those who work with stagnations: the coordinator, casemanagers, the process director.
fn sees_stagnations(role: Role) -> bool {
    role.edits_clients() || role == Role::ProcessDirector
}

fn with_timelines(
    conn: &mut DbConnection,
    rows: Vec<StagnationRow>,
) -> diesel::QueryResult<Vec<Stagnation>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i64, Vec<StagnationEventRow>> = HashMap::new();
    for event in stagnations::timelines(conn, &ids)? {
        timelines
            .entry(event.stagnation_id)
            .or_default()
            .push(event);
    }
    Ok(rows
        .into_iter()
        .map(|row| Stagnation {
            timeline: timelines.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

pub(crate) fn reread(conn: &mut DbConnection, id: i64) -> Result<Stagnation, ApiError> {
    let row = stagnations::find(conn, id)?.ok_or(ApiError::NotFound)?;
    Ok(with_timelines(conn, vec![row])?.remove(0))
}

/// Queues one notice of a timeline step for each of `users`, once per step and person:
/// no alias, no reason, only a link to her page.
fn tell(
    conn: &mut DbConnection,
    notifier: &Notifier,
    users: &[i64],
    step: (i64, NotificationKind),
    client_id: i64,
) -> diesel::QueryResult<()> {
    for &user in users {
        let key = NotificationKey::Stagnation {
            event: step.0,
            user,
        };
        let notice = Notice {
            client_id: Some(client_id),
            urgent: step.1 == NotificationKind::StagnationReported,
            ..Notice::new(user, key, step.1)
        };
        notifier.queue(conn, &notice)?;
    }
    Ok(())
}

/// Reports a stalled case of `client` to the process director (the coordinator, or a
/// casemanager of hers). Every process director is told once, by push, without her alias.
pub async fn report(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    kind: StagnationKind,
    reason: String,
) -> Result<Stagnation, ApiError> {
    let zone = state.zone;
    let event = ("stagnation.create", Action::Create);
    access::change_of_client(state, who, client, event, move |conn, found, who, now| {
        if !who.role.coordinates()
            && !followups::casemanagers_on(conn, found.id, zone.local_date(now))?
                .contains(&who.user_id)
        {
            return Err(ApiError::denied(
                Event::on(event.0, event.1, found.id),
                ApiError::Forbidden(
                    "Only the coordinator or one of her casemanagers reports a stagnation.",
                ),
            ));
        }
        let id = stagnations::insert(
            conn,
            &NewStagnation {
                team_id: found.team_id,
                client_id: found.id,
                kind: kind.as_str(),
                reason: &reason,
                reported_by: who.user_id,
            },
            now,
        )?;
        let step = stagnations::add_event(
            conn,
            id,
            now,
            StagnationEvent::Reported,
            who.user_id,
            Some(&reason),
            None,
        )?;
        let notifier = Notifier::load(conn, now, zone)?;
        let directors = followups::users_with_role(conn, Role::ProcessDirector)?;
        let step = (step, NotificationKind::StagnationReported);
        tell(conn, &notifier, &directors, step, found.id)?;
        reread(conn, id)
    })
    .await
}

/// `client`'s stagnations, the latest first (her team's coordinator and casemanagers, the
/// process director who may see her).
pub async fn of_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<Stagnation>, ApiError> {
    who.require(sees_stagnations)?;
    access::read_of_client(state, who, client, "stagnation.read", move |conn| {
        let rows = stagnations::for_client(conn, client.get())?;
        Ok(with_timelines(conn, rows)?)
    })
    .await
}

/// One stagnation with its timeline, for whoever may see her file.
pub async fn one(state: &AppState, who: &Identity, id: i64) -> Result<Stagnation, ApiError> {
    who.require(sees_stagnations)?;
    let (reader, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let found = reread(conn, id)?;
            let event = Event::on("stagnation.read", Action::Read, found.row.client_id);
            access::client(conn, &reader, now, found.row.client_id, Need::Read, &event)?;
            audit::record(conn, &reader, now, &event, Outcome::Success)?;
            Ok(found)
        })
        .await
}

/// The stagnations a list shows: for the process director every team's she sees, for the
/// coordinator and casemanagers their team's; open ones, and those closed in the last 30
/// days. Not closed first, then the latest. Written as a search and as a read of each
/// client shown.
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<Stagnation>, ApiError> {
    who.require(sees_stagnations)?;
    let team = match who.role {
        Role::ProcessDirector => None,
        _ => Some(who.team()?),
    };
    let (reader, now) = (who.clone(), state.clock.now());
    let mut listed = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let rows = stagnations::listed(conn, team, escalation::visible_closed_after(now))?;
            let clients: BTreeSet<i64> = rows.iter().map(|r| r.client_id).collect();
            audit::record(
                conn,
                &reader,
                now,
                &Event::search("stagnation.list"),
                Outcome::Success,
            )?;
            for client in clients {
                let event = Event::on("stagnation.read", Action::Read, client);
                audit::record(conn, &reader, now, &event, Outcome::Success)?;
            }
            Ok(with_timelines(conn, rows)?)
        })
        .await?;
    // Stable: within each group the latest stays first.
    listed.sort_by_key(|s| s.row.closed_at.is_some());
    Ok(listed)
}
