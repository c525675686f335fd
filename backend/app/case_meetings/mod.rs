//! The case meeting (casusoverleg) of a team: the coordinator plans it with the partner
//! organisations taking part and keeps its agenda (`agenda`); during the meeting her
//! casemanagers and she record each item's discussion and the decisions taken
//! (`record`); the minutes print with client codes (`minutes`). A decision about a
//! client past its due date becomes a follow-up for its owner (the sweep's
//! `followups::meeting_decisions`). Only the team's coordinator and casemanagers see a
//! meeting; another team's is missing (404). Every read and change is audit-logged, with
//! an entry for each client a read shows.

pub mod agenda;
pub mod minutes;
pub mod record;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDateTime;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::case_meetings::{self as queries, DecisionRow, ItemRow, MeetingRow};
use crate::db::queries::partners;
use crate::domain::case_meeting::{plans_meetings, takes_part};
use crate::error::ApiError;
use crate::state::AppState;

/// A meeting with its partners (id, name) and its agenda.
pub struct Meeting {
    pub row: MeetingRow,
    pub partners: Vec<(i64, String)>,
    pub items: Vec<Item>,
}

/// An agenda item with the decisions taken on it, oldest first.
pub struct Item {
    pub row: ItemRow,
    pub decisions: Vec<DecisionRow>,
}

/// A meeting to plan: when (UTC), where, and the partners taking part.
pub struct NewMeetingInput {
    pub starts_at: NaiveDateTime,
    pub location: String,
    pub partner_ids: Vec<i64>,
}

fn about_no_client(name: &'static str, action: Action) -> Event {
    Event {
        name,
        action,
        client_id: None,
    }
}

/// The meeting `id` of the caller's team; another team's is missing, and the refusal is
/// in the trail as `event`.
pub(crate) fn meeting_of_team(
    conn: &mut DbConnection,
    who: &Identity,
    id: i64,
    event: Event,
) -> Result<MeetingRow, ApiError> {
    queries::find_in_team(conn, id, who.team()?)?
        .ok_or_else(|| ApiError::denied(event, ApiError::NotFound))
}

/// `row` with its partners and its items, each with its decisions.
pub(crate) fn load(conn: &mut DbConnection, row: MeetingRow) -> diesel::QueryResult<Meeting> {
    let partners = queries::partners_of(conn, &[row.id])?
        .into_iter()
        .map(|(_, id, name)| (id, name))
        .collect();
    let items = queries::items_of(conn, row.id)?;
    let items = with_decisions(conn, items)?;
    Ok(Meeting {
        row,
        partners,
        items,
    })
}

pub(crate) fn with_decisions(
    conn: &mut DbConnection,
    rows: Vec<ItemRow>,
) -> diesel::QueryResult<Vec<Item>> {
    let ids: Vec<i64> = rows.iter().map(|i| i.id).collect();
    let mut decisions: HashMap<i64, Vec<DecisionRow>> = HashMap::new();
    for decision in queries::decisions_of(conn, &ids)? {
        decisions
            .entry(decision.item_id)
            .or_default()
            .push(decision);
    }
    Ok(rows
        .into_iter()
        .map(|row| Item {
            decisions: decisions.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// The clients on an agenda, each once.
pub(crate) fn clients_on(items: &[Item]) -> BTreeSet<i64> {
    items.iter().filter_map(|i| i.row.client_id).collect()
}

/// Writes `event` as a read of each of `clients`.
pub(crate) fn record_reads(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    event: &'static str,
    clients: &BTreeSet<i64>,
) -> diesel::QueryResult<()> {
    for &client in clients {
        audit::record(
            conn,
            who,
            now,
            &Event::on(event, Action::Read, client),
            Outcome::Success,
        )?;
    }
    Ok(())
}

/// Plans a meeting of the coordinator's team. Every partner taking part is one the admin
/// keeps active (422 `unknown_partner`).
pub async fn plan(
    state: &AppState,
    who: &Identity,
    input: NewMeetingInput,
) -> Result<Meeting, ApiError> {
    who.require(plans_meetings)?;
    let team = who.team()?;
    let event = about_no_client("case_meeting.create", Action::Create);
    let now = state.clock.now();
    audit::write_logged(state, who, now, event, move |conn, who| {
        let mut partner_ids = input.partner_ids;
        partner_ids.sort_unstable();
        partner_ids.dedup();
        for &partner in &partner_ids {
            if !partners::find(conn, partner).is_ok_and(|p| p.active) {
                return Err(ApiError::invalid(
                    "unknown_partner",
                    "That partner organisation does not exist or is switched off.",
                ));
            }
        }
        let id = queries::insert(
            conn,
            &queries::NewMeeting {
                team_id: team,
                starts_at: input.starts_at,
                location: &input.location,
                partner_ids: &partner_ids,
                created_by: who.user_id,
            },
            now,
        )?;
        let row = meeting_of_team(conn, who, id, event)?;
        Ok(load(conn, row)?)
    })
    .await
}

/// The team's meetings, the latest first, with their partners (no agenda: it names
/// clients).
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<Meeting>, ApiError> {
    who.require(takes_part)?;
    let team = who.team()?;
    let event = Event::search("case_meeting.list");
    audit::read_logged(state, who, event, move |conn, _, _| {
        let rows = queries::of_team(conn, team)?;
        let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
        let mut partners: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
        for (meeting, id, name) in queries::partners_of(conn, &ids)? {
            partners.entry(meeting).or_default().push((id, name));
        }
        Ok(rows
            .into_iter()
            .map(|row| Meeting {
                partners: partners.remove(&row.id).unwrap_or_default(),
                items: Vec::new(),
                row,
            })
            .collect())
    })
    .await
}

/// One meeting with its agenda, summaries and decisions; a read of each client on it.
pub async fn one(state: &AppState, who: &Identity, id: i64) -> Result<Meeting, ApiError> {
    who.require(takes_part)?;
    let (reader, now) = (who.clone(), state.clock.now());
    let event = Event::search("case_meeting.read");
    state
        .db
        .write(move |conn| {
            let row = meeting_of_team(conn, &reader, id, event)?;
            let meeting = load(conn, row)?;
            audit::record(conn, &reader, now, &event, Outcome::Success)?;
            record_reads(
                conn,
                &reader,
                now,
                "case_meeting.read",
                &clients_on(&meeting.items),
            )?;
            Ok(meeting)
        })
        .await
}
