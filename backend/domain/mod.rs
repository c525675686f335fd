//! Rules and value types of InBeeld (parse, don't validate). No actix, no diesel here.

pub mod audit;
pub mod case_meeting;
pub mod caseload;
pub mod client;
pub mod client_figures;
pub mod client_import;
pub mod code;
pub mod contact;
pub mod day;
pub mod escalation;
pub mod flex_budget;
pub mod followup;
pub mod followup_key;
pub mod handover;
pub mod ical;
pub mod ids;
pub mod living_room;
pub mod location;
pub mod notification;
pub mod overview;
pub mod pack;
pub mod period;
pub mod plan;
pub mod quiet_hours;
pub mod referral;
pub mod registration;
pub mod report;
pub mod role;
pub mod rota;
pub mod schedule;
pub mod sheltered_housing;
pub mod signal;
pub mod spreadsheet;
pub mod stagnation;
pub mod suppression;
pub mod sweep;
pub mod text;
pub mod timeout_stay;

/// A rule broken by input; becomes a 422 with this code and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub code: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, message: impl Into<String>) -> Invalid {
        Invalid {
            code,
            message: message.into(),
        }
    }
}
