//! Contacts (visits): recording a tally tap, safe to retry with an idempotency key;
//! correcting or deleting one by its recorder within the correction window; the lists per
//! client and per shift. Every change keeps her `last_contact_at` and absence follow-ups
//! in step (`followups::contact_changed`) in the same transaction.

use chrono::{NaiveDateTime, TimeDelta};

use super::access::{self, Need};
use super::audit::{self, Action, Event, Outcome};
use super::followups::absence;
use super::retry::{self, KEY_RACE, Retry};
use super::{Identity, followups, locations};
use crate::db::DbConnection;
use crate::db::queries::contacts::{self, ContactChanges, ContactRow, NewContact};
use crate::db::queries::{clients, shifts};
use crate::domain::caseload::{AbsenceRules, ExpectedDue};
use crate::domain::code::Code;
use crate::domain::contact::{ContactKind, Service, services_to_stored};
use crate::domain::ids::{ClientId, ContactId, LocationId, ShiftId};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// A contact as the recorder gave it, checked against everything that needs no database.
pub struct Tap {
    /// The woman seen; `None` for anonymous visitors.
    pub client: Option<ClientId>,
    /// 1 for a named contact, the number of visitors for an anonymous count.
    pub visitor_count: i32,
    /// Defaults to the shift's location.
    pub location: Option<LocationId>,
    pub shift: Option<ShiftId>,
    pub seen_at: NaiveDateTime,
    pub kind: ContactKind,
    pub services: Vec<Service>,
    pub note: Option<String>,
}

/// Outcome of recording: a new contact, or the replay of an earlier one with the same key.
pub enum Recorded {
    New(ContactRow),
    Replay(ContactRow),
}

/// Records a tap. The checks read on a reading connection, then the write is committed
/// with others; a retry with a key used before records nothing and gets the original.
pub async fn record(
    state: &AppState,
    who: &Identity,
    tap: Tap,
    retry: Option<Retry>,
) -> Result<Recorded, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let now = state.clock.now();
    let rules = state.absence_rules();
    let (reader, read_retry) = (who.clone(), retry.clone());
    let checked = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            // A key used before is found by the write, whose insert of it then fails (most
            // taps are sent once: no read of the key for them). A tap refused here may be
            // the retry of one recorded before its file changed: it gets what was recorded.
            match checked_contact(conn, &reader, team, now, tap, &rules) {
                Ok(checked) => Ok(Ok(checked)),
                Err(refused) => match &read_retry {
                    Some(retry) => replay(conn, &reader, retry)?.map(Err).ok_or(refused),
                    None => Err(refused),
                },
            }
        })
        .await?;
    let (new, expected_due) = match checked {
        Err(replayed) => return Ok(replayed),
        Ok(checked) => checked,
    };
    let (writer, write_retry) = (who.clone(), retry.clone());
    let client = new.client_id;
    let write = move |conn: &mut DbConnection| {
        let retry = write_retry.as_ref();
        insert(conn, &writer, &new, retry, now, &rules, expected_due)
    };
    let written = match client {
        Some(client) => state.db.write_for(client, write).await,
        None => state.db.write(write).await,
    };
    match (written, retry) {
        (Ok(row), _) => Ok(Recorded::New(row)),
        // The key was used before, or by a concurrent request that committed first:
        // answer as that one was answered.
        (Err(ApiError::Conflict { code: KEY_RACE, .. }), Some(retry)) => {
            let who = who.clone();
            state
                .db
                .read(move |conn| replay(conn, &who, &retry))
                .await?
                .ok_or_else(|| ApiError::internal(anyhow::anyhow!("lost idempotency race")))
        }
        (Err(e), _) => Err(e),
    }
}

/// The write of a new contact: the row, its idempotency record, her `last_contact_at`
/// and follow-ups (with the absence moment expected from what was read of her), and the
/// audit entry.
fn insert(
    conn: &mut DbConnection,
    who: &Identity,
    new: &NewContact,
    retry: Option<&Retry>,
    now: NaiveDateTime,
    rules: &AbsenceRules,
    expected_due: ExpectedDue,
) -> Result<ContactRow, ApiError> {
    let row = contacts::insert(conn, new)?;
    if let Some(retry) = retry {
        retry::remembered(contacts::idempotency_remember(
            conn,
            who.user_id,
            &retry.key,
            &retry.request_hash,
            row.id,
            now,
        ))?;
    }
    if let Some(client) = new.client_id {
        let event = Event::on("contact.create", Action::Create, client);
        followups::contact_changed(conn, client, who.user_id, now, rules, expected_due)?;
        audit::record(conn, who, now, &event, Outcome::Success)?;
    }
    Ok(row)
}

/// The earlier outcome for the retry's key, if this user used it before.
fn replay(
    conn: &mut DbConnection,
    who: &Identity,
    retry: &Retry,
) -> Result<Option<Recorded>, ApiError> {
    let Some((stored_hash, contact_id)) =
        contacts::idempotency_lookup(conn, who.user_id, &retry.key)?
    else {
        return Ok(None);
    };
    retry.same_as(Some(&stored_hash))?;
    match contacts::find_in_team(conn, contact_id, who.team()?)? {
        Some(row) => Ok(Some(Recorded::Replay(row))),
        None => Err(ApiError::conflict(
            "contact_deleted",
            "This contact was recorded and has since been deleted.",
        )),
    }
}

/// Checks the client, shift and location against the database and builds the row, with
/// the moment her absence is then expected to fall due (for a named contact).
fn checked_contact(
    conn: &mut DbConnection,
    who: &Identity,
    team: i64,
    now: NaiveDateTime,
    tap: Tap,
    rules: &AbsenceRules,
) -> Result<(NewContact, ExpectedDue), ApiError> {
    let expected_due = match tap.client {
        Some(client) => {
            let event = Event::on("contact.create", Action::Create, client.get());
            let her = access::client(conn, who, now, client.get(), Need::Read, &event)?;
            absence::expected_after(rules, &her, tap.seen_at)
        }
        None => ExpectedDue::Unknown,
    };
    let shift_location = match tap.shift {
        Some(shift) => Some(
            shifts::find_in_team(conn, shift.get(), team)?
                .ok_or_else(|| ApiError::invalid("unknown_shift", "That shift does not exist."))?
                .location_id,
        ),
        None => None,
    };
    let location_id = match (tap.location.map(LocationId::get), shift_location) {
        (Some(given), Some(of_shift)) if given != of_shift => {
            return Err(ApiError::invalid(
                "location_mismatch",
                "location_id differs from the shift's location.",
            ));
        }
        (Some(id), _) | (None, Some(id)) => Some(id),
        (None, None) if tap.kind.needs_location() || tap.client.is_none() => {
            return Err(ApiError::invalid(
                "location_required",
                "Give location_id or shift_id, or record a contact outside a shift with another kind.",
            ));
        }
        (None, None) => None,
    };
    if let Some(id) = location_id {
        locations::require_active(conn, id)?;
    }
    let new = NewContact {
        team_id: team,
        client_id: tap.client.map(ClientId::get),
        visitor_count: tap.visitor_count,
        location_id,
        shift_id: tap.shift.map(ShiftId::get),
        seen_at: tap.seen_at,
        kind: tap.kind.as_str().to_owned(),
        services: services_to_stored(&tap.services),
        note: tap.note,
        recorded_by: who.user_id,
        created_at: now,
        updated_at: now,
    };
    Ok((new, expected_due))
}

/// A correction of a contact by its recorder: each field given replaces the stored one.
pub struct Correction {
    /// Another client of the team (the wrong button was tapped).
    pub client: Option<ClientId>,
    /// Only for anonymous counts.
    pub visitor_count: Option<i32>,
    pub seen_at: Option<NaiveDateTime>,
    pub kind: Option<ContactKind>,
    pub services: Option<Vec<Service>>,
    /// `Some(None)` clears the note.
    pub note: Option<Option<String>>,
}

/// Corrects a contact the caller recorded, within the correction window.
pub async fn correct(
    state: &AppState,
    who: &Identity,
    id: ContactId,
    correction: Correction,
) -> Result<ContactRow, ApiError> {
    let rules = state.absence_rules();
    own_recent_write(state, who, id, move |conn, current, who, now| {
        if current.client_id.is_some() && correction.visitor_count.is_some()
            || current.client_id.is_none() && correction.client.is_some()
        {
            return Err(ApiError::invalid(
                "client_or_anonymous",
                "A named contact stays named and an anonymous count stays anonymous; \
                     delete and record anew instead.",
            ));
        }
        if current.location_id.is_none() && correction.kind.is_some_and(ContactKind::needs_location)
        {
            return Err(ApiError::invalid(
                "location_required",
                "A contact outside a shift cannot become a visit to a location.",
            ));
        }
        let new_client = correction.client.map(ClientId::get);
        let mut touched: Vec<i64> = current.client_id.into_iter().collect();
        if let Some(new_client) = new_client.filter(|c| Some(*c) != current.client_id) {
            let event = Event::on("contact.update", Action::Update, new_client);
            access::client(conn, who, now, new_client, Need::Read, &event)?;
            touched.push(new_client);
        }
        let changes = ContactChanges {
            client_id: new_client.map(Some),
            visitor_count: correction.visitor_count,
            seen_at: correction.seen_at,
            kind: correction.kind.map(|k| k.as_str().to_owned()),
            services: correction.services.as_deref().map(services_to_stored),
            note: correction.note,
            updated_at: now,
        };
        contacts::update(conn, id.get(), &changes)?;
        for client in &touched {
            followups::contact_changed(
                conn,
                *client,
                who.user_id,
                now,
                &rules,
                ExpectedDue::Unknown,
            )?;
        }
        for client in &touched {
            let event = Event::on("contact.update", Action::Update, *client);
            audit::record(conn, who, now, &event, Outcome::Success)?;
        }
        contacts::find_in_team(conn, id.get(), current.team_id)?.ok_or(ApiError::NotFound)
    })
    .await
}

/// Deletes a contact recorded by mistake (its recorder, within the correction window).
pub async fn delete(state: &AppState, who: &Identity, id: ContactId) -> Result<(), ApiError> {
    let rules = state.absence_rules();
    own_recent_write(state, who, id, move |conn, current, who, now| {
        contacts::delete(conn, id.get())?;
        if let Some(client) = current.client_id {
            let event = Event::on("contact.delete", Action::Delete, client);
            followups::contact_changed(
                conn,
                client,
                who.user_id,
                now,
                &rules,
                ExpectedDue::Unknown,
            )?;
            audit::record(conn, who, now, &event, Outcome::Success)?;
        }
        Ok(())
    })
    .await
}

/// One write on a contact the caller recorded, inside the correction window: `change`
/// gets the contact as it is, the caller and the moment.
async fn own_recent_write<T, F>(
    state: &AppState,
    who: &Identity,
    id: ContactId,
    change: F,
) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, ContactRow, &Identity, NaiveDateTime) -> Result<T, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (who, now) = (who.clone(), state.clock.now());
    let window = state.settings.correction_window_hours;
    state
        .db
        .write(move |conn| {
            let current = own_recent_contact(conn, &who, id, now, window)?;
            change(conn, current, &who, now)
        })
        .await
}

/// A contact the caller recorded, still inside the correction window.
fn own_recent_contact(
    conn: &mut DbConnection,
    who: &Identity,
    id: ContactId,
    now: NaiveDateTime,
    window_hours: u32,
) -> Result<ContactRow, ApiError> {
    who.require(Role::is_care_role)?;
    let row = contacts::find_in_team(conn, id.get(), who.team()?)?.ok_or(ApiError::NotFound)?;
    // What is left of an erased client's contacts are counts: nobody edits those back.
    if let Some(client) = row.client_id
        && clients::is_erased(conn, client)?
    {
        return Err(ApiError::NotFound);
    }
    if row.recorded_by != who.user_id {
        return Err(ApiError::Forbidden(
            "Only the person who recorded a contact can correct or delete it.",
        ));
    }
    if now - row.created_at > TimeDelta::hours(i64::from(window_hours)) {
        return Err(ApiError::Forbidden(
            "The correction window for this contact has passed.",
        ));
    }
    Ok(row)
}

/// A client's contacts, newest first; the read is audit-logged.
pub async fn of_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<ContactRow>, ApiError> {
    access::query_of_client(
        state,
        who,
        client,
        "client.contacts.read",
        contacts::for_client,
    )
    .await
}

/// The contacts recorded at one shift of the caller's team; the read is audit-logged.
pub async fn of_shift(
    state: &AppState,
    who: &Identity,
    shift: ShiftId,
) -> Result<Vec<ContactRow>, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let event = Event::search("shift.contacts.read");
    audit::read_logged(state, who, event, move |conn, _, _| {
        shifts::find_in_team(conn, shift.get(), team)?.ok_or(ApiError::NotFound)?;
        Ok(contacts::for_shift(conn, shift.get())?)
    })
    .await
}
