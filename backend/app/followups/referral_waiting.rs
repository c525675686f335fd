//! Referrals waiting too long: a follow-up for her casemanagers once a referral has been
//! requested for its kind's waiting period (`referral_wait_days`, or the kind's own) and
//! has neither started nor ended, once per referral. It closes when the referral starts or
//! ends (`app::referrals::change`, in the same transaction).

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::referral_waits;
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::referral::{ReferralKind, WaitDays};
use crate::error::ApiError;
use crate::timezone::Zone;

/// Opens the follow-ups that are due: from the start of the day the referral was requested,
/// its waiting period later. Reads, per kind, only the referrals not yet handled that were
/// requested long enough ago (a day to spare), and marks each handled once its follow-up
/// is open (or her file is closed). Returns how many were opened.
pub fn open_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
    waits: &WaitDays,
) -> Result<usize, ApiError> {
    let mut opened = 0;
    let today = zone.local_date(now);
    for &kind in ReferralKind::ALL {
        let days = waits.for_kind(kind);
        let requested_by = waits.requested_by(kind, today);
        for (referral, status) in referral_waits::due_of_kind(conn, kind.as_str(), requested_by)? {
            if status == CaseloadStatus::Closed.as_str() {
                referral_waits::handled(conn, referral.referral_id)?;
                continue;
            }
            let since = zone.start_of_day(referral.requested_on);
            let due_at = since + TimeDelta::days(i64::from(days));
            if due_at > now {
                continue;
            }
            if referral_waits::open(conn, &referral, since, due_at, now)?.is_some() {
                opened += 1;
            }
            referral_waits::handled(conn, referral.referral_id)?;
        }
    }
    Ok(opened)
}
