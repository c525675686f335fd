//! What the process director's overview counts, across the teams: no names, no ids.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, partners, referrals, stagnations};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::stagnation::StagnationStatus;

/// A client's status and what her absence is counted from: status, last contact, intake
/// day, file made, and her Top 15&15 mark. Erased files are left out.
#[derive(Queryable, Debug, Clone)]
pub struct CaseloadRow {
    pub caseload_status: String,
    pub last_contact_at: Option<NaiveDateTime>,
    pub intake_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub top15: bool,
}

pub fn caseload(conn: &mut DbConnection) -> QueryResult<Vec<CaseloadRow>> {
    clients::table
        .filter(clients::erased_at.is_null())
        .select((
            clients::caseload_status,
            clients::last_contact_at,
            clients::intake_on,
            clients::created_at,
            clients::top15,
        ))
        .load(conn)
}

/// Stagnations not closed: kind and when reported.
pub fn open_stagnations(conn: &mut DbConnection) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    stagnations::table
        .filter(stagnations::status.ne(StagnationStatus::Closed.as_str()))
        .select((stagnations::kind, stagnations::reported_at))
        .load(conn)
}

/// Referrals neither started nor ended, of clients not closed: partner, kind, requested.
pub fn waiting_referrals(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(Option<String>, String, NaiveDate)>> {
    referrals::table
        .inner_join(clients::table)
        .left_join(partners::table)
        .filter(referrals::started_on.is_null())
        .filter(referrals::ended_on.is_null())
        .filter(clients::caseload_status.ne(CaseloadStatus::Closed.as_str()))
        .select((
            partners::name.nullable(),
            referrals::kind,
            referrals::requested_on,
        ))
        .load(conn)
}
