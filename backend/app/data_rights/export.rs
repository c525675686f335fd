//! Everything InBeeld holds about one client, for a request of access: her file, her
//! casemanagers, her contacts with their notes, her follow-ups with their timelines, her
//! time-out stays, and who accessed her file. One document, as JSON or flattened to CSV.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::db::queries::clients::{self, ClientRow};
use crate::db::queries::{
    audit, contacts, flex_budget, followups, handovers, locations, timeout_stays, users,
};
use crate::domain::contact::{Service, services_from_stored};
use crate::error::ApiError;
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct ClientExport {
    exported_at: DateTime<FixedOffset>,
    client: ClientRecord,
    casemanagers: Vec<AssignmentRecord>,
    contacts: Vec<ContactRecord>,
    followups: Vec<FollowupRecord>,
    timeout_stays: Vec<StayRecord>,
    /// Warm handovers of her file between casemanagers, with their notes.
    handovers: Vec<HandoverRecord>,
    /// Flex-budget expenses made for her.
    flex_expenses: Vec<ExpenseRecord>,
    /// Who read or changed her file, oldest first.
    audit_trail: Vec<AccessRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct ClientRecord {
    id: i64,
    code: String,
    alias: String,
    registration_status: String,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    region: String,
    caseload_status: String,
    intake_on: Option<NaiveDate>,
    exit_on: Option<NaiveDate>,
    followup_threshold_days: Option<i32>,
    last_contact_at: Option<DateTime<FixedOffset>>,
    created_at: DateTime<FixedOffset>,
    updated_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentRecord {
    id: i64,
    casemanager: String,
    from_on: NaiveDate,
    until_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactRecord {
    id: i64,
    seen_at: DateTime<FixedOffset>,
    location: Option<String>,
    shift_id: Option<i64>,
    kind: String,
    services: Vec<Service>,
    note: Option<String>,
    recorded_by: Option<String>,
    recorded_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupRecord {
    id: i64,
    kind: String,
    status: String,
    due_at: DateTime<FixedOffset>,
    absent_since: Option<DateTime<FixedOffset>>,
    note: Option<String>,
    escalation_level: i32,
    snoozed_until: Option<DateTime<FixedOffset>>,
    snooze_reason: Option<String>,
    closed_at: Option<DateTime<FixedOffset>>,
    outcome: Option<String>,
    created_at: DateTime<FixedOffset>,
    events: Vec<FollowupEventRecord>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowupEventRecord {
    id: i64,
    at: DateTime<FixedOffset>,
    event: String,
    by: Option<String>,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StayRecord {
    id: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    place: String,
}

#[derive(Serialize, ToSchema)]
pub struct HandoverRecord {
    id: i64,
    from_casemanager: String,
    to_casemanager: String,
    starts_on: NaiveDate,
    overlap_until: NaiveDate,
    note: String,
    created_at: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseRecord {
    id: i64,
    spent_on: NaiveDate,
    amount_cents: i64,
    category: String,
    description: String,
    recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccessRecord {
    id: i64,
    at: DateTime<FixedOffset>,
    user: Option<String>,
    role: Option<String>,
    event: String,
    /// C, R, U, D or E (NEN 7513).
    action: String,
    outcome: String,
}

/// Reads everything held about `client` (already checked for access by the caller).
pub fn gather(
    conn: &mut DbConnection,
    client: ClientRow,
    zone: Zone,
    now: NaiveDateTime,
) -> Result<ClientExport, ApiError> {
    let local = |t: NaiveDateTime| zone.to_local(t);
    let names: HashMap<i64, String> = users::list(conn, None)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: i64| names.get(&id).cloned();
    let places: HashMap<i64, String> = locations::list(conn)?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let id = client.id;
    let casemanagers = clients::assignments(conn, id)?
        .into_iter()
        .map(|a| AssignmentRecord {
            id: a.id,
            casemanager: a.display_name,
            from_on: a.from_on,
            until_on: a.until_on,
        })
        .collect();
    let contacts = contacts::for_client(conn, id)?
        .into_iter()
        .map(|c| {
            Ok(ContactRecord {
                id: c.id,
                seen_at: local(c.seen_at),
                location: places.get(&c.location_id).cloned(),
                shift_id: c.shift_id,
                kind: c.kind,
                services: services_from_stored(&c.services).map_err(ApiError::internal)?,
                note: c.note,
                recorded_by: name(c.recorded_by),
                recorded_at: local(c.created_at),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    let mut followup_records = Vec::new();
    for f in followups::for_client(conn, id)? {
        let events = followups::timeline(conn, f.id)?
            .into_iter()
            .map(|e| FollowupEventRecord {
                id: e.id,
                at: local(e.occurred_at),
                event: e.event,
                by: e.user_id.and_then(name),
                detail: e.detail,
            })
            .collect();
        followup_records.push(FollowupRecord {
            id: f.id,
            kind: f.kind,
            status: f.status,
            due_at: local(f.due_at),
            absent_since: f.absent_since.map(local),
            note: f.note,
            escalation_level: f.escalation_level,
            snoozed_until: f.snoozed_until.map(local),
            snooze_reason: f.snooze_reason,
            closed_at: f.closed_at.map(local),
            outcome: f.outcome,
            created_at: local(f.created_at),
            events,
        });
    }
    let timeout_stays = timeout_stays::for_client(conn, id)?
        .into_iter()
        .map(|s| StayRecord {
            id: s.id,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            place: s.place,
        })
        .collect();
    let handovers = handovers::for_client(conn, id)?
        .into_iter()
        .map(|h| HandoverRecord {
            id: h.handover.id,
            from_casemanager: h.from_name,
            to_casemanager: h.to_name,
            starts_on: h.handover.starts_on,
            overlap_until: h.handover.overlap_until,
            note: h.handover.note,
            created_at: local(h.handover.created_at),
        })
        .collect();
    let flex_expenses = flex_budget::client_expenses(conn, id, None)?
        .into_iter()
        .map(|e| ExpenseRecord {
            id: e.id,
            spent_on: e.spent_on,
            amount_cents: e.amount_cents,
            category: e.category,
            description: e.description,
            recorded_by: e.recorded_by_name,
        })
        .collect();
    let audit_trail = audit::for_client(conn, id)?
        .into_iter()
        .map(|e| AccessRecord {
            id: e.id,
            at: local(e.occurred_at),
            user: e.user_id.and_then(name),
            role: e.role,
            event: e.event,
            action: e.action,
            outcome: e.outcome,
        })
        .collect();
    Ok(ClientExport {
        exported_at: local(now),
        client: ClientRecord {
            id,
            code: client.code,
            alias: client.alias,
            registration_status: client.registration_status,
            registration_number: client.registration_number,
            registration_date: client.registration_date,
            registration_expires_on: client.registration_expires_on,
            region: client.region,
            caseload_status: client.caseload_status,
            intake_on: client.intake_on,
            exit_on: client.exit_on,
            followup_threshold_days: client.followup_threshold_days,
            last_contact_at: client.last_contact_at.map(local),
            created_at: local(client.created_at),
            updated_at: local(client.updated_at),
        },
        casemanagers,
        contacts,
        followups: followup_records,
        timeout_stays,
        handovers,
        flex_expenses,
        audit_trail,
    })
}

/// The header of the CSV form: one row per field of each record.
pub const CSV_HEADER: &str = "section,record,field,value";

/// The sections of the document in the order the CSV lists them.
const SECTIONS: [&str; 8] = [
    "client",
    "casemanagers",
    "contacts",
    "followups",
    "timeout_stays",
    "handovers",
    "flex_expenses",
    "audit_trail",
];

/// The export as CSV in long form (`section,record,field,value`, the record being its id),
/// so records of every shape fit one sheet: `contacts,41,note,...`. Lists inside a record
/// (a follow-up's events) become their own section (`followups.events`); lists of codes
/// are joined by `;`.
pub fn to_csv(export: &ClientExport) -> Result<String, ApiError> {
    let document = serde_json::to_value(export).map_err(ApiError::internal)?;
    let mut out = format!("{CSV_HEADER}\n");
    write_row(
        &mut out,
        ["export", "", "exported_at", &cell(&document["exported_at"])],
    );
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
    Ok(out)
}

fn write_record(out: &mut String, section: &str, record: &serde_json::Map<String, Value>) {
    let id = record.get("id").map(cell).unwrap_or_default();
    let mut nested = Vec::new();
    for (field, value) in record.iter().filter(|(field, _)| *field != "id") {
        match value {
            Value::Array(items) if items.iter().any(Value::is_object) => {
                nested.push((format!("{section}.{field}"), items));
            }
            value => write_row(out, [section, &id, field, &cell(value)]),
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
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

fn write_row(out: &mut String, fields: [&str; 4]) {
    let escaped: Vec<String> = fields.iter().map(|f| escape(f)).collect();
    out.push_str(&escaped.join(","));
    out.push('\n');
}

/// RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula
/// (a note that starts with `=`), as OWASP advises for CSV exports.
fn escape(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn records_become_rows_and_nested_lists_their_own_section() {
        let mut out = String::new();
        let record = json!({
            "id": 7,
            "note": "zei \"tot morgen\", ging toen weg\nen kwam terug",
            "services": ["condoms", "meal"],
            "closed_at": null,
            "events": [{"id": 1, "event": "opened"}, {"id": 2, "event": "closed"}],
        });
        write_record(&mut out, "followups", record.as_object().unwrap());
        assert_eq!(
            out,
            "followups,7,closed_at,\n\
             followups,7,note,\"zei \"\"tot morgen\"\", ging toen weg\nen kwam terug\"\n\
             followups,7,services,condoms;meal\n\
             followups.events,1,event,opened\n\
             followups.events,2,event,closed\n"
        );
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(escape("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(escape("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape("2026-11-23"), "2026-11-23");
    }
}
