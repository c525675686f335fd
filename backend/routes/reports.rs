//! The team's figures for a period: contacts (named and anonymous), unique clients, inflow,
//! outflow, shifts held and visitors per shift; as JSON, CSV, and contacts per week. The
//! municipality sees the city's totals with every figure below 5 shown as "<5".

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::reports::{self, Asked};
use crate::domain::ids::LocationId;
use crate::domain::report::{PeriodChoice, Shown};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(figures_json)
        .service(report_csv)
        .service(weekly)
        .service(weekly_csv);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day of a custom period (with `to`).
    from: Option<NaiveDate>,
    /// Last day of a custom period, inclusive.
    to: Option<NaiveDate>,
    /// A calendar year, e.g. 2022.
    year: Option<i32>,
    /// A month, `YYYY-MM`.
    month: Option<String>,
    /// An ISO week, `YYYY-Www` (e.g. `2026-W48`).
    week: Option<String>,
    /// Only this location (inflow and outflow are about clients and stay team-wide).
    location_id: Option<i64>,
}

impl Period {
    fn asked(&self) -> Asked {
        Asked {
            period: PeriodChoice {
                from: self.from,
                to: self.to,
                year: self.year,
                month: self.month.clone(),
                week: self.week.clone(),
            },
            location: self.location_id.map(LocationId),
        }
    }
}

/// A figure in JSON: a number, or "<5".
fn figure(shown: Shown) -> Value {
    match shown {
        Shown::Count(value) => json!(value),
        Shown::Decimal(value) => json!(value),
        Shown::Small => json!("<5"),
    }
}

/// A figure's schema: a number, or the text "<5".
fn figure_schema() -> Schema {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["<5"])),
        )
        .into()
}

/// The figures by name, each a number or "<5".
fn figures_schema() -> Schema {
    ObjectBuilder::new()
        .additional_properties(Some(figure_schema()))
        .into()
}

/// A figure in CSV: as in JSON, without the quotes around "<5".
fn csv_value(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

#[derive(Serialize, ToSchema)]
pub struct Report {
    from: NaiveDate,
    to: NaiveDate,
    location_id: Option<i64>,
    /// Each figure is a number, or "<5" for the municipality when it is below 5.
    #[schema(schema_with = figures_schema)]
    figures: BTreeMap<&'static str, Value>,
}

async fn report(state: &AppState, who: &Identity, period: &Period) -> Result<Report, ApiError> {
    let report = reports::figures(state, who, &period.asked()).await?;
    Ok(Report {
        from: report.first,
        to: report.last,
        location_id: period.location_id,
        figures: BTreeMap::from([
            ("contacts", figure(report.contacts)),
            ("contacts_named", figure(report.contacts_named)),
            ("contacts_anonymous", figure(report.contacts_anonymous)),
            ("unique_clients", figure(report.unique_clients)),
            ("new_clients", figure(report.new_clients)),
            ("clients_left", figure(report.clients_left)),
            ("shifts_held", figure(report.shifts_held)),
            (
                "average_visitors_per_shift",
                figure(report.average_visitors_per_shift),
            ),
        ]),
    })
}

/// The figures for a period (coordinator: her team; municipality: the city, small numbers
/// suppressed).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports")]
async fn figures_json(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<web::Json<Report>, ApiError> {
    report(&state, &who, &period).await.map(web::Json)
}

/// The same figures as CSV (`figure,value`).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/figures.csv")]
async fn report_csv(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let report = report(&state, &who, &period).await?;
    let mut csv = String::from("figure,value\n");
    csv.push_str(&format!("from,{}\nto,{}\n", report.from, report.to));
    for (name, value) in &report.figures {
        csv.push_str(&format!("{name},{}\n", csv_value(value)));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"inbeeld-{}-{}.csv\"",
                report.from, report.to
            ),
        ))
        .body(csv))
}

#[derive(Serialize, ToSchema)]
pub struct WeekBar {
    /// The Monday the week starts on.
    week_start: NaiveDate,
    /// Contacts (named plus anonymous visitors); "<5" for the municipality when below 5.
    #[schema(schema_with = figure_schema)]
    contacts: Value,
}

/// Contacts per week, for the bar chart.
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, body = [WeekBar]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly")]
async fn weekly(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<web::Json<Vec<WeekBar>>, ApiError> {
    let weeks = reports::weekly(&state, &who, &period.asked()).await?;
    Ok(web::Json(bars(weeks.bars)))
}

fn bars(bars: Vec<(NaiveDate, Shown)>) -> Vec<WeekBar> {
    bars.into_iter()
        .map(|(week_start, contacts)| WeekBar {
            week_start,
            contacts: figure(contacts),
        })
        .collect()
}

/// Contacts per week as CSV (`week_start,contacts`).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly.csv")]
async fn weekly_csv(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let weeks = reports::weekly(&state, &who, &period.asked()).await?;
    let (first, last) = (weeks.first, weeks.last);
    let mut csv = String::from("week_start,contacts\n");
    for week in &bars(weeks.bars) {
        csv.push_str(&format!(
            "{},{}\n",
            week.week_start,
            csv_value(&week.contacts)
        ));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"inbeeld-weeks-{first}-{last}.csv\""),
        ))
        .body(csv))
}
