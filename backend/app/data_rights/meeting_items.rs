//! Her items on case meetings' agendas, with the decisions taken on them, for her export.
//! Her erasure removes them (`queries::case_meetings::erase_of_client`); the meetings stay.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::case_meetings::with_decisions;
use crate::db::DbConnection;
use crate::db::queries::case_meetings;
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct MeetingItemRecord {
    pub(super) id: i64,
    pub(super) meeting_id: i64,
    /// Why she was on the agenda.
    pub(super) reason: String,
    pub(super) title: String,
    pub(super) summary: Option<String>,
    pub(super) decisions: Vec<MeetingDecisionRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDecisionRecord {
    pub(super) id: i64,
    pub(super) what: String,
    pub(super) owner: Option<String>,
    pub(super) partner: Option<String>,
    pub(super) partner_contact: Option<String>,
    pub(super) due_on: NaiveDate,
    pub(super) recorded_at: DateTime<FixedOffset>,
}

/// Her agenda items, by meeting and place, each with its decisions.
pub(super) fn of_client(
    conn: &mut DbConnection,
    id: i64,
    zone: Zone,
) -> diesel::QueryResult<Vec<MeetingItemRecord>> {
    let items = case_meetings::items_of_client(conn, id)?;
    let items = with_decisions(conn, items)?;
    Ok(items
        .into_iter()
        .map(|item| MeetingItemRecord {
            id: item.row.id,
            meeting_id: item.row.meeting_id,
            reason: item.row.reason,
            title: item.row.title,
            summary: item.row.summary,
            decisions: item
                .decisions
                .into_iter()
                .map(|d| MeetingDecisionRecord {
                    id: d.id,
                    what: d.what,
                    owner: d.owner_name,
                    partner: d.partner_name,
                    partner_contact: d.partner_contact,
                    due_on: d.due_on,
                    recorded_at: zone.to_local(d.created_at),
                })
                .collect(),
        })
        .collect())
}
