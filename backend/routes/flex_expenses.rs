//! A client's flex-budget expenses: recorded and read by the coordinator and casemanagers
//! of her team, every read and change audit-logged (an expense is client data).

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::flex_views::{BudgetView, ExpenseView};
use crate::app::Identity;
use crate::app::flex_budget::{self, Expense};
use crate::domain::flex_budget::{BudgetYear, Category, DESCRIPTION_MAX, ExpenseCents, SpentOn};
use crate::domain::ids::ClientId;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_expense).service(client_expenses);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpenseBody {
    /// The local day the money was spent; defaults to today. Not ahead of today, at most
    /// 366 days back.
    spent_on: Option<NaiveDate>,
    /// Whole euro cents, 1 to 500,000.
    amount_cents: i64,
    category: Category,
    /// What was bought, e.g. "slaapzak"; at most 200 characters.
    description: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExpenseRecorded {
    expense: ExpenseView,
    /// The budget of the expense's year after it: `over_budget` flags an overspend, which
    /// is recorded all the same.
    budget: BudgetView,
}

/// Record an expense for a client (coordinator, casemanager). An expense beyond what is
/// left of the year's budget is recorded and flagged with `budget.over_budget`.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path)),
    request_body = NewExpenseBody,
    responses((status = 201, body = ExpenseRecorded), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/flex-expenses")]
async fn create_expense(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<NewExpenseBody>,
) -> Result<HttpResponse, ApiError> {
    let client = ClientId(path.into_inner());
    let body = body.into_inner();
    let today = state.zone.local_date(state.clock.now());
    let spent_on = SpentOn::parse(body.spent_on.unwrap_or(today), today)?;
    let expense = Expense {
        spent_on,
        amount: ExpenseCents::parse(body.amount_cents)?,
        category: body.category,
        description: text::bounded("description", &body.description, DESCRIPTION_MAX)?,
    };
    let recorded = flex_budget::record_expense(&state, &who, client, expense).await?;
    Ok(HttpResponse::Created().json(ExpenseRecorded {
        expense: ExpenseView::from_row(recorded.expense, state.zone)?,
        budget: recorded.budget.into(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClientYear {
    /// Only expenses dated in this calendar year.
    year: Option<i32>,
}

/// A client's expenses, newest first, optionally of one year (coordinator, casemanager).
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path), ClientYear),
    responses((status = 200, body = [ExpenseView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/clients/{id}/flex-expenses")]
async fn client_expenses(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    query: web::Query<ClientYear>,
) -> Result<web::Json<Vec<ExpenseView>>, ApiError> {
    let client = ClientId(path.into_inner());
    let year = query.year.map(BudgetYear::parse).transpose()?;
    let rows = flex_budget::client_expenses(&state, &who, client, year).await?;
    ExpenseView::all(rows, state.zone).map(web::Json)
}
