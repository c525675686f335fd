//! The follow-ups of referrals that wait too long: one per referral, found again by its
//! key `referral_waiting:<referral>`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::queries::followups::{add_event, opened_among};
use crate::db::schema::{clients, followups, referrals};
use crate::db::{DbConnection, insert_once};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::{FollowupKind, FollowupStatus, TimelineEvent};

/// The one follow-up a referral can have: a second request is a referral of its own.
pub fn waiting_key(referral_id: i64) -> String {
    format!("{}:{referral_id}", FollowupKind::ReferralWaiting.as_str())
}

/// A referral neither started nor ended, of a client still in care, without its follow-up.
#[derive(Queryable, Debug, Clone)]
pub struct WaitingReferral {
    pub referral_id: i64,
    pub client_id: i64,
    pub team_id: i64,
    pub kind: String,
    pub requested_on: NaiveDate,
}

/// Referrals neither started nor ended, of clients not closed: of one team or all, and
/// requested by a day or whenever.
fn waiting(
    conn: &mut DbConnection,
    team: Option<i64>,
    requested_by: Option<NaiveDate>,
) -> QueryResult<Vec<WaitingReferral>> {
    let mut query = referrals::table
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
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(referrals::team_id.eq(team));
    }
    if let Some(day) = requested_by {
        query = query.filter(referrals::requested_on.le(day));
    }
    query.load(conn)
}

/// Referrals still waiting, of `team`'s clients not closed, whether followed up or not.
pub fn waiting_of_team(conn: &mut DbConnection, team: i64) -> QueryResult<Vec<WaitingReferral>> {
    waiting(conn, Some(team), None)
}

/// Referrals still waiting since `requested_by` or before, of clients not closed, that
/// have no follow-up yet (open or closed): whether one is due is the caller's to decide.
pub fn without_followup(
    conn: &mut DbConnection,
    requested_by: NaiveDate,
) -> QueryResult<Vec<WaitingReferral>> {
    let waiting = waiting(conn, None, Some(requested_by))?;
    let keys: Vec<String> = waiting.iter().map(|r| waiting_key(r.referral_id)).collect();
    let opened = opened_among(conn, &keys)?;
    Ok(waiting
        .into_iter()
        .zip(keys)
        .filter(|(_, key)| !opened.contains(key))
        .map(|(referral, _)| referral)
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
    let detail = format!("requested on {}", referral.requested_on);
    insert_once(conn, |conn| {
        let id: i64 = diesel::insert_into(followups::table)
            .values((
                followups::team_id.eq(referral.team_id),
                followups::client_id.eq(referral.client_id),
                followups::kind.eq(FollowupKind::ReferralWaiting.as_str()),
                followups::dedupe_key.eq(&key),
                followups::absent_since.eq(since),
                followups::due_at.eq(due_at),
                followups::note.eq(&referral.kind),
                followups::status.eq(FollowupStatus::Open.as_str()),
                followups::created_at.eq(now),
            ))
            .returning(followups::id)
            .get_result(conn)?;
        add_event(conn, id, now, TimelineEvent::Opened, None, Some(&detail))?;
        Ok(id)
    })
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
        .filter(followups::dedupe_key.eq(waiting_key(referral_id)))
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
