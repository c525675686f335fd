//! Erasing a client: her personal data is deleted; a tombstone row and her contacts, as
//! bare counts, keep every past figure true. Runs inside the caller's write transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{case_meetings, signals, stagnations};
use crate::db::DbConnection;
use crate::db::schema::{
    client_casemanagers, client_status_changes, clients, contacts, flex_expenses, followup_events,
    followups, handovers, idempotency_keys, notifications, referrals, registration_events,
    timeout_stays,
};

/// What an erasure removed and what it kept as counts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    /// Contacts kept without note or services, for the figures.
    pub contacts_kept: usize,
    pub followups_deleted: usize,
    pub assignments_deleted: usize,
    /// Time-out stays kept without their place, for the year's count.
    pub timeout_stays_kept: usize,
    /// Referrals kept with kind, partner and dates but without the outcome's note, for
    /// the waiting times and the year's account.
    pub referrals_kept: usize,
    /// Stagnations kept with kind, status and dates but without reason, agreed actions or
    /// outcome, for the process director's counts.
    pub stagnations_kept: usize,
    /// Her items on case meetings' agendas deleted, with the decisions on them; the
    /// meetings stay.
    pub case_meeting_items_deleted: usize,
    /// Warm handovers (with their notes) deleted.
    pub handovers_deleted: usize,
    /// Flex-budget expenses kept as amounts, without description or link to her, so the
    /// year's accounts stay true.
    pub expenses_kept: usize,
    /// Changes of her caseload status kept without their notes, for the caseload figures.
    pub status_changes_kept: usize,
    /// Signals about her kept as counts: without text, indicators, hand-off names or the
    /// link to her.
    pub signals_kept: usize,
}

/// Closed clients, not yet erased, whose exit date lies before `exit_before`.
pub fn due_for_retention(conn: &mut DbConnection, exit_before: NaiveDate) -> QueryResult<Vec<i64>> {
    clients::table
        .filter(clients::caseload_status.eq("closed"))
        .filter(clients::erased_at.is_null())
        .filter(clients::exit_on.lt(exit_before))
        .order(clients::id)
        .select(clients::id)
        .load(conn)
}

/// Erases the closed client `client_id`, turning her row into a tombstone under the random
/// `pseudonym`. `None` when she is not (or no longer) closed or already erased: the check
/// and the change are one statement, so a concurrent reopen wins or waits, never mixes.
///
/// The tombstone keeps team, region, the categories the figures count (addiction,
/// sheltered housing, known at the Huiskamer), caseload status, intake and exit date and
/// exit reason (inflow, outflow, the caseload of past periods) and the file's creation
/// time; her status history keeps each change, its day and reason, not its note; her
/// contacts keep team, location, shift, kind and time (contacts, unique clients, first
/// contacts); her time-out stays keep their dates (the year's count); her flex expenses
/// keep date, amount and category (the year's accounts); the signals about her keep kind,
/// status, time, location and the kinds of their hand-offs, no longer linked to her. Everything else that could
/// describe her is deleted, the notes with her exit among it.
pub fn erase(
    conn: &mut DbConnection,
    client_id: i64,
    pseudonym: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Erased>> {
    let marked = diesel::update(
        clients::table
            .filter(clients::id.eq(client_id))
            .filter(clients::erased_at.is_null())
            .filter(clients::caseload_status.eq("closed")),
    )
    .set((
        clients::code.eq(pseudonym),
        clients::alias.eq(pseudonym),
        clients::registration_status.eq("none"),
        clients::registration_number.eq(None::<String>),
        clients::registration_date.eq(None::<NaiveDate>),
        clients::registration_expires_on.eq(None::<NaiveDate>),
        clients::followup_threshold_days.eq(None::<i32>),
        clients::last_contact_at.eq(None::<NaiveDateTime>),
        clients::exit_note.eq(None::<String>),
        clients::top15.eq(false),
        clients::updated_at.eq(now),
        clients::erased_at.eq(now),
    ))
    .execute(conn)?;
    if marked == 0 {
        return Ok(None);
    }
    let her_followups = || followups::table.filter(followups::client_id.eq(client_id));
    diesel::delete(notifications::table.filter(notifications::client_id.eq(client_id)))
        .execute(conn)?;
    let handovers_deleted =
        diesel::delete(handovers::table.filter(handovers::client_id.eq(client_id)))
            .execute(conn)?;
    let expenses_kept =
        diesel::update(flex_expenses::table.filter(flex_expenses::client_id.eq(client_id)))
            .set((
                flex_expenses::description.eq(""),
                flex_expenses::client_id.eq(None::<i64>),
            ))
            .execute(conn)?;
    // Explicit rather than trusting ON DELETE CASCADE, which SQLite honours only with the
    // foreign_keys pragma: queued notifications, then the timeline, then the follow-ups.
    diesel::delete(notifications::table.filter(
        notifications::followup_id.eq_any(her_followups().select(followups::id.nullable())),
    ))
    .execute(conn)?;
    diesel::delete(
        followup_events::table
            .filter(followup_events::followup_id.eq_any(her_followups().select(followups::id))),
    )
    .execute(conn)?;
    let followups_deleted =
        diesel::delete(followups::table.filter(followups::client_id.eq(client_id)))
            .execute(conn)?;
    // Her registration number is in them; her file already says `none`.
    diesel::delete(registration_events::table.filter(registration_events::client_id.eq(client_id)))
        .execute(conn)?;
    // Her plan is hers alone: the tombstone keeps no scores.
    super::assessments::delete_of_client(conn, client_id)?;
    super::plan::delete_of_client(conn, client_id)?;
    super::plan_reviews::delete_of_client(conn, client_id)?;
    // Nothing of hers is for the sweep to look at again.
    diesel::update(clients::table.find(client_id))
        .set((
            clients::review_due_on.eq(None::<NaiveDate>),
            clients::registration_due_on.eq(None::<NaiveDate>),
        ))
        .execute(conn)?;
    let assignments_deleted = diesel::delete(
        client_casemanagers::table.filter(client_casemanagers::client_id.eq(client_id)),
    )
    .execute(conn)?;
    let her_contacts = contacts::table
        .filter(contacts::client_id.eq(client_id))
        .select(contacts::id);
    // The stored request hash is a fingerprint of a body that held her note.
    diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::contact_id.eq_any(her_contacts)),
    )
    .execute(conn)?;
    let contacts_kept = diesel::update(contacts::table.filter(contacts::client_id.eq(client_id)))
        .set((
            contacts::note.eq(None::<String>),
            contacts::services.eq(""),
            contacts::updated_at.eq(now),
        ))
        .execute(conn)?;
    let status_changes_kept = diesel::update(
        client_status_changes::table.filter(client_status_changes::client_id.eq(client_id)),
    )
    .set(client_status_changes::note.eq(None::<String>))
    .execute(conn)?;
    let signals_kept = signals::erase_of_client(conn, client_id, now)?;
    let timeout_stays_kept =
        diesel::update(timeout_stays::table.filter(timeout_stays::client_id.eq(client_id)))
            .set((
                timeout_stays::place.eq(""),
                timeout_stays::outcome_note.eq(None::<String>),
            ))
            .execute(conn)?;
    let referrals_kept =
        diesel::update(referrals::table.filter(referrals::client_id.eq(client_id)))
            .set(referrals::outcome_note.eq(None::<String>))
            .execute(conn)?;
    let stagnations_kept = stagnations::erase_of_client(conn, client_id)?;
    let case_meeting_items_deleted = case_meetings::erase_of_client(conn, client_id)?;
    Ok(Some(Erased {
        case_meeting_items_deleted,
        contacts_kept,
        referrals_kept,
        stagnations_kept,
        followups_deleted,
        assignments_deleted,
        timeout_stays_kept,
        handovers_deleted,
        expenses_kept,
        status_changes_kept,
        signals_kept,
    }))
}
