//! Registration expiry: a follow-up for the client's casemanagers `registration_warning_days`
//! before her registration expires, from the start of that local day, once per expiry date.
//! A renewal (a new date), an ended registration or a closed client closes the old one.
//!
//! The sweep reads only the clients whose registration it is to look at
//! (`clients.registration_due_on`): her expiry day while it has no follow-up (due once the
//! warning period reaches it), or the day of a change to her registration or her file
//! (`changed`, in the same transaction), so that the next sweep closes what it made
//! outdated and warns about a new expiry day.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::followups::opened_among;
use crate::db::queries::registrations::{self, DueRegistration, ExpiryCandidate};
use crate::domain::client::{CaseloadStatus, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::followup_key::FollowupKey;
use crate::timezone::Zone;

/// What the sweep did with registrations.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Follow-ups opened because a registration expires soon.
    pub opened: usize,
    /// Follow-ups closed because the registration was renewed or ended, or she was closed.
    pub closed: usize,
}

/// After a change to her registration or her file: the next sweep looks at her.
pub fn changed(
    conn: &mut DbConnection,
    client_id: i64,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    registrations::changed(conn, client_id, now.date())
}

/// The sweep's step: for each client due, closes her unclosed expiry follow-ups whose
/// expiry date is no longer her current, still running registration, opens the one of her
/// current expiry date once it is due, and stores when to look at her next.
pub fn sweep(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
    warning_days: i64,
) -> diesel::QueryResult<Swept> {
    let warning = TimeDelta::days(warning_days);
    let horizon = zone.local_date(now) + warning;
    let mut swept = Swept::default();
    for client in registrations::due_by(conn, horizon)? {
        let current = current_expiry(&client);
        let current_key = current.map(|expires_on| {
            FollowupKey::RegistrationExpiry {
                client: client.client_id,
                expires_on,
            }
            .to_string()
        });
        for (followup, key) in registrations::unclosed_expiries(conn, client.client_id)? {
            if key != current_key && registrations::close_changed(conn, followup, now)? {
                swept.closed += 1;
            }
        }
        let mut next = None;
        if let (Some(expires_on), Some(key)) = (current, &current_key)
            && opened_among(conn, [key])?.is_empty()
        {
            // A date at the very edge of the calendar cannot be warned about; there is no
            // such registration, only a typing error, which the registration list shows.
            match expires_on.checked_sub_signed(warning) {
                Some(warn_on) if expires_on <= horizon => {
                    let candidate = ExpiryCandidate {
                        client_id: client.client_id,
                        team_id: client.team_id,
                        expires_on,
                    };
                    let due_at = zone.start_of_day(warn_on);
                    if registrations::open_expiry(conn, &candidate, due_at, now)?.is_some() {
                        swept.opened += 1;
                    }
                }
                Some(_) => next = Some(expires_on),
                None => {}
            }
        }
        registrations::replace_due(conn, client.client_id, client.due_on, next)?;
    }
    Ok(swept)
}

/// Her expiry date while she is registered and her file is not closed.
fn current_expiry(client: &DueRegistration) -> Option<chrono::NaiveDate> {
    let running = client.registration_status == RegistrationStatus::Registered.as_str()
        && client.caseload_status != CaseloadStatus::Closed.as_str();
    client.expires_on.filter(|_| running)
}
