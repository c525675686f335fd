//! Follow-ups and their timeline.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::hot::CloseAbsencesSeen;
use crate::db::queries::clients::assigned_on;
use crate::db::schema::{client_casemanagers, clients, followup_events, followups, users};
use crate::db::{DbConnection, native};
use crate::domain::code::Code;
use crate::domain::followup::{EscalationLevel, FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::role::Role;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = followups)]
pub struct FollowupRow {
    pub id: i64,
    pub team_id: i64,
    pub client_id: i64,
    pub kind: String,
    pub absent_since: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    pub note: Option<String>,
    pub status: String,
    pub escalation_level: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub notified_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub snoozed_until: Option<NaiveDateTime>,
    pub snooze_reason: Option<String>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    /// Addressed to this one person instead of her casemanagers (an action's owner).
    pub owner_id: Option<i64>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = followup_events)]
pub struct EventRow {
    pub id: i64,
    pub followup_id: i64,
    pub occurred_at: NaiveDateTime,
    pub event: String,
    pub user_id: Option<i64>,
    pub detail: Option<String>,
}

/// The stored codes of the statuses that are not closed.
fn not_closed() -> Vec<&'static str> {
    FollowupStatus::codes(&FollowupStatus::NOT_CLOSED)
}

pub fn add_event(
    conn: &mut DbConnection,
    followup_id: i64,
    at: NaiveDateTime,
    event: TimelineEvent,
    user_id: Option<i64>,
    detail: Option<&str>,
) -> QueryResult<usize> {
    diesel::insert_into(followup_events::table)
        .values((
            followup_events::followup_id.eq(followup_id),
            followup_events::occurred_at.eq(at),
            followup_events::event.eq(event.as_str()),
            followup_events::user_id.eq(user_id),
            followup_events::detail.eq(detail),
        ))
        .execute(conn)
}

/// Whether an absence follow-up of hers is still open (open, acknowledged or snoozed).
pub fn has_open_absence(conn: &mut DbConnection, client_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        followups::table
            .filter(followups::client_id.eq(client_id))
            .filter(followups::kind.eq(FollowupKind::Absence.as_str()))
            .filter(followups::status.eq_any(not_closed())),
    ))
    .get_result(conn)
}

pub fn create_reminder(
    conn: &mut DbConnection,
    team_id: i64,
    client_id: i64,
    due_at: NaiveDateTime,
    note: &str,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id = diesel::insert_into(followups::table)
        .values((
            followups::team_id.eq(team_id),
            followups::client_id.eq(client_id),
            followups::kind.eq(FollowupKind::Reminder.as_str()),
            followups::due_at.eq(due_at),
            followups::note.eq(note),
            followups::status.eq(FollowupStatus::Open.as_str()),
            followups::created_by.eq(by),
            followups::created_at.eq(now),
        ))
        .returning(followups::id)
        .get_result(conn)?;
    add_event(conn, id, now, TimelineEvent::Created, Some(by), None)?;
    Ok(id)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<FollowupRow> {
    followups::table
        .find(id)
        .select(FollowupRow::as_select())
        .first(conn)
}

/// The team's follow-ups with their client's alias, unclosed ones only unless
/// `include_closed`.
pub fn for_team(
    conn: &mut DbConnection,
    team: i64,
    include_closed: bool,
) -> QueryResult<Vec<(FollowupRow, String)>> {
    let mut query = followups::table
        .inner_join(clients::table)
        .filter(followups::team_id.eq(team))
        .select((FollowupRow::as_select(), clients::alias))
        .order((followups::due_at, followups::id))
        .into_boxed();
    if !include_closed {
        query = query.filter(followups::status.eq_any(not_closed()));
    }
    query.load(conn)
}

pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<FollowupRow>> {
    followups::table
        .filter(followups::client_id.eq(client_id))
        .select(FollowupRow::as_select())
        .order((followups::due_at.desc(), followups::id.desc()))
        .load(conn)
}

pub fn timeline(conn: &mut DbConnection, followup_id: i64) -> QueryResult<Vec<EventRow>> {
    followup_events::table
        .filter(followup_events::followup_id.eq(followup_id))
        .order((followup_events::occurred_at, followup_events::id))
        .select(EventRow::as_select())
        .load(conn)
}

/// Closes a client's unclosed absence follow-ups because she was seen at `seen_at`.
/// Returns the ids closed. Runs inside the contact's transaction.
pub fn close_absences_seen(
    conn: &mut DbConnection,
    client_id: i64,
    seen_at: NaiveDateTime,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let close = CloseAbsencesSeen {
        client_id,
        seen_at,
        by,
        now,
    };
    let ids: Vec<i64> = native!(conn, |c| close.get_results(c))?;
    for id in &ids {
        add_event(
            conn,
            *id,
            now,
            TimelineEvent::ClosedByContact,
            Some(by),
            None,
        )?;
    }
    Ok(ids)
}

/// Unclosed follow-ups that are due and whose notice has not gone out yet.
pub fn due_unnotified(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<FollowupRow>> {
    followups::table
        .filter(followups::status.eq(FollowupStatus::Open.as_str()))
        .filter(followups::notified_at.is_null())
        .filter(followups::due_at.le(now))
        .select(FollowupRow::as_select())
        .load(conn)
}

/// Records that the notice went out; false when another sweep recorded it first.
pub fn mark_notified(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        followups::table
            .filter(followups::id.eq(id))
            .filter(followups::notified_at.is_null()),
    )
    .set(followups::notified_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Snoozes whose time is up go back to open, to be noticed again.
pub fn wake_snoozed(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    let ids: Vec<i64> = followups::table
        .filter(followups::status.eq(FollowupStatus::Snoozed.as_str()))
        .filter(followups::snoozed_until.le(now))
        .select(followups::id)
        .load(conn)?;
    let mut woken = Vec::new();
    for id in ids {
        let changed = diesel::update(
            followups::table
                .filter(followups::id.eq(id))
                .filter(followups::status.eq(FollowupStatus::Snoozed.as_str())),
        )
        .set((
            followups::status.eq(FollowupStatus::Open.as_str()),
            followups::notified_at.eq(None::<NaiveDateTime>),
            followups::acknowledged_by.eq(None::<i64>),
            followups::acknowledged_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if changed == 1 {
            add_event(conn, id, now, TimelineEvent::SnoozeEnded, None, None)?;
            woken.push(id);
        }
    }
    Ok(woken)
}

/// Follow-ups of `kinds` noticed before `noticed_before` and still at `statuses` below
/// `level`: each state, level and kind read from the index in the order the notices went
/// out, up to `noticed_before` (not every open follow-up).
pub fn escalation_candidates(
    conn: &mut DbConnection,
    statuses: &[FollowupStatus],
    below: EscalationLevel,
    kinds: &[FollowupKind],
    noticed_before: NaiveDateTime,
) -> QueryResult<Vec<FollowupRow>> {
    let levels: Vec<i32> = (EscalationLevel::None.stored()..below.stored()).collect();
    let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    followups::table
        .filter(followups::status.eq_any(FollowupStatus::codes(statuses)))
        .filter(followups::escalation_level.eq_any(levels))
        .filter(followups::kind.eq_any(kinds))
        .filter(followups::notified_at.le(noticed_before))
        .select(FollowupRow::as_select())
        .load(conn)
}

/// Raises the escalation level; false when another sweep raised it first.
pub fn raise_escalation(
    conn: &mut DbConnection,
    id: i64,
    level: EscalationLevel,
) -> QueryResult<bool> {
    diesel::update(
        followups::table
            .filter(followups::id.eq(id))
            .filter(followups::escalation_level.lt(level.stored())),
    )
    .set(followups::escalation_level.eq(level.stored()))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn all_unclosed(conn: &mut DbConnection) -> QueryResult<Vec<FollowupRow>> {
    followups::table
        .filter(followups::status.eq_any(not_closed()))
        .select(FollowupRow::as_select())
        .load(conn)
}

#[derive(AsChangeset, Default)]
#[diesel(table_name = followups)]
pub struct StatusChange {
    pub status: Option<String>,
    pub acknowledged_by: Option<Option<i64>>,
    pub acknowledged_at: Option<Option<NaiveDateTime>>,
    pub snoozed_until: Option<Option<NaiveDateTime>>,
    pub snooze_reason: Option<Option<String>>,
    pub closed_by: Option<Option<i64>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
    pub outcome: Option<Option<String>>,
}

pub fn change_status(
    conn: &mut DbConnection,
    id: i64,
    change: &StatusChange,
) -> QueryResult<usize> {
    diesel::update(followups::table.find(id))
        .set(change)
        .execute(conn)
}

/// Casemanagers assigned to the client on `day`.
pub fn casemanagers_on(
    conn: &mut DbConnection,
    client_id: i64,
    day: NaiveDate,
) -> QueryResult<Vec<i64>> {
    client_casemanagers::table
        .inner_join(users::table)
        .filter(client_casemanagers::client_id.eq(client_id))
        .filter(assigned_on(day))
        .select(client_casemanagers::user_id)
        .distinct()
        .load(conn)
}

/// Active users of `team` with `role`.
pub fn team_members_with_role(
    conn: &mut DbConnection,
    team: i64,
    role: Role,
) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::team_id.eq(team))
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .select(users::id)
        .load(conn)
}

/// All active users with `role`, whatever their team (process directors serve the city).
pub fn users_with_role(conn: &mut DbConnection, role: Role) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .select(users::id)
        .load(conn)
}

/// Which of `keys` a follow-up was ever opened under (a closed one is not opened again).
/// Asked in slices, by the keys' unique index: as many rows as keys, whatever the history.
pub fn opened_among<'k>(
    conn: &mut DbConnection,
    keys: impl IntoIterator<Item = &'k String>,
) -> QueryResult<HashSet<String>> {
    let keys: Vec<&String> = keys.into_iter().collect();
    let mut opened = HashSet::new();
    for slice in keys.chunks(500) {
        let found: Vec<Option<String>> = followups::table
            .filter(followups::dedupe_key.eq_any(slice))
            .select(followups::dedupe_key)
            .load(conn)?;
        opened.extend(found.into_iter().flatten());
    }
    Ok(opened)
}
