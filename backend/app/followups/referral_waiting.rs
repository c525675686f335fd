//! Referrals waiting too long: a follow-up for her casemanagers once a referral has been
//! requested for its kind's waiting period (`referral_wait_days`, or the kind's own) and
//! has neither started nor ended, once per referral. It closes when the referral starts or
//! ends (`app::referrals::change`, in the same transaction).

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::referral_waits;
use crate::domain::code::Code;
use crate::domain::referral::{ReferralKind, WaitDays};
use crate::error::ApiError;
use crate::timezone::Zone;

/// Opens the follow-ups that are due: from the start of the day the referral was requested,
/// its waiting period later. Returns how many.
pub fn open_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
    waits: &WaitDays,
) -> Result<usize, ApiError> {
    let mut opened = 0;
    let requested_by = waits.requested_by(zone.local_date(now));
    for referral in referral_waits::without_followup(conn, requested_by)? {
        let kind = ReferralKind::from_stored(&referral.kind).map_err(ApiError::internal)?;
        let since = zone.start_of_day(referral.requested_on);
        let due_at = since + TimeDelta::days(i64::from(waits.for_kind(kind)));
        if due_at <= now && referral_waits::open(conn, &referral, since, due_at, now)?.is_some() {
            opened += 1;
        }
    }
    Ok(opened)
}
