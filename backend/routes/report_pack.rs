//! The report pack for a year, a quarter or a month, given by its first and last day: every
//! figure of the account to the municipality and the funders beside the same period a
//! year before, as JSON and as CSV. The municipality sees the city's pack with small
//! counts, and what would give them away, as "<5".

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::report_pack::{self, Asked, Pack};
use crate::domain::ids::LocationId;
use crate::domain::spreadsheet::Sheet;
use crate::error::ApiError;
use crate::http::{ErrorBody, download};
use crate::routes::figure_view::{csv_value, figure, figure_or_null_schema};
use crate::routes::pack_document::{self, Heading};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(pack_json).service(pack_csv).service(pack_pdf);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PackQuery {
    /// The first day (local), e.g. `2026-04-01`: the first day of a year, quarter or month.
    #[param(required = true, value_type = String)]
    from: Option<String>,
    /// The last day (local, inclusive), e.g. `2026-06-30`: the last day of the same year,
    /// quarter or month. Other ranges are a 422 `bad_period`.
    #[param(required = true, value_type = String)]
    to: Option<String>,
    /// Only this location's contacts, shifts and signals.
    location_id: Option<i64>,
    /// The coordinator's pack as it may leave the team (the municipality's always is).
    #[serde(default)]
    protected: bool,
}

impl PackQuery {
    fn asked(&self) -> Asked {
        let day = |given: &Option<String>| {
            given
                .as_deref()
                .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        };
        Asked {
            from: day(&self.from),
            to: day(&self.to),
            location: self.location_id.map(LocationId),
            protected: self.protected,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PackFigure {
    /// The figure's stable code, its section first: `contacts.total`,
    /// `clients.outflow.moved_away`, `referrals.housing_application.median_wait_days`.
    key: String,
    /// A number, or "<5"; null for no value (the median wait of no referral).
    #[schema(schema_with = figure_or_null_schema)]
    value: Value,
    /// The same figure for the period a year before; null when there is none.
    #[schema(schema_with = figure_or_null_schema)]
    year_before: Value,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodView {
    /// As named: `2026`, `2026-Q2`, `2026-06`.
    period: String,
    from: NaiveDate,
    /// Inclusive.
    to: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct CasemanagerCaseload {
    name: String,
    /// Her open clients at the period's end.
    clients: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PackView {
    /// As named: `2026`, `2026-Q2`, `2026-06`.
    period: String,
    from: NaiveDate,
    /// Inclusive.
    to: NaiveDate,
    /// The same period a year before, which `year_before` of each figure is for.
    year_before: Option<PeriodView>,
    location_id: Option<i64>,
    /// The location's name, when one was asked for.
    location: Option<String>,
    /// The names of the locations whose services are counted, by the code in their
    /// figures' keys (`services.cirkel.condoms`): every location, or the one asked for.
    location_names: BTreeMap<String, String>,
    /// True when the pack is as it may leave the team: counts below 5, and counts that
    /// would give those away from a total and its other parts, are "<5", other counts
    /// rounded to 5.
    protected: bool,
    /// Every figure, in the pack's order.
    figures: Vec<PackFigure>,
    /// The coordinator's exact pack only: the caseload per casemanager.
    casemanagers: Option<Vec<CasemanagerCaseload>>,
}

fn view(pack: Pack, location_id: Option<i64>) -> PackView {
    let period = |figures: &report_pack::Figures| PeriodView {
        period: figures.period.to_string(),
        from: figures.first,
        to: figures.last,
    };
    let before = pack.year_before.as_ref();
    let figures = pack
        .now
        .figures
        .iter()
        .enumerate()
        .map(|(at, (key, shown))| PackFigure {
            key: key.clone(),
            value: shown.map_or(Value::Null, figure),
            year_before: before
                .and_then(|before| before.figures.get(at))
                .and_then(|(_, shown)| *shown)
                .map_or(Value::Null, figure),
        })
        .collect();
    PackView {
        period: pack.now.period.to_string(),
        from: pack.now.first,
        to: pack.now.last,
        year_before: before.map(period),
        location_id,
        location: pack.location,
        location_names: pack.location_names.into_iter().collect(),
        protected: pack.disclosure.rounded_to().is_some(),
        figures,
        casemanagers: pack.casemanagers.map(|rows| {
            rows.into_iter()
                .map(|(name, clients)| CasemanagerCaseload { name, clients })
                .collect()
        }),
    }
}

async fn pack(state: &AppState, who: &Identity, query: &PackQuery) -> Result<PackView, ApiError> {
    let pack = report_pack::pack(state, who, query.asked()).await?;
    Ok(view(pack, query.location_id))
}

/// The report pack (coordinator: her team, exact; municipality: the city, protected).
#[utoipa::path(
    tag = "reports",
    params(PackQuery),
    responses((status = 200, body = PackView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/pack")]
async fn pack_json(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<PackQuery>,
) -> Result<web::Json<PackView>, ApiError> {
    pack(&state, &who, &query).await.map(web::Json)
}

/// The same pack as CSV in the Dutch spreadsheet form (`;`, byte-order mark, decimal
/// comma): `cijfer;waarde;jaar_eerder`, the period, its days, the location and whether it
/// is protected first, then every figure by its code.
#[utoipa::path(
    tag = "reports",
    params(PackQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/pack.csv")]
async fn pack_csv(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<PackQuery>,
) -> Result<HttpResponse, ApiError> {
    let pack = pack(&state, &who, &query).await?;
    let mut sheet = Sheet::new(&["cijfer", "waarde", "jaar_eerder"]);
    let before = pack.year_before.as_ref();
    sheet.row(&[
        "period",
        pack.period.as_str(),
        before.map_or("", |before| before.period.as_str()),
    ]);
    sheet.row(&[
        "from".to_owned(),
        pack.from.to_string(),
        before.map_or_else(String::new, |before| before.from.to_string()),
    ]);
    sheet.row(&[
        "to".to_owned(),
        pack.to.to_string(),
        before.map_or_else(String::new, |before| before.to.to_string()),
    ]);
    sheet.row(&["location", pack.location.as_deref().unwrap_or(""), ""]);
    sheet.row(&["protected", if pack.protected { "ja" } else { "nee" }, ""]);
    for row in &pack.figures {
        let cell = |value: &Value| {
            if value.is_null() {
                String::new()
            } else {
                csv_value(value)
            }
        };
        sheet.row(&[row.key.clone(), cell(&row.value), cell(&row.year_before)]);
    }
    for caseload in pack.casemanagers.iter().flatten() {
        sheet.row(&[
            format!("casemanager.{}", caseload.name),
            caseload.clients.to_string(),
            String::new(),
        ]);
    }
    let file_name = format!("inbeeld-pakket-{}.csv", pack.period);
    Ok(download::csv(&file_name).body(sheet.finish()))
}

/// The same pack as an A4 document (PDF), in Dutch: the period, the location, how each
/// section's figures are counted, and each figure beside the same period a year before.
#[utoipa::path(
    tag = "reports",
    params(PackQuery),
    responses((status = 200, content_type = "application/pdf"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/pack.pdf")]
async fn pack_pdf(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<PackQuery>,
) -> Result<HttpResponse, ApiError> {
    let pack = pack(&state, &who, &query).await?;
    let (from, to) = (pack.from.to_string(), pack.to.to_string());
    let before = pack.year_before.as_ref().map(|before| {
        (
            before.period.clone(),
            before.from.to_string(),
            before.to.to_string(),
        )
    });
    let heading = Heading {
        period: &pack.period,
        from: &from,
        to: &to,
        year_before: before
            .as_ref()
            .map(|(name, from, to)| (name.as_str(), from.as_str(), to.as_str())),
        location: pack.location.as_deref(),
        location_names: &pack.location_names,
        protected: pack.protected,
    };
    let figures: Vec<(&str, &Value, &Value)> = pack
        .figures
        .iter()
        .map(|row| (row.key.as_str(), &row.value, &row.year_before))
        .collect();
    let casemanagers: Vec<(&str, i64)> = pack
        .casemanagers
        .iter()
        .flatten()
        .map(|row| (row.name.as_str(), row.clients))
        .collect();
    let file = pack_document::document(&heading, &figures, &casemanagers);
    let file_name = format!("inbeeld-pakket-{}.pdf", pack.period);
    Ok(download::attachment(&file_name)
        .content_type("application/pdf")
        .body(file))
}
