//! The sweep's step for case meetings: a decision about a client past its due date opens
//! one follow-up for its owner in the team (a partner's decision: for her casemanagers,
//! who keep in touch with the partner), from the start of the day after in Amsterdam, as
//! an action of her plan does. A decision on a free subject names no client and stays in
//! the minutes only: a follow-up is always about one client.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::queries::keyed_followups::{KeyedFollowup, open_keyed};
use crate::db::queries::plan_followups;
use crate::db::queries::{case_meetings, followups};
use crate::domain::followup_key::FollowupKey;
use crate::timezone::Zone;

/// Opens a follow-up for each decision whose due date has passed, once, and marks each
/// handled; returns how many were opened.
pub fn open_past_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<usize> {
    let today = zone.local_date(now);
    let mut opened = 0;
    for decision in case_meetings::past_due(conn, today)? {
        case_meetings::decision_handled(conn, decision.decision_id)?;
        let open_file = plan_followups::open_files().contains(&decision.caseload_status.as_str())
            && decision.erased_at.is_none();
        let Some(day_after) = decision.due_on.succ_opt() else {
            continue;
        };
        if !open_file {
            continue;
        }
        let (team, client) = (decision.team_id, decision.client_id);
        let key = FollowupKey::MeetingDecision {
            client,
            decision: decision.decision_id,
        };
        let due_at = zone.start_of_day(day_after);
        let followup = KeyedFollowup {
            owner_id: decision.owner_id,
            ..KeyedFollowup::new(key, team, client, due_at)
        };
        if open_keyed(conn, &followup, now)?.is_some() {
            opened += 1;
        }
    }
    Ok(opened)
}

/// After her file was reopened or closed: her decisions never followed up are for the
/// sweep to look at again.
pub fn refresh_of_client(conn: &mut DbConnection, client: i64) -> diesel::QueryResult<()> {
    case_meetings::refresh_decisions_of(conn, client, |conn, decision| {
        let key = FollowupKey::MeetingDecision { client, decision }.to_string();
        Ok(!followups::opened_among(conn, [&key])?.is_empty())
    })
}
