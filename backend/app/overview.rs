//! The process director's overview of the cases across the teams, without names
//! (`domain::overview`). Counts only, so reading it is not audit-logged; named detail stays
//! with the clients escalated to her (`access`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::app::Identity;
use crate::db::queries::overview;
use crate::domain::caseload;
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::overview::{WaitingGroup, stagnations_by_kind_and_age, waiting_referrals};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

pub struct Overview {
    pub on: NaiveDate,
    /// Clients per caseload status (active, regular_care, closed).
    pub caseload: BTreeMap<&'static str, i64>,
    /// Open clients unseen for `out_of_view_days`.
    pub out_of_view: i64,
    /// Open clients marked Top 15&15.
    pub top15: i64,
    /// Open stagnations per kind, per age bucket.
    pub open_stagnations: BTreeMap<String, BTreeMap<&'static str, i64>>,
    pub waiting_referrals: Vec<WaitingGroup>,
}

/// The overview now (the process director).
pub async fn overview(state: &AppState, who: &Identity) -> Result<Overview, ApiError> {
    who.require(|role| role == Role::ProcessDirector)?;
    let (now, zone) = (state.clock.now(), state.zone);
    let today = zone.local_date(now);
    let out_of_view_days = i64::from(state.settings.out_of_view_days);
    state
        .db
        .read(move |conn| -> Result<Overview, ApiError> {
            let mut caseload: BTreeMap<&'static str, i64> = CaseloadStatus::ALL
                .iter()
                .map(|status| (status.as_str(), 0))
                .collect();
            let (mut out_of_view, mut top15) = (0, 0);
            for row in overview::caseload(conn)? {
                let status = CaseloadStatus::from_stored(&row.caseload_status)
                    .map_err(ApiError::internal)?;
                *caseload.entry(status.as_str()).or_default() += 1;
                if status == CaseloadStatus::Closed {
                    continue;
                }
                let since = caseload::absent_since(
                    row.last_contact_at,
                    row.intake_on,
                    row.created_at,
                    zone,
                );
                if caseload::out_of_view(status, since, now, out_of_view_days) {
                    out_of_view += 1;
                }
                if row.top15 {
                    top15 += 1;
                }
            }
            let open: Vec<(String, NaiveDate)> = overview::open_stagnations(conn)?
                .into_iter()
                .map(|(kind, at)| (kind, zone.local_date(at)))
                .collect();
            Ok(Overview {
                on: today,
                caseload,
                out_of_view,
                top15,
                open_stagnations: stagnations_by_kind_and_age(&open, today),
                waiting_referrals: waiting_referrals(overview::waiting_referrals(conn)?, today),
            })
        })
        .await
}
