//! Notifications raised by people rather than by the sweep (a warm handover, an escalation
//! by hand). They are queued like the sweep's own, once per key, released when the
//! recipient's quiet hours end, and pushed by the next sweep's dispatch.

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::queries::notifications::{self, NewNotification};
use crate::domain::quiet_hours::QuietHours;
use crate::timezone::Zone;

pub struct Notice<'a> {
    pub user_id: i64,
    pub dedupe_key: &'a str,
    pub kind: &'a str,
    pub followup_id: Option<i64>,
    /// The client the deep link opens, when there is no follow-up to open.
    pub client_id: Option<i64>,
    pub urgent: bool,
}

/// Queues `notice` once per key; false when it was queued before.
pub fn queue(
    conn: &mut DbConnection,
    zone: Zone,
    now: NaiveDateTime,
    notice: &Notice,
) -> diesel::QueryResult<bool> {
    let (start, end) = notifications::quiet_hours_of(conn, notice.user_id)?;
    let new = NewNotification {
        user_id: notice.user_id,
        dedupe_key: notice.dedupe_key,
        kind: notice.kind,
        followup_id: notice.followup_id,
        threshold_days: None,
        item_count: 1,
        urgent: notice.urgent,
        deliver_after: QuietHours::parse(&start, &end)
            .map_or(now, |quiet| quiet.release_time(now, zone)),
    };
    match notice.client_id {
        Some(client) => notifications::queue_about_client(conn, &new, client, now),
        None => notifications::queue(conn, &new, now),
    }
}
