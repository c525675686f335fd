//! When each client's absence follow-up falls due, kept in the same transaction as every
//! change that decides it (`refresh`): a contact, her status, her own threshold, her
//! intake day. The sweep then reads only the clients due (`open_due`) instead of every
//! open file, and marks each handled; a later contact sets her next moment. A server
//! started with other thresholds or another zone computes every moment again
//! (`rebuild_if_changed`).

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::queries::absences::{self, AbsenceCandidate};
use crate::db::queries::clients::ClientRow;
use crate::db::queries::followups;
use crate::db::queries::keyed_followups::{self, KeyedFollowup};
use crate::domain::caseload::{AbsenceRules, ExpectedDue, absent_since};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup_key::FollowupKey;
use crate::error::ApiError;

/// Her moment by the rules; `None` for a closed file (or a status the code does not know,
/// which the database's CHECK rules out).
pub(super) fn due_at(rules: &AbsenceRules, client: &AbsenceCandidate) -> Option<NaiveDateTime> {
    let status = CaseloadStatus::from_code(&client.caseload_status)?;
    rules.due_at(
        status,
        client.threshold_days,
        client.last_contact_at,
        client.intake_on,
        client.created_at,
    )
}

/// Her moment once a contact seen at `seen_at` is added, by what was read of her before
/// the write (`client`): the tally tap passes it to `contact_changed`, which checks it.
pub fn expected_after(
    rules: &AbsenceRules,
    client: &ClientRow,
    seen_at: NaiveDateTime,
) -> ExpectedDue {
    let last = client
        .last_contact_at
        .map_or(seen_at, |last| last.max(seen_at));
    ExpectedDue::At(
        CaseloadStatus::from_code(&client.caseload_status).and_then(|status| {
            rules.due_at(
                status,
                client.followup_threshold_days,
                Some(last),
                client.intake_on,
                client.created_at,
            )
        }),
    )
}

/// Computes her moment again after a change that may move it (her status, her own
/// threshold, her intake day; a new file).
pub fn refresh(
    conn: &mut DbConnection,
    client_id: i64,
    rules: &AbsenceRules,
) -> diesel::QueryResult<()> {
    match absences::inputs(conn, client_id)? {
        Some(client) => keep(conn, &client, rules),
        None => Ok(()),
    }
}

/// Stores her moment from what was just read of her.
pub(super) fn keep(
    conn: &mut DbConnection,
    client: &AbsenceCandidate,
    rules: &AbsenceRules,
) -> diesel::QueryResult<()> {
    absences::set(conn, client.client_id, due_at(rules, client))
}

/// Computes every open client's moment, and clears the others'.
pub fn rebuild(
    conn: &mut DbConnection,
    rules: &AbsenceRules,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    absences::clear_all(conn)?;
    let open = absences::open_clients(conn)?;
    for client in &open {
        absences::set(conn, client.client_id, due_at(rules, client))?;
    }
    absences::set_rules(conn, &rules.fingerprint(), now)?;
    Ok(open.len())
}

/// At start: computes every moment again if they were computed with other rules (or
/// never). Returns how many clients it computed, `None` when nothing changed.
pub fn rebuild_if_changed(
    conn: &mut DbConnection,
    rules: &AbsenceRules,
    now: NaiveDateTime,
) -> diesel::QueryResult<Option<usize>> {
    if absences::rules(conn)?.as_deref() == Some(rules.fingerprint().as_str()) {
        return Ok(None);
    }
    rebuild(conn, rules, now).map(Some)
}

/// The sweep's step: opens a follow-up for every absence due at `now`, unless one is still
/// open for her (once per absence: the key `absence:<client>:<start of absence>`), and
/// marks each client handled. Closing an absence by hand computes her moment again.
pub fn open_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    rules: &AbsenceRules,
) -> Result<usize, ApiError> {
    let mut opened = 0;
    for (client, was) in absences::due(conn, now)? {
        match due_at(rules, &client) {
            Some(due) if due <= now => {
                if !followups::has_open_absence(conn, client.client_id)? {
                    let since = absent_since(
                        client.last_contact_at,
                        client.intake_on,
                        client.created_at,
                        rules.zone,
                    );
                    let (team, id) = (client.team_id, client.client_id);
                    let key = FollowupKey::Absence { client: id, since };
                    let followup = KeyedFollowup {
                        absent_since: Some(since),
                        ..KeyedFollowup::new(key, team, id, due)
                    };
                    if keyed_followups::open_keyed(conn, &followup, now)?.is_some() {
                        opened += 1;
                    }
                }
                absences::replace(conn, client.client_id, was, None)?;
            }
            // Stored by other rules than this server's: keep her true moment.
            later => absences::replace(conn, client.client_id, was, later)?,
        }
    }
    Ok(opened)
}
