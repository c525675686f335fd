//! The flex budget's views that both `flex_budget` (the team's year) and `flex_expenses`
//! (a client's expenses) answer with; serde types only.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::flex_budget::Budget;
use crate::db::queries::flex_budget::ExpenseRow;
use crate::domain::code::Code;
use crate::domain::flex_budget::Category;
use crate::error::ApiError;
use crate::timezone::Zone;

/// A year's budget against its expenses. The remaining amount may be negative: an expense
/// beyond the budget is recorded and flagged, never refused.
#[derive(Serialize, ToSchema)]
pub struct BudgetView {
    year: i32,
    /// 0 while the coordinator has set no budget for the year.
    budget_cents: i64,
    budget_set: bool,
    /// The expenses dated in the year (local days, 1 January to 31 December).
    spent_cents: i64,
    remaining_cents: i64,
    /// More was spent than budgeted.
    over_budget: bool,
}

impl From<Budget> for BudgetView {
    fn from(Budget { year, balance }: Budget) -> BudgetView {
        BudgetView {
            year: year.get(),
            budget_cents: balance.budget_cents,
            budget_set: balance.budget_set,
            spent_cents: balance.spent_cents,
            remaining_cents: balance.remaining_cents,
            over_budget: balance.over_budget,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseView {
    id: i64,
    /// Empty once the client's record has been deleted; the amount stays in the accounts.
    client_id: Option<i64>,
    alias: Option<String>,
    client_code: Option<String>,
    /// The local day the money was spent.
    spent_on: NaiveDate,
    amount_cents: i64,
    category: Category,
    description: String,
    recorded_by: i64,
    recorded_by_name: String,
    recorded_at: DateTime<FixedOffset>,
}

impl ExpenseView {
    pub fn from_row(row: ExpenseRow, zone: Zone) -> Result<ExpenseView, ApiError> {
        Ok(ExpenseView {
            id: row.id,
            client_id: row.client_id,
            alias: row.alias,
            client_code: row.client_code,
            spent_on: row.spent_on,
            amount_cents: row.amount_cents,
            category: Category::from_stored(&row.category).map_err(ApiError::internal)?,
            description: row.description,
            recorded_by: row.recorded_by,
            recorded_by_name: row.recorded_by_name,
            recorded_at: zone.to_local(row.created_at),
        })
    }

    /// Every row as a view, in order.
    pub fn all(rows: Vec<ExpenseRow>, zone: Zone) -> Result<Vec<ExpenseView>, ApiError> {
        rows.into_iter()
            .map(|row| ExpenseView::from_row(row, zone))
            .collect()
    }
}
