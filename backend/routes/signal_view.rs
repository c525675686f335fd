//! A signal as the API shows it: in the team's list, on its own, and on her file; and a
//! moment as the phone sends one.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::signals::Signal;
use crate::app::signals::read::Handoff;
use crate::domain::signal::{HandoffMethod, Recipient, SignalKind, SignalStatus};
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::{Repeated, Zone};

#[derive(Serialize, ToSchema)]
pub struct SignalView {
    id: i64,
    kind: SignalKind,
    status: SignalStatus,
    occurred_at: DateTime<FixedOffset>,
    location_id: Option<i64>,
    /// The known client it concerns.
    client_id: Option<i64>,
    /// A short description of a woman nobody knows yet.
    description: Option<String>,
    /// Empty when none was given, or once erased after the retention period.
    text: String,
    /// Sent as a warning to everyone on tonight's shifts.
    warning: bool,
    /// The ticked trafficking indicators.
    indicators: Vec<IndicatorMark>,
    /// Every hand-off, oldest first.
    handoffs: Vec<HandoffView>,
    recorded_by: i64,
    recorded_by_display_name: String,
    recorded_at: DateTime<FixedOffset>,
    closed_at: Option<DateTime<FixedOffset>>,
    /// When its text, description, indicators and hand-off names were erased (retention,
    /// or her erasure); its kind, time and location stay.
    text_erased_at: Option<DateTime<FixedOffset>>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorMark {
    id: i64,
    label: String,
}

#[derive(Serialize, ToSchema)]
pub struct HandoffView {
    id: i64,
    recipient: Recipient,
    /// Which partner, office or person.
    recipient_detail: Option<String>,
    method: HandoffMethod,
    handed_at: DateTime<FixedOffset>,
    recorded_by: i64,
    recorded_by_display_name: String,
}

fn handoff(zone: Zone, handoff: Handoff) -> HandoffView {
    HandoffView {
        id: handoff.row.id,
        recipient: handoff.recipient,
        recipient_detail: handoff.row.recipient_detail,
        method: handoff.method,
        handed_at: zone.to_local(handoff.row.handed_at),
        recorded_by: handoff.row.recorded_by,
        recorded_by_display_name: handoff.recorded_by_name,
    }
}

pub(super) fn view(zone: Zone, signal: Signal) -> SignalView {
    let row = signal.row;
    SignalView {
        id: row.id,
        kind: signal.kind,
        status: signal.status,
        occurred_at: zone.to_local(row.occurred_at),
        location_id: row.location_id,
        client_id: row.client_id,
        description: row.description,
        warning: row.warning,
        text: row.body,
        indicators: signal
            .indicators
            .into_iter()
            .map(|(id, label)| IndicatorMark { id, label })
            .collect(),
        handoffs: signal
            .handoffs
            .into_iter()
            .map(|h| handoff(zone, h))
            .collect(),
        recorded_by: row.recorded_by,
        recorded_by_display_name: signal.recorded_by_name,
        recorded_at: zone.to_local(row.recorded_at),
        closed_at: row.closed_at.map(|at| zone.to_local(at)),
        text_erased_at: row.text_erased_at.map(|at| zone.to_local(at)),
    }
}

pub(super) fn views(zone: Zone, signals: Vec<Signal>) -> Vec<SignalView> {
    signals.into_iter().map(|s| view(zone, s)).collect()
}

/// A moment as the phone sends it: local wall time (the first of a repeated hour) or
/// RFC 3339.
pub(super) fn parse_time(
    state: &AppState,
    field: &str,
    text: &str,
) -> Result<NaiveDateTime, ApiError> {
    state
        .zone
        .parse_instant(text, Repeated::First)
        .map_err(|e| ApiError::invalid("bad_time", format!("{field}: {e}")))
}
