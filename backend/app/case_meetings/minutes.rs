//! The minutes of a case meeting, to print or save as a PDF: the agenda with each item's
//! summary and decisions. They name clients by their code; only the coordinator may ask
//! for an internal copy with aliases. Every opening is a read of each client on them.

use super::{Meeting, clients_on, load, meeting_of_team, record_reads};
use crate::app::Identity;
use crate::app::audit::{self, Event, Outcome};
use crate::domain::case_meeting::{plans_meetings, takes_part};
use crate::error::ApiError;
use crate::state::AppState;

/// How the minutes name a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// By her code: the copy that may leave the team.
    Codes,
    /// By her alias: the coordinator's internal copy.
    Aliases,
}

/// The minutes of meeting `id`, naming clients as `naming` says (aliases: the
/// coordinator only).
pub async fn minutes(
    state: &AppState,
    who: &Identity,
    id: i64,
    naming: Naming,
) -> Result<Meeting, ApiError> {
    who.require(takes_part)?;
    let name = match naming {
        Naming::Codes => "case_meeting.minutes",
        Naming::Aliases => {
            who.require(plans_meetings)?;
            "case_meeting.minutes.internal"
        }
    };
    let (reader, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let event = Event::search(name);
            let row = meeting_of_team(conn, &reader, id, event)?;
            let meeting = load(conn, row)?;
            audit::record(conn, &reader, now, &event, Outcome::Success)?;
            record_reads(conn, &reader, now, name, &clients_on(&meeting.items))?;
            Ok(meeting)
        })
        .await
}
