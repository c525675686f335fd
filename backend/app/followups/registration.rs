//! Registration expiry: a follow-up for the client's casemanagers `registration_warning_days`
//! before her registration expires, from the start of that local day, once per expiry date.
//! A renewal (a new date), an ended registration or a closed client closes the old one.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::registrations::{self, expiry_key};
use crate::domain::client::{CaseloadStatus, RegistrationStatus};
use crate::domain::code::Code;
use crate::timezone::Zone;

/// Opens the follow-ups that are due; returns how many.
pub fn open_expiring(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
    warning_days: i64,
) -> diesel::QueryResult<usize> {
    let warning = TimeDelta::days(warning_days);
    let horizon = zone.local_date(now) + warning;
    let mut opened = 0;
    for candidate in registrations::expiring_by(conn, horizon)? {
        // A date at the very edge of the calendar cannot be warned about; there is no such
        // registration, only a typing error, which the registration list shows.
        let Some(warn_on) = candidate.expires_on.checked_sub_signed(warning) else {
            continue;
        };
        let due_at = zone.start_of_day(warn_on);
        if registrations::open_expiry(conn, &candidate, due_at, now)?.is_some() {
            opened += 1;
        }
    }
    Ok(opened)
}

/// Closes unclosed expiry follow-ups whose expiry date is no longer the client's current,
/// still running registration; returns how many.
pub fn close_outdated(conn: &mut DbConnection, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    let mut closed = 0;
    for open in registrations::unclosed_expiries(conn)? {
        let current = match open.expires_on {
            Some(day)
                if open.registration_status == RegistrationStatus::Registered.as_str()
                    && open.caseload_status != CaseloadStatus::Closed.as_str() =>
            {
                Some(expiry_key(open.client_id, day))
            }
            _ => None,
        };
        if current != open.dedupe_key && registrations::close_changed(conn, open.followup_id, now)?
        {
            closed += 1;
        }
    }
    Ok(closed)
}
