//! A client's registration for the zone as a history of events: recording one (also at
//! intake and on import, through `record`), reading her history, taking the latest one
//! back, and ending every registration of the team at once should the zone close. Her
//! registration fields are rewritten from her events in the same transaction.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::json;

use super::Identity;
use super::access;
use super::audit::{self, Action, Event as AuditEvent};
use crate::db::DbConnection;
use crate::db::queries::registration_events::{self as events, NewRegistrationEvent};
use crate::db::queries::registrations;
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::registration::{self, Current, Event, EventKind, Recorded, UndoRefusal};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// One event of her history as the team sees it.
pub struct HistoryEntry {
    pub id: i64,
    pub event: Event,
    /// Who recorded it; none for the events InBeeld wrote for registrations kept before.
    pub by_display_name: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
    /// The caller may take it back now (`registration::may_undo`).
    pub can_undo: bool,
}

/// Her registration events, oldest first.
pub(crate) fn stored_events(
    conn: &mut DbConnection,
    client_id: i64,
) -> Result<Vec<Event>, ApiError> {
    events::of_client(conn, client_id)?
        .into_iter()
        .map(|(row, _)| event_of(&row))
        .collect()
}

fn event_of(row: &events::RegistrationEventRow) -> Result<Event, ApiError> {
    Ok(Event {
        kind: EventKind::from_stored(&row.kind).map_err(ApiError::internal)?,
        on: row.occurred_on,
        number: row.number.clone(),
        expires_on: row.expires_on,
    })
}

/// Records one event for her after checking it against her history and `today`, and
/// rewrites her registration fields. Call it in the transaction of the change; returns
/// the event's id.
pub fn record(
    conn: &mut DbConnection,
    client_id: i64,
    event: Event,
    today: NaiveDate,
    recorded_by: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let mut history = stored_events(conn, client_id)?;
    let event = registration::check(event, today, &history)?;
    let id = events::insert(
        conn,
        &NewRegistrationEvent {
            client_id,
            kind: event.kind.as_str().to_owned(),
            occurred_on: event.on,
            number: event.number.clone(),
            expires_on: event.expires_on,
            recorded_by,
            recorded_at: now,
        },
    )?;
    history.push(event);
    events::cache(conn, client_id, &Current::after(&history), now)?;
    Ok(id)
}

/// Her history, newest first, with what `who` may take back at `now`.
fn history_of(
    conn: &mut DbConnection,
    client_id: i64,
    who: &Identity,
    now: NaiveDateTime,
    zone: crate::timezone::Zone,
) -> Result<Vec<HistoryEntry>, ApiError> {
    let rows = events::of_client(conn, client_id)?;
    let latest = rows.last().map(|(row, _)| row.id);
    let mut entries = rows
        .into_iter()
        .map(|(row, by_display_name)| {
            let recorded = Recorded {
                is_latest: Some(row.id) == latest,
                recorded_by: row.recorded_by,
                recorded_at: row.recorded_at,
            };
            let coordinator = who.role == Role::Coordinator;
            let can_undo = who.role.edits_clients()
                && registration::may_undo(&recorded, who.user_id, coordinator, now).is_ok();
            Ok(HistoryEntry {
                id: row.id,
                event: event_of(&row)?,
                by_display_name,
                recorded_at: zone.to_local(row.recorded_at),
                can_undo,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    entries.reverse();
    Ok(entries)
}

/// Records an event for her (coordinator, casemanager of her team); returns it.
pub async fn add(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event: Event,
) -> Result<HistoryEntry, ApiError> {
    let zone = state.zone;
    let change = ("client.registration_event.create", Action::Create);
    access::change_of_client(state, who, id, change, move |conn, _, who, now| {
        let event_id = record(
            conn,
            id.get(),
            event,
            zone.local_date(now),
            Some(who.user_id),
            now,
        )?;
        history_of(conn, id.get(), who, now, zone)?
            .into_iter()
            .find(|entry| entry.id == event_id)
            .ok_or(ApiError::NotFound)
    })
    .await
}

/// Her history, newest first; the read is audit-logged.
pub async fn history(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<Vec<HistoryEntry>, ApiError> {
    let (zone, now, reader) = (state.zone, state.clock.now(), who.clone());
    access::read_of_client(
        state,
        who,
        id,
        "client.registration_events.read",
        move |conn| history_of(conn, id.get(), &reader, now, zone),
    )
    .await
}

/// Takes back her latest event (its recorder or a coordinator, within a day of recording
/// it) and rewrites her registration fields from the events before it.
pub async fn undo(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event_id: i64,
) -> Result<(), ApiError> {
    let change = ("client.registration_event.delete", Action::Delete);
    access::change_of_client(state, who, id, change, move |conn, _, who, now| {
        let rows = events::of_client(conn, id.get())?;
        let at = rows
            .iter()
            .position(|(row, _)| row.id == event_id)
            .ok_or(ApiError::NotFound)?;
        let row = &rows[at].0;
        let recorded = Recorded {
            is_latest: at + 1 == rows.len(),
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        };
        let coordinator = who.role == Role::Coordinator;
        registration::may_undo(&recorded, who.user_id, coordinator, now).map_err(refusal)?;
        events::delete(conn, event_id)?;
        let before = rows[..at]
            .iter()
            .map(|(row, _)| event_of(row))
            .collect::<Result<Vec<_>, _>>()?;
        events::cache(conn, id.get(), &Current::after(&before), now)?;
        Ok(())
    })
    .await
}

fn refusal(refusal: UndoRefusal) -> ApiError {
    match refusal {
        UndoRefusal::NotLatest => ApiError::conflict(
            "not_latest",
            "Only her latest registration event can be taken back.",
        ),
        UndoRefusal::TooLate => ApiError::conflict(
            "too_late_to_undo",
            "An event can be taken back within 24 hours of recording it.",
        ),
        UndoRefusal::NotYours => {
            ApiError::Forbidden("Only who recorded this event, or a coordinator, can take it back.")
        }
    }
}

/// Ends the registration or application of every client of the coordinator's team on
/// `on`, in one transaction, if there are still `expected` of them (else 409
/// `count_changed` and nothing written); returns how many were ended.
pub async fn end_all(
    state: &AppState,
    who: &Identity,
    on: NaiveDate,
    expected: i64,
) -> Result<usize, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let (who, zone) = (who.clone(), state.zone);
    let now = state.clock.now();
    state
        .db
        .write(move |conn| {
            let current = registrations::for_team(conn, team)?;
            if i64::try_from(current.len()).ok() != Some(expected) {
                return Err(ApiError::conflict(
                    "count_changed",
                    format!(
                        "Nothing was ended: there are {} registrations and applications now, not {expected}.",
                        current.len()
                    ),
                ));
            }
            let today = zone.local_date(now);
            for registration in &current {
                let ended = Event {
                    kind: EventKind::Ended,
                    on,
                    number: None,
                    expires_on: None,
                };
                let client = registration.client_id;
                record(conn, client, ended, today, Some(who.user_id), now)?;
                let event = AuditEvent::on("client.registration_event.create", Action::Create, client);
                audit::record_change(conn, who.actor(), now, &event, &json!({"source": "end_all"}))?;
            }
            let event = AuditEvent::search("registration.end_all");
            audit::record_change(conn, who.actor(), now, &event, &json!({"ended": current.len()}))?;
            Ok(current.len())
        })
        .await
}
