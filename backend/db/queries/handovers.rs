//! Warm handovers: the old assignment ends after the overlap, the new one starts today,
//! and the handover itself (with its note) is kept on the client's file.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::clients;
use crate::db::DbConnection;
use crate::db::schema::{handovers, users};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = handovers)]
pub struct HandoverRow {
    pub id: i64,
    pub client_id: i64,
    pub from_user_id: i64,
    pub to_user_id: i64,
    pub starts_on: NaiveDate,
    pub overlap_until: NaiveDate,
    pub note: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// A handover with the display names of both casemanagers.
pub struct NamedHandover {
    pub handover: HandoverRow,
    pub from_name: String,
    pub to_name: String,
}

pub struct NewHandover<'a> {
    pub client_id: i64,
    /// The assignment handed over; it ends on `overlap_until`.
    pub from_assignment: i64,
    pub from_user_id: i64,
    pub to_user_id: i64,
    pub starts_on: NaiveDate,
    pub overlap_until: NaiveDate,
    pub note: &'a str,
    pub created_by: i64,
}

/// Ends the old assignment after the overlap, starts the new one, and keeps the handover.
/// Run it inside the caller's transaction.
pub fn record(conn: &mut DbConnection, new: &NewHandover, now: NaiveDateTime) -> QueryResult<i64> {
    clients::end_assignment(conn, new.from_assignment, new.overlap_until)?;
    clients::assign(
        conn,
        new.client_id,
        new.to_user_id,
        new.starts_on,
        None,
        now,
    )?;
    diesel::insert_into(handovers::table)
        .values((
            handovers::client_id.eq(new.client_id),
            handovers::from_user_id.eq(new.from_user_id),
            handovers::to_user_id.eq(new.to_user_id),
            handovers::starts_on.eq(new.starts_on),
            handovers::overlap_until.eq(new.overlap_until),
            handovers::note.eq(new.note),
            handovers::created_by.eq(new.created_by),
            handovers::created_at.eq(now),
        ))
        .returning(handovers::id)
        .get_result(conn)
}

/// A client's handovers, newest first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<NamedHandover>> {
    let (from_users, to_users) = diesel::alias!(users as from_users, users as to_users);
    handovers::table
        .inner_join(from_users.on(handovers::from_user_id.eq(from_users.field(users::id))))
        .inner_join(to_users.on(handovers::to_user_id.eq(to_users.field(users::id))))
        .filter(handovers::client_id.eq(client_id))
        .order((handovers::created_at.desc(), handovers::id.desc()))
        .select((
            HandoverRow::as_select(),
            from_users.field(users::display_name),
            to_users.field(users::display_name),
        ))
        .load::<(HandoverRow, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(handover, from_name, to_name)| NamedHandover {
                    handover,
                    from_name,
                    to_name,
                })
                .collect()
        })
}
