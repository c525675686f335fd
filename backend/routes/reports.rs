//! The team's figures for a named period (a year, quarter, month or ISO week): contacts
//! (named and anonymous), unique clients, inflow, outflow, shifts held and visitors per
//! shift; the caseload and its categories at the period's end, outflow by exit reason,
//! out of view; signals by kind; as JSON, CSV, and contacts per ISO week. The
//! municipality sees the city's figures with every count below 5 shown as "<5" and the
//! rest rounded to 5.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::openapi::schema::{ObjectBuilder, Schema};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::reports::{self, Asked};
use crate::domain::client::{Addiction, CaseloadStatus, ExitReason, Region};
use crate::domain::client_figures::Tally;
use crate::domain::code::Code;
use crate::domain::ids::LocationId;
use crate::domain::period::{PeriodChoice, week_name};
use crate::domain::registration::EventKind;
use crate::domain::report::Shown;
use crate::domain::signal::SignalKind;
use crate::domain::spreadsheet::Sheet;
use crate::error::ApiError;
use crate::http::{ErrorBody, download};
use crate::routes::figure_view::{csv_value, figure, figure_schema};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(figures_json)
        .service(report_csv)
        .service(weekly)
        .service(weekly_csv);
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// The period: a year (`2026`), a quarter (`2026-Q2`), a month (`2026-06`) or an ISO
    /// week (`2026-W23`). Ranges of days are not offered: a 422 `bad_period`.
    #[param(required = true, value_type = String, pattern = r"^\d{4}(-(Q[1-4]|\d{2}|W\d{2}))?$")]
    period: Option<String>,
    /// Only this location (inflow and outflow are about clients and stay team-wide).
    location_id: Option<i64>,
    /// The coordinator's figures as they may be shown outside the team: below 5 "<5", the
    /// rest rounded to 5 (the municipality's always are).
    #[serde(default)]
    protected: bool,
    // Days of one's own choosing, and the periods' earlier forms: refused with a 422
    // `bad_period` that names the right form, rather than an unknown-field 400.
    #[param(ignore)]
    from: Option<String>,
    #[param(ignore)]
    to: Option<String>,
    #[param(ignore)]
    year: Option<String>,
    #[param(ignore)]
    month: Option<String>,
    #[param(ignore)]
    week: Option<String>,
}

impl ReportQuery {
    fn asked(&self) -> Asked {
        let other_forms = [&self.from, &self.to, &self.year, &self.month, &self.week]
            .iter()
            .any(|given| given.is_some());
        Asked {
            period: PeriodChoice {
                named: self.period.clone(),
                other_forms,
            },
            location: self.location_id.map(LocationId),
            protected: self.protected,
        }
    }
}

/// The figures by name, each a number or "<5".
fn figures_schema() -> Schema {
    ObjectBuilder::new()
        .additional_properties(Some(figure_schema()))
        .into()
}

#[derive(Serialize, ToSchema)]
pub struct Report {
    /// The period as named, e.g. `2026-Q2`.
    period: String,
    /// Its first day.
    from: NaiveDate,
    /// Its last day, inclusive.
    to: NaiveDate,
    location_id: Option<i64>,
    /// 5 when the figures are as shown outside the team: every count from 5 up rounded to
    /// the nearest multiple of 5, below 5 "<5"; null when they are exact.
    rounded_to: Option<i64>,
    /// Each figure is a number, or "<5" (outside the team, below 5).
    #[schema(schema_with = figures_schema)]
    figures: BTreeMap<&'static str, Value>,
    /// Every client with an intake by the period's end, by her caseload status then
    /// (team-wide, like inflow and outflow).
    #[schema(schema_with = caseload_schema)]
    caseload: BTreeMap<&'static str, Value>,
    /// The clients not closed at the period's end, by the categories their files hold now.
    categories: CategoryFigures,
    /// The clients closed in the period (`clients_left`), by exit reason.
    #[schema(schema_with = outflow_schema)]
    outflow: BTreeMap<&'static str, Value>,
    /// Open clients without a named contact for `out_of_view_days` (90) at the period's
    /// end, or now while the period runs.
    #[schema(schema_with = figure_schema)]
    out_of_view: Value,
    /// Registration events in the period by kind; `expired` also counts each grant or
    /// renewal whose last valid day lies in the period and passed without a renewal.
    #[schema(schema_with = registration_events_schema)]
    registration_events: BTreeMap<&'static str, Value>,
    /// Signals that happened in the period, by kind (the municipality sees how many, never
    /// what they say).
    #[schema(schema_with = signals_schema)]
    signals: BTreeMap<&'static str, Value>,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryFigures {
    #[schema(schema_with = region_schema)]
    region: BTreeMap<&'static str, Value>,
    #[schema(schema_with = addiction_schema)]
    addiction: BTreeMap<&'static str, Value>,
    /// In Beschermd Wonen.
    #[schema(schema_with = figure_schema)]
    sheltered_housing: Value,
    #[schema(schema_with = figure_schema)]
    known_at_huiskamer: Value,
    /// With a registration (`registration_status` registered).
    #[schema(schema_with = figure_schema)]
    registered: Value,
}

/// Counts per code in JSON, each a number or "<5".
fn tally(counts: &Tally<Shown>) -> BTreeMap<&'static str, Value> {
    counts
        .iter()
        .map(|(code, shown)| (*code, figure(*shown)))
        .collect()
}

/// The schema of a count per code of `C`, every code present.
fn tally_schema<C: Code>() -> Schema {
    let mut object = ObjectBuilder::new();
    for code in C::ALL {
        object = object
            .property(code.as_str(), figure_schema())
            .required(code.as_str());
    }
    object.into()
}

fn caseload_schema() -> Schema {
    tally_schema::<CaseloadStatus>()
}

fn region_schema() -> Schema {
    tally_schema::<Region>()
}

fn addiction_schema() -> Schema {
    tally_schema::<Addiction>()
}

fn outflow_schema() -> Schema {
    tally_schema::<ExitReason>()
}

fn registration_events_schema() -> Schema {
    tally_schema::<EventKind>()
}

fn signals_schema() -> Schema {
    tally_schema::<SignalKind>()
}

/// Rows `name,value` for the figures nested under `prefix`, named by their path
/// (`caseload.active`, `categories.region.nijmegen`).
fn csv_rows(sheet: &mut Sheet, prefix: &str, value: &Value) {
    match value {
        Value::Object(fields) => {
            for (name, value) in fields {
                csv_rows(sheet, &format!("{prefix}.{name}"), value);
            }
        }
        value => sheet.row(&[prefix.to_owned(), csv_value(value)]),
    }
}

async fn report(state: &AppState, who: &Identity, query: &ReportQuery) -> Result<Report, ApiError> {
    let report = reports::figures(state, who, &query.asked()).await?;
    Ok(Report {
        period: report.period.to_string(),
        from: report.first,
        to: report.last,
        location_id: query.location_id,
        rounded_to: report.disclosure.rounded_to(),
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
        caseload: tally(&report.clients.caseload),
        categories: CategoryFigures {
            region: tally(&report.clients.region),
            addiction: tally(&report.clients.addiction),
            sheltered_housing: figure(report.clients.sheltered_housing),
            known_at_huiskamer: figure(report.clients.known_at_huiskamer),
            registered: figure(report.clients.registered),
        },
        outflow: tally(&report.clients.outflow),
        out_of_view: figure(report.clients.out_of_view),
        registration_events: tally(&report.clients.registration_events),
        signals: tally(&report.signals),
    })
}

/// The figures for a period (coordinator: her team, exact; municipality: the city, below 5
/// "<5" and the rest rounded to 5).
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports")]
async fn figures_json(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ReportQuery>,
) -> Result<web::Json<Report>, ApiError> {
    report(&state, &who, &query).await.map(web::Json)
}

/// The same figures as CSV (`cijfer;waarde`: the period, its days and `rounded_to` first).
/// The coordinator and the municipality open it in a Dutch Excel: the Dutch spreadsheet
/// form (`;`, byte-order mark, Dutch headers, 5,7 with a decimal comma). The rows keep the
/// figures' stable codes (`caseload.active`), as the JSON names them, so a sheet that looks
/// them up month after month keeps working; the app shows them in words.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/figures.csv")]
async fn report_csv(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let report = report(&state, &who, &query).await?;
    let mut sheet = Sheet::new(&["cijfer", "waarde"]);
    let rounded = report
        .rounded_to
        .map_or_else(String::new, |step| step.to_string());
    sheet.row(&["period", report.period.as_str()]);
    sheet.row(&["from".to_owned(), report.from.to_string()]);
    sheet.row(&["to".to_owned(), report.to.to_string()]);
    sheet.row(&["rounded_to", rounded.as_str()]);
    for (name, value) in &report.figures {
        sheet.row(&[name.to_string(), csv_value(value)]);
    }
    let clients = [
        ("caseload", json!(report.caseload)),
        ("categories", json!(report.categories)),
        ("outflow", json!(report.outflow)),
        ("out_of_view", report.out_of_view),
        ("registration_events", json!(report.registration_events)),
        ("signals", json!(report.signals)),
    ];
    for (name, value) in &clients {
        csv_rows(&mut sheet, name, value);
    }
    let file_name = format!("inbeeld-{}.csv", report.period);
    Ok(download::csv(&file_name).body(sheet.finish()))
}

#[derive(Serialize, ToSchema)]
pub struct WeekBar {
    /// The ISO week, e.g. `2026-W23`.
    week: String,
    /// The Monday the week starts on.
    week_start: NaiveDate,
    /// Contacts (named plus anonymous visitors) in the whole week; outside the team "<5"
    /// below 5 and the rest rounded to 5.
    #[schema(schema_with = figure_schema)]
    contacts: Value,
}

/// Contacts per ISO week, for the bar chart: the weeks whose Thursday lies in the period,
/// each whole (also its days outside the period).
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses((status = 200, body = [WeekBar]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly")]
async fn weekly(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ReportQuery>,
) -> Result<web::Json<Vec<WeekBar>>, ApiError> {
    let weeks = reports::weekly(&state, &who, &query.asked()).await?;
    Ok(web::Json(bars(weeks.bars)))
}

fn bars(bars: Vec<(NaiveDate, Shown)>) -> Vec<WeekBar> {
    bars.into_iter()
        .map(|(week_start, contacts)| WeekBar {
            week: week_name(week_start),
            week_start,
            contacts: figure(contacts),
        })
        .collect()
}

/// Contacts per ISO week as CSV (`week;weekbegin;contacten`), in the Dutch spreadsheet
/// form like the figures.
#[utoipa::path(
    tag = "reports",
    params(ReportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly.csv")]
async fn weekly_csv(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let weeks = reports::weekly(&state, &who, &query.asked()).await?;
    let period = weeks.period;
    let mut sheet = Sheet::new(&["week", "weekbegin", "contacten"]);
    for bar in &bars(weeks.bars) {
        sheet.row(&[
            bar.week.clone(),
            bar.week_start.to_string(),
            csv_value(&bar.contacts),
        ]);
    }
    let file_name = format!("inbeeld-weeks-{period}.csv");
    Ok(download::csv(&file_name).body(sheet.finish()))
}
