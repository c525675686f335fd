//! The flex budget: a team's yearly amount and the expenses made from it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, flex_budgets, flex_expenses, users};
use crate::domain::flex_budget::{Balance, BudgetYear};

/// An expense with its client's alias and code (absent once her record is gone) and the
/// name of whoever recorded it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = flex_expenses)]
pub struct ExpenseRow {
    pub id: i64,
    pub client_id: Option<i64>,
    #[diesel(select_expression = clients::alias.nullable())]
    pub alias: Option<String>,
    #[diesel(select_expression = clients::code.nullable())]
    pub client_code: Option<String>,
    pub spent_on: NaiveDate,
    pub amount_cents: i64,
    pub category: String,
    pub description: String,
    pub recorded_by: i64,
    #[diesel(select_expression = users::display_name)]
    pub recorded_by_name: String,
    pub created_at: NaiveDateTime,
}

pub struct NewExpense<'a> {
    pub team_id: i64,
    pub client_id: i64,
    pub spent_on: NaiveDate,
    pub amount_cents: i64,
    pub category: &'a str,
    pub description: &'a str,
    pub recorded_by: i64,
}

pub fn create_expense(
    conn: &mut DbConnection,
    expense: &NewExpense,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(flex_expenses::table)
        .values((
            flex_expenses::team_id.eq(expense.team_id),
            flex_expenses::client_id.eq(expense.client_id),
            flex_expenses::spent_on.eq(expense.spent_on),
            flex_expenses::amount_cents.eq(expense.amount_cents),
            flex_expenses::category.eq(expense.category),
            flex_expenses::description.eq(expense.description),
            flex_expenses::recorded_by.eq(expense.recorded_by),
            flex_expenses::created_at.eq(now),
        ))
        .returning(flex_expenses::id)
        .get_result(conn)
}

pub fn find_expense(conn: &mut DbConnection, id: i64) -> QueryResult<ExpenseRow> {
    flex_expenses::table
        .left_join(clients::table)
        .inner_join(users::table)
        .filter(flex_expenses::id.eq(id))
        .select(ExpenseRow::as_select())
        .first(conn)
}

/// The team's expenses dated within [first, last], oldest first.
pub fn team_expenses_between(
    conn: &mut DbConnection,
    team: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<ExpenseRow>> {
    flex_expenses::table
        .left_join(clients::table)
        .inner_join(users::table)
        .filter(flex_expenses::team_id.eq(team))
        .filter(flex_expenses::spent_on.between(first, last))
        .order((flex_expenses::spent_on, flex_expenses::id))
        .select(ExpenseRow::as_select())
        .load(conn)
}

/// One client's expenses, optionally only those dated within [first, last]; newest first.
pub fn client_expenses(
    conn: &mut DbConnection,
    client_id: i64,
    within: Option<(NaiveDate, NaiveDate)>,
) -> QueryResult<Vec<ExpenseRow>> {
    let mut query = flex_expenses::table
        .left_join(clients::table)
        .inner_join(users::table)
        .filter(flex_expenses::client_id.eq(client_id))
        .order((flex_expenses::spent_on.desc(), flex_expenses::id.desc()))
        .select(ExpenseRow::as_select())
        .into_boxed();
    if let Some((first, last)) = within {
        query = query.filter(flex_expenses::spent_on.between(first, last));
    }
    query.load(conn)
}

/// The sum of the team's expenses dated within [first, last]. Added up here rather than
/// with SQL `SUM`, which PostgreSQL widens to `NUMERIC` for a `BIGINT` column.
pub fn spent_between(
    conn: &mut DbConnection,
    team: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<i64> {
    let amounts: Vec<i64> = flex_expenses::table
        .filter(flex_expenses::team_id.eq(team))
        .filter(flex_expenses::spent_on.between(first, last))
        .select(flex_expenses::amount_cents)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

pub fn budget(conn: &mut DbConnection, team: i64, year: i32) -> QueryResult<Option<i64>> {
    flex_budgets::table
        .filter(flex_budgets::team_id.eq(team))
        .filter(flex_budgets::year.eq(year))
        .select(flex_budgets::amount_cents)
        .first(conn)
        .optional()
}

/// Sets the team's budget for a year, replacing an earlier amount. Run it in a write
/// transaction: `on_conflict` does not compile on the connection enum, so it updates and
/// inserts when there was nothing to update (a concurrent first insert on PostgreSQL then
/// fails with a unique violation).
pub fn set_budget(
    conn: &mut DbConnection,
    team: i64,
    year: i32,
    amount_cents: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(
        flex_budgets::table
            .filter(flex_budgets::team_id.eq(team))
            .filter(flex_budgets::year.eq(year)),
    )
    .set((
        flex_budgets::amount_cents.eq(amount_cents),
        flex_budgets::set_by.eq(by),
        flex_budgets::set_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(flex_budgets::table)
            .values((
                flex_budgets::team_id.eq(team),
                flex_budgets::year.eq(year),
                flex_budgets::amount_cents.eq(amount_cents),
                flex_budgets::set_by.eq(by),
                flex_budgets::set_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Where the team's year stands: its budget against the expenses dated in it.
pub fn balance(conn: &mut DbConnection, team: i64, year: BudgetYear) -> QueryResult<Balance> {
    let (first, last) = year.days();
    let budget = budget(conn, team, year.get())?;
    let spent = spent_between(conn, team, first, last)?;
    Ok(Balance::of(budget, spent))
}
