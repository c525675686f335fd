//! The coordinator's overview of her team's plans: those overdue for review (three months
//! after the latest assessment) and the actions past their due date. A read across her
//! team's clients, audit-logged as one search (`plan.overview`).

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::audit::{self, Event};
use crate::db::queries::plan_followups;
use crate::db::queries::plan_overview::{self as queries, OverdueAction};
use crate::domain::plan;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// A plan whose review date has passed.
pub struct ReviewDue {
    pub client_id: i64,
    pub alias: String,
    pub latest_assessment: NaiveDate,
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
        let assessed_by = plan::reviews_due_assessed_by(today);
        let mut reviews: Vec<ReviewDue> = plan_followups::latest_assessments(conn, assessed_by)?
            .into_iter()
            .filter(|(_, client_team, _)| *client_team == team)
            .filter_map(|(client_id, _, latest)| {
                let review_on = plan::review_on(latest)?;
                let alias = aliases.get(&client_id)?.clone();
                (review_on <= today).then_some(ReviewDue {
                    client_id,
                    alias,
                    latest_assessment: latest,
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
