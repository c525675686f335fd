//! Her plan's review date: three months after her latest assessment, or a day her
//! casemanagers or the coordinator set by hand, until she is assessed again (that
//! assessment was the review). Read by everyone who reads her goals, set by who edits
//! her file; audit-logged (`client.plan.read`, `client.plan_review.update`). Moving the
//! day closes a reminder the old day raised; the sweep raises one on the new day.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::access;
use crate::app::audit::Action as Audited;
use crate::app::followups;
use crate::db::DbConnection;
use crate::db::queries::{plan_followups, plan_reviews};
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::state::AppState;

/// Her plan's review date and what it follows from.
pub struct PlanReview {
    /// None for a plan with no assessment and no day set.
    pub review_on: Option<NaiveDate>,
    /// The day was set by hand (not three months after her latest assessment).
    pub by_hand: bool,
    pub latest_assessment: Option<NaiveDate>,
}

fn review_of(conn: &mut DbConnection, client_id: i64) -> Result<PlanReview, ApiError> {
    let basis = plan_reviews::of_client(conn, client_id)?;
    Ok(PlanReview {
        review_on: basis.review_on(),
        by_hand: basis.by_hand().is_some(),
        latest_assessment: basis.latest_assessment,
    })
}

/// Her plan's review date; the read is audit-logged.
pub async fn review(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<PlanReview, ApiError> {
    access::read_of_client(state, who, id, "client.plan.read", move |conn| {
        review_of(conn, id.get())
    })
    .await
}

/// Sets her plan's review day by hand (today or later; 422 `date_in_past`), or with
/// `None` goes back to three months after her latest assessment (coordinator,
/// casemanager of her team).
pub async fn set_review(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    review_on: Option<NaiveDate>,
) -> Result<PlanReview, ApiError> {
    let zone = state.zone;
    let event = ("client.plan_review.update", Audited::Update);
    access::change_of_client(state, who, id, event, move |conn, _, who, now| {
        match review_on {
            Some(on) if on < zone.local_date(now) => {
                return Err(ApiError::invalid(
                    "date_in_past",
                    "The review day lies in the past: pick today or a later day.",
                ));
            }
            Some(on) => plan_reviews::set(conn, id.get(), on, who.user_id, now)?,
            None => {
                plan_reviews::delete_of_client(conn, id.get())?;
            }
        }
        let review = review_of(conn, id.get())?;
        plan_followups::close_moved_review(conn, id.get(), review.review_on, who.user_id, now)?;
        followups::review::refresh(conn, id.get(), now, zone)?;
        Ok(review)
    })
    .await
}
