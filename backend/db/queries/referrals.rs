//! Referrals and interventions per client, with the partner's name.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{partners, referrals};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: i64,
    pub client_id: i64,
    pub kind: String,
    pub partner_id: Option<i64>,
    #[diesel(select_expression = partners::name.nullable())]
    pub partner_name: Option<String>,
    pub requested_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = referrals)]
pub struct NewReferral<'a> {
    pub team_id: i64,
    pub client_id: i64,
    pub kind: &'a str,
    pub partner_id: Option<i64>,
    pub requested_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub outcome: Option<&'a str>,
    pub outcome_note: Option<&'a str>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a change sets: the whole course and the partner, as checked together.
#[derive(AsChangeset)]
#[diesel(table_name = referrals, treat_none_as_null = true)]
pub struct CourseChange<'a> {
    pub partner_id: Option<i64>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub outcome: Option<&'a str>,
    pub outcome_note: Option<&'a str>,
    pub updated_at: NaiveDateTime,
}

/// Stores a referral; whether the sweep is to look at it is kept with it.
pub fn insert(conn: &mut DbConnection, referral: &NewReferral) -> QueryResult<i64> {
    let id = diesel::insert_into(referrals::table)
        .values(referral)
        .returning(referrals::id)
        .get_result(conn)?;
    super::referral_waits::refresh_one(conn, id)?;
    Ok(id)
}

/// Her referrals, the latest request first.
pub fn for_client(conn: &mut DbConnection, client_id: i64) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .left_join(partners::table)
        .filter(referrals::client_id.eq(client_id))
        .order((referrals::requested_on.desc(), referrals::id.desc()))
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Referral `id` if it is `client_id`'s.
pub fn find(conn: &mut DbConnection, client_id: i64, id: i64) -> QueryResult<Option<ReferralRow>> {
    referrals::table
        .left_join(partners::table)
        .filter(referrals::id.eq(id))
        .filter(referrals::client_id.eq(client_id))
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// Changes its course; a start or an end means the sweep no longer looks at it.
pub fn change(conn: &mut DbConnection, id: i64, change: &CourseChange) -> QueryResult<usize> {
    let changed = diesel::update(referrals::table.find(id))
        .set(change)
        .execute(conn)?;
    super::referral_waits::refresh_one(conn, id)?;
    Ok(changed)
}
