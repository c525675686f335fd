//! The process director's overview: the cases across the teams as counts, without names.

use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::overview;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_overview);
}

#[derive(Serialize, ToSchema)]
pub struct WaitingView {
    /// The partner asked; null when none is known yet.
    partner: Option<String>,
    /// The referral kind.
    kind: String,
    count: i64,
    /// Days waited so far, the median of the group.
    median_waiting_days: f64,
}

#[derive(Serialize, ToSchema)]
pub struct OverviewView {
    /// The local day counted on.
    on: NaiveDate,
    /// Clients per caseload status: active, regular_care, closed.
    caseload: BTreeMap<String, i64>,
    /// Open clients without a named contact for `out_of_view_days`.
    out_of_view: i64,
    /// Open clients marked Top 15&15.
    top15: i64,
    /// Open stagnations per kind, each counted as under_4_weeks, 4_to_12_weeks or
    /// over_12_weeks since reported.
    open_stagnations: BTreeMap<String, BTreeMap<String, i64>>,
    /// Referrals neither started nor ended, per partner and kind.
    waiting_referrals: Vec<WaitingView>,
}

/// The process director's overview of the cases, without names (process director).
#[utoipa::path(
    tag = "stagnations",
    responses((status = 200, body = OverviewView), (status = 403, body = ErrorBody))
)]
#[get("/overview")]
async fn get_overview(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<OverviewView>, ApiError> {
    let o = overview::overview(&state, &who).await?;
    let names = |m: BTreeMap<&'static str, i64>| {
        m.into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<BTreeMap<String, i64>>()
    };
    Ok(web::Json(OverviewView {
        on: o.on,
        caseload: names(o.caseload),
        out_of_view: o.out_of_view,
        top15: o.top15,
        open_stagnations: o
            .open_stagnations
            .into_iter()
            .map(|(kind, ages)| (kind, names(ages)))
            .collect(),
        waiting_referrals: o
            .waiting_referrals
            .into_iter()
            .map(|g| WaitingView {
                partner: g.partner,
                kind: g.kind,
                count: g.count,
                median_waiting_days: g.median_waiting_days,
            })
            .collect(),
    }))
}
