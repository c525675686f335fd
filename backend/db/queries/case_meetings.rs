//! Case meetings, their partners, agenda items and decisions.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    case_meeting_decisions, case_meeting_items, case_meeting_partners, case_meetings, clients,
    partners, users,
};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = case_meetings)]
pub struct MeetingRow {
    pub id: i64,
    pub team_id: i64,
    pub starts_at: NaiveDateTime,
    pub location: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// An agenda item with her alias and code when it is about a client (selected with the
/// item left-joined to `clients`).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = case_meeting_items)]
pub struct ItemRow {
    pub id: i64,
    pub meeting_id: i64,
    pub ordinal: i32,
    pub reason: String,
    pub client_id: Option<i64>,
    pub title: String,
    pub summary: Option<String>,
    #[diesel(select_expression = clients::alias.nullable())]
    pub alias: Option<String>,
    #[diesel(select_expression = clients::code.nullable())]
    pub code: Option<String>,
}

/// A decision with the name of its owner: a team member's, or the partner's.
#[derive(Queryable, Debug, Clone)]
pub struct DecisionRow {
    pub id: i64,
    pub item_id: i64,
    pub client_id: Option<i64>,
    pub what: String,
    pub owner_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub partner_contact: Option<String>,
    pub due_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub owner_name: Option<String>,
    pub partner_name: Option<String>,
}

pub struct NewMeeting<'a> {
    pub team_id: i64,
    pub starts_at: NaiveDateTime,
    pub location: &'a str,
    pub partner_ids: &'a [i64],
    pub created_by: i64,
}

pub fn insert(conn: &mut DbConnection, new: &NewMeeting, now: NaiveDateTime) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(case_meetings::table)
        .values((
            case_meetings::team_id.eq(new.team_id),
            case_meetings::starts_at.eq(new.starts_at),
            case_meetings::location.eq(new.location),
            case_meetings::created_by.eq(new.created_by),
            case_meetings::created_at.eq(now),
        ))
        .returning(case_meetings::id)
        .get_result(conn)?;
    for &partner in new.partner_ids {
        diesel::insert_into(case_meeting_partners::table)
            .values((
                case_meeting_partners::meeting_id.eq(id),
                case_meeting_partners::partner_id.eq(partner),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// A meeting of `team`; another team's is as missing as one that does not exist.
pub fn find_in_team(
    conn: &mut DbConnection,
    id: i64,
    team: i64,
) -> QueryResult<Option<MeetingRow>> {
    case_meetings::table
        .filter(case_meetings::id.eq(id))
        .filter(case_meetings::team_id.eq(team))
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()
}

/// The team's meetings, the latest first.
pub fn of_team(conn: &mut DbConnection, team: i64) -> QueryResult<Vec<MeetingRow>> {
    case_meetings::table
        .filter(case_meetings::team_id.eq(team))
        .order((case_meetings::starts_at.desc(), case_meetings::id.desc()))
        .select(MeetingRow::as_select())
        .load(conn)
}

/// The partners taking part in `meetings`: `(meeting, partner, name)`, by name.
pub fn partners_of(
    conn: &mut DbConnection,
    meetings: &[i64],
) -> QueryResult<Vec<(i64, i64, String)>> {
    case_meeting_partners::table
        .inner_join(partners::table)
        .filter(case_meeting_partners::meeting_id.eq_any(meetings))
        .order(partners::name)
        .select((
            case_meeting_partners::meeting_id,
            partners::id,
            partners::name,
        ))
        .load(conn)
}

/// The items of one meeting, in their order.
pub fn items_of(conn: &mut DbConnection, meeting: i64) -> QueryResult<Vec<ItemRow>> {
    case_meeting_items::table
        .left_join(clients::table.on(case_meeting_items::client_id.eq(clients::id.nullable())))
        .filter(case_meeting_items::meeting_id.eq(meeting))
        .order((case_meeting_items::ordinal, case_meeting_items::id))
        .select(ItemRow::as_select())
        .load(conn)
}

/// Every agenda item about `client`, in any meeting.
pub fn items_of_client(conn: &mut DbConnection, client: i64) -> QueryResult<Vec<ItemRow>> {
    case_meeting_items::table
        .left_join(clients::table.on(case_meeting_items::client_id.eq(clients::id.nullable())))
        .filter(case_meeting_items::client_id.eq(client))
        .order((case_meeting_items::meeting_id, case_meeting_items::ordinal))
        .select(ItemRow::as_select())
        .load(conn)
}

/// The decisions on `items`, oldest first.
pub fn decisions_of(conn: &mut DbConnection, items: &[i64]) -> QueryResult<Vec<DecisionRow>> {
    case_meeting_decisions::table
        .left_join(users::table.on(case_meeting_decisions::owner_id.eq(users::id.nullable())))
        .left_join(
            partners::table.on(case_meeting_decisions::partner_id.eq(partners::id.nullable())),
        )
        .filter(case_meeting_decisions::item_id.eq_any(items))
        .order((
            case_meeting_decisions::created_at,
            case_meeting_decisions::id,
        ))
        .select((
            case_meeting_decisions::id,
            case_meeting_decisions::item_id,
            case_meeting_decisions::client_id,
            case_meeting_decisions::what,
            case_meeting_decisions::owner_id,
            case_meeting_decisions::partner_id,
            case_meeting_decisions::partner_contact,
            case_meeting_decisions::due_on,
            case_meeting_decisions::created_at,
            users::display_name.nullable(),
            partners::name.nullable(),
        ))
        .load(conn)
}

/// A new item of a meeting's agenda.
pub struct NewItem<'a> {
    pub meeting_id: i64,
    pub ordinal: i32,
    pub reason: &'a str,
    pub client_id: Option<i64>,
    pub title: &'a str,
}

pub fn insert_item(conn: &mut DbConnection, new: &NewItem, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(case_meeting_items::table)
        .values((
            case_meeting_items::meeting_id.eq(new.meeting_id),
            case_meeting_items::ordinal.eq(new.ordinal),
            case_meeting_items::reason.eq(new.reason),
            case_meeting_items::client_id.eq(new.client_id),
            case_meeting_items::title.eq(new.title),
            case_meeting_items::created_at.eq(now),
            case_meeting_items::updated_at.eq(now),
        ))
        .returning(case_meeting_items::id)
        .get_result(conn)
}

pub fn move_item(
    conn: &mut DbConnection,
    item: i64,
    ordinal: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(case_meeting_items::table.find(item))
        .set((
            case_meeting_items::ordinal.eq(ordinal),
            case_meeting_items::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Removes an item that holds no decisions.
pub fn delete_item(conn: &mut DbConnection, item: i64) -> QueryResult<usize> {
    diesel::delete(case_meeting_items::table.find(item)).execute(conn)
}

pub fn set_summary(
    conn: &mut DbConnection,
    item: i64,
    summary: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(case_meeting_items::table.find(item))
        .set((
            case_meeting_items::summary.eq(summary),
            case_meeting_items::updated_at.eq(now),
        ))
        .execute(conn)
}

/// A decision taken on an item.
pub struct NewDecision<'a> {
    pub item_id: i64,
    pub client_id: Option<i64>,
    pub what: &'a str,
    pub owner_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub partner_contact: Option<&'a str>,
    pub due_on: NaiveDate,
    pub created_by: i64,
}

pub fn insert_decision(
    conn: &mut DbConnection,
    new: &NewDecision,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(case_meeting_decisions::table)
        .values((
            case_meeting_decisions::item_id.eq(new.item_id),
            case_meeting_decisions::client_id.eq(new.client_id),
            case_meeting_decisions::what.eq(new.what),
            case_meeting_decisions::owner_id.eq(new.owner_id),
            case_meeting_decisions::partner_id.eq(new.partner_id),
            case_meeting_decisions::partner_contact.eq(new.partner_contact),
            case_meeting_decisions::due_on.eq(new.due_on),
            // The sweep looks at a decision about a client once it is past due.
            case_meeting_decisions::followup_due_on.eq(new.client_id.map(|_| new.due_on)),
            case_meeting_decisions::created_by.eq(new.created_by),
            case_meeting_decisions::created_at.eq(now),
        ))
        .returning(case_meeting_decisions::id)
        .get_result(conn)
}

/// A decision about a client, due before `today`, whose follow-up the sweep has yet to
/// open; with whether her file is open (and not erased) for it.
#[derive(Queryable, Debug, Clone)]
pub struct DueDecision {
    pub decision_id: i64,
    pub client_id: i64,
    pub team_id: i64,
    pub owner_id: Option<i64>,
    pub due_on: NaiveDate,
    pub caseload_status: String,
    pub erased_at: Option<NaiveDateTime>,
}

/// From the index on `case_meeting_decisions.followup_due_on`: only those not handled.
pub fn past_due(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<DueDecision>> {
    case_meeting_decisions::table
        .inner_join(clients::table.on(case_meeting_decisions::client_id.eq(clients::id.nullable())))
        .filter(case_meeting_decisions::followup_due_on.lt(today))
        .select((
            case_meeting_decisions::id,
            clients::id,
            clients::team_id,
            case_meeting_decisions::owner_id,
            case_meeting_decisions::due_on,
            clients::caseload_status,
            clients::erased_at,
        ))
        .load(conn)
}

/// Marks the decision handled by the sweep: its follow-up is open, or her file is not.
pub fn decision_handled(conn: &mut DbConnection, decision: i64) -> QueryResult<()> {
    diesel::update(case_meeting_decisions::table.find(decision))
        .set(case_meeting_decisions::followup_due_on.eq(None::<NaiveDate>))
        .execute(conn)
        .map(|_| ())
}

/// After her file was reopened or closed: her decisions whose follow-up was never opened
/// (`opened`: which of their keys were) are for the sweep to look at again.
pub fn refresh_decisions_of(
    conn: &mut DbConnection,
    client: i64,
    opened: impl Fn(&mut DbConnection, i64) -> QueryResult<bool>,
) -> QueryResult<()> {
    let hers: Vec<(i64, NaiveDate)> = case_meeting_decisions::table
        .filter(case_meeting_decisions::client_id.eq(client))
        .select((case_meeting_decisions::id, case_meeting_decisions::due_on))
        .load(conn)?;
    for (id, due_on) in hers {
        let due = (!opened(conn, id)?).then_some(due_on);
        diesel::update(case_meeting_decisions::table.find(id))
            .set(case_meeting_decisions::followup_due_on.eq(due))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes her items and the decisions on them; the meetings stay. Returns how many items.
pub fn erase_of_client(conn: &mut DbConnection, client: i64) -> QueryResult<usize> {
    diesel::delete(
        case_meeting_decisions::table.filter(case_meeting_decisions::client_id.eq(client)),
    )
    .execute(conn)?;
    diesel::delete(case_meeting_items::table.filter(case_meeting_items::client_id.eq(client)))
        .execute(conn)
}
