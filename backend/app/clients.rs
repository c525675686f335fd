//! Clients: the team's list and its search, her file, registering her (the registration
//! she already has becomes her first registration event), changing her file. Closing and
//! reopening her trajectory, and her status history, are in `client_status`. Every read
//! and change is audit-logged.

use chrono::{NaiveDate, NaiveDateTime};

use super::Identity;
use super::access::{self, Need};
use super::audit::{self, Action, Event, Outcome};
use super::casemanagers;
use super::client_status;
use super::followups::{self, absence};
use super::registration_events;
use crate::db::DbConnection;
use crate::db::queries::client_status as history;
use crate::db::queries::clients::{self, ClientChanges, ClientRow, ListFilter, NewClient, Scope};
use crate::domain::caseload::{self, AbsenceRules, StatusChange};
use crate::domain::client::{
    Addiction, Alias, CaseloadStatus, ClientCode, Region, RegistrationStatus, ThresholdDays,
};
use crate::domain::code::Code;
use crate::domain::ids::{ClientId, UserId};
use crate::domain::registration::{Event as RegistrationEvent, EventKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Her file as the team sees it: the stored row and what follows from it today.
pub struct ClientFile {
    pub row: ClientRow,
    /// Her casemanagers today (0: nobody).
    pub casemanager_count: i64,
    /// Not closed, and no named contact for `out_of_view_days`.
    pub out_of_view: bool,
    /// Her own threshold, else the default of her status.
    pub effective_threshold_days: i64,
}

/// The settings a file is read with.
#[derive(Clone, Copy)]
pub struct FileRules {
    /// Her thresholds and the zone; also when her absence falls due after a change.
    pub absence: AbsenceRules,
    out_of_view_days: i64,
}

impl FileRules {
    pub fn of(state: &AppState) -> FileRules {
        FileRules {
            absence: state.absence_rules(),
            out_of_view_days: i64::from(state.settings.out_of_view_days),
        }
    }

    fn file(
        self,
        row: ClientRow,
        casemanager_count: i64,
        now: NaiveDateTime,
    ) -> Result<ClientFile, ApiError> {
        let status =
            CaseloadStatus::from_stored(&row.caseload_status).map_err(ApiError::internal)?;
        let since = caseload::absent_since(
            row.last_contact_at,
            row.intake_on,
            row.created_at,
            self.absence.zone,
        );
        Ok(ClientFile {
            casemanager_count,
            out_of_view: caseload::out_of_view(status, since, now, self.out_of_view_days),
            effective_threshold_days: self
                .absence
                .thresholds
                .for_client(status, row.followup_threshold_days),
            row,
        })
    }

    /// One client's file, with her casemanagers counted.
    pub fn load(
        self,
        conn: &mut DbConnection,
        row: ClientRow,
        now: NaiveDateTime,
    ) -> Result<ClientFile, ApiError> {
        let today = self.absence.zone.local_date(now);
        let counts = clients::casemanager_counts(conn, &Scope::Only(vec![row.id]), today)?;
        let count = counts.get(&row.id).copied().unwrap_or(0);
        self.file(row, count, now)
    }
}

/// What the list is narrowed to.
#[derive(Default)]
pub struct Filter {
    /// Part of the alias or code (a search, itself audit-logged).
    pub search: Option<String>,
    pub status: Option<CaseloadStatus>,
    pub out_of_view: Option<bool>,
    pub without_casemanager: Option<bool>,
}

/// Lists the caller's clients, or searches them by part of the alias or code; the search
/// itself is audit-logged.
pub async fn find(
    state: &AppState,
    who: &Identity,
    filter: Filter,
) -> Result<Vec<ClientFile>, ApiError> {
    let event = Event::search("client.search");
    let rules = FileRules::of(state);
    audit::read_logged(state, who, event, move |conn, who, now| {
        let scope = access::client_scope(conn, who, now)?;
        let counts = clients::casemanager_counts(conn, &scope, rules.absence.zone.local_date(now))?;
        let rows = clients::list(
            conn,
            &ListFilter {
                scope,
                search: filter.search,
                caseload_status: filter.status.map(|s| s.as_str().to_owned()),
            },
        )?;
        let mut files = Vec::with_capacity(rows.len());
        for row in rows {
            let count = counts.get(&row.id).copied().unwrap_or(0);
            let file = rules.file(row, count, now)?;
            let wanted = filter.out_of_view.is_none_or(|out| file.out_of_view == out)
                && filter
                    .without_casemanager
                    .is_none_or(|without| (file.casemanager_count == 0) == without);
            if wanted {
                files.push(file);
            }
        }
        Ok(files)
    })
    .await
}

/// One client's file; the read is audit-logged.
pub async fn get(state: &AppState, who: &Identity, id: ClientId) -> Result<ClientFile, ApiError> {
    let event = Event::on("client.read", Action::Read, id.get());
    let rules = FileRules::of(state);
    audit::read_logged(state, who, event, move |conn, who, now| {
        let row = access::client(conn, who, now, id.get(), Need::Read, &event)?;
        rules.load(conn, row, now)
    })
    .await
}

/// A new client as registered at intake.
pub struct Intake {
    pub alias: Alias,
    /// Generated when left out.
    pub code: Option<ClientCode>,
    pub registration_status: RegistrationStatus,
    pub registration_number: Option<String>,
    pub registration_date: Option<NaiveDate>,
    pub registration_expires_on: Option<NaiveDate>,
    pub region: Region,
    pub addiction: Addiction,
    pub sheltered_housing: bool,
    pub known_at_huiskamer: bool,
    /// Defaults to today.
    pub intake_on: Option<NaiveDate>,
    pub threshold: Option<ThresholdDays>,
    /// Her casemanager from the intake on: a casemanager or coordinator of the team;
    /// by default whoever registers her.
    pub casemanager: Option<UserId>,
}

/// Registers a client in the caller's team, with her intake in her status history and
/// her first casemanager, in one transaction.
pub async fn create(
    state: &AppState,
    who: &Identity,
    intake: Intake,
) -> Result<ClientFile, ApiError> {
    who.require(Role::edits_clients)?;
    let team = who.team()?;
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let intake_on = intake.intake_on.unwrap_or(today);
    let casemanager = intake.casemanager.map_or(who.user_id, UserId::get);
    let registration = intake_registration(&intake, intake_on)?;
    let new = NewClient {
        team_id: team,
        code: match intake.code {
            Some(code) => code.into_inner(),
            None => generated_code(),
        },
        alias: intake.alias.into_inner(),
        // Her registration follows from the event recorded below.
        registration_status: RegistrationStatus::None.as_str().to_owned(),
        registration_number: None,
        registration_date: None,
        registration_expires_on: None,
        region: intake.region.as_str().to_owned(),
        caseload_status: CaseloadStatus::Active.as_str().to_owned(),
        intake_on: Some(intake_on),
        exit_on: None,
        followup_threshold_days: intake.threshold.map(ThresholdDays::get),
        created_at: now,
        updated_at: now,
        addiction: intake.addiction.as_str().to_owned(),
        sheltered_housing: intake.sheltered_housing,
        known_at_huiskamer: intake.known_at_huiskamer,
        exit_reason: None,
        exit_note: None,
    };
    let who = who.clone();
    let rules = FileRules::of(state);
    state
        .db
        .write(move |conn| {
            casemanagers::check_eligible(conn, casemanager, team)?;
            let id = clients::create(conn, &new).map_err(code_taken)?;
            client_status::record(conn, id, StatusChange::Intake, intake_on, None, &who, now)?;
            absence::refresh(conn, id, &rules.absence)?;
            // From her intake, or from today when the intake is planned for later.
            clients::assign(conn, id, casemanager, intake_on.min(today), None, now)?;
            if let Some(event) = registration {
                registration_events::record(conn, id, event, today, Some(who.user_id), now)?;
            }
            let event = Event::on("client.create", Action::Create, id);
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            let row = clients::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)?;
            rules.load(conn, row, now)
        })
        .await
}

/// The registration she already has at intake, as her first registration event (dated
/// at her registration date, else her intake).
fn intake_registration(
    intake: &Intake,
    intake_on: NaiveDate,
) -> Result<Option<RegistrationEvent>, ApiError> {
    let kind = match intake.registration_status {
        RegistrationStatus::None => return Ok(None),
        RegistrationStatus::Applied => EventKind::Applied,
        RegistrationStatus::Registered => EventKind::Granted,
        RegistrationStatus::Refused => EventKind::Refused,
        RegistrationStatus::Expired | RegistrationStatus::Ended => {
            return Err(ApiError::invalid(
                "validation_failed",
                "At intake a registration is none, applied, registered or refused; record what happened since as registration events.",
            ));
        }
    };
    let dated = kind.is_dated();
    Ok(Some(RegistrationEvent {
        kind,
        on: intake.registration_date.unwrap_or(intake_on),
        number: intake.registration_number.clone().filter(|_| dated),
        expires_on: intake.registration_expires_on.filter(|_| dated),
    }))
}

/// A short random internal code such as `C-7KQ2XM`, for clients created without one.
fn generated_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("C-{tail}")
}

fn code_taken(err: diesel::result::Error) -> ApiError {
    super::taken(
        err,
        "client_code_taken",
        "Another client of this team has that code.",
    )
}

/// Changes to her file; each field given replaces the stored one (`Some(None)` clears).
/// Her registration changes only through her registration events.
#[derive(Default)]
pub struct FileChanges {
    pub alias: Option<Alias>,
    pub code: Option<ClientCode>,
    pub region: Option<Region>,
    pub addiction: Option<Addiction>,
    pub sheltered_housing: Option<bool>,
    pub known_at_huiskamer: Option<bool>,
    /// Marked as part of the city's Top 15&15 approach, which the process director sees.
    pub top15: Option<bool>,
    /// `active` or `regular_care`; closing goes through `client_status::close` (the
    /// request is refused before it gets here), reopening through `reopen`.
    pub caseload_status: Option<CaseloadStatus>,
    pub intake_on: Option<Option<NaiveDate>>,
    /// `Some(None)` returns to the configured default.
    pub threshold: Option<Option<ThresholdDays>>,
}

/// Changes a client's file. A move between the team's own caseload and regular care is
/// recorded in her status history in the same transaction, dated today.
pub async fn update(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    file: FileChanges,
) -> Result<ClientFile, ApiError> {
    let rules = FileRules::of(state);
    let today = state.zone.local_date(state.clock.now());
    let mut changes = ClientChanges {
        alias: file.alias.map(Alias::into_inner),
        code: file.code.map(ClientCode::into_inner),
        region: file.region.map(|r| r.as_str().to_owned()),
        addiction: file.addiction.map(|a| a.as_str().to_owned()),
        sheltered_housing: file.sheltered_housing,
        known_at_huiskamer: file.known_at_huiskamer,
        top15: file.top15,
        caseload_status: file.caseload_status.map(|s| s.as_str().to_owned()),
        intake_on: file.intake_on,
        followup_threshold_days: file.threshold.map(|d| d.map(ThresholdDays::get)),
        ..ClientChanges::default()
    };
    let event = ("client.update", Action::Update);
    access::change_of_client(state, who, id, event, move |conn, found, who, now| {
        if let Some(to) = file.caseload_status {
            let from =
                CaseloadStatus::from_stored(&found.caseload_status).map_err(ApiError::internal)?;
            if from == CaseloadStatus::Closed {
                return Err(client_status::closed_already());
            }
            if let Some(change) = StatusChange::between_open(from, to) {
                client_status::record(conn, id.get(), change, today, None, who, now)?;
            }
        }
        if let Some(Some(intake_on)) = changes.intake_on {
            history::move_intake(conn, id.get(), intake_on)?;
        }
        changes.updated_at = Some(now);
        clients::update(conn, id.get(), &changes).map_err(code_taken)?;
        absence::refresh(conn, id.get(), &rules.absence)?;
        if file.caseload_status.is_some() {
            followups::file_changed(conn, id.get(), now, rules.absence.zone)?;
        }
        let row =
            clients::find_in_team(conn, id.get(), found.team_id)?.ok_or(ApiError::NotFound)?;
        rules.load(conn, row, now)
    })
    .await
}
