//! Follow-ups: no woman silently drops out of view. The sweep opens a follow-up when a
//! client has not been seen for her threshold, tells her casemanagers, escalates what
//! nobody picks up, and hands everything to Web Push.

pub mod absence;
pub mod actions;
pub mod listing;
pub mod meeting_decisions;
pub mod notify;
pub mod plan;
pub mod referral_waiting;
pub mod registration;
pub mod review;
pub mod sweep;

use chrono::{NaiveDate, NaiveDateTime};

use crate::db::DbConnection;
use crate::db::queries::clients;
use crate::db::queries::followups::{self, FollowupRow};
use crate::db::queries::{plan_followups, referral_waits};
use crate::domain::caseload::{AbsenceRules, ExpectedDue};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::followup::FollowupKind;
use crate::domain::role::Role;
use crate::timezone::Zone;

/// Keeps a client's `last_contact_at`, her absence follow-ups and the moment her next
/// absence falls due in step with her contacts. Called in the same transaction as every
/// create, correction and deletion: a contact after the start of an absence closes its
/// follow-up, noting who and when. `expected_due` is the moment the caller expects from
/// what it read of her before the write (`absence::expected_after`): written with her last
/// contact in one statement, and set again here only when what the write found differs.
pub fn contact_changed(
    conn: &mut DbConnection,
    client_id: i64,
    by: i64,
    now: NaiveDateTime,
    rules: &AbsenceRules,
    expected_due: ExpectedDue,
) -> diesel::QueryResult<()> {
    let (client, absence_open) = clients::refresh_last_contact(conn, client_id, expected_due)?;
    if let (Some(last), true) = (client.last_contact_at, absence_open) {
        followups::close_absences_seen(conn, client_id, last, by, now)?;
    }
    if expected_due != ExpectedDue::At(absence::due_at(rules, &client)) {
        absence::keep(conn, &client, rules)?;
    }
    Ok(())
}

/// After her file's status changed (closed, reopened, between the team's caseload and
/// regular care), in the same transaction: what the sweep is to look at for her is
/// computed again (her plan's review, her registration, her waiting referrals, the actions
/// of her plan, the decisions about her), since the sweep passes over what belongs to a
/// file that is not open.
pub fn file_changed(
    conn: &mut DbConnection,
    client_id: i64,
    now: NaiveDateTime,
    zone: Zone,
) -> diesel::QueryResult<()> {
    review::refresh(conn, client_id, now, zone)?;
    registration::changed(conn, client_id, now)?;
    referral_waits::refresh_of_client(conn, client_id)?;
    plan_followups::refresh_actions(conn, None, Some(client_id))?;
    meeting_decisions::refresh_of_client(conn, client_id)
}

/// Who answers for a follow-up on `day`: one addressed to one person (an action's owner)
/// that person; for a reminder the one who set it; for the
/// absence of a client in regular care, whom the team monitors rather than cares for, the
/// team's coordinators; otherwise the client's casemanagers; with none assigned, the
/// team's coordinators.
pub fn responsible(
    conn: &mut DbConnection,
    followup: &FollowupRow,
    day: NaiveDate,
) -> diesel::QueryResult<Vec<i64>> {
    if let Some(owner) = followup.owner_id {
        return Ok(vec![owner]);
    }
    if followup.kind == FollowupKind::Reminder.as_str()
        && let Some(creator) = followup.created_by
    {
        return Ok(vec![creator]);
    }
    if followup.kind == FollowupKind::Absence.as_str()
        && clients::caseload_status_of(conn, followup.client_id)?
            .is_some_and(|status| status == CaseloadStatus::RegularCare.as_str())
    {
        return followups::team_members_with_role(conn, followup.team_id, Role::Coordinator);
    }
    let casemanagers = followups::casemanagers_on(conn, followup.client_id, day)?;
    if !casemanagers.is_empty() {
        return Ok(casemanagers);
    }
    followups::team_members_with_role(conn, followup.team_id, Role::Coordinator)
}
