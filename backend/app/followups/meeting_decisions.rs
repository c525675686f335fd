//! The sweep's step for case meetings: a decision about a client past its due date opens
//! one follow-up for its owner in the team (a partner's decision: for her casemanagers,
//! who keep in touch with the partner), from the start of the day after in Amsterdam, as
//! an action of her plan does. A decision on a free subject names no client and stays in
//! the minutes only: a follow-up is always about one client.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::queries::plan_followups::{self, PlanFollowup};
use crate::db::queries::{case_meetings, followups};
use crate::domain::followup::FollowupKind;
use crate::timezone::Zone;

/// Opens a follow-up for each decision whose due date has passed; returns how many.
pub fn open_past_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<usize> {
    let today = zone.local_date(now);
    let past_due = case_meetings::past_due(conn, today, &plan_followups::open_files())?;
    let keys: Vec<String> = past_due
        .iter()
        .map(|d| plan_followups::decision_key(d.client_id, d.decision_id))
        .collect();
    let opened_before = followups::opened_among(conn, &keys)?;
    let mut opened = 0;
    for (decision, key) in past_due.into_iter().zip(keys) {
        let Some(day_after) = decision.due_on.succ_opt() else {
            continue;
        };
        if opened_before.contains(&key) {
            continue;
        }
        let followup = PlanFollowup {
            kind: FollowupKind::MeetingDecision,
            key,
            team_id: decision.team_id,
            client_id: decision.client_id,
            owner_id: decision.owner_id,
            due_at: zone.start_of_day(day_after),
        };
        if plan_followups::open(conn, &followup, now)?.is_some() {
            opened += 1;
        }
    }
    Ok(opened)
}
