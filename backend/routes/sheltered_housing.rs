//! Beschermd Wonen Licht: the team's weeks for a calendar year against its budget.

use actix_web::{get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::sheltered_housing::{self, YearWeeks};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_weeks).service(set_weeks);
}

#[derive(Serialize, ToSchema)]
pub struct WeeksView {
    year: i32,
    /// The budget in weeks: as set, or the seed's 18 while none is.
    budget_weeks: i32,
    budget_set: bool,
    /// Nights of Beschermd Wonen (Licht) placements (started `sheltered_housing`
    /// referrals) in the year, up to today.
    used_nights: i64,
    /// The nights as weeks, to one decimal.
    used_weeks: f64,
    over_budget: bool,
}

impl From<YearWeeks> for WeeksView {
    fn from(weeks: YearWeeks) -> WeeksView {
        let b = weeks.balance;
        WeeksView {
            year: weeks.year.get(),
            budget_weeks: b.budget_weeks,
            budget_set: b.budget_set,
            used_nights: b.used_nights,
            used_weeks: b.used_weeks(),
            over_budget: b.over_budget(),
        }
    }
}

/// Where the team's weeks of Beschermd Wonen Licht for a year stand (coordinator,
/// casemanager). A team total without client data, so not audit-logged.
#[utoipa::path(
    tag = "team tools",
    params(("year" = i32, Path)),
    responses((status = 200, body = WeeksView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/sheltered-housing-budget/{year}")]
async fn get_weeks(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i32>,
) -> Result<web::Json<WeeksView>, ApiError> {
    let weeks = sheltered_housing::weeks(&state, &who, path.into_inner()).await?;
    Ok(web::Json(weeks.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetWeeks {
    /// 0 to 520.
    weeks: i32,
}

/// Set the team's weeks of Beschermd Wonen Licht for a year (coordinator).
#[utoipa::path(
    tag = "team tools",
    params(("year" = i32, Path)),
    request_body = SetWeeks,
    responses((status = 200, body = WeeksView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/sheltered-housing-budget/{year}")]
async fn set_weeks(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i32>,
    body: Json<SetWeeks>,
) -> Result<web::Json<WeeksView>, ApiError> {
    let weeks = sheltered_housing::set_weeks(&state, &who, path.into_inner(), body.weeks).await?;
    Ok(web::Json(weeks.into()))
}
