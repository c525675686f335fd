//! The JSON API under `/api/v1`, one module per resource. Handlers parse the request into
//! domain types, make one call to the use case in `app`, and map its result to a view;
//! `client_view`, `figure_view`, `flex_views`, `followup_view` and `pack_document` hold the views two modules share.

pub mod assessments;
pub mod calendar;
mod case_meeting_views;
pub mod case_meetings;
pub mod casemanagers;
pub mod client_import;
pub mod client_status;
mod client_view;
pub mod clients;
mod contact_view;
pub mod contacts;
pub mod data_rights;
pub mod devices;
pub mod escalations;
mod figure_view;
pub mod flex_budget;
pub mod flex_expenses;
mod flex_views;
mod followup_view;
pub mod followups;
pub mod handovers;
pub mod invitations;
pub mod locations;
pub mod overview;
mod pack_document;
pub mod partners;
pub mod passkeys;
pub mod plan;
pub mod plan_figures;
pub mod plan_overview;
pub mod plan_review;
pub mod push;
pub mod referrals;
pub mod registration_events;
pub mod registrations;
pub mod report_pack;
pub mod reports;
pub mod rota;
pub mod second_factor;
pub mod session;
pub mod sheltered_housing;
pub mod shift_handover;
pub mod shift_staff;
mod shift_views;
pub mod shifts;
pub mod sign_in_rules;
pub mod signal_triage;
mod signal_view;
pub mod signals;
mod signing_in;
pub mod stagnations;
pub mod tally;
pub mod teams;
pub mod timeout_stays;
pub mod users;

use serde::{Deserialize, Deserializer};
use utoipa_actix_web::service_config::ServiceConfig;

/// Every endpoint. A request is matched against the routes in this order, the dynamic ones
/// by regular expression, so the hottest come first: the tally tap, then the client list
/// and page. (Each route guards its method, so the order changes nothing else.)
pub fn configure(cfg: &mut ServiceConfig) {
    tally::configure(cfg);
    contacts::configure(cfg);
    clients::configure(cfg);
    client_status::configure(cfg);
    registration_events::configure(cfg);
    assessments::configure(cfg);
    plan::configure(cfg);
    plan_overview::configure(cfg);
    plan_review::configure(cfg);
    client_import::configure(cfg);
    session::configure(cfg);
    sign_in_rules::configure(cfg);
    second_factor::configure(cfg);
    passkeys::configure(cfg);
    devices::configure(cfg);
    users::configure(cfg);
    teams::configure(cfg);
    invitations::configure(cfg);
    partners::configure(cfg);
    casemanagers::configure(cfg);
    handovers::configure(cfg);
    locations::configure(cfg);
    shifts::configure(cfg);
    shift_staff::configure(cfg);
    rota::configure(cfg);
    shift_handover::configure(cfg);
    calendar::configure(cfg);
    followups::configure(cfg);
    escalations::configure(cfg);
    push::configure(cfg);
    reports::configure(cfg);
    report_pack::configure(cfg);
    plan_figures::configure(cfg);
    referrals::configure(cfg);
    signals::configure(cfg);
    signal_triage::configure(cfg);
    stagnations::configure(cfg);
    case_meetings::configure(cfg);
    overview::configure(cfg);
    timeout_stays::configure(cfg);
    data_rights::configure(cfg);
    flex_budget::configure(cfg);
    flex_expenses::configure(cfg);
    sheltered_housing::configure(cfg);
    registrations::configure(cfg);
}

/// For PATCH bodies: a missing field is `None` (leave as is), `null` is `Some(None)` (clear).
pub fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
