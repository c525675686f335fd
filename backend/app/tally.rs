//! Tonight's tally as the Turven screen shows it: per client the contacts at this shift (or
//! place) and the whole team's this evening, the anonymous visitors likewise, and the
//! caller's own contacts tonight with how long each can still be corrected. Read on a
//! reading connection and audit-logged like the other lists of contacts.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};

use super::Identity;
use super::audit::{self, Event};
use crate::db::queries::contacts::{self, ContactRow};
use crate::db::queries::shifts;
use crate::domain::ids::{LocationId, ShiftId};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Where "here" is: a shift of the team, or a location when she is not on one.
#[derive(Debug, Clone, Copy)]
pub enum Here {
    Shift(ShiftId),
    Location(LocationId),
}

/// Contacts counted twice: here and by the whole team tonight.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub here: i64,
    pub team: i64,
}

pub struct Tonight {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    /// Per client seen tonight by anyone in the team.
    pub clients: BTreeMap<i64, Count>,
    /// Anonymous visitors (their numbers added up).
    pub anonymous: Count,
    /// The caller's own contacts tonight, newest first, each with the moment its
    /// correction window closes.
    pub mine: Vec<(ContactRow, NaiveDateTime)>,
}

/// Tonight's tally of the caller's team, seen from `here`.
pub async fn tonight(state: &AppState, who: &Identity, here: Here) -> Result<Tonight, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let (from, to) = state.zone.evening_of(state.clock.now());
    let window = TimeDelta::hours(i64::from(state.settings.correction_window_hours));
    let event = Event::search("contacts.tonight.read");
    audit::read_logged(state, who, event, move |conn, who, _| {
        if let Here::Shift(shift) = here {
            shifts::find_in_team(conn, shift.get(), team)?.ok_or(ApiError::NotFound)?;
        }
        let rows = contacts::for_team_between(conn, team, from, to)?;
        let mut tonight = Tonight {
            from,
            to,
            clients: BTreeMap::new(),
            anonymous: Count::default(),
            mine: Vec::new(),
        };
        for row in rows {
            let is_here = match here {
                Here::Shift(shift) => row.shift_id == Some(shift.get()),
                Here::Location(place) => row.location_id == Some(place.get()),
            };
            let count = match row.client_id {
                Some(client) => tonight.clients.entry(client).or_default(),
                None => &mut tonight.anonymous,
            };
            let visitors = i64::from(row.visitor_count);
            count.team += visitors;
            if is_here {
                count.here += visitors;
            }
            if row.recorded_by == who.user_id {
                let until = row.created_at + window;
                tonight.mine.push((row, until));
            }
        }
        tonight.mine.reverse();
        Ok(tonight)
    })
    .await
}
