//! The document a request of access answers with: everything InBeeld holds about one
//! client, as JSON, or flattened to CSV in long form (`to_csv`).

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::meeting_items::MeetingItemRecord;
use crate::domain::contact::Service;
use crate::domain::spreadsheet::Sheet;
use crate::error::ApiError;

#[derive(Serialize, ToSchema)]
pub struct ClientExport {
    pub(super) exported_at: DateTime<FixedOffset>,
    pub(super) client: ClientRecord,
    pub(super) casemanagers: Vec<AssignmentRecord>,
    /// Every change of her caseload status, oldest first.
    pub(super) status_history: Vec<StatusChangeRecord>,
    /// Her registration events, oldest first.
    pub(super) registration_events: Vec<RegistrationEventRecord>,
    /// Her assessments of the life domains, oldest first, each with its scores.
    pub(super) assessments: Vec<AssessmentRecord>,
    /// Her goals, oldest first, each with its actions.
    pub(super) goals: Vec<GoalRecord>,
    /// Her plan's review day, when it was set by hand.
    pub(super) plan_review: Option<PlanReviewRecord>,
    pub(super) contacts: Vec<ContactRecord>,
    pub(super) followups: Vec<FollowupRecord>,
    pub(super) timeout_stays: Vec<StayRecord>,
    /// Referrals and interventions for her, the latest request first.
    pub(super) referrals: Vec<ReferralRecord>,
    /// Stalled cases escalated to the process director, each with its timeline.
    pub(super) stagnations: Vec<StagnationRecord>,
    /// Her items on case meetings' agendas, with their summaries and decisions.
    pub(super) case_meeting_items: Vec<MeetingItemRecord>,
    /// Warm handovers of her file between casemanagers, with their notes.
    pub(super) handovers: Vec<HandoverRecord>,
    /// Flex-budget expenses made for her.
    pub(super) flex_expenses: Vec<ExpenseRecord>,
    /// Signals about her (violence, signs of trafficking, ...) with their hand-offs.
    pub(super) signals: Vec<SignalRecord>,
    /// Who read or changed her file, oldest first.
    pub(super) audit_trail: Vec<AccessRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct ClientRecord {
    pub(super) id: i64,
    pub(super) code: String,
    pub(super) alias: String,
    pub(super) registration_status: String,
    pub(super) registration_number: Option<String>,
    pub(super) registration_date: Option<NaiveDate>,
    pub(super) registration_expires_on: Option<NaiveDate>,
    pub(super) region: String,
    pub(super) addiction: String,
    pub(super) sheltered_housing: bool,
    pub(super) known_at_huiskamer: bool,
    pub(super) top15: bool,
    pub(super) caseload_status: String,
    pub(super) intake_on: Option<NaiveDate>,
    pub(super) exit_on: Option<NaiveDate>,
    pub(super) exit_reason: Option<String>,
    pub(super) exit_note: Option<String>,
    pub(super) followup_threshold_days: Option<i32>,
    pub(super) last_contact_at: Option<DateTime<FixedOffset>>,
    pub(super) created_at: DateTime<FixedOffset>,
    pub(super) updated_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentRecord {
    pub(super) id: i64,
    pub(super) casemanager: String,
    pub(super) from_on: NaiveDate,
    pub(super) until_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct StatusChangeRecord {
    pub(super) id: i64,
    /// intake, to_regular_care, to_own_caseload, closed or reopened.
    pub(super) change: String,
    pub(super) on: NaiveDate,
    pub(super) reason: Option<String>,
    pub(super) note: Option<String>,
    pub(super) recorded_by: Option<String>,
    pub(super) recorded_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationEventRecord {
    pub(super) id: i64,
    /// applied, granted, refused, expired, renewed or ended.
    pub(super) kind: String,
    pub(super) on: NaiveDate,
    pub(super) number: Option<String>,
    pub(super) expires_on: Option<NaiveDate>,
    pub(super) recorded_by: Option<String>,
    pub(super) recorded_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentRecord {
    pub(super) id: i64,
    pub(super) on: NaiveDate,
    pub(super) recorded_by: Option<String>,
    pub(super) recorded_at: DateTime<FixedOffset>,
    pub(super) corrected_at: Option<DateTime<FixedOffset>>,
    pub(super) scores: Vec<AssessmentScoreRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentScoreRecord {
    pub(super) id: i64,
    /// One of the 13 life domains.
    pub(super) domain: String,
    /// 1-5; empty: not assessed.
    pub(super) score: Option<i32>,
    pub(super) note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanReviewRecord {
    pub(super) review_on: NaiveDate,
    pub(super) set_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct GoalRecord {
    pub(super) id: i64,
    /// In her own words.
    pub(super) text: String,
    /// Life domain codes.
    pub(super) domains: Vec<String>,
    /// open, reached or dropped.
    pub(super) status: String,
    pub(super) set_on: NaiveDate,
    pub(super) status_on: Option<NaiveDate>,
    pub(super) created_at: DateTime<FixedOffset>,
    pub(super) actions: Vec<ActionRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct ActionRecord {
    pub(super) id: i64,
    pub(super) what: String,
    /// The team member who does it, or the partner organisation and its contact person.
    pub(super) owner: Option<String>,
    pub(super) partner: Option<String>,
    pub(super) partner_contact: Option<String>,
    pub(super) due_on: NaiveDate,
    /// open, done or dropped.
    pub(super) status: String,
    pub(super) status_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactRecord {
    pub(super) id: i64,
    pub(super) seen_at: DateTime<FixedOffset>,
    pub(super) location: Option<String>,
    pub(super) shift_id: Option<i64>,
    pub(super) kind: String,
    pub(super) services: Vec<Service>,
    pub(super) note: Option<String>,
    pub(super) recorded_by: Option<String>,
    pub(super) recorded_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupRecord {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) status: String,
    pub(super) due_at: DateTime<FixedOffset>,
    pub(super) absent_since: Option<DateTime<FixedOffset>>,
    pub(super) note: Option<String>,
    pub(super) escalation_level: i32,
    pub(super) snoozed_until: Option<DateTime<FixedOffset>>,
    pub(super) snooze_reason: Option<String>,
    pub(super) closed_at: Option<DateTime<FixedOffset>>,
    pub(super) outcome: Option<String>,
    pub(super) created_at: DateTime<FixedOffset>,
    pub(super) events: Vec<FollowupEventRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupEventRecord {
    pub(super) id: i64,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) event: String,
    pub(super) by: Option<String>,
    pub(super) detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StayRecord {
    pub(super) id: i64,
    pub(super) starts_on: NaiveDate,
    pub(super) ends_on: NaiveDate,
    pub(super) place: String,
    pub(super) outcome: Option<String>,
    pub(super) outcome_note: Option<String>,
    pub(super) cancelled: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralRecord {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) partner: Option<String>,
    pub(super) requested_on: NaiveDate,
    pub(super) started_on: Option<NaiveDate>,
    pub(super) ended_on: Option<NaiveDate>,
    pub(super) outcome: Option<String>,
    pub(super) outcome_note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StagnationRecord {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) reason: String,
    pub(super) status: String,
    pub(super) reported_at: DateTime<FixedOffset>,
    pub(super) agreed_action: Option<String>,
    pub(super) action_owner: Option<String>,
    pub(super) action_due_on: Option<NaiveDate>,
    pub(super) outcome: Option<String>,
    pub(super) closed_at: Option<DateTime<FixedOffset>>,
    pub(super) events: Vec<StagnationEventRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct StagnationEventRecord {
    pub(super) id: i64,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) event: String,
    pub(super) detail: Option<String>,
    pub(super) action_owner: Option<String>,
    pub(super) action_due_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct HandoverRecord {
    pub(super) id: i64,
    pub(super) from_casemanager: String,
    pub(super) to_casemanager: String,
    pub(super) starts_on: NaiveDate,
    pub(super) overlap_until: NaiveDate,
    pub(super) note: String,
    pub(super) created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseRecord {
    pub(super) id: i64,
    pub(super) spent_on: NaiveDate,
    pub(super) amount_cents: i64,
    pub(super) category: String,
    pub(super) description: String,
    pub(super) recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct SignalRecord {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) status: String,
    pub(super) occurred_at: DateTime<FixedOffset>,
    pub(super) location: Option<String>,
    pub(super) text: String,
    /// The trafficking indicators ticked, by their label.
    pub(super) indicators: Vec<String>,
    pub(super) recorded_by: Option<String>,
    pub(super) closed_at: Option<DateTime<FixedOffset>>,
    pub(super) handoffs: Vec<SignalHandoffRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct SignalHandoffRecord {
    pub(super) id: i64,
    pub(super) recipient: String,
    pub(super) recipient_detail: Option<String>,
    pub(super) method: String,
    pub(super) handed_at: DateTime<FixedOffset>,
    pub(super) recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccessRecord {
    pub(super) id: i64,
    pub(super) at: DateTime<FixedOffset>,
    pub(super) user: Option<String>,
    pub(super) role: Option<String>,
    pub(super) event: String,
    /// C, R, U, D or E (NEN 7513).
    pub(super) action: String,
    pub(super) outcome: String,
}

/// The header of the CSV form: one row per field of each record.
const CSV_HEADER: [&str; 4] = ["onderdeel", "record", "veld", "waarde"];

/// The sections of the document in the order the CSV lists them.
const SECTIONS: [&str; 17] = [
    "client",
    "casemanagers",
    "status_history",
    "registration_events",
    "assessments",
    "goals",
    "plan_review",
    "contacts",
    "followups",
    "timeout_stays",
    "referrals",
    "stagnations",
    "case_meeting_items",
    "handovers",
    "flex_expenses",
    "signals",
    "audit_trail",
];

/// The export as CSV in long form (`onderdeel;record;veld;waarde`, the record being its
/// id), so records of every shape fit one sheet: `contacts;41;note;...`. Lists inside a
/// record (a follow-up's events) become their own section (`followups.events`); lists of
/// codes are joined by `, `. The coordinator opens it in a Dutch Excel to go through it
/// with the client: the Dutch spreadsheet form (`;`, byte-order mark, Dutch headers). The
/// sections and fields keep the names of the JSON export, the same document word for word.
pub fn to_csv(export: &ClientExport) -> Result<String, ApiError> {
    let document = serde_json::to_value(export).map_err(ApiError::internal)?;
    let mut out = Sheet::new(&CSV_HEADER);
    out.row(&[
        "export",
        "",
        "exported_at",
        cell(&document["exported_at"]).as_str(),
    ]);
    for section in SECTIONS {
        match &document[section] {
            Value::Object(record) => write_record(&mut out, section, record),
            Value::Array(records) => {
                for record in records.iter().filter_map(Value::as_object) {
                    write_record(&mut out, section, record);
                }
            }
            _ => {}
        }
    }
    Ok(out.finish())
}

fn write_record(out: &mut Sheet, section: &str, record: &serde_json::Map<String, Value>) {
    let id = record.get("id").map(cell).unwrap_or_default();
    let mut nested = Vec::new();
    for (field, value) in record.iter().filter(|(field, _)| *field != "id") {
        match value {
            Value::Array(items) if items.iter().any(Value::is_object) => {
                nested.push((format!("{section}.{field}"), items));
            }
            value => out.row(&[section, id.as_str(), field.as_str(), cell(value).as_str()]),
        }
    }
    for (section, items) in nested {
        for item in items.iter().filter_map(Value::as_object) {
            write_record(out, &section, item);
        }
    }
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn records_become_rows_and_nested_lists_their_own_section() {
        let mut out = Sheet::new(&CSV_HEADER);
        let record = json!({
            "id": 7,
            "note": "zei \"tot morgen\", ging toen weg\nen kwam terug",
            "services": ["condoms", "meal"],
            "closed_at": null,
            "events": [{"id": 1, "event": "opened"}, {"id": 2, "event": "closed"}],
        });
        write_record(&mut out, "followups", record.as_object().unwrap());
        assert_eq!(
            out.finish(),
            "\u{FEFF}onderdeel;record;veld;waarde\r\n\
             followups;7;closed_at;\r\n\
             followups;7;note;\"zei \"\"tot morgen\"\", ging toen weg\nen kwam terug\"\r\n\
             followups;7;services;condoms, meal\r\n\
             followups.events;1;event;opened\r\n\
             followups.events;2;event;closed\r\n"
        );
    }
}
