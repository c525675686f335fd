//! The flex budget: a team's amount per calendar year, set by the coordinator, and the
//! expenses recorded against it for a client (`domain::flex_budget` holds the amounts and
//! the yearly rules). An expense is client data: every read and change of one is
//! audit-logged; the budget itself is a team total and is not.

use chrono::NaiveDateTime;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::DbConnection;
use crate::db::queries::clients::ClientRow;
use crate::db::queries::flex_budget::{self, ExpenseRow, NewExpense};
use crate::domain::code::Code;
use crate::domain::flex_budget::{
    Balance, BudgetCents, BudgetYear, Category, ExpenseCents, SpentOn,
};
use crate::domain::ids::ClientId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Where a year's budget stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub year: BudgetYear,
    pub balance: Balance,
}

/// A year's expenses of the team, oldest first, and where its budget stands.
#[derive(Debug, Clone)]
pub struct YearExpenses {
    pub budget: Budget,
    pub expenses: Vec<ExpenseRow>,
}

/// A year's expenses of the team, oldest first, for the accounts.
#[derive(Debug, Clone)]
pub struct Export {
    pub year: BudgetYear,
    pub expenses: Vec<ExpenseRow>,
}

/// An expense to record for a client.
#[derive(Debug, Clone)]
pub struct Expense {
    pub spent_on: SpentOn,
    pub amount: ExpenseCents,
    pub category: Category,
    /// Checked for length by the caller.
    pub description: String,
}

/// A recorded expense and the budget of its year after it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub expense: ExpenseRow,
    pub budget: Budget,
}

/// The budget is the coordinator's; casemanagers see where it stands before they spend.
fn spends_flex_budget(role: Role) -> bool {
    role.edits_clients()
}

/// The team and year of a team-wide request: who asks is checked before the year asked
/// for.
fn team_year(
    who: &Identity,
    allowed: fn(Role) -> bool,
    year: i32,
) -> Result<(i64, BudgetYear), ApiError> {
    who.require(allowed)?;
    let team = who.team()?;
    Ok((team, BudgetYear::parse(year)?))
}

/// Where the team's budget for `year` stands (coordinator, casemanager).
pub async fn budget(state: &AppState, who: &Identity, year: i32) -> Result<Budget, ApiError> {
    let (team, year) = team_year(who, spends_flex_budget, year)?;
    let balance = state
        .db
        .read(move |conn| Ok::<_, ApiError>(flex_budget::balance(conn, team, year)?))
        .await?;
    Ok(Budget { year, balance })
}

/// Sets the team's budget for `year`, replacing an earlier amount (coordinator).
pub async fn set_budget(
    state: &AppState,
    who: &Identity,
    year: i32,
    amount_cents: i64,
) -> Result<Budget, ApiError> {
    let (team, year) = team_year(who, Role::coordinates, year)?;
    let amount = BudgetCents::parse(amount_cents)?;
    let now = state.clock.now();
    let event = Event::account("flex_budget.set", Action::Update);
    let balance = audit::write_logged(state, who, now, event, move |conn, who| {
        flex_budget::set_budget(conn, team, year.get(), amount.get(), who.user_id, now).map_err(
            |e| {
                crate::app::taken(
                    e,
                    "budget_changed",
                    "Someone set this budget at the same moment; try again.",
                )
            },
        )?;
        Ok(flex_budget::balance(conn, team, year)?)
    })
    .await?;
    Ok(Budget { year, balance })
}

/// The team's expenses dated in `year` and where its budget stands (coordinator).
pub async fn year_expenses(
    state: &AppState,
    who: &Identity,
    year: i32,
) -> Result<YearExpenses, ApiError> {
    let (team, year) = team_year(who, Role::coordinates, year)?;
    let event = Event::search("flex_expense.list");
    let (expenses, balance) = audit::read_logged(state, who, event, move |conn, _, _| {
        let (first, last) = year.days();
        let rows = flex_budget::team_expenses_between(conn, team, first, last)?;
        Ok((rows, flex_budget::balance(conn, team, year)?))
    })
    .await?;
    Ok(YearExpenses {
        budget: Budget { year, balance },
        expenses,
    })
}

/// The team's expenses dated in `year`, for the accounts (coordinator).
pub async fn year_export(state: &AppState, who: &Identity, year: i32) -> Result<Export, ApiError> {
    let (team, year) = team_year(who, Role::coordinates, year)?;
    let event = Event::search("flex_expense.export");
    let expenses = audit::read_logged(state, who, event, move |conn, _, _| {
        let (first, last) = year.days();
        Ok(flex_budget::team_expenses_between(conn, team, first, last)?)
    })
    .await?;
    Ok(Export { year, expenses })
}

/// The client for the flex budget: only the roles that edit client files (coordinator,
/// casemanager) reach her, within their team.
fn reach(
    conn: &mut DbConnection,
    who: &Identity,
    now: NaiveDateTime,
    client: ClientId,
    event: &Event,
) -> Result<ClientRow, ApiError> {
    if !who.role.edits_clients() {
        return Err(ApiError::denied(
            *event,
            ApiError::Forbidden("Your role gives no access to the flex budget."),
        ));
    }
    access::client(conn, who, now, client.get(), Need::Edit, event)
}

/// Records an expense for `client` (coordinator, casemanager). One beyond what is left of
/// the year's budget is recorded all the same: the balance it returns says so.
pub async fn record_expense(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    expense: Expense,
) -> Result<Recorded, ApiError> {
    let now = state.clock.now();
    let who = who.clone();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let event = Event::on("flex_expense.create", Action::Create, client.get());
            let found = reach(conn, &who, now, client, &event)?;
            let year = expense.spent_on.year();
            let id = flex_budget::create_expense(
                conn,
                &NewExpense {
                    team_id: found.team_id,
                    client_id: client.get(),
                    spent_on: expense.spent_on.day(),
                    amount_cents: expense.amount.get(),
                    category: expense.category.as_str(),
                    description: &expense.description,
                    recorded_by: who.user_id,
                },
                now,
            )?;
            let row = flex_budget::find_expense(conn, id)?;
            let balance = flex_budget::balance(conn, found.team_id, year)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(Recorded {
                expense: row,
                budget: Budget { year, balance },
            })
        })
        .await
}

/// `client`'s expenses, newest first, those dated in `year` when given (coordinator,
/// casemanager).
pub async fn client_expenses(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    year: Option<BudgetYear>,
) -> Result<Vec<ExpenseRow>, ApiError> {
    let event = Event::on("flex_expense.read", Action::Read, client.get());
    let rows = audit::read_logged(state, who, event, move |conn, who, now| {
        reach(conn, who, now, client, &event)?;
        Ok(flex_budget::client_expenses(
            conn,
            client.get(),
            year.map(BudgetYear::days),
        )?)
    })
    .await?;
    Ok(rows)
}
