//! A client's flex-budget expenses: recorded and read by the coordinator and casemanagers
//! of her team, every read and change audit-logged (an expense is client data).

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::clients::ClientRow;
use crate::db::queries::flex_budget::{self, NewExpense};
use crate::db::{DbConnection, write_transaction};
use crate::domain::code::Code;
use crate::domain::flex_budget::{
    BudgetYear, Category, DESCRIPTION_MAX, ExpenseCents, check_spent_on,
};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::routes::flex_budget::{BudgetView, ExpenseView};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_expense).service(client_expenses);
}

/// The client `client_id` for the flex budget: only the roles that edit client files
/// (coordinator, casemanager) reach it, within their team. Refusals are audit-logged.
fn reach(
    conn: &mut DbConnection,
    who: &Identity,
    now: chrono::NaiveDateTime,
    client_id: i64,
    event: &Event,
) -> Result<ClientRow, ApiError> {
    if !who.role.edits_clients() {
        return Err(ApiError::denied(
            *event,
            ApiError::Forbidden("Your role gives no access to the flex budget."),
        ));
    }
    access::client(conn, who, now, client_id, Need::Edit, event)
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
    body: web::Json<NewExpenseBody>,
) -> Result<HttpResponse, ApiError> {
    let client_id = path.into_inner();
    let body = body.into_inner();
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let spent_on = body.spent_on.unwrap_or(today);
    check_spent_on(spent_on, today)?;
    let year = BudgetYear::of(spent_on)?;
    let amount = ExpenseCents::parse(body.amount_cents)?;
    let description = text::bounded("description", &body.description, DESCRIPTION_MAX)?;
    let (row, balance) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("flex_expense.create", Action::Create, client_id);
            let client = reach(conn, &who, now, client_id, &event)?;
            write_transaction(conn, |conn| {
                let id = flex_budget::create_expense(
                    conn,
                    &NewExpense {
                        team_id: client.team_id,
                        client_id,
                        spent_on,
                        amount_cents: amount.get(),
                        category: body.category.as_str(),
                        description: &description,
                        recorded_by: who.user_id,
                    },
                    now,
                )?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                let row = flex_budget::find_expense(conn, id)?;
                let balance = flex_budget::balance(conn, client.team_id, year)?;
                Ok::<_, ApiError>((row, balance))
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ExpenseRecorded {
        expense: ExpenseView::from_row(row, state.zone)?,
        budget: BudgetView::new(year, balance),
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
    let client_id = path.into_inner();
    let within = query
        .year
        .map(BudgetYear::parse)
        .transpose()?
        .map(BudgetYear::days);
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("flex_expense.read", Action::Read, client_id);
            reach(conn, &who, now, client_id, &event)?;
            let rows = flex_budget::client_expenses(conn, client_id, within)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
    rows.into_iter()
        .map(|row| ExpenseView::from_row(row, state.zone))
        .collect::<Result<_, _>>()
        .map(web::Json)
}
