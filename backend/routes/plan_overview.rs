//! The coordinator's overview of her team's plans: overdue for review, and actions past
//! their due date.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::plan::overview;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plans_overdue);
}

#[derive(Serialize, ToSchema)]
pub struct ReviewDueView {
    client_id: i64,
    alias: String,
    /// Null when her plan has no assessment yet.
    latest_assessment: Option<NaiveDate>,
    /// Three months after her latest assessment, or the day set by hand.
    review_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct OverdueActionView {
    action_id: i64,
    client_id: i64,
    alias: String,
    what: String,
    due_on: NaiveDate,
    /// Who of the team does it, or else the partner.
    owner_name: Option<String>,
    partner_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlansOverdueView {
    /// The longest overdue first.
    reviews: Vec<ReviewDueView>,
    /// The longest overdue first.
    actions: Vec<OverdueActionView>,
}

/// The team's plans overdue for review and actions past their due date (the coordinator).
#[utoipa::path(
    tag = "clients",
    responses((status = 200, body = PlansOverdueView), (status = 403, body = ErrorBody))
)]
#[get("/plans/overdue")]
async fn plans_overdue(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<PlansOverdueView>, ApiError> {
    let found = overview::overview(&state, &who).await?;
    Ok(web::Json(PlansOverdueView {
        reviews: found
            .reviews
            .into_iter()
            .map(|r| ReviewDueView {
                client_id: r.client_id,
                alias: r.alias,
                latest_assessment: r.latest_assessment,
                review_on: r.review_on,
            })
            .collect(),
        actions: found
            .actions
            .into_iter()
            .map(|a| OverdueActionView {
                action_id: a.action_id,
                client_id: a.client_id,
                alias: a.alias,
                what: a.what,
                due_on: a.due_on,
                owner_name: a.owner_name,
                partner_name: a.partner_name,
            })
            .collect(),
    }))
}
