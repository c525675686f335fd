//! The flex budget: the team's amount per calendar year, what is left of it, and the
//! year's expenses as a list and as CSV (the coordinator's accounts).

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::flex_views::{BudgetView, ExpenseView};
use crate::app::Identity;
use crate::app::flex_budget;
use crate::domain::flex_budget::euros;
use crate::domain::spreadsheet::{Sheet, decimal};
use crate::error::ApiError;
use crate::http::body::Json;
use crate::http::{ErrorBody, download};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_budget)
        .service(set_budget)
        .service(year_expenses)
        .service(year_csv);
}

/// Where the team's budget for a year stands (coordinator, casemanager). A team total
/// without client data, so not audit-logged.
#[utoipa::path(
    tag = "team tools",
    params(("year" = i32, Path)),
    responses((status = 200, body = BudgetView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/flex-budget/{year}")]
async fn get_budget(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i32>,
) -> Result<web::Json<BudgetView>, ApiError> {
    let budget = flex_budget::budget(&state, &who, path.into_inner()).await?;
    Ok(web::Json(budget.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBudget {
    /// Whole euro cents, 0 to 100,000,000.
    amount_cents: i64,
}

/// Set the team's budget for a calendar year, replacing an earlier amount (coordinator).
#[utoipa::path(
    tag = "team tools",
    params(("year" = i32, Path)),
    request_body = SetBudget,
    responses((status = 200, body = BudgetView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/flex-budget/{year}")]
async fn set_budget(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i32>,
    body: Json<SetBudget>,
) -> Result<web::Json<BudgetView>, ApiError> {
    let budget =
        flex_budget::set_budget(&state, &who, path.into_inner(), body.amount_cents).await?;
    Ok(web::Json(budget.into()))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: i32,
}

#[derive(Serialize, ToSchema)]
pub struct YearExpenses {
    budget: BudgetView,
    /// Oldest first.
    expenses: Vec<ExpenseView>,
}

/// The team's expenses dated in a year, oldest first, and where the budget stands
/// (coordinator).
#[utoipa::path(
    tag = "team tools",
    params(YearQuery),
    responses((status = 200, body = YearExpenses), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/flex-expenses")]
async fn year_expenses(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<YearQuery>,
) -> Result<web::Json<YearExpenses>, ApiError> {
    let year = flex_budget::year_expenses(&state, &who, query.year).await?;
    Ok(web::Json(YearExpenses {
        budget: year.budget.into(),
        expenses: ExpenseView::all(year.expenses, state.zone)?,
    }))
}

/// The year's expenses as CSV for the accounts (coordinator): one row per expense with the
/// client's code, never her alias. Who opens it is the coordinator or the bookkeeping, in a
/// Dutch Excel: so the Dutch spreadsheet form (`;`, byte-order mark, Dutch headers, the
/// amount with a decimal comma); the category stays its code, as in the app's other
/// exports and the budget's own lists.
#[utoipa::path(
    tag = "team tools",
    params(YearQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/flex-expenses.csv")]
async fn year_csv(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let export = flex_budget::year_export(&state, &who, query.year).await?;
    let mut sheet = Sheet::new(&[
        "datum",
        "cliëntcode",
        "categorie",
        "bedrag in centen",
        "bedrag in euro",
        "omschrijving",
        "vastgelegd door",
    ]);
    for row in &export.expenses {
        sheet.row(&[
            row.spent_on.to_string(),
            row.client_code.clone().unwrap_or_default(),
            row.category.clone(),
            row.amount_cents.to_string(),
            decimal(euros(row.amount_cents)),
            row.description.clone(),
            row.recorded_by_name.clone(),
        ]);
    }
    let file_name = format!("inbeeld-flexbudget-{}.csv", export.year.get());
    Ok(download::csv(&file_name).body(sheet.finish()))
}
