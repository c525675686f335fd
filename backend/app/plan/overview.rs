//! The coordinator's overview of her team's plans: those overdue for review (three months
//! after the latest assessment, or the day set by hand) and the actions past their due date. A read across her
//! team's clients, audit-logged as one search (`plan.overview`).

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::audit::{self, Event};
use crate::db::queries::plan_overview::{self as queries, OverdueAction};
use crate::db::queries::plan_reviews;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// A plan whose review date has passed.
pub struct ReviewDue {
    pub client_id: i64,
    pub alias: String,
    /// None for a plan without assessments whose review day was set by hand.
    pub latest_assessment: Option<NaiveDate>,
    pub review_on: NaiveDate,
}

pub struct Overview {
    /// The longest overdue first.
    pub reviews: Vec<ReviewDue>,
    /// The longest overdue first.
    pub actions: Vec<OverdueAction>,
}

/// Her team's plans overdue for review and actions past due (the coordinator).
pub async fn overview(state: &AppState, who: &Identity) -> Result<Overview, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let zone = state.zone;
    let event = Event::search("plan.overview");
    audit::read_logged(state, who, event, move |conn, _, now| {
        let today = zone.local_date(now);
        let aliases = queries::aliases(conn, team)?;
        let mut reviews: Vec<ReviewDue> = plan_reviews::of_open_files(conn, Some(team))?
            .into_iter()
            .filter_map(|(client_id, _, basis)| {
                let review_on = basis.review_on()?;
                let alias = aliases.get(&client_id)?.clone();
                (review_on <= today).then_some(ReviewDue {
                    client_id,
                    alias,
                    latest_assessment: basis.latest_assessment,
                    review_on,
                })
            })
            .collect();
        reviews.sort_by_key(|r| (r.review_on, r.client_id));
        let actions = queries::overdue_actions(conn, team, today)?;
        Ok(Overview { reviews, actions })
    })
    .await
}
