//! What the shift, staff and rota routes show of a shift, and the dates a shift listing
//! asks for: serde types only, shared here so that no route module reaches into another.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::shifts::{Dates, Shift};
use crate::timezone::Zone;

#[derive(Serialize, ToSchema)]
pub struct StaffView {
    user_id: i64,
    display_name: String,
    checked_in_at: Option<DateTime<FixedOffset>>,
    checked_out_at: Option<DateTime<FixedOffset>>,
}

#[derive(Serialize, ToSchema)]
pub struct ShiftView {
    id: i64,
    location_id: i64,
    /// Local time with offset, e.g. `2026-10-24T20:00:00+02:00`.
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    /// Real elapsed minutes (a night over the October change has an extra hour).
    duration_minutes: i64,
    /// Staff the shift needs; fewer puts it on the gap list.
    min_staff: i32,
    /// Set when the shift was cancelled; it stays listed so nobody turns up in vain.
    cancelled_at: Option<DateTime<FixedOffset>>,
    /// The weekly template it was made from, if any.
    template_id: Option<i64>,
    staff: Vec<StaffView>,
}

impl ShiftView {
    pub fn of(zone: Zone, shift: Shift) -> ShiftView {
        let Shift { row, staff } = shift;
        ShiftView {
            id: row.id,
            location_id: row.location_id,
            starts_at: zone.to_local(row.starts_at),
            ends_at: zone.to_local(row.ends_at),
            duration_minutes: (row.ends_at - row.starts_at).num_minutes(),
            min_staff: row.min_staff,
            cancelled_at: row.cancelled_at.map(|t| zone.to_local(t)),
            template_id: row.template_id,
            staff: staff
                .into_iter()
                .map(|s| StaffView {
                    user_id: s.user_id,
                    display_name: s.display_name,
                    checked_in_at: s.checked_in_at.map(|t| zone.to_local(t)),
                    checked_out_at: s.checked_out_at.map(|t| zone.to_local(t)),
                })
                .collect(),
        }
    }

    pub fn all(zone: Zone, shifts: Vec<Shift>) -> Vec<ShiftView> {
        shifts
            .into_iter()
            .map(|shift| ShiftView::of(zone, shift))
            .collect()
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ShiftRange {
    /// First local date (default today).
    from: Option<NaiveDate>,
    /// Last local date, inclusive (default six days after `from`).
    to: Option<NaiveDate>,
}

impl ShiftRange {
    pub fn dates(&self) -> Dates {
        Dates {
            from: self.from,
            to: self.to,
        }
    }
}
