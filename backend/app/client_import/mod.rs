//! Bringing the team's client list in from a spreadsheet (coordinator only). A preview
//! says per row what an import would do; the import does it, in one write transaction,
//! deciding everything again against the database (nothing is taken from the preview).
//!
//! - Rows are matched on the client code within the coordinator's own team: a code that
//!   another team uses is a new client here. Erased clients are not matched.
//! - A new client follows the intake rules of `POST /clients`: she needs a roepnaam and a
//!   region, her intake date is today when the list has none, she starts in the active
//!   caseload.
//! - **Imported clients get no casemanager.** The list does not say who is whose, and
//!   making the coordinator casemanager of every client would send her each absence
//!   follow-up as casemanager and take them all off her list of clients without a
//!   casemanager, which is where she assigns them after the import.
//! - An empty cell keeps what a known client has; an import never clears a field. A row
//!   that changes nothing writes nothing, so importing the same file twice changes
//!   nothing the second time.
//! - Audit: one `client.create` or `client.update` entry per client created or changed
//!   (its detail names the fields, never their values), and one `client.import.preview`
//!   or `client.import` entry per request, about no one client: both read which codes
//!   the team has.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::Identity;
use super::audit::{self, Action, Event as AuditEvent, Outcome};
use super::client_status;
use super::followups::absence;
use super::registration_events;
use crate::db::DbConnection;
use crate::db::queries::clients::{self, ClientRow, ListFilter, Scope};
use crate::domain::caseload::StatusChange;
use crate::domain::client_import::{
    self, CellError, Column, Grant, ImportFile, ImportRow, RowError,
};
use crate::domain::code::Code;
use crate::domain::registration::{self, Event, EventKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

mod plan;

use plan::{Step, changes, new_client, plan};

/// The columns an import reads, in the template's order.
const COLUMNS: &[Column] = &[
    Column::Code,
    Column::Alias,
    Column::Region,
    Column::IntakeOn,
    Column::ThresholdDays,
    Column::RegistrationNumber,
    Column::RegistrationGrantedOn,
    Column::RegistrationExpiresOn,
];

/// What an import does (or would do) with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Create,
    Change,
    Unchanged,
    Error,
}

impl Code for RowAction {
    const ALL: &'static [Self] = &[Self::Create, Self::Change, Self::Unchanged, Self::Error];

    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Change => "change",
            Self::Unchanged => "unchanged",
            Self::Error => "error",
        }
    }
}

/// A field of her file an import sets, named as in the client's API view (the
/// registration's number and dates are one field: a grant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Alias,
    Region,
    IntakeOn,
    FollowupThresholdDays,
    Registration,
}

impl Code for Field {
    const ALL: &'static [Self] = &[
        Self::Alias,
        Self::Region,
        Self::IntakeOn,
        Self::FollowupThresholdDays,
        Self::Registration,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Alias => "alias",
            Self::Region => "region",
            Self::IntakeOn => "intake_on",
            Self::FollowupThresholdDays => "followup_threshold_days",
            Self::Registration => "registration",
        }
    }
}

pub struct RowOutcome {
    pub line: u64,
    pub code: String,
    pub action: RowAction,
    /// For a new client the fields the row fills, for a known one those it changes.
    pub fields: Vec<Field>,
    pub errors: Vec<CellError>,
}

pub struct ImportOutcome {
    pub ignored_columns: Vec<String>,
    pub rows: Vec<RowOutcome>,
}

/// The template to fill in: the columns an import reads, Dutch headers, `;`, a BOM.
pub fn template(who: &Identity) -> Result<String, ApiError> {
    who.require(Role::coordinates)?;
    Ok(client_import::template(COLUMNS))
}

/// The team a coordinator imports into, and her file read: who may import is checked
/// before the file is.
fn read_file(who: &Identity, csv: &str) -> Result<(i64, ImportFile), ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    Ok((team, client_import::parse(csv.as_bytes())?))
}

/// What importing the file `csv` would do; writes nothing but its audit entry.
pub async fn preview(
    state: &AppState,
    who: &Identity,
    csv: String,
) -> Result<ImportOutcome, ApiError> {
    let (team, file) = read_file(who, &csv)?;
    let today = state.zone.local_date(state.clock.now());
    let event = AuditEvent::search("client.import.preview");
    audit::read_logged(state, who, event, move |conn, _, _| {
        let known = known_clients(conn, team)?;
        let (mut outcome, work) = plan(&file, &known);
        grants_that_fit(conn, &mut outcome, work, today)?;
        Ok(outcome)
    })
    .await
}

/// Imports the readable rows of the file `csv`, skipping the others, and says what it did.
pub async fn apply(
    state: &AppState,
    who: &Identity,
    csv: String,
) -> Result<ImportOutcome, ApiError> {
    let (team, file) = read_file(who, &csv)?;
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let (who, rules) = (who.clone(), state.absence_rules());
    state
        .db
        .write(move |conn| {
            let known = known_clients(conn, team)?;
            let (mut outcome, work) = plan(&file, &known);
            for (row, step) in grants_that_fit(conn, &mut outcome, work, today)? {
                let fields = json!({ "source": "import", "fields": names(&step.fields) });
                let event = match step.client {
                    None => {
                        let new = new_client(team, row, today, now);
                        let intake_on = new.intake_on.unwrap_or(today);
                        let id = clients::create(conn, &new)?;
                        client_status::record(
                            conn,
                            id,
                            StatusChange::Intake,
                            intake_on,
                            None,
                            &who,
                            now,
                        )?;
                        record_grant(conn, id, row, &who, today, now)?;
                        absence::refresh(conn, id, &rules)?;
                        AuditEvent::on("client.create", Action::Create, id)
                    }
                    Some(id) => {
                        clients::update(conn, id, &changes(row, &step.fields, now))?;
                        absence::refresh(conn, id, &rules)?;
                        if step.fields.contains(&Field::Registration) {
                            record_grant(conn, id, row, &who, today, now)?;
                        }
                        AuditEvent::on("client.update", Action::Update, id)
                    }
                };
                audit::record_change(conn, who.actor(), now, &event, &fields)?;
            }
            let event = AuditEvent::search("client.import");
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(outcome)
        })
        .await
}

fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.as_str()).collect()
}

fn known_clients(
    conn: &mut DbConnection,
    team: i64,
) -> Result<HashMap<String, ClientRow>, ApiError> {
    let filter = ListFilter {
        scope: Scope::Team(team),
        search: None,
        caseload_status: None,
    };
    Ok(clients::list(conn, &filter)?
        .into_iter()
        .map(|row| (row.code.clone(), row))
        .collect())
}

/// The work whose grant fits her registration history. A grant dated in the future or
/// before her latest event makes its row an error, like a cell that cannot be read: the
/// preview shows it and the import skips that row, not the whole file.
fn grants_that_fit<'a>(
    conn: &mut DbConnection,
    outcome: &mut ImportOutcome,
    work: Vec<(&'a ImportRow, Step)>,
    today: NaiveDate,
) -> Result<Vec<(&'a ImportRow, Step)>, ApiError> {
    let mut fitting = Vec::with_capacity(work.len());
    for (row, step) in work {
        let grant = row
            .registration
            .as_ref()
            .filter(|_| step.fields.contains(&Field::Registration));
        let refusal = match grant {
            None => None,
            Some(grant) => {
                let history = match step.client {
                    Some(id) => registration_events::stored_events(conn, id)?,
                    None => Vec::new(),
                };
                registration::check(grant_event(grant), today, &history).err()
            }
        };
        let Some(refusal) = refusal else {
            fitting.push((row, step));
            continue;
        };
        let (column, error) = match refusal.code {
            "date_in_future" => (Column::RegistrationGrantedOn, RowError::DateInFuture),
            "before_latest_event" => (Column::RegistrationGrantedOn, RowError::BeforeLatestEvent),
            "expiry_before_grant" => (Column::RegistrationExpiresOn, RowError::ExpiryBeforeGrant),
            _ => return Err(refusal.into()),
        };
        let code = row.code.clone().into_inner();
        if let Some(line) = outcome.rows.iter_mut().find(|line| line.code == code) {
            line.action = RowAction::Error;
            line.fields.clear();
            line.errors.push(CellError { column, error });
        }
    }
    Ok(fitting)
}

fn grant_event(grant: &Grant) -> Event {
    Event {
        kind: EventKind::Granted,
        on: grant.granted_on,
        number: Some(grant.number.clone()),
        expires_on: Some(grant.expires_on),
    }
}

/// A grant the file gives her, as a `granted` registration event.
fn record_grant(
    conn: &mut DbConnection,
    client: i64,
    row: &ImportRow,
    who: &Identity,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    if let Some(grant) = &row.registration {
        let event = grant_event(grant);
        registration_events::record(conn, client, event, today, Some(who.user_id), now)?;
    }
    Ok(())
}
