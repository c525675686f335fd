//! Her plan's review date: read it, set it by hand, or go back to three months after her
//! latest assessment.

use actix_web::{get, put, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::plan::review::{self, PlanReview};
use crate::domain::day;
use crate::domain::ids::ClientId;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plan_review).service(set_plan_review);
}

#[derive(Serialize, ToSchema)]
pub struct PlanReviewView {
    /// The day her plan is due for review; null for a plan with no assessment and no day
    /// set.
    review_on: Option<NaiveDate>,
    /// Set by hand; else three months after her latest assessment.
    by_hand: bool,
    latest_assessment: Option<NaiveDate>,
}

impl From<PlanReview> for PlanReviewView {
    fn from(review: PlanReview) -> PlanReviewView {
        PlanReviewView {
            review_on: review.review_on,
            by_hand: review.by_hand,
            latest_assessment: review.latest_assessment,
        }
    }
}

/// Her plan's review date (everyone who may read her goals).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = PlanReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/plan-review")]
async fn plan_review(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<PlanReviewView>, ApiError> {
    let found = review::review(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(found.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanReviewBody {
    /// Today or later; null goes back to three months after her latest assessment. A
    /// newer assessment replaces a day set by hand.
    review_on: Option<NaiveDate>,
}

/// Set her plan's review day by hand (coordinator, casemanager of her team).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    request_body = PlanReviewBody,
    responses((status = 200, body = PlanReviewView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/clients/{id}/plan-review")]
async fn set_plan_review(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<PlanReviewBody>,
) -> Result<web::Json<PlanReviewView>, ApiError> {
    let review_on = day::maybe("review_on", body.into_inner().review_on)?;
    let id = ClientId(path.into_inner());
    let set = review::set_review(&state, &who, id, review_on).await?;
    Ok(web::Json(set.into()))
}
