//! Queuing notifications, for the sweep and for people alike (a warm handover, an
//! escalation by hand, a warning): each once per key, released when the recipient's quiet
//! hours end (or at once), and turned into push messages by `dispatch`: the next sweep's,
//! or at once for a warning.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::Connection;

use crate::db::DbConnection;
use crate::db::queries::notifications::{self, NewNotification, PendingRow};
use crate::db::queries::push;
use crate::domain::code::Code;
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::quiet_hours::QuietHours;
use crate::error::ApiError;
use crate::push::payload::{self, Payload};
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

/// Turns each user's pending notifications into push messages for each of her devices:
/// warnings in one message of their own, everything else in one summary.
pub fn dispatch(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, ApiError> {
    let warning = NotificationKind::SignalWarning.as_str();
    let mut by_message: BTreeMap<(i64, bool), Vec<PendingRow>> = BTreeMap::new();
    for row in notifications::pending(conn, now)? {
        let key = (row.user_id, row.kind == warning);
        by_message.entry(key).or_default().push(row);
    }
    let mut dispatched = 0;
    for ((user, is_warning), rows) in by_message {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let (message, urgent): (Payload, bool) = if is_warning {
            (payload::warning(), true)
        } else {
            payload::compose(&rows)
        };
        let json = serde_json::to_string(&message).map_err(ApiError::internal)?;
        // Under a savepoint: a user whose notifications another sweep claimed first is
        // left to it, and the rest of this sweep goes on.
        let claimed = conn.transaction(|conn| {
            if notifications::claim(conn, &ids, now)? != ids.len() {
                // Another sweep is dispatching these; leave them to it.
                return Err(diesel::result::Error::RollbackTransaction);
            }
            for subscription in push::for_user(conn, user)? {
                push::enqueue(conn, &subscription, &json, urgent, now)?;
            }
            Ok(())
        });
        match claimed {
            Ok(()) => dispatched += 1,
            Err(diesel::result::Error::RollbackTransaction) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(dispatched)
}
