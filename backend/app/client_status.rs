//! Her place in the caseload over time: closing her trajectory with a reason, reopening
//! it, and her status history, which every change writes to in its own transaction
//! (intake, to regular care, back to the team's own caseload, closed, reopened).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use super::Identity;
use super::access;
use super::audit::Action;
use super::clients::{ClientFile, FileRules};
use super::followups::{self, absence};
use crate::db::DbConnection;
use crate::db::queries::client_status::{self as history, NewStatusChange};
use crate::db::queries::clients::{self, ClientChanges, ClientRow};
use crate::domain::caseload::{self, StatusChange};
use crate::domain::client::{CaseloadStatus, ExitNote, ExitReason};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::state::AppState;

/// Records one change of her status. Call it in the transaction of the change.
pub fn record(
    conn: &mut DbConnection,
    client_id: i64,
    change: StatusChange,
    on: NaiveDate,
    exit: Option<(ExitReason, Option<String>)>,
    who: &Identity,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let (reason, note) = match exit {
        Some((reason, note)) => (Some(reason.as_str().to_owned()), note),
        None => (None, None),
    };
    history::record(
        conn,
        &NewStatusChange {
            client_id,
            change: change.as_str().to_owned(),
            changed_on: on,
            reason,
            note,
            recorded_by: Some(who.user_id),
            recorded_at: now,
        },
    )
}

/// A closed file changes status only by being reopened.
pub fn closed_already() -> ApiError {
    ApiError::conflict(
        "client_closed",
        "Her file is closed: reopen it (POST /api/v1/clients/{id}/reopen) before changing her status.",
    )
}

/// How a trajectory ends.
pub struct Closure {
    /// Defaults to today.
    pub exit_on: Option<NaiveDate>,
    pub reason: ExitReason,
    pub note: Option<ExitNote>,
}

/// Closes her trajectory on its exit date (today unless given; not in the future, not
/// before her last status change), with its reason.
pub async fn close(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    closure: Closure,
) -> Result<ClientFile, ApiError> {
    let rules = FileRules::of(state);
    let today = state.zone.local_date(state.clock.now());
    let event = ("client.close", Action::Update);
    access::change_of_client(state, who, id, event, move |conn, found, who, now| {
        if found.caseload_status == CaseloadStatus::Closed.as_str() {
            return Err(closed_already());
        }
        let last_change = history::last_changed_on(conn, id.get())?;
        let exit_on = caseload::exit_date(closure.exit_on.unwrap_or(today), today, last_change)?;
        let note = closure.note.map(ExitNote::into_inner);
        let exit = Some((closure.reason, note.clone()));
        record(
            conn,
            id.get(),
            StatusChange::Closed,
            exit_on,
            exit,
            who,
            now,
        )?;
        let exit = Some((exit_on, closure.reason, note));
        save_status(conn, rules, &found, CaseloadStatus::Closed, exit, now)
    })
    .await
}

/// Reopens a closed trajectory: back in the team's own caseload today, exit date and
/// reason cleared from her file; her history keeps them.
pub async fn reopen(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<ClientFile, ApiError> {
    let rules = FileRules::of(state);
    let today = state.zone.local_date(state.clock.now());
    let event = ("client.reopen", Action::Update);
    access::change_of_client(state, who, id, event, move |conn, found, who, now| {
        if found.caseload_status != CaseloadStatus::Closed.as_str() {
            return Err(ApiError::conflict(
                "client_open",
                "Her file is open: only a closed file can be reopened.",
            ));
        }
        // Reopened on her exit day at the earliest, so her history stays in order.
        let on = found.exit_on.map_or(today, |exit_on| exit_on.max(today));
        record(conn, id.get(), StatusChange::Reopened, on, None, who, now)?;
        save_status(conn, rules, &found, CaseloadStatus::Active, None, now)
    })
    .await
}

/// Writes her new caseload status to her file, with her exit (date, reason, note) when she
/// is closed and none when reopened, and loads the file as it now stands.
fn save_status(
    conn: &mut DbConnection,
    rules: FileRules,
    found: &ClientRow,
    status: CaseloadStatus,
    exit: Option<(NaiveDate, ExitReason, Option<String>)>,
    now: NaiveDateTime,
) -> Result<ClientFile, ApiError> {
    let (exit_on, exit_reason, exit_note) = match exit {
        Some((on, reason, note)) => (Some(on), Some(reason.as_str().to_owned()), note),
        None => (None, None, None),
    };
    let changes = ClientChanges {
        caseload_status: Some(status.as_str().to_owned()),
        exit_on: Some(exit_on),
        exit_reason: Some(exit_reason),
        exit_note: Some(exit_note),
        updated_at: Some(now),
        ..ClientChanges::default()
    };
    clients::update(conn, found.id, &changes)?;
    absence::refresh(conn, found.id, &rules.absence)?;
    followups::file_changed(conn, found.id, now, rules.absence.zone)?;
    let row = clients::find_in_team(conn, found.id, found.team_id)?.ok_or(ApiError::NotFound)?;
    rules.load(conn, row, now)
}

/// One change in her status history.
pub struct HistoryEntry {
    pub change: StatusChange,
    pub status: CaseloadStatus,
    pub on: NaiveDate,
    pub reason: Option<ExitReason>,
    pub note: Option<String>,
    /// Who recorded it; none for the history InBeeld wrote for files made before it kept one.
    pub by_display_name: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
}

/// Her status history, newest first; the read is audit-logged.
pub async fn history(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<Vec<HistoryEntry>, ApiError> {
    let zone = state.zone;
    access::read_of_client(state, who, id, "client.status_history.read", move |conn| {
        history::history(conn, id.get())?
            .into_iter()
            .map(|(row, by_display_name)| {
                let change = StatusChange::from_stored(&row.change).map_err(ApiError::internal)?;
                let reason = row
                    .reason
                    .as_deref()
                    .map(ExitReason::from_stored)
                    .transpose()
                    .map_err(ApiError::internal)?;
                Ok(HistoryEntry {
                    change,
                    status: change.status(),
                    on: row.changed_on,
                    reason,
                    note: row.note,
                    by_display_name,
                    recorded_at: zone.to_local(row.recorded_at),
                })
            })
            .collect()
    })
    .await
}
