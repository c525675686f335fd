//! What the coordinator's overview of her team's plans reads.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{clients, partners, plan_actions, users};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;

/// The aliases of the team's open files, by client.
pub fn aliases(conn: &mut DbConnection, team: i64) -> QueryResult<HashMap<i64, String>> {
    let open = [CaseloadStatus::Active, CaseloadStatus::RegularCare].map(CaseloadStatus::as_str);
    Ok(clients::table
        .filter(clients::team_id.eq(team))
        .filter(clients::caseload_status.eq_any(open))
        .select((clients::id, clients::alias))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// An open action past its due date, with her alias and who does it.
#[derive(Queryable, Debug, Clone)]
pub struct OverdueAction {
    pub action_id: i64,
    pub client_id: i64,
    pub alias: String,
    pub what: String,
    pub due_on: NaiveDate,
    pub owner_name: Option<String>,
    pub partner_name: Option<String>,
}

/// The team's open actions of open files due before `today`, the longest overdue first.
pub fn overdue_actions(
    conn: &mut DbConnection,
    team: i64,
    today: NaiveDate,
) -> QueryResult<Vec<OverdueAction>> {
    let open = [CaseloadStatus::Active, CaseloadStatus::RegularCare].map(CaseloadStatus::as_str);
    plan_actions::table
        .inner_join(clients::table.on(clients::id.eq(plan_actions::client_id)))
        .left_join(users::table.on(plan_actions::owner_id.eq(users::id.nullable())))
        .left_join(partners::table)
        .filter(clients::team_id.eq(team))
        .filter(clients::caseload_status.eq_any(open))
        .filter(plan_actions::status.eq("open"))
        .filter(plan_actions::due_on.lt(today))
        .order((plan_actions::due_on.asc(), plan_actions::id.asc()))
        .select((
            plan_actions::id,
            plan_actions::client_id,
            clients::alias,
            plan_actions::what,
            plan_actions::due_on,
            users::display_name.nullable(),
            partners::name.nullable(),
        ))
        .load(conn)
}
