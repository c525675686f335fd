//! Beschermd Wonen Licht: the team's yearly budget in weeks, and the placements (started
//! referrals of kind `sheltered_housing`) that use it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{referrals, sheltered_housing_budgets};
use crate::domain::code::Code;
use crate::domain::referral::ReferralKind;

pub fn budget(conn: &mut DbConnection, team: i64, year: i32) -> QueryResult<Option<i32>> {
    sheltered_housing_budgets::table
        .filter(sheltered_housing_budgets::team_id.eq(team))
        .filter(sheltered_housing_budgets::year.eq(year))
        .select(sheltered_housing_budgets::weeks)
        .first(conn)
        .optional()
}

/// Sets the team's weeks for a year, replacing an earlier number. Run it in a write
/// transaction: like the flex budget, it updates and inserts when there was nothing to
/// update (`on_conflict` does not compile on the connection enum).
pub fn set_budget(
    conn: &mut DbConnection,
    team: i64,
    year: i32,
    weeks: i32,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(
        sheltered_housing_budgets::table
            .filter(sheltered_housing_budgets::team_id.eq(team))
            .filter(sheltered_housing_budgets::year.eq(year)),
    )
    .set((
        sheltered_housing_budgets::weeks.eq(weeks),
        sheltered_housing_budgets::set_by.eq(by),
        sheltered_housing_budgets::set_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(sheltered_housing_budgets::table)
            .values((
                sheltered_housing_budgets::team_id.eq(team),
                sheltered_housing_budgets::year.eq(year),
                sheltered_housing_budgets::weeks.eq(weeks),
                sheltered_housing_budgets::set_by.eq(by),
                sheltered_housing_budgets::set_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The team's placements that ran within [first, last]: each its start and its end (none
/// while it runs).
pub fn placements_between(
    conn: &mut DbConnection,
    team: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, Option<NaiveDate>)>> {
    let rows: Vec<(Option<NaiveDate>, Option<NaiveDate>)> = referrals::table
        .filter(referrals::team_id.eq(team))
        .filter(referrals::kind.eq(ReferralKind::ShelteredHousing.as_str()))
        .filter(referrals::started_on.le(last))
        .filter(
            referrals::ended_on
                .is_null()
                .or(referrals::ended_on.ge(first)),
        )
        .select((referrals::started_on, referrals::ended_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(started, ended)| started.map(|s| (s, ended)))
        .collect())
}
