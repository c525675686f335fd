//! A signal sent as a warning: an acute danger at the zone (a violent or dangerous
//! customer there now). It reaches every device of everyone on tonight's shifts at once,
//! inside their quiet hours too, and the team's coordinators (when not on shift, after
//! their quiet hours); each person once, however often her phone sends the signal again.
//! Not the one who sent it: she knows. The push says only "Waarschuwing: open InBeeld"; what it is about waits on Vanavond,
//! behind sign-in, until tonight's shifts have ended.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use crate::app::followups::notify::{Notice, Notifier, dispatch};
use crate::db::DbConnection;
use crate::db::queries::followups;
use crate::db::queries::shifts::{self, ShiftRow};
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::timezone::Zone;

/// Tonight for a team: the evening `now` belongs to (noon to noon) and its shifts that
/// were not cancelled.
pub(super) struct Tonight {
    pub from: NaiveDateTime,
    /// Until when its warnings show: the end of its last shift, or without shifts, the
    /// end of the evening.
    pub until: NaiveDateTime,
    shifts: Vec<ShiftRow>,
}

impl Tonight {
    pub fn of(
        conn: &mut DbConnection,
        team: i64,
        now: NaiveDateTime,
        zone: Zone,
    ) -> Result<Tonight, ApiError> {
        let (from, to) = zone.evening_of(now);
        let shifts: Vec<ShiftRow> = shifts::overlapping(conn, team, from, to)?
            .into_iter()
            .filter(|shift| shift.cancelled_at.is_none())
            .collect();
        let until = shifts.iter().map(|shift| shift.ends_at).max().unwrap_or(to);
        Ok(Tonight {
            from,
            until,
            shifts,
        })
    }

    /// Who is on shift at `now`: rostered or checked in on one of tonight's shifts and not
    /// checked out, on a shift that has not ended or that she is still checked in on.
    fn staff_at(&self, conn: &mut DbConnection, now: NaiveDateTime) -> Result<Vec<i64>, ApiError> {
        let ids: Vec<i64> = self.shifts.iter().map(|shift| shift.id).collect();
        let running: Vec<i64> = self
            .shifts
            .iter()
            .filter(|shift| shift.ends_at > now)
            .map(|shift| shift.id)
            .collect();
        let staff: BTreeSet<i64> = shifts::staff_of(conn, &ids)?
            .into_iter()
            .filter(|entry| entry.checked_out_at.is_none())
            .filter(|entry| running.contains(&entry.shift_id) || entry.checked_in_at.is_some())
            .map(|entry| entry.user_id)
            .collect();
        Ok(staff.into_iter().collect())
    }
}

/// Queues the warning `signal` sent by `author` for everyone else on shift and the
/// coordinators, and turns it into push messages at once. Returns how many people it was
/// queued for.
pub(super) fn queue(
    conn: &mut DbConnection,
    team: i64,
    signal: i64,
    author: i64,
    now: NaiveDateTime,
    zone: Zone,
) -> Result<usize, ApiError> {
    let notifier = Notifier::load(conn, now, zone)?;
    let on_shift = Tonight::of(conn, team, now, zone)?.staff_at(conn, now)?;
    let coordinators = followups::team_members_with_role(conn, team, Role::Coordinator)?;
    let off_shift = coordinators.into_iter().filter(|c| !on_shift.contains(c));
    let recipients = on_shift
        .iter()
        .map(|&user| (user, false))
        .chain(off_shift.map(|user| (user, true)))
        .filter(|&(user, _)| user != author);
    let mut queued = 0;
    for (user, quiet_hours_apply) in recipients {
        let key = NotificationKey::Warning { signal, user };
        let notice = Notice {
            urgent: true,
            quiet_hours_apply,
            ..Notice::new(user, key, NotificationKind::SignalWarning)
        };
        if notifier.queue(conn, &notice)? {
            queued += 1;
        }
    }
    dispatch(conn, now)?;
    Ok(queued)
}
