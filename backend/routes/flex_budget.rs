//! The flex budget: the team's amount per calendar year, what is left of it, and the
//! year's expenses as a list and as CSV (the coordinator's accounts).

use actix_web::http::header;
use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::flex_budget::{self, ExpenseRow};
use crate::db::{is_unique_violation, write_transaction};
use crate::domain::code::Code;
use crate::domain::flex_budget::{Balance, BudgetCents, BudgetYear, Category, euros};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_budget)
        .service(set_budget)
        .service(year_expenses)
        .service(year_csv);
}

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

impl BudgetView {
    pub fn new(year: BudgetYear, balance: Balance) -> BudgetView {
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
}

fn budget_year(year: i32) -> Result<BudgetYear, ApiError> {
    Ok(BudgetYear::parse(year)?)
}

/// The budget is the coordinator's; casemanagers see where it stands before they spend.
fn spends_flex_budget(role: Role) -> bool {
    role.edits_clients()
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
    who.require(spends_flex_budget)?;
    let team = who.team()?;
    let year = budget_year(path.into_inner())?;
    let balance = state
        .db
        .run(move |conn| Ok::<_, ApiError>(flex_budget::balance(conn, team, year)?))
        .await?;
    Ok(web::Json(BudgetView::new(year, balance)))
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
    body: web::Json<SetBudget>,
) -> Result<web::Json<BudgetView>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let year = budget_year(path.into_inner())?;
    let amount = BudgetCents::parse(body.amount_cents)?;
    let now = state.clock.now();
    let balance = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event {
                name: "flex_budget.set",
                action: Action::Update,
                client_id: None,
            };
            let set = write_transaction(conn, |conn| {
                flex_budget::set_budget(conn, team, year.get(), amount.get(), who.user_id, now)?;
                audit::record(conn, &who, now, &event, Outcome::Success)
            });
            match set {
                Err(e) if is_unique_violation(&e) => Err(ApiError::conflict(
                    "budget_changed",
                    "Someone set this budget at the same moment; try again.",
                )),
                other => other.map_err(ApiError::from),
            }?;
            Ok(flex_budget::balance(conn, team, year)?)
        })
        .await?;
    Ok(web::Json(BudgetView::new(year, balance)))
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
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let year = budget_year(query.year)?;
    let now = state.clock.now();
    let (rows, balance) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (first, last) = year.days();
            let rows = flex_budget::team_expenses_between(conn, team, first, last)?;
            let balance = flex_budget::balance(conn, team, year)?;
            audit::record(
                conn,
                &who,
                now,
                &Event::search("flex_expense.list"),
                Outcome::Success,
            )?;
            Ok((rows, balance))
        })
        .await?;
    Ok(web::Json(YearExpenses {
        budget: BudgetView::new(year, balance),
        expenses: rows
            .into_iter()
            .map(|row| ExpenseView::from_row(row, state.zone))
            .collect::<Result<_, _>>()?,
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
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let year = budget_year(query.year)?;
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (first, last) = year.days();
            let rows = flex_budget::team_expenses_between(conn, team, first, last)?;
            let event = Event::search("flex_expense.export");
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
    let mut csv = String::from(
        "spent_on,client_code,category,amount_cents,amount_eur,description,recorded_by\n",
    );
    for row in &rows {
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
                year.get()
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
