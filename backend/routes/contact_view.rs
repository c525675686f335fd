//! A contact as the API shows it: in answers about contacts and in tonight's tally.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::queries::contacts::ContactRow;
use crate::domain::code::Code;
use crate::domain::contact::{ContactKind, Service, services_from_stored};
use crate::error::ApiError;
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct ContactView {
    id: i64,
    /// Set for a named contact.
    client_id: Option<i64>,
    /// Set for an anonymous count.
    anonymous_count: Option<i32>,
    /// Not set for a contact outside a shift (phone, home visit, on the street, appointment).
    location_id: Option<i64>,
    shift_id: Option<i64>,
    seen_at: DateTime<FixedOffset>,
    kind: ContactKind,
    services: Vec<Service>,
    note: Option<String>,
    recorded_by: i64,
    recorded_at: DateTime<FixedOffset>,
}

pub(super) fn view(zone: Zone, row: ContactRow) -> Result<ContactView, ApiError> {
    Ok(ContactView {
        id: row.id,
        anonymous_count: row.client_id.is_none().then_some(row.visitor_count),
        client_id: row.client_id,
        location_id: row.location_id,
        shift_id: row.shift_id,
        seen_at: zone.to_local(row.seen_at),
        kind: ContactKind::from_stored(&row.kind).map_err(ApiError::internal)?,
        services: services_from_stored(&row.services).map_err(ApiError::internal)?,
        note: row.note,
        recorded_by: row.recorded_by,
        recorded_at: zone.to_local(row.created_at),
    })
}
