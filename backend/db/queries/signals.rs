//! Signals, their hand-offs and ticked indicators, the idempotency keys that make sending
//! one from the outbox safe to repeat, and erasing their text (retention, her erasure).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    signal_handoffs, signal_idempotency_keys, signal_indicator_marks, signal_indicators, signals,
    users,
};

#[derive(Insertable)]
#[diesel(table_name = signals)]
pub struct NewSignal {
    pub team_id: i64,
    pub kind: String,
    pub status: String,
    pub occurred_at: NaiveDateTime,
    pub location_id: Option<i64>,
    pub client_id: Option<i64>,
    pub description: Option<String>,
    pub body: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub warning: bool,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = signals)]
pub struct SignalRow {
    pub id: i64,
    pub team_id: i64,
    pub kind: String,
    pub status: String,
    pub occurred_at: NaiveDateTime,
    pub location_id: Option<i64>,
    pub client_id: Option<i64>,
    pub description: Option<String>,
    pub body: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub text_erased_at: Option<NaiveDateTime>,
    /// Sent as a warning to those on shift.
    pub warning: bool,
}

#[derive(Insertable)]
#[diesel(table_name = signal_handoffs)]
pub struct NewHandoff {
    pub signal_id: i64,
    pub recipient: String,
    pub recipient_detail: Option<String>,
    pub method: String,
    pub handed_at: NaiveDateTime,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = signal_handoffs)]
pub struct HandoffRow {
    pub id: i64,
    pub signal_id: i64,
    pub recipient: String,
    pub recipient_detail: Option<String>,
    pub method: String,
    pub handed_at: NaiveDateTime,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = signal_indicators)]
pub struct IndicatorRow {
    pub id: i64,
    pub label: String,
    pub active: bool,
}

pub fn insert(conn: &mut DbConnection, new: &NewSignal) -> QueryResult<SignalRow> {
    let id: i64 = diesel::insert_into(signals::table)
        .values(new)
        .returning(signals::id)
        .get_result(conn)?;
    signals::table
        .find(id)
        .select(SignalRow::as_select())
        .first(conn)
}

pub fn mark_indicators(
    conn: &mut DbConnection,
    signal_id: i64,
    indicator_ids: &[i64],
) -> QueryResult<()> {
    for indicator_id in indicator_ids {
        diesel::insert_into(signal_indicator_marks::table)
            .values((
                signal_indicator_marks::signal_id.eq(signal_id),
                signal_indicator_marks::indicator_id.eq(indicator_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<SignalRow>> {
    signals::table
        .find(id)
        .select(SignalRow::as_select())
        .first(conn)
        .optional()
}

/// Which signals a list holds.
pub enum Listed {
    Team(i64),
    /// The signals about these clients (the process director's escalated clients).
    AboutClients(Vec<i64>),
    AboutClient(i64),
    /// The team's warnings recorded since a moment (tonight's).
    WarningsSince {
        team: i64,
        since: NaiveDateTime,
    },
}

/// Signals newest first, each with its recorder's display name.
pub fn list(
    conn: &mut DbConnection,
    listed: Listed,
    status: Option<&str>,
) -> QueryResult<Vec<(SignalRow, String)>> {
    let mut query = signals::table
        .inner_join(users::table)
        .select((SignalRow::as_select(), users::display_name))
        .order((signals::occurred_at.desc(), signals::id.desc()))
        .into_boxed();
    query = match listed {
        Listed::Team(team) => query.filter(signals::team_id.eq(team)),
        Listed::AboutClients(ids) => query.filter(signals::client_id.eq_any(ids)),
        Listed::AboutClient(id) => query.filter(signals::client_id.eq(id)),
        Listed::WarningsSince { team, since } => query
            .filter(signals::team_id.eq(team))
            .filter(signals::warning.eq(true))
            .filter(signals::recorded_at.ge(since)),
    };
    if let Some(status) = status {
        query = query.filter(signals::status.eq(status.to_owned()));
    }
    query.load(conn)
}

/// The indicators ticked on these signals: (signal, indicator, label).
pub fn marks_of(
    conn: &mut DbConnection,
    signal_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, String)>> {
    signal_indicator_marks::table
        .inner_join(signal_indicators::table)
        .filter(signal_indicator_marks::signal_id.eq_any(signal_ids))
        .order((signal_indicator_marks::signal_id, signal_indicators::id))
        .select((
            signal_indicator_marks::signal_id,
            signal_indicators::id,
            signal_indicators::label,
        ))
        .load(conn)
}

/// The hand-offs of these signals, oldest first, with who recorded each.
pub fn handoffs_of(
    conn: &mut DbConnection,
    signal_ids: &[i64],
) -> QueryResult<Vec<(HandoffRow, String)>> {
    signal_handoffs::table
        .inner_join(users::table)
        .filter(signal_handoffs::signal_id.eq_any(signal_ids))
        .order((signal_handoffs::handed_at, signal_handoffs::id))
        .select((HandoffRow::as_select(), users::display_name))
        .load(conn)
}

/// Sets the triage status; `closed_at` is when it was closed (none while open).
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    closed_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(signals::table.find(id))
        .set((
            signals::status.eq(status),
            signals::closed_at.eq(closed_at),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn insert_handoff(conn: &mut DbConnection, new: &NewHandoff) -> QueryResult<i64> {
    diesel::insert_into(signal_handoffs::table)
        .values(new)
        .returning(signal_handoffs::id)
        .get_result(conn)
}

/// The team's indicators in the order they were made; retired ones only if asked.
pub fn indicators(
    conn: &mut DbConnection,
    team: i64,
    with_retired: bool,
) -> QueryResult<Vec<IndicatorRow>> {
    let mut query = signal_indicators::table
        .filter(signal_indicators::team_id.eq(team))
        .order(signal_indicators::id)
        .select(IndicatorRow::as_select())
        .into_boxed();
    if !with_retired {
        query = query.filter(signal_indicators::active.eq(true));
    }
    query.load(conn)
}

pub fn insert_indicator(
    conn: &mut DbConnection,
    team: i64,
    label: &str,
    now: NaiveDateTime,
) -> QueryResult<IndicatorRow> {
    let id: i64 = diesel::insert_into(signal_indicators::table)
        .values((
            signal_indicators::team_id.eq(team),
            signal_indicators::label.eq(label),
            signal_indicators::active.eq(true),
            signal_indicators::created_at.eq(now),
        ))
        .returning(signal_indicators::id)
        .get_result(conn)?;
    signal_indicators::table
        .find(id)
        .select(IndicatorRow::as_select())
        .first(conn)
}

/// Renames or retires one of the team's indicators; `None` when the team has no such one.
pub fn update_indicator(
    conn: &mut DbConnection,
    team: i64,
    id: i64,
    label: Option<&str>,
    active: Option<bool>,
) -> QueryResult<Option<IndicatorRow>> {
    let target = || {
        signal_indicators::table
            .filter(signal_indicators::id.eq(id))
            .filter(signal_indicators::team_id.eq(team))
    };
    if let Some(label) = label {
        diesel::update(target())
            .set(signal_indicators::label.eq(label))
            .execute(conn)?;
    }
    if let Some(active) = active {
        diesel::update(target())
            .set(signal_indicators::active.eq(active))
            .execute(conn)?;
    }
    target()
        .select(IndicatorRow::as_select())
        .first(conn)
        .optional()
}

pub fn idempotency_lookup(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<(String, i64)>> {
    signal_idempotency_keys::table
        .filter(signal_idempotency_keys::user_id.eq(user_id))
        .filter(signal_idempotency_keys::idem_key.eq(key))
        .select((
            signal_idempotency_keys::request_hash,
            signal_idempotency_keys::signal_id,
        ))
        .first(conn)
        .optional()
}

/// A unique violation when a retry with the same key committed first.
pub fn idempotency_remember(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    request_hash: &str,
    signal_id: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(signal_idempotency_keys::table)
        .values((
            signal_idempotency_keys::user_id.eq(user_id),
            signal_idempotency_keys::idem_key.eq(key),
            signal_idempotency_keys::request_hash.eq(request_hash),
            signal_idempotency_keys::signal_id.eq(signal_id),
            signal_idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Erases what could describe a person from the signals `ids`: the text, the description
/// of an unknown woman, the ticked indicators, to whom each was handed (a name) and the
/// idempotency fingerprints of the bodies that held them, and the link to a client. Kind,
/// status, time, location and the hand-offs' recipient kinds and days stay for the counts.
fn erase_text(conn: &mut DbConnection, ids: &[i64], now: NaiveDateTime) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(
        signal_indicator_marks::table.filter(signal_indicator_marks::signal_id.eq_any(ids)),
    )
    .execute(conn)?;
    diesel::delete(
        signal_idempotency_keys::table.filter(signal_idempotency_keys::signal_id.eq_any(ids)),
    )
    .execute(conn)?;
    diesel::update(signal_handoffs::table.filter(signal_handoffs::signal_id.eq_any(ids)))
        .set(signal_handoffs::recipient_detail.eq(None::<String>))
        .execute(conn)?;
    diesel::update(signals::table.filter(signals::id.eq_any(ids)))
        .set((
            signals::body.eq(""),
            signals::description.eq(None::<String>),
            signals::client_id.eq(None::<i64>),
            signals::text_erased_at.eq(now),
            signals::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Erases the text of every signal closed before `closed_before` whose text is still
/// there; returns how many.
pub fn erase_text_closed_before(
    conn: &mut DbConnection,
    closed_before: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let ids: Vec<i64> = signals::table
        .filter(signals::closed_at.lt(closed_before))
        .filter(signals::text_erased_at.is_null())
        .select(signals::id)
        .load(conn)?;
    erase_text(conn, &ids, now)
}

/// Erases the text of every signal about the client (her erasure); returns how many were
/// kept as counts.
pub fn erase_of_client(
    conn: &mut DbConnection,
    client_id: i64,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let ids: Vec<i64> = signals::table
        .filter(signals::client_id.eq(client_id))
        .select(signals::id)
        .load(conn)?;
    erase_text(conn, &ids, now)
}

/// The kinds of the signals that happened in [from, to), of the team (every team's:
/// `None`) and at the location (any: `None`), one per signal, for counting.
pub fn kinds_between(
    conn: &mut DbConnection,
    team: Option<i64>,
    location: Option<i64>,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<String>> {
    let mut query = signals::table
        .filter(signals::occurred_at.ge(from))
        .filter(signals::occurred_at.lt(to))
        .select(signals::kind)
        .into_boxed();
    if let Some(team) = team {
        query = query.filter(signals::team_id.eq(team));
    }
    if let Some(location) = location {
        query = query.filter(signals::location_id.eq(location));
    }
    query.load(conn)
}
