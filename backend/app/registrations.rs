//! The coordinator's registration list: the registrations and applications of her team's
//! clients, soonest expiry first, with those expiring within N days marked.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::audit::{self, Event};
use crate::db::queries::registrations::{self, RegistrationRow};
use crate::domain::client::RegistrationStatus;
use crate::domain::code::Code;
use crate::domain::registration;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// The furthest ahead "expiring" may look.
pub const MAX_WITHIN_DAYS: u32 = 366;

/// The list as of `today` (local).
pub struct Registrations {
    pub today: NaiveDate,
    pub within_days: u32,
    /// Soonest expiry first; those without an expiry date last.
    pub entries: Vec<Registration>,
}

pub struct Registration {
    pub row: RegistrationRow,
    /// Days from today to the expiry date; negative once expired.
    pub days_left: Option<i64>,
    /// Expires within `within_days`, or has expired.
    pub expiring: bool,
    /// `Expired` once its last valid day has passed; else as stored.
    pub status: RegistrationStatus,
}

/// The team's registrations. `within_days` defaults to the `registration_warning_days`
/// setting; `expiring_only` leaves out those not expiring within it.
pub async fn list(
    state: &AppState,
    who: &Identity,
    within_days: Option<u32>,
    expiring_only: bool,
) -> Result<Registrations, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let within_days = within_days.unwrap_or(state.settings.registration_warning_days);
    if within_days > MAX_WITHIN_DAYS {
        return Err(ApiError::invalid(
            "validation_failed",
            format!("within_days must lie between 0 and {MAX_WITHIN_DAYS}."),
        ));
    }
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let event = Event::search("registration.list");
    let rows = audit::read_logged(state, who, event, move |conn, _, _| {
        Ok(registrations::for_team(conn, team)?)
    })
    .await?;
    let within = i64::from(within_days);
    let mut entries = rows
        .into_iter()
        .map(|row| {
            let stored = RegistrationStatus::from_stored(&row.registration_status)
                .map_err(ApiError::internal)?;
            let days_left = row
                .registration_expires_on
                .map(|day| (day - today).num_days());
            Ok(Registration {
                status: registration::status_on(stored, row.registration_expires_on, today),
                days_left,
                expiring: days_left.is_some_and(|days| days <= within),
                row,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    entries.retain(|r| r.expiring || !expiring_only);
    entries.sort_by(|a, b| {
        let key = |r: &Registration| {
            let expires_on = r.row.registration_expires_on;
            (expires_on.is_none(), expires_on, r.row.code.clone())
        };
        key(a).cmp(&key(b))
    });
    Ok(Registrations {
        today,
        within_days,
        entries,
    })
}
