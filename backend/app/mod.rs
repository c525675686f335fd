//! The use cases: one function per action (record a contact, close a follow-up, ...),
//! which owns the transaction, the need-to-know check and the audit entry. Routes, the
//! command line and jobs call these; they call `db::queries` and `domain`.

pub mod access;
pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod calendar;
pub mod case_meetings;
pub mod casemanagers;
pub mod client_import;
pub mod client_status;
pub mod clients;
pub mod contacts;
pub mod contracted_hours;
pub mod credentials;
pub mod data_rights;
pub mod devices;
pub mod escalations;
pub mod flex_budget;
pub mod followups;
pub mod handovers;
mod identity;
pub mod invitations;
pub mod locations;
pub mod overview;
pub mod partners;
pub mod passkeys;
pub mod plan;
pub mod profile;
pub mod push_subscriptions;
pub mod referrals;
pub mod registration_events;
pub mod registrations;
pub mod report_pack;
pub mod reports;
pub mod retry;
pub mod rota;
pub mod second_factor;
pub mod session;
pub mod sheltered_housing;
pub mod shift_handover;
pub mod shift_staff;
pub mod shifts;
pub mod signals;
pub mod slow;
pub mod stagnations;
pub mod tally;
pub mod teams;
pub mod throttle;
pub mod timeout_stays;
pub mod users;

pub use identity::Identity;

use crate::db::{DbConnection, is_unique_violation};
use crate::error::ApiError;
use crate::state::AppState;

/// Reads what belongs to `who`'s own account (her passkeys, devices, sessions) with
/// `query`, given her user id. It is no client's data: no audit entry.
pub async fn read_own<T, F>(state: &AppState, who: &Identity, query: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConnection, i64) -> diesel::QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let user = who.user_id;
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(query(conn, user)?))
        .await
}

/// A unique violation as the conflict it means (`code`, `message`); any other error as is.
pub fn taken(err: diesel::result::Error, code: &'static str, message: &'static str) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::conflict(code, message)
    } else {
        err.into()
    }
}
