//! The per-kind waiting periods of referrals, written as one list in the settings.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::domain::code::Code;
use crate::domain::referral::{ReferralKind, WaitDays};

/// `kind:days` pairs separated by commas (`housing_application:180, sheltered_housing:120`):
/// kinds with known waiting lists wait longer than `referral_wait_days` before a follow-up.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReferralWaitsByKind(Arc<[(ReferralKind, u32)]>);

impl ReferralWaitsByKind {
    /// The waiting periods with `default` for every kind not listed.
    pub fn with_default(&self, default: u32) -> WaitDays {
        WaitDays {
            default,
            by_kind: self.0.to_vec(),
        }
    }
}

impl TryFrom<String> for ReferralWaitsByKind {
    type Error = String;

    fn try_from(list: String) -> Result<ReferralWaitsByKind, String> {
        WaitDays::parse_by_kind(&list)
            .map(|pairs| ReferralWaitsByKind(pairs.into()))
            .map_err(|e| format!("referral_wait_days_by_kind: {e}"))
    }
}

impl From<ReferralWaitsByKind> for String {
    fn from(waits: ReferralWaitsByKind) -> String {
        waits
            .0
            .iter()
            .map(|(kind, days)| format!("{}:{days}", kind.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
