//! How a case meeting, its agenda items and decisions are answered: with aliases for the
//! team's screens, or as minutes naming clients by their code.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::case_meetings::minutes::Naming;
use crate::app::case_meetings::{Item, Meeting};
use crate::db::queries::case_meetings::DecisionRow;
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct PartnerRef {
    id: i64,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    id: i64,
    what: String,
    /// A team member who carries it out; or else the partner and its contact person.
    owner_id: Option<i64>,
    owner_name: Option<String>,
    partner_id: Option<i64>,
    partner_name: Option<String>,
    partner_contact: Option<String>,
    due_on: NaiveDate,
}

impl From<DecisionRow> for DecisionView {
    fn from(d: DecisionRow) -> DecisionView {
        DecisionView {
            id: d.id,
            what: d.what,
            owner_id: d.owner_id,
            owner_name: d.owner_name,
            partner_id: d.partner_id,
            partner_name: d.partner_name,
            partner_contact: d.partner_contact,
            due_on: d.due_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ItemView {
    id: i64,
    /// stagnation, escalation, out_of_view, referral_waiting, plan_review, client (added
    /// by hand) or free (a subject about no client).
    reason: String,
    client_id: Option<i64>,
    /// Her alias, or in minutes her code (her alias in the coordinator's internal copy).
    client_label: Option<String>,
    /// A free subject's title, or a note to a client's item.
    title: String,
    summary: Option<String>,
    /// Oldest first.
    decisions: Vec<DecisionView>,
}

impl ItemView {
    pub fn new(item: Item, naming: Naming) -> ItemView {
        let Item { row, decisions } = item;
        let client_label = match naming {
            Naming::Aliases => row.alias,
            Naming::Codes => row.code,
        };
        ItemView {
            id: row.id,
            reason: row.reason,
            client_id: row.client_id,
            client_label,
            title: row.title,
            summary: row.summary,
            decisions: decisions.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeetingView {
    id: i64,
    starts_at: DateTime<FixedOffset>,
    location: String,
    partners: Vec<PartnerRef>,
    /// In order; empty in the list of meetings.
    items: Vec<ItemView>,
    /// Whether clients are named by alias (the team's screens, the internal copy of the
    /// minutes) or by code.
    names_aliases: bool,
}

impl MeetingView {
    pub fn new(zone: Zone, meeting: Meeting, naming: Naming) -> MeetingView {
        MeetingView {
            id: meeting.row.id,
            starts_at: zone.to_local(meeting.row.starts_at),
            location: meeting.row.location,
            partners: meeting
                .partners
                .into_iter()
                .map(|(id, name)| PartnerRef { id, name })
                .collect(),
            items: meeting
                .items
                .into_iter()
                .map(|item| ItemView::new(item, naming))
                .collect(),
            names_aliases: naming == Naming::Aliases,
        }
    }
}
