//! The flex budget: the team's amount per calendar year, what is left of it, and the
//! year's expenses as a list and as CSV (the coordinator's accounts).

use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::flex_views::{BudgetView, ExpenseView};
use crate::app::Identity;
use crate::app::flex_budget;
use crate::domain::flex_budget::euros;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
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
/// client's code, never her alias.
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
    let mut csv = String::from(
        "spent_on,client_code,category,amount_cents,amount_eur,description,recorded_by\n",
    );
    for row in &export.expenses {
        let fields = [
            row.spent_on.to_string(),
            row.client_code.clone().unwrap_or_default(),
            row.category.clone(),
            row.amount_cents.to_string(),
            euros(row.amount_cents),
            row.description.clone(),
            row.recorded_by_name.clone(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        csv.push_str(&line.join(","));
        csv.push('\n');
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"inbeeld-flexbudget-{}.csv\"",
                export.year.get()
            ),
        ))
        .body(csv))
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that
/// a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
fn csv_field(raw: &str) -> String {
    let formula = raw.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if formula {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("slaapzak"), "slaapzak");
        assert_eq!(csv_field("jas, maat 40"), "\"jas, maat 40\"");
        assert_eq!(csv_field("de \"goede\" jas"), "\"de \"\"goede\"\" jas\"");
        assert_eq!(csv_field("regel\nregel"), "\"regel\nregel\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-5"), "'-5");
    }
}
