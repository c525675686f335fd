//! Registrations: the coordinator's list, and the follow-ups opened before one expires.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::queries::followups::add_event;
use crate::db::queries::keyed_followups::{KeyedFollowup, open_keyed};
use crate::db::schema::{clients, followups};
use crate::domain::code::Code;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::followup_key::FollowupKey;

#[derive(Queryable, Debug, Clone)]
pub struct RegistrationRow {
    pub client_id: i64,
    pub alias: String,
    pub code: String,
    pub caseload_status: String,
    pub registration_status: String,
    pub registration_number: Option<String>,
    pub registration_date: Option<NaiveDate>,
    pub registration_expires_on: Option<NaiveDate>,
}

/// The team's clients with a registration or an application, in no particular order.
pub fn for_team(conn: &mut DbConnection, team: i64) -> QueryResult<Vec<RegistrationRow>> {
    clients::table
        .filter(clients::team_id.eq(team))
        .filter(clients::registration_status.eq_any(["applied", "registered"]))
        .select((
            clients::id,
            clients::alias,
            clients::code,
            clients::caseload_status,
            clients::registration_status,
            clients::registration_number,
            clients::registration_date,
            clients::registration_expires_on,
        ))
        .load(conn)
}

/// A registered client in care whose registration expires on or before the horizon.
#[derive(Queryable, Debug, Clone)]
pub struct ExpiryCandidate {
    pub client_id: i64,
    pub team_id: i64,
    pub expires_on: NaiveDate,
}

/// A client the sweep is to look at: her registration as it stands, and the day stored
/// for the sweep (`clients.registration_due_on`).
#[derive(Debug, Clone)]
pub struct DueRegistration {
    pub client_id: i64,
    pub team_id: i64,
    pub registration_status: String,
    pub caseload_status: String,
    pub expires_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

/// The clients whose registration the sweep is to look at by `horizon` (today and the
/// warning period), from the index on `clients.registration_due_on`.
pub fn due_by(conn: &mut DbConnection, horizon: NaiveDate) -> QueryResult<Vec<DueRegistration>> {
    clients::table
        .filter(clients::registration_due_on.le(horizon))
        .select((
            clients::id,
            clients::team_id,
            clients::registration_status,
            clients::caseload_status,
            clients::registration_expires_on,
            clients::registration_due_on,
        ))
        .load::<(
            i64,
            i64,
            String,
            String,
            Option<NaiveDate>,
            Option<NaiveDate>,
        )>(conn)
        .map(|rows| {
            rows.into_iter()
                .filter_map(
                    |(client_id, team_id, status, caseload, expires_on, due_on)| {
                        Some(DueRegistration {
                            client_id,
                            team_id,
                            registration_status: status,
                            caseload_status: caseload,
                            expires_on,
                            due_on: due_on?,
                        })
                    },
                )
                .collect()
        })
}

/// Stores the day the sweep looks at her registration next, unless a change stored
/// another meanwhile (`was`).
pub fn replace_due(
    conn: &mut DbConnection,
    client_id: i64,
    was: NaiveDate,
    next: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::update(
        clients::table
            .find(client_id)
            .filter(clients::registration_due_on.eq(was)),
    )
    .set(clients::registration_due_on.eq(next))
    .execute(conn)
    .map(|_| ())
}

/// After a change to her registration or her file on `day`: the next sweep looks at her.
pub fn changed(conn: &mut DbConnection, client_id: i64, day: NaiveDate) -> QueryResult<()> {
    diesel::update(clients::table.find(client_id))
        .set(clients::registration_due_on.eq(day))
        .execute(conn)
        .map(|_| ())
}

/// Opens the follow-up for one expiry date; `None` when another sweep opened it first.
pub fn open_expiry(
    conn: &mut DbConnection,
    candidate: &ExpiryCandidate,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let (team, client) = (candidate.team_id, candidate.client_id);
    let key = FollowupKey::RegistrationExpiry {
        client,
        expires_on: candidate.expires_on,
    };
    let followup = KeyedFollowup {
        opened_detail: Some(format!("expires on {}", candidate.expires_on)),
        ..KeyedFollowup::new(key, team, client, due_at)
    };
    open_keyed(conn, &followup, now)
}

/// Her unclosed expiry follow-ups: `(follow-up, key)`.
pub fn unclosed_expiries(
    conn: &mut DbConnection,
    client_id: i64,
) -> QueryResult<Vec<(i64, Option<String>)>> {
    followups::table
        .filter(followups::client_id.eq(client_id))
        .filter(followups::kind.eq(FollowupKind::RegistrationExpiry.as_str()))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .select((followups::id, followups::dedupe_key))
        .load(conn)
}

/// Closes an expiry follow-up whose registration changed (renewed, ended, client closed);
/// false when it was closed meanwhile.
pub fn close_changed(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let changed =
            diesel::update(followups::table.filter(followups::id.eq(id)).filter(
                followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)),
            ))
            .set((
                followups::status.eq(FollowupStatus::Closed.as_str()),
                followups::closed_at.eq(now),
                followups::outcome.eq("registration_changed"),
            ))
            .execute(conn)?;
        if changed == 1 {
            add_event(
                conn,
                id,
                now,
                TimelineEvent::ClosedRegistrationChanged,
                None,
                None,
            )?;
        }
        Ok(changed == 1)
    })
}
