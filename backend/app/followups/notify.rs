//! Queuing notifications, for the sweep and for people alike (a warm handover, an
//! escalation by hand): each once per key, released when the recipient's quiet hours end
//! (or at once), and turned into push messages by the next sweep's dispatch.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::db::DbConnection;
use crate::db::queries::notifications::{self, NewNotification};
use crate::domain::code::Code;
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::quiet_hours::QuietHours;
use crate::timezone::Zone;

/// One notification to queue.
pub struct Notice {
    pub user: i64,
    pub key: NotificationKey,
    pub kind: NotificationKind,
    pub followup_id: Option<i64>,
    /// The client the deep link opens, when there is no follow-up to open.
    pub client_id: Option<i64>,
    pub threshold_days: Option<i32>,
    /// How many things it stands for (a digest counts her open follow-ups).
    pub item_count: i32,
    pub urgent: bool,
    /// Held back until the recipient's quiet hours end. A shift reminder is not: it is
    /// for a shift she signed up for, and after the start it would be useless.
    pub quiet_hours_apply: bool,
}

impl Notice {
    /// A notice of `kind` for `user`, about nothing in particular, not urgent.
    pub fn new(user: i64, key: NotificationKey, kind: NotificationKind) -> Notice {
        Notice {
            user,
            key,
            kind,
            followup_id: None,
            client_id: None,
            threshold_days: None,
            item_count: 1,
            urgent: false,
            quiet_hours_apply: true,
        }
    }
}

/// Queues notices at one moment, knowing everyone's quiet hours.
pub struct Notifier {
    pub now: NaiveDateTime,
    zone: Zone,
    quiet: HashMap<i64, QuietHours>,
}

impl Notifier {
    /// Reads the active users' quiet hours (a team is tens of people).
    pub fn load(
        conn: &mut DbConnection,
        now: NaiveDateTime,
        zone: Zone,
    ) -> diesel::QueryResult<Notifier> {
        let quiet = notifications::quiet_hours(conn)?
            .into_iter()
            .filter_map(|(user, start, end)| {
                QuietHours::parse(&start, &end).ok().map(|q| (user, q))
            })
            .collect();
        Ok(Notifier { now, zone, quiet })
    }

    /// When a notification for `user` may be delivered: now, or when her quiet hours end.
    fn release(&self, user: i64) -> NaiveDateTime {
        self.quiet
            .get(&user)
            .map_or(self.now, |q| q.release_time(self.now, self.zone))
    }

    /// Queues `notice` once per key; false when it was queued before.
    pub fn queue(&self, conn: &mut DbConnection, notice: &Notice) -> diesel::QueryResult<bool> {
        let key = notice.key.to_string();
        let new = NewNotification {
            user_id: notice.user,
            dedupe_key: &key,
            kind: notice.kind.as_str(),
            followup_id: notice.followup_id,
            client_id: notice.client_id,
            threshold_days: notice.threshold_days,
            item_count: notice.item_count,
            urgent: notice.urgent,
            deliver_after: if notice.quiet_hours_apply {
                self.release(notice.user)
            } else {
                self.now
            },
        };
        notifications::queue(conn, &new, self.now)
    }
}
