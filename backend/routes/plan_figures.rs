//! The aggregate of the plans for a period: per life domain, how many women improved,
//! stayed equal or declined between their first and latest assessment in it. Outside the
//! team (the municipality) every count below 5 is "<5" and the rest rounded to 5.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::plan::figures::{self, DomainFigures};
use crate::domain::period::PeriodChoice;
use crate::domain::plan::LifeDomain;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::routes::figure_view::{figure, figure_schema};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(plan_progress);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PlanProgressQuery {
    /// The period: a year (`2026`), a quarter (`2026-Q2`), a month (`2026-06`) or an ISO
    /// week (`2026-W23`).
    #[param(required = true, value_type = String)]
    period: Option<String>,
    /// The coordinator's figures as they may be shown outside the team (the
    /// municipality's always are).
    #[serde(default)]
    protected: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DomainProgressFigures {
    domain: LifeDomain,
    /// Women whose latest score in the period is above their first (a number or "<5").
    #[schema(schema_with = figure_schema)]
    improved: Value,
    #[schema(schema_with = figure_schema)]
    equal: Value,
    #[schema(schema_with = figure_schema)]
    declined: Value,
}

#[derive(Serialize, ToSchema)]
pub struct PlanProgressReport {
    period: String,
    from: NaiveDate,
    to: NaiveDate,
    /// 5 when the counts are as shown outside the team; null when they are exact.
    rounded_to: Option<i64>,
    /// All 13 domains, in the matrix's order.
    domains: Vec<DomainProgressFigures>,
}

impl From<DomainFigures> for DomainProgressFigures {
    fn from(d: DomainFigures) -> DomainProgressFigures {
        DomainProgressFigures {
            domain: d.domain,
            improved: figure(d.improved),
            equal: figure(d.equal),
            declined: figure(d.declined),
        }
    }
}

/// Per life domain, how many women improved, stayed equal or declined between their
/// first and latest assessment in the period (coordinator: her team; municipality: the
/// city, below 5 "<5" and the rest rounded to 5).
#[utoipa::path(
    tag = "reports",
    params(PlanProgressQuery),
    responses((status = 200, body = PlanProgressReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/plan-progress")]
async fn plan_progress(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<PlanProgressQuery>,
) -> Result<web::Json<PlanProgressReport>, ApiError> {
    let query = query.into_inner();
    let period = PeriodChoice {
        named: query.period,
        other_forms: false,
    };
    let found = figures::progress(&state, &who, period, query.protected).await?;
    let (from, to) = found.period.days();
    Ok(web::Json(PlanProgressReport {
        period: found.period.to_string(),
        from,
        to,
        rounded_to: found.disclosure.rounded_to(),
        domains: found.domains.into_iter().map(Into::into).collect(),
    }))
}
