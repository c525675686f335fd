//! A client's file as the API shows it: the list, the search, her page, and the answers
//! to changing, closing and reopening her file.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::clients::ClientFile;
use crate::domain::client::{Addiction, CaseloadStatus, ExitReason, Region, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::registration;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ClientView {
    id: i64,
    code: String,
    alias: String,
    /// `none`, `applied`, `registered`, `refused`, `expired` (a grant past its last valid
    /// day) or `ended`; follows from her registration events.
    registration_status: RegistrationStatus,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    region: Region,
    addiction: Addiction,
    /// In Beschermd Wonen (sheltered housing).
    sheltered_housing: bool,
    known_at_huiskamer: bool,
    /// Part of the city's Top 15&15 homelessness approach.
    top15: bool,
    /// `active` (the team's own caseload), `regular_care` (handed to regular care, still
    /// monitored) or `closed`.
    caseload_status: CaseloadStatus,
    intake_on: Option<NaiveDate>,
    exit_on: Option<NaiveDate>,
    /// Why her trajectory was closed; null while it is open.
    exit_reason: Option<ExitReason>,
    exit_note: Option<String>,
    /// Not closed, and no named contact for `out_of_view_days` (90), counted from her last
    /// contact or, never seen, from her intake.
    out_of_view: bool,
    /// Her casemanagers today; 0 when nobody is.
    casemanager_count: i64,
    /// The per-client override, if any.
    followup_threshold_days: Option<i32>,
    /// The threshold in force: the override, else the configured default of her status
    /// (`regular_care_threshold_days` in regular care).
    effective_threshold_days: i64,
    /// When she was last seen (named contacts only).
    last_contact_at: Option<DateTime<FixedOffset>>,
}

impl ClientView {
    pub fn of(file: ClientFile, state: &AppState) -> Result<ClientView, ApiError> {
        let internal = ApiError::internal;
        let row = file.row;
        let today = state.zone.local_date(state.clock.now());
        let stored = RegistrationStatus::from_stored(&row.registration_status).map_err(internal)?;
        Ok(ClientView {
            id: row.id,
            registration_status: registration::status_on(
                stored,
                row.registration_expires_on,
                today,
            ),
            region: Region::from_stored(&row.region).map_err(internal)?,
            addiction: Addiction::from_stored(&row.addiction).map_err(internal)?,
            caseload_status: CaseloadStatus::from_stored(&row.caseload_status).map_err(internal)?,
            exit_reason: row
                .exit_reason
                .as_deref()
                .map(ExitReason::from_stored)
                .transpose()
                .map_err(internal)?,
            code: row.code,
            alias: row.alias,
            registration_number: row.registration_number,
            registration_date: row.registration_date,
            registration_expires_on: row.registration_expires_on,
            sheltered_housing: row.sheltered_housing,
            known_at_huiskamer: row.known_at_huiskamer,
            top15: row.top15,
            intake_on: row.intake_on,
            exit_on: row.exit_on,
            exit_note: row.exit_note,
            out_of_view: file.out_of_view,
            casemanager_count: file.casemanager_count,
            followup_threshold_days: row.followup_threshold_days,
            effective_threshold_days: file.effective_threshold_days,
            last_contact_at: row.last_contact_at.map(|t| state.zone.to_local(t)),
        })
    }
}
