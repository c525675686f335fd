//! The sweep's steps for her plan: an action past its due date opens one follow-up for
//! its owner in the team (a partner's action: for her casemanagers, who keep in touch
//! with the partner), her plan's review date one for her casemanagers (`super::review`),
//! and a good exit (to regular care, or she stopped sex work) the check-ins of her
//! aftercare. Each from the start of its local day in Amsterdam. Notices, escalation and quiet hours are the
//! sweep's, as for every follow-up.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::keyed_followups::{KeyedFollowup, open_keyed};
use crate::db::queries::plan_followups as queries;
use crate::domain::client::ExitReason;
use crate::domain::code::Code;
use crate::domain::followup_key::FollowupKey;
use crate::domain::plan::{self, AFTERCARE_LATE_DAYS, AFTERCARE_MONTHS};
use crate::timezone::Zone;

/// Opens a follow-up for each open action whose due date has passed; returns how many.
pub fn open_overdue_actions(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<usize> {
    let today = zone.local_date(now);
    let mut opened = 0;
    for action in queries::overdue_actions(conn, today)? {
        queries::action_handled(conn, action.action_id)?;
        let Some(day_after) = action.due_on.succ_opt() else {
            continue;
        };
        if !queries::open_files().contains(&action.caseload_status.as_str()) {
            continue;
        }
        let key = FollowupKey::PlanAction {
            client: action.client_id,
            action: action.action_id,
            due_on: action.due_on,
        };
        let due_at = zone.start_of_day(day_after);
        let followup = KeyedFollowup {
            owner_id: action.owner_id,
            ..KeyedFollowup::new(key, action.team_id, action.client_id, due_at)
        };
        if open_keyed(conn, &followup, now)?.is_some() {
            opened += 1;
        }
    }
    Ok(opened)
}

/// Opens the aftercare check-ins that are due (and not long past); returns how many.
pub fn open_aftercare(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<usize> {
    let reasons: Vec<&str> = ExitReason::ALL
        .iter()
        .filter(|&&reason| plan::has_aftercare(reason))
        .map(|reason| reason.as_str())
        .collect();
    let late = TimeDelta::days(AFTERCARE_LATE_DAYS);
    let mut opened = 0;
    let since = plan::aftercare_exits_since(zone.local_date(now));
    for exit in queries::good_exits(conn, &reasons, since)? {
        for months in AFTERCARE_MONTHS {
            let Some(day) = plan::check_in_on(exit.exit_on, months) else {
                continue;
            };
            let due_at = zone.start_of_day(day);
            if due_at > now || now - due_at > late {
                continue;
            }
            let key = FollowupKey::Aftercare {
                client: exit.client_id,
                exit_on: exit.exit_on,
                months,
            };
            let followup = KeyedFollowup::new(key, exit.team_id, exit.client_id, due_at);
            if open_keyed(conn, &followup, now)?.is_some() {
                opened += 1;
            }
        }
    }
    Ok(opened)
}
