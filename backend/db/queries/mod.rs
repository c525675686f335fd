//! Every query InBeeld runs, one module per table group. Handlers call these; they never
//! build queries themselves.

pub mod assessments;
pub mod audit;
pub mod client_status;
pub mod clients;
pub mod contacts;
pub mod devices;
pub mod erasure;
pub mod escalations;
pub mod flex_budget;
pub mod followup_people;
pub mod followups;
pub mod handovers;
pub mod invitations;
pub mod locations;
pub mod login_failures;
pub mod notifications;
pub mod partners;
pub mod passkeys;
pub mod plan;
pub mod plan_figures;
pub mod plan_followups;
pub mod plan_overview;
pub mod push;
pub mod referrals;
pub mod registration_events;
pub mod registrations;
pub mod reports;
pub mod rota;
pub mod second_factor;
pub mod sessions;
pub mod shifts;
pub mod signals;
pub mod teams;
pub mod timeout_stays;
pub mod users;
