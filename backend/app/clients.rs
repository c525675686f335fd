//! Clients: the team's list and its search, her file, registering her, changing her
//! file, closing and reopening her trajectory. Every read and change is audit-logged.

use chrono::NaiveDate;

use super::Identity;
use super::access::{self, Need};
use super::audit::{self, Action, Event, Outcome};
use crate::db::queries::clients::{self, ClientChanges, ClientRow, ListFilter, NewClient};
use crate::domain::client::{
    Alias, CaseloadStatus, ClientCode, Region, RegistrationStatus, ThresholdDays,
};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Lists the caller's clients, or searches them by part of the alias or code; the search
/// itself is audit-logged.
pub async fn find(
    state: &AppState,
    who: &Identity,
    search: Option<String>,
    status: Option<CaseloadStatus>,
) -> Result<Vec<ClientRow>, ApiError> {
    let event = Event::search("client.search");
    audit::read_logged(state, who, event, move |conn, who, now| {
        let scope = access::client_scope(conn, who, now)?;
        Ok(clients::list(
            conn,
            &ListFilter {
                scope,
                search,
                caseload_status: status.map(|s| s.as_str().to_owned()),
            },
        )?)
    })
    .await
}

/// One client's file; the read is audit-logged.
pub async fn get(state: &AppState, who: &Identity, id: ClientId) -> Result<ClientRow, ApiError> {
    let event = Event::on("client.read", Action::Read, id.get());
    audit::read_logged(state, who, event, move |conn, who, now| {
        access::client(conn, who, now, id.get(), Need::Read, &event)
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
    /// Defaults to today.
    pub intake_on: Option<NaiveDate>,
    pub threshold: Option<ThresholdDays>,
}

/// Registers a client in the caller's team.
pub async fn create(
    state: &AppState,
    who: &Identity,
    intake: Intake,
) -> Result<ClientRow, ApiError> {
    who.require(Role::edits_clients)?;
    let team = who.team()?;
    let now = state.clock.now();
    let new = NewClient {
        team_id: team,
        code: match intake.code {
            Some(code) => code.into_inner(),
            None => generated_code(),
        },
        alias: intake.alias.into_inner(),
        registration_status: intake.registration_status.as_str().to_owned(),
        registration_number: intake.registration_number,
        registration_date: intake.registration_date,
        registration_expires_on: intake.registration_expires_on,
        region: intake.region.as_str().to_owned(),
        caseload_status: CaseloadStatus::Active.as_str().to_owned(),
        intake_on: Some(intake.intake_on.unwrap_or(state.zone.local_date(now))),
        exit_on: None,
        followup_threshold_days: intake.threshold.map(ThresholdDays::get),
        created_at: now,
        updated_at: now,
    };
    let who = who.clone();
    state
        .db
        .write(move |conn| {
            let id = clients::create(conn, &new).map_err(code_taken)?;
            let event = Event::on("client.create", Action::Create, id);
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            clients::find_in_team(conn, id, team)?.ok_or(ApiError::NotFound)
        })
        .await
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
#[derive(Default)]
pub struct FileChanges {
    pub alias: Option<Alias>,
    pub code: Option<ClientCode>,
    pub registration_status: Option<RegistrationStatus>,
    pub registration_number: Option<Option<String>>,
    pub registration_date: Option<Option<NaiveDate>>,
    pub registration_expires_on: Option<Option<NaiveDate>>,
    pub region: Option<Region>,
    /// `active` or `regular_care`; closing goes through `close` (the request is refused
    /// before it gets here).
    pub caseload_status: Option<CaseloadStatus>,
    pub intake_on: Option<Option<NaiveDate>>,
    /// `Some(None)` returns to the configured default.
    pub threshold: Option<Option<ThresholdDays>>,
}

/// Changes a client's file.
pub async fn update(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    file: FileChanges,
) -> Result<ClientRow, ApiError> {
    let changes = ClientChanges {
        alias: file.alias.map(Alias::into_inner),
        code: file.code.map(ClientCode::into_inner),
        registration_status: file.registration_status.map(|s| s.as_str().to_owned()),
        registration_number: file.registration_number,
        registration_date: file.registration_date,
        registration_expires_on: file.registration_expires_on,
        region: file.region.map(|r| r.as_str().to_owned()),
        caseload_status: file.caseload_status.map(|s| s.as_str().to_owned()),
        intake_on: file.intake_on,
        exit_on: None,
        followup_threshold_days: file.threshold.map(|d| d.map(ThresholdDays::get)),
        updated_at: None,
    };
    change(state, who, id, "client.update", changes).await
}

/// Closes her trajectory on `exit_on` (default today).
pub async fn close(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    exit_on: Option<NaiveDate>,
) -> Result<ClientRow, ApiError> {
    let today = state.zone.local_date(state.clock.now());
    let changes = ClientChanges {
        caseload_status: Some(CaseloadStatus::Closed.as_str().to_owned()),
        exit_on: Some(Some(exit_on.unwrap_or(today))),
        ..ClientChanges::default()
    };
    change(state, who, id, "client.close", changes).await
}

/// Reopens a closed client: back in the active caseload, exit date cleared.
pub async fn reopen(state: &AppState, who: &Identity, id: ClientId) -> Result<ClientRow, ApiError> {
    let changes = ClientChanges {
        caseload_status: Some(CaseloadStatus::Active.as_str().to_owned()),
        exit_on: Some(None),
        ..ClientChanges::default()
    };
    change(state, who, id, "client.reopen", changes).await
}

/// Applies `changes` to a client the caller may edit, audit-logged in the same transaction.
async fn change(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    event_name: &'static str,
    mut changes: ClientChanges,
) -> Result<ClientRow, ApiError> {
    let event = (event_name, Action::Update);
    access::change_of_client(state, who, id, event, move |conn, found, _, now| {
        changes.updated_at = Some(now);
        clients::update(conn, id.get(), &changes).map_err(code_taken)?;
        clients::find_in_team(conn, id.get(), found.team_id)?.ok_or(ApiError::NotFound)
    })
    .await
}
