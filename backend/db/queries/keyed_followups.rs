//! The follow-ups the sweep opens, each at most once: a unique key per occasion (this
//! absence, that expiry date, an action's due date; `domain::followup_key`) makes
//! repeated and concurrent sweeps harmless.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::queries::followups::add_event;
use crate::db::schema::followups;
use crate::db::{DbConnection, insert_once};
use crate::domain::code::Code;
use crate::domain::followup::{FollowupStatus, TimelineEvent};
use crate::domain::followup_key::FollowupKey;

/// A follow-up the sweep opens at most once: its key is unique in the table, so repeated
/// and concurrent sweeps are harmless.
pub struct KeyedFollowup {
    pub key: FollowupKey,
    pub team_id: i64,
    pub client_id: i64,
    pub due_at: NaiveDateTime,
    /// Addressed to this one person instead of her casemanagers.
    pub owner_id: Option<i64>,
    /// Where the wait it is about began (her absence, a referral's request).
    pub absent_since: Option<NaiveDateTime>,
    pub note: Option<String>,
    /// What the timeline's "opened" says of it.
    pub opened_detail: Option<String>,
}

impl KeyedFollowup {
    /// One for her casemanagers, with nothing more to say.
    pub fn new(key: FollowupKey, team_id: i64, client_id: i64, due_at: NaiveDateTime) -> Self {
        KeyedFollowup {
            key,
            team_id,
            client_id,
            due_at,
            owner_id: None,
            absent_since: None,
            note: None,
            opened_detail: None,
        }
    }
}

/// Opens `new` with its "opened" event; `None` when its key was opened before (by another
/// sweep, too).
pub fn open_keyed(
    conn: &mut DbConnection,
    new: &KeyedFollowup,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    insert_once(conn, |conn| {
        let id: i64 = diesel::insert_into(followups::table)
            .values((
                followups::team_id.eq(new.team_id),
                followups::client_id.eq(new.client_id),
                followups::kind.eq(new.key.kind().as_str()),
                followups::dedupe_key.eq(new.key.to_string()),
                followups::owner_id.eq(new.owner_id),
                followups::absent_since.eq(new.absent_since),
                followups::due_at.eq(new.due_at),
                followups::note.eq(&new.note),
                followups::status.eq(FollowupStatus::Open.as_str()),
                followups::created_at.eq(now),
            ))
            .returning(followups::id)
            .get_result(conn)?;
        let detail = new.opened_detail.as_deref();
        add_event(conn, id, now, TimelineEvent::Opened, None, detail)?;
        Ok(id)
    })
}
