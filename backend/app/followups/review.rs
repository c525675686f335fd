//! Her plan's review follow-up (three months after her latest assessment, or the day her
//! casemanagers set): when it falls due is kept per client (`clients.review_due_on`) in
//! the same transaction as every change that decides it (`refresh`: an assessment, a
//! review day set by hand, her status), so that the sweep reads only the plans due now
//! (`open_due`) instead of every assessment of every open file. The same change closes a
//! review follow-up it made outdated.

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbConnection;
use crate::db::queries::keyed_followups::{KeyedFollowup, open_keyed};
use crate::db::queries::plan_followups::{self, open_files};
use crate::db::queries::{clients, followups, plan_reviews};
use crate::domain::followup_key::FollowupKey;
use crate::timezone::Zone;

/// Computes her review moment again after a change that may move it, and closes her
/// unclosed review follow-up when it no longer matches a plan due now (a newer assessment
/// was its review, another day was set, her file was closed).
pub fn refresh(
    conn: &mut DbConnection,
    client_id: i64,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<()> {
    let open = clients::caseload_status_of(conn, client_id)?
        .is_some_and(|status| open_files().contains(&status.as_str()));
    let review_on = if open {
        plan_reviews::of_client(conn, client_id)?.review_on()
    } else {
        None
    };
    let current = review_on
        .filter(|&on| zone.start_of_day(on) <= now)
        .map(|review_on| review_key(client_id, review_on).to_string());
    plan_followups::close_reviews_except(conn, client_id, current.as_deref(), None, now)?;
    // A day whose follow-up was opened before (and perhaps closed) is not raised again.
    let due = match review_on {
        Some(on) => {
            let key = review_key(client_id, on).to_string();
            followups::opened_among(conn, [&key])?
                .is_empty()
                .then_some(on)
        }
        None => None,
    };
    plan_reviews::set_due(conn, client_id, due)
}

/// The sweep's step: opens the review follow-up of each plan whose review day has come,
/// once per day (the key `plan_review:<client>:<day>`), and marks each handled; returns
/// how many were opened.
pub fn open_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<usize> {
    let mut opened = 0;
    for (client_id, team_id, status, review_on) in plan_reviews::due_by(conn, zone.local_date(now))?
    {
        // A file closed meanwhile had its moment cleared by that change; this is a guard.
        if open_files().contains(&status.as_str()) {
            let key = review_key(client_id, review_on);
            let due_at = zone.start_of_day(review_on);
            let followup = KeyedFollowup::new(key, team_id, client_id, due_at);
            if open_keyed(conn, &followup, now)?.is_some() {
                opened += 1;
            }
        }
        plan_reviews::handled(conn, client_id, review_on)?;
    }
    Ok(opened)
}

fn review_key(client: i64, review_on: NaiveDate) -> FollowupKey {
    FollowupKey::PlanReview { client, review_on }
}
