//! The follow-ups of referrals that wait too long: one per referral, found again by its
//! key `referral_waiting:<referral>`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::queries::followups::{add_event, opened_among};
use crate::db::queries::keyed_followups::{KeyedFollowup, open_keyed};
use crate::db::schema::{clients, followups, referrals};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::{FollowupStatus, TimelineEvent};
use crate::domain::followup_key::FollowupKey;

/// A referral neither started nor ended, of a client still in care, without its follow-up.
#[derive(Queryable, Debug, Clone)]
pub struct WaitingReferral {
    pub referral_id: i64,
    pub client_id: i64,
    pub team_id: i64,
    pub kind: String,
    pub requested_on: NaiveDate,
}

/// Referrals still waiting, of `team`'s clients not closed, whether followed up or not.
pub fn waiting_of_team(conn: &mut DbConnection, team: i64) -> QueryResult<Vec<WaitingReferral>> {
    referrals::table
        .inner_join(clients::table)
        .filter(referrals::started_on.is_null())
        .filter(referrals::ended_on.is_null())
        .filter(clients::caseload_status.ne(CaseloadStatus::Closed.as_str()))
        .select((
            referrals::id,
            referrals::client_id,
            referrals::team_id,
            referrals::kind,
            referrals::requested_on,
        ))
        .filter(referrals::team_id.eq(team))
        .load(conn)
}

/// A waiting referral of `kind` whose follow-up the sweep has yet to open, requested by
/// `requested_by`, from the index on `referrals.waiting_since`; with her file's status.
pub fn due_of_kind(
    conn: &mut DbConnection,
    kind: &str,
    requested_by: NaiveDate,
) -> QueryResult<Vec<(WaitingReferral, String)>> {
    let rows: Vec<(i64, i64, i64, String, NaiveDate, String)> = referrals::table
        .inner_join(clients::table)
        .filter(referrals::kind.eq(kind))
        .filter(referrals::waiting_since.le(requested_by))
        .select((
            referrals::id,
            referrals::client_id,
            referrals::team_id,
            referrals::kind,
            referrals::requested_on,
            clients::caseload_status,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(referral_id, client_id, team_id, kind, requested_on, status)| {
                let referral = WaitingReferral {
                    referral_id,
                    client_id,
                    team_id,
                    kind,
                    requested_on,
                };
                (referral, status)
            },
        )
        .collect())
}

/// Marks the referral handled by the sweep: its follow-up was opened, or her file is closed
/// (reopening it computes the moment again).
pub fn handled(conn: &mut DbConnection, referral_id: i64) -> QueryResult<()> {
    diesel::update(referrals::table.find(referral_id))
        .set(referrals::waiting_since.eq(None::<NaiveDate>))
        .execute(conn)
        .map(|_| ())
}

/// Computes again whether the sweep is to look at `referrals` (its request day while it
/// neither started nor ended and has no follow-up), after a change to it or to her file.
fn refresh(conn: &mut DbConnection, referrals: &[(i64, NaiveDate, bool)]) -> QueryResult<()> {
    let keys: Vec<String> = referrals
        .iter()
        .map(|r| waiting_key(r.0).to_string())
        .collect();
    let opened = opened_among(conn, &keys)?;
    for ((id, requested_on, waiting), key) in referrals.iter().zip(&keys) {
        let since = (*waiting && !opened.contains(key)).then_some(*requested_on);
        diesel::update(referrals::table.find(id))
            .set(referrals::waiting_since.eq(since))
            .execute(conn)?;
    }
    Ok(())
}

/// After a referral was written: whether the sweep is to look at it.
pub fn refresh_one(conn: &mut DbConnection, referral_id: i64) -> QueryResult<()> {
    let rows = states(conn, Some(referral_id), None)?;
    refresh(conn, &rows)
}

/// After her file was reopened or closed: whether the sweep is to look at her referrals.
pub fn refresh_of_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<()> {
    let rows = states(conn, None, Some(client_id))?;
    refresh(conn, &rows)
}

/// `(referral, request day, still waiting)` of one referral or of all hers.
fn states(
    conn: &mut DbConnection,
    referral: Option<i64>,
    client: Option<i64>,
) -> QueryResult<Vec<(i64, NaiveDate, bool)>> {
    let mut query = referrals::table
        .select((
            referrals::id,
            referrals::requested_on,
            referrals::started_on,
            referrals::ended_on,
        ))
        .into_boxed();
    if let Some(id) = referral {
        query = query.filter(referrals::id.eq(id));
    }
    if let Some(client) = client {
        query = query.filter(referrals::client_id.eq(client));
    }
    let rows: Vec<(i64, NaiveDate, Option<NaiveDate>, Option<NaiveDate>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, on, started, ended)| (id, on, started.is_none() && ended.is_none()))
        .collect())
}

/// Opens the follow-up of `referral`, waiting since `since` (the start of the day it was
/// requested, kept where an absence keeps its start, so the list says "wacht al N dagen");
/// its kind is the note. `None` when another sweep opened it first.
pub fn open(
    conn: &mut DbConnection,
    referral: &WaitingReferral,
    since: NaiveDateTime,
    due_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let key = waiting_key(referral.referral_id);
    let followup = KeyedFollowup {
        absent_since: Some(since),
        note: Some(referral.kind.clone()),
        opened_detail: Some(format!("requested on {}", referral.requested_on)),
        ..KeyedFollowup::new(key, referral.team_id, referral.client_id, due_at)
    };
    open_keyed(conn, &followup, now)
}

/// Closes the unclosed follow-up of `referral_id`, if any, because the referral started or
/// ended; `by` is who recorded that. Returns whether one was closed.
pub fn close_settled(
    conn: &mut DbConnection,
    referral_id: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let open: Option<i64> = followups::table
        .filter(followups::dedupe_key.eq(waiting_key(referral_id).to_string()))
        .filter(followups::status.eq_any(FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)))
        .select(followups::id)
        .first(conn)
        .optional()?;
    let Some(id) = open else {
        return Ok(false);
    };
    diesel::update(followups::table.find(id))
        .set((
            followups::status.eq(FollowupStatus::Closed.as_str()),
            followups::closed_by.eq(by),
            followups::closed_at.eq(now),
            followups::outcome.eq("referral_changed"),
        ))
        .execute(conn)?;
    add_event(
        conn,
        id,
        now,
        TimelineEvent::ClosedReferralChanged,
        Some(by),
        None,
    )?;
    Ok(true)
}

fn waiting_key(referral: i64) -> FollowupKey {
    FollowupKey::ReferralWaiting { referral }
}
